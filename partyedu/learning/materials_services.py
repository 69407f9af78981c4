"""Every write to the materials library. The search index is rewritten here, explicitly, on each create/update:
no signals, so a bulk loader (bench/search.py, the seeder) can call `index_materials` itself."""

from __future__ import annotations

import io
import math
import re
from html import unescape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.html import strip_tags

from partyedu.core.cn import normalize_text
from partyedu.meetings.services import ATTACHMENT_TYPES, sanitize_minutes, sniff_type
from partyedu.orgs.models import Organization

from . import search
from .models import Material, MaterialCategory, MaterialKind, MaterialVisibility, SearchToken, Topic

# A reader takes in about 400 Chinese characters a minute (the usual figure for study material, not fiction).
CHARS_PER_MINUTE = 400
MEDIA_TYPES = {
    "mp4": ("video/mp4", MaterialKind.VIDEO),
    "webm": ("video/webm", MaterialKind.VIDEO),
    "mp3": ("audio/mpeg", MaterialKind.AUDIO),
    "m4a": ("audio/mp4", MaterialKind.AUDIO),
    "ogg": ("audio/ogg", MaterialKind.AUDIO),
    "wav": ("audio/wav", MaterialKind.AUDIO),
}
FIELDS = (
    "kind",
    "title",
    "summary",
    "body",
    "category",
    "tags",
    "reading_minutes",
    "duration_seconds",
    "source",
    "publisher",
    "visibility",
)


def sniff_media(head: bytes) -> str | None:
    """Audio and video containers by their magic bytes (the browser's type and the file name are not trusted)."""
    if head[4:8] == b"ftyp":
        return "m4a" if head[8:11] == b"M4A" else "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    return None


def html_text(html: str) -> str:
    """The text of the article as written (full-width punctuation kept), on one line, for snippets and checks."""
    text = unescape(strip_tags(re.sub(r"<(br|/p|/li|/h\d)[^>]*>", " ", html or "")))
    return re.sub(r"\s+", " ", text).strip()


def estimated_minutes(text: str) -> int:
    chars = len(re.sub(r"\s", "", text))
    return max(1, math.ceil(chars / CHARS_PER_MINUTE)) if chars else 0


def visible_path_for(publisher: Organization, visibility: str) -> str:
    if visibility == MaterialVisibility.COUNTY:
        return (
            publisher.path[: len(publisher.ancestor_paths[0])] if publisher.ancestor_paths else publisher.path
        )
    return publisher.path


def _check(material: Material) -> None:
    errors = {}
    material.title = normalize_text(material.title)
    material.summary = normalize_text(material.summary)
    material.source = normalize_text(material.source)
    material.tags = " ".join(dict.fromkeys(normalize_text(material.tags).replace(",", " ").split()))[:200]
    if not material.title:
        errors["title"] = "请填写标题"
    if material.kind not in MaterialKind.values:
        errors["kind"] = "请选择资料类型"
    if material.category not in MaterialCategory.values:
        errors["category"] = "请选择分类"
    if material.visibility not in MaterialVisibility.values:
        errors["visibility"] = "请选择可见范围"
    if material.reading_minutes is not None and material.reading_minutes > 10000:
        errors["reading_minutes"] = "预计学习时长不超过 10000 分钟"
    if errors:
        raise ValidationError(errors)


def _attach(material: Material, upload) -> None:
    limit = getattr(settings, "MATERIAL_FILE_MAX_BYTES", 500 * 1024 * 1024)
    if upload.size > limit:
        raise ValidationError({"file": f"文件“{upload.name}”超过 {limit // (1024 * 1024)} MB"})
    upload.seek(0)
    if material.kind == MaterialKind.DOCUMENT:
        data = upload.read()
        found = sniff_type(data[:16], io.BytesIO(data))
        if found not in ("pdf", "docx"):
            raise ValidationError({"file": f"文件“{upload.name}”不是 PDF 或 Word（docx）文档"})
        content_type = ATTACHMENT_TYPES[found][0]
    elif material.kind in (MaterialKind.VIDEO, MaterialKind.AUDIO):
        found = sniff_media(upload.read(16))
        if found is None or MEDIA_TYPES[found][1] != material.kind:
            wanted = "视频（MP4/WebM）" if material.kind == MaterialKind.VIDEO else "音频（MP3/M4A/OGG/WAV）"
            raise ValidationError({"file": f"文件“{upload.name}”不是{wanted}"})
        content_type = MEDIA_TYPES[found][0]
    else:
        raise ValidationError({"file": "文章和图书不上传文件，请把正文填在“正文”里"})
    upload.seek(0)
    material.file.save(upload.name, upload, save=False)
    material.file_name = upload.name[-200:]
    material.file_type = content_type
    material.file_size = upload.size


