"""What a competition leaves behind and what it costs: papers made by the quiz engine, points for the places
won, and a start that does not stampede however many players wait for it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partyedu.competitions import live, services
from partyedu.competitions.models import CompetitionMode, TeamMode
from partyedu.points.models import EventKind, PointsEntry
from partyedu.points.services import install_default_rules
from partyedu.quizzes import attempt_services, bank_services
from partyedu.quizzes.models import QuizKind, QuizStatus
from tests.factories import MemberFactory

from .test_async import START, play

T0 = datetime.datetime(2026, 7, 1, 9, 0, tzinfo=datetime.UTC)


def at(seconds: float) -> datetime.datetime:
    return T0 + datetime.timedelta(seconds=seconds)


@pytest.fixture
def rules(county):
    """The county's points rules: 知识竞赛获奖 10 points, at most 30 a year."""
    install_default_rules(scope=county.committee)


def placing_points(member) -> list[Decimal]:
    return list(
        PointsEntry.objects.filter(member=member, event_kind=EventKind.COMPETITION_PLACING).values_list(
            "points", flat=True
        )
    )


def live_session(county, questions, top_n=10):
    competition = services.create_competition(
        owner=county.committee,
        title="党史知识现场赛",
        mode=CompetitionMode.LIVE,
        questions=questions[:1],
        team_mode=TeamMode.BRANCH,
        top_n=top_n,
        by=county.committee_admin,
    )
    return services.create_session(competition, host=county.committee_admin)


# --- the paper is the quiz engine's --------------------------------------------------------------------------
def test_the_paper_is_made_and_published_by_the_quiz_engine(county, questions):
    competition = services.create_competition(
        owner=county.committee, title="知识竞赛", questions=questions, by=county.committee_admin
    )
    quiz = competition.quiz
    assert quiz.kind == QuizKind.COMPETITION and quiz.status == QuizStatus.PUBLISHED
    assert list(quiz.slots.order_by("position").values_list("question_id", flat=True)) == [
        q.pk for q in questions
    ]


def test_a_draft_question_cannot_go_into_a_competition(county, questions):
    """The engine's check that every question of a paper is usable applies to competitions too."""
    draft = bank_services.create_question(
        county.committee,
        qtype="judge",
        stem="遵义会议是党的历史上一个生死攸关的转折点。",
        answer={"value": True},
        publish=False,
    )
    with pytest.raises(ValidationError, match="不在可用题库中"):
        services.create_competition(
            owner=county.committee,
            title="知识竞赛",
            questions=[questions[0], draft],
            by=county.committee_admin,
        )


# --- points for placing ---------------------------------------------------------------------------------------
def test_closing_an_online_competition_credits_its_top_n_once(county, questions, rules):
    competition = services.create_competition(
        owner=county.committee,
        title="“学党史、强信念”党史知识竞赛",
        questions=questions,
        top_n=2,
        by=county.committee_admin,
    )
    zhang, li, zeng = county.finance_members
    wang, zhao = county.education_members
    play(competition, zhang, 3, 60)
    play(competition, li, 3, 45)
    play(competition, wang, 3, 60, started=START + datetime.timedelta(seconds=5))  # ties 张三 for 2nd place
    play(competition, zeng, 2, 10)
    play(competition, zhao, 0, 10)
    services.close_competition(competition, by=county.committee_admin)
    assert competition.quiz.status == QuizStatus.CLOSED
    assert placing_points(li) == placing_points(zhang) == placing_points(wang) == [Decimal("10")]
    assert placing_points(zeng) == placing_points(zhao) == []
    # closing again (or a retry) credits nobody twice
    services.close_competition(competition, by=county.committee_admin)
    assert services.award_placings(competition, [(li.pk, 1)]) == 0
    assert placing_points(li) == [Decimal("10")]


def test_finishing_a_live_session_credits_its_placings_once_per_competition(county, questions, rules):
    session = live_session(county, questions, top_n=2)
    zhang, li, zeng = county.finance_members
    wang = county.education_members[0]
    players = {m.name: services.join(session, m) for m in (zhang, li, zeng, wang)}
    services.open_next(session, by=county.committee_admin, now=at(0))
    for name, t, choice in (("王五", 2, 1), ("张三", 4, 1), ("李四", 4, 1), ("曾小明", 1, 0)):
        p = players[name]
        live.submit_answer(session.pk, p.pk, p.member_id, 1, {"choice": choice}, now=at(t))
    services.finish(session, by=county.committee_admin, now=at(30))
    # 王五 first; 张三 and 李四 tie for second: both placed; 曾小明 answered wrong
    assert placing_points(wang) == placing_points(zhang) == placing_points(li) == [Decimal("10")]
    assert placing_points(zeng) == []
    # a second session of the same competition does not pay its winners again
    again = services.create_session(session.competition, host=county.committee_admin)
    p = services.join(again, wang)
    services.open_next(again, by=county.committee_admin, now=at(100))
    live.submit_answer(again.pk, p.pk, wang.pk, 1, {"choice": 1}, now=at(101))
    services.finish(again, by=county.committee_admin, now=at(130))
    assert placing_points(wang) == [Decimal("10")]


# --- no stampede at the start ---------------------------------------------------------------------------------
def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_opening_a_round_costs_the_same_for_three_players_or_thirty(county, questions, monkeypatch):
    """The question is built once per host action (the snapshot), never once per player."""
    monkeypatch.setattr(live, "SNAPSHOT_LOCAL_SECONDS", 3600)  # no re-read within the test, however slow
    few, many = live_session(county, questions), live_session(county, questions)
    for m in county.finance_members:
        services.join(few, m)
    crowd = [MemberFactory.create(organization=county.finance_branch) for _ in range(30)]
    for m in crowd:
        services.join(many, m)
    cost_few = _queries(lambda: services.open_next(few, by=county.committee_admin, now=at(0)))
    cost_many = _queries(lambda: services.open_next(many, by=county.committee_admin, now=at(0)))
    assert cost_few == cost_many
    # every poll and every answer's check of the round reads that snapshot: no query at all
    polls = _queries(lambda: [live.public_state(live.snapshot(many.pk), at(1).timestamp()) for _ in crowd])
    assert polls == 0


def test_members_starting_an_online_competition_each_cost_the_same(county, questions):
    """An online competition's attempts are drawn per member when he starts, from a paper built once: the
    hundredth start costs what the second did (no work grows with the number already playing)."""
    competition = services.create_competition(
        owner=county.committee, title="党史知识竞赛", questions=questions, by=county.committee_admin
    )
    crowd = [MemberFactory.create(organization=county.finance_branch) for _ in range(12)]
    attempt_services.start_attempt(competition.quiz, crowd[0], now=START)
    second = _queries(lambda: attempt_services.start_attempt(competition.quiz, crowd[1], now=START))
    for m in crowd[2:-1]:
        attempt_services.start_attempt(competition.quiz, m, now=START)
    last = _queries(lambda: attempt_services.start_attempt(competition.quiz, crowd[-1], now=START))
    assert last == second
