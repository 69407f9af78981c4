"""志愿服务 records: a member signs up, the organiser confirms, points follow the confirmed hours and only them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partyedu.points.models import EventKind, PointsEntry, PointsTotal
from partyedu.volunteering import selectors, services
from partyedu.volunteering.models import RecordStatus, VolunteerRecord

from ..factories import MemberFactory
from .conftest import happened, make_activity

pytestmark = pytest.mark.django_db


def points_of(member) -> Decimal:
    total = PointsTotal.objects.filter(member=member, period=str(timezone.localdate().year)).first()
    return total.total if total else Decimal("0")


def test_a_member_signs_up_and_earns_points_only_when_the_organiser_confirms(county, rules, finance_activity):
    zhang = county.finance_members[0]
    record = services.sign_up(finance_activity, zhang)
    assert record.status == RecordStatus.PENDING and record.hours == Decimal("3")
    assert services.sign_up(finance_activity, zhang) == record  # a double tap signs up once
    with pytest.raises(ValidationError, match="尚未开始"):
        services.confirm(record)
    happened(finance_activity)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=30)
    assert points_of(zhang) == 0
    assert selectors.member_volunteer_record(zhang) == []
    assert selectors.volunteer_hours_by_org([county.finance_branch.pk], start, today) == {
        county.finance_branch.pk: Decimal("0")
    }

    services.confirm(record, by=county.finance_secretary)
    assert points_of(zhang) == Decimal("3")
    entry = PointsEntry.objects.get(member=zhang, event_kind=EventKind.VOLUNTEER_HOUR)
    assert entry.source_key == f"volunteer:{record.pk}" and entry.requested == Decimal("3")
    services.confirm(record, by=county.finance_secretary)  # idempotent
    assert points_of(zhang) == Decimal("3") and PointsEntry.objects.filter(member=zhang).count() == 1
    [row] = selectors.member_volunteer_record(zhang)
    held_on = timezone.localdate(finance_activity.starts_at)  # when it took place, not when he signed up
    assert (row["title"], row["hours"], row["date"]) == (finance_activity.title, Decimal("3"), held_on)
    assert selectors.volunteer_hours_by_org(
        [county.finance_branch.pk, county.finance.pk, county.education.pk], start, today
    ) == {county.finance_branch.pk: Decimal("3"), county.finance.pk: Decimal("3"), county.education.pk: 0}


def test_rejecting_a_confirmed_record_takes_the_points_back_and_a_later_confirmation_restores_them(
    county, rules, finance_activity
):
    li = county.finance_members[1]
    record = services.sign_up(finance_activity, li)
    happened(finance_activity)
    services.confirm(record, hours="2.5")
    assert points_of(li) == Decimal("2.5")
    services.reject(record, reason="实际未到场")
    assert points_of(li) == 0
    record.refresh_from_db()
    assert record.status == RecordStatus.REJECTED and record.reject_reason == "实际未到场"
    assert selectors.member_volunteer_record(li) == []
    services.confirm(record, hours="2")  # the organiser finds the sign-in sheet: he came, for two hours
    assert points_of(li) == Decimal("2")
    services.confirm(record, hours="3")  # hours corrected after confirmation
    assert points_of(li) == Decimal("3")
    from partyedu.points.services import check_totals

    assert check_totals([li.pk]) == []


def test_a_rejection_needs_a_reason(county, finance_activity):
    record = services.sign_up(finance_activity, county.finance_members[0])
    with pytest.raises(ValidationError, match="原因"):
        services.reject(record, reason="  ")


def test_the_organiser_confirms_the_whole_activity_at_once(county, rules, finance_activity):
    for m in county.finance_members:
        services.sign_up(finance_activity, m)
    happened(finance_activity)
    assert services.confirm_all(finance_activity, by=county.finance_secretary) == 3
    assert {points_of(m) for m in county.finance_members} == {Decimal("3")}
    assert services.confirm_all(finance_activity) == 0  # nothing pending any more


def test_members_outside_the_subtree_cannot_sign_up_and_capacity_is_kept(county):
    activity = make_activity(county.finance_branch, capacity=2)
    with pytest.raises(ValidationError, match="不面向"):
        services.sign_up(activity, county.education_members[0])
    services.sign_up(activity, county.finance_members[0])
    services.sign_up(activity, county.finance_members[1])
    with pytest.raises(ValidationError, match="已满"):
        services.sign_up(activity, county.finance_members[2])
    services.withdraw(activity, county.finance_members[1])
    services.sign_up(activity, county.finance_members[2])
    happened(activity)
    with pytest.raises(ValidationError, match="已经开始"):
        services.sign_up(activity, county.finance_members[1])
    with pytest.raises(ValidationError, match="不能取消"):
        services.withdraw(activity, county.finance_members[2])


def test_an_activity_of_the_committee_is_open_to_the_whole_county(county):
    activity = make_activity(county.finance_branch, open_to=county.committee)
    assert services.sign_up(activity, county.education_members[0]).organization == county.education_branch


def test_a_self_reported_service_counts_after_the_branch_confirms(county, rules):
    wang = county.finance_members[0]
    record = services.report_service(
        wang, title="社区核酸检测点秩序维护", served_on=timezone.localdate(), hours="4", theme="other"
    )
    assert record.is_self_reported and selectors.year_total(wang, timezone.localdate().year) == 0
    services.confirm(record, by=county.finance_secretary)
    assert selectors.year_total(wang, timezone.localdate().year) == Decimal("4")
    assert points_of(wang) == Decimal("4")


@pytest.mark.parametrize(
    "hours, message",
    [("0", "大于0"), ("-1", "大于0"), ("25", "24小时"), ("abc", "数字"), ("NaN", "大于0"), ("", "数字")],
)
def test_bad_hours_are_refused_in_chinese(county, hours, message):
    with pytest.raises(ValidationError, match=message):
        services.report_service(
            county.finance_members[0], title="敬老院陪伴老人", served_on=timezone.localdate(), hours=hours
        )
    assert not VolunteerRecord.objects.exists()


def test_a_future_service_date_is_refused(county):
    with pytest.raises(ValidationError, match="晚于今天"):
        services.report_service(
            county.finance_members[0],
            title="敬老院陪伴老人",
            served_on=timezone.localdate() + datetime.timedelta(days=1),
            hours="2",
        )


# One record confirmed again and again with other hours (the fixture is shared by the examples on purpose):
# whatever the corrections, the ledger nets to the hours last confirmed.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.decimals(min_value=Decimal("0.1"), max_value=Decimal("24"), places=1))
def test_confirmed_hours_and_points_agree_for_any_valid_hours(county_for_hypothesis, hours):
    county, activity, member = county_for_hypothesis
    record = VolunteerRecord.objects.get(activity=activity, member=member)
    services.confirm(record, hours=hours)
    record.refresh_from_db()
    credited = sum(PointsEntry.objects.filter(member=member).values_list("points", flat=True))
    # 1 point an hour, at most 8 a day (the default rule's daily cap)
    assert record.hours == hours and credited == min(hours, Decimal("8"))


@pytest.fixture
def county_for_hypothesis(county, rules):
    activity = make_activity(county.finance_branch, hours=24)
    member = MemberFactory.create(organization=county.finance_branch, name="志愿者")
    services.sign_up(activity, member)
    happened(activity, days_ago=2)
    return county, activity, member
