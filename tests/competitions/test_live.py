"""A live competition: the host opens each question at a server moment, players answer once while it is open
(plus a one-second grace), score by correctness and speed, and never see the answer before the round closes."""

import datetime
import json
import re
import time

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from partyedu.competitions import board, lane, live, selectors, services
from partyedu.competitions.models import CompetitionMode, LiveAnswer, LivePlayer

T0 = datetime.datetime(2026, 7, 1, 9, 0, tzinfo=datetime.UTC)


def at(seconds: float) -> datetime.datetime:
    return T0 + datetime.timedelta(seconds=seconds)


def players(session, county):
    return [services.join(session, m) for m in county.finance_members[:2] + county.education_members[:1]]


def answer(session, player, number=1, choice=1, t=5.0):
    return live.submit_answer(session.pk, player.pk, player.member_id, number, {"choice": choice}, now=at(t))


def test_a_right_answer_scores_100_plus_speed_and_a_wrong_one_nothing(session, county):
    a, b, c = players(session, county)
    services.open_next(session, by=county.committee_admin, now=at(0))
    answer(session, a, t=0)  # at once: the whole speed bonus
    answer(session, b, t=10)  # half-way: half of it
    answer(session, c, choice=0, t=1)
    points = dict(LiveAnswer.objects.values_list("player_id", "points"))
    assert points == {a.pk: 150, b.pk: 125, c.pk: 0}
    a.refresh_from_db()
    assert (a.total, a.correct_count) == (150, 1)


def test_late_answers_are_refused_by_the_server_clock_with_a_one_second_grace(session, county):
    a, b, c = players(session, county)
    services.open_next(session, by=county.committee_admin, now=at(0))
    answer(session, a, t=20.9)  # after the close, inside the grace: taken, no speed bonus
    with pytest.raises(live.Refused) as refused:
        answer(session, b, t=21.01)
    assert refused.value.code == "late"
    assert LiveAnswer.objects.get(player=a).points == 100
    assert not LiveAnswer.objects.filter(player=b).exists()


def test_an_answer_before_the_round_opens_is_refused(session, county):
    a, *_ = players(session, county)
    with pytest.raises(live.Refused):
        answer(session, a, t=0)


def test_a_second_answer_to_the_same_round_is_refused(session, county):
    a, *_ = players(session, county)
    services.open_next(session, by=county.committee_admin, now=at(0))
    answer(session, a, choice=0, t=2)
    with pytest.raises(live.Refused) as refused:
        answer(session, a, choice=1, t=3)
    assert refused.value.code == "duplicate"
    assert LiveAnswer.objects.filter(player=a).count() == 1
    a.refresh_from_db()
    assert a.total == 0


def test_the_answer_is_never_in_the_state_before_the_round_closes(session, county, client):
    client.force_login(county.finance_member_user)
    seat = join_and_take_seat(client, session)
    url = reverse("competitions:state", args=[session.pk])
    services.open_next(session, by=county.committee_admin)
    body = client.get(url, headers={"X-Live-Seat": seat}).content.decode()
    data = json.loads(body)
    assert data["phase"] == "open" and data["question"]["options"][1] == "1921年"
    assert "key" not in data and "1921年7月" not in body and '"choice"' not in body and "answer" not in body
    # the page the phone loads holds no question at all: it arrives through the state endpoint
    page = client.get(reverse("competitions:play", args=[session.pk])).content.decode()
    assert "1921年7月" not in page and "1921年" not in page
    snap = live.snapshot(session.pk)
    closes = snap["round"]["closes_at"]
    assert "key" not in live.public_state(snap, closes + 0.5)  # in the grace: still hidden
    revealed = live.public_state(snap, closes + live.GRACE_SECONDS + 0.01)
    assert revealed["phase"] == "revealed" and revealed["key"]["answer_text"] == "B"


def test_polling_gets_not_modified_while_nothing_changes(session, county, client):
    client.force_login(county.finance_member_user)
    seat = {"X-Live-Seat": join_and_take_seat(client, session)}
    url = reverse("competitions:state", args=[session.pk])
    first = client.get(url, headers=seat)
    assert first.json()["phase"] == "lobby"
    again = client.get(url, headers={**seat, "If-None-Match": first["ETag"]})
    assert again.status_code == 304
    services.open_next(session, by=county.committee_admin)
    assert client.get(url, headers={**seat, "If-None-Match": first["ETag"]}).status_code == 200


