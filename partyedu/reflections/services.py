"""Every write of the reflections app: drafts, submission with the originality check, review, settings, corpus."""

from __future__ import annotations

import io
import re
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C

from . import originality
from .models import (
    DEFAULT_MIN_NOTE,
    DEFAULT_MIN_REFLECTION,
    DEFAULT_THRESHOLD,
    IndexBand,
    IndexedText,
    PromptKind,
    ReferenceFile,
    Reflection,
    ReflectionKind,
    ReflectionSetting,
    ReflectionStatus,
)

EDITABLE = {ReflectionStatus.DRAFT, ReflectionStatus.RETURNED}
MAX_CANDIDATES = 50


# ---------------------------------------------------------------------------------------------------------------
# settings


def setting_for(org) -> dict:
    """The nearest setting on the organisation or its ancestors, else the defaults."""
    paths = [*org.ancestor_paths, org.path]
    found = {
        s.organization.path: s
        for s in ReflectionSetting.objects.filter(organization__path__in=paths).select_related("organization")
    }
    for path in reversed(paths):
        if path in found:
            s = found[path]
            return {
                "min_reflection_chars": s.min_reflection_chars,
                "min_note_chars": s.min_note_chars,
                "block_percent": s.block_percent,
                "from": s.organization,
            }
    return {
        "min_reflection_chars": DEFAULT_MIN_REFLECTION,
        "min_note_chars": DEFAULT_MIN_NOTE,
        "block_percent": DEFAULT_THRESHOLD,
        "from": None,
    }


@transaction.atomic
def save_setting(org, *, by, min_reflection_chars: int, min_note_chars: int, block_percent: int):
    Access.of(by).require_org(org, C.MANAGE_ORG)
    if not 0 < block_percent <= 100:
        raise ValidationError({"block_percent": "阈值应在 1 到 100 之间"})
    setting, _ = ReflectionSetting.objects.update_or_create(
        organization=org,
        defaults={
            "min_reflection_chars": min_reflection_chars,
            "min_note_chars": min_note_chars,
            "block_percent": block_percent,
        },
    )
    return setting


# ---------------------------------------------------------------------------------------------------------------
# prompts (what the reflection is about)


def prompt_of(kind: str, pk: int | None) -> tuple[str, str]:
    """(title, text) of the material, meeting or training class that prompted a reflection."""
    if not kind or not pk:
        return "", ""
    if kind == PromptKind.MATERIAL:
        from partyedu.learning.models import Material

        m = Material.objects.filter(pk=pk).only("title", "body_text", "summary").first()
        return (m.title, f"{m.summary}\n{m.body_text}") if m else ("", "")
    if kind == PromptKind.MEETING:
        from partyedu.meetings.models import Meeting

        m = Meeting.objects.filter(pk=pk).only("theme", "minutes", "notice").first()
        return (m.theme, f"{m.notice}\n{strip_tags(m.minutes)}") if m else ("", "")
    if kind == PromptKind.TRAINING:
        try:
            from partyedu.training.models import TrainingClass
        except ImportError:  # pragma: no cover
            return "", ""
        t = TrainingClass.objects.filter(pk=pk).only("title", "description").first()
        return (t.title, t.description) if t else ("", "")
    return "", ""


# ---------------------------------------------------------------------------------------------------------------
# drafts, submission


def _clean(title: str, body: str, kind: str) -> tuple[str, str]:
    errors = {}
    title = (title or "").strip()
    body = (body or "").replace("\r\n", "\n").strip()
    if not title:
        errors["title"] = "请填写标题"
    if not body:
        errors["body"] = "请填写正文"
    if kind not in ReflectionKind.values:
        errors["kind"] = "请选择类型"
    if errors:
        raise ValidationError(errors)
    return title, body


