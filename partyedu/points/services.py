"""Every write of 积分: rules and their versions, credits, corrections, and the maintained totals.

Modules where something happened call `award()` (or `revoke()` when it is undone) with a key naming the source;
they never write entries themselves.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from partyedu.members.models import Member

from .models import (
    EntryKind,
    EventKind,
    OrgPointsTotal,
    PeriodKind,
    PointsEntry,
    PointsMode,
    PointsRule,
    PointsTotal,
)

CENT = Decimal("0.01")
MANUAL_KINDS = {EventKind.MANUAL_AWARD, EventKind.MANUAL_DEDUCTION}


def periods_of(day: datetime.date) -> list[tuple[str, str]]:
    quarter = (day.month - 1) // 3 + 1
    return [
        (f"{day.year}", PeriodKind.YEAR),
        (f"{day.year}Q{quarter}", PeriodKind.QUARTER),
        (f"{day.year}-{day.month:02d}", PeriodKind.MONTH),
    ]


# ---------------------------------------------------------------------------------------------------------------
# Rules


def rules_in_force(on: datetime.date):
    return PointsRule.objects.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def rule_for(event_kind: str, member, on: datetime.date) -> PointsRule | None:
    """The version in force on `on` for the member: the one whose scope is nearest to his organisation."""
    path = member.organization.path
    best, best_len = None, -1
    for rule in rules_in_force(on).filter(event_kind=event_kind).select_related("scope"):
        scope_path = rule.scope.path if rule.scope_id else ""
        if path.startswith(scope_path) and len(scope_path) > best_len:
            best, best_len = rule, len(scope_path)
    return best


def _clean_rule_fields(fields: dict) -> dict:
    errors = {}
    if fields.get("event_kind") not in EventKind.values:
        errors["event_kind"] = "请选择计分事项"
    if not (fields.get("name") or "").strip():
        errors["name"] = "请填写规则名称"
    points = fields.get("points")
    if points is None:
        errors["points"] = "请填写分值"
    for cap in ("daily_cap", "yearly_cap"):
        if fields.get(cap) is not None and Decimal(fields[cap]) < 0:
            errors[cap] = "上限不能为负数"
    if errors:
        raise ValidationError(errors)
    fields["name"] = fields["name"].strip()
    return fields


@transaction.atomic
def create_rule(*, valid_from: datetime.date, by=None, **fields) -> PointsRule:
    fields = _clean_rule_fields(fields)
    return PointsRule.objects.create(valid_from=valid_from, created_by=by, **fields)


@transaction.atomic
def revise_rule(rule: PointsRule, *, valid_from: datetime.date, by=None, **changes) -> PointsRule:
    """Close `rule` the day before `valid_from` and open the next version with the changes. Points already earned
    keep the version they were earned under; a date in the past cannot be chosen once the rule has been used
    after it (that would rewrite history)."""
    rule = PointsRule.objects.select_for_update().get(pk=rule.pk)
    if rule.valid_to is not None:
        raise ValidationError("该规则版本已失效，请修改当前版本")
    if valid_from <= rule.valid_from:
        raise ValidationError({"valid_from": "新版本的生效日期须晚于当前版本的生效日期"})
    if rule.entries.filter(occurred_on__gte=valid_from).exists():
        raise ValidationError({"valid_from": "该日期之后已按当前版本计分，新版本只能从今后的日期生效"})
    fields = {
        "event_kind": rule.event_kind,
        "name": rule.name,
        "mode": rule.mode,
        "points": rule.points,
        "daily_cap": rule.daily_cap,
        "yearly_cap": rule.yearly_cap,
        "scope": rule.scope,
        "basis": rule.basis,
    }
    fields.update(changes)
    fields = _clean_rule_fields(fields)
    rule.valid_to = valid_from
    rule.save(update_fields=["valid_to"])
    return PointsRule.objects.create(series=rule.series, valid_from=valid_from, created_by=by, **fields)


@transaction.atomic
def retire_rule(rule: PointsRule, *, on: datetime.date, by=None) -> PointsRule:
    if rule.valid_to is not None:
        raise ValidationError("该规则版本已失效")
    if on <= rule.valid_from:
        raise ValidationError("停用日期须晚于生效日期")
    if rule.entries.filter(occurred_on__gte=on).exists():
        raise ValidationError("该日期之后已按此规则计分，不能从更早的日期停用")
    rule.valid_to = on
    rule.save(update_fields=["valid_to"])
    return rule


DEFAULT_RULES = [
    # event kind, name, mode, points, daily cap, yearly cap
    (EventKind.MEETING_ATTENDED, "参加三会一课等组织生活", PointsMode.FIXED, "2", None, None),
    (EventKind.MEETING_ABSENT, "无故缺席组织生活", PointsMode.FIXED, "-2", None, None),
    (EventKind.MATERIAL_COMPLETED, "完成一份学习资料", PointsMode.FIXED, "1", "3", "100"),
    (EventKind.DAILY_TEST, "每日测试（按得分率）", PointsMode.BY_SCORE, "1", "1", None),
    (EventKind.EXAM_PASSED, "考试合格", PointsMode.FIXED, "5", None, None),
    (EventKind.COMPETITION_PLACING, "知识竞赛获奖", PointsMode.FIXED, "10", None, "30"),
    (EventKind.TRAINING_COMPLETED, "培训班结业", PointsMode.FIXED, "5", None, None),
    (EventKind.REFLECTION_APPROVED, "心得体会审核通过", PointsMode.FIXED, "2", "2", "24"),
    (EventKind.LECTURE_GIVEN, "讲党课、微党课", PointsMode.FIXED, "5", None, None),
    (EventKind.VOLUNTEER_HOUR, "志愿服务", PointsMode.PER_UNIT, "1", "8", "50"),
    (EventKind.SERVICE_ITEM_DONE, "办实事项目办结", PointsMode.FIXED, "5", None, None),
    # a wish is a small kindness, not a project: the 工委 weighs it lower
    (EventKind.WISH_FULFILLED, "认领并完成微心愿", PointsMode.FIXED, "2", None, "10"),
    (EventKind.HONOUR, "获得表彰", PointsMode.FIXED, "10", None, None),
    (EventKind.MANUAL_AWARD, "党组织手动加分", PointsMode.FIXED, "10", None, None),
    (EventKind.MANUAL_DEDUCTION, "党组织手动扣分", PointsMode.FIXED, "10", None, None),
]
DEFAULT_VALID_FROM = datetime.date(2020, 1, 1)


def install_default_rules(scope=None, valid_from: datetime.date = DEFAULT_VALID_FROM) -> int:
    """The starting rules of a county (editable by the 工委 afterwards); nothing if any rule exists."""
    if PointsRule.objects.exists():
        return 0
    PointsRule.objects.bulk_create(
        PointsRule(
            event_kind=kind,
            name=name,
            mode=mode,
            points=Decimal(points),
            daily_cap=Decimal(day) if day else None,
            yearly_cap=Decimal(year) if year else None,
            scope=scope,
            valid_from=valid_from,
            basis="本县积分制管理办法（示例，可调整）",
        )
        for kind, name, mode, points, day, year in DEFAULT_RULES
    )
    return len(DEFAULT_RULES)


# ---------------------------------------------------------------------------------------------------------------
# Credits


@dataclass(frozen=True)
class Award:
    entry: PointsEntry | None
    created: bool


def _requested(rule: PointsRule, *, quantity, score_ratio, points) -> Decimal:
    if rule.event_kind in MANUAL_KINDS:
        if points is None:
            raise ValidationError("请填写分值")
        value = abs(Decimal(str(points)))
        if value == 0 or value > abs(rule.points):
            raise ValidationError(f"单次分值须在0到{abs(rule.points)}分之间")
        return -value if rule.event_kind == EventKind.MANUAL_DEDUCTION else value
    if rule.mode == PointsMode.PER_UNIT:
        return rule.points * Decimal(str(quantity or 0))
    if rule.mode == PointsMode.BY_SCORE:
        ratio = min(max(Decimal(str(score_ratio or 0)), Decimal("0")), Decimal("1"))
        return rule.points * ratio
    return rule.points


def _series_sum(member_id: int, rule: PointsRule, start: datetime.date, end: datetime.date) -> Decimal:
    return PointsEntry.objects.filter(
        member_id=member_id, rule__series=rule.series, occurred_on__gte=start, occurred_on__lte=end
    ).aggregate(s=Sum("points"))["s"] or Decimal("0")


def _apply_caps(
    member_id: int, rule: PointsRule, day: datetime.date, requested: Decimal
) -> tuple[Decimal, str]:
    if requested <= 0:
        return requested, ""
    allowed, note = requested, ""
    if rule.daily_cap is not None:
        room = max(rule.daily_cap - _series_sum(member_id, rule, day, day), Decimal("0"))
        if room < allowed:
            allowed, note = (
                room,
                f"已达每日上限{rule.daily_cap.normalize():f}分，本次计{room.normalize():f}分",
            )
    if rule.yearly_cap is not None:
        start, end = datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)
        room = max(rule.yearly_cap - _series_sum(member_id, rule, start, end), Decimal("0"))
        if room < allowed:
            allowed, note = (
                room,
                f"已达年度上限{rule.yearly_cap.normalize():f}分，本次计{room.normalize():f}分",
            )
    return allowed, note


def _period_bounds(day: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """First and last day of the year, quarter and month of `day` (the order of periods_of)."""
    q_first = datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    q_next = datetime.date(day.year + (q_first.month == 10), (q_first.month + 2) % 12 + 1, 1)
    m_next = datetime.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    one = datetime.timedelta(days=1)
    return [
        (datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)),
        (q_first, q_next - one),
        (day.replace(day=1), m_next - one),
    ]


def _new_participant(member_id: int, organization_id: int, day: datetime.date) -> list[bool]:
    """For the year, quarter and month of `day`: is a new entry the member's first in `organization_id`? One
    query on the (member, occurred_on) index; the caller holds the member's lock, so the answer stays true."""
    bounds = _period_bounds(day)
    seen = PointsEntry.objects.filter(
        member_id=member_id,
        organization_id=organization_id,
        occurred_on__gte=bounds[0][0],
        occurred_on__lte=bounds[0][1],
    ).aggregate(
        **{
            f"p{i}": Count("pk", filter=Q(occurred_on__gte=first, occurred_on__lte=last))
            for i, (first, last) in enumerate(bounds)
        }
    )
    return [not seen[f"p{i}"] for i in range(len(bounds))]


