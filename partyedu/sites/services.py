"""Every write on education sites and their bookings."""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.meetings import services as meeting_services
from partyedu.meetings.models import MeetingKind
from partyedu.orgs.models import Organization

from .models import HOLDING, BookingStatus, EducationSite, SiteBooking, SiteClosure, SitePhoto, SiteStatus

SITE_FIELDS = (
    "name",
    "address",
    "history_events",
    "heroes",
    "spirit",
    "artefacts",
    "capacity",
    "open_weekdays",
    "opens_at",
    "closes_at",
    "host",
)
PHOTO_TYPES = {"jpg": "image/jpeg", "png": "image/png"}


# --- who may -------------------------------------------------------------------------------------------------
def can_manage_site(user, site: EducationSite) -> bool:
    """Committee admins (their scope covers every host) and the workers of the host unit."""
    return Access.of(user).can_org(C.CHANGE_MEMBERS, site.host)


def can_view_booking(user, booking: SiteBooking) -> bool:
    return Access.of(user).can_org(C.VIEW_ORG, booking.organization) or can_manage_site(user, booking.site)


def can_change_booking(user, booking: SiteBooking) -> bool:
    return Access.of(user).can_org(C.CHANGE_MEMBERS, booking.organization)


def _require_manager(user, site: EducationSite) -> None:
    if user is not None and not can_manage_site(user, site):
        raise PermissionDenied("只有管理单位的党务工作者或机关工委管理员可以管理该基地")


# --- the catalogue -------------------------------------------------------------------------------------------
def _clean_site(fields: dict) -> None:
    errors = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = "请填写基地名称"
    if fields.get("opens_at") and fields.get("closes_at") and fields["closes_at"] <= fields["opens_at"]:
        errors["closes_at"] = "闭馆时间应晚于开放时间"
    if fields.get("capacity") is not None and fields["capacity"] < 1:
        errors["capacity"] = "接待人数至少 1 人"
    days = fields.get("open_weekdays")
    if days is not None and (not days or any(d not in "1234567" for d in days)):
        errors["open_weekdays"] = "请至少选择一个开放日"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_site(*, by=None, **fields) -> EducationSite:
    fields = {k: v for k, v in fields.items() if k in SITE_FIELDS}
    fields["open_weekdays"] = "".join(sorted(set(fields.get("open_weekdays") or "")))
    _clean_site(fields)
    host = fields["host"]
    if by is not None and not Access.of(by).can_org(C.CHANGE_MEMBERS, host):
        raise PermissionDenied("只能为本单位登记教育基地")
    return EducationSite.objects.create(**fields)


@transaction.atomic
def update_site(site: EducationSite, *, by=None, **fields) -> EducationSite:
    _require_manager(by, site)
    fields = {k: v for k, v in fields.items() if k in SITE_FIELDS}
    if "open_weekdays" in fields:
        fields["open_weekdays"] = "".join(sorted(set(fields["open_weekdays"] or "")))
    if "host" in fields and by is not None and not Access.of(by).can_org(C.CHANGE_MEMBERS, fields["host"]):
        raise PermissionDenied("不能把基地移交给本单位以外的组织管理")
    for key, value in fields.items():
        setattr(site, key, value)
    _clean_site({k: getattr(site, k) for k in SITE_FIELDS if k != "host"})
    site.save()
    return site


@transaction.atomic
def set_site_status(site: EducationSite, status: str, *, by=None) -> EducationSite:
    _require_manager(by, site)
    site.status = SiteStatus(status)
    site.save(update_fields=["status", "updated_at"])
    return site


@transaction.atomic
def add_closure(site: EducationSite, on: datetime.date, reason: str = "", *, by=None) -> SiteClosure:
    _require_manager(by, site)
    closure, _ = SiteClosure.objects.update_or_create(site=site, on=on, defaults={"reason": reason.strip()})
    return closure


@transaction.atomic
def add_photo(site: EducationSite, upload, caption: str = "", *, by=None) -> SitePhoto:
    _require_manager(by, site)
    limit = getattr(settings, "MEETING_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
    if upload.size > limit:
        raise ValidationError(f"照片“{upload.name}”超过 {limit // (1024 * 1024)} MB")
    upload.seek(0)
    data = upload.read()
    kind = meeting_services.sniff_type(data[:16], io.BytesIO(data))
    if kind not in PHOTO_TYPES:
        raise ValidationError(f"文件“{upload.name}”不是 JPG 或 PNG 照片，不能上传")
    upload.seek(0)
    photo = SitePhoto(
        site=site, content_type=PHOTO_TYPES[kind], caption=caption.strip()[:120], uploaded_by=by
    )
    photo.file.save(f"site-{site.pk}.{kind}", upload, save=False)
    photo.save()
    return photo


# --- bookings ------------------------------------------------------------------------------------------------
def _hm(t: datetime.time) -> str:
    return f"{t.hour}:{t.minute:02d}"


def booked_people(site: EducationSite, date, starts_at, ends_at, *, exclude_pk=None) -> int:
    """People of the bookings that hold places and overlap [starts_at, ends_at) on that day."""
    qs = SiteBooking.objects.filter(
        site=site, date=date, status__in=HOLDING, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(n=Sum("people"))["n"] or 0


def check_slot(site: EducationSite, date, starts_at, ends_at, people: int, *, exclude_pk=None) -> None:
    """Why a visit cannot take place then, in words the booker understands; nothing when it can."""
    if not site.is_active:
        raise ValidationError("该基地已关闭，暂不接受预约")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "结束时间应晚于开始时间"})
    if date < timezone.localdate():
        raise ValidationError({"date": "不能预约已经过去的日期"})
    if str(date.isoweekday()) not in site.open_weekdays:
        raise ValidationError({"date": f"该日不开放（开放时间：{site.hours_label}）"})
    if starts_at < site.opens_at or ends_at > site.closes_at:
        raise ValidationError({"starts_at": f"不在开放时间内（开放时间：{site.hours_label}）"})
    closure = SiteClosure.objects.filter(site=site, on=date).first()
    if closure:
        raise ValidationError(
            {"date": f"{date:%Y-%m-%d} 为闭馆日{f'（{closure.reason}）' if closure.reason else ''}"}
        )
    if people < 1:
        raise ValidationError({"people": "预计人数至少 1 人"})
    left = site.capacity - booked_people(site, date, starts_at, ends_at, exclude_pk=exclude_pk)
    if people > left:
        raise ValidationError({"people": f"该时段剩余名额不足（剩余 {max(left, 0)} 人）"})


