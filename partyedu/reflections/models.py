"""心得体会 and 学习笔记, their review, and the originality index (MinHash-LSH bands over character shingles)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReflectionKind(models.TextChoices):
    REFLECTION = "reflection", "心得体会"
    NOTE = "note", "学习笔记"


class ReflectionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"


class PromptKind(models.TextChoices):
    NONE = "", "（无）"
    MATERIAL = "material", "学习资料"
    MEETING = "meeting", "会议"
    TRAINING = "training", "培训班"
    READING = "reading", "读书会"


DEFAULT_MIN_REFLECTION = 500
DEFAULT_MIN_NOTE = 100
DEFAULT_THRESHOLD = 40


class ReflectionSetting(models.Model):
    """Per organisation subtree: the nearest ancestor's setting applies to a member."""

    organization = models.OneToOneField(
        "orgs.Organization",
        verbose_name="党组织",
        on_delete=models.CASCADE,
        related_name="reflection_setting",
    )
    min_reflection_chars = models.PositiveIntegerField("心得体会最少字数", default=DEFAULT_MIN_REFLECTION)
    min_note_chars = models.PositiveIntegerField("学习笔记最少字数", default=DEFAULT_MIN_NOTE)
    block_percent = models.PositiveSmallIntegerField(
        "重复率阈值（%）", default=DEFAULT_THRESHOLD, help_text="重复率达到此值的不计积分"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "心得体会设置"
        verbose_name_plural = "心得体会设置"

    def __str__(self) -> str:
        return (
            f"{self.organization_id}: {self.min_reflection_chars}/{self.min_note_chars}/{self.block_percent}%"
        )


class Reflection(models.Model):
    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.CASCADE, related_name="reflections"
    )
    # the member's organisation when written: who reviews it and who sees it
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="reflections"
    )
    kind = models.CharField(
        "类型", max_length=16, choices=ReflectionKind.choices, default=ReflectionKind.REFLECTION
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    # what prompted it, as a generic triple (no hard FKs to apps in flux)
    prompt_kind = models.CharField("学习内容类型", max_length=16, choices=PromptKind.choices, blank=True)
    prompt_id = models.PositiveIntegerField(null=True, blank=True)
    prompt_title = models.CharField("学习内容", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ReflectionStatus.choices, default=ReflectionStatus.DRAFT, db_index=True
    )
    char_count = models.PositiveIntegerField("字数", default=0)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.CharField("审核意见", max_length=500, blank=True)
    overlap_percent = models.FloatField("重复率", null=True, blank=True)
    blocked = models.BooleanField("重复率超过阈值", default=False)
    threshold = models.PositiveSmallIntegerField("当时阈值", default=DEFAULT_THRESHOLD)
    template_phrases = models.JSONField("模板用语", default=list, blank=True)
    # the originality report: [{"key", "title", "path", "percent", "passages": [{"mine": [s, e], "theirs": [s, e]}]}]
    report = models.JSONField(default=list, blank=True)
    quoted_chars = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "心得体会"
        verbose_name_plural = "心得体会"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "status", "submitted_at"], name="reflection_queue"),
            models.Index(fields=["member", "-created_at"], name="reflection_member"),
        ]

    def __str__(self) -> str:
        return self.title


class ReferenceFile(models.Model):
    """An uploaded file of known 范文 / online templates, split into documents of the reference corpus."""

    name = models.CharField("文件名", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    document_count = models.PositiveIntegerField("篇数", default=0)

    class Meta:
        verbose_name = "范文库文件"
        verbose_name_plural = "范文库文件"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class IndexedText(models.Model):
    """One text of the originality index: a submitted reflection or a reference document."""

    reflection = models.OneToOneField(
        Reflection, null=True, blank=True, on_delete=models.CASCADE, related_name="indexed"
    )
    reference_file = models.ForeignKey(
        ReferenceFile, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(max_length=200)
    text = models.TextField()
    # the organisation path of a reflection (who may see its passages); "" for reference documents
    path = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = "查重文本"
        verbose_name_plural = "查重文本"

    def __str__(self) -> str:
        return self.title


class IndexBand(models.Model):
    """Band key → text: the LSH index, kept on every submit and upload."""

    # (key, text) is the primary key: its index answers "which texts have this band" with no second index
    pk = models.CompositePrimaryKey("key", "text")
    key = models.BigIntegerField()
    text = models.ForeignKey(IndexedText, on_delete=models.CASCADE, related_name="bands", db_index=False)

    class Meta:
        indexes = [models.Index(fields=["text"], name="band_text")]

    def __str__(self) -> str:
        return f"{self.key} → {self.text_id}"
