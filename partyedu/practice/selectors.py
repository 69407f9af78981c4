"""Reads of 我为群众办实事 and 微心愿, including the two that other apps use:
`member_practice_record` (development's cultivation record) and `org_service_summary` (secretary review,
scorecards)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.orgs.models import SEGMENT, Organization, subtree_q

from .models import OPEN_STATUSES, ItemStatus, Satisfaction, ServiceItem, Wish, WishStatus

OK = (Satisfaction.SATISFIED, Satisfaction.BASIC)


def satisfaction_rate(ok: int, total: int) -> Decimal | None:
    """满意率 = (满意 + 基本满意) / 评价数, in percent with one decimal; None when nobody has answered yet (no
    data is not 0%)."""
    if not total:
        return None
    return (Decimal(ok) * 100 / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def with_feedback(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        feedback_n=Count("feedback", distinct=True),
        feedback_ok=Count("feedback", filter=Q(feedback__satisfaction__in=OK), distinct=True),
        feedback_unsatisfied=Count(
            "feedback", filter=Q(feedback__satisfaction=Satisfaction.UNSATISFIED), distinct=True
        ),
    )


def items_for(user) -> QuerySet:
    """The items a worker may see: those of his subtree (members see theirs on their own page)."""
    return ServiceItem.objects.filter(Access.of(user).org_q(C.VIEW_MEMBERS, "organization__path"))


def filtered_items(user, *, status="", category="", year=None, org=None, flag="", today=None) -> QuerySet:
    today = today or timezone.localdate()
    qs = items_for(user)
    if org is not None:
        qs = qs.filter(subtree_q(org.path, "organization__path"))
    if status in ItemStatus.values:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if year:
        qs = qs.filter(starts_on__lte=datetime.date(year, 12, 31)).filter(
            Q(done_on__isnull=True) | Q(done_on__gte=datetime.date(year, 1, 1))
        )
    if flag == "overdue":
        qs = qs.filter(status__in=OPEN_STATUSES, deadline__lt=today)
    qs = with_feedback(qs)
    if flag == "unrated":
        qs = qs.filter(status=ItemStatus.DONE, feedback_n=0)
    return qs.select_related("organization").prefetch_related("responsible").order_by("-starts_on", "-pk")


def decorate(items, today=None):
    """Flags and the satisfaction rate the list shows, computed from the annotations (no query per row)."""
    today = today or timezone.localdate()
    for item in items:
        item.overdue = item.status in OPEN_STATUSES and item.deadline < today
        item.unrated = item.status == ItemStatus.DONE and not item.feedback_n
        item.rate = satisfaction_rate(item.feedback_ok, item.feedback_n)
    return items


def _ancestors(path: str) -> list[str]:
    """The path itself and its ancestors' paths."""
    return [path[:i] for i in range(SEGMENT, len(path) + 1, SEGMENT)]


def org_service_summary(org_ids, start: datetime.date, end: datetime.date) -> dict[int, dict]:
    """Per organisation id (its whole subtree): items active in [start, end], done in it, overdue at its end
    (or today, if earlier), done items rated by the people served, and the satisfaction rate of the answers.

    One query for the organisations and one grouped query for the items, whatever the number of organisations.
    Cancelled items do not count: a cancelled item is neither work done nor work owed."""
    orgs = dict(Organization.objects.filter(pk__in=list(org_ids)).values_list("path", "pk"))
    result = {
        pk: {"items": 0, "done": 0, "overdue": 0, "rated": 0, "feedback": 0, "satisfaction_rate": None}
        for pk in orgs.values()
    }
    if not orgs:
        return result
    ref = min(end, timezone.localdate())
    rows = (
        ServiceItem.objects.filter(reduce(or_, (subtree_q(p, "organization__path") for p in orgs)))
        .exclude(status=ItemStatus.CANCELLED)
        .filter(starts_on__lte=end)
        .filter(Q(done_on__isnull=True) | Q(done_on__gte=start))
        .values("pk", "organization__path", "status", "deadline", "done_on")
        .annotate(
            n=Count("feedback", distinct=True),
            ok=Count("feedback", filter=Q(feedback__satisfaction__in=OK), distinct=True),
        )
    )
    ok_sum = dict.fromkeys(result, 0)
    for row in rows:
        done = row["status"] == ItemStatus.DONE and start <= row["done_on"] <= end
        overdue = row["deadline"] < ref and (row["done_on"] is None or row["done_on"] > ref)
        for path in _ancestors(row["organization__path"]):
            pk = orgs.get(path)
            if pk is None:
                continue
            r = result[pk]
            r["items"] += 1
            r["done"] += done
            r["overdue"] += overdue
            r["rated"] += bool(done and row["n"])
            r["feedback"] += row["n"]
            ok_sum[pk] += row["ok"]
    for pk, r in result.items():
        r["satisfaction_rate"] = satisfaction_rate(ok_sum[pk], r["feedback"])
    return result


def member_practice_record(member) -> list[dict]:
    """Items he was responsible for and wishes he fulfilled, newest first: date, title, status (for the
    development app's cultivation record)."""
    record = []
    items = (
        ServiceItem.objects.filter(responsible=member)
        .exclude(status=ItemStatus.CANCELLED)
        .select_related("organization")
        .order_by("-starts_on")
    )
    for item in items:
        record.append(
            {
                "kind": "service_item",
                "kind_label": "我为群众办实事",
                "date": item.done_on or item.starts_on,
                "title": item.title,
                "status": item.status,
                "status_label": item.get_status_display(),
                "organization": item.organization.name,
                "url": reverse("practice:item", args=[item.pk]),
            }
        )
    wishes = Wish.objects.filter(
        claimed_by=member, status__in=(WishStatus.FULFILLED, WishStatus.CONFIRMED)
    ).order_by("-fulfilled_at")
    for wish in wishes:
        when = wish.confirmed_at or wish.fulfilled_at
        record.append(
            {
                "kind": "wish",
                "kind_label": "微心愿",
                "date": timezone.localdate(when) if when else None,
                "title": wish.title,
                "status": wish.status,
                "status_label": wish.get_status_display(),
                "organization": "",
                "url": reverse("practice:my_wish", args=[wish.pk]),
            }
        )
    record.sort(key=lambda r: r["date"] or datetime.date.min, reverse=True)
    return record


# --- wishes -------------------------------------------------------------------------------------------------
def wishes_for(user) -> QuerySet:
    return Wish.objects.filter(Access.of(user).org_q(C.VIEW_MEMBERS, "organization__path"))


def wishes_open_to(member) -> QuerySet:
    """Open wishes published to an organisation above or at the member's own."""
    return Wish.objects.filter(
        status=WishStatus.OPEN, organization__path__in=_ancestors(member.organization.path)
    ).select_related("organization")


def wish_visible_to_member(wish: Wish, member) -> bool:
    if member is None:
        return False
    if wish.claimed_by_id == member.pk:
        return True
    return wish.status == WishStatus.OPEN and member.organization.path.startswith(wish.organization.path)


def wish_counts(qs: QuerySet) -> dict[str, int]:
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
    return {s: counts.get(s, 0) for s in WishStatus.values}
