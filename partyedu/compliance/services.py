"""Every write of the compliance app: rules and their versions, and the daily alerts."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from partyedu.accounts.models import Role, RoleAssignment
from partyedu.meetings.models import MeetingKind
from partyedu.meetings.services import KINDS_FOR_ORG
from partyedu.notifications.models import NotificationKind
from partyedu.notifications.services import Alert, notify_many
from partyedu.orgs.models import Organization, OrganizationKind

from . import selectors
from .models import TARGET_KINDS, ComplianceRule, RulePeriod, RuleTarget

# The defaults, from 《中国共产党支部工作条例（试行）》 (2018) and the county's field reports. The data migration
# writes the same list; this copy lets a fresh test or demo database get them back after a flush.
DEFAULT_VALID_FROM = datetime.date(2019, 1, 1)
DEFAULT_RULES = [
    (
        RuleTarget.BRANCH,
        MeetingKind.BRANCH_ASSEMBLY,
        1,
        RulePeriod.QUARTER,
        False,
        "《支部工作条例》第十五条",
    ),
    (RuleTarget.BRANCH, MeetingKind.BRANCH_COMMITTEE, 1, RulePeriod.MONTH, False, "《支部工作条例》第十五条"),
    (RuleTarget.GROUP, MeetingKind.GROUP_MEETING, 1, RulePeriod.MONTH, False, "《支部工作条例》第十五条"),
    (RuleTarget.BRANCH, MeetingKind.PARTY_LECTURE, 1, RulePeriod.QUARTER, False, "本县规定（可调整）"),
    (RuleTarget.BRANCH, MeetingKind.THEME_DAY, 1, RulePeriod.MONTH, False, "《支部工作条例》第十五条"),
    (RuleTarget.BRANCH, MeetingKind.LIFE_MEETING, 1, RulePeriod.YEAR, False, "《支部工作条例》第十七条"),
    (RuleTarget.BRANCH, MeetingKind.SITE_VISIT, 2, RulePeriod.YEAR, False, "本县规定"),
    (RuleTarget.UNIT, MeetingKind.CENTER_GROUP_STUDY, 1, RulePeriod.YEAR, True, "中心组学习列席旁听制度"),
]
MAX_COUNT = {RulePeriod.MONTH: 10, RulePeriod.QUARTER: 30, RulePeriod.YEAR: 100}


def install_default_rules(valid_from: datetime.date = DEFAULT_VALID_FROM) -> int:
    """Create the default rules on a database that has none (after a flush); returns how many were made."""
    if ComplianceRule.objects.exists():
        return 0
    ComplianceRule.objects.bulk_create(
        ComplianceRule(
            applies_to=target,
            meeting_kind=kind,
            min_count=n,
            period=period,
            requires_observer=observer,
            valid_from=valid_from,
            basis=basis,
        )
        for target, kind, n, period, observer, basis in DEFAULT_RULES
    )
    return len(DEFAULT_RULES)


def _check(applies_to: str, meeting_kind: str, min_count, period: str) -> int:
    errors = {}
    if applies_to not in RuleTarget.values:
        errors["applies_to"] = "请选择适用的组织类型"
    if meeting_kind not in MeetingKind.values:
        errors["meeting_kind"] = "请选择会议类型"
    elif applies_to in RuleTarget.values:
        held_by = [k for k in TARGET_KINDS[applies_to] if meeting_kind in KINDS_FOR_ORG[OrganizationKind(k)]]
        if not held_by:
            errors["meeting_kind"] = f"{RuleTarget(applies_to).label}不召开{MeetingKind(meeting_kind).label}"
    if period not in RulePeriod.values:
        errors["period"] = "请选择周期"
    try:
        min_count = int(min_count)
    except (TypeError, ValueError):
        errors["min_count"] = "次数应为正整数"
    else:
        if min_count < 1:
            errors["min_count"] = "次数至少为 1"
        elif period in MAX_COUNT and min_count > MAX_COUNT[period]:
            errors["min_count"] = f"{RulePeriod(period).label}至多 {MAX_COUNT[period]} 次"
    if errors:
        raise ValidationError(errors)
    return min_count


@transaction.atomic
def create_rule(
    *,
    applies_to: str,
    meeting_kind: str,
    min_count: int,
    period: str,
    valid_from: datetime.date,
    requires_observer: bool = False,
    scope: Organization | None = None,
    basis: str = "",
    by=None,
) -> ComplianceRule:
    min_count = _check(applies_to, meeting_kind, min_count, period)
    if scope is not None and scope.kind == OrganizationKind.GROUP:
        raise ValidationError({"scope": "规则的适用范围不能是党小组"})
    return ComplianceRule.objects.create(
        applies_to=applies_to,
        meeting_kind=meeting_kind,
        min_count=min_count,
        period=period,
        requires_observer=bool(requires_observer),
        scope=scope,
        valid_from=valid_from,
        basis=(basis or "").strip()[:200],
        created_by=by,
    )


@transaction.atomic
def revise_rule(
    rule: ComplianceRule,
    *,
    valid_from: datetime.date,
    min_count: int,
    period: str,
    requires_observer: bool = False,
    basis: str | None = None,
    by=None,
) -> ComplianceRule:
    """A new version of a rule from `valid_from`; the current one ends the day before. Periods that began
    earlier stay judged by the old version. Revising from the day the current version began corrects it in
    place (it was never in force on any other day)."""
    current = ComplianceRule.objects.select_for_update().get(pk=rule.pk)
    if current.valid_to is not None:
        raise ValidationError("这是已停用的历史版本，不能修改；请修改现行版本")
    min_count = _check(current.applies_to, current.meeting_kind, min_count, period)
    if valid_from < current.valid_from:
        raise ValidationError(
            {"valid_from": f"生效日期不能早于现行版本的生效日期（{current.valid_from:%Y-%m-%d}）"}
        )
    basis = current.basis if basis is None else basis.strip()[:200]
    if valid_from == current.valid_from:
        current.min_count, current.period = min_count, period
        current.requires_observer, current.basis = bool(requires_observer), basis
        current.save(update_fields=["min_count", "period", "requires_observer", "basis"])
        return current
    current.valid_to = valid_from
    current.save(update_fields=["valid_to"])
    return ComplianceRule.objects.create(
        series=current.series,
        applies_to=current.applies_to,
        meeting_kind=current.meeting_kind,
        min_count=min_count,
        period=period,
        requires_observer=bool(requires_observer),
        scope=current.scope,
        valid_from=valid_from,
        basis=basis,
        created_by=by,
    )


@transaction.atomic
def retire_rule(rule: ComplianceRule, *, on: datetime.date, by=None) -> ComplianceRule:
    """Stop a rule from a date; its past periods stay judged."""
    current = ComplianceRule.objects.select_for_update().get(pk=rule.pk)
    if current.valid_to is not None:
        raise ValidationError("该规则已停用")
    if on <= current.valid_from:
        raise ValidationError({"valid_from": f"停用日期应晚于生效日期（{current.valid_from:%Y-%m-%d}）"})
    current.valid_to = on
    current.save(update_fields=["valid_to"])
    return current


# --- alerts -------------------------------------------------------------------------------------------------
INACTIVE_NOTE = "党章规定连续六个月不参加党的组织生活……按自行脱党处理：此处仅作提醒，须由支部核实处理。"


@dataclass
class AlertSummary:
    missed: int = 0
    absences: int = 0
    inactive: int = 0
    created: int = 0


def _recipients(orgs: list[Organization]) -> dict[int, set[int]]:
    """Users to alert about each organisation: its org admins and secretaries and those of its ancestors up to
    the unit — not the 工委, which sees the board — from one query."""
    paths = {p for org in orgs for p in [*org.ancestor_paths, org.path]}
    holders = (
        RoleAssignment.objects.filter(
            revoked_at__isnull=True,
            role__in=[Role.ORG_ADMIN, Role.SECRETARY],
            organization__path__in=paths,
            user__is_active=True,
        )
        .exclude(organization__kind=OrganizationKind.WORKING_COMMITTEE)
        .values_list("user_id", "organization__path")
    )
    by_path: dict[str, set[int]] = defaultdict(set)
    for user_id, path in holders:
        by_path[path].add(user_id)
    return {org.pk: {u for p in [*org.ancestor_paths, org.path] for u in by_path.get(p, ())} for org in orgs}


def _missed_title(org: Organization, p: selectors.Judged) -> str:
    rule = p.rule
    if rule.requires_observer and rule.meeting_kind == MeetingKind.CENTER_GROUP_STUDY:
        return f"{org.name} {p.span.label} 中心组学习未安排列席旁听"
    kind = MeetingKind(rule.meeting_kind).label
    if p.held == 0:
        verb = "未开展" if rule.meeting_kind in (MeetingKind.SITE_VISIT, MeetingKind.THEME_DAY) else "未召开"
        return f"{org.name} {p.span.label} {verb}{kind}" + (
            f"（应 {p.required} 次）" if p.required > 1 else ""
        )
    return f"{org.name} {p.span.label} {kind}只开展 {p.held} 次（应 {p.required} 次）"


def send_alerts(root: Organization, on: datetime.date) -> AlertSummary:
    """Alert the org admins and secretaries about what was missed in the last completed month, quarter and
    year, and about members absent three times in a row or without organisational life for six months.
    Each alert has a key, so running the check again (it runs daily) alerts nobody twice."""
    summary = AlertSummary()
    missed: list[tuple[Organization, selectors.Judged]] = []
    for period in (RulePeriod.MONTH, RulePeriod.QUARTER, RulePeriod.YEAR):
        span = selectors.last_completed(on, period)
        board = selectors.compliance_board(root, span.year, span.param, today=on)
        missed += [
            (row.org, p) for row, _cell, p in board.missed() if p.span == span and p.rule.period == period
        ]
    absent = list(selectors.absence_streaks(root).select_related("organization", "life_stats"))
    inactive = list(selectors.inactive_members(root, on).select_related("organization", "life_stats"))
    orgs = {org.pk: org for org, _ in missed} | {m.organization_id: m.organization for m in absent + inactive}
    recipients = _recipients(list(orgs.values()))

    alerts: list[Alert] = []
    for org, p in missed:
        url = (
            reverse("compliance:cell", args=[org.pk, p.rule.pk])
            + f"?year={p.span.year}&period={p.span.param}"
        )
        body = f"规则：{p.rule.label}（{p.rule.basis or '工委规定'}）。该期实际 {p.held} 次，应 {p.required} 次。请督促落实；已开展的请在系统中补录。"
        key = f"compliance:{org.pk}:{p.rule.series.hex}:{p.span.key}"
        for user_id in recipients.get(org.pk, ()):
            alerts.append(Alert(user_id, _missed_title(org, p), body, url, NotificationKind.COMPLIANCE, key))
    summary.missed = len(missed)
    for member in absent:
        stats = member.life_stats
        last = f"最近一次参加：{stats.last_present_on:%Y-%m-%d}" if stats.last_present_on else "尚无参加记录"
        key = f"absences:{member.pk}:{stats.last_present_on or 'never'}"
        for user_id in recipients.get(member.organization_id, ()):
            alerts.append(
                Alert(
                    user_id,
                    f"{member.name}（{member.organization.name}）已连续 {stats.consecutive_absences} 次无故缺席组织生活",
                    f"{last}。请了解情况，做好谈心谈话。",
                    reverse("members:detail", args=[member.pk]),
                    NotificationKind.ABSENCES,
                    key,
                )
            )
    summary.absences = len(absent)
    for member in inactive:
        stats = getattr(member, "life_stats", None)
        last_day = stats.last_present_on if stats else None
        last = f"最近一次参加：{last_day:%Y-%m-%d}" if last_day else "尚无参加记录"
        key = f"inactive:{member.pk}:{last_day or 'never'}"
        for user_id in recipients.get(member.organization_id, ()):
            alerts.append(
                Alert(
                    user_id,
                    f"{member.name}（{member.organization.name}）已连续六个月未参加党的组织生活",
                    f"{last}。{INACTIVE_NOTE}",
                    reverse("members:detail", args=[member.pk]),
                    NotificationKind.INACTIVE,
                    key,
                )
            )
    summary.inactive = len(inactive)
    summary.created = notify_many(alerts)
    return summary
