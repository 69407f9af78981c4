"""The live competition's hot path: the round snapshot every poller reads, and the answer endpoint's one write.

Phases follow from the server's clock and the round's times, never from a client:
    lobby → open (opened_at ≤ now ≤ closes_at) → closing (the grace, GRACE_SECONDS after closes_at; answers
    still accepted, nothing revealed) → revealed (answer, distribution, leaderboard) → next round … → finished.

The snapshot of a session (its state, the current round's public question and, apart, its key) is built once per
host action and kept in the cache, so thousands of pollers read one cached object and no question is built per
player: there is no stampede when the host opens a round. With a process-local cache (no Redis) each worker
keeps it for SNAPSHOT_LOCAL_SECONDS and re-reads the database after that (two indexed queries per worker per
second at most), which is also how a host action in one worker reaches the others. With Redis the snapshot
lives there and each process also keeps the copy it read for SNAPSHOT_MEMO_SECONDS, so that a thousand
answers a second do not fetch and unpickle it a thousand times.

An answer is one SQL statement on PostgreSQL, sent in autocommit (INSERT … SELECT from the round only while it
is open, ON CONFLICT DO NOTHING, then the player's total; committed without waiting for the WAL flush, see
ASYNC_COMMIT): one round trip to the database. Two statements in a transaction on other databases. The
database, not the snapshot, decides late and duplicate answers: a stale snapshot can refuse an answer for a
moment after a round opens, never accept one the round's times do not allow.
"""

from __future__ import annotations

import datetime
import json
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from partyedu.core.ratelimit import count_in_window
from partyedu.quizzes import grading

from . import board
from .models import LiveAnswer, LivePlayer, LiveRound, LiveSession, SessionState

# Answers reaching the server up to this long after the round's close still count (network latency of a phone
# on a crowded Wi-Fi); the answer is revealed only after it.
GRACE_SECONDS = 1.0
BASE_POINTS = 100
SPEED_POINTS = 50
SNAPSHOT_SHARED_SECONDS = 6 * 3600
SNAPSHOT_LOCAL_SECONDS = 1.0
SNAPSHOT_MEMO_SECONDS = 0.25
# PostgreSQL: an answer's commit does not wait for its WAL record to reach the disk (synchronous_commit off for
# that transaction only, set by the statement itself through set_config(…, true)). A crash of the database
# server can lose the answers of its last fraction of a second (never half of one, never anything else); in
# exchange a commit costs no fsync (~4 ms here), which would otherwise cap answers at a few hundred a second.
ASYNC_COMMIT = True
# Refused answer posts per member per RATE_WINDOW seconds, after which his posts are refused outright until the
# window ends (an accepted answer does not count: there is one per round).
RATE_LIMIT = 5
RATE_WINDOW = 10


