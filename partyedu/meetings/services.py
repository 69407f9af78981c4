"""Every write to organisational life. Pages, sign-in, the API and the seeder come through here."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections import defaultdict

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from partyedu.hours import services as hours_services
from partyedu.members.models import Member
from partyedu.orgs.models import Organization, OrganizationKind
from partyedu.points import services as points_services

from .models import (
    BRANCH_LIFE_KINDS,
    AgendaItem,
    Attachment,
    Attendance,
    AttendanceRole,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MemberLifeStats,
    SignInMethod,
    new_signin_key,
)
from .selectors import expected_members

# Which meeting kinds an organisation of each kind holds (a 党小组 holds 党小组会; a unit holds 中心组学习).
KINDS_FOR_ORG = {
    OrganizationKind.GROUP: {MeetingKind.GROUP_MEETING, MeetingKind.MICRO_LECTURE, MeetingKind.OTHER},
    OrganizationKind.PARTY_COMMITTEE: set(MeetingKind) - {MeetingKind.GROUP_MEETING},
    OrganizationKind.PARTY_LEADERSHIP_GROUP: set(MeetingKind) - {MeetingKind.GROUP_MEETING},
    OrganizationKind.WORKING_COMMITTEE: set(MeetingKind) - {MeetingKind.GROUP_MEETING},
    OrganizationKind.GENERAL_BRANCH: set(MeetingKind) - {MeetingKind.GROUP_MEETING},
    OrganizationKind.BRANCH: set(MeetingKind) - {MeetingKind.GROUP_MEETING, MeetingKind.CENTER_GROUP_STUDY},
}
MINUTES_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ol",
    "ul",
    "li",
    "h3",
    "h4",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


def sanitize_minutes(html: str) -> str:
    """Minutes are pasted from Word and WeChat: keep the structure, drop scripts, styles and links."""
    return nh3.clean(html or "", tags=MINUTES_TAGS, attributes={}, link_rel=None).strip()


# A typo in the year (0202, 2052) makes a meeting no ledger, board or member page will ever show sensibly.
MEETING_YEARS_BACK = 10


def _check_meeting(organization: Organization, kind: str, starts_at, ends_at) -> None:
    errors = {}
    if kind not in KINDS_FOR_ORG.get(OrganizationKind(organization.kind), set()):
        errors["kind"] = f"{organization.get_kind_display()}不召开{MeetingKind(kind).label}"
    if ends_at < starts_at:
        errors["ends_at"] = "结束时间不能早于开始时间"
    elif ends_at - starts_at > datetime.timedelta(days=3):
        errors["ends_at"] = "一次会议活动不超过 3 天"
    day = timezone.localtime(starts_at).date()
    today = timezone.localdate()
    if day.year < today.year - MEETING_YEARS_BACK:
        errors["starts_at"] = (
            f"会议日期过早：只能补录 {today.year - MEETING_YEARS_BACK} 年以来的会议，请检查年份"
        )
    elif day > today + datetime.timedelta(days=366):
        errors["starts_at"] = "会议日期过晚：只能计划一年以内的会议，请检查年份"
    if organization.established_on and day < organization.established_on:
        errors["starts_at"] = (
            f"“{organization.name}”成立于 {organization.established_on:%Y-%m-%d}，会议不能早于成立日期"
        )
    if organization.dissolved_on and day >= organization.dissolved_on:
        errors["starts_at"] = f"“{organization.name}”已于 {organization.dissolved_on:%Y-%m-%d} 撤销"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_meeting(
    *,
    organization: Organization,
    kind: str,
    theme: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    host: Member | None = None,
    recorder: Member | None = None,
    held: bool = False,
    notice: str = "",
    minutes: str = "",
    decisions: str = "",
    agenda: list[dict] | None = None,
    by=None,
) -> Meeting:
    """Plan a meeting ahead (notice to the expected attendees) or record one after the fact (held=True)."""
    theme = (theme or "").strip()
    if not theme:
        raise ValidationError({"theme": "请填写会议主题"})
    _check_meeting(organization, kind, starts_at, ends_at)
    meeting = Meeting.objects.create(
        organization=organization,
        kind=kind,
        theme=theme,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        host=host,
        recorder=recorder,
        status=MeetingStatus.HELD if held else MeetingStatus.PLANNED,
        notice=notice.strip(),
        minutes=sanitize_minutes(minutes),
        decisions=decisions.strip(),
        created_by=by,
    )
    set_agenda(meeting, agenda or [])
    sync_expected_attendees(meeting)
    if held:
        # recorded after the fact: everyone not marked yet is absent, which counts towards their runs
        refresh_life_stats(list(meeting.attendances.values_list("member_id", flat=True)))
    else:
        send_notice(meeting)
    return meeting


@transaction.atomic
def update_meeting(meeting: Meeting, *, by=None, **fields) -> Meeting:
    allowed = {
        "kind",
        "theme",
        "starts_at",
        "ends_at",
        "place",
        "host",
        "recorder",
        "notice",
        "minutes",
        "decisions",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot update {unknown}")
    if "minutes" in fields:
        fields["minutes"] = sanitize_minutes(fields["minutes"])
    old_day, old_kind = meeting.held_on, meeting.kind
    for key, value in fields.items():
        setattr(meeting, key, value.strip() if isinstance(value, str) and key != "minutes" else value)
    if not meeting.theme:
        raise ValidationError({"theme": "请填写会议主题"})
    _check_meeting(meeting.organization, meeting.kind, meeting.starts_at, meeting.ends_at)
    meeting.save()
    if meeting.held_on != old_day or meeting.kind != old_kind:
        before = set(meeting.attendances.values_list("member_id", flat=True))
        sync_expected_attendees(meeting)
        if meeting.status == MeetingStatus.HELD:
            # a held meeting moved (or retyped) changes who was there and when: their runs and last dates too
            refresh_life_stats(list(before | set(meeting.attendances.values_list("member_id", flat=True))))
    if {"kind", "starts_at", "ends_at"} & set(fields):
        _attendance_changed(meeting, by=by)  # a retyped or re-timed lecture changes its 学时
    if meeting.status == MeetingStatus.PLANNED and ("starts_at" in fields or "place" in fields):
        send_notice(meeting)  # a new time or place is a new notice; the same one is not sent twice
    return meeting


def send_notice(meeting: Meeting) -> int:
    """The 会议通知 to every expected attendee who has an account, in his 提醒 and on his phone's 我的会议.
    Keyed by meeting, time and place, so saving again sends nothing new but a rescheduled meeting does."""
    from django.urls import reverse

    from partyedu.accounts.models import User
    from partyedu.notifications.models import NotificationKind
    from partyedu.notifications.services import Alert, notify_many

    local = timezone.localtime(meeting.starts_at)
    text = meeting.notice or (
        f"定于{local:%-m月%-d日 %H:%M}在{meeting.place or '（地点另行通知）'}召开{meeting.get_kind_display()}，请准时参加。"
    )
    key = f"meeting-notice:{meeting.pk}:{local:%Y%m%d%H%M}:{meeting.place}"[:120]
    users = User.objects.filter(
        is_active=True,
        member_id__in=meeting.attendances.filter(role=AttendanceRole.ATTENDEE).values("member_id"),
    ).values_list("pk", flat=True)
    sent = notify_many(
        [
            Alert(
                user_id=pk,
                title=f"会议通知：{meeting.organization.name}{meeting.get_kind_display()}「{meeting.theme}」"[
                    :200
                ],
                body=text,
                url=reverse("signin:my_meetings"),
                kind=NotificationKind.MEETING_NOTICE,
                dedupe_key=key,
            )
            for pk in users
        ]
    )
    Meeting.objects.filter(pk=meeting.pk).update(notified_at=timezone.now())
    return sent


@transaction.atomic
def set_agenda(meeting: Meeting, items: list[dict]) -> None:
    """Replace the agenda. Items: {title, is_first_agenda, speaker, notes}; at most one 第一议题."""
    items = [i for i in items if (i.get("title") or "").strip()]
    if sum(1 for i in items if i.get("is_first_agenda")) > 1:
        raise ValidationError({"agenda": "只能有一个第一议题"})
    meeting.agenda.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            order=n,
            title=i["title"].strip()[:300],
            is_first_agenda=bool(i.get("is_first_agenda")),
            speaker=(i.get("speaker") or "").strip()[:100],
            notes=(i.get("notes") or "").strip(),
        )
        for n, i in enumerate(items, start=1)
    )


@transaction.atomic
def sync_expected_attendees(meeting: Meeting) -> None:
    """Expected attendees follow membership on the meeting day. Rows of people no longer expected are removed
    unless something was recorded for them (a sign-in or a leave), which then stays as an observer's."""
    expected = set(
        expected_members(meeting.organization, meeting.kind, meeting.held_on).values_list("pk", flat=True)
    )
    rows = {a.member_id: a for a in meeting.attendances.all()}
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member_id=pk, role=AttendanceRole.ATTENDEE) for pk in expected - set(rows)
    )
    for member_id, row in rows.items():
        if row.role == AttendanceRole.ATTENDEE and member_id not in expected:
            if row.status == AttendanceStatus.ABSENT and not row.checked_in_at:
                row.delete()
            else:
                row.role = AttendanceRole.OBSERVER
                row.save(update_fields=["role", "updated_at"])
        elif row.role == AttendanceRole.OBSERVER and member_id in expected:
            row.role = AttendanceRole.ATTENDEE
            row.save(update_fields=["role", "updated_at"])
    refresh_counts(meeting)


