"""Every write on the teacher pool: teachers, courses, lecture requests and their ratings."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.accounts.models import Role, User
from partyedu.meetings import services as meeting_services
from partyedu.meetings.models import Attendance, AttendanceStatus, MeetingKind, MeetingStatus
from partyedu.meetings.services import KINDS_FOR_ORG
from partyedu.notifications import services as notifications
from partyedu.orgs.models import Organization, OrganizationKind

from .models import (
    AREA_LABELS,
    Course,
    CourseFormat,
    LectureRating,
    LectureRequest,
    PreferredPeriod,
    RequestStatus,
    Teacher,
    TeacherKind,
    pack_areas,
)

TEACHER_FIELDS = ("name", "kind", "member", "unit", "title", "areas", "bio", "contact", "status", "user")
COURSE_FIELDS = ("title", "area", "summary", "minutes", "format", "status")
# How far ahead an organisation may ask for a lecture.
MAX_DAYS_AHEAD = 366


# --- who may -------------------------------------------------------------------------------------------------
def is_pool_admin(user) -> bool:
    """The pool belongs to the county: committee admins (and superusers) keep it."""
    access = Access.of(user)
    return access.is_superuser or any(role == Role.COMMITTEE_ADMIN for role, _ in access.roles)


def is_teacher_account(user, teacher: Teacher) -> bool:
    return bool(user and user.is_authenticated and teacher.user_id and teacher.user_id == user.pk)


def can_edit_course(user, course: Course) -> bool:
    """The pool admin, and the teacher himself for his own courses."""
    return is_pool_admin(user) or is_teacher_account(user, course.teacher)


def can_handle_request(user, req: LectureRequest) -> bool:
    """Accept or decline: the teacher through his own account, or the pool admin."""
    return is_pool_admin(user) or is_teacher_account(user, req.teacher)


def can_change_request(user, req: LectureRequest) -> bool:
    """Cancel: the requesting organisation's workers (secretaries, org admins above it)."""
    return Access.of(user).can_org(C.CHANGE_MEMBERS, req.organization)


def can_view_request(user, req: LectureRequest) -> bool:
    return can_change_request(user, req) or can_handle_request(user, req)


def can_see_contact(user) -> bool:
    return Access.of(user).is_worker


def requesting_orgs(user):
    """Organisations the user may request a lecture for: his CHANGE_MEMBERS scope, living, holding 党课."""
    kinds = [k for k, allowed in KINDS_FOR_ORG.items() if MeetingKind.PARTY_LECTURE in allowed]
    return (
        Access.of(user)
        .orgs(C.CHANGE_MEMBERS)
        .filter(dissolved_on__isnull=True, kind__in=kinds)
        .order_by("path")
    )


def _require_pool_admin(by) -> None:
    if by is not None and not is_pool_admin(by):
        raise PermissionDenied("只有机关工委管理员可以管理师资库")


# --- teachers and courses ------------------------------------------------------------------------------------
def _clean_teacher(fields: dict) -> None:
    errors = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = "请填写教师姓名"
    if not [a for a in (fields.get("areas") or ",").split(",") if a]:
        errors["areas"] = "请至少选择一个授课方向"
    if fields.get("kind") == TeacherKind.EXTERNAL and fields.get("member") is not None:
        errors["member"] = "外聘教师不关联本县党员档案"
    if fields.get("kind") == TeacherKind.EXTERNAL and not (fields.get("unit") or "").strip():
        errors["unit"] = "请填写外聘教师的工作单位"
    if errors:
        raise ValidationError(errors)


def _teacher_fields(fields: dict) -> dict:
    fields = {k: v for k, v in fields.items() if k in TEACHER_FIELDS}
    if "areas" in fields and not isinstance(fields["areas"], str):
        fields["areas"] = pack_areas(fields["areas"])
    for key in ("name", "unit", "title", "bio", "contact"):
        if key in fields:
            fields[key] = (fields[key] or "").strip()
    return fields


def _check_account(user, teacher_pk=None) -> None:
    if user is None:
        return
    clash = Teacher.objects.filter(user=user)
    if teacher_pk:
        clash = clash.exclude(pk=teacher_pk)
    if clash.exists():
        raise ValidationError({"user": f"账号“{user}”已关联其他教师"})


