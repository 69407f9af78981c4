"""A year of points for the demo county, credited from the activity the seeder already wrote (held meetings'
attendance, completed materials, daily tests), under the default rules and their caps, in bulk.

The seeder writes its activity in bulk without going through the services, so it credits points in bulk too: the
same rules, the same caps, the same source keys the services would use, each entry in the member's organisation;
then the kept totals, of members and of organisations, are rebuilt from the ledger (and `partyedu points_check`
proves them)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from partyedu.members.models import Member

from . import services
from .models import EntryKind, EventKind, PointsEntry, PointsRule

CENT = Decimal("0.01")


def _rule(kind: str, on: datetime.date) -> PointsRule | None:
    return services.rules_in_force(on).filter(event_kind=kind, scope__isnull=True).first()


def seed_points(seed: int = 1, today: datetime.date | None = None) -> int:
    from partyedu.meetings.models import Attendance, AttendanceRole, AttendanceStatus, MeetingStatus

    today = today or timezone.localdate()
    services.install_default_rules()
    # Credits the services wrote already (the reading club's sessions are signed in through them) keep theirs;
    # a second run finds every key taken and writes nothing.
    taken = set(PointsEntry.objects.filter(kind=EntryKind.CREDIT).values_list("member_id", "source_key"))
    org_of = dict(Member.objects.values_list("pk", "organization_id"))
    member_ids = set(org_of)
    entries: list[PointsEntry] = []
    used: dict[tuple[int, str, datetime.date], Decimal] = defaultdict(Decimal)  # (member, series, day)
    used_year: dict[tuple[int, str, int], Decimal] = defaultdict(Decimal)

    def add(member_id, rule, kind, key, requested: Decimal, when: datetime.datetime, reason: str):
        if (member_id, key) in taken:
            return
        taken.add((member_id, key))
        day = timezone.localdate(when)
        requested = requested.quantize(CENT, ROUND_HALF_UP)
        allowed, note = requested, ""
        if requested > 0 and rule.daily_cap is not None:
            room = max(rule.daily_cap - used[(member_id, rule.series, day)], Decimal("0"))
            if room < allowed:
                allowed, note = (
                    room,
                    f"已达每日上限{rule.daily_cap.normalize():f}分，本次计{room.normalize():f}分",
                )
        if requested > 0 and rule.yearly_cap is not None:
            room = max(rule.yearly_cap - used_year[(member_id, rule.series, day.year)], Decimal("0"))
            if room < allowed:
                allowed, note = (
                    room,
                    f"已达年度上限{rule.yearly_cap.normalize():f}分，本次计{room.normalize():f}分",
                )
        used[(member_id, rule.series, day)] += allowed
        used_year[(member_id, rule.series, day.year)] += allowed
        entries.append(
            PointsEntry(
                member_id=member_id,
                organization_id=org_of[member_id],
                rule=rule,
                event_kind=kind,
                kind=EntryKind.CREDIT,
                source_key=key,
                points=allowed,
                requested=requested,
                cap_note=note,
                occurred_at=when,
                occurred_on=day,
                reason=reason[:200],
            )
        )

    attended = _rule(EventKind.MEETING_ATTENDED, today)
    absent = _rule(EventKind.MEETING_ABSENT, today)
    rows = (
        Attendance.objects.filter(meeting__status=MeetingStatus.HELD)
        .filter(status__in=[AttendanceStatus.PRESENT, AttendanceStatus.ABSENT])
        .values_list(
            "member_id",
            "status",
            "role",
            "meeting_id",
            "meeting__starts_at",
            "meeting__kind",
            "meeting__theme",
        )
        .order_by("meeting__starts_at", "pk")
    )
    from partyedu.meetings.models import MeetingKind

    labels = dict(MeetingKind.choices)
    for member_id, status, role, meeting_id, when, kind, theme in rows.iterator(chunk_size=5000):
        label = f"{labels.get(kind, '')}：{theme}"
        if status == AttendanceStatus.PRESENT and attended:
            add(
                member_id,
                attended,
                EventKind.MEETING_ATTENDED,
                f"meeting:{meeting_id}:attended",
                attended.points,
                when,
                f"参加{label}",
            )
        elif role == AttendanceRole.ATTENDEE and absent:
            add(
                member_id,
                absent,
                EventKind.MEETING_ABSENT,
                f"meeting:{meeting_id}:absent",
                absent.points,
                when,
                f"无故缺席{label}",
            )

    completed = _rule(EventKind.MATERIAL_COMPLETED, today)
    try:
        from partyedu.learning.models import StudyRecord
    except ImportError:  # pragma: no cover
        StudyRecord = None
    if completed and StudyRecord is not None:
        for member_id, record_id, when, title in (
            StudyRecord.objects.filter(completed_at__isnull=False, member_id__in=member_ids)
            .order_by("completed_at", "pk")
            .values_list("member_id", "pk", "completed_at", "material__title")
            .iterator(chunk_size=5000)
        ):
            add(
                member_id,
                completed,
                EventKind.MATERIAL_COMPLETED,
                f"study:{record_id}",
                completed.points,
                when,
                f"完成学习：{title}",
            )

    daily = _rule(EventKind.DAILY_TEST, today)
    from partyedu.quizzes.models import Attempt, AttemptState, QuizKind

    if daily:
        for member_id, quiz_id, day, attempt_id, when, score, max_score, correct in (
            Attempt.objects.filter(
                quiz__kind=QuizKind.DAILY, state__in=[AttemptState.SUBMITTED, AttemptState.EXPIRED]
            )
            .order_by("submitted_at", "pk")
            .values_list(
                "member_id", "quiz_id", "day", "pk", "submitted_at", "score", "max_score", "correct_count"
            )
            .iterator(chunk_size=5000)
        ):
            if not max_score or when is None:
                continue
            ratio = min(Decimal(score) / Decimal(max_score), Decimal("1"))
            add(
                member_id,
                daily,
                EventKind.DAILY_TEST,
                f"daily:{quiz_id}:{day or attempt_id}",
                daily.points * ratio,
                when,
                f"每日测试 答对{correct}题",
            )

    volunteer = _rule(EventKind.VOLUNTEER_HOUR, today)
    try:
        from partyedu.volunteering.models import RecordStatus, VolunteerRecord
    except ImportError:  # pragma: no cover
        VolunteerRecord = None
    if volunteer and VolunteerRecord is not None:
        noon = datetime.time(12)
        for record in (
            VolunteerRecord.objects.filter(status=RecordStatus.CONFIRMED, member_id__in=member_ids)
            .only("pk", "member_id", "title", "hours", "served_on", "credit_revision")
            .order_by("served_on", "pk")
            .iterator(chunk_size=5000)
        ):
            add(
                record.member_id,
                volunteer,
                EventKind.VOLUNTEER_HOUR,
                record.source_key,
                volunteer.points * record.hours,
                timezone.make_aware(datetime.datetime.combine(record.served_on, noon)),
                f"志愿服务：{record.title}（{record.hours}小时）",
            )

    if not entries:
        return 0
    PointsEntry.objects.bulk_create(entries, batch_size=5000)
    services.rebuild_totals()  # the members' and the organisations' totals
    return len(entries)
