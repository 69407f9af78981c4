"""The demo county's development paths: every stage, dated from the roster, keeping the rules."""

import pytest
from django.db.models import Count
from django.utils import timezone

from partyedu.development import selectors, services
from partyedu.development.demo import seed_development
from partyedu.development.models import DevelopmentPath, DevelopmentStep, Outcome, PathStatus
from partyedu.development.models import StepKind as K
from partyedu.members.models import Member

pytestmark = pytest.mark.django_db


def test_the_demo_paths_follow_the_roster_and_the_rules(demo_county):
    from django.db.models import Q

    paths = list(DevelopmentPath.objects.select_related("member"))
    assert paths
    pipeline = Member.objects.filter(
        left_on__isnull=True, status__in=["applicant", "activist", "candidate", "probationary"]
    )
    assert {p.member_id for p in paths} >= set(pipeline.values_list("pk", flat=True))
    stages = set(DevelopmentPath.objects.filter(status="open").values_list("member__status", flat=True))
    assert stages == {"applicant", "activist", "candidate", "probationary"}
    for path in paths:
        assert services.path_errors(path) == [], (path.member.name, services.path_errors(path))
        steps = {s.kind: s.on for s in path.steps.all()}
        member = path.member
        assert steps[K.APPLICATION] == member.applied_on
        if member.activist_on:
            assert steps[K.ACTIVIST] == member.activist_on
        if member.candidate_on:
            assert steps[K.CANDIDATE] == member.candidate_on
        if member.probationary_on:
            assert steps[K.APPROVAL] == member.probationary_on
    outcomes = dict(
        DevelopmentStep.objects.filter(kind=K.FULL_APPROVAL).values_list("outcome").annotate(n=Count("pk"))
    )
    assert outcomes.get(Outcome.CANCELLED) == 1
    assert outcomes.get(Outcome.EXTENDED, 0) >= 1
    cancelled = DevelopmentPath.objects.get(status=PathStatus.CANCELLED)
    assert cancelled.member.left_reason == "取消预备党员资格"
    today = timezone.localdate()
    items = selectors.calendar_items(Q(), today, start=today, end=today)
    assert any(i.overdue for i in items)
    assert seed_development(1) == 0  # once
