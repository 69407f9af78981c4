"""The compliance board: which organisations held what the rules ask, period by period.

`compliance_board` is a pure read that the board page, its drill-downs, the daily alerts and later the reports all
use, so that every place shows the same numbers. It costs a fixed number of queries however large the subtree:
one for the organisations, one for the rules, one aggregate of the meetings (by organisation, kind and month,
from the counters each Meeting keeps — never from attendance rows) and two counts of members; everything else is
done in Python.

How a period is judged (the same text is in the board's 说明 box):

* A rule judges each of its periods (month, quarter, year) by the version of the rule in force on the period's
  first day. A new version takes over from its first whole period.
* An organisation created or dissolved inside a period is judged on the part it existed:
  required = round-half-up(N × days it existed ÷ days of the period). With N = 1 this means a period counts only
  if the organisation existed on at least half of its days; a yearly "≥ 2 site visits" asks one visit of a
  branch that existed between a quarter and three quarters of the year. A required count of 0 is not judged.
* A period not over yet is "in progress" (not red) until it is met; later periods are not judged.
* Meetings count by their local (Asia/Shanghai) date. Attendance rates sum the meetings' own expected and present
  counts, which were computed from membership on each meeting day, so members moving mid-period are counted where
  they were.
"""

from __future__ import annotations

import datetime
import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from uuid import UUID

from django.db import connections
from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from partyedu.accounts.access import Access, Capability
from partyedu.meetings.models import Meeting, MeetingKind, MeetingStatus
from partyedu.members.models import Member, MembershipPeriod, MemberStatus
from partyedu.orgs.models import Organization, OrganizationKind, subtree_q

from .models import PERIOD_MONTHS, TARGET_KINDS, ComplianceRule, RulePeriod, RuleTarget

MET, MISSED, PENDING, FUTURE, NA = "met", "missed", "pending", "future", "na"
STATE_LABELS = {MET: "达标", MISSED: "未达标", PENDING: "进行中", FUTURE: "未到期", NA: "不考核"}
ABSENCE_STREAK = 3
INACTIVE_MONTHS = 6
# 党章 第九条: the members this threshold is about are party members, not applicants or activists.
PARTY_MEMBER_STATUSES = (MemberStatus.FULL, MemberStatus.PROBATIONARY)
QUARTER_NAMES = "一二三四"
_TARGET_ORDER = [RuleTarget.BRANCH, RuleTarget.GROUP, RuleTarget.GENERAL_BRANCH, RuleTarget.UNIT]
_KIND_ORDER = [
    MeetingKind.BRANCH_ASSEMBLY,
    MeetingKind.BRANCH_COMMITTEE,
    MeetingKind.GROUP_MEETING,
    MeetingKind.PARTY_LECTURE,
    MeetingKind.THEME_DAY,
    MeetingKind.LIFE_MEETING,
    MeetingKind.SITE_VISIT,
    MeetingKind.CENTER_GROUP_STUDY,
]


# --- periods ------------------------------------------------------------------------------------------------
def _month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def months_before(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, _month_end(year, month + 1).day))


