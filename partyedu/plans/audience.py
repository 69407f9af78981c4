"""Who a plan applies to: its audience rule, read as a query over today's roster."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from partyedu.members.models import Member
from partyedu.orgs.models import subtree_q

from .models import AudienceKind, ReadingPlan


def audience_members(plan: ReadingPlan, today: datetime.date | None = None) -> QuerySet[Member]:
    """The current members the plan applies to today; all of them inside the plan organisation's subtree."""
    today = today or timezone.localdate()
    if plan.is_personal:
        return Member.objects.filter(pk=plan.member_id, left_on__isnull=True)
    org = plan.organization
    base = Member.objects.current().in_subtree(org)
    kind = plan.audience
    if kind == AudienceKind.LEADERS:
        return base.filter(is_leader=True)
    if kind == AudienceKind.YOUTH:
        return base.youth(today)
    if kind == AudienceKind.COMMITTEE:
        from partyedu.meetings.models import CommitteeBody, CommitteeMember

        seats = CommitteeMember.objects.filter(
            subtree_q(org.path, "organization__path"),
            body=CommitteeBody.BRANCH_COMMITTEE,
            started_on__lte=today,
            ended_on__isnull=True,
        ).values("member_id")
        return base.filter(pk__in=seats)
    if kind == AudienceKind.PICKED:
        return base.filter(pk__in=plan.picked.values("pk"))
    return base
