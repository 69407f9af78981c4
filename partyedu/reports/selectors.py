"""Reads that generated documents share: an organisation's subtree in reading order, the year's held meetings,
and a user's own requests."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet

from partyedu.meetings.models import AgendaItem, Attendance, Meeting
from partyedu.orgs.models import Organization, subtree_q

from .models import GeneratedReport


def reports_of(user, limit: int = 100) -> list[GeneratedReport]:
    return list(
        GeneratedReport.objects.filter(requested_by=user)
        .select_related("organization")
        .order_by("-created_at", "-pk")[:limit]
    )


def tree_ordered(root: Organization) -> list[Organization]:
    """The subtree depth first, siblings by their `order` then name: a unit, then its first branch and that
    branch's groups, then the next branch — the order a ledger or a table of contents is read in."""
    orgs = list(Organization.objects.subtree(root))
    children: dict[int | None, list[Organization]] = {}
    for org in orgs:
        children.setdefault(org.parent_id, []).append(org)
    for siblings in children.values():
        siblings.sort(key=lambda o: (o.order, o.name, o.pk))
    result: list[Organization] = []
    stack = [root]
    while stack:
        org = stack.pop()
        result.append(org)
        stack.extend(reversed(children.get(org.pk, [])))
    return result


def year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def held_meetings(root: Organization, year: int, *, details: bool = False) -> QuerySet[Meeting]:
    """Held meetings of the subtree in that year (by local date), in date order. With `details`, agenda and
    attendance (with the members) come in two extra queries, whatever the number of meetings."""
    start, end = year_range(year)
    qs = (
        Meeting.objects.held()
        .filter(subtree_q(root.path, "organization__path"), held_on__gte=start, held_on__lt=end)
        .select_related("organization", "host", "recorder")
        .order_by("held_on", "starts_at", "pk")
    )
    if details:
        qs = qs.prefetch_related(
            Prefetch("agenda", queryset=AgendaItem.objects.order_by("order", "pk")),
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("member").order_by(
                    "role", "member__sort_key", "pk"
                ),
            ),
        )
    return qs
