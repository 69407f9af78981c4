"""Writes of the question bank: create, revise (a new version once published), publish, retire."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from . import grading
from .models import Question, QuestionStatus, QuestionType, QuestionVersion

STEM_KEY_LENGTH = 255


def stem_key(stem: str) -> str:
    """The stem as duplicates are found: NFKC, no whitespace (NBSP included) or punctuation, lower case."""
    return grading.normalize_blank(stem)[:STEM_KEY_LENGTH]


def clean_question(qtype: str, stem: str, options: list[str], answer: dict) -> tuple[str, list[str]]:
    """Validated (stem, options); raises ValidationError with Chinese reasons."""
    stem = (stem or "").strip()
    errors = []
    if qtype not in QuestionType.values:
        errors.append("未知题型")
    if not stem:
        errors.append("题干不能为空")
    options = [str(o).strip() for o in (options or [])] if qtype in {"single", "multiple"} else []
    if qtype in QuestionType.values:
        errors += grading.check_key(qtype, options, answer or {})
    if errors:
        raise ValidationError(errors)
    return stem, options


def _version_fields(qtype, stem, options, answer, explanation, difficulty, source) -> dict:
    return {
        "qtype": qtype,
        "stem": stem,
        "options": options,
        "answer": answer,
        "explanation": (explanation or "").strip(),
        "difficulty": int(difficulty or 2),
        "source": (source or "").strip()[:200],
    }


@transaction.atomic
def create_question(
    owner,
    *,
    qtype: str,
    stem: str,
    options: list[str] | None = None,
    answer: dict,
    explanation: str = "",
    difficulty: int = 2,
    source: str = "",
    topics=(),
    publish: bool = False,
    by=None,
) -> Question:
    stem, options = clean_question(qtype, stem, options or [], answer)
    question = Question.objects.create(
        owner=owner,
        status=QuestionStatus.PUBLISHED if publish else QuestionStatus.DRAFT,
        stem_key=stem_key(stem),
        created_by=by,
    )
    version = QuestionVersion.objects.create(
        question=question,
        number=1,
        created_by=by,
        **_version_fields(qtype, stem, options, answer, explanation, difficulty, source),
    )
    question.current = version
    question.save(update_fields=["current"])
    if topics:
        question.topics.set(topics)
    return question


@transaction.atomic
def revise_question(question: Question, *, by=None, topics=None, **fields) -> QuestionVersion:
    """Change a question. A draft never shown to anyone is edited in place; otherwise (published, or already in
    an attempt) the change becomes the next version and attempts keep the version they were shown."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    current = question.current
    merged = {
        "qtype": fields.get("qtype", current.qtype),
        "stem": fields.get("stem", current.stem),
        "options": fields.get("options", current.options),
        "answer": fields.get("answer", current.answer),
        "explanation": fields.get("explanation", current.explanation),
        "difficulty": fields.get("difficulty", current.difficulty),
        "source": fields.get("source", current.source),
    }
    stem, options = clean_question(merged["qtype"], merged["stem"], merged["options"], merged["answer"])
    values = _version_fields(
        merged["qtype"],
        stem,
        options,
        merged["answer"],
        merged["explanation"],
        merged["difficulty"],
        merged["source"],
    )
    in_place = question.status == QuestionStatus.DRAFT and not current.attempt_items.exists()
    if in_place:
        for key, value in values.items():
            setattr(current, key, value)
        current.save()
        version = current
    else:
        unchanged = all(getattr(current, key) == value for key, value in values.items())
        version = current
        if not unchanged:
            version = QuestionVersion.objects.create(
                question=question, number=current.number + 1, created_by=by, **values
            )
    question.current = version
    question.stem_key = stem_key(version.stem)
    question.save(update_fields=["current", "stem_key", "updated_at"])
    if topics is not None:
        question.topics.set(topics)
    return version


def set_status(question: Question, status: str, *, by=None) -> Question:
    """发布 / 停用 / 恢复草稿. A retired question stays in past attempts and analysis but is never drawn."""
    if status not in QuestionStatus.values:
        raise ValidationError("未知状态")
    if status == QuestionStatus.PUBLISHED and question.current_id is None:
        raise ValidationError("题目没有内容，不能发布")
    question.status = status
    question.save(update_fields=["status", "updated_at"])
    return question


def ancestor_paths(path: str) -> list[str]:
    return [path[:i] for i in range(8, len(path) + 1, 8)]


def existing_stem_keys(owner, keys) -> dict[str, int]:
    """stem_key → id of a question with that key in `owner`'s bank or an ancestor's (the banks its quizzes draw
    from), retired ones included: a retired question is still one the bank already has."""
    keys = sorted({k for k in keys if k})
    found: dict[str, int] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        for key, pk in (
            Question.objects.filter(owner__path__in=ancestor_paths(owner.path), stem_key__in=chunk)
            .order_by("pk")
            .values_list("stem_key", "pk")
        ):
            found.setdefault(key, pk)
    return found


@transaction.atomic
def bulk_create_questions(owner, items: list[dict], *, publish: bool = False, by=None) -> list[Question]:
    """Create many questions with a handful of queries (imports, the demo). Each item has the arguments of
    `create_question` (qtype, stem, options, answer, explanation, difficulty, source) and `topics` (ids);
    every item is validated as create_question does and the first error is raised with its position."""
    prepared = []
    for index, item in enumerate(items, start=1):
        try:
            stem, options = clean_question(
                item["qtype"], item["stem"], item.get("options") or [], item["answer"]
            )
        except ValidationError as exc:
            raise ValidationError(f"第{index}题：{'；'.join(exc.messages)}") from None
        prepared.append((item, stem, options))
    status = QuestionStatus.PUBLISHED if publish else QuestionStatus.DRAFT
    questions = Question.objects.bulk_create(
        [
            Question(owner=owner, status=status, stem_key=stem_key(stem), created_by=by)
            for _, stem, _ in prepared
        ]
    )
    versions = QuestionVersion.objects.bulk_create(
        [
            QuestionVersion(
                question=q,
                number=1,
                created_by=by,
                **_version_fields(
                    item["qtype"],
                    stem,
                    options,
                    item["answer"],
                    item.get("explanation", ""),
                    item.get("difficulty", 2),
                    item.get("source", ""),
                ),
            )
            for q, (item, stem, options) in zip(questions, prepared, strict=True)
        ]
    )
    for q, v in zip(questions, versions, strict=True):
        q.current = v
    Question.objects.bulk_update(questions, ["current"])
    through = Question.topics.through
    through.objects.bulk_create(
        [
            through(question_id=q.pk, topic_id=tid)
            for q, (item, _, _) in zip(questions, prepared, strict=True)
            for tid in dict.fromkeys(item.get("topics") or [])
        ]
    )
    return questions
