"""Benchmark of live-competition answers (run on demand, not in CI):

    uv run python bench/competition.py [--players 10000] [--rounds 3] [--duration 6] [--connections 64] [--redis]
        [--workers 2] [--server granian|gunicorn] [--worker-class gthread] [--threads 2]
        [--db postgres://postgres@127.0.0.1:5432/partyedu_bench_competition]

Needs `wrk` (the C load generator: `apt-get install wrk`): a Python client on the same 2 cores took about half
of them from the server it measured. Creates a fresh PostgreSQL database, a county of `--players` members with
accounts, a live competition with a session everybody has joined, and one logged-in session per player written
straight through the session engine (no logins). Serves the project with `partyedu serve` (granian or gunicorn) on loopback,
then drives it with wrk over keep-alive connections: first the minimal authenticated
JSON view /competitions/ping/ for `--duration` seconds, cycling through every player's cookie, and the phones'
state polls in the lobby (with each player's seat, as live.js polls); then, round by round, the host opens a
question and the players post their answer for `--duration` seconds, each player once (a player whose turn
comes again would be refused as a duplicate and not counted as accepted); then the polls after the last
reveal (each with the player's own result, rank and the top ten) and the ping again.
Reports accepted answers/s and p50/p99 latency for both, checks that every answer the server accepted (the
player id is in its reply) is in the database, and writes a section of docs/benchmarks.md. With --redis the
server gets REDIS_URL (cache, sessions, rate limits and the sorted-set leaderboard in Redis); without, the
process-local cache, database sessions and the database leaderboard.
"""

import argparse
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser()
parser.add_argument("--players", type=int, default=10000)
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--duration", type=int, default=6, help="seconds of load per wrk run")
parser.add_argument("--connections", type=int, default=64)
parser.add_argument("--wrk-threads", type=int, default=1)
parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
parser.add_argument("--server", choices=["granian", "gunicorn"], default="granian")
parser.add_argument("--worker-class", default="gthread", help="gunicorn only")
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--port", type=int, default=8765)
parser.add_argument("--redis", action="store_true", help="serve with REDIS_URL=redis://127.0.0.1:6379/13")
parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/partyedu_bench_competition")
parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
parser.add_argument(
    "--profile",
    type=int,
    default=0,
    help="no server: N pings and N answers through the WSGI handler in this process, CPU time and cProfile",
)
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


# `timeout` or Ctrl-C: still stop the server (the finally below)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
WRK = shutil.which("wrk")
if not WRK:
    raise SystemExit("this benchmark needs wrk, the C HTTP load generator: apt-get install wrk")
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
from partyedu.competitions import lane  # noqa: E402
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
# each player's seat, as his play page gives it to his phone
seats = [lane.seat_for(live_session.pk, p.pk, p.member_id) for p in players]
from django.conf import settings  # noqa: E402

if settings.SESSION_ENGINE.endswith("cached_db"):
    # what a login through cached_db leaves: the session in the database and in the cache
    from django.contrib.sessions.backends.cached_db import SessionStore as CachedStore  # noqa: E402
    from django.core.cache import caches  # noqa: E402

    session_cache = caches[settings.SESSION_CACHE_ALIAS]
    for start in range(0, len(rows), 1000):
        session_cache.set_many(
            {
                CachedStore(r.session_key).cache_key: SessionStore().decode(r.session_data)
                for r in rows[start : start + 1000]
            },
            7200,
        )
setup_seconds = time.perf_counter() - t0
print(f"data: {args.players} players with sessions in {setup_seconds:.1f} s", flush=True)
connection.close()


