"""Writes of attempts: start (draw and shuffle), answer, submit; the clock is the server's.

An attempt's deadline is fixed when it starts (time limit, but never past the quiz's close); answers arriving
later than deadline + grace are refused and the attempt is closed with what it had (EXPIRED).
"""

from __future__ import annotations

import datetime
import random
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from . import grading
from .models import (
    Attempt,
    AttemptItem,
    AttemptState,
    Question,
    QuestionStatus,
    Quiz,
    QuizKind,
    QuizStatus,
)


def usable_questions(quiz: Quiz):
    """Published questions of the banks of the quiz owner and its ancestors (the 工委's bank serves all)."""
    owner = quiz.owner
    prefixes = [owner.path[:i] for i in range(8, len(owner.path) + 1, 8)] if owner.path else []
    return Question.objects.filter(status=QuestionStatus.PUBLISHED, owner__path__in=prefixes or [owner.path])


def _rule_pool(quiz: Quiz, rule: dict):
    pool = usable_questions(quiz)
    if rule.get("topic"):
        pool = pool.filter(topics=rule["topic"])
    if rule.get("difficulty"):
        pool = pool.filter(current__difficulty=rule["difficulty"])
    if rule.get("qtype"):
        pool = pool.filter(current__qtype=rule["qtype"])
    return pool


def draw_questions(
    quiz: Quiz, member, rng: random.Random, *, fresh_first: bool = False
) -> list[tuple[int, Decimal]]:
    """(question id, points) for a new attempt. Fixed papers take their slots; drawn papers take `count`
    questions per rule without repeating a question across rules. With `fresh_first` (daily tests) questions the
    member has never been shown come first, then those seen longest ago: nothing repeats until the bank runs out."""
    if not quiz.draw_rules:
        return [
            (qid, pts) for qid, pts in quiz.slots.order_by("position").values_list("question_id", "points")
        ]
    chosen: list[int] = []
    seen_at: dict[int, datetime.datetime] = {}
    if fresh_first:
        seen_at = dict(
            AttemptItem.objects.filter(member=member)
            .values_list("question_id")
            .annotate(last=Max("attempt__started_at"))
            .values_list("question_id", "last")
        )
    for rule in quiz.draw_rules:
        count = int(rule.get("count") or 0)
        ids = sorted(set(_rule_pool(quiz, rule).values_list("pk", flat=True)) - set(chosen))
        rng.shuffle(ids)
        if fresh_first:
            floor = datetime.datetime.min.replace(tzinfo=datetime.UTC)
            ids.sort(key=lambda qid: seen_at.get(qid, floor))  # stable: unseen (floor) first, in random order
        chosen.extend(ids[:count])
    return [(qid, Decimal("1")) for qid in chosen]


def may_take(quiz: Quiz, member) -> bool:
    """Whether `member` is in the quiz's audience (a list, else the scope subtree, else the owner's subtree)."""
    if quiz.audience.exists():
        return quiz.audience.filter(member=member).exists()
    root = quiz.scope or quiz.owner
    return member.organization.path.startswith(root.path)


def check_open(quiz: Quiz, now: datetime.datetime) -> None:
    if quiz.status != QuizStatus.PUBLISHED:
        raise ValidationError("该测试尚未发布或已结束")
    if quiz.opens_at and now < quiz.opens_at:
        raise ValidationError(f"该测试将于{timezone.localtime(quiz.opens_at):%Y年%m月%d日 %H:%M}开始")
    if quiz.closes_at and now >= quiz.closes_at:
        raise ValidationError("该测试已结束")


