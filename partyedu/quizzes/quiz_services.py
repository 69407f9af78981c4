"""Writes of quizzes (测试、考试、每日测试): create, edit, choose the questions (fixed slots or draw rules), the
audience, publish and close. Every check that a quiz can be drawn lives here, so that publishing a paper whose
rule asks for more questions than the bank holds is refused before any member meets it.

Who: the party workers of the owner organisation (MANAGE_ORG or CHANGE_MEMBERS on it, see `can_manage`).
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C

from . import attempt_services
from .models import (
    Attempt,
    AttemptState,
    Difficulty,
    QuestionType,
    Quiz,
    QuizAudience,
    QuizKind,
    QuizSlot,
    QuizStatus,
    ReviewPolicy,
)

# The kinds organised on these pages; competitions have their own app.
ORGANISED_KINDS = (QuizKind.PAPER, QuizKind.EXAM, QuizKind.DAILY)
MANAGE_CAPS = (C.MANAGE_ORG, C.CHANGE_MEMBERS)
MAX_RULES = 30
MAX_QUESTIONS = 200
EDITABLE = (
    "title",
    "kind",
    "description",
    "shuffle_questions",
    "shuffle_options",
    "time_limit_seconds",
    "grace_seconds",
    "max_attempts",
    "opens_at",
    "closes_at",
    "pass_percent",
    "review",
    "scope",
    "questions_per_day",
)


# --- who may ---------------------------------------------------------------------------------------------------
def can_manage_org(user, org) -> bool:
    access = Access.of(user)
    return any(access.can_org(cap, org) for cap in MANAGE_CAPS)


def can_manage(user, quiz: Quiz) -> bool:
    return can_manage_org(user, quiz.owner)


def require_manage(user, quiz: Quiz) -> Quiz:
    """404 outside the user's view, 403 when he sees the owner but may not organise its tests."""
    access = Access.of(user)
    access.require_org(quiz.owner, C.VIEW_ORG)
    if not can_manage(user, quiz):
        raise PermissionDenied("只有组织单位的党务工作者可以管理该测试")
    return quiz


def _editable(quiz: Quiz) -> None:
    if quiz.status == QuizStatus.CLOSED:
        raise ValidationError("测试已结束，不能再修改")


def _has_attempts(quiz: Quiz) -> bool:
    return Attempt.objects.filter(quiz=quiz).exists()


# --- settings --------------------------------------------------------------------------------------------------
def clean_settings(owner, fields: dict, kinds=ORGANISED_KINDS) -> dict:
    errors: dict[str, list[str]] = {}

    def err(field, message):
        errors.setdefault(field, []).append(message)

    title = (fields.get("title") or "").strip()
    if not title:
        err("title", "请填写测试名称")
    fields["title"] = title[:200]
    kind = fields.get("kind") or QuizKind.PAPER
    if kind not in kinds:
        err("kind", "未知的测试类型")
    fields["kind"] = kind
    opens, closes = fields.get("opens_at"), fields.get("closes_at")
    if opens and closes and closes <= opens:
        err("closes_at", "结束时间必须晚于开始时间")
    pass_percent = fields.get("pass_percent")
    if pass_percent is not None and not 0 <= int(pass_percent) <= 100:
        err("pass_percent", "及格线应在 0 到 100 之间")
    limit = fields.get("time_limit_seconds")
    if limit is not None and limit and not 30 <= int(limit) <= 6 * 3600:
        err("time_limit_seconds", "限时应在 30 秒到 6 小时之间")
    if not limit:
        fields["time_limit_seconds"] = None
    grace = fields.get("grace_seconds")
    if grace is not None and not 0 <= int(grace) <= 120:
        err("grace_seconds", "宽限应在 0 到 120 秒之间")
    if fields.get("review") and fields["review"] not in ReviewPolicy.values:
        err("review", "未知的答案显示方式")
    per_day = fields.get("questions_per_day")
    if kind == QuizKind.DAILY and per_day is not None and not 1 <= int(per_day) <= 50:
        err("questions_per_day", "每日题数应在 1 到 50 之间")
    scope = fields.get("scope")
    if scope is not None and not scope.path.startswith(owner.path):
        err("scope", "参加范围必须在组织单位之内")
    if errors:
        raise ValidationError(errors)
    return fields


