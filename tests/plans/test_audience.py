"""Who gets a plan: the audience rule materialised into assignment rows on publish, kept in step by re-sync."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from partyedu.meetings.models import CommitteeMember
from partyedu.members.services import transfer_member
from partyedu.plans import services
from partyedu.plans.audience import audience_members
from partyedu.plans.models import PlanAssignment
from tests.factories import MemberFactory

from .conftest import days, today

pytestmark = pytest.mark.django_db


def assigned(plan):
    return set(
        PlanAssignment.objects.filter(plan=plan, left_on__isnull=True).values_list("member__name", flat=True)
    )


def make_plan(county, org, audience="subtree"):
    plan = services.create_plan(
        organization=org,
        title="学习计划",
        year=today().year,
        deadline=days(10),
        audience=audience,
        by=county.committee_admin,
    )
    services.add_book_item(plan, title="中国共产党章程", by=county.committee_admin)
    return plan


def test_a_subtree_plan_reaches_every_current_member_below_the_organisation(county):
    gone = MemberFactory.create(organization=county.finance_branch, name="钱七")
    gone.left_on = today()
    gone.save()
    plan = make_plan(county, county.finance)
    services.publish(plan, by=county.committee_admin)
    assert assigned(plan) == {"张三", "李四", "曾小明"}


def test_a_county_plan_reaches_both_units(county, county_plan):
    assert assigned(county_plan) == {"张三", "李四", "曾小明", "王五", "赵六"}


def test_leaders_plan_reaches_only_leaders_inside_the_subtree(county):
    MemberFactory.create(organization=county.finance_branch, name="孙局长", is_leader=True)
    MemberFactory.create(organization=county.education_branch, name="周局长", is_leader=True)
    plan = make_plan(county, county.finance, "leaders")
    services.publish(plan, by=county.committee_admin)
    assert assigned(plan) == {"孙局长"}


def test_youth_plan_reaches_members_aged_35_or_less(county):
    young = today().replace(year=today().year - 30)
    MemberFactory.create(organization=county.finance_branch, name="小青年", birth_date=young)
    plan = make_plan(county, county.committee, "youth")
    services.publish(plan, by=county.committee_admin)
    assert assigned(plan) == {"小青年"}


def test_committee_plan_reaches_open_branch_committee_seats_only(county):
    zhang, li, _ = county.finance_members
    CommitteeMember.objects.create(
        organization=county.finance_branch, body="branch_committee", member=zhang, started_on=days(-100)
    )
    CommitteeMember.objects.create(
        organization=county.finance_branch,
        body="branch_committee",
        member=li,
        started_on=days(-300),
        ended_on=days(-1),
    )
    CommitteeMember.objects.create(
        organization=county.finance,
        body="center_group",
        member=county.finance_members[2],
        started_on=days(-9),
    )
    plan = make_plan(county, county.finance, "committee")
    services.publish(plan, by=county.committee_admin)
    assert assigned(plan) == {"张三"}


def test_picked_plan_reaches_exactly_the_picked_members_and_nobody_outside(county):
    plan = make_plan(county, county.finance)
    services.set_picked(plan, county.finance_members[:2], by=county.committee_admin)
    services.publish(plan, by=county.committee_admin)
    assert assigned(plan) == {"张三", "李四"}
    with pytest.raises(ValidationError):
        services.set_picked(plan, [county.education_members[0]], by=county.committee_admin)


def test_publishing_twice_creates_no_duplicates(county, county_plan):
    before = PlanAssignment.objects.filter(plan=county_plan).count()
    result = services.publish(county_plan, by=county.committee_admin)
    assert (result.added, result.left) == (0, 0)
    assert PlanAssignment.objects.filter(plan=county_plan).count() == before == 5


def test_a_plan_without_items_cannot_be_published(county):
    plan = services.create_plan(
        organization=county.finance, title="空计划", year=2026, deadline=days(5), by=county.committee_admin
    )
    with pytest.raises(ValidationError):
        services.publish(plan, by=county.committee_admin)


def test_resync_gives_the_plan_to_newcomers_and_lets_transferred_out_members_leave_the_counts(county):
    plan = make_plan(county, county.finance)
    services.publish(plan, by=county.committee_admin)
    newcomer = county.education_members[0]
    leaver = county.finance_members[1]
    transfer_member(newcomer, county.finance_branch)
    transfer_member(leaver, county.education_branch)
    result = services.sync_assignments(plan, by=county.committee_admin)
    assert (result.added, result.left, result.returned) == (1, 1, 0)
    assert assigned(plan) == {"张三", "曾小明", "王五"}
    # the leaver's row is kept, marked as left
    row = PlanAssignment.objects.get(plan=plan, member=leaver)
    assert row.left_on == today()
    transfer_member(leaver, county.finance_branch)
    assert services.sync_assignments(plan, by=county.committee_admin).returned == 1
    assert "李四" in assigned(plan)


def test_the_audience_of_a_personal_plan_is_its_owner(county):
    zhang = county.finance_members[0]
    plan = services.create_personal_plan(
        zhang, title="我的学习计划", year=2026, by=county.finance_member_user
    )
    assert list(audience_members(plan)) == [zhang]
    assert assigned(plan) == {"张三"}


def test_a_worker_cannot_create_a_plan_for_another_branch(county):
    from django.http import Http404

    with pytest.raises(Http404):
        services.create_plan(
            organization=county.education_branch,
            title="越权计划",
            year=2026,
            deadline=datetime.date(2026, 12, 31),
            by=county.finance_secretary,
        )
