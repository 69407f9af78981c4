"""The phone's lane: how a player's answers and state polls reach the live competition.

When a member joins a live session, his play page is given a *seat*: "session.player.member", signed with the
project's secret (django.core.signing, salted for this use, dated) and valid for SEAT_MAX_AGE. The phone sends
it in the X-Live-Seat header with each answer and each poll. The seat is their credential, in place of the
session cookie and the CSRF token:
- it is issued only to a logged-in member who may play, through his own page, for one session;
- it cannot be forged or moved to another player or session (the signature covers all three numbers);
- a browser never attaches it on its own (a header, not a cookie), so another site cannot make a phone post an
  answer: there is nothing for a CSRF token to guard.
What it saves is the work of a page request: reading the session and the account (from Redis or the database),
the CSRF check, the middleware; at a thousand answers and ten thousand polls a second that is most of the CPU.

The same functions answer through Django (the `answer` and `state` views: the test client, `runserver`) and
through the server's WSGI application directly (partyedu/wsgi.py), which skips Django's handler for them.
"""

from __future__ import annotations

import json
import logging
import re
import time
from urllib.parse import parse_qs

from django.core import signals, signing
from django.db import DatabaseError

from . import live

log = logging.getLogger(__name__)

# The phone's two requests (competitions/urls.py names them `answer` and `state`): the server hands them to
# wsgi_app (partyedu/wsgi.py) and the login middleware lets them through, since their credential is the seat.
PATH = re.compile(r"^/competitions/live/(\d+)/(answer|state)/$")
SEAT_HEADER = "X-Live-Seat"
SEAT_SALT = "partyedu.competitions.seat"
SEAT_MAX_AGE = 12 * 3600  # a competition day; with an older seat the phone asks the player to reopen the page
MAX_BODY = 4096  # an answer is a few dozen bytes; blanks at most ten of 100 characters


def seat_for(session_id: int, player_id: int, member_id: int) -> str:
    return signing.TimestampSigner(salt=SEAT_SALT).sign(f"{session_id}.{player_id}.{member_id}")


def read_seat(value: str | None, session_id: int) -> tuple[int, int] | None:
    """(player id, member id) of a valid seat of this session, else None."""
    if not value:
        return None
    try:
        text = signing.TimestampSigner(salt=SEAT_SALT).unsign(value, max_age=SEAT_MAX_AGE)
        seat_session, player_id, member_id = (int(part) for part in text.split("."))
    except (signing.BadSignature, ValueError):
        return None
    if seat_session != session_id:
        return None
    return player_id, member_id


def parse_body(body: bytes, content_type: str) -> dict:
    """A form post (round=1&choice=2, choices repeated or comma-separated, blanks repeated) or a JSON object."""
    if content_type.split(";", 1)[0].strip() == "application/json":
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        return {}
    return {k: (v if len(v) > 1 else v[0]) for k, v in fields.items()}


def _refusal(code: str, message: str) -> dict:
    return {"ok": False, "code": code, "message": message}


def answer(session_id: int, seat: str | None, raw: dict) -> tuple[int, dict]:
    """(HTTP status, JSON reply) for one posted answer, its fields already read from the body."""
    found = read_seat(seat, session_id)
    if found is None:
        return 403, _refusal("seat", "请重新打开竞赛页面后再作答")
    player_id, member_id = found
    try:
        number = int(raw.get("round"))
    except (TypeError, ValueError):
        return 400, _refusal("invalid", "请求无效")
    try:
        result = live.submit_answer(session_id, player_id, member_id, number, raw)
    except live.Refused as exc:
        return (429 if exc.code == "rate" else 409), _refusal(exc.code, exc.message)
    return 200, {"ok": True, "player": player_id, **result}


def state(session_id: int, seat: str | None, if_none_match: str | None) -> tuple[int, dict | None, dict]:
    """(HTTP status, JSON reply or None for 304, headers) for one poll of the player's phone."""
    found = read_seat(seat, session_id)
    if found is None:
        return 403, _refusal("seat", "请重新打开竞赛页面"), {}
    player_id = found[0]
    snap = live.snapshot(session_id)
    if snap is None:
        return 404, _refusal("missing", "没有找到该竞赛"), {}
    now = time.time()
    tag = live.etag(snap, now, str(player_id))
    headers = {"ETag": tag, "Cache-Control": "no-cache"}
    if if_none_match == tag:
        return 304, None, headers
    data = live.public_state(snap, now)
    if data["phase"] in {"revealed", "finished"}:
        data.update(live.player_result(session_id, player_id, snap))
    return 200, data, headers


_HEADERS = [
    ("Content-Type", "application/json"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
]
_REASONS = {200: "OK", 304: "Not Modified", 400: "Bad Request", 403: "Forbidden", 404: "Not Found"}
_REASONS |= {405: "Method Not Allowed", 409: "Conflict", 413: "Payload Too Large", 429: "Too Many Requests"}
_REASONS |= {500: "Internal Server Error", 503: "Service Unavailable"}


def _answer_environ(environ, session_id: int) -> tuple[int, dict | None, dict]:
    if environ.get("REQUEST_METHOD") != "POST":
        return 405, _refusal("method", "请求方式不正确"), {"Allow": "POST"}
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if not 0 <= length <= MAX_BODY:
        return (413 if length > MAX_BODY else 400), _refusal("invalid", "请求无效"), {}
    body = environ["wsgi.input"].read(length) if length else b""
    fields = parse_body(body, environ.get("CONTENT_TYPE", ""))
    return (*answer(session_id, environ.get("HTTP_X_LIVE_SEAT"), fields), {"Cache-Control": "no-store"})


def _state_environ(environ, session_id: int) -> tuple[int, dict | None, dict]:
    if environ.get("REQUEST_METHOD") != "GET":
        return 405, _refusal("method", "请求方式不正确"), {"Allow": "GET"}
    return state(session_id, environ.get("HTTP_X_LIVE_SEAT"), environ.get("HTTP_IF_NONE_MATCH"))


ENDPOINTS = {"answer": _answer_environ, "state": _state_environ}


def wsgi_app(environ, start_response, session_id: int, endpoint: str):
    """An endpoint of the lane ("answer" or "state") as a WSGI application. Django's request signals still fire,
    so database connections are kept and closed as for any request (CONN_MAX_AGE, broken connections)."""
    signals.request_started.send(sender=None, environ=environ)
    try:
        status, data, headers = ENDPOINTS[endpoint](environ, session_id)
    except DatabaseError:
        # the connection is marked as failed (live._fetch_one wraps psycopg's errors as Django's cursors do):
        # request_finished below closes it if it is broken
        log.exception("live %s: database error", endpoint)
        status, data, headers = 503, _refusal("unavailable", "服务繁忙，请稍后再试"), {}
    except Exception:
        log.exception("live %s: error", endpoint)
        status, data, headers = 500, _refusal("error", "服务器出错，请稍后再试"), {}
    finally:
        signals.request_finished.send(sender=None)
    payload = b"" if data is None else json.dumps(data, ensure_ascii=False).encode()
    start_response(
        f"{status} {_REASONS.get(status, 'OK')}",
        [*_HEADERS, *headers.items(), ("Content-Length", str(len(payload)))],
    )
    return [payload]