def _daily_rules(quiz: Quiz) -> list[dict]:
    return [{"topic": None, "difficulty": None, "qtype": None, "count": int(quiz.questions_per_day or 5)}]


@transaction.atomic
def create_quiz(owner, *, by, **fields) -> Quiz:
    if by is not None and not can_manage_org(by, owner):
        raise PermissionDenied("只能为本人管理的组织创建测试")
    fields = clean_settings(owner, {k: v for k, v in fields.items() if k in EDITABLE})
    quiz = Quiz(owner=owner, created_by=by, **fields)
    if quiz.kind == QuizKind.DAILY:
        # A daily test draws from the whole usable bank; members see their results at once.
        quiz.draw_rules = _daily_rules(quiz)
        quiz.max_attempts = 0
        if "review" not in fields:
            quiz.review = ReviewPolicy.AFTER_SUBMIT
    quiz.save()
    return quiz


@transaction.atomic
def update_quiz(quiz: Quiz, *, by=None, **fields) -> Quiz:
    quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
    _editable(quiz)
    values = {k: fields.get(k, getattr(quiz, k)) for k in EDITABLE}
    values = clean_settings(quiz.owner, values)
    if values["kind"] != quiz.kind and _has_attempts(quiz):
        raise ValidationError({"kind": ["已有人作答，不能再改变测试类型"]})
    for key, value in values.items():
        setattr(quiz, key, value)
    if quiz.kind == QuizKind.DAILY:
        quiz.draw_rules = _daily_rules(quiz)
        quiz.max_attempts = 0
        quiz.slots.all().delete()
    quiz.save()
    return quiz


@transaction.atomic
def create_competition_paper(
    owner, *, by, question_ids=None, question_count: int = 10, seed: int | None = None, now=None, **fields
) -> Quiz:
    """The fixed paper under a knowledge competition (kind competition, organised on the competitions pages):
    created, filled and published through the same checks as any paper. Without `question_ids`, `question_count`
    questions are drawn at random from the banks the owner may use."""
    if by is not None and not can_manage_org(by, owner):
        raise PermissionDenied("只能为本单位组织知识竞赛")
    fields = {k: v for k, v in fields.items() if k in EDITABLE}
    fields = clean_settings(owner, {**fields, "kind": QuizKind.COMPETITION}, kinds=(QuizKind.COMPETITION,))
    quiz = Quiz.objects.create(owner=owner, created_by=by, **fields)
    if question_ids is None:
        pool = list(
            attempt_services.usable_questions(quiz).filter(current__isnull=False).values_list("pk", flat=True)
        )
        random.Random(seed).shuffle(pool)
        question_ids = sorted(pool[: max(1, int(question_count))])
    if not question_ids:
        raise ValidationError("题库中没有已发布的题目，请先在题库中发布题目")
    set_slots(quiz, question_ids, by=by)
    return publish(quiz, by=by, now=now)


# --- questions: fixed slots or draw rules ------------------------------------------------------------------------
def _lock_questions(quiz: Quiz) -> None:
    _editable(quiz)
    if _has_attempts(quiz):
        raise ValidationError("已有人作答，不能再修改试题")


