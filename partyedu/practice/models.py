"""我为群众办实事 and 微心愿.

A `ServiceItem` is one line of an organisation's 实事清单 or 项目清单: planned, carried out over time (dated
`ProgressNote`s make a long-term mechanism visible as a timeline rather than a one-off), finished (办结) with a
result, and judged by the people it served through one-time feedback links.

Anonymity of feedback: a `FeedbackToken` is a one-time link; a `Feedback` has a random primary key, no time and
no reference to its token, and the token keeps only "used" — nothing stored leads from a response to a link
(the same design as evaluation's MassToken/MassResponse).

A `Wish` (微心愿) is posted by a worker on behalf of a resident whose contact details only workers of the
organisation see; one member claims it, fulfils it with evidence, and the worker confirms it.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone


class ListKind(models.TextChoices):
    SHISHI = "shishi", "实事清单"
    PROJECT = "project", "项目清单"


class Category(models.TextChoices):
    PUBLIC_SERVICE = "public_service", "为民服务"
    ENTERPRISE = "enterprise", "助企纾困"
    LIVELIHOOD = "livelihood", "民生保障"
    GOVERNANCE = "governance", "基层治理"
    VOLUNTEER = "volunteer", "志愿服务"
    OTHER = "other", "其他"


class ItemStatus(models.TextChoices):
    PLANNED = "planned", "计划中"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已办结"
    CANCELLED = "cancelled", "已取消"


OPEN_STATUSES = (ItemStatus.PLANNED, ItemStatus.IN_PROGRESS)


class ServiceItem(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="责任党组织", on_delete=models.PROTECT, related_name="+"
    )
    list_kind = models.CharField("清单类别", max_length=10, choices=ListKind.choices, default=ListKind.SHISHI)
    title = models.CharField("事项名称", max_length=120)
    description = models.TextField("事项内容", blank=True)
    plan = models.TextField("计划措施", blank=True)
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    beneficiaries = models.CharField("受益群众", max_length=200, blank=True)
    beneficiary_count = models.PositiveIntegerField("受益人数", null=True, blank=True)
    responsible = models.ManyToManyField(
        "members.Member", verbose_name="责任人", related_name="service_items", blank=True
    )
    starts_on = models.DateField("开始日期")
    deadline = models.DateField("完成时限")
    status = models.CharField("状态", max_length=12, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    done_on = models.DateField("办结日期", null=True, blank=True)
    result_summary = models.TextField("办结成效", blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "status"], name="practice_item_org_status"),
            models.Index(fields=["status", "deadline"], name="practice_item_status_deadline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("starts_on")), name="item_deadline_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False), name="item_done_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status in OPEN_STATUSES and self.deadline < today


class ProgressNote(models.Model):
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="progress")
    on = models.DateField("日期")
    text = models.TextField("进展情况")
    author = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.on}"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class FeedbackToken(models.Model):
    """A one-time link for one resident about one item. Only its hash is kept, and no time of use."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="feedback_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)
    issued_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"feedback token {self.pk}"


class Feedback(models.Model):
    # A random key and no timestamp: neither order nor time of responses can be matched to the tokens.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="feedback")
    satisfaction = models.CharField("满意度", max_length=12, choices=Satisfaction.choices)
    comment = models.CharField("意见建议", max_length=300, blank=True)

    def __str__(self) -> str:
        return f"feedback on {self.item_id}"


class WishStatus(models.TextChoices):
    OPEN = "open", "待认领"
    CLAIMED = "claimed", "已认领"
    FULFILLED = "fulfilled", "待确认"
    CONFIRMED = "confirmed", "已完成"
    WITHDRAWN = "withdrawn", "已撤回"


class WishCategory(models.TextChoices):
    MATERIAL = "material", "物资帮扶"
    STUDY = "study", "助学圆梦"
    ELDERLY = "elderly", "关爱老人"
    CHILDREN = "children", "关爱儿童"
    SERVICE = "service", "便民服务"
    OTHER = "other", "其他"


class Wish(models.Model):
    # Published to the members of this organisation's subtree; its workers post, confirm and see the contact.
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="发布党组织", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("心愿", max_length=80)
    text = models.TextField("心愿内容", blank=True)
    category = models.CharField(
        "类别", max_length=12, choices=WishCategory.choices, default=WishCategory.MATERIAL
    )
    budget = models.DecimalField("预计金额（元）", max_digits=8, decimal_places=2, null=True, blank=True)
    resident_name = models.CharField("群众姓名", max_length=40)
    community = models.CharField("所在社区（村）", max_length=80)
    resident_phone = models.CharField("联系电话", max_length=20, blank=True)
    status = models.CharField("状态", max_length=12, choices=WishStatus.choices, default=WishStatus.OPEN)
    claimed_by = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="claimed_wishes"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    fulfil_note = models.TextField("完成情况", blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=200, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdraw_reason = models.CharField("撤回原因", max_length=200, blank=True)
    posted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "organization"], name="practice_wish_status_org")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "withdrawn"]) | Q(claimed_by__isnull=False),
                name="wish_claimed_has_member",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def masked_name(self) -> str:
        """What members see of the resident: the surname only (刘*); the full name and phone are for workers."""
        name = self.resident_name or ""
        return f"{name[:1]}{'*' * max(len(name) - 1, 1)}" if name else ""


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", "照片"
    DOCUMENT = "document", "文档"


class Evidence(models.Model):
    """A photo or document proving an item's progress or a wish's fulfilment; served only through a view that
    checks access (never from /media/)."""

    item = models.ForeignKey(
        ServiceItem, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    wish = models.ForeignKey(Wish, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="practice/%Y/%m/", max_length=255)
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    content_type = models.CharField(max_length=100)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0)
    caption = models.CharField("说明", max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False, wish__isnull=True) | Q(item__isnull=True, wish__isnull=False),
                name="evidence_of_item_or_wish",
            )
        ]

    def __str__(self) -> str:
        return self.original_name