@transaction.atomic
def start_attempt(quiz: Quiz, member, *, now=None, day: datetime.date | None = None) -> Attempt:
    """Start (or resume) the member's attempt. Returns the open attempt if he has one: one active attempt each."""
    now = now or timezone.now()
    check_open(quiz, now)
    if not may_take(quiz, member):
        raise ValidationError("您不在本次测试的参加范围内")
    open_attempt = (
        Attempt.objects.select_for_update()
        .filter(quiz=quiz, member=member, state=AttemptState.IN_PROGRESS)
        .first()
    )
    if quiz.kind == QuizKind.DAILY:
        day = day or timezone.localdate(now)
    if open_attempt is not None:
        if expire_if_overdue(open_attempt, now=now):
            open_attempt = None
        elif quiz.kind == QuizKind.DAILY and open_attempt.day != day:
            # Yesterday's daily test left open is handed in as it stands; today's is a new one.
            _finish(open_attempt, now, AttemptState.EXPIRED)
            open_attempt = None
        else:
            return open_attempt
    if quiz.kind == QuizKind.DAILY and Attempt.objects.filter(quiz=quiz, member=member, day=day).exists():
        raise ValidationError("今天的每日测试已经完成，明天再来")
    done = Attempt.objects.filter(quiz=quiz, member=member).count()
    if quiz.kind != QuizKind.DAILY and quiz.max_attempts and done >= quiz.max_attempts:
        raise ValidationError(f"本测试最多可作答{quiz.max_attempts}次，您已用完")
    seed = secrets.randbits(48)
    rng = random.Random(seed)
    drawn = draw_questions(quiz, member, rng, fresh_first=quiz.kind == QuizKind.DAILY)
    if not drawn:
        raise ValidationError("题库中没有可用的题目，请联系组织单位")
    if quiz.shuffle_questions:
        rng.shuffle(drawn)
    deadline = None
    if quiz.time_limit_seconds:
        deadline = now + datetime.timedelta(seconds=quiz.time_limit_seconds)
    if quiz.closes_at and (deadline is None or deadline > quiz.closes_at):
        deadline = quiz.closes_at
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                quiz=quiz,
                member=member,
                number=done + 1,
                day=day if quiz.kind == QuizKind.DAILY else None,
                seed=seed,
                started_at=now,
                deadline_at=deadline,
            )
    except IntegrityError as exc:  # a second tab started at the same moment
        raise ValidationError("您已有一份正在作答的试卷，请刷新页面") from exc
    questions = {
        q.pk: q for q in Question.objects.filter(pk__in=[qid for qid, _ in drawn]).select_related("current")
    }
    items = []
    max_score = Decimal("0")
    for position, (qid, points) in enumerate(drawn, start=1):
        version = questions[qid].current
        order = list(range(len(version.options)))
        if quiz.shuffle_options and version.qtype in {"single", "multiple"}:
            rng.shuffle(order)
        items.append(
            AttemptItem(
                attempt=attempt,
                position=position,
                version=version,
                question_id=qid,
                member=member,
                points=points,
                option_order=order,
            )
        )
        max_score += points
    AttemptItem.objects.bulk_create(items)
    attempt.max_score = max_score
    attempt.save(update_fields=["max_score"])
    return attempt


def unshuffle(item: AttemptItem, shown: dict | None) -> dict | None:
    """A response in shown positions → original option indexes (what grading expects)."""
    if shown is None:
        return None
    order = item.option_order or []

    def original(pos):
        try:
            return order[int(pos)]
        except (TypeError, ValueError, IndexError):
            return -1

    if item.version.qtype == "single" and "choice" in shown:
        return {"choice": original(shown["choice"])}
    if item.version.qtype == "multiple" and "choices" in shown:
        return {"choices": sorted({original(p) for p in shown.get("choices") or []})}
    return shown


def is_late(attempt: Attempt, now: datetime.datetime) -> bool:
    if attempt.deadline_at is None:
        return False
    return now > attempt.deadline_at + datetime.timedelta(seconds=attempt.quiz.grace_seconds)


class LateAnswer(ValidationError):
    """The answer came after deadline + grace; the attempt has been closed with what it had."""


