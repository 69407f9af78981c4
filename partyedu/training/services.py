"""Every write on training classes: the class itself, enrolment, sessions and attendance (which earns 学时),
final test results, completion (结业) and certificate codes."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from partyedu.accounts.access import Access
from partyedu.hours import services as hours_services
from partyedu.hours.models import HoursEntry, HoursSource

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

CLASS_FIELDS = (
    "final_quiz",
    "title",
    "organiser",
    "year",
    "starts_on",
    "ends_on",
    "place",
    "description",
    "target_kind",
    "target_org",
    "is_rotation",
    "session_hours",
    "capacity",
    "final_test_mode",
    "completion_fraction",
)
# Certificate codes: no 0/O, 1/I/L, so that a code read off paper is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


# --- who may ----------------------------------------------------------------------------------------------------
def _require_manager(by, cls: TrainingClass) -> None:
    if by is not None and not selectors.can_manage_class(by, cls):
        raise PermissionDenied("只有主办组织的党务工作者可以管理该培训班")


# --- the class ---------------------------------------------------------------------------------------------------
def _clean_class(fields: dict) -> None:
    errors = {}
    if not (fields.get("title") or "").strip():
        errors["title"] = "请填写培训班名称"
    starts, ends = fields.get("starts_on"), fields.get("ends_on")
    if starts and ends and ends < starts:
        errors["ends_on"] = "结业日期不能早于开班日期"
    organiser, target = fields.get("organiser"), fields.get("target_org")
    if organiser and target and not target.is_in_subtree_of(organiser):
        errors["target_org"] = "对象范围应在主办组织及其下级组织之内"
    fraction = fields.get("completion_fraction")
    if fraction is not None and not (Decimal("0") < Decimal(fraction) <= Decimal("1")):
        errors["completion_fraction"] = "结业出勤比例应在 0 到 1 之间"
    if fields.get("final_test_mode") == FinalTestMode.QUIZ and not fields.get("final_quiz"):
        errors["final_quiz"] = "选择“在线结业考试”时请指定试卷"
    if fields.get("session_hours") is not None and Decimal(fields["session_hours"]) < 0:
        errors["session_hours"] = "学时不能为负数"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_class(*, by=None, **fields) -> TrainingClass:
    fields = {k: v for k, v in fields.items() if k in CLASS_FIELDS}
    if not fields.get("year") and fields.get("starts_on"):
        fields["year"] = fields["starts_on"].year
    if fields.get("target_kind") == TargetKind.ROTATION:
        fields["is_rotation"] = True
    _clean_class(fields)
    if by is not None and not Access.of(by).can_org(selectors.MANAGE, fields["organiser"]):
        raise PermissionDenied("只能以本组织或下级组织的名义举办培训班")
    return TrainingClass.objects.create(created_by=by if getattr(by, "pk", None) else None, **fields)


@transaction.atomic
def update_class(cls: TrainingClass, *, by=None, **fields) -> TrainingClass:
    _require_manager(by, cls)
    fields = {k: v for k, v in fields.items() if k in CLASS_FIELDS}
    if (
        "organiser" in fields
        and by is not None
        and not Access.of(by).can_org(selectors.MANAGE, fields["organiser"])
    ):
        raise PermissionDenied("只能以本组织或下级组织的名义举办培训班")
    for key, value in fields.items():
        setattr(cls, key, value)
    if not cls.year:
        cls.year = cls.starts_on.year
    _clean_class({f: getattr(cls, f) for f in CLASS_FIELDS})
    cls.save()
    return cls


@transaction.atomic
def set_status(cls: TrainingClass, status: str, *, by=None) -> TrainingClass:
    _require_manager(by, cls)
    if status not in {ClassStatus.DRAFT, ClassStatus.OPEN, ClassStatus.CLOSED}:
        raise ValidationError("请通过“结业”操作完成培训班")
    cls.status = status
    cls.save(update_fields=["status", "updated_at"])
    return cls


# --- enrolment ---------------------------------------------------------------------------------------------------
def _check_capacity(cls: TrainingClass, adding: int) -> None:
    if cls.capacity and adding:
        active = cls.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).count()
        if active + adding > cls.capacity:
            raise ValidationError(
                f"超过人数上限：本班限 {cls.capacity} 人，已有 {active} 人，本次将增加 {adding} 人"
            )


@transaction.atomic
def enrol_by_criteria(cls: TrainingClass, *, by=None) -> int:
    """Enrol every member the class's target kind and subtree name who is not on the list yet. Idempotent:
    members already listed (also those withdrawn by hand) are left as they are. Returns the number added."""
    _require_manager(by, cls)
    if cls.target_kind == TargetKind.CUSTOM:
        raise ValidationError("自定义对象的培训班请手工添加学员")
    TrainingClass.objects.select_for_update().filter(pk=cls.pk).values_list("pk", flat=True).first()
    ids = list(
        selectors.criteria_members(cls)
        .exclude(pk__in=Enrolment.objects.filter(training_class=cls).values("member_id"))
        .values_list("pk", flat=True)
    )
    _check_capacity(cls, len(ids))
    now = timezone.now()
    Enrolment.objects.bulk_create(
        [
            Enrolment(training_class=cls, member_id=i, source=EnrolmentSource.CRITERIA, enrolled_at=now)
            for i in ids
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return len(ids)


@transaction.atomic
def enrol_member(cls: TrainingClass, member, *, by=None) -> Enrolment:
    """Add one member by hand. He must be on the roster of the organiser's subtree."""
    _require_manager(by, cls)
    if by is not None and not Access.of(by).can_member(selectors.VIEW, member):
        raise PermissionDenied("只能添加本组织范围内的党员")
    if not member.organization.is_in_subtree_of(cls.organiser):
        raise ValidationError("只能添加主办组织及其下级组织的党员")
    if member.left_on is not None:
        raise ValidationError("该党员已不在党员名册中")
    enrolment = Enrolment.objects.filter(training_class=cls, member=member).first()
    if enrolment is not None and enrolment.is_active:
        return enrolment
    _check_capacity(cls, 1)
    if enrolment is None:
        return Enrolment.objects.create(training_class=cls, member=member, source=EnrolmentSource.HAND)
    enrolment.status = EnrolmentStatus.ENROLLED
    enrolment.save(update_fields=["status"])
    return enrolment