def _is_dual_life(meeting: Meeting, member: Member) -> bool:
    return (
        member.is_leader
        and meeting.kind in BRANCH_LIFE_KINDS
        and meeting.organization_id in {member.organization_id, member.group_id}
    )


def _attendance_changed(meeting: Meeting, member_ids=None, *, by=None) -> None:
    """What attendance earns elsewhere follows it: 学时 for learning meetings, points for every meeting."""
    hours_services.sync_meeting_hours(meeting, member_ids, by=by)
    points_services.sync_meeting_points(meeting, member_ids, by=by)


@transaction.atomic
def sign_in(
    meeting: Meeting,
    member: Member,
    *,
    method: str = SignInMethod.QR,
    by=None,
    at=None,
    may_observe: bool = False,
) -> tuple[Attendance, bool]:
    """Mark a member present. Idempotent: a second scan returns the first sign-in. Returns (row, created_now).

    Someone not expected is refused unless registered as an observer beforehand or `may_observe` (the caller
    has established that he works for a superior organisation: 列席旁听)."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("本次会议已取消")
    at = at or timezone.now()
    row = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
    if row is None:
        if not may_observe:
            raise ValidationError("您不是本次会议的参会人员，请确认是否扫错了会议的签到码")
        row = Attendance(meeting=meeting, member=member, role=AttendanceRole.OBSERVER)
    elif row.status == AttendanceStatus.PRESENT:
        return row, False
    row.status = AttendanceStatus.PRESENT
    row.checked_in_at = at
    row.method = method
    row.leave_reason = ""
    row.dual_life = _is_dual_life(meeting, member)
    row.recorded_by = by
    row.save()
    refresh_counts(meeting)
    refresh_life_stats([member.pk])
    _attendance_changed(meeting, [member.pk], by=by)
    return row, True


@transaction.atomic
def sign_in_many(
    meeting: Meeting, members: list[Member], *, method: str = SignInMethod.MANUAL, by=None, at=None
) -> int:
    """The recorder's "全部出席": mark many expected attendees present at once (one count and one statistics
    refresh instead of one per person). Members already present keep their own sign-in time."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("本次会议已取消")
    at = at or timezone.now()
    by_id = {m.pk: m for m in members}
    rows = list(
        Attendance.objects.select_for_update()
        .filter(meeting=meeting, member_id__in=by_id)
        .exclude(status=AttendanceStatus.PRESENT)
    )
    for row in rows:
        row.status, row.checked_in_at, row.method, row.leave_reason = AttendanceStatus.PRESENT, at, method, ""
        row.dual_life = _is_dual_life(meeting, by_id[row.member_id])
        row.recorded_by = by
        row.updated_at = timezone.now()
    Attendance.objects.bulk_update(
        rows, ["status", "checked_in_at", "method", "leave_reason", "dual_life", "recorded_by", "updated_at"]
    )
    refresh_counts(meeting)
    refresh_life_stats([row.member_id for row in rows])
    _attendance_changed(meeting, [row.member_id for row in rows], by=by)
    return len(rows)


