"""Rules for how often each kind of organisation holds each kind of meeting, versioned by date.

A rule is never changed in place once it has been in force: editing it closes the old version (`valid_to`) and
opens a new one from a date, so that a past period is still judged by the rule that was in force then. The
versions of one rule share a `series`.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from partyedu.meetings.models import MeetingKind
from partyedu.orgs.models import Organization, OrganizationKind


class RuleTarget(models.TextChoices):
    BRANCH = "branch", "党支部"
    GROUP = "group", "党小组"
    UNIT = "unit", "单位党委/党组"
    GENERAL_BRANCH = "general_branch", "党总支"


# Which organisations a rule for each target judges. A 单位 is the agency's leading body: its 党委 or 党组.
TARGET_KINDS: dict[str, frozenset[str]] = {
    RuleTarget.BRANCH: frozenset({OrganizationKind.BRANCH}),
    RuleTarget.GROUP: frozenset({OrganizationKind.GROUP}),
    RuleTarget.UNIT: frozenset({OrganizationKind.PARTY_COMMITTEE, OrganizationKind.PARTY_LEADERSHIP_GROUP}),
    RuleTarget.GENERAL_BRANCH: frozenset({OrganizationKind.GENERAL_BRANCH}),
}


class RulePeriod(models.TextChoices):
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"
    YEAR = "year", "每年"


PERIOD_MONTHS = {RulePeriod.MONTH: 1, RulePeriod.QUARTER: 3, RulePeriod.YEAR: 12}
PERIOD_UNIT = {RulePeriod.MONTH: "月", RulePeriod.QUARTER: "季度", RulePeriod.YEAR: "年"}


class ComplianceRule(models.Model):
    series = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    applies_to = models.CharField("适用组织", max_length=20, choices=RuleTarget.choices)
    meeting_kind = models.CharField("会议类型", max_length=32, choices=MeetingKind.choices)
    min_count = models.PositiveSmallIntegerField("至少次数", default=1)
    period = models.CharField("周期", max_length=10, choices=RulePeriod.choices)
    # 列席旁听: only meetings that a superior organisation observed count (observer_count ≥ 1).
    requires_observer = models.BooleanField("须有上级列席旁听", default=False)
    # Set by the 工委 for its subtree; NULL means every organisation of the platform.
    scope = models.ForeignKey(
        Organization,
        verbose_name="适用范围",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField("生效日期")
    # The first day on which this version is no longer in force (the next version's valid_from).
    valid_to = models.DateField("失效日期", null=True, blank=True)
    basis = models.CharField("依据", max_length=200, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "组织生活规则"
        verbose_name_plural = "组织生活规则"
        ordering = ["series", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="rule_valid_to_after_from",
            ),
            models.CheckConstraint(condition=Q(min_count__gte=1), name="rule_min_count_positive"),
            models.UniqueConstraint(
                fields=["series"], condition=Q(valid_to__isnull=True), name="one_open_version_per_rule"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def kind_label(self) -> str:
        label = MeetingKind(self.meeting_kind).label
        if self.meeting_kind == MeetingKind.CENTER_GROUP_STUDY:
            label = "中心组学习"
        return label + ("（列席旁听）" if self.requires_observer else "")

    @property
    def requirement_label(self) -> str:
        return f"每{PERIOD_UNIT[self.period]}≥{self.min_count}次"

    @property
    def label(self) -> str:
        return f"{RuleTarget(self.applies_to).label}{self.kind_label}{self.requirement_label}"

    def in_force_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)