@transaction.atomic
def withdraw_enrolment(enrolment: Enrolment, *, by=None) -> Enrolment:
    """Take a member off the list. 学时 of sessions he attended stay: they happened."""
    _require_manager(by, enrolment.training_class)
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save(update_fields=["status"])
    return enrolment


# --- sessions and attendance ---------------------------------------------------------------------------------------
@transaction.atomic
def add_session(
    cls: TrainingClass,
    *,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    topic: str,
    teacher_name: str = "",
    hours=None,
    by=None,
) -> ClassSession:
    _require_manager(by, cls)
    errors = {}
    if not (topic or "").strip():
        errors["topic"] = "请填写专题"
    if ends_at <= starts_at:
        errors["ends_at"] = "结束时间应晚于开始时间"
    hours = cls.session_hours if hours is None else Decimal(str(hours))
    if hours < 0:
        errors["hours"] = "学时不能为负数"
    if errors:
        raise ValidationError(errors)
    return ClassSession.objects.create(
        training_class=cls,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        topic=topic.strip(),
        teacher_name=(teacher_name or "").strip(),
        hours=hours,
    )


def session_key(session: ClassSession) -> str:
    return f"class:{session.training_class_id}:session:{session.pk}"


def _session_title(session: ClassSession) -> str:
    return f"培训班：{session.training_class.title}（{session.topic}）"


