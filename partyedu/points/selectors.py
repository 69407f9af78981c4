"""Reads of 积分 shared by the pages, the evaluation and the benchmark: rankings, a member's entries, anomalies.

Rankings read the maintained totals (`PointsTotal`), one row per member and period, so a ranking of a city is an
index range scan on (period, total) limited to the page; organisation rankings read the kept organisation totals
(`OrgPointsTotal`), one row per organisation and period.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, F, Sum, Window
from django.db.models.functions import Rank, Substr
from django.utils import timezone

from partyedu.members.models import Member
from partyedu.orgs.models import Organization, subtree_q

from .models import EntryKind, EventKind, OrgPointsTotal, PointsEntry, PointsTotal, RankingVisibility

ACTIVE_STATUSES = ("full", "probationary")


def current_periods(today: datetime.date | None = None) -> dict[str, str]:
    today = today or timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    return {
        "year": f"{today.year}",
        "quarter": f"{today.year}Q{quarter}",
        "month": f"{today.year}-{today.month:02d}",
    }


def period_label(period: str) -> str:
    if len(period) == 4:
        return f"{period}年"
    if "Q" in period:
        year, q = period.split("Q")
        return f"{year}年第{q}季度"
    year, month = period.split("-")
    return f"{year}年{int(month)}月"


@dataclass(frozen=True)
class RankRow:
    rank: int
    member_id: int
    name: str
    organization: str
    total: Decimal


def member_ranking(root: Organization, period: str, *, limit: int = 50, offset: int = 0) -> list[RankRow]:
    """Members of `root`'s subtree by points in `period`; equal totals share a rank (1, 2, 2, 4). Members without
    any entry are not ranked. Costs the page, not the population: the (period, total) index is walked in order."""
    rows = (
        PointsTotal.objects.filter(period=period)
        .filter(subtree_q(root.path, "member__organization__path"), member__left_on__isnull=True)
        .annotate(rank=Window(Rank(), order_by=F("total").desc()))
        .order_by("-total", "member__sort_key", "member_id")
        .values_list("rank", "member_id", "member__name", "member__organization__name", "total")
    )[offset : offset + limit]
    return [RankRow(*row) for row in rows]


def _ranked_members(root: Organization):
    return Member.objects.filter(subtree_q(root.path, "organization__path"), left_on__isnull=True).values(
        "pk"
    )


def rank_of(member, root: Organization, period: str) -> tuple[int | None, int]:
    """(the member's rank in `root`'s subtree, how many are ranked): two counts on the (period, total) index,
    semi-joined with the subtree's members."""
    base = PointsTotal.objects.filter(period=period, member_id__in=_ranked_members(root))
    mine = PointsTotal.objects.filter(period=period, member=member).values_list("total", flat=True).first()
    ranked = base.count()
    if mine is None:
        return None, ranked
    return base.filter(total__gt=mine).count() + 1, ranked


@dataclass(frozen=True)
class OrgRankRow:
    organization: Organization
    members: int
    participants: int
    total: Decimal

    @property
    def average(self) -> Decimal:
        return (self.total / self.members).quantize(Decimal("0.01")) if self.members else Decimal("0")

    @property
    def participation(self) -> float:
        return self.participants * 100 / self.members if self.members else 0.0


HEAD_COUNT_SECONDS = 300
HEAD_COUNT_KEY = "points:heads"  # tests and the benchmark switch it to start from a cold cache


def head_counts(parent: Organization) -> dict[str, int]:
    """Active members (正式、预备) under each child of `parent`, by the child's path.

    The one read of an organisation ranking that still grows with the members (a city: a scan of 50,000 rows, the
    larger part of the ranking's time), for a figure that changes a few times a week: kept in the cache for five
    minutes. A transfer shows in the head count within that time; the points themselves are never cached."""
    key = f"{HEAD_COUNT_KEY}:{parent.pk}:{parent.path}"
    counts = cache.get(key)
    if counts is None:
        # Counted per organisation id (a hash aggregate over the members, no string work per member row), then
        # summed up to the children of `parent` here: a city has thousands of organisations, not 50,000.
        width = len(parent.path) + 8
        below = Organization.objects.filter(subtree_q(parent.path)).exclude(pk=parent.pk)
        path_of = dict(below.values_list("pk", "path"))
        counts: dict[str, int] = defaultdict(int)
        for organization_id, n in (
            Member.objects.filter(
                organization_id__in=below.values("pk"), left_on__isnull=True, status__in=ACTIVE_STATUSES
            )
            .order_by()
            .values("organization_id")
            .annotate(n=Count("pk"))
            .values_list("organization_id", "n")
        ):
            path = path_of.get(organization_id)  # None: an organisation created between the two reads
            if path:
                counts[path[:width]] += n
        counts = dict(counts)
        cache.set(key, counts, HEAD_COUNT_SECONDS)
    return counts


