"""读书计划: reading lists with deadlines, assigned by an organisation to a group of its members, or kept by a
member for himself (个人学习计划).

An assigned plan names its audience by rule (a subtree, its leaders, its youth, its branch committee members, or
hand-picked members); publishing materialises the rule into `PlanAssignment` rows, so that progress is a join
over rows that exist, and a member transferred out keeps his history while dropping out of the counts. A personal
plan has one assignment: its owner's. An item is a library `Material` (done when the member's `StudyRecord` says
completed, i.e. verified study) or a paper book (done when the member marks it read with a short note).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    CLOSED = "closed", "已结束"


class AudienceKind(models.TextChoices):
    SUBTREE = "subtree", "本组织及下级全体党员"
    LEADERS = "leaders", "领导干部"
    YOUTH = "youth", "青年党员（35岁及以下）"
    COMMITTEE = "committee", "支部委员"
    PICKED = "picked", "指定人员"


class ReadingPlan(models.Model):
    title = models.CharField("计划名称", max_length=120)
    description = models.TextField("说明", blank=True)
    # Exactly one owner: an organisation (assigned plan) or a member (personal plan).
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="下达组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reading_plans",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name="本人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="personal_reading_plans",
    )
    year = models.PositiveSmallIntegerField("年度")
    deadline = models.DateField("完成期限", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    audience = models.CharField(
        "学习对象", max_length=16, choices=AudienceKind.choices, default=AudienceKind.SUBTREE, blank=True
    )
    picked = models.ManyToManyField(
        "members.Member", verbose_name="指定人员", blank=True, related_name="picked_reading_plans"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    synced_at = models.DateTimeField("最近同步学习对象", null=True, blank=True)

    class Meta:
        verbose_name = "读书计划"
        verbose_name_plural = "读书计划"
        ordering = ["-year", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organization__isnull=False) & Q(member__isnull=True))
                | (Q(organization__isnull=True) & Q(member__isnull=False)),
                name="readingplan_one_owner",
            )
        ]
        indexes = [models.Index(fields=["organization", "status"], name="readingplan_org_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_personal(self) -> bool:
        return self.member_id is not None

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def audience_label(self) -> str:
        if self.is_personal:
            return "本人"
        return self.get_audience_display()


class ReadingPlanItem(models.Model):
    """One entry of a plan: a library material, or a paper book named by title and author."""

    plan = models.ForeignKey(ReadingPlan, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField("顺序", default=0)
    material = models.ForeignKey(
        "learning.Material",
        verbose_name="学习资料",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_items",
    )
    book_title = models.CharField("书名", max_length=120, blank=True)
    book_author = models.CharField("作者", max_length=80, blank=True)
    required = models.BooleanField("必读", default=True)
    deadline = models.DateField("本项期限", null=True, blank=True)
    note = models.CharField("学习要求", max_length=200, blank=True)

    class Meta:
        verbose_name = "读书计划条目"
        verbose_name_plural = "读书计划条目"
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(material__isnull=False) & Q(book_title=""))
                | (Q(material__isnull=True) & ~Q(book_title="")),
                name="planitem_material_or_book",
            ),
            models.UniqueConstraint(
                fields=["plan", "material"], condition=Q(material__isnull=False), name="planitem_one_material"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_book(self) -> bool:
        return self.material_id is None

    @property
    def title(self) -> str:
        if self.material_id:
            return self.material.title
        return f"《{self.book_title.strip('《》')}》"

    def due(self, plan: ReadingPlan | None = None) -> datetime.date | None:
        return self.deadline or (plan or self.plan).deadline


class PlanAssignment(models.Model):
    """A member to whom a plan applies. `left_on` is set when he no longer belongs to the audience (transferred
    out, left the party, no longer a leader): the row and his readings stay, the counts no longer include him."""

    plan = models.ForeignKey(ReadingPlan, on_delete=models.CASCADE, related_name="assignments")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="plan_assignments")
    assigned_on = models.DateField("下达日期")
    left_on = models.DateField("移出日期", null=True, blank=True)

    class Meta:
        verbose_name = "计划学习对象"
        verbose_name_plural = "计划学习对象"
        constraints = [models.UniqueConstraint(fields=["plan", "member"], name="planassignment_plan_member")]
        indexes = [models.Index(fields=["member", "left_on"], name="planassignment_member")]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.member_id}"


class BookReading(models.Model):
    """A member's word that he has read a paper book of a plan, with a short note (读书笔记要点)."""

    item = models.ForeignKey(ReadingPlanItem, on_delete=models.CASCADE, related_name="readings")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="book_readings")
    read_on = models.DateField("读完日期")
    note = models.CharField("读书心得", max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "读书登记"
        verbose_name_plural = "读书登记"
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="bookreading_item_member")]
        indexes = [models.Index(fields=["member"], name="bookreading_member")]

    def __str__(self) -> str:
        return f"{self.member_id} 读完 {self.item_id}"
