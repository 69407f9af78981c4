"""掉队预警: who is listed, for which reasons, at the boundaries of each rule."""

import datetime
from decimal import Decimal

import pytest

from partyedu.hours import services as ledger
from partyedu.hours.models import HoursSource
from partyedu.meetings.models import CommitteeBody, CommitteeMember, MemberLifeStats
from partyedu.members.models import Member
from partyedu.outreach.selectors import left_behind
from partyedu.training.models import Enrolment, TrainingClass

from ..factories import MemberFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 7, 1)
# 14 March is day 73 of 365: 32 × 73 / 365 = 6.40 学时 due, 56 × 73 / 365 = 11.20 for a committee member
MARCH_14 = datetime.date(2026, 3, 14)


def learn(member, on, hours="1", key=None):
    ledger.credit(
        member,
        source=HoursSource.STUDY,
        key=key or f"study:{member.pk}:{on}",
        hours=hours,
        on=on,
        title="自学",
    )


def enrol_in_rotation(member, org, year=2026, status="enrolled"):
    cls = TrainingClass.objects.create(
        title=f"{year}年党员全员轮训",
        organiser=org,
        target_org=org,
        year=year,
        starts_on=datetime.date(year, 3, 1),
        ends_on=datetime.date(year, 3, 5),
        target_kind="rotation",
        is_rotation=True,
    )
    return Enrolment.objects.create(training_class=cls, member=member, status=status)


def listed(county, today=TODAY, **kw):
    result = left_behind(county.committee, today=today, **kw)
    rows = {m.name: m for m in result.rows()}
    return result, rows


def test_learning_exactly_n_days_ago_is_recent_enough_and_a_day_more_is_not(county):
    zhang, li, zeng = county.finance_members
    learn(zhang, TODAY - datetime.timedelta(days=30))
    learn(li, TODAY - datetime.timedelta(days=31))
    _, rows = listed(county)
    assert not rows["张三"].is_idle
    assert rows["李四"].is_idle
    assert rows["曾小明"].is_idle  # never learned anything
    # a shorter window
    _, rows = listed(county, days=7)
    assert rows["张三"].is_idle
    _, rows = listed(county, days=31)
    assert not rows["李四"].is_idle


def test_attending_any_meeting_and_last_years_learning_count_as_recent(county):
    zhang, li, _ = county.finance_members
    today = datetime.date(2026, 1, 10)
    learn(zhang, datetime.date(2025, 12, 11))  # 30 days before, last year
    MemberLifeStats.objects.create(member=li, last_present_on=datetime.date(2025, 12, 11))
    _, rows = listed(county, today=today)
    assert not rows["张三"].is_idle and not rows["李四"].is_idle
    assert rows["张三"].learned_on == datetime.date(2025, 12, 11)


def test_short_of_hours_is_below_the_pro_rata_share_and_exactly_the_share_is_enough(county):
    zhang, li, zeng = county.finance_members
    wang, zhao = county.education_members
    learn(zhang, MARCH_14, "6.40")
    learn(li, MARCH_14, "6.39")
    for member, hours in [(wang, "11.20"), (zhao, "11.19"), (zeng, "11.20")]:
        learn(member, MARCH_14, hours)
    for member in (wang, zhao):
        CommitteeMember.objects.create(
            organization=county.education_branch,
            body=CommitteeBody.BRANCH_COMMITTEE,
            member=member,
            started_on=datetime.date(2025, 1, 1),
        )
    result, rows = listed(county, today=MARCH_14)
    assert result.expected == {False: Decimal("6.40"), True: Decimal("11.20")}
    assert not rows["张三"].is_short
    assert rows["李四"].is_short
    assert not rows["王五"].is_short  # a committee member needs 56 a year: 11.20 by now
    assert rows["赵六"].is_short
    assert not rows["曾小明"].is_short


def test_a_seat_that_ended_last_year_does_not_raise_this_years_minimum(county):
    zhang = county.finance_members[0]
    learn(zhang, MARCH_14, "6.40")
    CommitteeMember.objects.create(
        organization=county.finance_branch,
        body=CommitteeBody.BRANCH_COMMITTEE,
        member=zhang,
        started_on=datetime.date(2020, 1, 1),
        ended_on=datetime.date(2025, 12, 31),
    )
    _, rows = listed(county, today=MARCH_14)
    assert not rows["张三"].on_committee and not rows["张三"].is_short


