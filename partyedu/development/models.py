"""发展党员: each person's path from 入党申请人 to 正式党员 as dated steps of 《中国共产党发展党员工作细则》, and the
interval rules (minimum / maximum time between two steps) that the 工委 may edit, versioned by date.

The member's stage and stage dates live on `members.Member`; the steps here are the evidence and the record of how
he got there. Services change the member's stage only through `members.services.update_member`.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from partyedu.members.models import Member


class StepKind(models.TextChoices):
    # Labels read as verb phrases: "李四于2026年3月1日确定为入党积极分子" is built from them.
    APPLICATION = "application", "递交入党申请书"
    TALK = "talk", "党组织派人谈话"
    ACTIVIST = "activist", "确定为入党积极分子"
    CONTACTS = "contacts", "指定培养联系人"
    REVIEW = "review", "培养教育考察（半年考察）"
    REPORT = "report", "递交思想汇报"
    CANDIDATE = "candidate", "确定为发展对象"
    INTRODUCERS = "introducers", "确定入党介绍人"
    POLITICAL_REVIEW = "political_review", "政治审查"
    TRAINING = "training", "短期集中培训"
    COMMITTEE_REVIEW = "committee_review", "支部委员会审查"
    PRE_REVIEW = "pre_review", "上级党委预审"
    VOLUNTEER_FORM = "volunteer_form", "填写入党志愿书"
    BRANCH_VOTE = "branch_vote", "支部党员大会讨论接收预备党员"
    SUPERIOR_TALK = "superior_talk", "上级党委派人谈话"
    APPROVAL = "approval", "上级党委审批接收为预备党员"
    OATH = "oath", "入党宣誓"
    PROBATION_REVIEW = "probation_review", "预备期教育考察（季度考察）"
    FULL_APPLICATION = "full_application", "递交转正申请"
    FULL_VOTE = "full_vote", "支部党员大会讨论转正"
    FULL_APPROVAL = "full_approval", "上级党委审批转正"


K = StepKind
# The one-time steps in the order the 细则 prescribes. Each needs the one before it.
SEQUENCE: list[str] = [
    K.APPLICATION,
    K.TALK,
    K.ACTIVIST,
    K.CONTACTS,
    K.CANDIDATE,
    K.INTRODUCERS,
    K.POLITICAL_REVIEW,
    K.TRAINING,
    K.COMMITTEE_REVIEW,
    K.PRE_REVIEW,
    K.VOLUNTEER_FORM,
    K.BRANCH_VOTE,
    K.SUPERIOR_TALK,
    K.APPROVAL,
    K.OATH,
    K.FULL_APPLICATION,
    K.FULL_VOTE,
    K.FULL_APPROVAL,
]
# Recurring steps and the one-time steps between which they may be recorded (after `opens`, before `closes`).
RECURRING: dict[str, tuple[str, str]] = {
    K.REVIEW: (K.ACTIVIST, K.BRANCH_VOTE),
    K.REPORT: (K.ACTIVIST, K.FULL_APPROVAL),
    K.PROBATION_REVIEW: (K.APPROVAL, K.FULL_APPROVAL),
}
# After an extended probation the 转正 steps are taken again.
REPEATED_AFTER_EXTENSION = (K.FULL_APPLICATION, K.FULL_VOTE, K.FULL_APPROVAL)
# Steps that move the member to the next stage: step → (Member.status, the date field it sets).
STAGE_OF_STEP: dict[str, tuple[str, str]] = {
    K.ACTIVIST: ("activist", "activist_on"),
    K.CANDIDATE: ("candidate", "candidate_on"),
    K.APPROVAL: ("probationary", "probationary_on"),
}
PEOPLE_STEPS = {K.CONTACTS: "培养联系人", K.INTRODUCERS: "入党介绍人"}
VOTE_STEPS = (K.BRANCH_VOTE, K.FULL_VOTE)
# 细则 第二十条: at least three days or 24 学时.
TRAINING_MIN_DAYS = 3
TRAINING_MIN_HOURS = 24
PROBATION_MONTHS = 12


class PathStatus(models.TextChoices):
    OPEN = "open", "进行中"
    COMPLETED = "completed", "已转为正式党员"
    CANCELLED = "cancelled", "已取消预备党员资格"


class Outcome(models.TextChoices):
    ON_TIME = "on_time", "按期转为正式党员"
    EXTENDED = "extended", "延长预备期"
    CANCELLED = "cancelled", "取消预备党员资格"


class DevelopmentPath(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="development_paths")
    status = models.CharField("状态", max_length=12, choices=PathStatus.choices, default=PathStatus.OPEN)
    # Months added to the one-year probation by 延长预备期 (6 to 12).
    extension_months = models.PositiveSmallIntegerField("延长预备期（月）", default=0)
    closed_on = models.DateField("结束日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "发展党员档案"
        verbose_name_plural = "发展党员档案"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="open"), name="one_open_development_path"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.get_status_display()}"


class DevelopmentStep(models.Model):
    path = models.ForeignKey(DevelopmentPath, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("环节", max_length=20, choices=StepKind.choices)
    on = models.DateField("日期")
    note = models.TextField("情况记录", blank=True)
    # Filled when a step comes later than a maximum interval allows: the record says why.
    late_reason = models.CharField("逾期说明", max_length=300, blank=True)
    # 培养联系人 / 入党介绍人: two full members.
    first_person = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="第一人"
    )
    second_person = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="第二人"
    )
    # 支部党员大会: 应到 / 实到 有表决权的正式党员, 赞成.
    voters_expected = models.PositiveSmallIntegerField("应到有表决权正式党员", null=True, blank=True)
    voters_present = models.PositiveSmallIntegerField("实到", null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField("赞成", null=True, blank=True)
    # 短期集中培训: a completed class of the training app, or days / 学时 recorded by hand.
    training_enrolment = models.ForeignKey(
        "training.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    training_days = models.PositiveSmallIntegerField("培训天数", null=True, blank=True)
    training_hours = models.DecimalField("培训学时", max_digits=5, decimal_places=1, null=True, blank=True)
    outcome = models.CharField("审批结果", max_length=12, choices=Outcome.choices, blank=True)
    extension_months = models.PositiveSmallIntegerField("延长月数", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "发展环节"
        verbose_name_plural = "发展环节"
        ordering = ["path", "on", "pk"]
        indexes = [models.Index(fields=["path", "kind", "on"], name="devstep_path_kind_on")]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class IntervalRule(models.Model):
    """At least `min_months` / at most `max_months` from the latest `from_kind` step to a `to_kind` step.

    A rule is a series of versions; the version in force on the day of the step being recorded judges it, so
    a change made today leaves steps dated before it judged as they were."""

    series = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    label = models.CharField("规则名称", max_length=120)
    from_kind = models.CharField("起算环节", max_length=20, choices=StepKind.choices)
    to_kind = models.CharField("受限环节", max_length=20, choices=StepKind.choices)
    min_months = models.PositiveSmallIntegerField("至少间隔（月）", null=True, blank=True)
    max_months = models.PositiveSmallIntegerField("至多间隔（月）", null=True, blank=True)
    basis = models.CharField("依据", max_length=200, blank=True)
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "发展党员间隔规则"
        verbose_name_plural = "发展党员间隔规则"
        ordering = ["series", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="interval_rule_valid_to_after_from",
            ),
            models.CheckConstraint(
                condition=Q(min_months__isnull=False) | Q(max_months__isnull=False),
                name="interval_rule_has_bound",
            ),
            models.UniqueConstraint(
                fields=["series"], condition=Q(valid_to__isnull=True), name="one_open_interval_rule_version"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def in_force_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    @property
    def requirement_label(self) -> str:
        parts = []
        if self.min_months is not None:
            parts.append(f"至少{self.min_months}个月")
        if self.max_months is not None:
            parts.append(f"至多{self.max_months}个月")
        return "，".join(parts)
