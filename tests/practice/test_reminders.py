"""Each morning the branch secretary is told which 办实事 items fall due this week or are overdue, and each
responsible member is told about his own — before the list marks them red, not only afterwards."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partyedu.notifications.models import Notification
from partyedu.practice import services
from partyedu.practice.tasks import reminders, send_practice_reminders

from ..factories import MemberFactory, make_user

pytestmark = pytest.mark.django_db
D = datetime.timedelta


def md(day: datetime.date) -> str:
    return f"{day.month:02d}月{day.day:02d}日"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def week(county, rules, make_item):
    """The finance branch's list: two items due this week, one overdue, one finished, one due in a month."""
    zhang, li = county.finance_members[:2]
    c = type("Week", (), {})()
    c.doorstep = make_item("为退休老党员上门办理医保认证", due=2, responsible=[zhang])
    c.lights = make_item("修缮家属院路灯", due=6, responsible=[li])
    c.ramp = make_item("小区无障碍坡道改造", due=-3, responsible=[li])
    c.done = make_item("帮助困难群众申领临时救助", due=1, responsible=[zhang])
    services.complete_item(c.done, result_summary="12户困难群众领到临时救助金。")
    c.later = make_item("社区助餐点建设", due=30, responsible=[zhang])
    return c


def test_the_secretary_is_reminded_of_the_week_and_of_what_is_overdue(county, week, today):
    assert send_practice_reminders.enqueue(on=today.isoformat()).return_value == 2

    note = Notification.objects.get(user=county.finance_secretary)
    assert note.title == "县财政局机关党支部：办实事有1项已逾期、2项将在一周内到期"
    assert note.body == (
        "“小区无障碍坡道改造”已逾期3天；"
        f"“为退休老党员上门办理医保认证”将于{md(today + D(days=2))}到期；"
        f"“修缮家属院路灯”将于{md(today + D(days=6))}到期"
    )
    assert note.url == reverse("practice:list") + f"?org={county.finance_branch.pk}"
    assert "申领临时救助" not in note.body and "助餐点" not in note.body


def test_a_responsible_member_is_reminded_of_his_own_items_only(county, week, today):
    send_practice_reminders.enqueue(on=today.isoformat())

    note = Notification.objects.get(user=county.finance_member_user)  # 张三
    assert note.title == "您负责的办实事有1项将在一周内到期"
    assert note.body == f"“为退休老党员上门办理医保认证”将于{md(today + D(days=2))}到期"
    assert note.url == reverse("practice:mine") + "#my-items"


def test_a_member_without_an_account_is_skipped_and_one_with_an_account_is_told(county, week, today):
    li = county.finance_members[1]
    send_practice_reminders.enqueue(on=today.isoformat())
    assert Notification.objects.count() == 2  # 李四 has no account yet

    lisi = make_user("lisi", role="member", org=county.finance_branch, member=li)
    assert send_practice_reminders.enqueue(on=today.isoformat()).return_value == 1
    note = Notification.objects.get(user=lisi)
    assert note.title == "您负责的办实事有1项已逾期、1项将在一周内到期"
    assert note.body.startswith("“小区无障碍坡道改造”已逾期3天；“修缮家属院路灯”")


def test_the_same_day_twice_sends_nothing_new_and_the_next_day_reminds_again(county, week, today):
    assert send_practice_reminders.enqueue(on=today.isoformat()).return_value == 2
    assert send_practice_reminders.enqueue(on=today.isoformat()).return_value == 0
    assert Notification.objects.count() == 2

    tomorrow = today + D(days=1)
    assert send_practice_reminders.enqueue(on=tomorrow.isoformat()).return_value == 2
    latest = Notification.objects.filter(user=county.finance_secretary).order_by("-pk").first()
    assert "“小区无障碍坡道改造”已逾期4天" in latest.body


def test_finished_cancelled_and_far_items_mean_no_reminder(county, rules, make_item, today):
    done = make_item("帮助困难群众申领临时救助", due=-2)
    services.complete_item(done, result_summary="12户困难群众领到临时救助金。")
    dropped = make_item("老旧小区加装电梯", due=3)
    services.cancel_item(dropped, reason="上级统一实施，本支部不再单列")
    make_item("社区助餐点建设", due=30)
    make_item("社区图书角", due=8)  # a day beyond the week
    assert reminders(today) == []
    assert send_practice_reminders.enqueue(on=today.isoformat()).return_value == 0


def test_another_branchs_secretary_hears_nothing_about_this_branch(county, week, make_item, today):
    education_secretary = make_user("jiaoyu_shuji", role="secretary", org=county.education_branch)
    make_item(
        "为乡村学校捐赠图书",
        org=county.education_branch,
        responsible=county.education_members[:1],
        due=4,
    )
    send_practice_reminders.enqueue(on=today.isoformat())

    theirs = Notification.objects.get(user=education_secretary)
    assert theirs.title == "县教育局机关第一党支部：办实事有1项将在一周内到期"
    assert "捐赠图书" in theirs.body and "坡道" not in theirs.body
    ours = Notification.objects.get(user=county.finance_secretary)
    assert "捐赠图书" not in ours.body
    # the unit's 党务工作者 and the 工委 are not alerted about a branch's items: the branch acts on them
    assert not Notification.objects.filter(user__in=[county.education_admin, county.committee_admin]).exists()


def test_one_item_links_to_the_item_itself(county, make_item, today):
    item = make_item("为退休老党员上门办理医保认证", due=0)
    (alert,) = [a for a in reminders(today) if a.user_id == county.finance_secretary.pk]
    assert alert.url == reverse("practice:item", args=[item.pk])
    assert alert.body == "“为退休老党员上门办理医保认证”今天到期"


def test_the_number_of_queries_does_not_grow_with_the_items(county, make_item, today):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            alerts = reminders(today)
        assert alerts
        return len(ctx.captured_queries)

    make_item("修缮家属院路灯", due=2)
    small = count()

    for n in range(12):
        member = MemberFactory.create(organization=county.finance_branch, name=f"党员{n}")
        make_user(f"dangyuan{n}", role="member", org=county.finance_branch, member=member)
        make_item(f"事项{n}", due=n % 10 - 3, responsible=[member, county.finance_members[0]])
        make_item(
            f"教育事项{n}", org=county.education_branch, due=n % 7, responsible=county.education_members
        )
    make_user("jiaoyu_shuji", role="secretary", org=county.education_branch)
    big = count()

    assert small == big <= 3
    assert len(reminders(today)) == 1 + 1 + 1 + 12  # two secretaries, 张三, twelve new members