def _add_to_totals(member_id: int, organization_id: int, day: datetime.date, points: Decimal, new) -> None:
    """Add one entry to the member's and his organisation's totals of the year, quarter and month of `day`, in the
    transaction that writes the entry. `new`: from _new_participant, asked before the entry was written."""
    for (period, kind), first in zip(periods_of(day), new, strict=True):
        row, _ = PointsTotal.objects.get_or_create(
            member_id=member_id, period=period, defaults={"period_kind": kind}
        )
        PointsTotal.objects.filter(pk=row.pk).update(total=F("total") + points, entries=F("entries") + 1)
        org_row, _ = OrgPointsTotal.objects.get_or_create(
            organization_id=organization_id, period=period, defaults={"period_kind": kind}
        )
        OrgPointsTotal.objects.filter(pk=org_row.pk).update(
            total=F("total") + points,
            entries=F("entries") + 1,
            participants=F("participants") + (1 if first else 0),
        )


def award(
    member,
    event_kind: str,
    *,
    source_key: str,
    reason: str,
    occurred_at: datetime.datetime | None = None,
    quantity=None,
    score_ratio=None,
    points=None,
    operator=None,
) -> Award:
    """Credit `member` for `source_key` under the rule in force when it happened. Idempotent: the same source
    credits once, also when two requests arrive at the same moment. No rule in force: nothing is credited."""
    occurred_at = occurred_at or timezone.now()
    day = timezone.localdate(occurred_at)
    rule = rule_for(event_kind, member, day)
    if rule is None:
        return Award(None, False)
    existing = PointsEntry.objects.filter(member=member, source_key=source_key, kind=EntryKind.CREDIT).first()
    if existing is not None:
        if existing.points and net_of(existing) == 0:
            # revoked earlier (attendance changed to absent) and now true again: restore, by a further correction
            correct(
                existing, new_points=existing.points, reason=f"恢复计分：{reason}"[:200], operator=operator
            )
        return Award(existing, False)
    requested = _requested(rule, quantity=quantity, score_ratio=score_ratio, points=points).quantize(
        CENT, ROUND_HALF_UP
    )
    try:
        with transaction.atomic():
            # One member's credits are taken one at a time, so caps see every earlier credit of his.
            # His organisation as the database has it now, not as the caller's copy remembers it.
            organization_id = (
                Member.objects.select_for_update()
                .filter(pk=member.pk)
                .values_list("organization_id", flat=True)
                .first()
            )
            allowed, note = _apply_caps(member.pk, rule, day, requested)
            new = _new_participant(member.pk, organization_id, day)
            entry = PointsEntry.objects.create(
                member=member,
                organization_id=organization_id,
                rule=rule,
                event_kind=event_kind,
                source_key=source_key[:100],
                points=allowed,
                requested=requested,
                cap_note=note,
                occurred_at=occurred_at,
                occurred_on=day,
                reason=reason[:200],
                operator=operator if getattr(operator, "is_authenticated", False) else None,
            )
            _add_to_totals(member.pk, organization_id, day, allowed, new)
    except IntegrityError:
        existing = PointsEntry.objects.filter(
            member=member, source_key=source_key, kind=EntryKind.CREDIT
        ).first()
        if existing is None:
            raise
        return Award(existing, False)
    return Award(entry, True)


