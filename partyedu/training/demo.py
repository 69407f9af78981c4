"""Demo data: the county's training classes of the year.

The 工委 runs the year's 全员轮训 in periods (期), each for a group of agencies: the first two held and
completed (with certificates), the third under way, the fourth open for later; the last group of agencies has not
been reached yet, so the coverage page has something to show. Besides, a 支部书记示范培训班 and an
入党积极分子培训班, both completed. Sessions already held have attendance, and their 学时 are in the ledger
(hours.services.bulk_credit). Everything is written in bulk.
"""

from __future__ import annotations

import datetime
import random
import secrets
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from partyedu.hours.models import HoursSource
from partyedu.hours.services import bulk_credit
from partyedu.members.models import Member
from partyedu.orgs.models import Organization, OrganizationKind, subtree_q

from . import selectors
from .models import (
    ClassSession,
    ClassStatus,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    FinalTestMode,
    SessionAttendance,
    SessionAttendanceStatus,
    TargetKind,
    TestResult,
    TrainingClass,
)
from .services import CODE_ALPHABET, CODE_LENGTH, meets_attendance

TOPICS = [
    ("深入学习贯彻习近平新时代中国特色社会主义思想", "县委党校 陈明"),
    ("《中国共产党章程》解读", "县委组织部 李华"),
    ("党史学习教育专题：从青山暴动到新时代", "县党史研究室 王守义"),
    ("《中国共产党纪律处分条例》学习", "县纪委监委 赵清"),
    ("机关党建与业务融合", "县直机关工委 周建"),
    ("铸牢为民服务宗旨", "县委党校 孙立"),
]
PERIODS = 5  # agencies are split into five groups; the fifth has no class yet
SESSIONS = 3


def seed_training(seed: int, today: datetime.date | None = None) -> int:
    """Write the demo classes; returns the number of enrolments (0 when classes exist: never twice)."""
    if TrainingClass.objects.exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(f"training:{seed}")
    committee = (
        Organization.objects.filter(kind=OrganizationKind.WORKING_COMMITTEE).order_by("depth", "pk").first()
    )
    if committee is None:
        return 0
    with transaction.atomic():
        return _seed(rng, committee, today)


def _seed(rng: random.Random, committee: Organization, today: datetime.date) -> int:
    agencies = list(committee.children.order_by("order", "pk"))
    groups: list[list[Organization]] = [agencies[i::PERIODS] for i in range(PERIODS)]
    # The demo member account's agency is in the first period, so that "我的培训" shows a certificate.
    from partyedu.accounts.models import User

    demo = User.objects.filter(username="dangyuan").select_related("member__organization").first()
    if demo and demo.member:
        for n, group in enumerate(groups):
            if any(demo.member.organization.path.startswith(a.path) for a in group):
                groups[0], groups[n] = groups[n], groups[0]
                break

    rotation_members = list(
        Member.objects.current()
        .filter(status__in=selectors.ROTATION_STATUSES)
        .filter(subtree_q(committee.path, "organization__path"))
        .values_list("pk", "organization__path")
    )
    # (start offset in days from today, sessions held, status)
    plan = [(-120, SESSIONS, "done"), (-75, SESSIONS, "done"), (-10, 2, "running"), (25, 0, "open")]
    total = 0
    taken: set[str] = set()
    credits: list[dict] = []
    for n, (offset, held, state) in enumerate(plan):
        group = groups[n]
        if not group:
            continue
        paths = tuple(a.path for a in group)
        ids = [pk for pk, path in rotation_members if path.startswith(paths)]
        starts = today + datetime.timedelta(days=offset)
        cls = _class(
            committee,
            f"{starts.year}年度全县党员全员轮训班（第{n + 1}期）",
            TargetKind.ROTATION,
            starts,
            place="县委党校",
            description="参训单位：" + "、".join(a.unit_name or a.name for a in group),
        )
        total += _fill(
            rng, cls, ids, held, completed=state == "done", taken=taken, today=today, credits=credits
        )

    specials = [
        ("支部书记示范培训班", TargetKind.SECRETARIES, -45, "县委党校"),
        ("入党积极分子培训班", TargetKind.ACTIVISTS, -30, "县直机关工委会议室"),
    ]
    for title, kind, offset, place in specials:
        starts = today + datetime.timedelta(days=offset)
        cls = _class(committee, f"{starts.year}年{title}", kind, starts, place=place)
        ids = list(selectors.criteria_members(cls).values_list("pk", flat=True))
        total += _fill(rng, cls, ids, SESSIONS, completed=True, taken=taken, today=today, credits=credits)
    bulk_credit(credits)  # one rebuild of the yearly sums for everyone
    return total