@transaction.atomic
def record_attendance(session: ClassSession, marks: dict[int, str], *, by=None, today=None) -> int:
    """Set the attendance of enrolments {enrolment_id: present/leave/absent} at one session and bring their
    学时 in line: present holds the session's hours, anything else none. Returns the number of marks changed."""
    cls = session.training_class
    _require_manager(by, cls)
    today = today or timezone.localdate()
    if session.date > today:
        raise ValidationError("课次尚未举行，不能登记考勤")
    valid = set(SessionAttendanceStatus.values)
    if any(status not in valid for status in marks.values()):
        raise ValidationError("考勤状态不正确")
    enrolments = {
        e.pk: e
        for e in Enrolment.objects.filter(training_class=cls, pk__in=list(marks)).exclude(
            status=EnrolmentStatus.WITHDRAWN
        )
    }
    existing = {
        a.enrolment_id: a
        for a in SessionAttendance.objects.filter(session=session, enrolment_id__in=enrolments)
    }
    now = timezone.now()
    recorder = by if getattr(by, "pk", None) else None
    to_create, to_update, changed = [], [], []
    for enrolment_id, status in marks.items():
        if enrolment_id not in enrolments:
            continue
        row = existing.get(enrolment_id)
        if row is None:
            to_create.append(
                SessionAttendance(
                    session=session,
                    enrolment_id=enrolment_id,
                    status=status,
                    recorded_at=now,
                    recorded_by=recorder,
                )
            )
            changed.append(enrolment_id)
        elif row.status != status:
            row.status, row.recorded_at, row.recorded_by = status, now, recorder
            to_update.append(row)
            changed.append(enrolment_id)
    SessionAttendance.objects.bulk_create(to_create, batch_size=2000)
    SessionAttendance.objects.bulk_update(
        to_update, ["status", "recorded_at", "recorded_by"], batch_size=2000
    )
    if not session.attendance_taken:
        session.attendance_taken = True
        session.save(update_fields=["attendance_taken"])
    _sync_hours(session, [enrolments[i] for i in changed], by=by)
    refresh_counters(cls, changed)
    return len(changed)


@transaction.atomic
def mark_all_present(session: ClassSession, *, by=None, today=None) -> int:
    ids = session.training_class.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).values_list(
        "pk", flat=True
    )
    return record_attendance(session, dict.fromkeys(ids, SessionAttendanceStatus.PRESENT), by=by, today=today)


def _sync_hours(session: ClassSession, enrolments: list[Enrolment], *, by=None) -> None:
    """Credit or withdraw the session's 学时 of the given enrolments. First-time credits go in one bulk write;
    corrections through hours.services.credit, which appends the difference."""
    if not enrolments:
        return
    key = session_key(session)
    title = _session_title(session)
    status = dict(
        SessionAttendance.objects.filter(session=session, enrolment__in=enrolments).values_list(
            "enrolment_id", "status"
        )
    )
    member_ids = [e.member_id for e in enrolments]
    seen = set(
        HoursEntry.objects.filter(source_key=key, member_id__in=member_ids).values_list(
            "member_id", flat=True
        )
    )
    fresh = []
    for e in enrolments:
        want = session.hours if status.get(e.pk) == SessionAttendanceStatus.PRESENT else Decimal("0")
        if e.member_id in seen:
            hours_services.credit(
                e.member_id,
                source=HoursSource.CLASS,
                key=key,
                hours=want,
                on=session.date,
                title=title,
                by=by,
            )
        elif want > 0:
            fresh.append(
                {
                    "member_id": e.member_id,
                    "source": HoursSource.CLASS,
                    "key": key,
                    "hours": want,
                    "on": session.date,
                    "title": title,
                }
            )
    hours_services.bulk_credit(fresh)


def refresh_counters(cls: TrainingClass, enrolment_ids=None) -> None:
    """Recompute sessions attended and 学时 earned of enrolments (all of the class when not given)."""
    qs = Enrolment.objects.filter(training_class=cls)
    if enrolment_ids is not None:
        qs = qs.filter(pk__in=list(enrolment_ids))
    present = Q(attendances__status=SessionAttendanceStatus.PRESENT)
    rows = list(
        qs.annotate(
            n=Count("attendances", filter=present),
            h=Sum("attendances__session__hours", filter=present),
        )
    )
    for e in rows:
        e.sessions_present, e.hours = e.n, e.h or Decimal("0")
    Enrolment.objects.bulk_update(rows, ["sessions_present", "hours"], batch_size=2000)


