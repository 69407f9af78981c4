"""Every write of the development app: opening a path, recording a step (checked against order, dates and the
interval rules), and the 工委's edits of the interval rules."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partyedu.members import services as member_services
from partyedu.members.models import Member, MemberStatus

from . import selectors
from .dates import add_months, cn_date
from .models import (
    PEOPLE_STEPS,
    RECURRING,
    SEQUENCE,
    STAGE_OF_STEP,
    TRAINING_MIN_DAYS,
    TRAINING_MIN_HOURS,
    VOTE_STEPS,
    DevelopmentPath,
    DevelopmentStep,
    IntervalRule,
    Outcome,
    PathStatus,
    StepKind,
)

K = StepKind

# The defaults, from 《中国共产党发展党员工作细则》 (2014) and the county's practice. Migration 0002 writes the same
# list; this copy lets a flushed test or demo database get them back.
DEFAULT_VALID_FROM = datetime.date(2014, 6, 10)
DEFAULT_RULES = [
    # label, from, to, min months, max months, basis
    ("收到入党申请书后一个月内派人谈话", K.APPLICATION, K.TALK, None, 1, "《细则》第七条"),
    (
        "递交入党申请书满六个月后方可确定为入党积极分子",
        K.APPLICATION,
        K.ACTIVIST,
        6,
        None,
        "本县规定（可调整）",
    ),
    ("确定为入党积极分子满一年后方可确定为发展对象", K.ACTIVIST, K.CANDIDATE, 12, None, "《细则》第十四条"),
    (
        "支部党员大会讨论通过后三个月内上级党委审批",
        K.BRANCH_VOTE,
        K.APPROVAL,
        None,
        3,
        "《细则》第二十八条",
    ),
    ("预备期满一年后方可讨论转正", K.APPROVAL, K.FULL_VOTE, 12, None, "《细则》第三十二条"),
    (
        "支部党员大会讨论转正后三个月内上级党委审批",
        K.FULL_VOTE,
        K.FULL_APPROVAL,
        None,
        3,
        "《细则》第三十五条",
    ),
]


def install_default_rules(valid_from: datetime.date = DEFAULT_VALID_FROM) -> int:
    """Create the default rules on a database that has none; returns how many were made."""
    if IntervalRule.objects.exists():
        return 0
    IntervalRule.objects.bulk_create(
        IntervalRule(
            label=label,
            from_kind=a,
            to_kind=b,
            min_months=lo,
            max_months=hi,
            basis=basis,
            valid_from=valid_from,
        )
        for label, a, b, lo, hi, basis in DEFAULT_RULES
    )
    return len(DEFAULT_RULES)


# --- rules ----------------------------------------------------------------------------------------------------
def _months(value, field: str, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        months = int(value)
    except (TypeError, ValueError):
        errors[field] = "月数应为整数"
        return None
    if not 0 <= months <= 120:
        errors[field] = "月数应在 0 到 120 之间"
    return months


def _check_rule(label: str, from_kind: str, to_kind: str, min_months, max_months) -> tuple[int | None, ...]:
    errors: dict[str, str] = {}
    if not (label or "").strip():
        errors["label"] = "请填写规则名称"
    if from_kind not in StepKind.values:
        errors["from_kind"] = "请选择起算环节"
    if to_kind not in StepKind.values:
        errors["to_kind"] = "请选择受限环节"
    lo, hi = _months(min_months, "min_months", errors), _months(max_months, "max_months", errors)
    if lo is None and hi is None and not errors:
        errors["min_months"] = "至少间隔和至多间隔至少填写一项"
    if lo is not None and hi is not None and lo > hi:
        errors["max_months"] = "至多间隔不能小于至少间隔"
    if from_kind in SEQUENCE and to_kind in SEQUENCE and SEQUENCE.index(from_kind) >= SEQUENCE.index(to_kind):
        errors["to_kind"] = "受限环节应在起算环节之后"
    if errors:
        raise ValidationError(errors)
    return lo, hi


@transaction.atomic
def create_rule(
    *,
    label: str,
    from_kind: str,
    to_kind: str,
    min_months=None,
    max_months=None,
    valid_from: datetime.date,
    basis: str = "",
    by=None,
) -> IntervalRule:
    lo, hi = _check_rule(label, from_kind, to_kind, min_months, max_months)
    return IntervalRule.objects.create(
        label=label.strip()[:120],
        from_kind=from_kind,
        to_kind=to_kind,
        min_months=lo,
        max_months=hi,
        valid_from=valid_from,
        basis=(basis or "").strip()[:200],
        created_by=by,
    )


@transaction.atomic
def revise_rule(
    rule: IntervalRule,
    *,
    valid_from: datetime.date,
    min_months=None,
    max_months=None,
    label: str | None = None,
    basis: str | None = None,
    by=None,
) -> IntervalRule:
    """A new version from `valid_from`; the current one stops the day before. Steps dated earlier stay judged
    by the old version. Revising from the day the current version began corrects it in place."""
    current = IntervalRule.objects.select_for_update().get(pk=rule.pk)
    if current.valid_to is not None:
        raise ValidationError("这是已停用的历史版本，不能修改；请修改现行版本")
    label = current.label if label is None else label
    lo, hi = _check_rule(label, current.from_kind, current.to_kind, min_months, max_months)
    if valid_from < current.valid_from:
        raise ValidationError(
            {"valid_from": f"生效日期不能早于现行版本的生效日期（{current.valid_from:%Y-%m-%d}）"}
        )
    basis = current.basis if basis is None else basis.strip()[:200]
    if valid_from == current.valid_from:
        current.label, current.min_months, current.max_months, current.basis = label.strip(), lo, hi, basis
        current.save(update_fields=["label", "min_months", "max_months", "basis"])
        return current
    current.valid_to = valid_from
    current.save(update_fields=["valid_to"])
    return IntervalRule.objects.create(
        series=current.series,
        label=label.strip()[:120],
        from_kind=current.from_kind,
        to_kind=current.to_kind,
        min_months=lo,
        max_months=hi,
        valid_from=valid_from,
        basis=basis,
        created_by=by,
    )


# --- paths ----------------------------------------------------------------------------------------------------
@transaction.atomic
def open_path(
    member: Member, *, applied_on: datetime.date | None = None, by=None, note: str = ""
) -> DevelopmentPath:
    """Start a person's 发展党员 record with his application. The date is the roster's 申请入党日期 when it has
    one; a date given here fills an empty one."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if DevelopmentPath.objects.filter(member=member, status=PathStatus.OPEN).exists():
        raise ValidationError(f"{member.name}已有进行中的发展党员档案")
    if member.status == MemberStatus.FULL:
        raise ValidationError(f"{member.name}已是正式党员，无需建立发展档案")
    if member.left_on:
        raise ValidationError(f"{member.name}已不在花名册中")
    applied_on = member.applied_on or applied_on
    if applied_on is None:
        raise ValidationError({"applied_on": "请填写递交入党申请书的日期"})
    if applied_on > timezone.localdate():
        raise ValidationError({"applied_on": "日期不能晚于今天"})
    if member.applied_on is None:
        member_services.update_member(member, by=by, applied_on=applied_on)
    path = DevelopmentPath.objects.create(member=member, created_by=by)
    DevelopmentStep.objects.create(path=path, kind=K.APPLICATION, on=applied_on, note=note, recorded_by=by)
    return path


