"""Benchmark of the compliance board on the demo county (run on demand, not in CI):

    uv run python bench/compliance.py [--db postgres://postgres@127.0.0.1:5432/<empty db>] [--keep]

Seeds a fresh database with the demo county (whose seeder writes the last twelve months of organisational life
with attendance), tops the previous calendar year up to twelve months by writing its earlier months in bulk
(Meeting rows with consistent counters only: the board never reads attendance rows), then times the board page
of the 工委 for a whole year through Django's test client, and the selector alone. Writes its section of
docs/benchmarks.md. Before timing it checkpoints SQLite's write-ahead log or runs ANALYZE on PostgreSQL (as
autovacuum soon would after a bulk load). `--keep` leaves the SQLite file in var/bench-compliance/ for looking at
the pages.
"""

import argparse
import datetime
import gc
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
parser.add_argument(
    "--db", default="", help="DATABASE_URL (default: a fresh SQLite file under var/bench-compliance)"
)
parser.add_argument("--repeat", type=int, default=7)
parser.add_argument("--keep", action="store_true", help="keep the SQLite database for looking at the pages")
args = parser.parse_args()

# its own folder for PostgreSQL, so that a kept SQLite database survives a PostgreSQL run
var = ROOT / "var" / ("bench-compliance-pg" if args.db else "bench-compliance")
shutil.rmtree(var, ignore_errors=True)
var.mkdir(parents=True)
os.environ.update(
    DJANGO_SETTINGS_MODULE="partyedu.settings",
    PARTYEDU_VAR_DIR=str(var),
    DEBUG="0",
    SECRET_KEY="bench-only-secret-key-bench-only-secret-key-123456",
    PARTYEDU_TASK_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
    ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
)
if args.db:
    os.environ["DATABASE_URL"] = args.db

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
call_command("migrate", verbosity=0, interactive=False)

from partyedu.compliance.selectors import compliance_board  # noqa: E402
from partyedu.demo.seeding import DEMO_PASSWORD, seed_demo  # noqa: E402
from partyedu.meetings.models import Meeting, MeetingKind, MeetingStatus  # noqa: E402
from partyedu.members.models import Member  # noqa: E402
from partyedu.orgs.models import Organization, OrganizationKind  # noqa: E402

MK = MeetingKind
K = OrganizationKind
rows: list[tuple[str, str, str]] = []


def timed(label: str, fn, repeat: int = 1, note: str = ""):
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    shown = f"{median * 1000:.0f} ms" if median < 10 else f"{median:.1f} s"
    extra = f" (median of {repeat}, max {max(times) * 1000:.0f} ms)" if repeat > 1 else ""
    rows.append((label, shown + extra, note))
    print(f"{label}: {shown}{extra} {note}", flush=True)
    return result


def _day(year: int, month: int, rng: random.Random) -> datetime.date:
    return datetime.date(year, month, rng.randrange(1, 28))


def write_life(year: int, until: datetime.date, seed: int = 20261121) -> int:
    """The months of `year` before `until` (where the seeder's life begins), in bulk: most branches keep their
    rhythm, a tenth are sloppy, a few barely meet. Counters are consistent (expected = present + leave +
    absent); held_on is set as Meeting.save() sets it."""
    last_day = until - datetime.timedelta(days=1)
    rng = random.Random(seed)
    orgs = list(Organization.objects.exclude(kind=K.WORKING_COMMITTEE))
    sizes = dict(
        Member.objects.filter(left_on__isnull=True)
        .values_list("organization_id")
        .annotate(n=Count("pk"))
        .values_list("organization_id", "n")
    )
    group_sizes = dict(
        Member.objects.filter(left_on__isnull=True, group__isnull=False)
        .values_list("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    meetings: list[Meeting] = []

    def add(org, kind, day, expected, observers=0):
        if day > last_day or (org.established_on and day < org.established_on):
            return
        if org.dissolved_on and day >= org.dissolved_on:
            return
        present = round(expected * rng.uniform(0.72, 1.0))
        leave = min(expected - present, rng.randrange(0, 3))
        start = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, rng.choice([9, 14, 15])))
        meetings.append(
            Meeting(
                organization=org,
                kind=kind,
                theme=f"{day:%Y年%m月}{MeetingKind(kind).label}",
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1, minutes=30),
                held_on=day,
                status=MeetingStatus.HELD,
                expected_count=expected,
                present_count=present,
                leave_count=leave,
                absent_count=expected - present - leave,
                observer_count=observers,
            )
        )

    for org in orgs:
        diligence = rng.random()  # below .1: sloppy; below .03: barely meets
        keep = 0.98 if diligence > 0.1 else (0.7 if diligence > 0.03 else 0.3)
        if org.kind == K.BRANCH:
            n = sizes.get(org.pk, 0)
            for month in range(1, 13):
                if rng.random() < keep:
                    add(org, MK.THEME_DAY, _day(year, month, rng), n)
                if rng.random() < keep:
                    add(org, MK.BRANCH_COMMITTEE, _day(year, month, rng), min(n, rng.choice([3, 5])))
                if month % 3 == 0:
                    if rng.random() < keep:
                        add(org, MK.BRANCH_ASSEMBLY, _day(year, month, rng), n)
                    if rng.random() < keep:
                        add(org, MK.PARTY_LECTURE, _day(year, month, rng), n)
                if month in (5, 10) and rng.random() < keep:
                    add(org, MK.SITE_VISIT, _day(year, month, rng), n)
            if rng.random() < keep:
                add(org, MK.LIFE_MEETING, _day(year, 1, rng), n)
        elif org.kind == K.GROUP:
            n = group_sizes.get(org.pk, 0)
            for month in range(1, 13):
                if rng.random() < keep:
                    add(org, MK.GROUP_MEETING, _day(year, month, rng), n)
        elif org.kind in (K.PARTY_COMMITTEE, K.PARTY_LEADERSHIP_GROUP):
            for month in (3, 6, 9, 12):
                observed = 1 if month == 6 and rng.random() < keep else 0
                add(org, MK.CENTER_GROUP_STUDY, _day(year, month, rng), rng.randrange(7, 15), observed)
    with transaction.atomic():
        Meeting.objects.bulk_create(meetings, batch_size=2000)
    return len(meetings)