@transaction.atomic
def mark_attendance(
    meeting: Meeting, member: Member, status: str, *, reason: str = "", by=None
) -> Attendance:
    """The recorder's hand: present (补签, recorded as manual), leave with its reason, or absent."""
    if status == AttendanceStatus.PRESENT:
        row, _ = sign_in(meeting, member, method=SignInMethod.MANUAL, by=by)
        return row
    row = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
    if row is None:
        raise ValidationError(f"{member.name}不在本次会议的参会人员中")
    if status == AttendanceStatus.LEAVE and not reason.strip():
        raise ValidationError({"reason": "请填写请假事由"})
    row.status = status
    row.leave_reason = reason.strip() if status == AttendanceStatus.LEAVE else ""
    row.checked_in_at = None
    row.method = ""
    row.dual_life = False
    row.recorded_by = by
    row.save()
    refresh_counts(meeting)
    refresh_life_stats([member.pk])
    _attendance_changed(meeting, [member.pk], by=by)
    return row


@transaction.atomic
def request_leave(meeting: Meeting, member: Member, reason: str) -> Attendance:
    """A member asks for leave before the meeting, from his phone."""
    if meeting.status != MeetingStatus.PLANNED or meeting.ends_at < timezone.now():
        raise ValidationError("会议已召开或已结束，请联系支部书记")
    row = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
    if row is None:
        raise ValidationError("您不是本次会议的参会人员")
    if row.status == AttendanceStatus.PRESENT:
        raise ValidationError("您已签到，无需请假")
    if not reason.strip():
        raise ValidationError({"reason": "请填写请假事由"})
    row.status = AttendanceStatus.LEAVE
    row.leave_reason = reason.strip()[:200]
    row.leave_requested_at = timezone.now()
    row.save()
    refresh_counts(meeting)
    return row


