"""Benchmark of points rankings on a demo city (run on demand, not in CI):

    uv run python bench/points.py --db postgres://postgres@127.0.0.1:5432/<empty db> [--entries 5000000]

Seeds the demo city (about 50,000 members, a year of organisational life and the points it earned) unless the
database already holds it, tops the ledger up to `--entries` rows with a year of self-driven credits written by
COPY (material completions and daily tests, one source key each), rebuilds the kept totals from the ledger in SQL,
runs ANALYZE, then times the ranking reads a page needs: the city's first page of members, a unit's, one member's
rank, the organisation rankings, and the rankings page through Django's test client. Writes its section of
docs/benchmarks.md. Target (issue 6): p95 < 300 ms on PostgreSQL.
"""

import argparse
import datetime
import io
import os
import platform
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser()
parser.add_argument("--db", required=True, help="DATABASE_URL of an empty PostgreSQL database")
parser.add_argument("--entries", type=int, default=5_000_000)
parser.add_argument("--repeat", type=int, default=20)
parser.add_argument("--no-write", action="store_true")
args = parser.parse_args()

var = ROOT / "var" / "bench-points"
shutil.rmtree(var, ignore_errors=True)
var.mkdir(parents=True)
os.environ.update(
    DJANGO_SETTINGS_MODULE="partyedu.settings",
    PARTYEDU_VAR_DIR=str(var),
    DEBUG="0",
    SECRET_KEY="bench-only-secret-key-bench-only-secret-key-123456",
    PARTYEDU_TASK_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
    ALLOWED_HOSTS="testserver",
    DATABASE_URL=args.db,
)

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
call_command("migrate", verbosity=0, interactive=False)

from partyedu.accounts.models import User  # noqa: E402
from partyedu.demo.seeding import seed_demo  # noqa: E402
from partyedu.members.models import Member  # noqa: E402
from partyedu.orgs.models import Organization, OrganizationKind  # noqa: E402
from partyedu.points import selectors  # noqa: E402
from partyedu.points.models import EventKind, PointsEntry, PointsRule, PointsTotal  # noqa: E402

rows: list[tuple[str, str, str]] = []


def timed(label, fn, repeat=1, note=""):
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - began) * 1000)
    if repeat > 1:
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        text = f"p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms"
    else:
        text = f"{times[0] / 1000:.1f} s"
    rows.append((label, text, note))
    print(f"{label}: {text} {note}", flush=True)
    return result


if not Member.objects.exists():
    timed("seed --scale city (a year of organisational life and its points)", lambda: seed_demo("city", 1))
members = list(Member.objects.filter(left_on__isnull=True).values_list("pk", flat=True))
rule_of = dict(PointsRule.objects.filter(valid_to__isnull=True).values_list("event_kind", "pk"))
have = PointsEntry.objects.count()
missing = max(0, args.entries - have)


def top_up():
    rng = random.Random(7)
    year = timezone.localdate().year
    start = datetime.datetime(year - 1, 11, 25, tzinfo=datetime.UTC)
    kinds = [(EventKind.MATERIAL_COMPLETED, "完成学习：资料"), (EventKind.DAILY_TEST, "每日测试 答对4题")]
    written = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        while written < missing:
            chunk = min(500_000, missing - written)
            buf = io.StringIO()
            for i in range(written, written + chunk):
                kind, reason = kinds[i % 2]
                when = start + datetime.timedelta(seconds=rng.randrange(360 * 86400))
                local = when.astimezone(timezone.get_current_timezone())
                buf.write(
                    f"{rng.choice(members)}\t{rule_of[kind]}\t{kind}\tcredit\tbench:{i}\t1.00\t1.00\t\t"
                    f"{when.isoformat()}\t{local.date().isoformat()}\t{when.isoformat()}\t{reason}\n"
                )
            buf.seek(0)
            with raw.copy(
                "COPY points_pointsentry (member_id, rule_id, event_kind, kind, source_key, points, requested, "
                "cap_note, occurred_at, occurred_on, recorded_at, reason) FROM STDIN"
            ) as copy:
                copy.write(buf.getvalue())
            written += chunk
            print(f"  {written}/{missing} entries", flush=True)


