"""The left-behind list (掉队预警): members of a subtree whom learning is not reaching, with the reasons.

A member is listed for any of:
- 长期未学习: nothing of learning for more than N days (N = 30 unless chosen). "Learning" is the latest of his
  MemberYearHours.last_learning_on for this and last year (credited study, a learning meeting, a class session, a
  home delivery; study time noted even before a material is completed) and MemberLifeStats.last_present_on (any
  meeting attended). **Boundary**: learning exactly N days ago is *not* left behind; N + 1 days ago is. Never
  anything at all is left behind.
- 学时进度不足: his 学时 this year are below the pro-rata share of his statutory minimum due by today
  (hours.selectors.expected_by of 32, or 56 for a branch committee seat in the year). Exactly the share is enough.
- 未参加轮训: not enrolled (or withdrawn) in any rotation class (全员轮训) of this year.

Only full and probationary members still on the roster. Everything is one annotated queryset over Member: the
page reads one aggregate for the counts and one slice for its rows, whatever the subtree's size.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from partyedu.hours.models import COMMITTEE_HOURS, STATUTORY_HOURS
from partyedu.hours.selectors import expected_by
from partyedu.members.models import Member, MemberStatus
from partyedu.orgs.models import Organization, subtree_q

from .models import HomeDelivery

DEFAULT_DAYS = 30
DAY_CHOICES = [7, 14, 30, 60, 90, 180]
NEVER = datetime.date(1900, 1, 1)
REASON_IDLE, REASON_SHORT, REASON_ROTATION = "idle", "short", "rotation"
REASON_LABELS = {
    REASON_IDLE: "长期未学习",
    REASON_SHORT: "学时进度不足",
    REASON_ROTATION: "未参加轮训",
}
LISTED_STATUSES = [MemberStatus.FULL, MemberStatus.PROBATIONARY]


def _boolean(q: Q) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


@dataclass
class LeftBehind:
    root: Organization
    today: datetime.date
    days: int
    cutoff: datetime.date  # learning on or after this day is recent enough
    expected: dict[bool, Decimal]  # on a branch committee → 学时 due by today
    required: dict[bool, Decimal]
    members: QuerySet  # every listed member of the scope (any reason), annotated
    counts: dict[str, int] = field(default_factory=dict)

    def rows(self, reason: str = "") -> QuerySet:
        qs = self.members
        if reason in REASON_LABELS:
            qs = qs.filter(**{f"is_{reason}": True})
        return qs.select_related("organization").order_by("organization__path", "sort_key", "pk")

    def count(self, reason: str = "") -> int:
        return self.counts.get(reason if reason in REASON_LABELS else "any", 0)


def annotated_members(
    root: Organization, *, today: datetime.date, days: int = DEFAULT_DAYS, within: Organization | None = None
) -> tuple[QuerySet, datetime.date, dict[bool, Decimal], dict[bool, Decimal]]:
    """Members of `root`'s subtree (or of `within`, a part of it) with the figures and reason flags the list
    needs; not yet narrowed to the left-behind ones."""
    from partyedu.meetings.models import CommitteeBody, CommitteeMember
    from partyedu.training.selectors import rotation_enrolment_exists

    year = today.year
    cutoff = today - datetime.timedelta(days=days)
    required = {True: COMMITTEE_HOURS, False: STATUTORY_HOURS}
    expected = {k: expected_by(year, v, today) for k, v in required.items()}
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    seat = CommitteeMember.objects.filter(
        member=OuterRef("pk"), body=CommitteeBody.BRANCH_COMMITTEE, started_on__lte=end
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    scope = within or root
    never = Value(NEVER, output_field=DateField())
    money = DecimalField(max_digits=7, decimal_places=2)
    qs = (
        Member.objects.filter(
            subtree_q(scope.path, "organization__path"), left_on__isnull=True, status__in=LISTED_STATUSES
        )
        .annotate(
            hy=FilteredRelation("year_hours", condition=Q(year_hours__year=year)),
            hy_prev=FilteredRelation("year_hours", condition=Q(year_hours__year=year - 1)),
        )
        .annotate(
            hours_total=Coalesce(F("hy__total"), Value(Decimal("0"), output_field=money), output_field=money),
            learned_on=Greatest(
                Coalesce(F("hy__last_learning_on"), never),
                Coalesce(F("hy_prev__last_learning_on"), never),
                Coalesce(F("life_stats__last_present_on"), never),
                output_field=DateField(),
            ),
            on_committee=Exists(seat),
            in_rotation=rotation_enrolment_exists(year),
        )
        .annotate(
            is_idle=_boolean(Q(learned_on__lt=cutoff)),
            # one CASE on the seat rather than two conditions: the EXISTS is written (and planned) once
            is_short=_boolean(
                Q(
                    hours_total__lt=Case(
                        When(on_committee=True, then=Value(expected[True])),
                        default=Value(expected[False]),
                        output_field=money,
                    )
                )
            ),
            is_rotation=_boolean(Q(in_rotation=False)),
        )
    )
    return qs, cutoff, expected, required


@contextmanager
def planned_without_jit():
    """PostgreSQL compiles a query it estimates as expensive (the correlated EXISTS make this one look so) with
    LLVM first: seconds of compiling for a query that runs in a few hundred milliseconds. Switched off for the
    transaction of the list's queries; elsewhere a no-op."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def _reason_q(reason: str) -> Q:
    if reason == REASON_IDLE:
        return Q(is_idle=True)
    if reason == REASON_SHORT:
        return Q(is_short=True)
    return Q(is_rotation=True)


def left_behind(
    root: Organization,
    *,
    today: datetime.date,
    days: int = DEFAULT_DAYS,
    within: Organization | None = None,
) -> LeftBehind:
    """The left-behind members of `root` (narrowed to `within`, a part of it), with the count per reason."""
    qs, cutoff, expected, required = annotated_members(root, today=today, days=days, within=within)
    any_q = _reason_q(REASON_IDLE) | _reason_q(REASON_SHORT) | _reason_q(REASON_ROTATION)
    # grouped by the three flags (at most eight rows): each condition is evaluated once per member
    groups = qs.values("is_idle", "is_short", "is_rotation").annotate(n=Count("pk")).order_by()
    counts = dict.fromkeys(["any", *REASON_LABELS], 0)
    for g in groups:
        flags = {REASON_IDLE: g["is_idle"], REASON_SHORT: g["is_short"], REASON_ROTATION: g["is_rotation"]}
        for reason, flag in flags.items():
            counts[reason] += g["n"] if flag else 0
        counts["any"] += g["n"] if any(flags.values()) else 0
    return LeftBehind(
        root=root,
        today=today,
        days=days,
        cutoff=cutoff,
        expected=expected,
        required=required,
        members=qs.filter(any_q),
        counts=counts,
    )


def reasons_of(member, days: int) -> list[str]:
    """The Chinese reasons of one annotated row."""
    labels = []
    if member.is_idle:
        labels.append(f"超过{days}天未学习" if member.learned_on != NEVER else "没有学习记录")
    if member.is_short:
        labels.append(REASON_LABELS[REASON_SHORT])
    if member.is_rotation:
        labels.append("本年度未参加全员轮训")
    return labels


# --- home deliveries -------------------------------------------------------------------------------------------
def deliveries_in(org: Organization) -> QuerySet:
    return HomeDelivery.objects.filter(subtree_q(org.path, "organization__path"))


def deliveries_of(member) -> QuerySet:
    return (
        HomeDelivery.objects.filter(member=member)
        .select_related("delivered_by", "voided_by")
        .prefetch_related("materials")
        .order_by("-delivered_on", "-pk")
    )
