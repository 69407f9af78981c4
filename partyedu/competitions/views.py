from __future__ import annotations

import time

from csp.decorators import csp_exempt
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.core.qr import qr_svg
from partyedu.quizzes import attempt_services
from partyedu.quizzes.models import Attempt, AttemptState, QuizStatus

from . import board, lane, live, selectors, services
from .forms import CompetitionForm, JoinForm
from .models import Competition, CompetitionMode, LiveAnswer, LivePlayer, LiveSession, SessionState

SESSION_KEY = "live_players"  # {session id: player id}, written when a member joins


# --- lean JSON endpoints ---------------------------------------------------------------------------------------
@require_GET
@csp_exempt()  # JSON, never rendered as a page: a policy header would only cost time
def ping(request):
    """The minimal authenticated JSON view the answer endpoint is benchmarked against."""
    return JsonResponse({"ok": True})


def _player_id(request, session_id: int) -> int | None:
    return request.session.get(SESSION_KEY, {}).get(str(session_id))


@csrf_exempt  # the seat is a header a browser never sends on its own (competitions/lane.py)
@csp_exempt()
@require_POST
def answer(request, pk: int):
    """POST round=<n> and choice=<i> | choices=<i,j> | value=true | blanks=<text>, with the player's seat in the
    X-Live-Seat header. The server sends this POST to lane.wsgi_answer without Django's handler; this view
    answers the same through Django (tests, runserver)."""
    if request.content_type == "application/json":
        fields = lane.parse_body(request.body, request.content_type)
    else:
        fields = {k: (v if len(v) > 1 else v[0]) for k, v in request.POST.lists()}
    status, data = lane.answer(pk, request.headers.get(lane.SEAT_HEADER), fields)
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


@csp_exempt()
@require_GET
def state(request, pk: int):
    """What a player's phone polls (about once a second), with his seat: tiny, cached, ETag'd; the key only once
    revealed. The server sends this GET to the lane without Django's handler; this view answers the same."""
    status, data, headers = lane.state(
        pk, request.headers.get(lane.SEAT_HEADER), request.headers.get("If-None-Match")
    )
    if status == 304:
        return HttpResponseNotModified(headers=headers)
    return JsonResponse(data, status=status, headers=headers, json_dumps_params={"ensure_ascii": False})


# --- pages ----------------------------------------------------------------------------------------------------
def _competition(request, pk: int) -> Competition:
    competition = get_object_or_404(Competition.objects.select_related("quiz__owner", "quiz__scope"), pk=pk)
    if not selectors.can_view(request.user, competition):
        raise Http404("没有找到该竞赛")
    return competition


def _managed(request, pk: int) -> Competition:
    competition = _competition(request, pk)
    if not services.can_manage(request.user, competition):
        raise PermissionDenied("只有组织单位的党务工作者可以管理该竞赛")
    return competition


def competition_list(request):
    access = Access.of(request.user)
    member = getattr(request.user, "member", None)
    managed = selectors.for_worker(request.user) if access.is_worker else Competition.objects.none()
    mine = selectors.for_member(member)
    page = Paginator(managed, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "competitions/list.html",
        {
            "page_obj": page,
            "mine": mine[:20],
            "can_create": access.has(C.CHANGE_MEMBERS),
            "join_form": JoinForm(),
        },
    )


def competition_create(request):
    access = Access.of(request.user)
    access.require(C.CHANGE_MEMBERS)
    owners = access.orgs(C.CHANGE_MEMBERS).order_by("path")
    form = CompetitionForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            competition = services.create_competition(
                owner=data["owner"],
                title=data["title"],
                mode=data["mode"],
                question_count=data["question_count"],
                team_mode=data["team_mode"],
                board_visibility=data["board_visibility"],
                top_n=data["top_n"],
                seconds_per_question=data["seconds_per_question"],
                time_limit_seconds=(data["time_limit_minutes"] or 0) * 60 or None,
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                description=data["description"],
                by=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, f"已创建“{competition.title}”。")
            return redirect("competitions:detail", competition.pk)
    return render(request, "competitions/form.html", {"form": form})