def profile(n: int) -> None:
    """CPU cost of one ping and one answer through the whole Django stack (middleware included), no HTTP: what
    the machine's load changes least."""
    import cProfile
    import io
    import pstats
    from urllib.parse import urlencode

    from partyedu.wsgi import application as app  # what the server serves

    def call(method: str, path: str, cookie: str, body: bytes = b"", seat: str = "") -> int:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": str(args.port),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": f"sessionid={cookie}; csrftoken={CSRF}",
            "HTTP_X_CSRFTOKEN": CSRF,
            "HTTP_ACCEPT": "application/json",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        if seat:  # an answer, as live.js posts it: the seat, no cookie
            environ["HTTP_X_LIVE_SEAT"] = seat
            del environ["HTTP_COOKIE"], environ["HTTP_X_CSRFTOKEN"]
        status = []
        for _ in app(environ, lambda s, h, *a: status.append(s)):
            pass
        return int(status[0].split()[0])

    # the lobby: every player has polled before the first question opens (their account is then cached)
    for i in range(2 * n + 1):
        call("GET", f"/competitions/live/{live_session.pk}/state/", cookies[i])
    competition_services.open_next(live_session, by=host)
    path = f"/competitions/live/{live_session.pk}/answer/"
    for name, do in (
        ("ping", lambda i: call("GET", "/competitions/ping/", cookies[i])),
        ("answer", lambda i: call("POST", path, "", urlencode({"round": 1, "choice": 1}).encode(), seats[i])),
    ):
        assert do(2 * n) == 200  # warm (player 2n answers once here)
        cpu, wall = time.process_time(), time.perf_counter()
        codes = [do(i) for i in range(n)]
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        assert set(codes) == {200}, codes[:5]
        print(
            f"{name}: {cpu / n * 1e6:.0f} µs CPU, {wall / n * 1e6:.0f} µs wall per request (load {os.getloadavg()[0]:.1f})"
        )
        prof = cProfile.Profile()
        prof.enable()
        codes = [do(i) for i in range(n, 2 * n)]
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats(os.environ.get("BENCH_SORT", "tottime")).print_stats(25)
        print(out.getvalue())
    raise SystemExit(0)