@dataclass(frozen=True, slots=True)
class Span:
    """One period of a rule: a month, a quarter or a year. Its dates are computed once: a county's board asks
    for them some twenty thousand times."""

    year: int
    first_month: int
    months: int  # 1, 3 or 12
    last_month: int = field(init=False, compare=False, repr=False)
    start: datetime.date = field(init=False, compare=False, repr=False)
    end: datetime.date = field(init=False, compare=False, repr=False)
    days: int = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        last = self.first_month + self.months - 1
        start, end = datetime.date(self.year, self.first_month, 1), _month_end(self.year, last)
        object.__setattr__(self, "last_month", last)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "days", (end - start).days + 1)

    @property
    def key(self) -> str:
        if self.months == 1:
            return f"{self.year}-{self.first_month:02d}"
        if self.months == 3:
            return f"{self.year}-Q{self.first_month // 3 + 1}"
        return f"{self.year}"

    @property
    def param(self) -> str:
        """The board's `period` parameter that shows exactly this span."""
        if self.months == 1:
            return f"m{self.first_month}"
        if self.months == 3:
            return f"q{self.first_month // 3 + 1}"
        return ""

    @property
    def label(self) -> str:
        if self.months == 1:
            return f"{self.year}年{self.first_month}月"
        if self.months == 3:
            return f"{self.year}年第{QUARTER_NAMES[self.first_month // 3]}季度"
        return f"{self.year}年度"

    @property
    def short_label(self) -> str:
        if self.months == 1:
            return f"{self.first_month}月"
        if self.months == 3:
            return f"{QUARTER_NAMES[self.first_month // 3]}季度"
        return "全年"


