"""Demo data of 学时 and 送学上门.

The seeder writes a year of meetings with attendance in bulk, bypassing the meetings services, so their 学时 are
not in the ledger yet: here every present attendee of a held (or planned) learning meeting is credited exactly as
hours.services.sync_meeting_hours would credit him (key "meeting:<pk>", the meeting's length in half 学时). Then
members flagged 需送学上门 get home deliveries over the year, by a worker of their organisation, each credited.
Everything is bulk writes: a county's year is about a hundred thousand ledger rows in a few seconds.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from partyedu.accounts.models import Role, RoleAssignment
from partyedu.hours import services as hours_services
from partyedu.hours.models import HoursEntry, HoursSource
from partyedu.meetings.models import Attendance, AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from partyedu.members.models import Member, MemberStatus

from .models import HomeDelivery

SUMMARIES = [
    "学习党的二十大报告，读原文、谈体会",
    "传达学习全会精神，介绍本单位贯彻落实情况",
    "学习新修订的《中国共产党纪律处分条例》",
    "重温入党誓词，讲述本支部近期工作",
    "学习习近平总书记关于老干部工作的重要论述",
    "观看专题党课录像并交流",
    "学习《中国共产党章程》总纲",
    "通报支部主题党日活动情况，征求意见建议",
]
ITEMS = ["党员教育读本", "学习光盘", "大字版学习材料", "《党建》杂志", "文件汇编", "学习笔记本"]
FEEDBACK = ["", "", "感谢组织关心", "希望多送些大字版材料", "身体好些后想参加支部活动", "请代交党费"]
COMPANIONS = ["", "", "支部组织委员", "党小组长", "支部宣传委员"]


def _workers_by_path() -> dict[str, int]:
    """Organisation path → a worker's user id with a role on it (secretary preferred)."""
    found: dict[str, tuple[int, int]] = {}
    rank = {Role.SECRETARY: 0, Role.ORG_ADMIN: 1, Role.COMMITTEE_ADMIN: 2}
    for user_id, role, path in RoleAssignment.objects.filter(
        revoked_at__isnull=True, role__in=list(rank)
    ).values_list("user_id", "role", "organization__path"):
        if path not in found or rank[role] < found[path][0]:
            found[path] = (rank[role], user_id)
    return {path: user_id for path, (_, user_id) in found.items()}


def _worker_for(path: str, workers: dict[str, int]) -> int | None:
    while path:
        if path in workers:
            return workers[path]
        path = path[:-8]
    return None


def _meeting_rows() -> list[dict]:
    kinds = set(hours_services.LEARNING_MEETING_KINDS)
    meetings = {
        m.pk: m
        for m in Meeting.objects.filter(kind__in=kinds)
        .exclude(status=MeetingStatus.CANCELLED)
        .only("pk", "kind", "theme", "starts_at", "ends_at", "held_on")
    }
    held = set(
        HoursEntry.objects.filter(source=HoursSource.MEETING)
        .values_list("source_key", "member_id")
        .distinct()
    )
    rows = []
    hours_of = {pk: hours_services.hours_of_meeting(m) for pk, m in meetings.items()}
    present = Attendance.objects.filter(
        meeting_id__in=list(meetings), status=AttendanceStatus.PRESENT
    ).values_list("meeting_id", "member_id")
    for meeting_id, member_id in present.iterator(chunk_size=20000):
        key = f"meeting:{meeting_id}"
        if (key, member_id) in held or not hours_of[meeting_id]:
            continue
        m = meetings[meeting_id]
        rows.append(
            {
                "member_id": member_id,
                "source": HoursSource.MEETING,
                "key": key,
                "hours": hours_of[meeting_id],
                "on": m.held_on,
                "title": f"{MeetingKind(m.kind).label}：{m.theme}",
            }
        )
    return rows


def _deliveries(rng: random.Random, today: datetime.date) -> list[HomeDelivery]:
    workers = _workers_by_path()
    flagged = Member.objects.filter(
        needs_home_delivery=True,
        left_on__isnull=True,
        status__in=[MemberStatus.FULL, MemberStatus.PROBATIONARY],
    ).values_list("pk", "organization_id", "organization__path")
    start = today - datetime.timedelta(days=364)
    deliveries = []
    for member_id, org_id, path in flagged.order_by("pk"):
        by = _worker_for(path, workers)
        if by is None:
            continue
        # most are visited every month or two, some only a few times a year
        visits = rng.choice([3, 4, 6, 6, 8, 10, 12])
        days = sorted({start + datetime.timedelta(days=rng.randrange(365)) for _ in range(visits)})
        for day in days:
            deliveries.append(
                HomeDelivery(
                    member_id=member_id,
                    organization_id=org_id,
                    delivered_on=day,
                    items=rng.choice(ITEMS),
                    summary=rng.choice(SUMMARIES),
                    delivered_by_id=by,
                    companions=rng.choice(COMPANIONS),
                    minutes=rng.choice([45, 60, 90, 90, 120]),
                    feedback=rng.choice(FEEDBACK),
                    created_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(17))),
                )
            )
    for d in deliveries:
        d.hours = hours_services.hours_from_seconds(d.minutes * 60)
    return deliveries


def seed_outreach(seed: int, today: datetime.date | None = None) -> int:
    """学时 of the seeded learning meetings and a year of home deliveries. Returns the ledger rows written (0 when
    already seeded: never twice)."""
    if HomeDelivery.objects.exists():
        return (
            0  # (meetings credited already, e.g. the reading club's through the services, are skipped below)
        )
    today = today or timezone.localdate()
    rng = random.Random(seed * 104729 + 4)
    with transaction.atomic():
        rows = _meeting_rows()
        deliveries = _deliveries(rng, today)
        HomeDelivery.objects.bulk_create(
            deliveries, batch_size=1000
        )  # ids come back on SQLite and PostgreSQL
        from partyedu.learning.models import Material

        material_ids = list(Material.objects.order_by("-published_at").values_list("pk", flat=True)[:200])
        if material_ids:
            through = HomeDelivery.materials.through
            links = [
                through(homedelivery_id=d.pk, material_id=pk)
                for d in deliveries
                if rng.random() < 0.6
                for pk in rng.sample(material_ids, min(len(material_ids), rng.choice([1, 1, 2])))
            ]
            through.objects.bulk_create(links, batch_size=2000)
        rows += [
            {
                "member_id": d.member_id,
                "source": HoursSource.HOME_DELIVERY,
                "key": d.hours_key,
                "hours": d.hours,
                "on": d.delivered_on,
                "title": d.title,
            }
            for d in deliveries
        ]
        return hours_services.bulk_credit(rows)
