"""积分制管理: versioned rules and an append-only ledger.

A rule is never changed in place once in force: a change closes the version (`valid_to`) and opens the next one of
the same `series`, so points already earned keep the rule they were earned under. Every credit names its source
(`source_key`); one source earns once (a unique constraint), and a correction is a further entry that points at
the one it corrects. The database refuses UPDATE and DELETE on the ledger (triggers in migration 0002).
`PointsTotal` is the maintained sum per member and period, `OrgPointsTotal` per organisation and period; both are
proved against the ledger by `partyedu points_check`.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone


class EventKind(models.TextChoices):
    MEETING_ATTENDED = "meeting_attended", "参加组织生活"
    MEETING_ABSENT = "meeting_absent", "无故缺席组织生活"
    MATERIAL_COMPLETED = "material_completed", "完成学习资料"
    DAILY_TEST = "daily_test", "每日测试"
    EXAM_PASSED = "exam_passed", "考试合格"
    COMPETITION_PLACING = "competition_placing", "知识竞赛获奖"
    TRAINING_COMPLETED = "training_completed", "培训班结业"
    REFLECTION_APPROVED = "reflection_approved", "心得体会审核通过"
    LECTURE_GIVEN = "lecture_given", "讲党课"
    VOLUNTEER_HOUR = "volunteer_hour", "志愿服务（每小时）"
    SERVICE_ITEM_DONE = "service_item_done", "办实事项目办结"
    WISH_FULFILLED = "wish_fulfilled", "认领并完成微心愿"
    HONOUR = "honour", "获得表彰"
    MANUAL_AWARD = "manual_award", "手动加分"
    MANUAL_DEDUCTION = "manual_deduction", "手动扣分"


class PointsMode(models.TextChoices):
    FIXED = "fixed", "固定分值"
    PER_UNIT = "per_unit", "按数量（分值×数量）"
    BY_SCORE = "by_score", "按成绩（分值×得分率）"


class PointsRule(models.Model):
    series = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    event_kind = models.CharField("事项", max_length=32, choices=EventKind.choices)
    name = models.CharField("规则名称", max_length=100)
    mode = models.CharField("计分方式", max_length=16, choices=PointsMode.choices, default=PointsMode.FIXED)
    points = models.DecimalField("分值", max_digits=6, decimal_places=2)
    daily_cap = models.DecimalField("每日上限", max_digits=7, decimal_places=2, null=True, blank=True)
    yearly_cap = models.DecimalField("年度上限", max_digits=8, decimal_places=2, null=True, blank=True)
    # The organisation whose members the rule applies to (the 工委 for the county); NULL: everyone.
    scope = models.ForeignKey(
        "orgs.Organization",
        verbose_name="适用范围",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="该日起不再适用")
    basis = models.CharField("依据/说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["event_kind", "series", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="points_rule_valid_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.valid_from:%Y-%m-%d}起）"


class EntryKind(models.TextChoices):
    CREDIT = "credit", "计分"
    CORRECTION = "correction", "更正"


class PointsEntry(models.Model):
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="points_entries")
    # The member's organisation when the entry was written (a correction: that of the entry it corrects). The
    # organisation totals are kept by it, so they are a function of the ledger alone (see OrgPointsTotal).
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="所在组织"
    )
    rule = models.ForeignKey(PointsRule, on_delete=models.PROTECT, related_name="entries")
    event_kind = models.CharField("事项", max_length=32, choices=EventKind.choices)
    kind = models.CharField(max_length=16, choices=EntryKind.choices, default=EntryKind.CREDIT)
    # What earned it, e.g. "attendance:meeting:12"; a source earns once per member (constraint below).
    source_key = models.CharField(max_length=100)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    points = models.DecimalField("积分", max_digits=7, decimal_places=2)
    # Before caps; with `cap_note` explaining any difference.
    requested = models.DecimalField(max_digits=7, decimal_places=2)
    cap_note = models.CharField(max_length=120, blank=True)
    occurred_at = models.DateTimeField("发生时间")
    occurred_on = models.DateField("发生日期")  # Asia/Shanghai day of occurred_at: caps count by it
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)
    reason = models.CharField("事由", max_length=200)
    operator = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "source_key"], condition=Q(kind="credit"), name="one_credit_per_source"
            ),
            models.CheckConstraint(
                condition=Q(kind="credit", corrects__isnull=True)
                | Q(kind="correction", corrects__isnull=False),
                name="correction_names_its_entry",
            ),
        ]
        indexes = [
            models.Index(fields=["member", "occurred_on"], name="points_member_day"),
            models.Index(fields=["recorded_at"], name="points_recorded"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.points} {self.reason}"


class PeriodKind(models.TextChoices):
    YEAR = "year", "年度"
    QUARTER = "quarter", "季度"
    MONTH = "month", "月度"


class PointsTotal(models.Model):
    """The sum of a member's entries in one period ("2026", "2026Q1", "2026-03"), kept with every entry."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="points_totals")
    period = models.CharField(max_length=10)
    period_kind = models.CharField(max_length=8, choices=PeriodKind.choices)
    total = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "period"], name="one_total_per_member_period")
        ]
        indexes = [models.Index(fields=["period", "-total"], name="points_period_total")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.period} {self.total}"


class OrgPointsTotal(models.Model):
    """The points an organisation's members earned in one period while they belonged to it: the sum, how many
    entries, how many members had any. Kept with every entry like `PointsTotal`, so that an organisation ranking
    reads one row per organisation instead of grouping a city's members; proved by `partyedu points_check`.

    Attribution is by the member's organisation at credit time (`PointsEntry.organization`), not his current one:
    a transfer then changes nothing here, and the totals remain a recompute of the ledger alone."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=10)
    period_kind = models.CharField(max_length=8, choices=PeriodKind.choices)
    total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    entries = models.PositiveIntegerField(default=0)
    participants = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "organization"], name="one_total_per_org_period")
        ]

    def __str__(self) -> str:
        return f"org {self.organization_id} {self.period} {self.total}"


class RankingVisibility(models.Model):
    """Who sees which ranking, set by the 工委 (one row per committee root). The defaults keep the platform from
    becoming a public scoreboard: a member sees his own points and his branch's ranking only."""

    root = models.OneToOneField("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    member_sees_branch = models.BooleanField("党员可见本支部排名", default=True)
    member_sees_unit = models.BooleanField("党员可见本单位排名", default=False)
    member_sees_county = models.BooleanField("党员可见全县排名", default=False)
    member_sees_org_ranking = models.BooleanField("党员可见组织排名", default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"ranking visibility {self.root_id}"
