"""Benchmark of live-competition answers (run on demand, not in CI):

    uv run python bench/competition.py [--players 2000] [--rounds 5] [--concurrency 32] [--redis]
        [--db postgres://postgres@127.0.0.1:5432/partyedu_bench_competition]

Creates a fresh PostgreSQL database, a county of `--players` members with accounts, a live competition with a
session everybody has joined, and one logged-in session cookie per player written straight through the session
engine (no logins). Serves the project with `partyedu serve` (gunicorn, one worker per core) on loopback, then
drives it from this process with a small asyncio HTTP/1.1 client (raw streams, keep-alive when the server keeps
the connection): first the minimal authenticated JSON view /competitions/ping/, then, round by round, every
player posting one answer while the host's round is open. Reports accepted answers/s and p50/p99 latency for
both, and writes a section of docs/benchmarks.md. With --redis the server gets REDIS_URL (cache, rate limits
and the sorted-set leaderboard in Redis); without, the process-local cache and the database leaderboard.
"""

import argparse
import asyncio
import datetime
import os
import platform
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser()
parser.add_argument("--players", type=int, default=2000)
parser.add_argument("--rounds", type=int, default=5)
parser.add_argument("--concurrency", type=int, default=32)
parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
parser.add_argument("--port", type=int, default=8765)
parser.add_argument("--redis", action="store_true", help="serve with REDIS_URL=redis://127.0.0.1:6379/13")
parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/partyedu_bench_competition")
parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
parser.add_argument("--note", default="", help="a paragraph added to the section (what else ran, …)")
args = parser.parse_args()

var = ROOT / "var" / "bench-competition"
var.mkdir(parents=True, exist_ok=True)
REDIS_URL = "redis://127.0.0.1:6379/13"
ENV = {
    "DJANGO_SETTINGS_MODULE": "partyedu.settings",
    "PARTYEDU_VAR_DIR": str(var),
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-bench-only-secret-key-123456",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DATABASE_URL": args.db,
    "LOG_LEVEL": "WARNING",
}
if args.redis:
    ENV["REDIS_URL"] = REDIS_URL
os.environ.update(ENV)


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


recreate_database(args.db)
if args.redis:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()

import django  # noqa: E402

django.setup()
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

call_command("migrate", verbosity=0, interactive=False)

from partyedu.accounts import services as account_services  # noqa: E402
from partyedu.accounts.models import User  # noqa: E402
from partyedu.competitions import services as competition_services  # noqa: E402
from partyedu.competitions.models import CompetitionMode, LiveAnswer, LivePlayer, TeamMode  # noqa: E402
from partyedu.competitions.views import SESSION_KEY  # noqa: E402
from partyedu.members.models import Member  # noqa: E402
from partyedu.orgs import services as org_services  # noqa: E402
from partyedu.quizzes import bank_services  # noqa: E402

load_before = os.getloadavg()[0]
# --- data ------------------------------------------------------------------------------------------------------
t0 = time.perf_counter()
committee = org_services.create_organization(
    name="青山县直属机关工作委员会", kind="working_committee", parent=None
)
branches = []
for u in range(5):
    unit = org_services.create_organization(
        name=f"县第{u + 1}局党组", kind="party_leadership_group", parent=committee
    )
    for b in range(4):
        branches.append(
            org_services.create_organization(name=f"县第{u + 1}局第{b + 1}党支部", kind="branch", parent=unit)
        )
members = Member.objects.bulk_create(
    [
        Member(
            name=f"选手{i:05d}",
            gender="male",
            birth_date=datetime.date(1980, 1, 1),
            citizen_id=f"BENCH{i:013d}",
            organization=branches[i % len(branches)],
            status="full",
        )
        for i in range(args.players)
    ],
    batch_size=1000,
)
unusable = make_password(None)
users = User.objects.bulk_create(
    [User(username=f"player{i:05d}", password=unusable, member=m) for i, m in enumerate(members)],
    batch_size=1000,
)
host = account_services.create_user(username="host", password="bench-pass-1234")
account_services.grant_role(host, committee, "committee_admin")
questions = [
    bank_services.create_question(
        committee,
        qtype="single",
        stem=f"第{n + 1}题：中国共产党第一次全国代表大会在哪里召开？",
        options=["北京", "上海", "广州", "武汉"],
        answer={"choice": 1},
        publish=True,
    )
    for n in range(args.rounds)
]
competition = competition_services.create_competition(
    owner=committee,
    title="基准测试现场赛",
    mode=CompetitionMode.LIVE,
    questions=questions,
    team_mode=TeamMode.BRANCH,
    seconds_per_question=300,
    by=host,
)
live_session = competition_services.create_session(competition, host=host)
players = LivePlayer.objects.bulk_create(
    [LivePlayer(session=live_session, member=m, name=m.name, team_id=m.organization_id) for m in members],
    batch_size=1000,
)
# One logged-in session per player, written through the session engine: what a login would have left.
expire = timezone.now() + datetime.timedelta(hours=2)
backend = "partyedu.accounts.backends.UsernameOrPhoneBackend"
cookies = []
rows = []
for user, player in zip(users, players, strict=True):
    store = SessionStore()
    key = secrets.token_hex(16)
    data = {
        "_auth_user_id": str(user.pk),
        "_auth_user_backend": backend,
        "_auth_user_hash": user.get_session_auth_hash(),
        SESSION_KEY: {str(live_session.pk): player.pk},
    }
    rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
    cookies.append(key)