def org_ranking(parent: Organization, period: str, *, by: str = "average") -> list[OrgRankRow]:
    """The children of `parent` compared by average points per member (members with none count as 0) or by
    participation (share of members with any entry in the period).

    Reads the kept organisation totals (one row per organisation in the subtree) and the head count per child
    (cached for a few minutes, see head_counts): its cost follows the number of organisations, not of members or
    entries. The points are those earned in each organisation (see OrgPointsTotal), the head count is today's."""
    # Only what a ranking shows: a city has hundreds of units, and whole rows cost more to build than to fetch.
    children = list(
        Organization.objects.filter(parent=parent, dissolved_on__isnull=True)
        .only("pk", "name", "kind", "path", "parent_id", "depth", "order")
        .order_by("order", "name")
    )
    if not children:
        return []
    width = len(parent.path) + 8
    counts = head_counts(parent)
    sums = {
        row["branch"]: row
        for row in OrgPointsTotal.objects.filter(period=period)
        .filter(subtree_q(parent.path, "organization__path"))
        .exclude(organization=parent)
        .annotate(branch=Substr("organization__path", 1, width))
        .values("branch")
        .annotate(participants=Sum("participants"), total=Sum("total"))
    }
    result = []
    for child in children:
        members = counts.get(child.path, 0)
        row = sums.get(child.path, {})
        # A member who moved between two branches of the same unit in the period is a participant of both;
        # against today's head count that may pass 100 %, which a ranking must not show.
        participants = min(row.get("participants") or 0, members)
        result.append(OrgRankRow(child, members, participants, row.get("total") or Decimal("0")))
    key = (
        (lambda r: (r.participation, r.average))
        if by == "participation"
        else (lambda r: (r.average, r.participation))
    )
    return sorted(result, key=key, reverse=True)


def entries_of(member, period: str | None = None):
    """Every entry of a member with its rule and what it corrects: his points page, so nobody has to ask why."""
    rows = PointsEntry.objects.filter(member=member).select_related("rule", "operator", "corrects")
    if period:
        if len(period) == 4:
            rows = rows.filter(occurred_on__year=int(period))
        elif "Q" in period:
            year, q = period.split("Q")
            rows = rows.filter(occurred_on__year=int(year), occurred_on__quarter=int(q))
        else:
            year, month = period.split("-")
            rows = rows.filter(occurred_on__year=int(year), occurred_on__month=int(month))
    return rows.order_by("-occurred_at", "-pk")


def visibility_for(member) -> RankingVisibility:
    """The ranking setting that governs `member`: the one of his nearest ancestor that has one, else defaults."""
    if member is None:
        return RankingVisibility()
    path = member.organization.path
    prefixes = [path[:i] for i in range(8, len(path) + 1, 8)]
    setting = (
        RankingVisibility.objects.filter(root__path__in=prefixes)
        .select_related("root")
        .order_by("-root__depth")
        .first()
    )
    return setting or RankingVisibility()


# Kinds a member triggers himself, where scripts show up; meeting credits come in bursts by design (a secretary
# marks the whole branch present at once) and are not suspicious.
SELF_DRIVEN = (EventKind.MATERIAL_COMPLETED, EventKind.DAILY_TEST, EventKind.VOLUNTEER_HOUR)


@dataclass(frozen=True)
class Anomaly:
    kind: str  # "burst" or "same_pattern"
    member_ids: tuple[int, ...]
    day: datetime.date
    count: int
    detail: str


def anomalies(
    root: Organization,
    *,
    since: datetime.date,
    burst_count: int = 10,
    burst_minutes: int = 10,
    pattern_min: int = 4,
) -> list[Anomaly]:
    """Bursts (≥ burst_count self-driven credits of one member within burst_minutes) and identical timing
    patterns (two or more members whose self-driven credits of a day fall on exactly the same minutes)."""
    rows = (
        PointsEntry.objects.filter(
            subtree_q(root.path, "member__organization__path"),
            kind=EntryKind.CREDIT,
            event_kind__in=SELF_DRIVEN,
            occurred_on__gte=since,
        )
        .order_by("member_id", "occurred_at")
        .values_list("member_id", "occurred_on", "occurred_at")
    )
    by_member_day: dict[tuple[int, datetime.date], list[datetime.datetime]] = defaultdict(list)
    for member_id, day, moment in rows.iterator(chunk_size=5000):
        by_member_day[(member_id, day)].append(moment)
    found: list[Anomaly] = []
    window = datetime.timedelta(minutes=burst_minutes)
    patterns: dict[tuple[datetime.date, tuple[str, ...]], list[int]] = defaultdict(list)
    for (member_id, day), moments in by_member_day.items():
        start = 0
        best = 0
        for end in range(len(moments)):
            while moments[end] - moments[start] > window:
                start += 1
            best = max(best, end - start + 1)
        if best >= burst_count:
            found.append(Anomaly("burst", (member_id,), day, best, f"{burst_minutes}分钟内{best}次计分"))
        if len(moments) >= pattern_min:
            signature = tuple(timezone.localtime(m).strftime("%H:%M") for m in moments)
            patterns[(day, signature)].append(member_id)
    for (day, signature), members in patterns.items():
        if len(members) >= 2:
            found.append(
                Anomaly(
                    "same_pattern",
                    tuple(sorted(members)),
                    day,
                    len(signature),
                    f"{len(members)}人在同样的{len(signature)}个时刻计分（{signature[0]}起）",
                )
            )
    return sorted(found, key=lambda a: (a.day, a.kind), reverse=True)