def parse_window(year, period: str | None = None) -> Span:
    """The board's window from its parameters: a year, or a quarter (q1–q4) or month (m1–m12) in it.
    Raises ValueError with a Chinese message for anything else."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValueError("年份应为数字，如 2026") from None
    if not 2000 <= year <= 2100:
        raise ValueError("年份超出范围（2000–2100）")
    period = (period or "").strip().lower()
    if not period:
        return Span(year, 1, 12)
    try:
        n = int(period[1:])
    except ValueError:
        n = 0
    if period[0] == "q" and 1 <= n <= 4:
        return Span(year, 3 * n - 2, 3)
    if period[0] == "m" and 1 <= n <= 12:
        return Span(year, n, 1)
    raise ValueError("统计期间应为全年、某季度（q1–q4）或某月（m1–m12）")


def window_choices() -> list[tuple[str, str]]:
    return [
        ("", "全年"),
        *[(f"q{q}", f"第{QUARTER_NAMES[q - 1]}季度") for q in range(1, 5)],
        *[(f"m{m}", f"{m}月") for m in range(1, 13)],
    ]


def last_completed(day: datetime.date, period: str) -> Span:
    """The last month, quarter or year that was over before `day`: what a daily check alerts about."""
    if period == RulePeriod.MONTH:
        prev = day.replace(day=1) - datetime.timedelta(days=1)
        return Span(prev.year, prev.month, 1)
    if period == RulePeriod.QUARTER:
        first = 3 * ((day.month - 1) // 3) + 1
        prev = datetime.date(day.year, first, 1) - datetime.timedelta(days=1)
        return Span(prev.year, prev.month - 2, 3)
    return Span(day.year - 1, 1, 12)


def existed_days(org: Organization, span: Span) -> int:
    """Days of the span on which the organisation existed (`dissolved_on` is its first day gone)."""
    start, stop = span.start, span.end + datetime.timedelta(days=1)
    if org.established_on and org.established_on > start:
        start = org.established_on
    if org.dissolved_on and org.dissolved_on < stop:
        stop = org.dissolved_on
    return max(0, (stop - start).days)


def required_count(min_count: int, existed: int, days: int) -> int:
    """round-half-up(min_count × existed ÷ days), in integers so that a half is always a half."""
    return (2 * min_count * existed + days) // (2 * days)


# --- the board's data ---------------------------------------------------------------------------------------
@dataclass(slots=True)
class Column:
    """One rule (all versions of one series) as the board shows it for the window."""

    series: UUID
    rule: ComplianceRule  # the version the header names: the last one in force inside the window
    spans: list[tuple[Span, ComplianceRule]]  # the periods judged in the window, each with its version
    kinds: frozenset[str]
    scope_path: str  # "" for every organisation
    multi: bool  # periods shorter than the window: a strip of months or quarters
    # per span, what judging needs, worked out once per board: (span, version, month slice, closed, started)
    plan: list[tuple] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.series.hex

    @property
    def title(self) -> str:
        return self.rule.kind_label

    @property
    def requirement(self) -> str:
        return self.rule.requirement_label

    def applies_to(self, org: Organization) -> bool:
        return org.kind in self.kinds and org.path.startswith(self.scope_path)


@dataclass(slots=True)
class Judged:
    span: Span
    rule: ComplianceRule
    required: int  # 0: the organisation existed on too little of the span to be judged
    held: int
    state: str


@dataclass(slots=True)
class Cell:
    column: Column
    periods: list[Judged] = field(default_factory=list)  # empty: the rule does not apply to this org
    held: int = 0  # meetings that count, over all the cell's periods: what the drill-down lists
    done: int = 0
    required: int = 0
    state: str = NA
    missed: int = 0

    @property
    def applicable(self) -> bool:
        return bool(self.periods)


@dataclass(slots=True)
class Row:
    org: Organization
    level: int
    cells: list[Cell]
    meetings: int = 0  # held meetings of this organisation in the window (all kinds)
    expected: int = 0
    present: int = 0
    missed: int = 0
    judged: bool = False

    @property
    def rate(self) -> float | None:
        return self.present / self.expected if self.expected else None

    @property
    def compliant(self) -> bool:
        return self.judged and self.missed == 0


@dataclass
class Board:
    root: Organization
    window: Span
    today: datetime.date
    columns: list[Column]
    rows: list[Row]
    meetings: int  # held meetings of the whole subtree in the window
    expected: int
    present: int
    absence_streaks: int
    inactive: int

    @property
    def judged_orgs(self) -> int:
        return sum(1 for r in self.rows if r.judged)

    @property
    def compliant_orgs(self) -> int:
        return sum(1 for r in self.rows if r.compliant)

    @property
    def missed_items(self) -> int:
        return sum(r.missed for r in self.rows)

    @property
    def rate(self) -> float | None:
        return self.present / self.expected if self.expected else None

    def missed(self) -> list[tuple[Row, Cell, Judged]]:
        return [
            (row, cell, p)
            for row in self.rows
            for cell in row.cells
            for p in cell.periods
            if p.state == MISSED
        ]


def _columns(
    rules: list[ComplianceRule], root: Organization, window: Span, today: datetime.date
) -> list[Column]:
    by_series: dict[UUID, list[ComplianceRule]] = defaultdict(list)
    for rule in rules:
        by_series[rule.series].append(rule)
    columns = []
    for series, versions in by_series.items():
        versions.sort(key=lambda r: r.valid_from)
        first = versions[0]
        scope_path = first.scope.path if first.scope_id else ""
        # a rule set for another part of the tree says nothing about this subtree
        if scope_path and not (scope_path.startswith(root.path) or root.path.startswith(scope_path)):
            continue
        spans: list[tuple[Span, ComplianceRule]] = []
        claimed_until: datetime.date | None = None
        for version in versions:
            months = PERIOD_MONTHS[version.period]
            for first_month in range(1, 13, months):
                span = Span(window.year, first_month, months)
                if span.last_month < window.first_month or span.first_month > window.last_month:
                    continue
                if not version.in_force_on(span.start):
                    continue
                if claimed_until and span.start <= claimed_until:
                    continue  # a new version takes over from its first whole period
                spans.append((span, version))
                claimed_until = span.end
        if not spans:
            continue
        columns.append(
            Column(
                series=series,
                rule=spans[-1][1],
                spans=spans,
                kinds=TARGET_KINDS[first.applies_to],
                scope_path=scope_path,
                multi=any(span.months < window.months for span, _ in spans),
                plan=[
                    (span, v, span.first_month, span.last_month + 1, span.end < today, span.start <= today)
                    for span, v in spans
                ],
            )
        )
    columns.sort(
        key=lambda c: (
            _TARGET_ORDER.index(c.rule.applies_to),
            _KIND_ORDER.index(c.rule.meeting_kind) if c.rule.meeting_kind in _KIND_ORDER else 99,
            c.rule.requires_observer,
            len(c.scope_path),
            str(c.series),
        )
    )
    return columns


def _rules_for(window: Span) -> list[ComplianceRule]:
    return list(
        ComplianceRule.objects.filter(valid_from__lte=datetime.date(window.year, 12, 31))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=datetime.date(window.year, 1, 1)))
        .select_related("scope")
    )


class _Month(Func):
    """The month of a date. Django's ExtractMonth calls a Python function per row on SQLite; strftime is native."""

    function = "EXTRACT"
    template = "CAST(EXTRACT(MONTH FROM %(expressions)s) AS integer)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST(strftime('%%%%m', %(expressions)s) AS integer)"
        )


