"""Every write of competitions: create one, run a live session (join, start, open, close, finish)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.points.models import EventKind
from partyedu.quizzes import attempt_services, quiz_services
from partyedu.quizzes.models import Question, QuizSlot, ReviewPolicy

from . import board, live
from .models import (
    BoardVisibility,
    Competition,
    CompetitionMode,
    LivePlayer,
    LiveRound,
    LiveSession,
    SessionState,
    TeamMode,
    new_join_code,
)


# --- who may ---------------------------------------------------------------------------------------------------
def can_manage(user, competition: Competition) -> bool:
    """Workers who may change members of the organising organisation run its competitions."""
    return Access.of(user).can_org(C.CHANGE_MEMBERS, competition.quiz.owner)


def may_play(member, competition: Competition) -> bool:
    return member is not None and attempt_services.may_take(competition.quiz, member)


def team_of(member, team_mode: str):
    """The organisation a member plays for: his branch, or his unit (the organisation just below the top of the
    tree that holds his branch: a 党委 or 党组)."""
    org = member.organization
    if team_mode == TeamMode.BRANCH:
        return org
    if team_mode == TeamMode.UNIT:
        from partyedu.orgs.models import SEGMENT, Organization

        if org.depth <= 1:
            return org
        return Organization.objects.filter(path=org.path[: 2 * SEGMENT]).first() or org
    return None


# --- competitions ----------------------------------------------------------------------------------------------
@transaction.atomic
def create_competition(
    *,
    owner,
    title: str,
    mode: str = CompetitionMode.ASYNC,
    questions: list[Question] | None = None,
    question_count: int = 10,
    team_mode: str = TeamMode.NONE,
    board_visibility: str = BoardVisibility.TOP,
    top_n: int = 10,
    seconds_per_question: int = 20,
    time_limit_seconds: int | None = None,
    opens_at=None,
    closes_at=None,
    description: str = "",
    by=None,
    seed: int | None = None,
    now=None,
) -> Competition:
    """A competition on a new fixed paper of kind 'competition' (questions given, or drawn at random from the
    banks the organiser may use), made and published by the quiz engine: it opens at `opens_at`."""
    if by is not None and not Access.of(by).can_org(C.CHANGE_MEMBERS, owner):
        raise PermissionDenied("只能为本单位组织知识竞赛")
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = "请填写竞赛名称"
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = "结束时间应晚于开始时间"
    if not 5 <= int(seconds_per_question or 0) <= 300:
        errors["seconds_per_question"] = "每题限时应在 5 到 300 秒之间"
    if errors:
        raise ValidationError(errors)
    quiz = quiz_services.create_competition_paper(
        owner,
        by=by,
        question_ids=None if questions is None else [q.pk for q in questions],
        question_count=question_count,
        seed=seed,
        now=now,
        title=title,
        description=description,
        shuffle_questions=mode == CompetitionMode.ASYNC,
        shuffle_options=mode == CompetitionMode.ASYNC,
        time_limit_seconds=time_limit_seconds,
        grace_seconds=5,
        max_attempts=1,
        opens_at=opens_at,
        closes_at=closes_at,
        review=ReviewPolicy.AFTER_CLOSE,
    )
    return Competition.objects.create(
        quiz=quiz,
        mode=mode,
        team_mode=team_mode,
        board=board_visibility,
        top_n=max(1, int(top_n or 10)),
        seconds_per_question=int(seconds_per_question),
        created_by=by,
    )


@transaction.atomic
def close_competition(competition: Competition, *, by=None, now=None) -> Competition:
    """结束竞赛: the quiz engine closes the paper (attempts still open are handed in), then the placings of the
    asynchronous ranking earn their points."""
    if by is not None and not can_manage(by, competition):
        raise PermissionDenied("您没有权限结束该竞赛")
    now = now or timezone.now()
    quiz_services.close(competition.quiz, by=by, now=now)
    competition.quiz.refresh_from_db()
    if competition.mode == CompetitionMode.ASYNC:
        from . import selectors

        placed = [
            (row["member_id"], row["rank"])
            for row in selectors.ranking(competition)
            if row["rank"] <= competition.top_n and row["score"] > 0
        ]
        award_placings(competition, placed, now=now)
    return competition


# --- points for placing ----------------------------------------------------------------------------------------
def placing_source(competition: Competition) -> str:
    return f"competition:{competition.pk}:placing"


def award_placings(competition: Competition, placed: list[tuple[int, int]], *, now=None) -> int:
    """知识竞赛获奖: every member placed within the competition's top N (`top_n`, the places it announces; ties
    on the N-th place all count) who scored something earns the points rule's COMPETITION_PLACING credit, once
    per competition whatever the number of its sessions (the source key is the competition's). Returns the
    number of new credits."""
    from partyedu.members.models import Member
    from partyedu.points import services as points

    now = now or timezone.now()
    members = Member.objects.in_bulk([member_id for member_id, _ in placed])
    credited = 0
    for member_id, rank in placed:
        result = points.award(
            members[member_id],
            EventKind.COMPETITION_PLACING,
            source_key=placing_source(competition),
            reason=f"{competition.title} 第{rank}名"[:200],
            occurred_at=now,
        )
        credited += result.created
    return credited


# --- live sessions ---------------------------------------------------------------------------------------------
@transaction.atomic
def create_session(competition: Competition, *, host) -> LiveSession:
    """A live session of a competition, its rounds fixed now from the paper (the versions current today)."""
    if not can_manage(host, competition):
        raise PermissionDenied("只有组织单位的党务工作者可以主持竞赛")
    slots = list(
        QuizSlot.objects.filter(quiz=competition.quiz).select_related("question").order_by("position")
    )
    if not slots:
        raise ValidationError("该竞赛没有题目")
    for _ in range(5):
        try:
            with transaction.atomic():
                session = LiveSession.objects.create(
                    competition=competition,
                    host=host,
                    join_code=new_join_code(),
                    seconds_per_question=competition.seconds_per_question,
                )
            break
        except IntegrityError:
            continue
    else:
        raise ValidationError("生成加入码失败，请重试")
    LiveRound.objects.bulk_create(
        [
            LiveRound(session=session, number=i, question=s.question, version_id=s.question.current_id)
            for i, s in enumerate(slots, start=1)
        ]
    )
    return session


def _require_host(session: LiveSession, user) -> None:
    if user is None or session.host_id != user.pk:
        raise PermissionDenied("只有主持人可以控制竞赛进程")


def join(session: LiveSession, member) -> LivePlayer:
    """A member joins (again): players come in while the session waits in the lobby, or later."""
    with transaction.atomic():
        player, created = _join(session, member)
    if created:
        board.on_join(session.pk, player.pk, player.name)
    return player


def _join(session: LiveSession, member) -> tuple[LivePlayer, bool]:
    competition = session.competition
    if session.state == SessionState.FINISHED:
        raise ValidationError("本场竞赛已结束")
    if not may_play(member, competition):
        raise ValidationError("您不在本次竞赛的参加范围内")
    player = LivePlayer.objects.filter(session=session, member=member).first()
    if player is not None:
        return player, False
    team = team_of(member, competition.team_mode)
    try:
        with transaction.atomic():
            player = LivePlayer.objects.create(session=session, member=member, name=member.name, team=team)
    except IntegrityError:
        return LivePlayer.objects.get(session=session, member=member), False
    return player, True


def _locked(session: LiveSession) -> LiveSession:
    return LiveSession.objects.select_for_update().select_related("competition__quiz").get(pk=session.pk)


def open_next(session: LiveSession, *, by, now=None) -> LiveRound:
    """The host opens the next question: its times are the server's, the same for every player. The snapshot
    every poller reads is rebuilt once, right after the commit."""
    _require_host(session, by)
    now = now or timezone.now()
    with transaction.atomic():
        opened = _open_next(session, now)
    live.publish(session.pk)
    return opened


def _open_next(session: LiveSession, now) -> LiveRound:
    session = _locked(session)
    if session.state == SessionState.FINISHED:
        raise ValidationError("本场竞赛已结束")
    if session.current:
        current = LiveRound.objects.get(session=session, number=session.current)
        reveal_at = current.closes_at + datetime.timedelta(seconds=live.GRACE_SECONDS)
        if now < reveal_at:
            raise ValidationError("当前题目尚未结束")
    following = LiveRound.objects.filter(session=session, number=session.current + 1).first()
    if following is None:
        raise ValidationError("已经是最后一题")
    following.opened_at = now
    following.closes_at = now + datetime.timedelta(seconds=session.seconds_per_question)
    following.save(update_fields=["opened_at", "closes_at"])
    session.current = following.number
    fields = ["current"]
    if session.state == SessionState.LOBBY:
        session.state, session.started_at = SessionState.RUNNING, now
        fields += ["state", "started_at"]
    session.save(update_fields=fields)
    return following


def close_round(session: LiveSession, *, by, now=None) -> LiveRound:
    """The host ends the question early (everybody has answered): it closes now, answers are taken for the grace
    and the key is revealed after it."""
    _require_host(session, by)
    now = now or timezone.now()
    with transaction.atomic():
        current = _close_round(session, now)
    live.publish(session.pk)
    return current


def _close_round(session: LiveSession, now) -> LiveRound:
    session = _locked(session)
    current = LiveRound.objects.filter(session=session, number=session.current).first()
    if current is None or session.state != SessionState.RUNNING:
        raise ValidationError("没有正在作答的题目")
    if current.closes_at > now:
        current.closes_at = now
        current.save(update_fields=["closes_at"])
    return current


def finish(session: LiveSession, *, by, now=None) -> LiveSession:
    """The host ends the session; its placings earn their points (see award_placings)."""
    _require_host(session, by)
    now = now or timezone.now()
    with transaction.atomic():
        session = _finish(session, now)
        competition = session.competition
        award_placings(competition, live_placings(session.pk, competition.top_n), now=now)
    live.publish(session.pk)
    return session


def live_placings(session_id: int, top_n: int) -> list[tuple[int, int]]:
    """(member id, rank) of the players ranked within the first `top_n` places with points, from the database
    (the record; Redis holds a copy): the first N rows by the board's index, plus whoever ties the N-th."""
    rows = list(
        LivePlayer.objects.filter(session_id=session_id, total__gt=0)
        .order_by("-total", "total_ms", "pk")
        .values("member_id", "total", "total_ms")[:top_n]
    )
    if len(rows) == top_n:
        last = rows[-1]
        taken = {r["member_id"] for r in rows}
        rows += [
            r
            for r in LivePlayer.objects.filter(
                session_id=session_id, total=last["total"], total_ms=last["total_ms"]
            ).values("member_id", "total", "total_ms")
            if r["member_id"] not in taken
        ]
    return [(r["member_id"], r["rank"]) for r in board.ranked(rows)]


def _finish(session: LiveSession, now) -> LiveSession:
    session = _locked(session)
    if session.current:
        current = LiveRound.objects.get(session=session, number=session.current)
        if now < current.closes_at + datetime.timedelta(seconds=live.GRACE_SECONDS):
            raise ValidationError("当前题目尚未结束")
    session.state, session.finished_at = SessionState.FINISHED, now
    session.save(update_fields=["state", "finished_at"])
    return session