@transaction.atomic
def create_teacher(*, by=None, **fields) -> Teacher:
    _require_pool_admin(by)
    fields = _teacher_fields(fields)
    fields.setdefault("kind", TeacherKind.EXTERNAL)
    _clean_teacher(fields)
    member = fields.get("member")
    if member is not None and fields.get("user") is None:
        # An internal teacher who already logs in as a member answers requests from that account.
        fields["user"] = User.objects.filter(member=member, is_active=True).first()
        if fields["user"] is not None and Teacher.objects.filter(user=fields["user"]).exists():
            fields["user"] = None
    _check_account(fields.get("user"))
    return Teacher.objects.create(**fields)


@transaction.atomic
def update_teacher(teacher: Teacher, *, by=None, **fields) -> Teacher:
    _require_pool_admin(by)
    fields = _teacher_fields(fields)
    for key, value in fields.items():
        setattr(teacher, key, value)
    _clean_teacher({k: getattr(teacher, k) for k in TEACHER_FIELDS})
    _check_account(teacher.user, teacher.pk)
    teacher.save()
    return teacher


def _clean_course(fields: dict) -> None:
    errors = {}
    if not (fields.get("title") or "").strip():
        errors["title"] = "请填写课程名称"
    if fields.get("area") not in AREA_LABELS:
        errors["area"] = "请选择课程方向"
    minutes = fields.get("minutes")
    if minutes is None or not 10 <= minutes <= 480:
        errors["minutes"] = "课程时长应在 10 至 480 分钟之间"
    if fields.get("format") not in CourseFormat.values:
        errors["format"] = "请选择授课形式"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_course(teacher: Teacher, *, by=None, **fields) -> Course:
    if by is not None and not (is_pool_admin(by) or is_teacher_account(by, teacher)):
        raise PermissionDenied("只有机关工委管理员或教师本人可以登记课程")
    fields = {k: v for k, v in fields.items() if k in COURSE_FIELDS}
    fields.setdefault("format", CourseFormat.LECTURE)
    fields.setdefault("minutes", 90)
    fields["title"] = (fields.get("title") or "").strip()
    _clean_course(fields)
    return Course.objects.create(teacher=teacher, **fields)


@transaction.atomic
def update_course(course: Course, *, by=None, **fields) -> Course:
    if by is not None and not can_edit_course(by, course):
        raise PermissionDenied("只有机关工委管理员或教师本人可以修改课程")
    for key, value in fields.items():
        if key in COURSE_FIELDS:
            setattr(course, key, value.strip() if isinstance(value, str) and key == "title" else value)
    _clean_course({k: getattr(course, k) for k in COURSE_FIELDS})
    course.save()
    return course


# --- the figures the catalogue sorts by ------------------------------------------------------------------------
def refresh_stats(*, courses=(), teachers=()) -> None:
    """Recount ratings and lectures of these courses and teachers from their rows (never incremented)."""
    for model, field, pks in (
        (Course, "course", {c.pk for c in courses}),
        (Teacher, "teacher", {t.pk for t in teachers}),
    ):
        if not pks:
            continue
        key = f"request__{field}"
        ratings = {
            row[key]: (row["n"], row["total"] or 0)
            for row in LectureRating.objects.filter(**{f"{key}__in": pks})
            .values(key)
            .annotate(n=Count("pk"), total=Sum("stars"))
        }
        taught = dict(
            LectureRequest.objects.filter(**{f"{field}__in": pks}, status=RequestStatus.ACCEPTED)
            .values(field)
            .annotate(n=Count("pk"))
            .values_list(field, "n")
        )
        for obj in model.objects.filter(pk__in=pks):
            obj.rating_count, obj.rating_total = ratings.get(obj.pk, (0, 0))
            obj.taught_count = taught.get(obj.pk, 0)
            obj.save(update_fields=["rating_count", "rating_total", "taught_count", "updated_at"])


# --- requests ------------------------------------------------------------------------------------------------
def _label(req: LectureRequest) -> str:
    return f"“{req.course.title}”（{req.teacher.name}）"


