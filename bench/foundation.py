"""Benchmark of the foundation on the demo county (run on demand, not in CI):

    uv run python bench/foundation.py [--scale county|city] [--db postgres://...]

Seeds a fresh database, then times what a party worker does most: open the roster, search it, open the tree,
export the whole roster, and re-import the exported file (10,000 updates). Tasks run in-process (immediate
backend) so that the figures are the work itself, not the worker's polling. Writes docs/benchmarks.md.
"""

import argparse
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser()
parser.add_argument("--scale", default="county", choices=["small", "county", "city"])
parser.add_argument("--db", default="", help="DATABASE_URL (default: a fresh SQLite file under var/bench)")
parser.add_argument("--repeat", type=int, default=7)
args = parser.parse_args()

var = ROOT / "var" / "bench"
shutil.rmtree(var, ignore_errors=True)
var.mkdir(parents=True)
os.environ.update(
    DJANGO_SETTINGS_MODULE="partyedu.settings",
    PARTYEDU_VAR_DIR=str(var),
    DEBUG="0",
    SECRET_KEY="bench-only-secret-key-bench-only-secret-key-123456",
    PARTYEDU_TASK_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
    ALLOWED_HOSTS="testserver",
)
if args.db:
    os.environ["DATABASE_URL"] = args.db

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
if args.db:
    call_command("flush", interactive=False, verbosity=0) if False else None
call_command("migrate", verbosity=0, interactive=False)

from partyedu.demo.seeding import DEMO_PASSWORD, seed_demo  # noqa: E402
from partyedu.members.models import Member, RosterExport, RosterImport  # noqa: E402
from partyedu.orgs.models import Organization  # noqa: E402

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


if Organization.objects.exists():
    sys.exit("the benchmark database is not empty; point --db at an empty database")
result = timed(f"seed --scale {args.scale}", lambda: seed_demo(args.scale, 1))
members = Member.objects.count()

client = Client()
assert client.login(username="admin", password=DEMO_PASSWORD)


def get(url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


root = Organization.objects.get(parent__isnull=True)
timed(
    "subtree member count of the 工委 (one range query)",
    lambda: Member.objects.in_subtree(root).count(),
    args.repeat,
)
for label, url in [
    ("roster page 1 (50 rows, whole county)", "/members/"),
    ("roster search by pinyin initials `zw`", "/members/?q=zw"),
    ("roster filter: youth + leaders, sorted by age", "/members/?age=35-&flag=is_leader&sort=-birth"),
    ("roster last page", "/members/?page=9999"),
    ("organisation tree (top level with subtree counts)", "/orgs/"),
    ("worker home (county statistics)", "/"),
]:
    get(url)
    with CaptureQueriesContext(connection) as queries:
        get(url)
    timed(label, lambda url=url: get(url), args.repeat, f"{len(queries.captured_queries)} queries")

timed(f"export the whole roster to xlsx ({members} rows)", lambda: client.post("/members/export/"))
export = RosterExport.objects.latest("pk")
assert export.status == "done", export.message
content = export.file.read()


def reimport():
    upload = SimpleUploadedFile("roster.xlsx", content)
    response = client.post("/members/import/", {"file": upload})
    assert response.status_code == 302, response.status_code
    return RosterImport.objects.latest("pk")


imp = timed(f"validate a {members}-row import (all updates)", reimport)
assert imp.status == "validated" and imp.invalid_rows == 0, (imp.status, imp.message, imp.invalid_rows)
timed(f"commit the {members}-row import", lambda: client.post(f"/members/import/{imp.pk}/commit/"))
imp.refresh_from_db()
assert imp.status == "done" and imp.updated_count == members, (imp.status, imp.message)

engine = connection.vendor
out = ROOT / "docs" / "benchmarks.md"
section = [
    f"## Foundation — {args.scale} scale on {engine} ({time.strftime('%Y-%m-%d')})",
    "",
    f"`uv run python bench/foundation.py --scale {args.scale}{' --db …' if args.db else ''}` on {platform.machine()}, "
    f"{os.cpu_count()} cores, Python {platform.python_version()}; {members} members, "
    f"{Organization.objects.count()} organisations. Times through Django's test client (no network), DEBUG off.",
    "",
    "| what | time | note |",
    "|---|---|---|",
    *[f"| {a} | {b} | {c} |" for a, b, c in rows],
    "",
]
marker = f"## Foundation — {args.scale} scale on {engine}"
existing = (
    out.read_text()
    if out.exists()
    else "# Benchmarks\n\nFigures from `bench/`, run on demand. Newest section of each kind replaces the older one.\n\n"
)
kept = [s for s in existing.split("\n## ") if not ("## " + s).startswith(marker)]
text = kept[0].rstrip() + "\n\n" + "\n".join(section) + "".join("\n## " + s.rstrip() + "\n" for s in kept[1:])
out.write_text(text)
print(f"written to {out}")
