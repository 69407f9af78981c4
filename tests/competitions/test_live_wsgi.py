"""The server's WSGI application sends a player's answer straight to the answer lane (its credential is the
player's signed seat), the phones' polls and the live ping through a short middleware chain, and everything else
through the full one: the phones' requests stay authenticated, the pages keep their headers, and nothing else
changes route."""

import io
import json
from urllib.parse import urlencode

import pytest
from django.core import signals
from django.db import close_old_connections
from django.urls import reverse

from partyedu.competitions import services
from partyedu.competitions.models import LiveAnswer, LivePlayer

CSRF = "livewsgitestcsrftokenlivewsgi123"  # 32 characters, as the cookie holds it


@pytest.fixture
def wsgi():
    """partyedu.wsgi, whose `application` the server calls."""
    from partyedu import wsgi as module

    return module


def call(app, method, path, session_cookie="", body=b"", csrf=True, seat="", content_type=None, etag=None):
    cookies = f"sessionid={session_cookie}; csrftoken={CSRF}" if session_cookie else ""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": cookies,
        "CONTENT_TYPE": content_type or "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    if csrf:
        environ["HTTP_X_CSRFTOKEN"] = CSRF
    if seat:
        environ["HTTP_X_LIVE_SEAT"] = seat
    if etag:
        environ["HTTP_IF_NONE_MATCH"] = etag
    reply = {}

    def start_response(status, headers, exc_info=None):
        reply["status"], reply["headers"] = int(status.split()[0]), dict(headers)

    # as Django's test client does around each request: the request must not close the database connection
    # that holds the test's transaction (the client connects the receivers again after each of its requests)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        reply["body"] = b"".join(app.application(environ, start_response))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return reply


def test_only_the_phones_requests_take_the_lane(wsgi):
    assert wsgi.PHONE_LANE.match("/competitions/live/12/answer/").groups() == ("12", "answer")
    assert wsgi.PHONE_LANE.match("/competitions/live/12/state/").groups() == ("12", "state")
    assert not wsgi.PHONE_LANE.match("/competitions/live/12/")  # the player's page is a page
    assert not wsgi.PHONE_LANE.match(
        "/competitions/live/12/screen/state/"
    )  # the big screen: the worker's login
    assert not wsgi.PHONE_LANE.match("/competitions/live/12/answer")


def seat_of(client, session):
    client.post(reverse("competitions:join_code", args=[session.join_code]))
    return client.get(reverse("competitions:play", args=[session.pk])).context["seat"]


def test_a_player_answers_through_the_servers_application(wsgi, county, client, session):
    client.force_login(county.finance_member_user)
    seat = seat_of(client, session)
    cookie = client.cookies["sessionid"].value
    services.open_next(session, by=county.committee_admin)
    path = f"/competitions/live/{session.pk}/answer/"

    # as live.js posts it: the seat, no cookie, no CSRF token
    reply = call(
        wsgi, "POST", path, body=urlencode({"round": 1, "choice": 1}).encode(), csrf=False, seat=seat
    )
    assert reply["status"] == 200, reply["body"]
    assert reply["headers"]["X-Content-Type-Options"] == "nosniff"
    assert reply["headers"]["Content-Length"] == str(len(reply["body"]))
    player = LivePlayer.objects.get(session=session, member=county.finance_member_user.member)
    assert json.loads(reply["body"]) == {"ok": True, "player": player.pk, "accepted": True, "round": 1}
    assert LiveAnswer.objects.filter(player=player, round__number=1, correct=True).exists()

    again = call(
        wsgi, "POST", path, body=b'{"round": 1, "choice": 0}', seat=seat, content_type="application/json"
    )
    assert again["status"] == 409
    assert json.loads(again["body"]) == {"ok": False, "code": "duplicate", "message": "每题只能作答一次"}

    state = call(wsgi, "GET", f"/competitions/live/{session.pk}/state/", seat=seat)
    assert state["status"] == 200 and b'"phase": "open"' in state["body"]
    polled_again = call(
        wsgi, "GET", f"/competitions/live/{session.pk}/state/", seat=seat, etag=state["headers"]["ETag"]
    )
    assert polled_again["status"] == 304 and polled_again["body"] == b""
    # the login alone does not poll: no seat, nothing
    assert call(wsgi, "GET", f"/competitions/live/{session.pk}/state/", cookie)["status"] == 403


def test_the_answer_lane_refuses_what_is_not_an_answer(wsgi, county, client, session):
    client.force_login(county.finance_member_user)
    seat = seat_of(client, session)
    cookie = client.cookies["sessionid"].value
    services.open_next(session, by=county.committee_admin)
    path = f"/competitions/live/{session.pk}/answer/"

    # a login without the seat (what a forged cross-site post would carry) answers nothing
    with_cookie = call(wsgi, "POST", path, cookie, b"round=1&choice=1")
    assert with_cookie["status"] == 403 and json.loads(with_cookie["body"])["code"] == "seat"
    assert call(wsgi, "GET", path, seat=seat)["status"] == 405
    assert call(wsgi, "POST", path, body=b"round=1&" + b"x" * 5000, seat=seat)["status"] == 413
    assert call(wsgi, "POST", path, body=b"choice=1", seat=seat)["status"] == 400  # which round?
    assert call(wsgi, "POST", path, body=b"round=1&choice=\xff", seat=seat)["status"] == 400  # not UTF-8
    not_a_choice = call(wsgi, "POST", path, body=b"round=1&choice=B", seat=seat)
    assert (
        not_a_choice["status"] == 409 and json.loads(not_a_choice["body"])["message"] == "请选择答案后再提交"
    )
    assert call(wsgi, "POST", path, body=b"round=2&choice=1", seat=seat)["status"] == 409  # not open yet
    assert not LiveAnswer.objects.exists()


def test_pages_keep_the_full_middleware(wsgi, county, client, session):
    client.force_login(county.finance_member_user)
    cookie = client.cookies["sessionid"].value
    page = call(wsgi, "GET", "/competitions/", cookie)
    assert page["status"] == 200
    assert "Content-Security-Policy" in page["headers"] and "X-Frame-Options" in page["headers"]
    assert "Accept-Language" in page["headers"]["Vary"]  # the language negotiation ran
    # no slash: not the lane's pattern, so the full chain's CommonMiddleware adds it
    assert call(wsgi, "GET", f"/competitions/live/{session.pk}/state", cookie)["status"] == 301
    # the benchmark's reference ping is an ordinary view, through the full chain
    ping = call(wsgi, "GET", "/competitions/ping/", cookie)
    assert ping["body"] == b'{"ok": true}' and "Accept-Language" in ping["headers"]["Vary"]