@transaction.atomic
def book(
    *,
    site: EducationSite,
    organization: Organization,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    people: int,
    contact_name: str,
    contact_phone: str,
    purpose: str = "",
    by=None,
) -> SiteBooking:
    if by is not None and not Access.of(by).can_org(C.CHANGE_MEMBERS, organization):
        raise PermissionDenied("只能为本组织预约")
    # Lock the site row: two bookings checking the last places at the same time queue here, so the second
    # one counts the first and is refused.
    site = EducationSite.objects.select_for_update().get(pk=site.pk)
    if not (contact_name or "").strip() or not (contact_phone or "").strip():
        raise ValidationError({"contact_name": "请填写联系人和联系电话"})
    check_slot(site, date, starts_at, ends_at, people)
    return SiteBooking.objects.create(
        site=site,
        organization=organization,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        people=people,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        purpose=(purpose or "").strip(),
        booked_by=by,
    )


def _locked(booking: SiteBooking) -> SiteBooking:
    return (
        SiteBooking.objects.select_for_update()
        .select_related("site__host", "organization")
        .get(pk=booking.pk)
    )


@transaction.atomic
def confirm_booking(booking: SiteBooking, *, by=None) -> SiteBooking:
    booking = _locked(booking)
    _require_manager(by, booking.site)
    if booking.status != BookingStatus.PENDING:
        raise ValidationError(f"该预约{booking.get_status_display()}，不能再确认")
    booking.status = BookingStatus.CONFIRMED
    booking.decided_by, booking.decided_at = by, timezone.now()
    booking.save(update_fields=["status", "decided_by", "decided_at"])
    return booking


@transaction.atomic
def decline_booking(booking: SiteBooking, reason: str, *, by=None) -> SiteBooking:
    booking = _locked(booking)
    _require_manager(by, booking.site)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写谢绝原因，以便预约单位调整安排")
    if booking.status not in (BookingStatus.PENDING, BookingStatus.CONFIRMED):
        raise ValidationError(f"该预约{booking.get_status_display()}，不能再谢绝")
    booking.status, booking.decline_reason = BookingStatus.DECLINED, reason[:200]
    booking.decided_by, booking.decided_at = by, timezone.now()
    booking.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    return booking


def _require_booker(by, booking: SiteBooking) -> None:
    if by is not None and not can_change_booking(by, booking):
        raise PermissionDenied("只有预约单位的党务工作者可以操作")


@transaction.atomic
def cancel_booking(booking: SiteBooking, *, by=None) -> SiteBooking:
    booking = _locked(booking)
    _require_booker(by, booking)
    if booking.status not in (BookingStatus.PENDING, BookingStatus.CONFIRMED):
        raise ValidationError(f"该预约{booking.get_status_display()}，不能取消")
    if booking.date <= timezone.localdate():
        raise ValidationError("当天及以后的预约不能在线取消，请直接联系基地")
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status"])
    return booking


def _may_complete(booking: SiteBooking) -> None:
    if booking.status not in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED):
        raise ValidationError(f"该预约{booking.get_status_display()}，不能生成现场教学记录")
    if booking.date > timezone.localdate():
        raise ValidationError("参观日期还没到，不能标记完成")


@transaction.atomic
def mark_done(booking: SiteBooking, *, by=None) -> SiteBooking:
    booking = _locked(booking)
    _require_booker(by, booking)
    _may_complete(booking)
    booking.status = BookingStatus.COMPLETED
    booking.save(update_fields=["status"])
    return booking


def _at(date: datetime.date, t: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, t))


@transaction.atomic
def create_visit_meeting(booking: SiteBooking, *, by=None):
    """“生成现场教学记录”: the booking becomes its organisation's 现场教学 meeting, once.

    The booking row is locked first, so a double click waits and then finds the meeting already linked.
    """
    booking = _locked(booking)
    _require_booker(by, booking)
    if booking.meeting_id:
        return booking.meeting
    _may_complete(booking)
    starts, ends = _at(booking.date, booking.starts_at), _at(booking.date, booking.ends_at)
    meeting = meeting_services.create_meeting(
        organization=booking.organization,
        kind=MeetingKind.SITE_VISIT,
        theme=f"赴{booking.site.name}开展现场教学",
        starts_at=starts,
        ends_at=ends,
        place=booking.site.name,
        held=starts <= timezone.now(),
        by=by,
    )
    booking.meeting = meeting
    booking.status = BookingStatus.COMPLETED
    booking.save(update_fields=["meeting", "status"])
    return meeting