def _people_errors(member: Member, first: Member | None, second: Member | None, what: str) -> str | None:
    if first is None or second is None:
        return f"请选择两名{what}"
    if first.pk == second.pk:
        return f"两名{what}不能是同一人"
    if member.pk in (first.pk, second.pk):
        return f"{what}不能是本人"
    for person in (first, second):
        if person.status != MemberStatus.FULL or person.left_on:
            return f"{what}应为正式党员：{person.name}是{person.get_status_display()}"
    return None


def _vote_errors(expected, present, votes_for, what: str) -> str | None:
    if expected is None or present is None or votes_for is None:
        return "请填写应到、实到和赞成人数"
    if expected < 1:
        return "应到人数至少为 1"
    if present > expected:
        return "实到人数不能多于应到人数"
    if votes_for > present:
        return "赞成人数不能多于实到人数"
    if present * 2 <= expected:
        return f"到会有表决权的正式党员（{present}人）未超过应到会人数（{expected}人）的半数，不能{what}"
    if votes_for * 2 <= expected:
        return (
            f"赞成人数（{votes_for}人）未超过应到会有表决权的正式党员（{expected}人）的半数，{what}未获通过"
        )
    return None


def _training_errors(member: Member, enrolment, days, hours) -> str | None:
    if enrolment is not None:
        from partyedu.training.models import EnrolmentStatus

        if enrolment.member_id != member.pk:
            return "所选培训班不是本人参加的"
        if enrolment.status != EnrolmentStatus.COMPLETED:
            return f"“{enrolment.training_class.title}”尚未结业"
        return None
    if (days or 0) >= TRAINING_MIN_DAYS or (hours or 0) >= TRAINING_MIN_HOURS:
        return None
    return f"集中培训时间一般不少于{TRAINING_MIN_DAYS}天（不少于{TRAINING_MIN_HOURS}个学时）"