def join_and_take_seat(client, session) -> str:
    """Join by the code and open the play page, as the phone does: the page holds the player's seat."""
    client.post(reverse("competitions:join_code", args=[session.join_code]))
    page = client.get(reverse("competitions:play", args=[session.pk]))
    assert page.status_code == 200
    match = re.search(r'data-seat="([^"]+)"', page.content.decode())
    assert match, "the play page carries the seat"
    return match[1]


def post_answer(client, session, seat, **fields):
    headers = {"X-Live-Seat": seat} if seat else {}
    return client.post(reverse("competitions:answer", args=[session.pk]), fields, headers=headers)


def test_answers_through_the_endpoint(session, county, client):
    client.force_login(county.finance_member_user)
    seat = join_and_take_seat(client, session)
    services.open_next(session, by=county.committee_admin)
    response = post_answer(client, session, seat, round=1, choice=1)
    player = LivePlayer.objects.get(session=session, member=county.finance_member_user.member)
    assert response.status_code == 200
    assert response.json() == {"ok": True, "player": player.pk, "accepted": True, "round": 1}
    assert "correct" not in response.json()  # told after the close only
    again = post_answer(client, session, seat, round=1, choice=0)
    assert again.status_code == 409 and again.json()["code"] == "duplicate"


def test_the_seat_is_the_answers_credential_not_the_login(session, county, client):
    """The phone posts with its seat and no cookie: a login alone (the cookie another site could make a browser
    send) answers nothing, and a seat works for its own player and session only."""
    client.force_login(county.finance_member_user)
    seat = join_and_take_seat(client, session)
    services.open_next(session, by=county.committee_admin)

    no_seat = post_answer(client, session, "", round=1, choice=1)
    assert no_seat.status_code == 403 and no_seat.json()["message"] == "请重新打开竞赛页面后再作答"
    teammate = services.join(session, county.finance_members[1])
    signed_part = seat.split(":", 1)[1]  # "session.player.member:timestamp:signature"
    forged = f"{session.pk}.{teammate.pk}.{teammate.member_id}:{signed_part}"
    assert post_answer(client, session, forged, round=1, choice=1).status_code == 403
    assert post_answer(client, session, seat[:-2] + "xx", round=1, choice=1).status_code == 403
    other = services.create_session(session.competition, host=county.committee_admin)
    services.join(other, county.finance_member_user.member)
    assert post_answer(client, other, seat, round=1, choice=1).status_code == 403  # another session's seat
    assert not LiveAnswer.objects.exists()

    client.logout()  # the phone's cookie does not travel with the answer (fetch with credentials "omit")
    assert post_answer(client, session, seat, round=1, choice=1).status_code == 200


def test_after_the_reveal_the_phone_sees_its_own_answer_rank_and_the_top_ten(session, county, client):
    client.force_login(county.finance_member_user)
    seat = {"X-Live-Seat": join_and_take_seat(client, session)}
    me = LivePlayer.objects.get(session=session, member=county.finance_member_user.member)
    rival = services.join(session, county.finance_members[1])
    ago = timezone.now() - datetime.timedelta(seconds=20)
    services.open_next(session, by=county.committee_admin, now=ago)
    live.submit_answer(
        session.pk, me.pk, me.member_id, 1, {"choice": 0}, now=ago + datetime.timedelta(seconds=2)
    )
    live.submit_answer(
        session.pk, rival.pk, rival.member_id, 1, {"choice": 1}, now=ago + datetime.timedelta(seconds=3)
    )
    services.close_round(session, by=county.committee_admin, now=ago + datetime.timedelta(seconds=5))

    client.logout()  # the poll, like the answer, goes with the seat only
    data = client.get(reverse("competitions:state", args=[session.pk]), headers=seat).json()
    assert data["phase"] == "revealed" and data["key"]["answer_text"] == "B"
    assert data["mine"] == {"correct": False, "points": 0}
    assert data["me"]["rank"] == 2 and data["me"]["total"] == 0
    assert [row["name"] for row in data["board"]] == [rival.name, me.name]


def test_a_phones_result_after_the_reveal_costs_the_same_few_queries_for_every_player(
    session, county, django_assert_num_queries
):
    """Every phone asks once after each reveal: its player, its answer and its rank (one statement), and the top
    of the board, which a process reads once for all its phones."""
    joined = [services.join(session, m) for m in county.finance_members + county.education_members]
    ago = timezone.now() - datetime.timedelta(seconds=20)
    services.open_next(session, by=county.committee_admin, now=ago)
    for i, p in enumerate(joined):
        live.submit_answer(
            session.pk, p.pk, p.member_id, 1, {"choice": i % 2}, now=ago + datetime.timedelta(seconds=1)
        )
    services.close_round(session, by=county.committee_admin, now=ago + datetime.timedelta(seconds=5))
    snap = live.snapshot(session.pk)
    with django_assert_num_queries(2):
        first = live.player_result(session.pk, joined[0].pk, snap)
    for p in joined[1:]:
        with django_assert_num_queries(1):
            result = live.player_result(session.pk, p.pk, snap)
        assert result["board"] == first["board"]
    assert first["mine"] == {"correct": False, "points": 0} and first["me"]["rank"] > 1
    assert live.player_result(session.pk, joined[1].pk, snap)["me"]["rank"] == 1


