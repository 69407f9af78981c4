"""Generated documents (台账, statistics, yearly archives): one place where every one of them is requested,
built in the background and downloaded by the person who asked for it."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "正在生成"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


def report_upload_to(instance: GeneratedReport, filename: str) -> str:
    # A random name: the file is reachable only through the download view, never by guessing a path.
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"reports/{timezone.localdate():%Y/%m}/{secrets.token_hex(12)}.{extension}"


class GeneratedReport(models.Model):
    # Not a choices field: each kind is registered by the app that builds it (reports.registry), so a new kind
    # needs no migration here.
    kind = models.CharField("类型", max_length=40)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="generated_reports"
    )
    params = models.JSONField("参数", default=dict, blank=True)
    requested_by = models.ForeignKey(
        "accounts.User", verbose_name="申请人", on_delete=models.PROTECT, related_name="generated_reports"
    )
    status = models.CharField(
        "状态", max_length=16, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField("进度", default=0, help_text="0–100")
    file = models.FileField("文件", upload_to=report_upload_to, max_length=200, blank=True)
    filename = models.CharField("文件名", max_length=200, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)
    created_at = models.DateTimeField("申请时间", default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "生成文件"
        verbose_name_plural = "生成文件"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="report_user_created")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}（{self.get_status_display()}）"

    @property
    def is_running(self) -> bool:
        return self.status in {ReportStatus.QUEUED, ReportStatus.RUNNING}

    @property
    def kind_label(self) -> str:
        from .registry import label_of

        return label_of(self.kind)

    @property
    def year(self):
        return self.params.get("year")