# --- final test and completion -----------------------------------------------------------------------------------
@transaction.atomic
def record_results(cls: TrainingClass, results: dict[int, tuple[str, Decimal | None]], *, by=None) -> int:
    """Final test marks {enrolment_id: (pending/passed/failed, score or None)}."""
    _require_manager(by, cls)
    valid = set(TestResult.values)
    rows = list(Enrolment.objects.filter(training_class=cls, pk__in=list(results)))
    for e in rows:
        result, score = results[e.pk]
        if result not in valid:
            raise ValidationError("考试结果不正确")
        if score is not None and not (Decimal("0") <= Decimal(score) <= Decimal("100")):
            raise ValidationError("成绩应在 0 到 100 之间")
        e.test_result, e.score = result, score
    Enrolment.objects.bulk_update(rows, ["test_result", "score"], batch_size=2000)
    return len(rows)


def meets_attendance(present: int, total: int, fraction: Decimal) -> bool:
    """At least `fraction` of the sessions attended (80 % of 5 is 4: 4 of 5 is enough, 3 is not)."""
    if total == 0:
        return False
    return Decimal(present) >= Decimal(fraction) * Decimal(total)


def _new_code(taken: set[str]) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            return code


@transaction.atomic
def complete_class(cls: TrainingClass, *, by=None, today=None) -> dict:
    """结业: decide each enrolment by the rule (attendance ≥ the class's fraction of its sessions, and the final
    test passed when there is one), store it, and give every completed member a certificate code. May be run
    again after a correction; codes already issued stay the same."""
    _require_manager(by, cls)
    today = today or timezone.localdate()
    total = cls.sessions.count()
    if total == 0:
        raise ValidationError("培训班还没有课次，不能结业")
    refresh_counters(cls)
    rows = list(cls.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN))
    needs_test = cls.final_test_mode != FinalTestMode.NONE
    taken = set(Enrolment.objects.exclude(certificate_code=None).values_list("certificate_code", flat=True))
    on = min(cls.ends_on, today)
    done = 0
    for e in rows:
        ok = meets_attendance(e.sessions_present, total, cls.completion_fraction) and (
            not needs_test or e.test_result == TestResult.PASSED
        )
        if ok:
            done += 1
            e.status = EnrolmentStatus.COMPLETED
            e.completed_on = e.completed_on or on
            e.certificate_code = e.certificate_code or _new_code(taken)
        else:
            e.status = EnrolmentStatus.NOT_COMPLETED
            e.completed_on = None
    Enrolment.objects.bulk_update(rows, ["status", "completed_on", "certificate_code"], batch_size=2000)
    cls.status = ClassStatus.COMPLETED
    cls.completed_at = timezone.now()
    cls.save(update_fields=["status", "completed_at", "updated_at"])
    return {"completed": done, "not_completed": len(rows) - done}


def exam_attempt_finished(attempt) -> None:
    """An online exam was handed in: it decides the final test of every class that uses it (registered in
    apps.ready on the quiz engine's event). A pass stays a pass; a later failed attempt does not undo it."""
    classes = TrainingClass.objects.filter(final_quiz_id=attempt.quiz_id, final_test_mode=FinalTestMode.QUIZ)
    percent = Decimal(str(round(attempt.percent, 1)))
    for e in Enrolment.objects.filter(training_class__in=classes, member_id=attempt.member_id).exclude(
        status=EnrolmentStatus.WITHDRAWN
    ):
        if e.test_result == TestResult.PASSED and not attempt.passed:
            continue
        best = max(e.score or Decimal("0"), percent) if e.test_result == TestResult.PASSED else percent
        Enrolment.objects.filter(pk=e.pk).update(
            test_result=TestResult.PASSED if attempt.passed else TestResult.FAILED, score=best
        )
