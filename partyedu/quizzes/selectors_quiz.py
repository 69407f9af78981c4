"""Reads of quizzes: what a member may take, his daily streak, the organiser's lists and results.

Every list here is a fixed number of queries whatever its length (attempts are fetched once per page and joined
in Python), and the review policy is decided in one place (`can_review`) so that no page shows a key early.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from partyedu.accounts.access import Access
from partyedu.members.models import Member
from partyedu.orgs.models import SEGMENT, Organization, subtree_q

from .models import Attempt, AttemptState, Quiz, QuizAudience, QuizKind, QuizStatus, ReviewPolicy
from .quiz_services import MANAGE_CAPS, ORGANISED_KINDS

FINISHED = (AttemptState.SUBMITTED, AttemptState.EXPIRED)
TAKEN_KINDS = (QuizKind.PAPER, QuizKind.EXAM)


def ancestor_paths(path: str) -> list[str]:
    return [path[:i] for i in range(SEGMENT, len(path) + 1, SEGMENT)]


# --- who may take what -------------------------------------------------------------------------------------------
def audience_q(member: Member, prefix: str = "") -> Q:
    """Quizzes `member` may take: in his hand list, or (no list) his organisation lies in the scope subtree."""
    paths = ancestor_paths(member.organization.path)
    listed = QuizAudience.objects.filter(quiz=OuterRef("pk"))
    in_list = Exists(listed.filter(member=member))
    in_scope = Q(scope__path__in=paths) | Q(scope__isnull=True, owner__path__in=paths)
    return in_list | (~Exists(listed) & in_scope)


def takeable_quizzes(member: Member):
    return Quiz.objects.filter(audience_q(member)).select_related("owner")


def is_closed(quiz: Quiz, now=None) -> bool:
    now = now or timezone.now()
    return quiz.status == QuizStatus.CLOSED or bool(quiz.closes_at and quiz.closes_at <= now)


def can_review(attempt: Attempt, now=None) -> bool:
    """Whether the key and 解析 may be shown for a finished attempt (never while it is open)."""
    if attempt.state == AttemptState.IN_PROGRESS:
        return False
    policy = attempt.quiz.review
    if policy == ReviewPolicy.AFTER_SUBMIT:
        return True
    if policy == ReviewPolicy.AFTER_CLOSE:
        return is_closed(attempt.quiz, now)
    return False


@dataclass
class MyQuiz:
    quiz: Quiz
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def open_attempt(self):
        return next((a for a in self.attempts if a.state == AttemptState.IN_PROGRESS), None)

    @property
    def finished(self):
        return [a for a in self.attempts if a.state in FINISHED]

    @property
    def best(self):
        done = self.finished
        return max(done, key=lambda a: (a.score, -(a.duration_seconds or 0))) if done else None

    @property
    def attempts_left(self) -> int | None:
        if not self.quiz.max_attempts:
            return None
        return max(0, self.quiz.max_attempts - len(self.attempts))


def my_quizzes(member: Member, now=None) -> dict[str, list[MyQuiz]]:
    """我的测试: open (may start or continue), upcoming, done. Two queries."""
    now = now or timezone.now()
    quizzes = list(
        takeable_quizzes(member)
        .filter(kind__in=TAKEN_KINDS, status__in=[QuizStatus.PUBLISHED, QuizStatus.CLOSED])
        .order_by("-created_at", "-pk")[:200]
    )
    by_quiz: dict[int, MyQuiz] = {q.pk: MyQuiz(q) for q in quizzes}
    for attempt in Attempt.objects.filter(member=member, quiz_id__in=list(by_quiz)).order_by("number"):
        by_quiz[attempt.quiz_id].attempts.append(attempt)
    groups: dict[str, list[MyQuiz]] = {"open": [], "upcoming": [], "done": []}
    for row in by_quiz.values():
        quiz = row.quiz
        if is_closed(quiz, now):
            if row.attempts:
                groups["done"].append(row)
        elif quiz.opens_at and quiz.opens_at > now:
            groups["upcoming"].append(row)
        elif row.open_attempt or row.attempts_left != 0:
            groups["open"].append(row)
        else:
            groups["done"].append(row)
    return groups


# --- daily tests ---------------------------------------------------------------------------------------------------
def daily_quiz_for(member: Member, now=None):
    """The county's daily test for `member`: the nearest published one whose scope covers him."""
    now = now or timezone.now()
    candidates = list(
        takeable_quizzes(member)
        .filter(kind=QuizKind.DAILY, status=QuizStatus.PUBLISHED)
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .select_related("scope")
    )
    if not candidates:
        return None
    return max(candidates, key=lambda q: (len((q.scope or q.owner).path), q.pk))


def daily_days(member: Member, quiz: Quiz, since: datetime.date) -> dict[datetime.date, Attempt]:
    return {
        a.day: a
        for a in Attempt.objects.filter(quiz=quiz, member=member, day__gte=since, state__in=FINISHED).only(
            "day", "score", "max_score", "correct_count", "state", "quiz_id"
        )
    }


def streak(member: Member, quiz: Quiz, today: datetime.date | None = None) -> int:
    """Consecutive days with a finished daily test, ending today (or yesterday, when today's is still to do)."""
    today = today or timezone.localdate()
    days = set(
        Attempt.objects.filter(
            quiz=quiz, member=member, state__in=FINISHED, day__lte=today, day__isnull=False
        ).values_list("day", flat=True)
    )
    day = today if today in days else today - datetime.timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= datetime.timedelta(days=1)
    return count