def competition_detail(request, pk: int):
    competition = _competition(request, pk)
    manager = services.can_manage(request.user, competition)
    member = getattr(request.user, "member", None)
    rows = selectors.ranking(competition) if competition.mode == CompetitionMode.ASYNC else []
    shown = rows if manager else selectors.board_for_player(competition, rows)
    mine = next((r for r in rows if member and r["member_id"] == member.pk), None)
    attempt = None
    if member and competition.mode == CompetitionMode.ASYNC:
        attempt = Attempt.objects.filter(quiz=competition.quiz, member=member).order_by("-number").first()
    sessions = competition.sessions.order_by("-created_at")[:10] if manager else []
    open_session = (
        competition.sessions.exclude(state=SessionState.FINISHED).order_by("-created_at").first()
        if competition.mode == CompetitionMode.LIVE
        else None
    )
    teams = []
    if shown is not None:
        teams = selectors.team_ranking(competition, rows)
    return render(
        request,
        "competitions/detail.html",
        {
            "competition": competition,
            "quiz": competition.quiz,
            "manager": manager,
            "board": (shown or [])[:100],
            "board_hidden": shown is None,
            "board_total": len(rows),
            "teams": teams,
            "mine": mine,
            "attempt": attempt,
            "can_take": competition.mode == CompetitionMode.ASYNC
            and member is not None
            and services.may_play(member, competition)
            and competition.quiz.status == QuizStatus.PUBLISHED
            and (attempt is None or attempt.state == AttemptState.IN_PROGRESS),
            "sessions": sessions,
            "open_session": open_session,
            "question_count": competition.quiz.slots.count(),
        },
    )


@require_POST
def competition_close(request, pk: int):
    competition = _managed(request, pk)
    services.close_competition(competition, by=request.user)
    messages.success(request, "竞赛已结束，排名已固定。")
    return redirect("competitions:detail", competition.pk)


def take(request, pk: int):
    """An asynchronous competition on one page: the attempt engine draws, shuffles, times and grades."""
    competition = _competition(request, pk)
    member = getattr(request.user, "member", None)
    if member is None or competition.mode != CompetitionMode.ASYNC:
        raise Http404("没有找到该竞赛")
    try:
        attempt = attempt_services.start_attempt(competition.quiz, member)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("competitions:detail", competition.pk)
    items = list(attempt.items.select_related("version").order_by("position"))
    if request.method == "POST":
        try:
            for item in items:
                response = _posted_response(request, item)
                if response is not None:
                    attempt_services.answer(attempt, item.position, response)
        except attempt_services.LateAnswer as exc:
            messages.error(request, exc.messages[0])
            return redirect("competitions:detail", competition.pk)
        attempt = attempt_services.submit(attempt)
        messages.success(request, f"交卷成功：得分 {attempt.score}，用时 {attempt.duration_seconds} 秒。")
        return redirect("competitions:detail", competition.pk)
    letters = "ABCDEFGH"
    questions = []
    for item in items:
        v = item.version
        shown = [(pos, letters[pos], v.options[orig]) for pos, orig in enumerate(item.option_order or [])]
        blanks = range(len(v.answer.get("blanks") or [])) if v.qtype == "blank" else range(0)
        questions.append({"item": item, "version": v, "options": shown, "blanks": blanks})
    return render(
        request,
        "competitions/take.html",
        {"competition": competition, "attempt": attempt, "questions": questions},
    )


def _posted_response(request, item) -> dict | None:
    name = f"q{item.position}"
    qtype = item.version.qtype
    if qtype == "single":
        value = request.POST.get(name)
        return {"choice": int(value)} if value not in (None, "") and value.isdigit() else None
    if qtype == "multiple":
        values = [int(v) for v in request.POST.getlist(name) if v.isdigit()]
        return {"choices": values} if values else None
    if qtype == "judge":
        value = request.POST.get(name)
        return {"value": value == "true"} if value in {"true", "false"} else None
    blanks = request.POST.getlist(name)
    return {"blanks": blanks} if any(b.strip() for b in blanks) else None


# --- live: host and big screen ----------------------------------------------------------------------------------
def _session(request, pk: int, *, host: bool = False) -> LiveSession:
    session = get_object_or_404(LiveSession.objects.select_related("competition__quiz__owner", "host"), pk=pk)
    if not services.can_manage(request.user, session.competition):
        raise Http404("没有找到该场竞赛")
    if host and session.host_id != request.user.pk:
        raise PermissionDenied("只有主持人可以控制竞赛进程")
    return session


@require_POST
def session_create(request, pk: int):
    competition = _managed(request, pk)
    if competition.mode != CompetitionMode.LIVE:
        raise Http404("该竞赛不是现场赛")
    session = services.create_session(competition, host=request.user)
    return redirect("competitions:host", session.pk)


def _join_url(request, session: LiveSession) -> str:
    return request.build_absolute_uri(reverse("competitions:join_code", args=[session.join_code]))


def host(request, pk: int):
    session = _session(request, pk, host=True)
    url = _join_url(request, session)
    return render(
        request,
        "competitions/host.html",
        {
            "session": session,
            "competition": session.competition,
            "join_url": url,
            "rounds": session.rounds.count(),
            "players": session.players.count(),
        },
    )


