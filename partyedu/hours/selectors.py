"""Reads of 学时 shared by the pages, the left-behind list, the class module and reports."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr

from .models import COMMITTEE_HOURS, STATUTORY_HOURS, HoursEntry, MemberYearHours


def committee_member_ids(member_ids, year: int) -> set[int]:
    """Members who sat on a branch committee or a primary-level party committee at any time in `year`: their
    statutory minimum is 56 学时."""
    from partyedu.meetings.models import CommitteeBody, CommitteeMember

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    seats = CommitteeMember.objects.filter(body=CommitteeBody.BRANCH_COMMITTEE, started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    )
    if member_ids is not None:
        seats = seats.filter(member_id__in=member_ids)
    return set(seats.values_list("member_id", flat=True))


def required_hours(member_id: int, year: int) -> Decimal:
    return COMMITTEE_HOURS if committee_member_ids([member_id], year) else STATUTORY_HOURS


def year_hours(member_ids, year: int) -> dict[int, MemberYearHours]:
    """The yearly row of each member (missing members have none: 0 学时)."""
    return {r.member_id: r for r in MemberYearHours.objects.filter(year=year, member_id__in=member_ids)}


def entries_of(member_id: int, year: int):
    """The rows behind a member's yearly figure, newest first."""
    return HoursEntry.objects.filter(member_id=member_id, year=year).order_by("-occurred_on", "-pk")


def expected_by(year: int, required: Decimal, today: datetime.date) -> Decimal:
    """Pro-rata share of the yearly minimum due by `today` (the left-behind list's "short of 学时 so far")."""
    if today.year > year:
        return required
    if today.year < year:
        return Decimal("0")
    start = datetime.date(year, 1, 1)
    days = (datetime.date(year, 12, 31) - start).days + 1
    elapsed = (today - start).days + 1
    return (required * Decimal(elapsed) / Decimal(days)).quantize(Decimal("0.01"))


# --- pages: a member's year, an organisation's statistics --------------------------------------------------------
SOURCE_LABELS = {
    "class": "培训班",
    "meeting": "党课与集中学习",
    "study": "自学",
    "home_delivery": "送学上门",
}


@dataclass
class Item:
    """One thing that earned 学时 (one source key): its net figure and every ledger row behind it."""

    key: str
    source: str
    title: str
    occurred_on: datetime.date
    hours: Decimal
    rows: list = field(default_factory=list)

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    @property
    def corrected(self) -> bool:
        return len(self.rows) > 1

    @property
    def link(self) -> tuple[str, int] | None:
        """(url name, pk) of the record the key names, when it has a page."""
        kind, _, rest = self.key.partition(":")
        pk = rest.split(":", 1)[0]
        if not pk.isdigit():
            return None
        if kind == "meeting":
            return ("meetings:detail", int(pk))
        if kind == "home_delivery":
            return ("outreach:delivery", int(pk))
        return None


def items_of(member_id: int, year: int) -> list[Item]:
    """The member's ledger for a year, one item per source key (newest first), corrections under their item."""
    items: dict[str, Item] = {}
    for row in entries_of(member_id, year).select_related("recorded_by").order_by("pk"):
        item = items.get(row.source_key)
        if item is None:
            item = items[row.source_key] = Item(
                row.source_key, row.source, row.title, row.occurred_on, Decimal("0")
            )
        item.hours += row.hours
        item.title = row.title if row.hours > 0 else item.title
        item.rows.append(row)
    return sorted(items.values(), key=lambda i: (i.occurred_on, i.rows[0].pk), reverse=True)


def with_year_hours(qs, year: int):
    """Annotate a Member queryset with its 学时 of `year` (0 when it has none), by source, the minimum it owes
    (`required`: 56 with a branch committee seat in the year, else 32) and `met`. One LEFT JOIN and one EXISTS."""
    from partyedu.meetings.models import CommitteeBody, CommitteeMember

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    seat = CommitteeMember.objects.filter(
        member=OuterRef("pk"), body=CommitteeBody.BRANCH_COMMITTEE, started_on__lte=end
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    money = DecimalField(max_digits=7, decimal_places=2)
    zero = Value(Decimal("0"), output_field=money)
    fields = {
        "hours_total": "total",
        "hours_class": "class_hours",
        "hours_meeting": "meeting_hours",
        "hours_study": "study_hours",
        "hours_home": "home_delivery_hours",
    }
    return (
        qs.annotate(hy=FilteredRelation("year_hours", condition=Q(year_hours__year=year)))
        .annotate(
            **{name: Coalesce(F(f"hy__{col}"), zero, output_field=money) for name, col in fields.items()},
            on_committee=Exists(seat),
        )
        .annotate(
            required=Case(
                When(on_committee=True, then=Value(COMMITTEE_HOURS)),
                default=Value(STATUTORY_HOURS),
                output_field=money,
            ),
        )
        .annotate(met=ExpressionWrapper(Q(hours_total__gte=F("required")), output_field=BooleanField()))
    )


def org_members(root, year: int, *, short_only: bool = False):
    """Members on the roster of `root`'s subtree (full and probationary), annotated with their year's 学时."""
    from partyedu.members.models import Member, MemberStatus
    from partyedu.orgs.models import subtree_q

    qs = Member.objects.filter(
        subtree_q(root.path, "organization__path"),
        left_on__isnull=True,
        status__in=[MemberStatus.FULL, MemberStatus.PROBATIONARY],
    )
    qs = with_year_hours(qs, year)
    if short_only:
        qs = qs.filter(met=False)
    return qs


@dataclass
class OrgLine:
    org: object
    members: int
    met: int
    average: Decimal

    @property
    def met_rate(self) -> float | None:
        return self.met / self.members if self.members else None


def child_stats(root, year: int) -> tuple[list[OrgLine], OrgLine]:
    """Per direct child of `root` (and `root` itself for members on its own roster): members, how many reached
    their minimum, average 学时. One grouped query, plus one for the children's names."""
    from partyedu.orgs.models import Organization

    width = len(root.path) + 8
    rows = (
        org_members(root, year)
        .annotate(branch_path=Substr("organization__path", 1, width))
        .values("branch_path")
        .annotate(n=Count("pk"), n_met=Count("pk", filter=Q(met=True)), total=Sum("hours_total"))
        .order_by("branch_path")
    )
    by_path = {r["branch_path"]: r for r in rows}
    orgs = {o.path: o for o in Organization.objects.filter(parent=root)}
    orgs[root.path] = root
    lines = []
    n_all, met_all, sum_all = 0, 0, Decimal("0")
    for path, r in by_path.items():
        n_all, met_all, sum_all = n_all + r["n"], met_all + r["n_met"], sum_all + Decimal(r["total"] or 0)
        org = orgs.get(path)
        if org is not None:
            lines.append(OrgLine(org, r["n"], r["n_met"], _average(r["total"], r["n"])))
    lines.sort(key=lambda line: (line.org.pk != root.pk, line.org.order, line.org.path))
    return lines, OrgLine(root, n_all, met_all, _average(sum_all, n_all))


def _average(total, n: int) -> Decimal:
    return (Decimal(total or 0) / n).quantize(Decimal("0.01")) if n else Decimal("0")