def daily_calendar(
    member: Member, quiz: Quiz, today: datetime.date | None = None, days: int = 30
) -> list[dict]:
    """The last `days` days, oldest first: each {day, attempt or None, today}."""
    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=days - 1)
    done = daily_days(member, quiz, first)
    return [
        {"day": d, "attempt": done.get(d), "today": d == today}
        for d in (first + datetime.timedelta(days=i) for i in range(days))
    ]


def today_attempt(member: Member, quiz: Quiz, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return Attempt.objects.filter(quiz=quiz, member=member, day=today).first()


# --- organisers --------------------------------------------------------------------------------------------------
def manage_q(user, field: str = "owner__path") -> Q:
    access = Access.of(user)
    q = Q(pk__in=[])
    for cap in MANAGE_CAPS:
        q |= access.org_q(cap, field)
    return q


def managed_quizzes(user):
    """The quizzes a worker organises (owner in his MANAGE_ORG or CHANGE_MEMBERS subtree), with counts."""
    return (
        Quiz.objects.filter(manage_q(user), kind__in=ORGANISED_KINDS)
        .select_related("owner")
        .annotate(
            n_attempts=Count("attempts", filter=Q(attempts__state__in=FINISHED)),
            n_takers=Count("attempts__member", filter=Q(attempts__state__in=FINISHED), distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def eligible_members(quiz: Quiz):
    """Who should take the quiz: the hand list, else the scope subtree's members still on the roster."""
    if QuizAudience.objects.filter(quiz=quiz).exists():
        return Member.objects.filter(pk__in=QuizAudience.objects.filter(quiz=quiz).values("member_id"))
    root = quiz.scope or quiz.owner
    return Member.objects.filter(subtree_q(root.path, "organization__path"), left_on__isnull=True)


@dataclass
class ResultRow:
    member: Member
    best: Attempt | None
    attempts: int


def results(quiz: Quiz) -> list[ResultRow]:
    """Per member who took it: the best finished attempt (score, then the shorter time) and how many attempts."""
    rows: dict[int, ResultRow] = {}
    finished = (
        Attempt.objects.filter(quiz=quiz, state__in=FINISHED)
        .select_related("member__organization")
        .order_by("member__organization__path", "member__sort_key", "-score", "duration_seconds", "pk")
    )
    for attempt in finished:
        row = rows.get(attempt.member_id)
        if row is None:
            rows[attempt.member_id] = ResultRow(attempt.member, attempt, 1)
        else:
            row.attempts += 1
    return list(rows.values())


def not_taken(quiz: Quiz):
    taken = Attempt.objects.filter(quiz=quiz, member=OuterRef("pk"), state__in=FINISHED)
    return (
        eligible_members(quiz)
        .filter(~Exists(taken))
        .select_related("organization")
        .order_by("organization__path", "sort_key")
    )


def result_summary(quiz: Quiz, rows: list[ResultRow]) -> dict:
    eligible = eligible_members(quiz).count()
    passed = sum(1 for r in rows if r.best and r.best.passed)
    scores = [float(r.best.percent) for r in rows if r.best]
    return {
        "eligible": eligible,
        "taken": len(rows),
        "passed": passed,
        "rate": round(len(rows) * 100 / eligible) if eligible else 0,
        "pass_rate": round(passed * 100 / len(rows)) if rows else 0,
        "average": round(sum(scores) / len(scores), 1) if scores else 0,
    }


def exam_result(quiz: Quiz, member) -> tuple[bool | None, object]:
    """(passed, best score) of `member` in an exam: (None, None) when he has not finished one. For training
    completion: passed is True when any finished attempt reached the pass mark."""
    best = (
        Attempt.objects.filter(quiz=quiz, member=member, state__in=FINISHED)
        .order_by("-score", "duration_seconds", "pk")
        .first()
    )
    if best is None:
        return None, None
    return bool(best.passed), best.score


def daily_participation(quiz: Quiz, root: Organization, days: list[datetime.date]) -> list[dict]:
    """Per organisation directly under `root` (and root's own members): each day's share of its members who
    finished the daily test. Three grouped queries whatever the number of organisations and days."""
    children = list(
        Organization.objects.filter(parent=root).order_by("order", "path").only("pk", "name", "path")
    )
    buckets = [(c.path, c) for c in children]

    def bucket_of(path: str):
        for prefix, org in buckets:
            if path.startswith(prefix):
                return org.pk
        return root.pk

    headcount: dict[int, int] = {}
    for path, n in (
        Member.objects.filter(subtree_q(root.path, "organization__path"), left_on__isnull=True)
        .values_list("organization__path")
        .annotate(n=Count("pk"))
    ):
        key = bucket_of(path)
        headcount[key] = headcount.get(key, 0) + n
    done: dict[tuple[int, datetime.date], int] = {}
    for path, day, n in (
        Attempt.objects.filter(
            quiz=quiz,
            day__in=days,
            state__in=FINISHED,
        )
        .filter(subtree_q(root.path, "member__organization__path"))
        .values_list("member__organization__path", "day")
        .annotate(n=Count("pk"))
    ):
        key = (bucket_of(path), day)
        done[key] = done.get(key, 0) + n
    rows = []
    for org in [*children, root]:
        members = headcount.get(org.pk, 0)
        if not members:
            continue
        cells = []
        for day in days:
            n = done.get((org.pk, day), 0)
            cells.append({"day": day, "n": n, "rate": round(n * 100 / members)})
        rows.append({"org": org, "members": members, "cells": cells, "own": org.pk == root.pk})
    return rows