CSRF = "benchcsrftokenbenchcsrftoken1234"  # 32 characters: an unmasked token, cookie and header alike
if args.profile:
    profile(min(args.profile, (args.players - 1) // 2))

# --- the server ------------------------------------------------------------------------------------------------
import socket  # noqa: E402
import urllib.request  # noqa: E402

with socket.socket() as probe:
    if probe.connect_ex(("127.0.0.1", args.port)) == 0:
        raise SystemExit(f"port {args.port} is in use: stop the server there first (or pass --port)")
t_server = time.perf_counter()
server = subprocess.Popen(
    [
        sys.executable,
        "-m",
        "partyedu",
        "serve",
        "--server",
        args.server,
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--no-migrate",
        "--no-collectstatic",  # the JSON views need no static files; compressing them all takes minutes here
    ],
    env={**os.environ, **ENV},
    stdout=subprocess.DEVNULL,
    stderr=subprocess.PIPE,
    cwd=str(ROOT),
    start_new_session=True,
)

BASE = f"http://127.0.0.1:{args.port}"

# wrk scripts: every thread takes every n-th player; request() walks them (then around again, as duplicates);
# response() counts statuses and keeps the player ids the server accepted, reported by done().
LUA = r"""
local counter, threads = 0, {}
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  local nthreads = tonumber(args[2])
  method, path, body_round, csrf = args[3], args[4], args[5], args[6]
  keys, choices, seats, pos, statuses, accepted = {}, {}, {}, 0, {}, {}
  local i = 0
  for line in io.lines(args[1]) do
    if i % nthreads == tid then
      local key, choice, seat = line:match("(%S+) (%S+) (%S+)")
      table.insert(keys, key)
      table.insert(choices, choice)
      table.insert(seats, seat)
    end
    i = i + 1
  end
end
function request()
  pos = pos + 1
  local i = (pos - 1) % #keys + 1
  if path:find("/state/", 1, true) then
    -- as live.js polls: the seat, no cookie; no ETag (each poll a full reply, the costlier case)
    return wrk.format("GET", path, {["X-Live-Seat"] = seats[i], ["Accept"] = "application/json"})
  end
  if method == "POST" then
    -- as live.js posts an answer: the player's seat in a header, no cookie (competitions/lane.py)
    local headers = {["X-Live-Seat"] = seats[i], ["Accept"] = "application/json",
                     ["Content-Type"] = "application/x-www-form-urlencoded"}
    return wrk.format("POST", path, headers, "round=" .. body_round .. "&choice=" .. choices[i])
  end
  local headers = {["Cookie"] = "sessionid=" .. keys[i] .. "; csrftoken=" .. csrf, ["Accept"] = "application/json"}
  return wrk.format("GET", path, headers)
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if method == "POST" and status == 200 then
    accepted[#accepted + 1] = body:match('"player": *(%d+)')
  end
end
function done(summary, latency, requests)
  local total, ids = {}, {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do total[tostring(status)] = (total[tostring(status)] or 0) + n end
    for _, id in ipairs(thread:get("accepted")) do ids[#ids + 1] = id end
  end
  local parts = {}
  for status, n in pairs(total) do parts[#parts + 1] = '"' .. status .. '": ' .. n end
  io.write(string.format(
    'RESULT {"seconds": %.6f, "requests": %d, "p50": %.3f, "p99": %.3f, "socket_errors": %d, "statuses": {%s}}\n',
    summary.duration / 1e6, summary.requests, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(parts, ", ")))
  io.write("ACCEPTED " .. table.concat(ids, " ") .. "\n")
end
"""
script = var / "competition.lua"
script.write_text(LUA)
players_file = var / "players.txt"
players_file.write_text(
    "".join(f"{c} {1 if i % 3 else 2} {s}\n" for i, (c, s) in enumerate(zip(cookies, seats, strict=True)))
)


def wrk(method: str, path: str, round_number: int = 0, duration: int | None = None) -> dict:
    """One wrk run; {"seconds", "requests", "p50", "p99" (ms), "statuses", "accepted": [player ids]}."""
    out = subprocess.run(
        [
            WRK,
            f"-t{args.wrk_threads}",
            f"-c{args.connections}",
            f"-d{duration or args.duration}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            BASE + path,
            "--",
            str(players_file),
            str(args.wrk_threads),
            method,
            path,
            str(round_number),
            CSRF,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=(duration or args.duration) + 60,
    ).stdout
    result = json.loads(out.split("RESULT ", 1)[1].splitlines()[0])
    result["statuses"] = {int(k): v for k, v in result["statuses"].items()}
    result["accepted"] = [int(x) for x in out.split("ACCEPTED", 1)[1].split()]
    return result


def show(name: str, r: dict, ok: int) -> None:
    print(
        f"{name}: {ok / r['seconds']:.0f}/s p50 {r['p50']:.1f} ms p99 {r['p99']:.1f} ms {r['statuses']} "
        f"load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


try:
    for _ in range(100):
        try:
            with urllib.request.urlopen(BASE + "/healthz", timeout=2) as reply:
                if reply.status == 200:
                    break
        except OSError:
            pass
        time.sleep(0.3)
    else:
        raise SystemExit("server did not start: " + server.stderr.read().decode()[-2000:])

    print(f"server up after {time.perf_counter() - t_server:.1f} s", flush=True)
    for _ in range(5):  # warm every worker and thread up (imports, database connections)
        warm = wrk("GET", "/competitions/ping/", duration=3)
        print(f"warm-up: {warm['statuses']}", flush=True)
        if warm["statuses"].get(200, 0) > 2 * args.connections:
            break
    pings = [wrk("GET", "/competitions/ping/")]
    show("ping", pings[0], pings[0]["statuses"].get(200, 0))
    state_path = f"/competitions/live/{live_session.pk}/state/"
    polls = {"lobby": wrk("GET", state_path)}  # the phones wait for the first question
    show("polls in the lobby", polls["lobby"], polls["lobby"]["statuses"].get(200, 0))
    answer_path = f"/competitions/live/{live_session.pk}/answer/"
    answers = []
    for number in range(1, args.rounds + 1):
        competition_services.open_next(live_session, by=host)
        connection.close()
        time.sleep(1.2)  # a process-local snapshot cache is re-read by each worker within a second
        r = wrk("POST", answer_path, number)
        show(f"round {number}", r, r["statuses"].get(200, 0))
        competition_services.close_round(live_session, by=host)
        stored = set(
            LiveAnswer.objects.filter(round__session=live_session, round__number=number).values_list(
                "player_id", flat=True
            )
        )
        missing = set(r["accepted"]) - stored
        assert not missing, f"{len(missing)} accepted answers are not in the database"
        # wrk stops with requests in flight: the server may store those without wrk seeing the reply
        r["stored"], r["unseen"] = len(stored), len(stored) - len(r["accepted"])
        assert len(r["accepted"]) == r["statuses"].get(200, 0)
        answers.append(r)
        connection.close()
        time.sleep(1.1)  # the grace
    polls["revealed"] = wrk("GET", state_path)  # each phone reads its result, its rank and the top ten
    show("polls after the reveal", polls["revealed"], polls["revealed"]["statuses"].get(200, 0))
    pings.append(wrk("GET", "/competitions/ping/"))
    show("ping again", pings[1], pings[1]["statuses"].get(200, 0))
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


def combine(runs: list[dict]) -> tuple[int, float, float, float, dict]:
    """(accepted, seconds, p50 of the runs' p50s, worst p99, statuses)."""
    statuses: dict[int, int] = {}
    for r in runs:
        for k, v in r["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
    ok = statuses.get(200, 0)
    return (
        ok,
        sum(r["seconds"] for r in runs),
        sorted(r["p50"] for r in runs)[len(runs) // 2],
        max(r["p99"] for r in runs),
        statuses,
    )


ping_n, ping_s, ping_p50, ping_p99, ping_status = combine(pings)
ans_n, ans_s, ans_p50, ans_p99, ans_status = combine(answers)
ran_out = any(r["stored"] >= args.players for r in answers)  # every player answered before wrk stopped
assert ping_status.get(200) == ping_n and set(ping_status) == {200}, ping_status
ping_rate, ans_rate = ping_n / ping_s, ans_n / ans_s
ratio = ans_rate / ping_rate
for r in polls.values():
    assert set(r["statuses"]) == {200}, r["statuses"]
ok = ans_rate >= 1000 and ans_p99 < 200 and ratio >= 0.4
unseen = sum(r["unseen"] for r in answers)
command = (
    f"uv run python bench/competition.py --players {args.players} --rounds {args.rounds} "
    f"--duration {args.duration} --connections {args.connections} --workers {args.workers} "
    f"--server {args.server} "
    + (f"--worker-class {args.worker_class} " if args.server == "gunicorn" else "")
    + f"--threads {args.threads}"
    + (" --redis" if args.redis else "")
)
served_by = (
    f"granian (Rust HTTP, WSGI), {args.workers} workers × {args.threads} blocking threads"
    if args.server == "granian"
    else f"gunicorn, {args.workers} {args.worker_class} workers × {args.threads} threads"
)
label = (
    "Redis (cache, sessions through cached_db, rate limits, sorted-set leaderboard)"
    if args.redis
    else "no Redis (process-local cache, database sessions, database leaderboard)"
)
section = [
    f"## Competition answers — {'redis' if args.redis else 'database'} ({time.strftime('%Y-%m-%d')})",
    "",
    f"`{command}` on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
    f"PostgreSQL, {label}. `partyedu serve` ({served_by}, keep-alive) on "
    f"127.0.0.1; the load generator (wrk, {args.wrk_threads} thread, "
    f"{args.connections} keep-alive connections) runs on the same machine. {args.players} players, each with "
    f"his own session cookie written through the session engine; {args.rounds} rounds of {args.duration} s, "
    f"the players posting their answer in turn as live.js posts it: the player's signed seat in the "
    f"X-Live-Seat header, no cookie, through the answer lane (partyedu/competitions/lane.py: no session, no "
    f"account, no middleware; a player whose turn came round again in the same round is refused as a "
    f"duplicate{'; in a round where every player had answered before wrk stopped the rate is a floor' if ran_out else ''}). "
    f"The ping is "
    f'`/competitions/ping/` (login required, returns {{"ok": true}}, through every middleware as any view of the '
    f"project), {args.duration} s before and after the answers in the same run, cycling through the same "
    f"cookies. The phones' polls of the state, through the same lane with their seats, {args.duration} s in the "
    f"lobby (before the first question) and {args.duration} s after the last reveal (each reply with the "
    f"player's own answer, rank and the top ten), without ETag: each poll a full reply (a phone's repeated "
    f"polls get 304). Setup (database, {args.players} members, accounts, sessions): {setup_seconds:.1f} s.",
    "",
    "| what | requests | throughput | p50 | p99 (worst run) |",
    "|---|---|---|---|---|",
    f"| minimal authenticated JSON view (ping) | {ping_n} | {ping_rate:.0f}/s | {ping_p50:.1f} ms | {ping_p99:.1f} ms |",
    f"| accepted answers | {ans_n} | {ans_rate:.0f}/s | {ans_p50:.1f} ms | {ans_p99:.1f} ms |",
    *(
        f"| state polls {label} | {r['requests']} | {r['requests'] / r['seconds']:.0f}/s | {r['p50']:.1f} ms "
        f"| {r['p99']:.1f} ms |"
        for label, r in (("in the lobby", polls["lobby"]), ("after the reveal", polls["revealed"]))
    ),
    "",
    f"Answers reach **{ratio * 100:.0f} %** of the ping's throughput; statuses {ans_status}; every answer "
    f"the server accepted is in the database (checked by player id; {unseen} more were stored whose reply wrk "
    f"did not wait for when it stopped). Leader after the run: {top[0]['name'] if top else '—'} "
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