@transaction.atomic
def request_lecture(
    *,
    course: Course,
    organization: Organization,
    preferred_from: datetime.date,
    preferred_to: datetime.date,
    audience: int,
    preferred_period: str = PreferredPeriod.ANY,
    note: str = "",
    by=None,
) -> LectureRequest:
    if by is not None and not Access.of(by).can_org(C.CHANGE_MEMBERS, organization):
        raise PermissionDenied("只能为本组织申请授课")
    course = Course.objects.select_related("teacher").get(pk=course.pk)
    errors = {}
    if not course.is_open or not course.teacher.is_active:
        errors["course"] = "该课程暂停预约"
    if organization.dissolved_on or MeetingKind.PARTY_LECTURE not in KINDS_FOR_ORG.get(
        OrganizationKind(organization.kind), set()
    ):
        errors["organization"] = f"“{organization.name}”不能组织党课，请以所在党支部或党委名义申请"
    today = timezone.localdate()
    if preferred_from < today:
        errors["preferred_from"] = "期望日期不能早于今天"
    elif preferred_to < preferred_from:
        errors["preferred_to"] = "结束日期不能早于开始日期"
    elif preferred_to > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        errors["preferred_to"] = "只能申请一年以内的授课"
    if audience is None or audience < 1:
        errors["audience"] = "预计听课人数至少 1 人"
    if preferred_period not in PreferredPeriod.values:
        errors["preferred_period"] = "请选择期望时段"
    if errors:
        raise ValidationError(errors)
    req = LectureRequest.objects.create(
        course=course,
        teacher=course.teacher,
        organization=organization,
        preferred_from=preferred_from,
        preferred_to=preferred_to,
        preferred_period=preferred_period,
        audience=audience,
        note=(note or "").strip()[:300],
        requested_by=by,
    )
    if course.teacher.user_id and course.teacher.user_id != getattr(by, "pk", None):
        notifications.notify(
            course.teacher.user,
            title=f"{organization.name}申请您讲授{_label(req)}",
            body=f"期望时间：{req.preferred_label}，预计 {audience} 人。",
            url=reverse("teachers:request_detail", args=[req.pk]),
        )
    return req


def _locked(req: LectureRequest) -> LectureRequest:
    return (
        LectureRequest.objects.select_for_update(of=("self",))
        .select_related("course", "teacher", "organization", "meeting")
        .get(pk=req.pk)
    )


def _require_handler(by, req: LectureRequest) -> None:
    if by is not None and not can_handle_request(by, req):
        raise PermissionDenied("只有授课教师本人或机关工委管理员可以答复")


def _require_requester(by, req: LectureRequest) -> None:
    if by is not None and not can_change_request(by, req):
        raise PermissionDenied("只有申请单位的党务工作者可以操作")


def clashes(teacher: Teacher, starts_at, ends_at, *, exclude_pk=None):
    """The teacher's scheduled lectures overlapping [starts_at, ends_at): back-to-back lectures do not clash."""
    qs = LectureRequest.objects.filter(
        teacher=teacher,
        status=RequestStatus.ACCEPTED,
        scheduled_start__lt=ends_at,
        scheduled_end__gt=starts_at,
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def _tell(req: LectureRequest, by, *, title: str, body: str = "") -> None:
    """The requester and the teacher hear of a decision, except whoever made it."""
    url = reverse("teachers:request_detail", args=[req.pk])
    actor = getattr(by, "pk", None)
    targets = {u for u in (req.requested_by_id, req.teacher.user_id) if u and u != actor}
    for user in User.objects.filter(pk__in=targets, is_active=True):
        notifications.notify(user, title=title, body=body, url=url)


@transaction.atomic
def accept_request(
    req: LectureRequest,
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    by=None,
) -> LectureRequest:
    """Schedule the lecture; it becomes the requesting organisation's 党课 meeting, with its notice.

    The teacher's row is locked first, so two acceptances for overlapping times queue here and the second
    sees the first one's schedule.
    """
    req = _locked(req)
    _require_handler(by, req)
    teacher = Teacher.objects.select_for_update().get(pk=req.teacher_id)
    if req.status != RequestStatus.PENDING:
        raise ValidationError(f"该申请{req.get_status_display()}，不能再安排")
    place = (place or "").strip()
    if not place:
        raise ValidationError({"place": "请填写授课地点"})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "结束时间应晚于开始时间"})
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": "授课时间不能早于现在"})
    clash = clashes(teacher, starts_at, ends_at).select_related("organization").first()
    if clash is not None:
        local = timezone.localtime(clash.scheduled_start)
        raise ValidationError(
            {
                "starts_at": f"{teacher.name}在该时段已有安排（{local:%Y-%m-%d %H:%M} "
                f"为{clash.organization.name}授课），请调整时间"
            }
        )
    meeting = meeting_services.create_meeting(
        organization=req.organization,
        kind=MeetingKind.PARTY_LECTURE,
        theme=f"{req.course.title}（主讲：{teacher.name}）",
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        agenda=[{"title": req.course.title, "speaker": teacher.name}],
        by=by,
    )
    req.status = RequestStatus.ACCEPTED
    req.scheduled_start, req.scheduled_end, req.place = starts_at, ends_at, place[:200]
    req.meeting = meeting
    req.decided_by, req.decided_at = by, timezone.now()
    req.save()
    refresh_stats(courses=[req.course], teachers=[teacher])
    local = timezone.localtime(starts_at)
    _tell(
        req,
        by,
        title=f"党课已安排：{_label(req)}",
        body=f"{req.organization.name}，{local:%Y-%m-%d %H:%M}，{place}。",
    )
    return req


