"""Each morning whoever has to answer a 意见建议 is told which ones are due within three days or already overdue:
the assigned member and the workers of the assigned branch, once a day."""

import datetime

import pytest
from django.utils import timezone

from partyedu.notifications.models import Notification
from partyedu.opinions import services
from partyedu.opinions.tasks import reminders, send_opinion_reminders

from ..factories import make_user

pytestmark = pytest.mark.django_db
D = datetime.timedelta


@pytest.fixture
def today():
    return timezone.localdate()


def assigned(branch, content, *, due_on, member=None, received_on=None):
    received_on = received_on or due_on - D(days=15)
    received_on = min(received_on, timezone.localdate())
    op = services.record_opinion(branch, channel="visit", content=content, received_on=received_on)
    return services.assign(op, assignee_org=branch, assignee_member=member, due_on=due_on)


def reminded(user):
    return Notification.objects.filter(user=user, dedupe_key__startswith="opinion-reminder:")


def run(day: datetime.date) -> int:
    return send_opinion_reminders.enqueue(on=day.isoformat()).return_value


def test_the_assignee_and_the_secretary_hear_of_the_opinions_due_soon_and_the_overdue_one(county, today):
    zhang = county.finance_members[0]
    assigned(county.finance_branch, "小区门口的路灯坏了半个月", due_on=today - D(days=2), member=zhang)
    assigned(county.finance_branch, "希望增加便民服务窗口", due_on=today + D(days=3), member=zhang)
    replied = assigned(county.finance_branch, "食堂菜价偏高请核实", due_on=today + D(days=1), member=zhang)
    services.reply(replied, text="已核实并调整")
    closed = assigned(county.finance_branch, "停车位不够用", due_on=today - D(days=5), member=zhang)
    services.reply(closed, text="已增设车位")
    services.close(closed)
    assigned(county.finance_branch, "建议开设周末党课", due_on=today + D(days=30), member=zhang)

    assert run(today) == 2  # the assignee (张三's account) and the branch secretary, one alert each

    for user in (county.finance_member_user, county.finance_secretary):
        note = reminded(user).get()
        assert note.title == "有1条意见建议已超期未答复"
        assert note.body == (
            "「小区门口的路灯坏了半个月」已超期2天未答复；"
            f"「希望增加便民服务窗口」将于{today + D(days=3):%m月%d日}到期答复"
        )
        assert note.url == "/opinions/?status=assigned"
        assert "食堂菜价" not in note.body and "停车位" not in note.body and "周末党课" not in note.body

    assert run(today) == 0  # the same morning again: nothing new
    assert run(today + D(days=1)) == 2  # the next morning they are reminded again
    note = reminded(county.finance_secretary).get(dedupe_key__endswith=f"{today + D(days=1):%Y%m%d}")
    assert "已超期3天未答复" in note.body


def test_a_single_opinion_due_soon_links_to_it(county, today):
    op = assigned(county.finance_branch, "希望增加便民服务窗口", due_on=today)
    assert run(today) == 1  # nobody assigned by name: the secretary alone
    note = reminded(county.finance_secretary).get()
    assert note.title == "有1条意见建议将在3天内到期答复"
    assert note.body == f"「希望增加便民服务窗口」将于{today:%m月%d日}到期答复"
    assert note.url == f"/opinions/{op.pk}/"
    assert not reminded(county.finance_member_user).exists()


def test_another_branch_hears_only_of_its_own_opinions(county, today):
    education_secretary = make_user("jiaoyu_shuji", role="secretary", org=county.education_branch)
    assigned(county.finance_branch, "小区门口的路灯坏了半个月", due_on=today - D(days=1))
    assigned(county.education_branch, "校门口上下学时段拥堵", due_on=today + D(days=2))
    assert run(today) == 2
    finance = reminded(county.finance_secretary).get()
    education = reminded(education_secretary).get()
    assert "路灯" in finance.body and "校门口" not in finance.body
    assert "校门口" in education.body and "路灯" not in education.body
    # a worker of the unit above is not a worker of the assigned branch
    assert not reminded(county.education_admin).exists()


def test_nothing_due_within_three_days_means_no_reminder(county, today):
    assigned(county.finance_branch, "建议开设周末党课", due_on=today + D(days=4))
    assert reminders(today) == []
    assert run(today) == 0


def test_the_reminders_take_the_same_queries_however_many_opinions(county, today, django_assert_num_queries):
    education_secretary = make_user("jiaoyu_shuji", role="secretary", org=county.education_branch)
    assigned(county.finance_branch, "意见建议一号内容", due_on=today, member=county.finance_members[0])
    with django_assert_num_queries(3):  # the opinions, the assignees' accounts, the workers
        assert len(reminders(today)) == 2
    for n in range(24):
        branch = county.finance_branch if n % 2 else county.education_branch
        assigned(branch, f"意见建议第{n}号内容", due_on=today - D(days=n))
    li = make_user("lisi", role="member", org=county.finance_branch, member=county.finance_members[1])
    assigned(county.finance_branch, "另一位承办人的意见", due_on=today, member=county.finance_members[1])
    with django_assert_num_queries(3):
        alerts = reminders(today)
    assert {a.user_id for a in alerts} == {
        county.finance_secretary.pk,
        county.finance_member_user.pk,
        education_secretary.pk,
        li.pk,
    }
    secretary = next(a for a in alerts if a.user_id == county.finance_secretary.pk)
    assert secretary.body.endswith("；等14条")  # ten listed, the rest counted