@transaction.atomic
def add_observer(meeting: Meeting, member: Member, *, by=None) -> Attendance:
    row, created = Attendance.objects.get_or_create(
        meeting=meeting, member=member, defaults={"role": AttendanceRole.OBSERVER, "recorded_by": by}
    )
    if not created and row.role != AttendanceRole.OBSERVER:
        raise ValidationError(f"{member.name}是本次会议的应到人员")
    refresh_counts(meeting)
    return row


@transaction.atomic
def mark_held(meeting: Meeting, *, by=None) -> Meeting:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("已取消的会议不能标记为已召开")
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status", "updated_at"])
    refresh_life_stats(list(meeting.attendances.values_list("member_id", flat=True)))
    _attendance_changed(meeting, by=by)  # absences without leave count once the meeting is held
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, reason: str = "", by=None) -> Meeting:
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError("已召开的会议不能取消")
    meeting.status = MeetingStatus.CANCELLED
    if reason:
        meeting.decisions = (meeting.decisions + f"\n取消原因：{reason}").strip()
    meeting.save(update_fields=["status", "decisions", "updated_at"])
    _attendance_changed(meeting, by=by)
    return meeting


def rotate_signin_key(meeting: Meeting) -> Meeting:
    """Void every QR code of this meeting already shown or photographed."""
    meeting.signin_key = new_signin_key()
    meeting.save(update_fields=["signin_key", "updated_at"])
    return meeting