@transaction.atomic
def decline_request(req: LectureRequest, reason: str, *, by=None) -> LectureRequest:
    """Decline a request, or withdraw from a lecture already scheduled (its meeting is cancelled)."""
    req = _locked(req)
    _require_handler(by, req)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写谢绝原因，以便申请单位调整安排"})
    if req.status == RequestStatus.ACCEPTED:
        if req.scheduled_start <= timezone.now():
            raise ValidationError("党课已经开始，不能再谢绝")
    elif req.status != RequestStatus.PENDING:
        raise ValidationError(f"该申请{req.get_status_display()}，不能再谢绝")
    was_accepted = req.status == RequestStatus.ACCEPTED
    if was_accepted and req.meeting and req.meeting.status != MeetingStatus.CANCELLED:
        meeting_services.cancel_meeting(req.meeting, reason=f"授课教师谢绝：{reason}", by=by)
    req.status, req.decline_reason = RequestStatus.DECLINED, reason[:200]
    req.decided_by, req.decided_at = by, timezone.now()
    req.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    if was_accepted:
        refresh_stats(courses=[req.course], teachers=[req.teacher])
    _tell(req, by, title=f"授课申请被谢绝：{_label(req)}", body=f"原因：{reason}")
    return req


@transaction.atomic
def cancel_request(req: LectureRequest, *, by=None, reason: str = "") -> LectureRequest:
    """The requesting organisation withdraws, before the lecture begins."""
    req = _locked(req)
    _require_requester(by, req)
    if req.status not in (RequestStatus.PENDING, RequestStatus.ACCEPTED):
        raise ValidationError(f"该申请{req.get_status_display()}，不能取消")
    was_accepted = req.status == RequestStatus.ACCEPTED
    if was_accepted:
        if req.scheduled_start <= timezone.now():
            raise ValidationError("党课已经开始，不能再取消")
        if req.meeting and req.meeting.status != MeetingStatus.CANCELLED:
            meeting_services.cancel_meeting(req.meeting, reason=reason or "申请单位取消授课", by=by)
    req.status = RequestStatus.CANCELLED
    req.save(update_fields=["status"])
    if was_accepted:
        refresh_stats(courses=[req.course], teachers=[req.teacher])
    if req.teacher.user_id and req.teacher.user_id != getattr(by, "pk", None):
        notifications.notify(
            req.teacher.user,
            title=f"{req.organization.name}取消了授课申请：{_label(req)}",
            url=reverse("teachers:request_detail", args=[req.pk]),
        )
    return req


# --- ratings -------------------------------------------------------------------------------------------------
def rating_refusal(req: LectureRequest, member) -> str | None:
    """Why this member may not rate this lecture, or None when he may."""
    if member is None:
        return "您的账号尚未关联党员档案"
    meeting = req.meeting
    if req.status != RequestStatus.ACCEPTED or meeting is None or meeting.status == MeetingStatus.CANCELLED:
        return "该党课未举行，不能评价"
    if meeting.starts_at > timezone.now():
        return "党课开始后才能评价"
    if not Attendance.objects.filter(
        meeting=meeting, member=member, status=AttendanceStatus.PRESENT
    ).exists():
        return "只有出席该党课的党员可以评价"
    if LectureRating.objects.filter(request=req, member=member).exists():
        return "您已经评价过这次党课"
    return None


@transaction.atomic
def rate_lecture(req: LectureRequest, member, *, stars: int, comment: str = "") -> LectureRating:
    req = LectureRequest.objects.select_related("meeting", "course", "teacher").get(pk=req.pk)
    if stars is None or not 1 <= int(stars) <= 5:
        raise ValidationError({"stars": "请选择 1 至 5 星"})
    refusal = rating_refusal(req, member)
    if refusal:
        raise ValidationError(refusal)
    try:
        with transaction.atomic():
            rating = LectureRating.objects.create(
                request=req, member=member, stars=int(stars), comment=(comment or "").strip()[:300]
            )
    except IntegrityError:  # a double click that passed the check at the same moment
        raise ValidationError("您已经评价过这次党课") from None
    refresh_stats(courses=[req.course], teachers=[req.teacher])
    return rating