def _rule_errors(path: DevelopmentPath, steps, kind: str, on: datetime.date, late_reason: str) -> str | None:
    name = path.member.name
    for rule in selectors.rules_in_force(kind, on):
        before = [s for s in steps if s.kind == rule.from_kind and s.on <= on]
        if not before:
            continue
        start = max(s.on for s in before)
        start_label = StepKind(rule.from_kind).label
        to_label = StepKind(kind).label
        if rule.min_months is not None:
            earliest = add_months(start, rule.min_months)
            if on < earliest:
                return (
                    f"不符合规则“{rule.label}”：{name}于{cn_date(start)}{start_label}，"
                    f"最早可于{cn_date(earliest)}{to_label}"
                )
        if rule.max_months is not None and not late_reason.strip():
            latest = add_months(start, rule.max_months)
            if on > latest:
                return (
                    f"不符合规则“{rule.label}”：{name}于{cn_date(start)}{start_label}，"
                    f"最迟应于{cn_date(latest)}{to_label}；确因特殊情况逾期的，请填写逾期说明"
                )
    return None


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({"training_hours": "学时应为数字"}) from None


def _order_and_rule_error(path, state, kind: str, on: datetime.date, late_reason: str) -> dict | None:
    """What is wrong with recording `kind` on `on` after the steps of `state`: field → Chinese message."""
    label = StepKind(kind).label
    if kind in RECURRING:
        opens, closes = RECURRING[kind]
        opened = state.last_of(opens)
        if opened is None or state.done(closes):
            return {"kind": f"“{label}”应在“{StepKind(opens).label}”之后、“{StepKind(closes).label}”之前记录"}
        if on < opened.on:
            return {"on": f"{label}的日期不能早于{StepKind(opens).label}的日期（{cn_date(opened.on)}）"}
    else:
        expected = state.next_kind
        if kind != expected:
            if expected is None:
                return {"kind": "发展党员各环节均已完成"}
            return {
                "kind": f"应先记录“{StepKind(expected).label}”，再记录“{label}”（须按《细则》程序依次进行）"
            }
        last = state.last_one_time
        if last is not None and on < last.on:
            return {
                "on": f"{label}的日期不能早于上一环节“{last.get_kind_display()}”的日期（{cn_date(last.on)}）"
            }
    if kind == K.FULL_VOTE and state.extension_months:
        ends = state.probation_ends_on
        if ends and on < ends:
            return {
                "on": f"{path.member.name}的预备期已延长{state.extension_months}个月，"
                f"至{cn_date(ends)}届满，届满后方可讨论转正"
            }
    message = _rule_errors(path, state.steps, kind, on, late_reason)
    return {"on": message} if message else None


def path_errors(path: DevelopmentPath) -> list[str]:
    """Replay a path's steps in order against the order and the rules in force on each step's day: what a
    recorded history (say, the demo's, written in bulk) breaks. Empty when it is sound."""
    steps = sorted(path.steps.all(), key=lambda s: (s.on, s.pk))
    errors = []
    for i, step in enumerate(steps):
        state = selectors.PathState(path, steps[:i], replay=True)
        error = _order_and_rule_error(path, state, step.kind, step.on, step.late_reason)
        if error:
            errors.extend(f"{step.on} {step.get_kind_display()}：{m}" for m in error.values())
    return errors