# Counts of six months packed in one integer, 10 bits a month (up to 1,023 meetings of one kind in one month in
# one organisation): the database returns one row per organisation and kind instead of one per month, which
# halves the board's time on SQLite. The packing runs over a derived table so that each meeting's month is
# worked out once.
_BITS, _MASK = 10, (1 << 10) - 1
_PACKED_SQL = """
SELECT o, k,
  SUM(CASE WHEN mo < 7 THEN CAST(1 AS bigint) << ({bits} * (mo - 1)) ELSE 0 END),
  SUM(CASE WHEN mo >= 7 THEN CAST(1 AS bigint) << ({bits} * (mo - 7)) ELSE 0 END),
  SUM(CASE WHEN mo < 7 AND ob = 1 THEN CAST(1 AS bigint) << ({bits} * (mo - 1)) ELSE 0 END),
  SUM(CASE WHEN mo >= 7 AND ob = 1 THEN CAST(1 AS bigint) << ({bits} * (mo - 7)) ELSE 0 END),
  SUM(CASE WHEN mo BETWEEN {first} AND {last} THEN 1 ELSE 0 END),
  SUM(CASE WHEN mo BETWEEN {first} AND {last} THEN e ELSE 0 END),
  SUM(CASE WHEN mo BETWEEN {first} AND {last} THEN p ELSE 0 END)
FROM ({meetings}) AS held
GROUP BY o, k
"""


def _unpack(low: int, high: int) -> list[int]:
    """[_, January, …, December] from the two packed halves of a year."""
    low, high = int(low or 0), int(high or 0)  # PostgreSQL sums bigints as numeric
    return [
        0,
        *((low >> (_BITS * i)) & _MASK for i in range(6)),
        *((high >> (_BITS * i)) & _MASK for i in range(6)),
    ]


