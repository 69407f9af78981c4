"""Demo data of the quizzes side: the county's 每日一练 with a year of daily tests, and papers with finished attempts.

Runs after the bank's `seed_question_bank` (the 工委's bank of a few hundred published questions). Everything is
written in bulk and graded consistently (each AttemptItem's response, `correct` and score add up to its Attempt),
so that streaks, calendars, results and item analysis read real-looking numbers. To stay within a few seconds on
SQLite the year of daily tests is kept for a cohort of at most DAILY_COHORT members (about 40 % of them take it
on a given day, a few every day); the papers are taken by at most PAPER_TAKERS members.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from partyedu.accounts.models import User
from partyedu.members.models import Member
from partyedu.orgs.models import Organization, OrganizationKind, subtree_q

from .models import (
    Attempt,
    AttemptItem,
    AttemptState,
    Question,
    QuestionStatus,
    QuestionType,
    Quiz,
    QuizKind,
    QuizSlot,
    QuizStatus,
    ReviewPolicy,
)

DAILY_COHORT = 250
DAILY_DAYS = 365
PER_DAY = 5
PAPER_TAKERS = 600
ONE = Decimal("1")


class _Writer:
    """Builds attempts and their items in memory, graded as the engine grades, then writes them with a few
    multi-row INSERT statements (model instances and per-field preparation would cost seconds per 100,000 rows)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.attempts: list[dict] = []
        self.items: list[tuple] = []
        self._midnights: dict[datetime.date, datetime.datetime] = {}
        self.ops = connection.ops

    def at(self, day: datetime.date) -> datetime.datetime:
        """A time on `day` when people do their tests: early morning, lunch, or the evening."""
        midnight = self._midnights.get(day)
        if midnight is None:
            midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
            self._midnights[day] = midnight
        rng = self.rng
        minutes = rng.choice((rng.randint(390, 510), rng.randint(720, 810), rng.randint(1140, 1350)))
        return midnight + datetime.timedelta(minutes=minutes, seconds=rng.randint(0, 59))

    def response(self, version, right: bool) -> dict:
        answer = version.answer
        if version.qtype == QuestionType.SINGLE:
            if right:
                return {"choice": answer["choice"]}
            wrong = [i for i in range(len(version.options)) if i != answer["choice"]]
            return {"choice": self.rng.choice(wrong)}
        if version.qtype == QuestionType.MULTIPLE:
            if right:
                return {"choices": sorted(answer["choices"])}
            return {"choices": sorted(answer["choices"])[:-1]}  # one left out: the common mistake
        if version.qtype == QuestionType.JUDGE:
            return {"value": answer["value"] if right else not answer["value"]}
        blanks = answer["blanks"]
        return {"blanks": [b[0] for b in blanks] if right else ["不清楚"] * len(blanks)}

    def add(self, quiz, member_id, number, day, started, questions, skill, pass_percent):
        index = len(self.attempts)
        score = 0
        ops, rng = self.ops, self.rng
        for position, question in enumerate(questions, start=1):
            v = question.current
            order = list(range(len(v.options)))
            if quiz.shuffle_options and v.qtype in {QuestionType.SINGLE, QuestionType.MULTIPLE}:
                rng.shuffle(order)
            right = rng.random() < skill - 0.12 * (v.difficulty - 2)
            score += right
            self.items.append(
                (
                    index,
                    position,
                    v.pk,
                    question.pk,
                    member_id,
                    "1.00",
                    ops.adapt_json_value(order, None),
                    ops.adapt_json_value(self.response(v, right), None),
                    None,  # answered_at: not kept for the demo's history (it costs a third of the seeding)
                    right,
                    "1.00" if right else "0.00",
                )
            )
        n = len(questions)
        limit = quiz.time_limit_seconds
        duration = min((limit or 3600) - 5, int(n * rng.uniform(12, 45)))
        deadline = started + datetime.timedelta(seconds=limit) if limit else None
        self.attempts.append(
            {
                "quiz_id": quiz.pk,
                "member_id": member_id,
                "number": number,
                "day": ops.adapt_datefield_value(day),
                "state": AttemptState.SUBMITTED.value,
                "seed": rng.getrandbits(48),
                "started_at": ops.adapt_datetimefield_value(started),
                "deadline_at": ops.adapt_datetimefield_value(deadline) if deadline else None,
                "submitted_at": ops.adapt_datetimefield_value(started + datetime.timedelta(seconds=duration)),
                "score": f"{score}.00",
                "max_score": f"{n}.00",
                "correct_count": score,
                "passed": score * 100 >= n * pass_percent,
                "duration_seconds": duration,
            }
        )

    def write(self) -> int:
        if not self.attempts:
            return 0
        first = (Attempt.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        q = connection.ops.quote_name

        def insert(cursor, model, columns, rows):
            # multi-row VALUES: one round trip per few thousand rows on PostgreSQL as on SQLite
            names = ", ".join(q(c) for c in columns)
            row = "(" + ", ".join(["%s"] * len(columns)) + ")"
            size = 30000 // len(columns)
            for start in range(0, len(rows), size):
                chunk = rows[start : start + size]
                sql = (
                    f"INSERT INTO {q(model._meta.db_table)} ({names}) VALUES {', '.join([row] * len(chunk))}"
                )
                cursor.execute(sql, [value for r in chunk for value in r])

        item_columns = [
            "attempt_id",
            "position",
            "version_id",
            "question_id",
            "member_id",
            "points",
            "option_order",
            "response",
            "answered_at",
            "correct",
            "score",
        ]
        with connection.cursor() as cursor:
            insert(
                cursor,
                Attempt,
                ["id", *self.attempts[0]],
                [(first + n, *a.values()) for n, a in enumerate(self.attempts)],
            )
            insert(cursor, AttemptItem, item_columns, [(first + i[0], *i[1:]) for i in self.items])
            for statement in connection.ops.sequence_reset_sql(no_style(), [Attempt, AttemptItem]):
                cursor.execute(statement)
        return len(self.attempts)


def _member_accounts() -> set[int]:
    return set(User.objects.filter(member__isnull=False).values_list("member_id", flat=True))


def _seed_daily(committee, questions, members, rng, today, writer) -> Quiz:
    first_day = today - datetime.timedelta(days=DAILY_DAYS)
    quiz = Quiz.objects.create(
        owner=committee,
        title=f"{committee.unit_name or committee.name}每日一练",
        kind=QuizKind.DAILY,
        status=QuizStatus.PUBLISHED,
        description="每天5道题，坚持学习党史、党章党规和新思想。",
        draw_rules=[{"topic": None, "difficulty": None, "qtype": None, "count": PER_DAY}],
        time_limit_seconds=300,
        grace_seconds=10,
        max_attempts=0,
        review=ReviewPolicy.AFTER_SUBMIT,
        questions_per_day=PER_DAY,
        opens_at=timezone.make_aware(datetime.datetime.combine(first_day, datetime.time(0, 0))),
    )
    with_accounts = _member_accounts()
    cohort = [m for m in members if m in with_accounts]
    others = [m for m in members if m not in with_accounts]
    rng.shuffle(others)
    cohort = (cohort + others)[:DAILY_COHORT]
    for member_id in cohort:
        kind = rng.random()
        if member_id in with_accounts:  # demo logins: long streaks to show
            propensity, began = 0.97, first_day
        elif kind < 0.1:
            propensity, began = 0.95, first_day + datetime.timedelta(days=rng.randint(0, 120))
        elif kind < 0.45:
            propensity, began = 0.5, first_day + datetime.timedelta(days=rng.randint(0, 200))
        else:
            propensity, began = 0.2, first_day + datetime.timedelta(days=rng.randint(0, 300))
        skill = rng.uniform(0.55, 0.95)
        deck = list(questions)
        rng.shuffle(deck)
        cursor = 0
        day = began
        while day < today:  # today's test is left for the person at the keyboard
            if rng.random() < propensity:
                drawn = []
                for _ in range(PER_DAY):  # fresh first: a shuffled deck, reshuffled when it runs out
                    if cursor >= len(deck):
                        rng.shuffle(deck)
                        cursor = 0
                    drawn.append(deck[cursor])
                    cursor += 1
                writer.add(quiz, member_id, 0, day, writer.at(day), drawn, skill, 60)
            day += datetime.timedelta(days=1)
    # Attempt.number counts a member's attempts of the quiz
    counters: dict[int, int] = {}
    for attempt in writer.attempts:
        if attempt["quiz_id"] == quiz.pk:
            counters[attempt["member_id"]] = counters.get(attempt["member_id"], 0) + 1
            attempt["number"] = counters[attempt["member_id"]]
    return quiz


def _seed_paper(writer, rng, *, owner, title, kind, questions, takers, opens, closes, status, **settings):
    quiz = Quiz.objects.create(
        owner=owner,
        title=title,
        kind=kind,
        status=status,
        opens_at=opens,
        closes_at=closes,
        shuffle_questions=True,
        shuffle_options=True,
        **settings,
    )
    QuizSlot.objects.bulk_create(
        [QuizSlot(quiz=quiz, question=q, position=n) for n, q in enumerate(questions, start=1)]
    )
    span = max(1, int((min(closes, timezone.now()) - opens).total_seconds() // 86400))
    for member_id in takers:
        skill = rng.uniform(0.45, 0.95)
        tries = 2 if settings.get("max_attempts", 1) > 1 and rng.random() < 0.2 else 1
        for number in range(1, tries + 1):
            day = (opens + datetime.timedelta(days=rng.randrange(span))).date()
            order = list(questions)
            rng.shuffle(order)
            writer.add(
                quiz,
                member_id,
                number,
                None,
                writer.at(day),
                order,
                skill + 0.1 * (number - 1),
                quiz.pass_percent,
            )
    return quiz


@transaction.atomic
def seed_quizzes(seed: int, today: datetime.date | None = None) -> int:
    """The county's daily test with a year of attempts and three papers; returns the number of attempts (0 when a
    daily test exists: never twice)."""
    if Quiz.objects.filter(kind=QuizKind.DAILY).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed * 7919 + 5)
    committee = (
        Organization.objects.filter(kind=OrganizationKind.WORKING_COMMITTEE, parent__isnull=True)
        .order_by("pk")
        .first()
    )
    if committee is None:
        return 0
    questions = list(
        Question.objects.filter(owner=committee, status=QuestionStatus.PUBLISHED)
        .select_related("current")
        .order_by("pk")
    )
    if len(questions) < 2 * PER_DAY:
        return 0
    members = list(
        Member.objects.filter(subtree_q(committee.path, "organization__path"), left_on__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    writer = _Writer(rng)
    _seed_daily(committee, questions, members, rng, today, writer)

    now = timezone.now()
    day = datetime.timedelta(days=1)
    choice_like = [q for q in questions if q.current.qtype != QuestionType.BLANK]
    history = rng.sample(choice_like, min(20, len(choice_like)))
    takers = rng.sample(members, min(PAPER_TAKERS, int(len(members) * 0.6)))
    _seed_paper(
        writer,
        rng,
        owner=committee,
        title=f"{today.year}年党史知识测试",
        kind=QuizKind.PAPER,
        questions=history,
        takers=takers,
        opens=now - 60 * day,
        closes=now - 30 * day,
        status=QuizStatus.CLOSED,
        time_limit_seconds=20 * 60,
        max_attempts=2,
        pass_percent=60,
        review=ReviewPolicy.AFTER_CLOSE,
        description="全县党员参加，20道题，限时20分钟，60分及格。",
    )
    # A branch's own test, still open: the branch of a demo member login when there is one.
    with_accounts = _member_accounts()
    branch = (
        Organization.objects.filter(members__pk__in=with_accounts, kind=OrganizationKind.BRANCH)
        .order_by("pk")
        .first()
        or Organization.objects.filter(kind=OrganizationKind.BRANCH, members__isnull=False)
        .order_by("pk")
        .first()
    )
    if branch is not None:
        branch_members = [
            pk
            for pk in Member.objects.filter(organization=branch, left_on__isnull=True).values_list(
                "pk", flat=True
            )
            if pk not in with_accounts
        ]
        _seed_paper(
            writer,
            rng,
            owner=branch,
            title="政策法规测试",
            kind=QuizKind.PAPER,
            questions=rng.sample(choice_like, min(10, len(choice_like))),
            takers=rng.sample(branch_members, int(len(branch_members) * 0.6)),
            opens=now - 10 * day,
            closes=now + 20 * day,
            status=QuizStatus.PUBLISHED,
            time_limit_seconds=15 * 60,
            max_attempts=2,
            pass_percent=80,
            review=ReviewPolicy.AFTER_SUBMIT,
            description="本支部党员参加，10道题，80分合格，可作答两次。",
        )
    _seed_paper(
        writer,
        rng,
        owner=committee,
        title="学习贯彻党章党规知识考试",
        kind=QuizKind.EXAM,
        questions=rng.sample(choice_like, min(15, len(choice_like))),
        takers=rng.sample(members, min(80, len(members) // 10)),
        opens=now - 3 * day,
        closes=now + 14 * day,
        status=QuizStatus.PUBLISHED,
        time_limit_seconds=30 * 60,
        max_attempts=1,
        pass_percent=60,
        review=ReviewPolicy.AFTER_CLOSE,
    )
    return writer.write()