def test_a_seat_of_an_earlier_day_is_refused(session, county, client, monkeypatch):
    client.force_login(county.finance_member_user)
    seat = join_and_take_seat(client, session)
    services.open_next(session, by=county.committee_admin)
    later = time.time() + lane.SEAT_MAX_AGE + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert post_answer(client, session, seat, round=1, choice=1).status_code == 403


def test_refused_answer_posts_are_rate_limited_per_member(session, county, client, django_assert_num_queries):
    client.force_login(county.finance_member_user)
    seat = join_and_take_seat(client, session)
    services.open_next(session, by=county.committee_admin)
    codes = [
        post_answer(client, session, seat, round=1, choice=1).status_code for _ in range(live.RATE_LIMIT + 1)
    ]
    # the answer, then refusals (a second answer to the round) until the limit
    assert codes == [200] + [409] * live.RATE_LIMIT
    player = LivePlayer.objects.get(session=session, member=county.finance_member_user.member)
    with django_assert_num_queries(0), pytest.raises(live.Refused) as refused:  # before the database
        live.submit_answer(session.pk, player.pk, player.member_id, 1, {"choice": 1})
    assert refused.value.code == "rate"
    refused = post_answer(client, session, seat, round=1, choice=1)
    assert refused.status_code == 429 and refused.json()["message"] == "提交过于频繁，请稍后再试"


def test_accepted_answers_do_not_count_against_the_limit(county, questions):
    competition = services.create_competition(
        owner=county.committee,
        title="快问快答",
        mode=CompetitionMode.LIVE,
        questions=questions,
        seconds_per_question=20,
        by=county.committee_admin,
    )
    session = services.create_session(competition, host=county.committee_admin)
    player = services.join(session, county.finance_members[0])
    host = county.committee_admin
    services.open_next(session, by=host, now=at(0))
    for _ in range(live.RATE_LIMIT - 1):  # refusals just under the limit …
        with pytest.raises(live.Refused):
            answer(session, player, number=99, t=0.2)
    # … then three answers in the same ten seconds, each accepted
    for number, opened in ((1, 0), (2, 3), (3, 6)):
        if number > 1:
            services.open_next(session, by=host, now=at(opened))
        assert answer(session, player, number=number, t=opened + 0.5)["accepted"]
        services.close_round(session, by=host, now=at(opened + 1))


def test_a_player_who_did_not_join_cannot_answer(session, county, client):
    client.force_login(county.finance_member_user)
    services.open_next(session, by=county.committee_admin)
    assert client.get(reverse("competitions:play", args=[session.pk])).status_code == 404  # no page, no seat
    response = client.post(reverse("competitions:answer", args=[session.pk]), {"round": 1, "choice": 1})
    assert response.status_code == 403
    assert client.get(reverse("competitions:state", args=[session.pk])).status_code == 403


def test_a_member_outside_the_audience_cannot_join(county, questions, client):
    competition = services.create_competition(
        owner=county.finance,
        title="财政局内部赛",
        mode=CompetitionMode.LIVE,
        questions=questions[:1],
        by=county.committee_admin,
    )
    session = services.create_session(competition, host=county.committee_admin)
    with pytest.raises(ValidationError):
        services.join(session, county.education_members[0])
    from tests.factories import make_user

    outsider = make_user(
        "wangwu", role="member", org=county.education_branch, member=county.education_members[0]
    )
    client.force_login(outsider)
    response = client.post(reverse("competitions:join_code", args=[session.join_code]))
    assert response.status_code == 404
    assert not LivePlayer.objects.filter(session=session).exists()


def test_only_the_host_advances(session, county, client):
    with pytest.raises(PermissionDenied):
        services.open_next(session, by=county.finance_secretary)
    client.force_login(county.finance_secretary)
    response = client.post(reverse("competitions:host_action", args=[session.pk, "next"]))
    assert response.status_code in {403, 404}
    session.refresh_from_db()
    assert session.current == 0