def rebuild_totals_sql():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM points_pointstotal")
        for kind, expr in (
            ("year", "to_char(occurred_on, 'YYYY')"),
            ("quarter", "to_char(occurred_on, 'YYYY') || 'Q' || to_char(occurred_on, 'Q')"),
            ("month", "to_char(occurred_on, 'YYYY-MM')"),
        ):
            cursor.execute(
                "INSERT INTO points_pointstotal (member_id, period, period_kind, total, entries) "
                f"SELECT member_id, {expr}, %s, SUM(points), COUNT(*) FROM points_pointsentry GROUP BY member_id, {expr}",
                [kind],
            )
        cursor.execute("ANALYZE")


if missing:
    timed(f"COPY {missing:,} more ledger entries", top_up)
if missing or not PointsTotal.objects.exists():
    timed("rebuild the kept totals from the ledger (SQL) + ANALYZE", rebuild_totals_sql)
total_entries = PointsEntry.objects.count()

root = Organization.objects.filter(parent__isnull=True).order_by("pk").first()
unit = (
    Organization.objects.filter(
        parent=root, kind__in=[OrganizationKind.PARTY_COMMITTEE, OrganizationKind.PARTY_LEADERSHIP_GROUP]
    )
    .order_by("pk")
    .first()
)
year = str(timezone.localdate().year)
someone = (
    Member.objects.filter(pk__in=members[len(members) // 2 : len(members) // 2 + 1])
    .select_related("organization")
    .first()
)

timed(
    "member_ranking(): the whole city, first 100",
    lambda: selectors.member_ranking(root, year, limit=100),
    args.repeat,
)
timed(
    "member_ranking(): one unit, first 100",
    lambda: selectors.member_ranking(unit, year, limit=100),
    args.repeat,
)
timed("rank_of(): one member in the city", lambda: selectors.rank_of(someone, root, year), args.repeat)
timed("org_ranking(): the city's units by average", lambda: selectors.org_ranking(root, year), args.repeat)
timed("org_ranking(): one unit's branches", lambda: selectors.org_ranking(unit, year), args.repeat)

admin = User.objects.filter(role_assignments__role="committee_admin").first()
client = Client()
client.force_login(admin)
client.get("/points/rankings/")
with CaptureQueriesContext(connection) as queries:
    response = client.get("/points/rankings/")
assert response.status_code == 200, response.status_code
timed(
    "积分排名 page, whole city, as the 工委's admin",
    lambda: client.get("/points/rankings/"),
    args.repeat,
    f"{len(queries.captured_queries)} queries",
)
member_user = User.objects.filter(member__isnull=False, role_assignments__role="member").first()
if member_user:
    mc = Client()
    mc.force_login(member_user)
    timed("我的积分 page of a member", lambda: mc.get("/points/mine/"), args.repeat)

section = [
    f"## Points rankings — city scale on {connection.vendor} ({time.strftime('%Y-%m-%d')})",
    "",
    f"`uv run python bench/points.py --db …` on {platform.machine()}, {os.cpu_count()} cores, Python "
    f"{platform.python_version()}; {len(members):,} members, {total_entries:,} ledger entries. Target: p95 < 300 ms.",
    "Rankings read the kept totals (one row per member and period, index on period and total), so the ledger's",
    "size does not enter the reads; `partyedu points_check` proves the totals against the ledger.",
    "",
    "| what | time | note |",
    "|---|---|---|",
    *[f"| {a} | {b} | {c} |" for a, b, c in rows],
    "",
]
if not args.no_write:
    out = ROOT / "docs" / "benchmarks.md"
    marker = f"## Points rankings — city scale on {connection.vendor}"
    existing = out.read_text()
    kept = [s for s in existing.split("\n## ") if not ("## " + s).startswith(marker)]
    text = (
        kept[0].rstrip()
        + "\n\n"
        + "\n".join(section)
        + "".join("\n## " + s.rstrip() + "\n" for s in kept[1:])
    )
    out.write_text(text)
    print(f"written to {out}")
