"""The materials library: articles, books, videos, audio and documents, and the search index over them."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone

__all__ = [
    "Material",
    "MaterialCategory",
    "MaterialKind",
    "MaterialVisibility",
    "SearchToken",
    "Topic",
]


class MaterialKind(models.TextChoices):
    ARTICLE = "article", "文章"
    BOOK = "book", "图书/章节"
    VIDEO = "video", "视频"
    AUDIO = "audio", "音频"
    DOCUMENT = "document", "文档"


class MaterialCategory(models.TextChoices):
    PARTY_HISTORY = "party_history", "党史"
    PRC_HISTORY = "prc_history", "新中国史"
    REFORM_HISTORY = "reform_history", "改革开放史"
    SOCIALISM_HISTORY = "socialism_history", "社会主义发展史"
    THEORY = "theory", "理论"
    POLICY = "policy", "政策法规"
    EXEMPLARS = "exemplars", "先进典型"
    BUSINESS = "business", "业务"


class MaterialVisibility(models.TextChoices):
    COUNTY = "county", "全县"
    SUBTREE = "subtree", "本组织及下级"


class Topic(models.Model):
    """A subject a material (and later a quiz question) is about; topics may nest one level or more."""

    name = models.CharField("专题", max_length=60, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级专题",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = "专题"
        verbose_name_plural = "专题"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def material_file_path(instance: Material, filename: str) -> str:
    return f"materials/{timezone.now():%Y/%m}/{secrets.token_hex(8)}-{filename[-80:]}"


class Material(models.Model):
    kind = models.CharField("类型", max_length=16, choices=MaterialKind.choices, default=MaterialKind.ARTICLE)
    title = models.CharField("标题", max_length=200)
    summary = models.CharField("摘要", max_length=500, blank=True)
    # Sanitised HTML as shown; body_text is the same text flattened and normalised, for snippets and search checks.
    body = models.TextField("正文", blank=True)
    body_text = models.TextField(blank=True, editable=False)
    category = models.CharField("分类", max_length=32, choices=MaterialCategory.choices)
    topics = models.ManyToManyField(Topic, verbose_name="专题", blank=True, related_name="materials")
    tags = models.CharField("标签", max_length=200, blank=True, help_text="多个标签用逗号或空格分隔")
    reading_minutes = models.PositiveIntegerField("预计学习时长（分钟）", default=0)
    duration_seconds = models.PositiveIntegerField("音视频时长（秒）", null=True, blank=True)
    source = models.CharField("来源", max_length=120, blank=True)
    publisher = models.ForeignKey(
        "orgs.Organization", verbose_name="发布组织", on_delete=models.PROTECT, related_name="materials"
    )
    visibility = models.CharField(
        "可见范围", max_length=16, choices=MaterialVisibility.choices, default=MaterialVisibility.SUBTREE
    )
    # The path of the organisation whose subtree sees this material (the publisher's, or its root for the county):
    # a reader's organisation path starts with it, so "visible" is an IN over the reader's ancestor paths.
    visible_path = models.CharField(max_length=255, editable=False, db_index=True)
    file = models.FileField("文件", upload_to=material_file_path, max_length=255, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "学习资料"
        verbose_name_plural = "学习资料"
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["category", "-published_at"], name="material_cat_pub")]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.replace("，", ",").replace(",", " ").split() if t]

    @property
    def duration_display(self) -> str:
        if not self.duration_seconds:
            return ""
        m, s = divmod(self.duration_seconds, 60)
        h, m = divmod(m, 60)
        return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class SearchToken(models.Model):
    """One row per (token, material): the inverted index behind library search, kept by materials_services.

    Tokens are character bigrams and single characters of the normalised text, and ASCII words; `in_title`
    says the token occurs in the title, which ranks title matches first. `visible_path` is a copy of the
    material's, so that visibility is decided inside the index (no join to the materials for it).

    The unique index (token, material, visible_path) serves both the walk over one token's materials, newest
    (highest id) first with the visibility read from the index entry, and the probe "does material X hold token
    T"; the partial index over title tokens finds title matches without reading the body tokens.
    """

    token = models.CharField(max_length=32)
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="search_tokens")
    in_title = models.BooleanField(default=False)
    visible_path = models.CharField(max_length=255, default="", editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["token", "material", "visible_path"], name="searchtoken_token_material_vis"
            )
        ]
        indexes = [
            models.Index(fields=["material"], name="searchtoken_material"),
            # in_title among the columns too: SQLite reads a partial index as covering only then
            models.Index(
                fields=["token", "material", "visible_path", "in_title"],
                name="searchtoken_title_cover",
                condition=models.Q(in_title=True),
            ),
        ]

    def __str__(self) -> str:
        return self.token