def refresh_counts(meeting: Meeting) -> None:
    counts = meeting.attendances.aggregate(
        expected=Count("pk", filter=Q(role=AttendanceRole.ATTENDEE)),
        present=Count("pk", filter=Q(role=AttendanceRole.ATTENDEE, status=AttendanceStatus.PRESENT)),
        leave=Count("pk", filter=Q(role=AttendanceRole.ATTENDEE, status=AttendanceStatus.LEAVE)),
        absent=Count("pk", filter=Q(role=AttendanceRole.ATTENDEE, status=AttendanceStatus.ABSENT)),
        observers=Count("pk", filter=Q(role=AttendanceRole.OBSERVER)),
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        expected_count=counts["expected"],
        present_count=counts["present"],
        leave_count=counts["leave"],
        absent_count=counts["absent"],
        observer_count=counts["observers"],
    )
    meeting.expected_count, meeting.present_count = counts["expected"], counts["present"]
    meeting.leave_count, meeting.absent_count = counts["leave"], counts["absent"]
    meeting.observer_count = counts["observers"]


def refresh_life_stats(member_ids: list[int]) -> None:
    """Recompute each member's last attendance and current run of unexcused absences from his held meetings.
    Recomputed rather than incremented, so that a meeting recorded late still lands in the right order."""
    if not member_ids:
        return
    rows = (
        Attendance.objects.filter(
            member_id__in=member_ids, role=AttendanceRole.ATTENDEE, meeting__status=MeetingStatus.HELD
        )
        .order_by("member_id", "-meeting__held_on", "-meeting__starts_at", "-meeting_id")
        .values_list("member_id", "status", "meeting__held_on")
    )
    history: dict[int, list[tuple[str, datetime.date]]] = defaultdict(list)
    for member_id, status, day in rows:
        history[member_id].append((status, day))
    present_days = dict(
        Attendance.objects.filter(
            member_id__in=member_ids, status=AttendanceStatus.PRESENT, meeting__status=MeetingStatus.HELD
        )
        .values_list("member_id")
        .annotate(last=Max("meeting__held_on"))
        .values_list("member_id", "last")
    )
    existing = set(
        MemberLifeStats.objects.filter(member_id__in=member_ids).values_list("member_id", flat=True)
    )
    to_create, to_update = [], []
    now = timezone.now()
    for member_id in set(member_ids):
        items = history.get(member_id, [])
        streak = 0
        for status, _ in items:
            if status == AttendanceStatus.ABSENT:
                streak += 1
            elif status == AttendanceStatus.PRESENT:
                break
            # a leave neither breaks nor extends a run of absences
        stats = MemberLifeStats(
            member_id=member_id,
            last_present_on=present_days.get(member_id),
            last_expected_on=items[0][1] if items else None,
            consecutive_absences=min(streak, 32767),
            updated_at=now,  # bulk_update does not apply auto_now
        )
        (to_update if member_id in existing else to_create).append(stats)
    MemberLifeStats.objects.bulk_create(to_create)
    MemberLifeStats.objects.bulk_update(
        to_update, ["last_present_on", "last_expected_on", "consecutive_absences", "updated_at"]
    )


# --- attachments --------------------------------------------------------------------------------------------
ATTACHMENT_TYPES = {
    "jpg": ("image/jpeg", "照片"),
    "png": ("image/png", "照片"),
    "pdf": ("application/pdf", "PDF"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word 文档"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel 表格"),
}


def sniff_type(head: bytes, data_for_zip) -> str | None:
    """What a file really is, from its first bytes (never from its name or the browser's word)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(data_for_zip) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


@transaction.atomic
def attach_file(meeting: Meeting, upload, *, by=None) -> Attachment:
    limit = getattr(settings, "MEETING_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
    if upload.size > limit:
        raise ValidationError(f"文件“{upload.name}”超过 {limit // (1024 * 1024)} MB")
    upload.seek(0)
    data = upload.read()
    kind = sniff_type(data[:16], io.BytesIO(data))
    if kind is None:
        raise ValidationError(
            f"文件“{upload.name}”不是照片（JPG/PNG）、PDF、Word（docx）或 Excel（xlsx），不能上传"
        )
    upload.seek(0)
    attachment = Attachment(
        meeting=meeting,
        original_name=upload.name[-200:],
        content_type=ATTACHMENT_TYPES[kind][0],
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment
