"""Every write of 学时. Other modules call credit() (or the meeting helper below) when learning happened;
nothing here scans their tables."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from partyedu.members.models import Member

from .models import SOURCE_FIELD, HoursEntry, HoursSource, MemberYearHours

CENT = Decimal("0.01")
# Meeting kinds whose attendance is training (党课、微党课、现场教学、中心组学习、读书会); the business of a 支委会 or
# a 党员大会 is not.
LEARNING_MEETING_KINDS = {
    "party_lecture",
    "micro_lecture",
    "site_visit",
    "center_group_study",
    "reading_club",
}
MAX_HOURS_PER_DAY = Decimal("8")


def minutes_per_hour_unit() -> int:
    """One 学时 is 45 minutes unless the county's settings say otherwise (some count 50 or 60)."""
    return int(getattr(settings, "HOURS_MINUTES_PER_UNIT", 45))


def hours_from_seconds(seconds: float) -> Decimal:
    return (Decimal(seconds) / Decimal(60 * minutes_per_hour_unit())).quantize(CENT, ROUND_HALF_UP)


def hours_of_meeting(meeting) -> Decimal:
    """学时 for attending a meeting: its length, in half 学时, at most a working day."""
    seconds = max(0, (meeting.ends_at - meeting.starts_at).total_seconds())
    units = Decimal(seconds) / Decimal(60 * minutes_per_hour_unit())
    halves = (units * 2).quantize(Decimal("1"), ROUND_HALF_UP) / 2
    return min(max(halves, Decimal("0.5")), MAX_HOURS_PER_DAY) if seconds else Decimal("0")


def _lock(member_id: int) -> None:
    # Credits of one member are taken one at a time so that two corrections cannot both read the same net.
    Member.objects.select_for_update().filter(pk=member_id).values_list("pk", flat=True).first()


def _apply_to_year(member_id: int, year: int, source: str, delta: Decimal, on: datetime.date | None) -> None:
    row, _ = MemberYearHours.objects.get_or_create(member_id=member_id, year=year)
    field = SOURCE_FIELD[HoursSource(source)]
    updates = {"total": F("total") + delta, field: F(field) + delta}
    MemberYearHours.objects.filter(pk=row.pk).update(**updates)
    if on is not None and delta > 0:
        _touch(member_id, on)


def _touch(member_id: int, on: datetime.date) -> None:
    updated = (
        MemberYearHours.objects.filter(member_id=member_id, year=on.year)
        .exclude(last_learning_on__gte=on)
        .update(last_learning_on=on)
    )
    if not updated:
        MemberYearHours.objects.get_or_create(
            member_id=member_id, year=on.year, defaults={"last_learning_on": on}
        )


@transaction.atomic
def credit(
    member,
    *,
    source: str,
    key: str,
    hours,
    on: datetime.date,
    title: str,
    note: str = "",
    by=None,
) -> HoursEntry | None:
    """Make `member`'s 学时 for `key` equal `hours`. Idempotent: calling it again with the same figure writes
    nothing; with another figure (or 0 to withdraw) it appends the difference as a correction row.
    Returns the row written, or None."""
    member_id = member.pk if hasattr(member, "pk") else int(member)
    hours = Decimal(str(hours)).quantize(CENT, ROUND_HALF_UP)
    if hours < 0:
        raise ValueError("学时不能为负数")
    _lock(member_id)
    entries = HoursEntry.objects.filter(member_id=member_id, source_key=key)
    net = entries.aggregate(s=Sum("hours"))["s"] or Decimal("0")
    delta = hours - net
    if delta == 0:
        return None
    first = entries.order_by("pk").first()
    year_on = first.occurred_on if first else on  # a correction belongs to the year of what it corrects
    entry = HoursEntry.objects.create(
        member_id=member_id,
        year=year_on.year,
        occurred_on=year_on,
        source=source,
        source_key=key[:80],
        hours=delta,
        title=title[:200],
        note=(note or ("更正" if first else ""))[:200],
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _apply_to_year(member_id, year_on.year, source, delta, year_on)
    return entry


def withdraw(member, *, source: str, key: str, on: datetime.date, title: str, note: str = "", by=None):
    return credit(member, source=source, key=key, hours=0, on=on, title=title, note=note or "撤销", by=by)


def note_learning(member_id: int, on: datetime.date) -> None:
    """Something of learning happened today without (yet) earning 学时, e.g. a credited minute of study."""
    _touch(member_id, on)


@transaction.atomic
def sync_meeting_hours(meeting, member_ids=None, *, by=None) -> int:
    """Bring the 学时 of a learning meeting's attendees in line with its attendance: present members hold the
    meeting's hours, everyone else none. Called by the meetings services after attendance changes. Returns the
    number of rows written."""
    from partyedu.meetings.models import Attendance, AttendanceStatus, MeetingStatus

    key = f"meeting:{meeting.pk}"
    learning = meeting.kind in LEARNING_MEETING_KINDS
    if not learning and not HoursEntry.objects.filter(source_key=key).exists():
        return 0  # not a learning meeting and never was one
    rows = Attendance.objects.filter(meeting=meeting)
    if member_ids is not None:
        rows = rows.filter(member_id__in=list(member_ids))
    status_of = dict(rows.values_list("member_id", "status"))
    ids = set(status_of) | set(member_ids or [])
    if member_ids is None:  # everyone who holds hours for it, also those no longer on the list
        ids |= set(HoursEntry.objects.filter(source_key=key).values_list("member_id", flat=True))
    held = learning and meeting.status != MeetingStatus.CANCELLED
    target = hours_of_meeting(meeting)
    nets = dict(
        HoursEntry.objects.filter(member_id__in=ids, source_key=key)
        .values_list("member_id")
        .annotate(s=Sum("hours"))
        .values_list("member_id", "s")
    )
    written = 0
    title = f"{meeting.get_kind_display()}：{meeting.theme}"
    for member_id in sorted(ids):
        want = target if held and status_of.get(member_id) == AttendanceStatus.PRESENT else Decimal("0")
        if nets.get(member_id, Decimal("0")) != want:
            credit(
                member_id,
                source=HoursSource.MEETING,
                key=key,
                hours=want,
                on=meeting.held_on,
                title=title,
                by=by,
            )
            written += 1
    return written


@transaction.atomic
def bulk_credit(rows: list[dict]) -> int:
    """For the seeder and data migrations: append many first-time entries at once and rebuild the yearly sums of
    the members concerned. Each row: member_id, source, key, hours, on, title. Keys must be new.

    One executemany of plain tuples rather than model instances: a county's year of meetings is some hundred
    thousand rows, and building and saving that many instances costs more than the database does."""
    if not rows:
        return 0
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    params = []
    pairs = set()
    for r in rows:
        on = r["on"]
        pairs.add((r["member_id"], on.year))
        params.append(
            (
                r["member_id"],
                on.year,
                ops.adapt_datefield_value(on),
                str(r["source"]),
                r["key"][:80],
                ops.adapt_decimalfield_value(Decimal(str(r["hours"])).quantize(CENT, ROUND_HALF_UP), 6, 2),
                r["title"][:200],
                "",
                now,
            )
        )
    columns = [
        "member_id",
        "year",
        "occurred_on",
        "source",
        "source_key",
        "hours",
        "title",
        "note",
        "recorded_at",
    ]
    quote = ops.quote_name
    sql = (
        f"INSERT INTO {quote(HoursEntry._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(params), 20000):
            cursor.executemany(sql, params[start : start + 20000])
    rebuild_year_hours(pairs)
    return len(params)


def rebuild_year_hours(pairs) -> None:
    """Recompute MemberYearHours of the given (member_id, year) pairs from the ledger."""
    from django.db.models import Max, Q

    by_year: dict[int, set[int]] = {}
    for member_id, year in pairs:
        by_year.setdefault(year, set()).add(member_id)
    for year, ids in by_year.items():
        ids = sorted(ids)
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            sums = {
                r["member_id"]: r
                for r in HoursEntry.objects.filter(year=year, member_id__in=chunk)
                .values("member_id")
                .annotate(
                    total=Sum("hours"),
                    last=Max("occurred_on", filter=Q(hours__gt=0)),
                    **{
                        field: Sum("hours", filter=Q(source=source)) for source, field in SOURCE_FIELD.items()
                    },
                )
            }
            existing = {
                r.member_id: r for r in MemberYearHours.objects.filter(year=year, member_id__in=chunk)
            }
            rows = []
            for member_id in chunk:
                s = sums.get(member_id)
                old = existing.get(member_id)
                row = MemberYearHours(member_id=member_id, year=year)
                row.total = (s and s["total"]) or Decimal("0")
                for field in SOURCE_FIELD.values():
                    setattr(row, field, (s and s[field]) or Decimal("0"))
                last = s and s["last"]
                earlier = old.last_learning_on if old else None
                row.last_learning_on = max((d for d in (last, earlier) if d), default=None)
                rows.append(row)
            # Replace rather than bulk_update: SQLite runs a bulk_update of thousands of rows as one huge CASE
            # statement per batch, minutes for a county; a delete and an insert take a second.
            MemberYearHours.objects.filter(year=year, member_id__in=chunk).delete()
            MemberYearHours.objects.bulk_create(rows, batch_size=2000)


__all__ = [
    "bulk_credit",
    "credit",
    "hours_from_seconds",
    "hours_of_meeting",
    "note_learning",
    "rebuild_year_hours",
    "sync_meeting_hours",
    "withdraw",
]
