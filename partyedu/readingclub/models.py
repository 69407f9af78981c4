"""读书会: a monthly themed reading session, planned a year ahead by one organisation (a unit's 党委 or the
工委) and co-hosted in rotation by the organisations of its subtree (seed 004).

The plan is made at year end for the next year, twelve months at once; each month the co-host submits its
activity plan (活动方案) and the plan's owner approves it or returns it; after the session its sections (理论学习,
专题辅导, 心得分享, 领导讲话) and the texts shared are recorded, and at the start of the next year everything is
compiled into one archive (读书会年度文集).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from partyedu.meetings.models import Meeting
from partyedu.members.models import Member
from partyedu.orgs.models import Organization


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class ReadingClubPlan(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name="主办党组织", on_delete=models.PROTECT, related_name="reading_club_plans"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("计划名称", max_length=200)
    status = models.CharField("状态", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "读书会年度计划"
        verbose_name_plural = "读书会年度计划"
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="one_reading_club_plan_per_org_year"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == PlanStatus.PUBLISHED


class MonthStatus(models.TextChoices):
    NOT_SUBMITTED = "not_submitted", "未提交方案"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已审定"
    RETURNED = "returned", "已退回"


class ReadingClubMonth(models.Model):
    plan = models.ForeignKey(ReadingClubPlan, on_delete=models.PROTECT, related_name="months")
    month = models.PositiveSmallIntegerField("月份")
    theme = models.CharField("主题", max_length=200)
    cohost = models.ForeignKey(
        Organization,
        verbose_name="协办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reading_club_cohosted",
    )
    activity_plan = models.TextField("活动方案", blank=True)
    status = models.CharField(
        "方案状态", max_length=16, choices=MonthStatus.choices, default=MonthStatus.NOT_SUBMITTED
    )
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    returned_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    return_comment = models.TextField("退回意见", blank=True)
    # The session as organisational life: attendance, minutes and sign-in live on the Meeting.
    meeting = models.ForeignKey(
        Meeting,
        verbose_name="活动记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reading_club_months",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "读书会月度安排"
        verbose_name_plural = "读书会月度安排"
        ordering = ["plan", "month"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "month"], name="one_reading_club_month"),
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(meeting__isnull=False), name="one_month_per_meeting"
            ),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="reading_club_month_1_12"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.year}年第{self.month}期：{self.theme}"

    @property
    def issue_title(self) -> str:
        """The heading of the month in pages and in the archive: 第N期 · 主题."""
        return f"第{self.month}期 · {self.theme}"


class SectionKind(models.TextChoices):
    THEORY = "theory", "理论学习"
    LECTURE = "lecture", "专题辅导"
    SHARING = "sharing", "心得分享"
    LEADER_SPEECH = "leader_speech", "领导讲话"


# The four 板块 in the order a session runs them (seed 004).
SECTION_ORDER = {kind: n for n, kind in enumerate(SectionKind)}


class ReadingClubSection(models.Model):
    month = models.ForeignKey(ReadingClubMonth, on_delete=models.PROTECT, related_name="sections")
    kind = models.CharField("板块", max_length=20, choices=SectionKind.choices)
    title = models.CharField("题目", max_length=200)
    speaker_name = models.CharField("主讲/发言人", max_length=100, blank=True)
    summary = models.TextField("内容摘要", blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "读书会板块"
        verbose_name_plural = "读书会板块"
        ordering = ["month", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"


class SharedText(models.Model):
    """A text shared at a session (心得, 发言稿), by a member or by a guest (an invited expert)."""

    month = models.ForeignKey(ReadingClubMonth, on_delete=models.PROTECT, related_name="shared_texts")
    member = models.ForeignKey(
        Member,
        verbose_name="作者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shared_texts",
    )
    # The byline as printed: the member's name when he wrote it, or a guest's name and title.
    author_name = models.CharField("作者", max_length=100)
    title = models.CharField("题目", max_length=200)
    body = models.TextField("正文")
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)

    class Meta:
        verbose_name = "交流文稿"
        verbose_name_plural = "交流文稿"
        ordering = ["month", "submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.title}（{self.author_name}）"
