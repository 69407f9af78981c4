"""The server's WSGI application sends a live competition's JSON (answers, polls, the ping) through a short
middleware chain and everything else through the full one: the phones' requests stay authenticated and
CSRF-checked, the pages keep their headers, and nothing else changes route."""

import io
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


def call(app, method, path, session_cookie="", body=b"", csrf=True):
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
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    if csrf:
        environ["HTTP_X_CSRFTOKEN"] = CSRF
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


def test_the_live_json_has_only_the_middleware_it_needs(wsgi):
    assert wsgi.live.middleware == wsgi.LIVE_MIDDLEWARE  # all of them in settings, in settings' order
    assert wsgi.LIVE_PATHS.match("/competitions/live/12/answer/")
    assert not wsgi.LIVE_PATHS.match("/competitions/live/12/")  # the player's page is a page
    assert not wsgi.LIVE_PATHS.match("/competitions/live/12/screen/state/")


def test_a_player_answers_through_the_servers_application(wsgi, county, client, session):
    client.force_login(county.finance_member_user)
    client.post(reverse("competitions:join_code", args=[session.join_code]))
    cookie = client.cookies["sessionid"].value
    services.open_next(session, by=county.committee_admin)
    path = f"/competitions/live/{session.pk}/answer/"

    reply = call(wsgi, "POST", path, cookie, urlencode({"round": 1, "choice": 1}).encode())
    assert reply["status"] == 200, reply["body"]
    assert reply["headers"]["X-Content-Type-Options"] == "nosniff"
    assert "Accept-Language" not in reply["headers"].get("Vary", "")  # no language negotiation ran
    player = LivePlayer.objects.get(session=session, member=county.finance_member_user.member)
    assert LiveAnswer.objects.filter(player=player, round__number=1, correct=True).exists()

    state = call(wsgi, "GET", f"/competitions/live/{session.pk}/state/", cookie)
    assert state["status"] == 200 and b'"phase": "open"' in state["body"]


def test_without_a_login_or_a_csrf_token_the_live_json_refuses(wsgi, county, client, session):
    path = f"/competitions/live/{session.pk}/answer/"
    anonymous = call(wsgi, "POST", path, body=b"round=1&choice=1")
    assert anonymous["status"] == 302 and "/accounts/login/" in anonymous["headers"]["Location"]
    assert call(wsgi, "GET", "/competitions/live/ping/")["status"] == 302

    client.force_login(county.finance_member_user)
    cookie = client.cookies["sessionid"].value
    forged = call(wsgi, "POST", path, cookie, b"round=1&choice=1", csrf=False)
    assert forged["status"] == 403
    assert call(wsgi, "GET", "/competitions/live/ping/", cookie)["body"] == b'{"ok": true}'


def test_pages_keep_the_full_middleware(wsgi, county, client):
    client.force_login(county.finance_member_user)
    cookie = client.cookies["sessionid"].value
    page = call(wsgi, "GET", "/competitions/", cookie)
    assert page["status"] == 200
    assert "Content-Security-Policy" in page["headers"] and "X-Frame-Options" in page["headers"]
    assert "Accept-Language" in page["headers"]["Vary"]  # the language negotiation ran
    # no slash: not the live pattern, so the full chain's CommonMiddleware adds it
    assert call(wsgi, "GET", "/competitions/live/ping", cookie)["status"] == 301
    # the benchmark's reference ping is an ordinary view, through the full chain
    ping = call(wsgi, "GET", "/competitions/ping/", cookie)
    assert ping["body"] == b'{"ok": true}' and "Accept-Language" in ping["headers"]["Vary"]