class Refused(Exception):
    """An answer not accepted; `message` is for the player, `code` for the client."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def _cache_is_local() -> bool:
    return settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def _snapshot_key(session_id: int) -> str:
    return f"partyedu:live:{session_id}:snap"


def _ts(value: datetime.datetime | None) -> float | None:
    return value.timestamp() if value else None


def build_snapshot(session_id: int) -> dict | None:
    session = (
        LiveSession.objects.filter(pk=session_id)
        .values(
            "pk",
            "state",
            "current",
            "seconds_per_question",
            "competition__quiz__title",
            "competition__board",
            "competition__top_n",
        )
        .first()
    )
    if session is None:
        return None
    rounds = LiveRound.objects.filter(session_id=session_id).count()
    snap = {
        "session": session_id,
        "title": session["competition__quiz__title"],
        "state": session["state"],
        "current": session["current"],
        "rounds": rounds,
        "seconds": session["seconds_per_question"],
        # how many of the top the phones show after a round (0: the competition hides its board)
        "board_top": 0
        if session["competition__board"] == "hidden"
        else min(session["competition__top_n"], 10),
        "round": None,
        "key": None,
        "built": time.time(),
    }
    if session["current"]:
        r = (
            LiveRound.objects.filter(session_id=session_id, number=session["current"])
            .select_related("version")
            .first()
        )
        if r is not None:
            v = r.version
            snap["round"] = {
                "id": r.pk,
                "number": r.number,
                "qtype": v.qtype,
                "qtype_label": v.get_qtype_display(),
                "stem": v.stem,
                "options": list(v.options) if v.qtype in {"single", "multiple"} else [],
                "blanks": len(v.answer.get("blanks") or []) if v.qtype == "blank" else 0,
                "opened_at": _ts(r.opened_at),
                "closes_at": _ts(r.closes_at),
            }
            snap["key"] = {
                "answer": v.answer,
                "answer_text": v.answer_text(),
                "explanation": v.explanation,
            }
    return snap


def publish(session_id: int) -> dict | None:
    """Rebuild and store the snapshot (after every host action)."""
    snap = build_snapshot(session_id)
    _memo.pop(session_id, None)
    timeout = SNAPSHOT_LOCAL_SECONDS if _cache_is_local() else SNAPSHOT_SHARED_SECONDS
    cache.set(_snapshot_key(session_id), snap, timeout)
    return snap


_memo: dict[int, tuple[float, dict]] = {}


def snapshot(session_id: int) -> dict | None:
    if not _cache_is_local():
        # the shared snapshot, as this process last read it: host actions reach every process within
        # SNAPSHOT_MEMO_SECONDS (the local cache's own timeout plays that part without Redis)
        memo = _memo.get(session_id)
        now = time.monotonic()
        if memo is not None and now - memo[0] < SNAPSHOT_MEMO_SECONDS:
            return memo[1]
    snap = cache.get(_snapshot_key(session_id))
    if snap is None:
        snap = publish(session_id)
    if snap is not None and not _cache_is_local():
        _memo[session_id] = (time.monotonic(), snap)
    return snap


def phase(snap: dict, now: float) -> str:
    if snap["state"] == SessionState.FINISHED:
        return "finished"
    r = snap["round"]
    if snap["state"] == SessionState.LOBBY or r is None or r["opened_at"] is None:
        return "lobby"
    if now < r["opened_at"]:
        return "lobby"
    if now <= r["closes_at"]:
        return "open"
    if now <= r["closes_at"] + GRACE_SECONDS:
        return "closing"
    return "revealed"


def public_state(snap: dict, now: float) -> dict:
    """What any player may see now: the question only once open, the key only once revealed."""
    p = phase(snap, now)
    data = {
        "title": snap["title"],
        "phase": p,
        "round": snap["current"],
        "rounds": snap["rounds"],
    }
    r = snap["round"]
    if p in {"open", "closing", "revealed"}:
        data["question"] = {k: r[k] for k in ("number", "qtype", "qtype_label", "stem", "options", "blanks")}
        data["closes_in_ms"] = max(0, int((r["closes_at"] - now) * 1000))
        data["seconds"] = snap["seconds"]
    if p == "revealed":
        data["key"] = {
            "answer_text": snap["key"]["answer_text"],
            "explanation": snap["key"]["explanation"],
            "answer": snap["key"]["answer"],
        }
    return data


def etag(snap: dict, now: float, extra: str = "") -> str:
    return f'"{snap["session"]}-{snap["state"]}-{snap["current"]}-{phase(snap, now)}-{extra}"'


# --- scoring ---------------------------------------------------------------------------------------------------
def score(correct: bool, opened_at: float, closes_at: float, now: float) -> tuple[int, int]:
    """(points, elapsed ms): 100 for a right answer plus up to 50 for speed, falling linearly to 0 at the
    close (and 0 in the grace)."""
    elapsed_ms = max(0, int((now - opened_at) * 1000))
    if not correct:
        return 0, elapsed_ms
    span = max(closes_at - opened_at, 0.001)
    left = min(max(closes_at - now, 0.0), span)
    return BASE_POINTS + round(SPEED_POINTS * left / span), elapsed_ms


# member id → the end of the window in which his refused posts reached RATE_LIMIT (seen by this process)
_blocked: dict[int, float] = {}


def check_rate(member_id: int, now: float) -> None:
    """Refuse at once, before the database, a member whose refused posts reached the limit in this window."""
    until = _blocked.get(member_id)
    if until is None:
        return
    if now < until:
        raise Refused("提交过于频繁，请稍后再试", "rate")
    _blocked.pop(member_id, None)  # (another thread may have dropped it already)


def count_refusal(member_id: int, now: float) -> None:
    """Only refused posts count: an accepted answer cannot repeat (one per round, the database's unique key), so
    a player answering costs no counter, and a script posting in a loop is refused after RATE_LIMIT refusals
    per window without reaching the database. The count is shared by every worker (in Redis) or kept per
    process; each process blocks the member once it sees the count reach the limit."""
    window = int(now // RATE_WINDOW)
    key = f"partyedu:live:rl:{member_id}:{window}"
    count = count_in_window(key, RATE_WINDOW)
    if count >= RATE_LIMIT:
        if len(_blocked) > 10_000:  # forget the windows that are over
            for member, until in list(_blocked.items()):
                if until <= now:
                    _blocked.pop(member, None)
        _blocked[member_id] = (window + 1) * RATE_WINDOW


def _clean_response(qtype: str, raw: dict, options: int) -> dict:
    if qtype == "single":
        return {"choice": int(raw.get("choice"))}
    if qtype == "multiple":
        choices = raw.get("choices") or []
        if isinstance(choices, str):
            choices = choices.split(",")
        return {"choices": sorted({int(c) for c in choices if str(c).strip() != ""})}
    if qtype == "judge":
        value = raw.get("value")
        if isinstance(value, str):
            value = {"true": True, "1": True, "对": True, "false": False, "0": False, "错": False}.get(value)
        if not isinstance(value, bool):
            raise ValueError("value")
        return {"value": value}
    blanks = raw.get("blanks") or []
    if isinstance(blanks, str):
        blanks = [blanks]
    return {"blanks": [str(b)[:100] for b in blanks][:10]}


_PG_ANSWER = """
WITH cfg AS (
    SELECT set_config('synchronous_commit', %(sync)s, true)
), r AS (
    SELECT id FROM competitions_liveround, cfg
    WHERE id = %(round)s AND opened_at <= %(now)s AND closes_at >= %(cutoff)s
), ins AS (
    INSERT INTO competitions_liveanswer (round_id, player_id, response, correct, points, elapsed_ms, created_at)
    SELECT r.id, %(player)s, %(response)s::jsonb, %(correct)s, %(points)s, %(ms)s, %(now)s FROM r
    ON CONFLICT (round_id, player_id) DO NOTHING
    RETURNING id
)
UPDATE competitions_liveplayer
SET total = total + %(points)s, total_ms = total_ms + %(ms_counted)s, correct_count = correct_count + %(c)s
WHERE id = %(player)s AND session_id = %(session)s AND EXISTS (SELECT 1 FROM ins)
RETURNING id
"""

_INSERT = """
INSERT INTO competitions_liveanswer (round_id, player_id, response, correct, points, elapsed_ms, created_at)
SELECT r.id, %(player)s, %(response)s, %(correct)s, %(points)s, %(ms)s, %(now)s
FROM competitions_liveround r
WHERE r.id = %(round)s AND r.opened_at <= %(now)s AND r.closes_at >= %(cutoff)s
  AND EXISTS (SELECT 1 FROM competitions_liveplayer p WHERE p.id = %(player)s AND p.session_id = %(session)s)
ON CONFLICT (round_id, player_id) DO NOTHING
"""

_UPDATE = """
UPDATE competitions_liveplayer
SET total = total + %(points)s, total_ms = total_ms + %(ms_counted)s, correct_count = correct_count + %(c)s
WHERE id = %(player)s
"""


def _server_bound_cursor():
    """A psycopg cursor binding its parameters on the server, one per database connection (Django's own cursors
    bind them in Python, and building a cursor copies the connection's adapters: both cost CPU per answer)."""
    import psycopg

    connection.ensure_connection()
    raw = connection.connection
    cached = getattr(connection, "_live_cursor", None)
    if cached is None or cached.connection is not raw or cached.closed:
        cached = connection._live_cursor = psycopg.Cursor(raw)
    return cached


def _fetch_one(sql: str, params: dict) -> tuple | None:
    """One row of a statement of the hot path. On PostgreSQL the statement is prepared once per connection and
    its parameters bound by the server (see _server_bound_cursor); elsewhere Django's cursor. psycopg's errors
    become Django's, and mark the connection as failed, as through Django's own cursors: the request's end then
    closes a broken connection instead of keeping it for CONN_MAX_AGE."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    cursor = _server_bound_cursor()
    with connection.wrap_database_errors:
        if connection.queries_logged:  # as Django's debug cursor would: query counts in tests, DEBUG
            started = time.monotonic()
            cursor.execute(sql, params, prepare=True)
            connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
        else:
            cursor.execute(sql, params, prepare=True)
        return cursor.fetchone()


def submit_answer(
    session_id: int, player_id: int, member_id: int, round_number: int, raw: dict, *, now=None
) -> dict:
    """Accept one answer of a joined player to the open round, or raise Refused. Returns {"accepted": True}
    only: whether it was right is told after the round closes."""
    now_dt = now or timezone.now()
    now_ts = now_dt.timestamp()
    check_rate(member_id, now_ts)
    try:
        return _submit(session_id, player_id, round_number, raw, now_dt, now_ts)
    except Refused:
        count_refusal(member_id, now_ts)
        raise


def _submit(session_id: int, player_id: int, round_number: int, raw: dict, now_dt, now_ts: float) -> dict:
    snap = snapshot(session_id)
    if snap is None:
        raise Refused("没有找到该竞赛", "missing")
    p = phase(snap, now_ts)
    r = snap["round"]
    if p not in {"open", "closing"} or r["number"] != round_number:
        raise Refused("本题作答时间已过", "late")
    try:
        response = _clean_response(r["qtype"], raw, len(r["options"]))
    except (TypeError, ValueError):
        raise Refused("请选择答案后再提交", "invalid") from None
    correct = grading.is_correct(r["qtype"], snap["key"]["answer"], response)
    points, ms = score(correct, r["opened_at"], r["closes_at"], now_ts)
    cutoff = now_dt - datetime.timedelta(seconds=GRACE_SECONDS)
    ops = connection.ops
    params = {
        "round": r["id"],
        "session": session_id,
        "player": player_id,
        "response": json.dumps(response, ensure_ascii=False),
        "correct": correct,
        "points": points,
        "ms": ms,
        "ms_counted": ms if correct else 0,
        "c": 1 if correct else 0,
        "now": ops.adapt_datetimefield_value(now_dt),
        "cutoff": ops.adapt_datetimefield_value(cutoff),
        "sync": "off" if ASYNC_COMMIT else "on",
    }
    if connection.vendor == "postgresql":
        # one statement, its own transaction (no BEGIN/COMMIT round trips); the WAL flush not awaited. Its
        # parameters are bound by the server and the statement is prepared once per connection: PostgreSQL plans
        # it once, not a thousand times a second, and no Python quotes the values.
        accepted = _fetch_one(_PG_ANSWER, params) is not None
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_INSERT, params)
            accepted = cursor.rowcount == 1
            if accepted:
                cursor.execute(_UPDATE, params)
    if not accepted:
        if LiveAnswer.objects.filter(round_id=r["id"], player_id=player_id).exists():
            raise Refused("每题只能作答一次", "duplicate")
        if not LivePlayer.objects.filter(pk=player_id, session_id=session_id).exists():
            raise Refused("请先加入竞赛", "not_joined")
        raise Refused("本题作答时间已过", "late")
    board.on_answer(session_id, player_id, points, ms if correct else 0)
    return {"accepted": True, "round": round_number}


# --- what a phone shows after a round ----------------------------------------------------------------------
_RESULT = """
SELECT p.name, p.total, p.total_ms, p.correct_count, a.correct, a.points{rank}
FROM competitions_liveplayer p
LEFT JOIN competitions_liveanswer a ON a.player_id = p.id AND a.round_id = %(round)s
WHERE p.id = %(player)s AND p.session_id = %(session)s
"""
# the players strictly ahead (more points, or as many in less time): a range of the board's index
_RANK = """, (SELECT count(*) FROM competitions_liveplayer q WHERE q.session_id = p.session_id
    AND (q.total > p.total OR (q.total = p.total AND q.total_ms < p.total_ms)))"""
_RESULT_WITH_RANK = _RESULT.format(rank=_RANK)
_RESULT_ALONE = _RESULT.format(rank="")


def player_result(session_id: int, player_id: int, snap: dict) -> dict:
    """The player's total, his answer to the round just revealed, his rank and the top of the board (unless the
    competition hides it). Every phone asks for this once after each reveal: one statement for the player, his
    answer and (without Redis) his rank, one Redis round trip for the rank with Redis, and a top that each
    process reads once a second at most, whatever the number of phones."""
    round_id = snap["round"]["id"] if snap["round"] else None
    ranked_by_redis = bool(snap.get("board_top")) and board.redis_client() is not None
    sql = _RESULT_WITH_RANK if snap.get("board_top") and not ranked_by_redis else _RESULT_ALONE
    row = _fetch_one(sql, {"round": round_id, "player": player_id, "session": session_id})
    if row is None:
        return {}
    name, total, total_ms, correct_count, mine_correct, mine_points, *ahead = row
    result = {"me": {"name": name, "total": total, "correct": correct_count}}
    if round_id is not None:
        if mine_correct is None:
            result["mine"] = {"correct": False, "points": 0, "missed": True}
        else:
            result["mine"] = {"correct": bool(mine_correct), "points": mine_points}
    if snap.get("board_top"):
        result["me"]["rank"] = board.rank_at(session_id, total, total_ms) if ranked_by_redis else 1 + ahead[0]
        result["board"] = _top(session_id, snap)
    return result


# (session, the snapshot's build time) → (when read, the top rows): read in the revealed phase only, when the
# totals no longer change; any host action builds a new snapshot, and so a new key
_tops: dict[tuple[int, float], tuple[float, list[dict]]] = {}


def _top(session_id: int, snap: dict) -> list[dict]:
    key = (session_id, snap["built"])
    now = time.monotonic()
    memo = _tops.get(key)
    if memo is not None and now - memo[0] < SNAPSHOT_LOCAL_SECONDS:
        return memo[1]
    rows = board.top(session_id, snap["board_top"])
    if len(_tops) > 1000:
        _tops.clear()
    _tops[key] = (now, rows)
    return rows


# --- what the screen shows after a round -------------------------------------------------------------------
def distribution(snap: dict) -> dict:
    """Answer counts per option (choice questions), right/wrong otherwise; cached once the round is revealed."""
    r = snap["round"]
    key = f"partyedu:live:{snap['session']}:dist:{r['id']}"
    found = cache.get(key)
    if found is not None:
        return found
    rows = list(LiveAnswer.objects.filter(round_id=r["id"]).values_list("response", "correct"))
    counts = {"total": len(rows), "correct": sum(1 for _, c in rows if c), "options": []}
    if r["qtype"] in {"single", "multiple"}:
        per = [0] * len(r["options"])
        for response, _ in rows:
            picked = [response.get("choice")] if r["qtype"] == "single" else response.get("choices", [])
            for i in picked:
                if isinstance(i, int) and 0 <= i < len(per):
                    per[i] += 1
        counts["options"] = per
    elif r["qtype"] == "judge":
        counts["options"] = [
            sum(1 for resp, _ in rows if resp.get("value") is True),
            sum(1 for resp, _ in rows if resp.get("value") is False),
        ]
    cache.set(key, counts, 600)
    return counts