@transaction.atomic
def set_slots(quiz: Quiz, question_ids, *, points=None, by=None) -> list[QuizSlot]:
    """A fixed paper: exactly these questions (from the usable bank), in this order; clears any draw rules."""
    quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
    _lock_questions(quiz)
    if quiz.kind == QuizKind.DAILY:
        raise ValidationError("每日测试从题库随机抽题，不能指定固定题目")
    ids = list(dict.fromkeys(int(q) for q in question_ids))
    if len(ids) > MAX_QUESTIONS:
        raise ValidationError(f"一份试卷最多{MAX_QUESTIONS}道题")
    usable = set(attempt_services.usable_questions(quiz).filter(pk__in=ids).values_list("pk", flat=True))
    if missing := [i for i in ids if i not in usable]:
        raise ValidationError(f"有{len(missing)}道题不在可用题库中（未发布、已停用或属于其他单位）")
    points = points or {}
    quiz.slots.all().delete()
    slots = [
        QuizSlot(quiz=quiz, question_id=qid, position=n, points=Decimal(str(points.get(qid, 1))))
        for n, qid in enumerate(ids, start=1)
    ]
    QuizSlot.objects.bulk_create(slots)
    if quiz.draw_rules:
        quiz.draw_rules = []
        quiz.save(update_fields=["draw_rules"])
    return slots


def add_slots(quiz: Quiz, question_ids, *, by=None) -> list[QuizSlot]:
    current = list(quiz.slots.order_by("position").values_list("question_id", flat=True))
    return set_slots(quiz, current + [int(q) for q in question_ids], by=by)


def remove_slot(quiz: Quiz, question_id: int, *, by=None) -> list[QuizSlot]:
    current = list(quiz.slots.order_by("position").values_list("question_id", flat=True))
    return set_slots(quiz, [q for q in current if q != int(question_id)], by=by)


def normalise_rule(rule: dict) -> dict:
    def opt_int(value):
        if value in (None, "", "0", 0):
            return None
        return int(value)

    try:
        topic = opt_int(rule.get("topic"))
        difficulty = opt_int(rule.get("difficulty"))
        count = int(rule.get("count") or 0)
    except (TypeError, ValueError) as exc:
        raise ValidationError("抽题规则中有无法识别的数字") from exc
    qtype = rule.get("qtype") or None
    return {"topic": topic, "difficulty": difficulty, "qtype": qtype, "count": count}


def rule_label(rule: dict, topic_names: dict | None = None) -> str:
    parts = []
    if rule.get("topic"):
        parts.append((topic_names or {}).get(rule["topic"], f"专题{rule['topic']}"))
    if rule.get("difficulty"):
        parts.append(Difficulty(rule["difficulty"]).label)
    if rule.get("qtype"):
        parts.append(QuestionType(rule["qtype"]).label)
    return "、".join(parts) or "全部题目"


def rule_available(quiz: Quiz, rule: dict) -> int:
    """How many usable questions match a rule (the live count on the rule form)."""
    return attempt_services._rule_pool(quiz, normalise_rule(rule)).count()


def check_rules(quiz: Quiz, rules: list[dict]) -> list[dict]:
    """Normalised rules; refuses any that asks for more questions than the bank holds."""
    errors = []
    clean = []
    for n, raw in enumerate(rules, start=1):
        rule = normalise_rule(raw)
        if rule["count"] <= 0:
            continue
        if rule["difficulty"] is not None and rule["difficulty"] not in Difficulty.values:
            errors.append(f"第{n}条规则：未知难度")
            continue
        if rule["qtype"] is not None and rule["qtype"] not in QuestionType.values:
            errors.append(f"第{n}条规则：未知题型")
            continue
        available = rule_available(quiz, rule)
        if rule["count"] > available:
            errors.append(f"第{n}条规则要求抽取{rule['count']}道题，题库中符合条件的只有{available}道")
        clean.append(rule)
    if len(clean) > MAX_RULES:
        errors.append(f"抽题规则最多{MAX_RULES}条")
    total = sum(r["count"] for r in clean)
    if total > MAX_QUESTIONS:
        errors.append(f"一份试卷最多{MAX_QUESTIONS}道题")
    if not errors and clean:
        # Rules may overlap (a topic rule and a difficulty rule): the union must still hold every draw.
        union = set()
        for rule in clean:
            union |= set(attempt_services._rule_pool(quiz, rule).values_list("pk", flat=True))
        if len(union) < total:
            errors.append(
                f"各条规则共要求{total}道题，但符合条件的不同题目只有{len(union)}道（规则之间有重叠）"
            )
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def set_rules(quiz: Quiz, rules: list[dict], *, by=None) -> Quiz:
    """A paper drawn per attempt: N questions per topic × difficulty × type; clears any fixed slots."""
    quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
    _lock_questions(quiz)
    if quiz.kind == QuizKind.DAILY:
        raise ValidationError("每日测试按每日题数从题库抽题")
    clean = check_rules(quiz, rules)
    if not clean:
        raise ValidationError("请至少填写一条抽题规则")
    quiz.slots.all().delete()
    quiz.draw_rules = clean
    quiz.save(update_fields=["draw_rules"])
    return quiz