class _Counts:
    """Held meetings per organisation, kind and month of the window's year, and each organisation's attendance
    in the window, from one grouped query over the meetings' own counters."""

    def __init__(self, meetings: QuerySet[Meeting], window: Span):
        year = window.year
        held = (
            meetings.filter(
                status=MeetingStatus.HELD,
                held_on__gte=datetime.date(year, 1, 1),
                held_on__lte=datetime.date(year, 12, 31),
            )
            .order_by()
            .values(
                o=F("organization_id"),
                k=F("kind"),
                mo=_Month("held_on"),
                ob=Case(When(observer_count__gte=1, then=Value(1)), default=Value(0)),
                e=F("expected_count"),
                p=F("present_count"),
            )
        )
        inner, params = held.query.sql_with_params()
        sql = _PACKED_SQL.format(
            bits=_BITS, first=int(window.first_month), last=int(window.last_month), meetings=inner
        )
        with connections[held.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        self._packed: dict[tuple[int, str], tuple[int, int, int, int]] = {}
        self._months: dict[tuple[int, str, bool], list[int]] = {}
        # per organisation: [meetings, expected, present] in the window
        self.attendance: dict[int, list[int]] = {}
        attendance = self.attendance
        for org_id, kind, held_low, held_high, obs_low, obs_high, n, expected, present in rows:
            self._packed[(org_id, kind)] = (held_low, held_high, obs_low, obs_high)
            att = attendance.get(org_id)
            if att is None:
                att = attendance[org_id] = [0, 0, 0]
            att[0] += int(n or 0)
            att[1] += int(expected or 0)
            att[2] += int(present or 0)

    def months(self, org_id: int, kind: str, observed: bool = False) -> list[int] | None:
        """[_, January, …, December] meetings of this kind (only observed ones if asked), or None if none."""
        key = (org_id, kind, observed)
        months = self._months.get(key)
        if months is None:
            packed = self._packed.get((org_id, kind))
            if packed is None:
                return None
            months = self._months[key] = _unpack(*packed[2:]) if observed else _unpack(*packed[:2])
        return months

    def attendance_in(self, org_id: int) -> tuple[int, int, int]:
        att = self.attendance.get(org_id)
        return (att[0], att[1], att[2]) if att else (0, 0, 0)


def _whole_year(org: Organization, year: int) -> bool:
    return (org.established_on is None or org.established_on <= datetime.date(year, 1, 1)) and (
        org.dissolved_on is None or org.dissolved_on > datetime.date(year, 12, 31)
    )


def judge(org: Organization, column: Column, counts: _Counts, whole_year: bool | None = None) -> Cell:
    """One organisation against one rule over the window's periods. Written for speed: a county's board judges
    some twenty thousand periods."""
    cell = Cell(column)
    if not (org.kind in column.kinds and org.path.startswith(column.scope_path)):
        return cell
    if whole_year is None:
        whole_year = _whole_year(org, column.plan[0][0].year)
    kind = column.rule.meeting_kind
    held_by_month = counts.months(org.pk, kind)
    observed_by_month = None
    periods = cell.periods
    met = missed = pending = future = 0
    total = 0
    for span, rule, a, b, closed, started in column.plan:
        if rule.requires_observer:
            if observed_by_month is None:
                observed_by_month = counts.months(org.pk, kind, observed=True) or []
            months = observed_by_month
        else:
            months = held_by_month
        held = sum(months[a:b]) if months else 0
        if whole_year:
            required = rule.min_count
        else:
            existed = existed_days(org, span)
            required = required_count(rule.min_count, existed, span.days) if existed else 0
        if required == 0:
            state = NA
        elif held >= required:
            state = MET
            met += 1
        elif closed:
            state = MISSED
            missed += 1
        elif started:
            state = PENDING
            pending += 1
        else:
            state = FUTURE
            future += 1
        periods.append(Judged(span, rule, required, held, state))
        total += held
    cell.held = total
    cell.missed = missed
    if column.multi:
        # a period still under way counts once it is met
        cell.done, cell.required = met, met + missed
    else:
        only = periods[0]
        cell.done, cell.required = only.held, only.required
    if missed:
        cell.state = MISSED
    elif met:
        cell.state = MET
    elif pending:
        cell.state = PENDING
    elif future:
        cell.state = FUTURE
    else:
        cell.state = NA
    return cell


def _tree_sorted(orgs: list[Organization]) -> list[Organization]:
    """Depth-first, siblings by their order: the tree as the organisation page shows it."""
    keys: dict[int, tuple] = {}
    for org in sorted(orgs, key=lambda o: o.depth):
        keys[org.pk] = keys.get(org.parent_id, ()) + ((org.order, org.name, org.pk),)
    return sorted(orgs, key=lambda o: keys[o.pk])


def _existed_during(org: Organization, window: Span) -> bool:
    return (org.established_on is None or org.established_on <= window.end) and (
        org.dissolved_on is None or org.dissolved_on > window.start
    )


def members_in(root: Organization) -> QuerySet[Member]:
    """Current members of an organisation's subtree (a 党小组's own members for a group)."""
    qs = Member.objects.filter(left_on__isnull=True)
    if root.kind == OrganizationKind.GROUP:
        return qs.filter(group=root)
    return qs.filter(subtree_q(root.path, "organization__path"))


def absence_streaks(root: Organization) -> QuerySet[Member]:
    """Members whose last three (or more) expected meetings were all missed without leave."""
    return members_in(root).filter(life_stats__consecutive_absences__gte=ABSENCE_STREAK)


def inactive_members(root: Organization, today: datetime.date | None = None) -> QuerySet[Member]:
    """Party members with no organisational life for six months: not present at any meeting since the cutoff
    (or never), among those enrolled before it. Only a flag for the branch to look into: 党章 leaves the
    judgement of 自行脱党 to the organisation, never to a program."""
    cutoff = months_before(today or timezone.localdate(), INACTIVE_MONTHS)
    enrolled = MembershipPeriod.objects.filter(member=OuterRef("pk"), started_on__lte=cutoff)
    return (
        members_in(root)
        .filter(status__in=PARTY_MEMBER_STATUSES)
        .filter(Exists(enrolled))
        .filter(
            Q(life_stats__isnull=True)
            | Q(life_stats__last_present_on__isnull=True)
            | Q(life_stats__last_present_on__lt=cutoff)
        )
    )


ORG_FIELDS = (
    "pk",
    "name",
    "kind",
    "unit_name",
    "parent_id",
    "order",
    "path",
    "depth",
    "established_on",
    "dissolved_on",
)


@contextmanager
def _collector_paused():
    """A county's board allocates some 40,000 small objects; a full cyclic garbage collection triggered among
    them walks the whole process and can double the page's time. Nothing here forms cycles, so the collector
    waits until the board is built."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def compliance_board(
    root: Organization, year: int, period: str | None = None, today: datetime.date | None = None
) -> Board:
    """The board of `root`'s subtree for a year, or a quarter (q1–q4) or month (m1–m12) of it."""
    window = parse_window(year, period)
    today = today or timezone.localdate()
    orgs = list(
        Organization.objects.subtree(root)
        .filter(Q(established_on__isnull=True) | Q(established_on__lte=datetime.date(window.year, 12, 31)))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=datetime.date(window.year, 1, 1)))
        .only(*ORG_FIELDS)
    )
    columns = _columns(_rules_for(window), root, window, today)
    with _collector_paused():
        # organization IN (subtree) rather than a join: SQLite then builds one small lookup of ids
        subtree_ids = Organization.objects.subtree(root).values("pk")
        counts = _Counts(Meeting.objects.filter(organization_id__in=subtree_ids), window)
        rows: list[Row] = []
        meetings = expected = present = 0
        for org in _tree_sorted(orgs):
            n, e, p = counts.attendance_in(org.pk)
            meetings, expected, present = meetings + n, expected + e, present + p
            if not _existed_during(org, window):
                continue
            whole_year = _whole_year(org, window.year)
            cells = [judge(org, column, counts, whole_year) for column in columns]
            if not any(cell.applicable for cell in cells):
                continue
            row = Row(org=org, level=org.depth - root.depth, cells=cells, meetings=n, expected=e, present=p)
            row.missed = sum(cell.missed for cell in cells)
            # judged once some period is over or met; a row whose periods are all under way is not counted yet
            row.judged = any(cell.state in (MET, MISSED) for cell in cells)
            rows.append(row)
    return Board(
        root=root,
        window=window,
        today=today,
        columns=columns,
        rows=rows,
        meetings=meetings,
        expected=expected,
        present=present,
        absence_streaks=absence_streaks(root).count(),
        inactive=inactive_members(root, today).count(),
    )