def net_of(entry: PointsEntry) -> Decimal:
    return entry.points + (entry.corrections.aggregate(s=Sum("points"))["s"] or Decimal("0"))


@transaction.atomic
def correct(entry: PointsEntry, *, new_points, reason: str, operator=None) -> PointsEntry | None:
    """Bring the net of a credit to `new_points` by a compensating entry (never an update). Returns the
    correction, or None when nothing changes."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写更正原因"})
    if entry.kind != EntryKind.CREDIT:
        raise ValidationError("只能更正计分记录本身")
    Member.objects.select_for_update().filter(pk=entry.member_id).values_list("pk", flat=True).first()
    delta = (Decimal(str(new_points)) - net_of(entry)).quantize(CENT, ROUND_HALF_UP)
    if delta == 0:
        return None
    # Into the organisation the credit went to, also after a transfer: the credit and its corrections net out
    # where they were counted. The member has an entry there in these periods already (the credit).
    correction = PointsEntry.objects.create(
        member_id=entry.member_id,
        organization_id=entry.organization_id,
        rule=entry.rule,
        event_kind=entry.event_kind,
        kind=EntryKind.CORRECTION,
        source_key=entry.source_key,
        corrects=entry,
        points=delta,
        requested=delta,
        occurred_at=entry.occurred_at,
        occurred_on=entry.occurred_on,
        reason=reason.strip()[:200],
        operator=operator if getattr(operator, "is_authenticated", False) else None,
    )
    _add_to_totals(entry.member_id, entry.organization_id, entry.occurred_on, delta, [False, False, False])
    return correction


def revoke(member, *, source_key: str, reason: str, operator=None) -> PointsEntry | None:
    """Undo a credit whose cause was undone (attendance changed to absent): a correction to 0."""
    entry = PointsEntry.objects.filter(member=member, source_key=source_key, kind=EntryKind.CREDIT).first()
    if entry is None:
        return None
    return correct(entry, new_points=0, reason=reason, operator=operator)


# ---------------------------------------------------------------------------------------------------------------
# The totals, proved


def _monthly(rows):
    """The ledger grouped by member, organisation and month (a few hundred thousand rows for a city's year, not
    millions): (member, organisation, year, month, sum, entries)."""
    return (
        rows.annotate(y=ExtractYear("occurred_on"), m=ExtractMonth("occurred_on"))
        .values("member_id", "organization_id", "y", "m")
        .annotate(s=Sum("points"), n=Count("pk"))
        .values_list("member_id", "organization_id", "y", "m", "s", "n")
        .order_by()
        .iterator(chunk_size=5000)
    )


def _month_periods(year: int, month: int) -> list[str]:
    return [p for p, _ in periods_of(datetime.date(year, month, 1))]


def _recompute(member_ids=None) -> tuple[dict, Counter]:
    sums: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    counts: Counter = Counter()
    rows = PointsEntry.objects.all()
    if member_ids is not None:
        rows = rows.filter(member_id__in=member_ids)
    for member_id, _org, year, month, points, n in _monthly(rows):
        for period in _month_periods(year, month):
            sums[(member_id, period)] += points
            counts[(member_id, period)] += n
    return dict(sums), counts


def recompute_totals(member_ids=None) -> dict[tuple[int, str], Decimal]:
    """Totals per (member, period) recomputed from the ledger."""
    return _recompute(member_ids)[0]


def check_totals(member_ids=None) -> list[tuple[int, str, Decimal, Decimal]]:
    """(member, period, kept, recomputed) for every total that differs from the ledger; empty when all agree."""
    expected = recompute_totals(member_ids)
    kept_rows = PointsTotal.objects.all()
    if member_ids is not None:
        kept_rows = kept_rows.filter(member_id__in=member_ids)
    kept = {(m, p): t for m, p, t in kept_rows.values_list("member_id", "period", "total")}
    problems = []
    for key in sorted(set(expected) | set(kept)):
        a, b = kept.get(key, Decimal("0")), expected.get(key, Decimal("0"))
        if a != b:
            problems.append((key[0], key[1], a, b))
    return problems


KIND_OF = {4: PeriodKind.YEAR, 6: PeriodKind.QUARTER, 7: PeriodKind.MONTH}


@transaction.atomic
def rebuild_totals(member_ids=None) -> int:
    """Rewrite the kept member totals from the ledger (after bulk seeding, or to repair what check_totals found);
    with no `member_ids`, the organisation totals too."""
    expected, counts = _recompute(member_ids)
    old = (
        PointsTotal.objects.all()
        if member_ids is None
        else PointsTotal.objects.filter(member_id__in=member_ids)
    )
    old.delete()
    PointsTotal.objects.bulk_create(
        (
            PointsTotal(
                member_id=m, period=p, period_kind=KIND_OF[len(p)], total=total, entries=counts.get((m, p), 0)
            )
            for (m, p), total in expected.items()
        ),
        batch_size=5000,
    )
    if member_ids is None:
        rebuild_org_totals()
    return len(expected)


@dataclass(frozen=True)
class OrgFigures:
    total: Decimal = Decimal("0")
    entries: int = 0
    participants: int = 0


def recompute_org_totals() -> dict[tuple[int, str], OrgFigures]:
    """Per (organisation, period): the sum, the number of entries and of distinct members, from the ledger."""
    sums: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    counts: Counter = Counter()
    members: dict[tuple[int, str], set[int]] = defaultdict(set)
    for member_id, org_id, year, month, points, n in _monthly(PointsEntry.objects.all()):
        for period in _month_periods(year, month):
            sums[(org_id, period)] += points
            counts[(org_id, period)] += n
            members[(org_id, period)].add(member_id)
    return {key: OrgFigures(sums[key], counts[key], len(members[key])) for key in sums}


def check_org_totals() -> list[tuple[int, str, OrgFigures, OrgFigures]]:
    """(organisation, period, kept, recomputed) for every organisation total that differs from the ledger."""
    expected = recompute_org_totals()
    kept = {
        (o, p): OrgFigures(t, e, n)
        for o, p, t, e, n in OrgPointsTotal.objects.values_list(
            "organization_id", "period", "total", "entries", "participants"
        )
    }
    problems = []
    for key in sorted(set(expected) | set(kept)):
        a, b = kept.get(key, OrgFigures()), expected.get(key, OrgFigures())
        if a != b:
            problems.append((key[0], key[1], a, b))
    return problems


@transaction.atomic
def rebuild_org_totals() -> int:
    expected = recompute_org_totals()
    OrgPointsTotal.objects.all().delete()
    OrgPointsTotal.objects.bulk_create(
        (
            OrgPointsTotal(
                organization_id=o,
                period=p,
                period_kind=KIND_OF[len(p)],
                total=f.total,
                entries=f.entries,
                participants=f.participants,
            )
            for (o, p), f in expected.items()
        ),
        batch_size=5000,
    )
    return len(expected)


# ---------------------------------------------------------------------------------------------------------------
# Reactions to what happened elsewhere (explicit calls from the modules, no table scans)


def sync_meeting_points(meeting, member_ids=None, *, by=None) -> None:
    """Attendance of a meeting → points: present earns 参加组织生活; absent without leave at a held meeting costs
    无故缺席; anything else (leave, not yet recorded, cancelled) holds neither. Called by meetings.services."""
    from partyedu.meetings.models import AttendanceRole, AttendanceStatus, MeetingStatus

    rows = list(meeting.attendances.select_related("member__organization"))
    if member_ids is not None:
        wanted = set(member_ids)
        rows = [row for row in rows if row.member_id in wanted]
    when = meeting.starts_at
    label = f"{meeting.get_kind_display()}：{meeting.theme}"
    cancelled = meeting.status == MeetingStatus.CANCELLED
    attended_key, absent_key = f"meeting:{meeting.pk}:attended", f"meeting:{meeting.pk}:absent"
    # What the ledger holds already for these keys, in one query: only changes are written ("全部出席" for a
    # branch of 300 is one credit each, not a credit and two revocation checks each).
    nets: dict[tuple[int, str], Decimal] = {
        (m, k): n
        for m, k, n in PointsEntry.objects.filter(
            source_key__in=[attended_key, absent_key], member_id__in=[row.member_id for row in rows]
        )
        .values("member_id", "source_key")
        .annotate(n=Sum("points"))
        .values_list("member_id", "source_key", "n")
    }
    for row in rows:
        present = not cancelled and row.status == AttendanceStatus.PRESENT
        absent = (
            not cancelled
            and row.role == AttendanceRole.ATTENDEE
            and row.status == AttendanceStatus.ABSENT
            and meeting.status == MeetingStatus.HELD
        )
        held_attended = nets.get((row.member_id, attended_key))
        held_absent = nets.get((row.member_id, absent_key))
        if present and not held_attended:
            award(
                row.member,
                EventKind.MEETING_ATTENDED,
                source_key=attended_key,
                reason=f"参加{label}",
                occurred_at=when,
            )
        elif not present and held_attended:
            revoke(row.member, source_key=attended_key, reason=f"出席情况变更：{label}", operator=by)
        if absent and not held_absent:
            award(
                row.member,
                EventKind.MEETING_ABSENT,
                source_key=absent_key,
                reason=f"无故缺席{label}",
                occurred_at=when,
                operator=by,
            )
        elif not absent and held_absent:
            revoke(row.member, source_key=absent_key, reason=f"缺席情况变更：{label}", operator=by)


def attempt_finished(attempt) -> None:
    """Quiz results → points: a daily test by its score, an exam when passed (registered in apps.ready)."""
    from partyedu.quizzes.models import QuizKind

    quiz = attempt.quiz
    when = attempt.submitted_at or timezone.now()
    if quiz.kind == QuizKind.DAILY and attempt.max_score:
        award(
            attempt.member,
            EventKind.DAILY_TEST,
            source_key=f"daily:{quiz.pk}:{attempt.day or attempt.pk}",
            reason=f"每日测试 答对{attempt.correct_count}题",
            occurred_at=when,
            score_ratio=attempt.score / attempt.max_score,
        )
    elif quiz.kind == QuizKind.EXAM and attempt.passed:
        award(
            attempt.member,
            EventKind.EXAM_PASSED,
            source_key=f"exam:{quiz.pk}",
            reason=f"{quiz.title} 考试合格",
            occurred_at=when,
        )