Session.objects.bulk_create(rows, batch_size=1000)
setup_seconds = time.perf_counter() - t0
print(f"data: {args.players} players with sessions in {setup_seconds:.1f} s", flush=True)
connection.close()

# --- the server ------------------------------------------------------------------------------------------------
import socket  # noqa: E402

with socket.socket() as probe:
    if probe.connect_ex(("127.0.0.1", args.port)) == 0:
        raise SystemExit(f"port {args.port} is in use: stop the server there first (or pass --port)")
server = subprocess.Popen(
    [
        sys.executable,
        "-m",
        "partyedu",
        "serve",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--no-migrate",
    ],
    env={**os.environ, **ENV},
    stdout=subprocess.DEVNULL,
    stderr=subprocess.PIPE,
    cwd=str(ROOT),
    start_new_session=True,
)

CSRF = "benchcsrftokenbenchcsrftoken1234"  # 32 characters: an unmasked token, cookie and header alike


class Conn:
    def __init__(self):
        self.reader = self.writer = None

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        for attempt in range(2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", args.port)
            try:
                self.writer.write(raw)
                await self.writer.drain()
                status_line = await self.reader.readline()
                if not status_line:
                    raise ConnectionResetError
                status = int(status_line.split()[1])
                length, close = 0, False
                while True:
                    line = await self.reader.readline()
                    if line in (b"\r\n", b""):
                        break
                    name, _, value = line.decode("latin-1").partition(":")
                    name = name.strip().lower()
                    if name == "content-length":
                        length = int(value)
                    elif name == "connection" and value.strip().lower() == "close":
                        close = True
                body = await self.reader.readexactly(length) if length else b""
                if close:
                    self.close()
                return status, body
            except (ConnectionResetError, asyncio.IncompleteReadError, BrokenPipeError):
                self.close()
                if attempt:
                    raise
        raise RuntimeError("unreachable")

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def get(path: str, cookie: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: sessionid={cookie}; csrftoken={CSRF}\r\n"
        f"Accept: application/json\r\nConnection: keep-alive\r\n\r\n"
    ).encode()


def post(path: str, cookie: str, body: str) -> bytes:
    data = body.encode()
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: sessionid={cookie}; csrftoken={CSRF}\r\n"
        f"X-CSRFToken: {CSRF}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(data)}\r\nAccept: application/json\r\nConnection: keep-alive\r\n\r\n"
    ).encode() + data


async def run(requests: list[bytes]) -> tuple[float, list[float], dict[int, int]]:
    """Send every request with `concurrency` connections; (seconds, latencies, status counts)."""
    queue = list(reversed(requests))
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def worker():
        conn = Conn()
        while queue:
            raw = queue.pop()
            start = time.perf_counter()
            status, _ = await conn.request(raw)
            latencies.append(time.perf_counter() - start)
            statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(args.concurrency)))
    return time.perf_counter() - start, latencies, statuses


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


