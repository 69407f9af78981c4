"""Reads of competitions: lists, rankings (individual and team), what a player may see."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Avg, Count, Q

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.members.models import Member
from partyedu.orgs.models import SEGMENT, Organization, subtree_q
from partyedu.quizzes.models import Attempt, AttemptState, QuizStatus

from .models import BoardVisibility, Competition, LivePlayer, TeamMode


def for_worker(user):
    """Competitions organised inside the worker's scope, newest first."""
    q = Access.of(user).org_q(C.VIEW_ORG, "quiz__owner__path")
    return Competition.objects.filter(q).select_related("quiz__owner").order_by("-created_at", "-pk")


def for_member(member):
    """Published or finished competitions whose audience (the organiser's subtree, or a scope) holds `member`."""
    if member is None:
        return Competition.objects.none()
    path = member.organization.path
    prefixes = [path[:i] for i in range(SEGMENT, len(path) + 1, SEGMENT)]
    return (
        Competition.objects.filter(quiz__status__in=[QuizStatus.PUBLISHED, QuizStatus.CLOSED])
        .filter(
            Q(quiz__scope__isnull=True, quiz__owner__path__in=prefixes) | Q(quiz__scope__path__in=prefixes)
        )
        .select_related("quiz__owner")
        .order_by("-created_at", "-pk")
    )


def can_view(user, competition: Competition) -> bool:
    from . import services

    access = Access.of(user)
    if access.can_org(C.VIEW_ORG, competition.quiz.owner) and access.is_worker:
        return True
    member = getattr(user, "member", None)
    return services.may_play(member, competition)


# --- asynchronous rankings -------------------------------------------------------------------------------------
def _best_attempts(competition: Competition) -> list[dict]:
    rows = (
        Attempt.objects.filter(
            quiz_id=competition.quiz_id, state__in=[AttemptState.SUBMITTED, AttemptState.EXPIRED]
        )
        .order_by("member_id", "-score", "duration_seconds", "submitted_at", "pk")
        .values(
            "member_id",
            "member__name",
            "member__organization_id",
            "member__organization__name",
            "member__organization__path",
            "score",
            "max_score",
            "duration_seconds",
            "submitted_at",
        )
    )
    best: dict[int, dict] = {}
    for row in rows:
        best.setdefault(row["member_id"], row)
    return list(best.values())


def ranking(competition: Competition) -> list[dict]:
    """Everyone's best attempt, by score (desc), then time taken (asc), then who submitted first. Equal score
    and equal time share a rank (1, 2, 2, 4); the earlier submission is listed first."""
    rows = _best_attempts(competition)
    rows.sort(key=lambda r: (-r["score"], r["duration_seconds"] or 0, r["submitted_at"]))
    previous, rank = None, 0
    for index, row in enumerate(rows, start=1):
        key = (row["score"], row["duration_seconds"] or 0)
        if key != previous:
            rank, previous = index, key
        row["rank"] = rank
    return rows


def _team_path(path: str, team_mode: str) -> str:
    if team_mode == TeamMode.UNIT:
        return path[: 2 * SEGMENT] if len(path) > SEGMENT else path
    return path


def team_ranking(competition: Competition, rows: list[dict] | None = None) -> list[dict]:
    """Teams (branches or units) by the average of their participants' best scores; each shows how many of its
    members took part. The average is over participants, not over all members: a branch is not ranked down for
    members who could not come, and its participation rate is shown beside the score for everyone to see."""
    if competition.team_mode == TeamMode.NONE:
        return []
    rows = ranking(competition) if rows is None else rows
    scores: dict[str, list[Decimal]] = defaultdict(list)
    for row in rows:
        scores[_team_path(row["member__organization__path"], competition.team_mode)].append(row["score"])
    if not scores:
        return []
    root = competition.quiz.scope or competition.quiz.owner
    members_per_org = (
        Member.objects.filter(subtree_q(root.path, "organization__path"), left_on__isnull=True)
        .values("organization__path")
        .annotate(n=Count("pk"))
    )
    sizes: dict[str, int] = defaultdict(int)
    for item in members_per_org:
        sizes[_team_path(item["organization__path"], competition.team_mode)] += item["n"]
    orgs = {o.path: o for o in Organization.objects.filter(path__in=list(scores))}
    teams = []
    for path, values in scores.items():
        size = max(sizes.get(path, 0), len(values))
        teams.append(
            {
                "org": orgs.get(path),
                "players": len(values),
                "members": size,
                "participation": round(100 * len(values) / size) if size else 0,
                "average": round(sum(values) / len(values), 2),
            }
        )
    teams.sort(key=lambda t: (-t["average"], -t["participation"], t["org"].name if t["org"] else ""))
    previous, rank = None, 0
    for index, team in enumerate(teams, start=1):
        key = (team["average"], team["participation"])
        if key != previous:
            rank, previous = index, key
        team["rank"] = rank
    return teams


def board_for_player(competition: Competition, rows: list[dict]) -> list[dict] | None:
    """The part of a ranking a player may see under the competition's setting (None: hidden)."""
    if competition.board == BoardVisibility.HIDDEN:
        return None
    if competition.board == BoardVisibility.TOP:
        return [r for r in rows if r["rank"] <= competition.top_n]
    return rows


# --- live ------------------------------------------------------------------------------------------------------
def live_teams(session_id: int) -> list[dict]:
    """Teams of a live session by their players' average points (one grouped query on the session's players)."""
    rows = list(
        LivePlayer.objects.filter(session_id=session_id, team__isnull=False)
        .values("team_id", "team__name")
        .annotate(players=Count("pk"), average=Avg("total"))
        .order_by("-average", "team__name")
    )
    previous, rank = None, 0
    for index, row in enumerate(rows, start=1):
        row["average"] = round(row["average"] or 0, 1)
        if row["average"] != previous:
            rank, previous = index, row["average"]
        row["rank"] = rank
    return rows