# --- drill-downs --------------------------------------------------------------------------------------------
def column_for(
    rule: ComplianceRule, root: Organization, window: Span, today: datetime.date | None = None
) -> Column | None:
    """The board column of `rule`'s series for this window (any version of it may be named)."""
    versions = list(
        ComplianceRule.objects.filter(series=rule.series)
        .filter(valid_from__lte=datetime.date(window.year, 12, 31))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=datetime.date(window.year, 1, 1)))
        .select_related("scope")
    )
    columns = _columns(versions, root, window, today or timezone.localdate())
    return columns[0] if columns else None


def cell_detail(
    org: Organization, rule: ComplianceRule, window: Span, today: datetime.date | None = None
) -> tuple[Cell | None, dict[str, list[Meeting]]]:
    """A board cell and the meetings behind it, by period key: exactly what the cell counts."""
    today = today or timezone.localdate()
    column = column_for(rule, org, window, today)
    if column is None:
        return None, {}
    counts = _Counts(Meeting.objects.filter(organization=org), window)
    cell = judge(org, column, counts)
    by_span: dict[str, list[Meeting]] = {p.span.key: [] for p in cell.periods}
    if cell.periods:
        q = Q()
        for p in cell.periods:
            part = Q(kind=p.rule.meeting_kind, held_on__gte=p.span.start, held_on__lte=p.span.end)
            if p.rule.requires_observer:
                part &= Q(observer_count__gte=1)
            q |= part
        meetings = Meeting.objects.held().filter(organization=org).filter(q).order_by("starts_at", "pk")
        for meeting in meetings:
            for p in cell.periods:
                if p.span.start <= meeting.held_on <= p.span.end:
                    by_span[p.span.key].append(meeting)
                    break
    return cell, by_span


