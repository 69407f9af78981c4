"""意见建议: suggestions received from the public or members, assigned, replied to within a due date, closed.
Reply time and reply rate per organisation are read from these rows."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone


class Channel(models.TextChoices):
    FORUM = "forum", "座谈会"
    VISIT = "visit", "走访"
    LETTER = "letter", "来信"
    ONLINE = "online", "网络"
    QR = "qr", "扫码"
    PHONE = "phone", "来电"
    OTHER = "other", "其他"


class OpinionStatus(models.TextChoices):
    RECEIVED = "received", "待交办"
    ASSIGNED = "assigned", "办理中"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"


def new_token() -> str:
    return secrets.token_urlsafe(9)


def new_receipt_code() -> str:
    # Unambiguous capitals and digits, easy to read out over the phone.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class OpinionBox(models.Model):
    """An organisation's public 意见箱: the QR link residents use to leave a suggestion without an account.
    Replacing the token retires printed codes (if one was misused)."""

    organization = models.OneToOneField(
        "orgs.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="+"
    )
    token = models.CharField(max_length=24, unique=True, default=new_token)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "意见箱"

    def __str__(self) -> str:
        return f"{self.organization} 意见箱"


class Opinion(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="收集单位", on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField("收集渠道", max_length=16, choices=Channel.choices)
    content = models.TextField("意见建议内容")
    # Who gave it: optional; the contact is shown only to the workers of the organisation (and above).
    giver_name = models.CharField("提出人", max_length=50, blank=True)
    giver_contact = models.CharField("联系方式", max_length=60, blank=True)
    received_on = models.DateField("收到日期")
    status = models.CharField(
        "状态", max_length=16, choices=OpinionStatus.choices, default=OpinionStatus.RECEIVED
    )
    assignee_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="承办组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee_member = models.ForeignKey(
        "members.Member",
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField("答复期限", null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField("答复内容", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    close_note = models.CharField("办结说明", max_length=200, blank=True)
    receipt_code = models.CharField("查询码", max_length=12, unique=True, default=new_receipt_code)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = verbose_name_plural = "意见建议"
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["received_on"])]

    def __str__(self) -> str:
        return self.content[:30]

    @property
    def is_replied(self) -> bool:
        return self.replied_at is not None

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.replied_at is None and self.due_on is not None and self.due_on < today

    @property
    def reply_days(self) -> int | None:
        """Days from receipt to reply (the day of receipt is day 0)."""
        if self.replied_at is None:
            return None
        return (timezone.localdate(self.replied_at) - self.received_on).days