def index_rows(materials: list[Material]):
    """(token, material id, in title, visible path) for each index row of these materials."""
    for m in materials:
        for token, in_title in search.document_tokens(m.title, m.summary, m.tags, m.body_text).items():
            yield token, m.pk, in_title, m.visible_path


def index_materials(materials: list[Material]) -> int:
    """Rewrite the search index of these materials; returns the number of tokens written."""
    SearchToken.objects.filter(material__in=[m.pk for m in materials]).delete()
    rows = [
        SearchToken(token=token, material_id=pk, in_title=in_title, visible_path=path)
        for token, pk, in_title, path in index_rows(materials)
    ]
    SearchToken.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def bulk_index_new(materials: list[Material]) -> int:
    """Index materials that have no index rows yet (a bulk loader's fresh rows), through the driver: COPY on
    PostgreSQL, one executemany in index order on SQLite. Tens of times faster than `index_materials` for the
    seeder's thousands of materials; the caller holds the transaction."""
    rows = list(index_rows(materials))
    table = SearchToken._meta.db_table
    columns = "token, material_id, in_title, visible_path"
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cur,
            cur.connection.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
    else:
        rows.sort()
        with connection.cursor() as cur:
            cur.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s)", rows)
    return len(rows)


def _finish(material: Material, *, topics, upload, reading_given: bool) -> Material:
    material.body = sanitize_minutes(material.body) if material.body else ""
    material.body_text = html_text(material.body)
    _check(material)
    if material.kind in (MaterialKind.VIDEO, MaterialKind.AUDIO) and not material.reading_minutes:
        material.reading_minutes = math.ceil((material.duration_seconds or 0) / 60)
    elif not reading_given or not material.reading_minutes:
        material.reading_minutes = estimated_minutes(material.body_text)
    material.visible_path = visible_path_for(material.publisher, material.visibility)
    if upload is not None:
        _attach(material, upload)
    elif (
        material.kind in (MaterialKind.VIDEO, MaterialKind.AUDIO, MaterialKind.DOCUMENT) and not material.file
    ):
        raise ValidationError({"file": f"{MaterialKind(material.kind).label}需要上传文件"})
    material.save()
    if topics is not None:
        material.topics.set(topics)
    index_materials([material])
    return material


@transaction.atomic
def create_material(
    *,
    publisher: Organization,
    title: str,
    category: str,
    kind: str = MaterialKind.ARTICLE,
    body: str = "",
    summary: str = "",
    topics: list[Topic] | None = None,
    tags: str = "",
    reading_minutes: int | None = None,
    duration_seconds: int | None = None,
    source: str = "",
    visibility: str = MaterialVisibility.SUBTREE,
    upload=None,
    by=None,
) -> Material:
    material = Material(
        publisher=publisher,
        title=title,
        category=category,
        kind=kind,
        body=body,
        summary=summary,
        tags=tags,
        reading_minutes=reading_minutes or 0,
        duration_seconds=duration_seconds,
        source=source,
        visibility=visibility,
        created_by=by,
    )
    return _finish(material, topics=topics, upload=upload, reading_given=bool(reading_minutes))


@transaction.atomic
def update_material(
    material: Material, *, topics: list[Topic] | None = None, upload=None, **changes
) -> Material:
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    reading_given = bool(changes.get("reading_minutes"))
    for name, value in changes.items():
        setattr(material, name, value)
    if "reading_minutes" not in changes or not changes["reading_minutes"]:
        material.reading_minutes = 0
    return _finish(material, topics=topics, upload=upload, reading_given=reading_given)


def topic_named(name: str, parent: Topic | None = None) -> Topic:
    name = normalize_text(name)[:60]
    if not name:
        raise ValidationError("专题名称不能为空")
    return Topic.objects.get_or_create(name=name, defaults={"parent": parent})[0]