def answer(attempt: Attempt, position: int, shown_response: dict | None, *, now=None) -> AttemptItem:
    """Save (or change) the answer to one question, given in the positions the player saw."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
        if attempt.state != AttemptState.IN_PROGRESS:
            raise ValidationError("本次作答已交卷")
        late = is_late(attempt, now)
        if late:
            _finish(attempt, now, AttemptState.EXPIRED)  # committed: the refusal below must not undo it
        else:
            item = attempt.items.select_related("version").filter(position=position).first()
            if item is None:
                raise ValidationError("没有这道题")
            item.response = unshuffle(item, shown_response)
            item.answered_at = now
            item.save(update_fields=["response", "answered_at"])
            return item
    raise LateAnswer("作答时间已到，系统已自动交卷")


def answer_many(attempt: Attempt, shown_responses: dict[int, dict | None], *, now=None) -> int:
    """Save several answers at once (the whole paper posted by 交卷 without scripts); positions not in the paper
    are ignored. Late answers are refused as in `answer`. Returns how many changed."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
        if attempt.state != AttemptState.IN_PROGRESS:
            raise ValidationError("本次作答已交卷")
        if not is_late(attempt, now):
            changed = []
            for item in attempt.items.select_related("version").filter(position__in=list(shown_responses)):
                response = unshuffle(item, shown_responses[item.position])
                if response != item.response:
                    item.response, item.answered_at = response, now
                    changed.append(item)
            AttemptItem.objects.bulk_update(changed, ["response", "answered_at"])
            return len(changed)
        _finish(attempt, now, AttemptState.EXPIRED)
    raise LateAnswer("作答时间已到，系统已自动交卷")


def _finish(attempt: Attempt, now: datetime.datetime, state: str) -> Attempt:
    items = list(attempt.items.select_related("version"))
    score, correct_count = Decimal("0"), 0
    for item in items:
        item.correct = grading.is_correct(item.version.qtype, item.version.answer, item.response)
        item.score = item.points if item.correct else Decimal("0")
        score += item.score
        correct_count += item.correct
    AttemptItem.objects.bulk_update(items, ["correct", "score"])
    attempt.state = state
    attempt.score = score
    attempt.correct_count = correct_count
    ended = min(now, attempt.deadline_at) if attempt.deadline_at and state == AttemptState.EXPIRED else now
    attempt.submitted_at = ended
    attempt.duration_seconds = max(0, int((ended - attempt.started_at).total_seconds()))
    attempt.passed = bool(attempt.max_score) and score * 100 >= attempt.max_score * attempt.quiz.pass_percent
    attempt.save(
        update_fields=["state", "score", "correct_count", "submitted_at", "duration_seconds", "passed"]
    )
    from . import events

    events.attempt_finished(attempt)
    return attempt


@transaction.atomic
def submit(attempt: Attempt, *, now=None) -> Attempt:
    """交卷. Late submissions (after deadline + grace) close the attempt as EXPIRED with the answers saved in
    time; answers are never taken from a late submission."""
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
    if attempt.state != AttemptState.IN_PROGRESS:
        return attempt
    return _finish(attempt, now, AttemptState.EXPIRED if is_late(attempt, now) else AttemptState.SUBMITTED)


def expire_if_overdue(attempt: Attempt, *, now=None) -> bool:
    now = now or timezone.now()
    if attempt.state == AttemptState.IN_PROGRESS and is_late(attempt, now):
        _finish(attempt, now, AttemptState.EXPIRED)
        return True
    return False


@transaction.atomic
def expire_overdue(now=None) -> int:
    """Close every attempt whose time ran out (a task run by the worker; pages also close them lazily)."""
    now = now or timezone.now()
    overdue = Attempt.objects.filter(
        state=AttemptState.IN_PROGRESS, deadline_at__isnull=False
    ).select_related("quiz")
    count = 0
    for attempt in overdue.filter(deadline_at__lt=now):
        if expire_if_overdue(attempt, now=now):
            count += 1
    return count


__all__ = ["answer", "answer_many", "draw_questions", "expire_overdue", "start_attempt", "submit"]