def test_members_enrolled_in_this_years_rotation_are_not_listed_for_it(county):
    zhang, li, zeng = county.finance_members
    enrol_in_rotation(zhang, county.finance)
    enrol_in_rotation(li, county.finance, status="withdrawn")
    enrol_in_rotation(zeng, county.finance, year=2025)
    _, rows = listed(county)
    assert not rows["张三"].is_rotation
    assert rows["李四"].is_rotation
    assert rows["曾小明"].is_rotation


def test_only_full_and_probationary_members_on_the_roster_are_listed(county):
    Member.objects.filter(pk=county.finance_members[1].pk).update(left_on=datetime.date(2026, 5, 1))
    MemberFactory.create(
        organization=county.finance_branch,
        name="钱七",
        status="activist",
        probationary_on=None,
        full_on=None,
        applied_on=datetime.date(2025, 1, 1),
        activist_on=datetime.date(2025, 6, 1),
    )
    _, rows = listed(county)
    assert set(rows) == {"张三", "曾小明", "王五", "赵六"}


def test_a_member_with_no_reason_is_not_listed_and_counts_add_up(county):
    zhang, li, zeng = county.finance_members
    learn(zhang, TODAY, "20")
    enrol_in_rotation(zhang, county.finance)
    learn(li, TODAY - datetime.timedelta(days=40), "20")  # idle only (also not in rotation)
    result, rows = listed(county)
    assert "张三" not in rows
    assert set(rows) == {"李四", "曾小明", "王五", "赵六"}
    assert result.counts == {"any": 4, "idle": 4, "short": 3, "rotation": 4}
    # ordered by organisation, then name
    assert [m.name for m in result.rows("short")] == ["曾小明", "王五", "赵六"]


def test_the_list_can_be_narrowed_to_a_part_of_the_subtree(county):
    result = left_behind(county.committee, today=TODAY, within=county.education)
    assert {m.name for m in result.rows()} == {"王五", "赵六"}
    assert result.counts["any"] == 2


# --- the page -------------------------------------------------------------------------------------------------
def test_the_page_shows_reasons_flags_and_counts_in_a_fixed_number_of_queries(
    county, client, django_assert_max_num_queries
):
    from django.urls import reverse

    from ..conftest import login

    lisi = county.finance_members[1]
    Member.objects.filter(pk=lisi.pk).update(needs_home_delivery=True, is_retired=True)
    for n in range(30):
        MemberFactory.create(organization=county.education_branch, name=f"党员{n:02d}")
    login(client, county.committee_admin)
    url = reverse("outreach:left_behind", args=[county.committee.pk])
    client.get(url)
    # session, user, roles, notifications, the organisation, its children, the counts, the rows (and the
    # savepoint around the list's queries): the same for any number of members
    with django_assert_max_num_queries(11):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "没有学习记录" in body and "学时进度不足" in body and "本年度未参加全员轮训" in body
    assert "需送学上门" in body and "离退休" in body
    assert body.count("登记送学上门") == 1
    assert reverse("outreach:delivery_new", args=[lisi.pk]) in body
    assert "<b>35</b><span>需要关注的党员</span>" in body
    # more members, same number of queries
    for n in range(30):
        MemberFactory.create(organization=county.finance_branch, name=f"财政{n:02d}")
    with django_assert_max_num_queries(11):
        client.get(url)


def test_the_page_filters_by_reason_and_by_child_organisation(county, client):
    from django.urls import reverse

    from ..conftest import login

    zhang = county.finance_members[0]
    enrol_in_rotation(zhang, county.finance)
    login(client, county.committee_admin)
    url = reverse("outreach:left_behind", args=[county.committee.pk])
    body = client.get(url, {"reason": "rotation"}).content.decode()
    assert "李四" in body and "张三" not in body
    body = client.get(url, {"within": county.education.pk}).content.decode()
    assert "王五" in body and "李四" not in body
    # a part of another subtree is not a filter of this one
    branch_url = reverse("outreach:left_behind", args=[county.finance_branch.pk])
    assert client.get(branch_url, {"within": county.education.pk}).status_code == 404


def test_workers_see_their_subtree_only_and_members_not_at_all(county, client):
    from django.urls import reverse

    from ..conftest import login

    login(client, county.finance_secretary)
    assert client.get(reverse("outreach:index")).status_code == 302
    body = client.get(reverse("outreach:left_behind", args=[county.finance_branch.pk])).content.decode()
    assert "李四" in body and "王五" not in body
    assert client.get(reverse("outreach:left_behind", args=[county.education_branch.pk])).status_code == 404
    login(client, county.finance_member_user)
    assert client.get(reverse("outreach:index")).status_code == 403
    assert client.get(reverse("outreach:left_behind", args=[county.finance_branch.pk])).status_code == 403