def held_meetings(org: Organization, window: Span, *, subtree: bool = False) -> QuerySet[Meeting]:
    """The held meetings behind an attendance rate: the organisation's own, or its whole subtree's."""
    where = subtree_q(org.path, "organization__path") if subtree else Q(organization=org)
    qs = Meeting.objects.held().filter(where, held_on__gte=window.start, held_on__lte=window.end)
    return qs.select_related("organization").order_by("organization__path", "starts_at", "pk")


# --- who may see and change -----------------------------------------------------------------------------------
def board_roots(user) -> list[Organization]:
    return Access.of(user).scope_roots(Capability.VIEW_MEMBERS)


def board_orgs(user, current: Organization | None = None) -> QuerySet[Organization]:
    """Organisations a user may pick for the board: those above the branches whose members he may see, his own
    scope and the one shown. A branch further down is reached by clicking its row (a county has 400 of them,
    too many for a list)."""
    access = Access.of(user)
    keep = Q(pk__in=[o.pk for o in access.scope_roots(Capability.VIEW_MEMBERS)])
    if current is not None:
        keep |= Q(pk=current.pk)
    return (
        access.orgs(Capability.VIEW_MEMBERS)
        .filter(~Q(kind__in=[OrganizationKind.BRANCH, OrganizationKind.GROUP]) | keep)
        .order_by("path")
    )


def can_edit_rules(user, rule: ComplianceRule | None = None) -> bool:
    """Rules are the 工委's: a committee admin (MANAGE_ORG on a top-level organisation) edits them; a rule set
    for a part of the tree also needs MANAGE_ORG on that part."""
    access = Access.of(user)
    if not any(org.parent_id is None for org in access.scope_roots(Capability.MANAGE_ORG)):
        return False
    if rule is not None and rule.scope_id is not None:
        return access.can_org(Capability.MANAGE_ORG, rule.scope)
    return True


def rule_sort_key(rule: ComplianceRule) -> tuple:
    """The board's column order: branches' rules, groups', units'; 三会一课 first; newest version first."""
    return (
        _TARGET_ORDER.index(rule.applies_to),
        _KIND_ORDER.index(rule.meeting_kind) if rule.meeting_kind in _KIND_ORDER else 99,
        str(rule.series),
        -rule.valid_from.toordinal(),
    )


def rule_versions() -> QuerySet[ComplianceRule]:
    return ComplianceRule.objects.select_related("scope", "created_by").order_by(
        "applies_to", "meeting_kind", "series", "-valid_from"
    )