@transaction.atomic
def save_draft(
    member,
    *,
    by,
    title: str,
    body: str,
    kind: str = ReflectionKind.REFLECTION,
    prompt_kind: str = "",
    prompt_id: int | None = None,
    reflection: Reflection | None = None,
) -> Reflection:
    if by.member_id != member.pk:
        raise PermissionDenied("只能编辑本人的心得体会")
    title, body = _clean(title, body, kind)
    prompt_title, _ = prompt_of(prompt_kind, prompt_id)
    if not prompt_title:
        prompt_kind, prompt_id = "", None
    if reflection is None:
        reflection = Reflection(member=member, organization=member.organization)
    else:
        reflection = Reflection.objects.select_for_update().get(pk=reflection.pk)
        if reflection.member_id != member.pk:
            raise PermissionDenied("只能编辑本人的心得体会")
        if reflection.status not in EDITABLE:
            raise ValidationError("已提交的心得体会不能修改")
    reflection.kind, reflection.title, reflection.body = kind, title, body
    reflection.prompt_kind, reflection.prompt_id, reflection.prompt_title = (
        prompt_kind or "",
        prompt_id,
        prompt_title,
    )
    reflection.char_count = originality.char_count(body)
    reflection.save()
    return reflection


def _index(indexed: IndexedText, text: str) -> None:
    IndexBand.objects.filter(text=indexed).delete()
    IndexBand.objects.bulk_create([IndexBand(key=k, text=indexed) for k in set(originality.band_keys(text))])


def candidates(text: str, *, exclude: int | None = None, before: int | None = None) -> list[IndexedText]:
    """The indexed texts sharing at least one band with `text`, most shared bands first (reflections indexed
    before `before` only; reference documents always)."""
    keys = list(set(originality.band_keys(text)))
    if not keys:
        return []
    hits = Counter(IndexBand.objects.filter(key__in=keys).values_list("text_id", flat=True))
    hits.pop(exclude, None)
    ids = [pk for pk, _ in hits.most_common(MAX_CANDIDATES * 2)]
    texts = IndexedText.objects.filter(pk__in=ids).select_related("reflection")
    if before is not None:
        texts = [t for t in texts if t.reference_file_id or t.pk < before]
    order = {pk: i for i, pk in enumerate(ids)}
    return sorted(texts, key=lambda t: order[t.pk])[:MAX_CANDIDATES]


def check(reflection: Reflection, *, exclude: int | None = None, before: int | None = None):
    sources = [
        originality.Source(
            key=f"reflection:{t.reflection_id}" if t.reflection_id else f"reference:{t.pk}",
            title=t.title,
            text=t.text,
            path=t.path,
        )
        for t in candidates(reflection.body, exclude=exclude, before=before)
    ]
    _, quoted = prompt_of(reflection.prompt_kind, reflection.prompt_id)
    return originality.compare(reflection.body, sources, quoted=quoted)


@transaction.atomic
def submit(reflection: Reflection, *, by) -> Reflection:
    reflection = Reflection.objects.select_for_update().select_related("organization").get(pk=reflection.pk)
    if by.member_id != reflection.member_id:
        raise PermissionDenied("只能提交本人的心得体会")
    if reflection.status not in EDITABLE:
        raise ValidationError("该心得体会已提交")
    setting = setting_for(reflection.organization)
    minimum = (
        setting["min_reflection_chars"]
        if reflection.kind == ReflectionKind.REFLECTION
        else setting["min_note_chars"]
    )
    count = originality.char_count(reflection.body)
    if count < minimum:
        raise ValidationError(
            {"body": f"{reflection.get_kind_display()}至少 {minimum} 字，当前 {count} 字（不含标点和空格）"}
        )
    indexed, _ = IndexedText.objects.update_or_create(
        reflection=reflection,
        defaults={"title": reflection.title, "text": reflection.body, "path": reflection.organization.path},
    )
    report = check(reflection, exclude=indexed.pk, before=indexed.pk)
    _index(indexed, reflection.body)
    reflection.char_count = count
    reflection.status = ReflectionStatus.SUBMITTED
    reflection.submitted_at = timezone.now()
    reflection.overlap_percent = report.percent
    reflection.threshold = setting["block_percent"]
    reflection.blocked = report.percent >= setting["block_percent"]
    reflection.template_phrases = report.phrases
    reflection.quoted_chars = report.quoted_chars
    reflection.report = [
        {
            "key": m.source.key,
            "title": m.source.title,
            "path": m.source.path,
            "percent": m.percent,
            "passages": m.passages,
        }
        for m in report.matches[:10]
    ]
    reflection.save()
    return reflection


# ---------------------------------------------------------------------------------------------------------------
# review


def can_review(user, reflection: Reflection) -> bool:
    return Access.of(user).can_org(C.CHANGE_MEMBERS, reflection.organization)