@transaction.atomic
def record_step(
    path: DevelopmentPath,
    kind: str,
    on: datetime.date,
    *,
    by=None,
    note: str = "",
    late_reason: str = "",
    first_person: Member | None = None,
    second_person: Member | None = None,
    voters_expected: int | None = None,
    voters_present: int | None = None,
    votes_for: int | None = None,
    training_enrolment=None,
    training_days: int | None = None,
    training_hours=None,
    outcome: str = "",
    extension_months: int | None = None,
) -> DevelopmentStep:
    """Record one dated step. Refused, with a Chinese message, when it comes out of order, is dated in the
    future or before the step it follows, or breaks an interval rule in force on its date. Steps that move the
    member to another stage change him through the roster's own service."""
    path = DevelopmentPath.objects.select_for_update().select_related("member").get(pk=path.pk)
    member = path.member
    today = timezone.localdate()
    if kind not in StepKind.values:
        raise ValidationError({"kind": "请选择发展环节"})
    if on is None:
        raise ValidationError({"on": "请填写日期"})
    if path.status != PathStatus.OPEN:
        raise ValidationError(f"{member.name}的发展党员档案已结束（{path.get_status_display()}）")
    if on > today:
        raise ValidationError({"on": "日期不能晚于今天"})
    steps = list(path.steps.order_by("on", "pk"))
    state = selectors.PathState(path, steps)
    message = _order_and_rule_error(path, state, kind, on, late_reason or "")
    if message:
        raise ValidationError(message)

    step = DevelopmentStep(
        path=path,
        kind=kind,
        on=on,
        note=(note or "").strip(),
        late_reason=(late_reason or "").strip()[:300],
        recorded_by=by,
    )
    if kind in PEOPLE_STEPS:
        error = _people_errors(member, first_person, second_person, PEOPLE_STEPS[kind])
        if error:
            raise ValidationError({"first_person": error})
        step.first_person, step.second_person = first_person, second_person
    if kind in VOTE_STEPS:
        what = "讨论接收预备党员" if kind == K.BRANCH_VOTE else "讨论转正"
        error = _vote_errors(voters_expected, voters_present, votes_for, what)
        if error:
            raise ValidationError({"votes_for": error})
        step.voters_expected, step.voters_present, step.votes_for = voters_expected, voters_present, votes_for
    if kind == K.TRAINING:
        hours = _decimal(training_hours)
        error = _training_errors(member, training_enrolment, training_days, hours)
        if error:
            raise ValidationError({"training_days": error})
        step.training_enrolment, step.training_days, step.training_hours = (
            training_enrolment,
            training_days,
            hours,
        )
    if kind == K.FULL_APPROVAL:
        _apply_outcome(path, step, state, outcome, extension_months, by)
    step.save()
    if kind in STAGE_OF_STEP:
        status, field = STAGE_OF_STEP[kind]
        changes = {"status": status, field: on}
        if kind == K.APPROVAL:
            changes["joined_on"] = on
        member_services.update_member(member, by=by, **changes)
    return step


def _apply_outcome(path, step, state, outcome: str, extension_months, by) -> None:
    member = path.member
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "请选择审批结果：按期转正、延长预备期或取消预备党员资格"})
    step.outcome = outcome
    if outcome == Outcome.ON_TIME:
        # 预备党员转正的时间为预备期满之日 (《细则》第三十四条), not the day of the approval.
        full_on = state.probation_ends_on or step.on
        member_services.update_member(member, by=by, status=MemberStatus.FULL, full_on=min(full_on, step.on))
        path.status, path.closed_on = PathStatus.COMPLETED, step.on
    elif outcome == Outcome.EXTENDED:
        if path.extension_months:
            raise ValidationError({"outcome": "预备期只能延长一次"})
        try:
            months = int(extension_months)
        except (TypeError, ValueError):
            months = 0
        if not 6 <= months <= 12:
            raise ValidationError(
                {"extension_months": "延长预备期的时间不能少于半年，最长不超过一年（6至12个月）"}
            )
        step.extension_months = months
        path.extension_months = months
    else:
        path.status, path.closed_on = PathStatus.CANCELLED, step.on
        member_services.record_leaving(member, on=step.on, reason="取消预备党员资格", by=by)
    path.save(update_fields=["status", "closed_on", "extension_months"])
