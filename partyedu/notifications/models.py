"""Alerts to a user: written by other apps through `services.notify`, read on the 提醒 page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationKind(models.TextChoices):
    COMPLIANCE = "compliance", "组织生活未落实"
    ABSENCES = "absences", "连续缺席"
    INACTIVE = "inactive", "六个月未参加组织生活"
    MEETING_NOTICE = "meeting_notice", "会议通知"
    OTHER = "other", "其他"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(
        "类型", max_length=32, choices=NotificationKind.choices, default=NotificationKind.OTHER
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    # What the alert is about (say "compliance:12:<rule>:2026-10"): a check that runs every day alerts once.
    # NULL for alerts that may repeat; NULLs never clash in a unique constraint.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], name="one_notification_per_user_key")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