def _for_review(reflection: Reflection, by) -> Reflection:
    reflection = (
        Reflection.objects.select_for_update().select_related("organization", "member").get(pk=reflection.pk)
    )
    if not can_review(by, reflection):
        raise PermissionDenied("只有该党员所在支部的书记可以审核")
    if reflection.status != ReflectionStatus.SUBMITTED:
        raise ValidationError("只能审核待审核的心得体会")
    return reflection


@transaction.atomic
def approve(reflection: Reflection, *, by, comment: str = "") -> Reflection:
    reflection = _for_review(reflection, by)
    now = timezone.now()
    reflection.status = ReflectionStatus.APPROVED
    reflection.reviewed_at, reflection.reviewed_by = now, by
    reflection.review_comment = (comment or "").strip()[:500]
    reflection.save()
    if not reflection.blocked:
        from partyedu.points.models import EventKind
        from partyedu.points.services import award

        award(
            reflection.member,
            EventKind.REFLECTION_APPROVED,
            source_key=f"reflection:{reflection.pk}",
            reason=f"{reflection.get_kind_display()}《{reflection.title}》审核通过"[:200],
            occurred_at=now,
            operator=by,
        )
    return reflection


@transaction.atomic
def return_(reflection: Reflection, *, by, comment: str) -> Reflection:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "退回时请填写意见"})
    reflection = _for_review(reflection, by)
    reflection.status = ReflectionStatus.RETURNED
    reflection.reviewed_at, reflection.reviewed_by = timezone.now(), by
    reflection.review_comment = comment[:500]
    reflection.save()
    return reflection


# ---------------------------------------------------------------------------------------------------------------
# reference corpus

_SEPARATOR = re.compile(r"^\s*(?:={3,}|-{3,}|#{1,3}\s+.*|\f)\s*$")


def split_text(raw: str) -> list[tuple[str, str]]:
    """(title, text) documents of a txt file: separated by lines of ===/--- or "# 标题"; one document otherwise."""
    docs, title, lines = [], "", []

    def flush():
        body = "\n".join(lines).strip()
        if originality.char_count(body) >= 20:
            docs.append((title or body.splitlines()[0][:60], body))

    for line in raw.replace("\r\n", "\n").split("\n"):
        if _SEPARATOR.match(line):
            flush()
            lines = []
            title = line.strip().lstrip("#").strip() if line.strip().startswith("#") else ""
        else:
            lines.append(line)
    flush()
    return docs


def split_docx(data: bytes) -> list[tuple[str, str]]:
    """Documents of a docx file: each heading starts one; without headings the whole file is one."""
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = []
    for p in document.paragraphs:
        style = (p.style.name or "").lower() if p.style is not None else ""
        if style.startswith("heading") or style.startswith("标题") or style == "title":
            parts.append(f"# {p.text.strip()}")
        else:
            parts.append(p.text)
    return split_text("\n".join(parts))


@transaction.atomic
def upload_reference(*, name: str, data: bytes, by) -> ReferenceFile:
    if not Access.of(by).has(C.MANAGE_ORG):
        raise PermissionDenied("只有管理员可以上传范文库")
    lower = name.lower()
    if lower.endswith(".docx"):
        try:
            docs = split_docx(data)
        except Exception as exc:  # python-docx raises several kinds on broken files
            raise ValidationError({"file": "无法读取该 Word 文件"}) from exc
    elif lower.endswith(".txt"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                raw = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError({"file": "无法识别该文本文件的编码"})
        docs = split_text(raw)
    else:
        raise ValidationError({"file": "只支持 txt 和 docx 文件"})
    if not docs:
        raise ValidationError({"file": "文件中没有可用的文章（每篇至少 20 字）"})
    ref = ReferenceFile.objects.create(name=name[:200], uploaded_by=by, document_count=len(docs))
    texts = IndexedText.objects.bulk_create(
        [IndexedText(reference_file=ref, title=title[:200], text=text) for title, text in docs]
    )
    if any(t.pk is None for t in texts):  # backends without RETURNING
        texts = list(ref.documents.order_by("pk"))
    IndexBand.objects.bulk_create(
        [IndexBand(key=k, text=t) for t in texts for k in set(originality.band_keys(t.text))], batch_size=2000
    )
    return ref


@transaction.atomic
def delete_reference(ref: ReferenceFile, *, by) -> None:
    if not Access.of(by).has(C.MANAGE_ORG):
        raise PermissionDenied("只有管理员可以管理范文库")
    ref.delete()