try:
    for _ in range(100):
        try:
            status, _ = asyncio.run(Conn().request(get("/healthz", cookies[0])))
            if status == 200:
                break
        except OSError:
            pass
        time.sleep(0.3)
    else:
        raise SystemExit("server did not start: " + server.stderr.read().decode()[-2000:])

    # warm both workers up
    asyncio.run(run([get("/competitions/ping/", c) for c in cookies[:400]]))

    results = {}
    ping_requests = [get("/competitions/ping/", c) for _ in range(args.rounds) for c in cookies]
    seconds, lat, statuses = asyncio.run(run(ping_requests))
    assert statuses.get(200) == len(ping_requests), statuses
    results["ping"] = (len(ping_requests), seconds, lat, statuses)
    print(
        f"ping: {len(ping_requests) / seconds:.0f}/s p50 {pct(lat, 50):.1f} ms p99 {pct(lat, 99):.1f} ms",
        flush=True,
    )

    answer_path = f"/competitions/live/{live_session.pk}/answer/"
    total_seconds, all_lat, all_status, accepted = 0.0, [], {}, 0
    for number in range(1, args.rounds + 1):
        competition_services.open_next(live_session, by=host)
        connection.close()
        time.sleep(1.2)  # a process-local snapshot cache is re-read by each worker within a second
        order = list(range(len(cookies)))
        import random

        random.Random(number).shuffle(order)
        reqs = [post(answer_path, cookies[i], f"round={number}&choice={1 if i % 3 else 2}") for i in order]
        r_seconds, r_lat, r_statuses = asyncio.run(run(reqs))
        total_seconds += r_seconds
        all_lat += r_lat
        for k, v in r_statuses.items():
            all_status[k] = all_status.get(k, 0) + v
        accepted += r_statuses.get(200, 0)
        print(f"round {number}: {len(reqs) / r_seconds:.0f}/s {r_statuses}", flush=True)
        competition_services.close_round(live_session, by=host)
        time.sleep(1.1)  # the grace
    stored = LiveAnswer.objects.filter(round__session=live_session).count()
    assert stored == accepted, (stored, accepted)
    results["answer"] = (accepted, total_seconds, all_lat, all_status)
    print(
        f"answers: {accepted / total_seconds:.0f}/s p50 {pct(all_lat, 50):.1f} ms p99 {pct(all_lat, 99):.1f} ms",
        flush=True,
    )
    # a second ping run after the answers, so that neither side had the warmer machine
    seconds2, lat2, statuses2 = asyncio.run(run(ping_requests))
    print(f"ping again: {len(ping_requests) / seconds2:.0f}/s p99 {pct(lat2, 99):.1f} ms", flush=True)
    results["ping"] = (2 * len(ping_requests), seconds + seconds2, lat + lat2, statuses)
    from partyedu.competitions import board

    top = board.top(live_session.pk, 10)
finally:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)

load_after = os.getloadavg()[0]
ping_n, ping_s, ping_lat, _ = results["ping"]
ans_n, ans_s, ans_lat, ans_status = results["answer"]
ping_rate, ans_rate = ping_n / ping_s, ans_n / ans_s
ratio = ans_rate / ping_rate
ok = ans_rate >= 1000 and pct(ans_lat, 99) < 200 and ratio >= 0.4
command = (
    f"uv run python bench/competition.py --players {args.players} --rounds {args.rounds} --concurrency {args.concurrency}"
    + (" --redis" if args.redis else "")
)
label = (
    "Redis (cache, rate limits, sorted-set leaderboard)"
    if args.redis
    else "no Redis (process-local cache, database leaderboard)"
)
section = [
    f"## Competition answers — {'redis' if args.redis else 'database'} ({time.strftime('%Y-%m-%d')})",
    "",
    f"`{command}` on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
    f"PostgreSQL, {label}. `partyedu serve` (gunicorn, {args.workers} sync workers) on 127.0.0.1; the load "
    f"generator (one asyncio process, raw HTTP/1.1, {args.concurrency} connections) runs on the same machine. "
    f"{args.players} players, each with a session cookie written through the session engine; {args.rounds} "
    f"rounds, every player posting one answer per round (CSRF token and session cookie, as a phone does). "
    f'The ping is `/competitions/ping/` (login required, returns {{"ok": true}}), measured before and after '
    f"the answers in the same run. Setup (database, {args.players} members, accounts, sessions): {setup_seconds:.1f} s.",
    "",
    "| what | requests | throughput | p50 | p99 |",
    "|---|---|---|---|---|",
    f"| minimal authenticated JSON view (ping) | {ping_n} | {ping_rate:.0f}/s | {pct(ping_lat, 50):.1f} ms | {pct(ping_lat, 99):.1f} ms |",
    f"| accepted answers | {ans_n} | {ans_rate:.0f}/s | {pct(ans_lat, 50):.1f} ms | {pct(ans_lat, 99):.1f} ms |",
    "",
    f"Answers reach **{ratio * 100:.0f} %** of the ping's throughput; statuses {ans_status}; every accepted "
    f"answer is in the database (checked). Leader after the run: {top[0]['name'] if top else '—'} "
    f"({top[0]['total'] if top else 0} points). Target (≥ 1,000 answers/s, p99 < 200 ms, ≥ 40 % of the ping): "
    f"**{'met' if ok else 'missed'}**. Load average (1 min) of the machine: {load_before:.1f} before, "
    f"{load_after:.1f} after (a quiet 2-core machine is below 2).",
    "",
    *([args.note, ""] if args.note else []),
]
print("\n".join(section))
if not args.no_write:
    out = ROOT / "docs" / "benchmarks.md"
    marker = section[0].split(" (")[0]
    existing = out.read_text()
    kept = [s for s in existing.split("\n## ") if not ("## " + s).startswith(marker)]
    text = (
        kept[0].rstrip()
        + "\n\n"
        + "".join("\n## " + s.rstrip() + "\n" for s in kept[1:])
        + "\n"
        + "\n".join(section)
    )
    out.write_text(text.replace("\n\n\n", "\n\n"))
    print(f"written to {out}")