def question_count(quiz: Quiz) -> int:
    if quiz.draw_rules:
        return sum(int(r.get("count") or 0) for r in quiz.draw_rules)
    return quiz.slots.count()


# --- audience ------------------------------------------------------------------------------------------------------
@transaction.atomic
def set_audience(quiz: Quiz, members, *, by=None) -> int:
    """A hand list (or a class): exactly these members may take it. An empty list means the scope subtree."""
    _editable(quiz)
    members = list(members)
    root = quiz.owner
    if outside := [m for m in members if not m.organization.path.startswith(root.path)]:
        raise ValidationError(f"{outside[0].name}不在{root.name}之内，不能参加本测试")
    if by is not None:
        access = Access.of(by)
        if denied := [m for m in members if not access.can_member(C.VIEW_MEMBERS, m)]:
            raise PermissionDenied(f"您无权查看{denied[0].name}")
    QuizAudience.objects.filter(quiz=quiz).delete()
    QuizAudience.objects.bulk_create([QuizAudience(quiz=quiz, member=m) for m in members])
    return len(members)


def training_available() -> bool:
    return apps.is_installed("partyedu.training")


def class_members(training_class):
    """The members of a training class who have not withdrawn (the class's exam audience)."""
    from partyedu.training.models import Enrolment, EnrolmentStatus  # optional app

    return [
        e.member
        for e in Enrolment.objects.filter(training_class=training_class)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("member__organization")
    ]


def set_audience_from_class(quiz: Quiz, training_class, *, by=None) -> int:
    if not training_available():
        raise ValidationError("培训班模块未启用")
    return set_audience(quiz, class_members(training_class), by=by)


def _sync(original: Quiz, fresh: Quiz) -> Quiz:
    """The caller's instance follows the change (views and tests go on using it)."""
    for name in ("status", "draw_rules", "closes_at"):
        setattr(original, name, getattr(fresh, name))
    return fresh


# --- publish / close -------------------------------------------------------------------------------------------
@transaction.atomic
def publish(quiz: Quiz, *, by=None, now=None) -> Quiz:
    now = now or timezone.now()
    original = quiz
    quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
    if quiz.status != QuizStatus.DRAFT:
        raise ValidationError("只有未发布的测试可以发布")
    if quiz.closes_at and quiz.closes_at <= now:
        raise ValidationError("结束时间已过，请先修改结束时间")
    if quiz.kind == QuizKind.DAILY:
        quiz.draw_rules = _daily_rules(quiz)
    if quiz.draw_rules:
        check_rules(quiz, quiz.draw_rules)
    elif not quiz.slots.exists():
        raise ValidationError("试卷还没有题目，请先选题或设置抽题规则")
    quiz.status = QuizStatus.PUBLISHED
    quiz.save(update_fields=["status", "draw_rules"])
    return _sync(original, quiz)


@transaction.atomic
def close(quiz: Quiz, *, by=None, now=None) -> Quiz:
    """结束测试: nobody may start it again; attempts still open are handed in with what they have."""
    now = now or timezone.now()
    original = quiz
    quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
    if quiz.status == QuizStatus.CLOSED:
        return quiz
    quiz.status = QuizStatus.CLOSED
    if quiz.closes_at is None or quiz.closes_at > now:
        quiz.closes_at = now
    quiz.save(update_fields=["status", "closes_at"])
    for attempt in Attempt.objects.filter(quiz=quiz, state=AttemptState.IN_PROGRESS):
        attempt_services.submit(attempt, now=now)
    return _sync(original, quiz)