if Organization.objects.exists():
    sys.exit("the benchmark database is not empty; point --db at an empty database")
today = timezone.localdate()
timed("seed --scale county (with the last twelve months of meetings)", lambda: seed_demo("county", 1))
seeded_from = Meeting.objects.order_by("held_on").values_list("held_on", flat=True).first() or today
years = [today.year - 1, today.year]
topped = timed(
    f"write {years[0]}'s earlier months (before {seeded_from:%Y-%m}) in bulk",
    lambda: write_life(years[0], seeded_from.replace(day=1)),
)
n_meetings = Meeting.objects.count()
# Measure what a server started on this data sees, not the loading process: the bulk load's write-ahead log
# checkpointed (SQLite) or its statistics gathered (PostgreSQL, as autovacuum soon would), a fresh connection,
# and no seeding garbage left for the collector to walk.
with connection.cursor() as cursor:
    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)" if connection.vendor == "sqlite" else "ANALYZE")
connection.close()
gc.collect()
root = Organization.objects.get(parent__isnull=True)
kinds = dict(Organization.objects.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))

client = Client()
assert client.login(username="admin", password=DEMO_PASSWORD)


def get(url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


year = years[0]
summary = compliance_board(root, year)
for label, url, (y, period) in [
    (f"board page, whole county, year {year}", f"/compliance/?year={year}", (year, None)),
    (
        f"board page, whole county, current year {years[1]} (the default page)",
        "/compliance/",
        (years[1], None),
    ),
    (
        f"board page, whole county, one quarter (Q4 {year})",
        f"/compliance/?year={year}&period=q4",
        (year, "q4"),
    ),
    (
        f"board page, whole county, one month (10/{year})",
        f"/compliance/?year={year}&period=m10",
        (year, "m10"),
    ),
]:
    response = get(url)
    with CaptureQueriesContext(connection) as queries:
        response = get(url)
    shown = len(compliance_board(root, y, period).rows)
    note = (
        f"{len(queries.captured_queries)} queries, {shown} rows, {len(response.content) // 1024} KB of HTML"
    )
    timed(label, lambda url=url: get(url), args.repeat, note)

with CaptureQueriesContext(connection) as queries:
    compliance_board(root, year)
timed(
    f"compliance_board() selector alone, year {year}",
    lambda: compliance_board(root, year),
    args.repeat,
    f"{len(queries.captured_queries)} queries",
)

engine = connection.vendor
out = ROOT / "docs" / "benchmarks.md"
section = [
    f"## Compliance board — county scale on {engine} ({time.strftime('%Y-%m-%d')})",
    "",
    f"`uv run python bench/compliance.py{' --db …' if args.db else ''}` on {platform.machine()}, "
    f"{os.cpu_count()} cores, Python {platform.python_version()}; {Member.objects.count()} members, "
    f"{Organization.objects.count()} organisations ({kinds.get('branch', 0)} branches, {kinds.get('group', 0)} "
    f"groups, {kinds.get('party_committee', 0) + kinds.get('party_leadership_group', 0)} units), "
    f"{n_meetings} meetings ({n_meetings - topped} from the seeder with their attendance, {topped} of "
    f"{years[0]}'s earlier months written in bulk with counters only). Board of {year}: "
    f"{summary.compliant_orgs}/{summary.judged_orgs} organisations fully compliant, {summary.missed_items} missed "
    f"items, attendance {summary.rate:.0%}. Times through Django's test client (no network), DEBUG off, logged "
    "in as the 工委's admin. The query count is the same for any number of organisations "
    "(tests/compliance/test_pages.py checks 3 against 30 branches).",
    "",
    "| what | time | note |",
    "|---|---|---|",
    *[f"| {a} | {b} | {c} |" for a, b, c in rows],
    "",
]
marker = f"## Compliance board — county scale on {engine}"
existing = (
    out.read_text()
    if out.exists()
    else "# Benchmarks\n\nFigures from `bench/`, run on demand. Newest section of each kind replaces the older one.\n\n"
)
kept = [s for s in existing.split("\n## ") if not ("## " + s).startswith(marker)]
text = kept[0].rstrip() + "\n\n" + "\n".join(section) + "".join("\n## " + s.rstrip() + "\n" for s in kept[1:])
out.write_text(text)
print(f"written to {out}")
if not args.keep and not args.db:
    shutil.rmtree(var, ignore_errors=True)