def test_the_host_cannot_skip_a_question_before_it_is_revealed(session, county):
    services.open_next(session, by=county.committee_admin, now=at(0))
    with pytest.raises(ValidationError):
        services.open_next(session, by=county.committee_admin, now=at(10))
    services.close_round(session, by=county.committee_admin, now=at(10))  # everybody answered
    with pytest.raises(ValidationError):
        services.open_next(session, by=county.committee_admin, now=at(10.5))  # the grace runs first
    second = services.open_next(session, by=county.committee_admin, now=at(11.1))
    assert second.number == 2 and second.opened_at == at(11.1)
    with pytest.raises(ValidationError):
        services.finish(session, by=county.committee_admin, now=at(20))
    services.finish(session, by=county.committee_admin, now=at(40))


def test_the_leaderboard_ranks_by_points_then_time_with_ties_sharing_a_rank(session, county):
    a, b, c = players(session, county)
    services.open_next(session, by=county.committee_admin, now=at(0))
    answer(session, a, t=4)
    answer(session, b, t=4)
    answer(session, c, t=2)
    rows = board.top(session.pk, 10)
    assert [(r["name"], r["rank"]) for r in rows] == [("王五", 1), ("张三", 2), ("李四", 2)]
    a.refresh_from_db()
    assert board.rank_of(a) == 2
    assert [r["name"] for r in board.top(session.pk, 1)] == ["王五"]


def test_team_rankings_by_branch(session, county):
    a, b, c = players(session, county)
    services.open_next(session, by=county.committee_admin, now=at(0))
    answer(session, a, t=0)
    answer(session, b, choice=0, t=0)
    answer(session, c, t=10)
    teams = selectors.live_teams(session.pk)
    assert [(t["team__name"], t["average"], t["players"]) for t in teams] == [
        ("县教育局机关第一党支部", 125, 1),
        ("县财政局机关党支部", 75, 2),
    ]


def test_the_leaderboard_uses_a_redis_sorted_set_when_redis_is_configured(session, county, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/14"
    client = board.redis_client()
    client.delete(f"partyedu:live:{session.pk}:board", f"partyedu:live:{session.pk}:names")
    a, b, c = players(session, county)
    services.open_next(session, by=county.committee_admin, now=at(0))
    answer(session, a, t=4)
    answer(session, b, t=4)
    answer(session, c, t=2)
    assert client.zcard(f"partyedu:live:{session.pk}:board") == 3
    rows = board.top(session.pk, 2)
    assert [(r["total"], r["rank"]) for r in rows] == [(145, 1), (140, 2)]
    assert rows[0]["name"] == "王五" and rows[1]["name"] in {"张三", "李四"}
    a.refresh_from_db()
    assert board.rank_of(a) == 2
    client.delete(f"partyedu:live:{session.pk}:board")  # lost: rebuilt from the database on the next read
    assert [(r["total"], r["rank"]) for r in board.top(session.pk, 3)] == [(145, 1), (140, 2), (140, 2)]
    client.delete(f"partyedu:live:{session.pk}:board", f"partyedu:live:{session.pk}:names")


def test_with_redis_a_host_action_reaches_this_process_at_once(session, county, settings, monkeypatch):
    """With Redis each process keeps the snapshot it read for a moment; the host's next question replaces it
    at once in the process that published it (and within SNAPSHOT_MEMO_SECONDS elsewhere)."""
    import uuid

    settings.CACHES = {
        "default": {
            "BACKEND": "partyedu.core.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
            "KEY_PREFIX": uuid.uuid4().hex,  # test runs in parallel reuse session ids
        }
    }
    monkeypatch.setattr(live, "SNAPSHOT_MEMO_SECONDS", 3600)  # the copy would be kept all along
    player = services.join(session, county.finance_members[0])
    services.open_next(session, by=county.committee_admin, now=at(0))
    assert live.snapshot(session.pk)["current"] == 1
    answer(session, player, number=1, t=1)
    services.close_round(session, by=county.committee_admin, now=at(2))
    services.open_next(session, by=county.committee_admin, now=at(10))
    assert live.snapshot(session.pk)["current"] == 2
    assert answer(session, player, number=2, t=11)["accepted"]


@pytest.mark.django_db
def test_a_database_error_on_the_prepared_path_is_djangos_and_marks_the_connection():
    """The answer's statement runs on psycopg directly; its failure must still be a django.db.DatabaseError (the
    lane answers 503) and mark the connection, so that the request's end closes a broken one."""
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        pytest.skip("the prepared path is PostgreSQL's")
    connection.errors_occurred = False
    with pytest.raises(DatabaseError):
        live._fetch_one("SELECT * FROM no_such_table_for_the_live_path WHERE id = %(id)s", {"id": 1})
    assert connection.errors_occurred