def _class(committee, title, kind, starts, *, place="", description=""):
    return TrainingClass.objects.create(
        title=title,
        organiser=committee,
        year=starts.year,
        starts_on=starts,
        ends_on=starts + datetime.timedelta(days=SESSIONS * 2 - 1),
        place=place,
        description=description,
        target_kind=kind,
        target_org=committee,
        is_rotation=kind == TargetKind.ROTATION,
        session_hours=Decimal("4"),
        final_test_mode=FinalTestMode.MARK,
        status=ClassStatus.OPEN,
    )


def _fill(rng, cls, member_ids, held, *, completed, taken, today, credits) -> int:
    """Sessions, then each member's marks decided in memory, then enrolments and attendance in one bulk write
    each (no bulk_update: its CASE statements are slow on SQLite). 学时 rows are collected into `credits`."""
    now = timezone.now()
    sessions = ClassSession.objects.bulk_create(
        [
            ClassSession(
                training_class=cls,
                date=cls.starts_on + datetime.timedelta(days=2 * i),
                starts_at=datetime.time(9) if i % 2 == 0 else datetime.time(14, 30),
                ends_at=datetime.time(12) if i % 2 == 0 else datetime.time(17, 30),
                topic=TOPICS[i % len(TOPICS)][0],
                teacher_name=TOPICS[i % len(TOPICS)][1],
                hours=cls.session_hours,
                attendance_taken=i < held and cls.starts_on + datetime.timedelta(days=2 * i) <= today,
            )
            for i in range(SESSIONS)
        ]
    )
    held_sessions = [s for s in sessions if s.attendance_taken]
    marks: list[list[str]] = []
    enrolments = []
    for member_id in member_ids:
        row = []
        for _ in held_sessions:
            r = rng.random()
            row.append(
                SessionAttendanceStatus.PRESENT
                if r < 0.95
                else (SessionAttendanceStatus.LEAVE if r < 0.98 else SessionAttendanceStatus.ABSENT)
            )
        marks.append(row)
        present = row.count(SessionAttendanceStatus.PRESENT)
        e = Enrolment(
            training_class=cls,
            member_id=member_id,
            source=EnrolmentSource.CRITERIA,
            enrolled_at=now,
            sessions_present=present,
            hours=cls.session_hours * present,
        )
        if completed:
            passed = rng.random() < 0.96
            e.test_result = TestResult.PASSED if passed else TestResult.FAILED
            e.score = Decimal(rng.randint(62, 100)) if passed else Decimal(48)
            if passed and meets_attendance(present, len(sessions), cls.completion_fraction):
                e.status = EnrolmentStatus.COMPLETED
                e.completed_on = cls.ends_on
                e.certificate_code = _code(taken)
            else:
                e.status = EnrolmentStatus.NOT_COMPLETED
        enrolments.append(e)
    enrolments = Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    title = f"培训班：{cls.title}"
    attendance = []
    for e, row in zip(enrolments, marks, strict=True):
        for s, status in zip(held_sessions, row, strict=True):
            attendance.append(SessionAttendance(session=s, enrolment=e, status=status, recorded_at=now))
            if status == SessionAttendanceStatus.PRESENT:
                credits.append(
                    {
                        "member_id": e.member_id,
                        "source": HoursSource.CLASS,
                        "key": f"class:{cls.pk}:session:{s.pk}",
                        "hours": s.hours,
                        "on": s.date,
                        "title": f"{title}（{s.topic}）",
                    }
                )
    SessionAttendance.objects.bulk_create(attendance, batch_size=5000)
    if completed:
        cls.status, cls.completed_at = ClassStatus.COMPLETED, now
    elif held_sessions:
        cls.status = ClassStatus.CLOSED
    cls.save(update_fields=["status", "completed_at"])
    return len(enrolments)


def _code(taken: set[str]) -> str:
    # Random even in the demo: a demo database may be shown in public, and seeded codes could be recomputed.
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            return code
