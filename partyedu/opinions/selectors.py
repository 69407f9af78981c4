"""Reads of 意见建议: what a user sees, and reply figures per organisation."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.orgs.models import SEGMENT, Organization, subtree_q

from .models import Opinion


def opinions_for(user):
    """Workers: what was received in, or assigned to, their subtree. A member: what was assigned to him."""
    access = Access.of(user)
    qs = Opinion.objects.select_related("organization", "assignee_org", "assignee_member")
    if access.is_superuser:
        return qs
    q = access.org_q(C.VIEW_MEMBERS, "organization__path") | access.org_q(
        C.VIEW_MEMBERS, "assignee_org__path"
    )
    if access.member_id:
        q |= Q(assignee_member_id=access.member_id)
    return qs.filter(q)


def may_see_contact(user, opinion: Opinion) -> bool:
    """The giver's contact is for the workers of the receiving organisation (and above) only."""
    access = Access.of(user)
    return access.is_worker and access.can_org(C.VIEW_MEMBERS, opinion.organization)


def may_handle(user, opinion: Opinion) -> bool:
    """Reply and close: workers of the receiving or the assigned organisation, or the assigned member."""
    access = Access.of(user)
    if access.can_org(C.CHANGE_MEMBERS, opinion.organization):
        return True
    if opinion.assignee_org_id and access.can_org(C.CHANGE_MEMBERS, opinion.assignee_org):
        return True
    return bool(access.member_id and access.member_id == opinion.assignee_member_id)


def reply_stats(
    org_ids, start: datetime.date, end: datetime.date, today: datetime.date | None = None
) -> dict[int, dict]:
    """Per organisation (its whole subtree, by the organisation that received the opinion), for opinions received
    from `start` to `end` (both included):
    received, replied, reply_rate (% or None), avg_reply_days (or None), on_time (replied by the due date),
    overdue (not replied and past the due date, as of `today`). One query however many organisations."""
    today = today or timezone.localdate()
    orgs = list(Organization.objects.filter(pk__in=list(org_ids)).only("pk", "path"))
    result = {o.pk: _empty() for o in orgs}
    if not orgs:
        return result
    q = Q(pk__in=[])
    for o in orgs:
        q |= subtree_q(o.path, "organization__path")
    rows = list(
        Opinion.objects.filter(q, received_on__gte=start, received_on__lte=end).values_list(
            "organization__path", "received_on", "replied_at", "due_on"
        )
    )
    # each opinion counts for every asked organisation on its path (one pass over the rows, not one per org)
    asked = {o.path: o.pk for o in orgs}
    days: dict[int, list[int]] = {o.pk: [] for o in orgs}
    for path, received_on, replied_at, due_on in rows:
        prefixes = (path[:n] for n in range(SEGMENT, len(path) + 1, SEGMENT))
        for pk in [asked[p] for p in prefixes if p in asked]:
            figures = result[pk]
            figures["received"] += 1
            if replied_at is not None:
                figures["replied"] += 1
                replied_on = timezone.localdate(replied_at)
                days[pk].append((replied_on - received_on).days)
                if due_on is None or replied_on <= due_on:
                    figures["on_time"] += 1
            elif due_on is not None and due_on < today:
                figures["overdue"] += 1
    for pk, figures in result.items():
        if figures["received"]:
            figures["reply_rate"] = round(figures["replied"] * 100 / figures["received"], 1)
        if days[pk]:
            figures["avg_reply_days"] = round(sum(days[pk]) / len(days[pk]), 1)
    return result


def _empty() -> dict:
    return {
        "received": 0,
        "replied": 0,
        "reply_rate": None,
        "avg_reply_days": None,
        "on_time": 0,
        "overdue": 0,
    }