@require_POST
def host_action(request, pk: int, action: str):
    session = _session(request, pk, host=True)
    actions = {"next": services.open_next, "close": services.close_round, "finish": services.finish}
    if action not in actions:
        raise Http404
    try:
        actions[action](session, by=request.user)
    except ValidationError as exc:
        if request.htmx:
            return JsonResponse({"ok": False, "message": "；".join(exc.messages)}, status=409)
        messages.error(request, "；".join(exc.messages))
    if request.htmx or request.headers.get("Accept") == "application/json":
        return JsonResponse({"ok": True})
    return redirect("competitions:host", session.pk)


def screen(request, pk: int):
    session = _session(request, pk)
    url = _join_url(request, session)
    qr = qr_svg(url)
    return render(
        request,
        "competitions/screen.html",
        {"session": session, "competition": session.competition, "join_url": url, "qr": qr},
    )


@require_GET
def screen_state(request, pk: int):
    """The big screen's and host's poll: the public state plus the room's numbers (answers so far, then the
    distribution, the leaderboard and the teams once the round is revealed)."""
    session = _session(request, pk)
    snap = live.snapshot(session.pk)
    now = time.time()
    data = live.public_state(snap, now)
    data["players"] = session.players.count()
    data["is_host"] = session.host_id == request.user.pk
    data["join_code"] = session.join_code
    r = snap["round"]
    if data["phase"] in {"open", "closing"} and r:
        data["answered"] = LiveAnswer.objects.filter(round_id=r["id"]).count()
    if data["phase"] == "revealed" and r:
        data["distribution"] = live.distribution(snap)
    if data["phase"] in {"revealed", "finished", "lobby"}:
        competition = session.competition
        if competition.board != "hidden" or data["is_host"]:
            data["board"] = board.top(session.pk, competition.top_n)
            if competition.team_mode != "none":
                data["teams"] = [
                    {
                        "rank": t["rank"],
                        "name": t["team__name"],
                        "players": t["players"],
                        "average": t["average"],
                    }
                    for t in selectors.live_teams(session.pk)[:10]
                ]
    data["has_next"] = snap["current"] < snap["rounds"]
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


# --- live: players --------------------------------------------------------------------------------------------
def join(request):
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("competitions:join_code", form.cleaned_data["code"])
    return render(request, "competitions/join.html", {"form": form, "session": None})


def join_code(request, code: str):
    session = LiveSession.objects.select_related("competition__quiz__owner").filter(join_code=code).first()
    member = getattr(request.user, "member", None)
    if session is None or session.state == SessionState.FINISHED:
        messages.error(request, "加入码无效或该场竞赛已结束")
        return redirect("competitions:join")
    if member is None or not services.may_play(member, session.competition):
        raise Http404("您不在本次竞赛的参加范围内")
    if request.method == "POST":
        player = services.join(session, member)
        joined = dict(request.session.get(SESSION_KEY, {}))
        joined[str(session.pk)] = player.pk
        request.session[SESSION_KEY] = joined
        return redirect("competitions:play", session.pk)
    return render(request, "competitions/join.html", {"session": session, "form": None})


def play(request, pk: int):
    player_id = _player_id(request, pk)
    player = (
        LivePlayer.objects.select_related("session__competition__quiz", "team").filter(pk=player_id).first()
    )
    if player is None or player.session_id != pk:
        raise Http404("没有找到该竞赛")
    return render(
        request,
        "competitions/play.html",
        {
            "player": player,
            "session": player.session,
            "competition": player.session.competition,
            "seat": lane.seat_for(pk, player.pk, player.member_id),
        },
    )


def session_results(request, pk: int):
    session = _session(request, pk)
    players = session.players.select_related("team").order_by("-total", "total_ms", "pk")
    page = Paginator(players, 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    # ranks within the page follow from the first row's rank (one count): equal points and time share a rank
    rank, previous = (board.rank_of(rows[0]) if rows else 1), None
    ranked = []
    for index, player in enumerate(rows):
        key = (player.total, player.total_ms)
        if previous is not None and key != previous:
            rank = (page.number - 1) * 50 + index + 1
        previous = key
        ranked.append((rank, player))
    return render(
        request,
        "competitions/results.html",
        {
            "session": session,
            "competition": session.competition,
            "page_obj": page,
            "ranked": ranked,
            "teams": selectors.live_teams(session.pk),
            "answers": LiveAnswer.objects.filter(round__session=session).aggregate(n=Count("pk"))["n"],
            "now": timezone.now(),
        },
    )
