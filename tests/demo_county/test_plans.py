"""The demo's reading plans on a small seeded county: published, assigned in bulk, with progress to show."""

import pytest
from django.utils import timezone

from partyedu.plans.demo import seed_plans
from partyedu.plans.models import PlanAssignment, ReadingPlan
from partyedu.plans.selectors import Progress

pytestmark = pytest.mark.django_db


def test_seed_plans_writes_assigned_and_personal_plans_with_progress(demo_county):
    assert seed_plans(1) == 0  # and never twice
    county = ReadingPlan.objects.get(title__endswith="年度党员必读书目")
    assert county.items.exists() and county.status == "published"
    from partyedu.members.models import Member

    # a later step of the demo takes one probationary member off the roll
    current = Member.objects.current()
    assert PlanAssignment.objects.filter(plan=county, member__in=current).count() == current.count()
    leaders = ReadingPlan.objects.get(title__endswith="领导干部学习计划")
    assert not PlanAssignment.objects.filter(plan=leaders, member__is_leader=False).exists()
    assert ReadingPlan.objects.filter(member__isnull=False).count() >= 10
    # the demo member has a personal plan; every plan's items are either materials or books
    assert ReadingPlan.objects.filter(member__user__username="dangyuan").exists()
    totals = Progress(county, timezone.localdate()).totals()
    assert totals.assigned > 0
    overdue = [
        p
        for p in ReadingPlan.objects.filter(organization__isnull=False)
        if Progress(p, timezone.localdate()).totals().overdue
    ]
    assert overdue, "some unit plan is past its deadline with members who did not finish"
