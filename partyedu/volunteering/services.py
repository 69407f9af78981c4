"""Every write of 志愿服务 and 双报到. Confirming a record credits 积分 (`EventKind.VOLUNTEER_HOUR`, quantity =
hours, one source key per record); rejecting a confirmed one takes them back."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from partyedu.points import services as points
from partyedu.points.models import EventKind

from .models import (
    CheckInKind,
    Community,
    CommunityCheckIn,
    RecordStatus,
    Theme,
    VolunteerActivity,
    VolunteerRecord,
)

MAX_HOURS_PER_RECORD = Decimal("24")
EVIDENCE_EXTENSIONS = {"jpg", "jpeg", "png", "webp", "gif", "heic"}
EVIDENCE_MAX_BYTES = 8 * 1024 * 1024


# --- communities ------------------------------------------------------------------------------------------------
@transaction.atomic
def save_community(
    *, name: str, street: str = "", contact_name: str = "", contact_phone: str = "", community=None
) -> Community:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写社区名称"})
    clash = Community.objects.filter(name=name)
    if community is not None:
        clash = clash.exclude(pk=community.pk)
    if clash.exists():
        raise ValidationError({"name": f"已有名为“{name}”的社区"})
    community = community or Community()
    community.name = name[:100]
    community.street = (street or "").strip()[:100]
    community.contact_name = (contact_name or "").strip()[:50]
    community.contact_phone = (contact_phone or "").strip()[:30]
    community.save()
    return community


# --- 双报到 ----------------------------------------------------------------------------------------------------
def _check_day(day: datetime.date | None) -> datetime.date:
    if day is None:
        raise ValidationError({"registered_on": "请填写报到日期"})
    if day > timezone.localdate():
        raise ValidationError({"registered_on": "报到日期不能晚于今天"})
    return day


@transaction.atomic
def register_organization(organization, community: Community, *, registered_on, note: str = "", by=None):
    """单位党组织到社区报到; registering again moves the organisation to the new community."""
    registered_on = _check_day(registered_on)
    checkin, _ = CommunityCheckIn.objects.update_or_create(
        kind=CheckInKind.ORGANIZATION,
        organization=organization,
        defaults={
            "community": community,
            "registered_on": registered_on,
            "note": (note or "")[:200],
            "recorded_by": by if getattr(by, "is_authenticated", False) else None,
        },
    )
    return checkin


@transaction.atomic
def register_member(member, community: Community, *, registered_on, note: str = "", by=None):
    """在职党员到社区报到 with the community he lives in; again, after a move, replaces the registration."""
    registered_on = _check_day(registered_on)
    if member.left_on is not None:
        raise ValidationError("该人员已不在党组织花名册中")
    checkin, _ = CommunityCheckIn.objects.update_or_create(
        kind=CheckInKind.MEMBER,
        member=member,
        defaults={
            "organization_id": member.organization_id,
            "community": community,
            "registered_on": registered_on,
            "note": (note or "")[:200],
            "recorded_by": by if getattr(by, "is_authenticated", False) else None,
        },
    )
    return checkin


# --- activities -------------------------------------------------------------------------------------------------
def _clean_activity(fields: dict) -> dict:
    errors = {}
    if not (fields.get("title") or "").strip():
        errors["title"] = "请填写活动名称"
    if fields.get("theme") not in Theme.values:
        errors["theme"] = "请选择服务主题"
    if not (fields.get("place") or "").strip():
        errors["place"] = "请填写活动地点"
    starts, ends = fields.get("starts_at"), fields.get("ends_at")
    if starts is None:
        errors["starts_at"] = "请填写开始时间"
    if ends is None:
        errors["ends_at"] = "请填写结束时间"
    if starts and ends and ends <= starts:
        errors["ends_at"] = "结束时间须晚于开始时间"
    elif starts and ends and ends - starts > datetime.timedelta(hours=24):
        errors["ends_at"] = "一次活动不能超过24小时，多日活动请分次发布"
    organizer, open_to = fields.get("organizer"), fields.get("open_to")
    if organizer is None:
        errors["organizer"] = "请选择组织单位"
    if open_to is None:
        errors["open_to"] = "请选择面向范围"
    capacity = fields.get("capacity")
    if capacity is not None and capacity < 1:
        errors["capacity"] = "招募人数至少为1，不限请留空"
    if errors:
        raise ValidationError(errors)
    fields["title"] = fields["title"].strip()
    fields["place"] = fields["place"].strip()
    return fields


@transaction.atomic
def create_activity(*, by=None, **fields) -> VolunteerActivity:
    fields = _clean_activity(fields)
    return VolunteerActivity.objects.create(
        created_by=by if getattr(by, "is_authenticated", False) else None, **fields
    )


@transaction.atomic
def update_activity(activity: VolunteerActivity, **fields) -> VolunteerActivity:
    merged = {
        f: getattr(activity, f)
        for f in (
            "title",
            "theme",
            "organizer",
            "open_to",
            "place",
            "starts_at",
            "ends_at",
            "capacity",
            "description",
            "community",
        )
    }
    merged.update(fields)
    merged = _clean_activity(merged)
    for name, value in merged.items():
        setattr(activity, name, value)
    activity.save()
    # Pending sign-ups follow the new times; confirmed ones keep what was confirmed.
    activity.records.filter(status=RecordStatus.PENDING).update(
        title=activity.title, theme=activity.theme, served_on=timezone.localdate(activity.starts_at)
    )
    return activity


def may_join(activity: VolunteerActivity, member) -> bool:
    return member.organization.path.startswith(activity.open_to.path)


@transaction.atomic
def sign_up(activity: VolunteerActivity, member) -> VolunteerRecord:
    """A member signs up; the record waits for the organiser to confirm that he came and for how long."""
    activity = (
        VolunteerActivity.objects.select_for_update(of=("self",))
        .select_related("open_to")
        .get(pk=activity.pk)
    )
    if member.left_on is not None or not may_join(activity, member):
        raise ValidationError("该活动不面向您所在的党组织")
    if activity.has_started():
        raise ValidationError("活动已经开始，不能再报名")
    existing = VolunteerRecord.objects.filter(activity=activity, member=member).first()
    if existing is not None:
        return existing
    if activity.capacity is not None and activity.records.count() >= activity.capacity:
        raise ValidationError("报名人数已满")
    try:
        with transaction.atomic():
            return VolunteerRecord.objects.create(
                member=member,
                organization_id=member.organization_id,
                activity=activity,
                title=activity.title,
                theme=activity.theme,
                served_on=timezone.localdate(activity.starts_at),
                hours=activity.default_hours or Decimal("0.5"),
            )
    except IntegrityError:  # a double tap
        return VolunteerRecord.objects.get(activity=activity, member=member)


@transaction.atomic
def withdraw(activity: VolunteerActivity, member) -> None:
    """Cancel a sign-up before the activity starts (after that, the organiser decides)."""
    record = VolunteerRecord.objects.filter(activity=activity, member=member).first()
    if record is None:
        return
    if activity.has_started() or record.status != RecordStatus.PENDING:
        raise ValidationError("活动已经开始，不能取消报名，请联系组织单位")
    record.delete()


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"hours": "服务时长应为数字，如 2 或 1.5"}) from None
    if not hours.is_finite() or hours <= 0:
        raise ValidationError({"hours": "服务时长须大于0"})
    if hours > MAX_HOURS_PER_RECORD:
        raise ValidationError({"hours": "一条记录的服务时长不能超过24小时"})
    return hours


def _check_evidence(evidence) -> None:
    if not evidence:
        return
    name = getattr(evidence, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in EVIDENCE_EXTENSIONS:
        raise ValidationError({"evidence": "照片只支持 jpg、png、webp、gif、heic 格式"})
    if getattr(evidence, "size", 0) > EVIDENCE_MAX_BYTES:
        raise ValidationError({"evidence": "照片不能超过8MB"})


@transaction.atomic
def report_service(
    member, *, title: str, served_on, hours, theme: str = Theme.OTHER, description: str = "", evidence=None
) -> VolunteerRecord:
    """A member reports a service he did on his own (not through a published activity)."""
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写服务内容"
    if served_on is None:
        errors["served_on"] = "请填写服务日期"
    elif served_on > timezone.localdate():
        errors["served_on"] = "服务日期不能晚于今天"
    if theme not in Theme.values:
        errors["theme"] = "请选择服务主题"
    if errors:
        raise ValidationError(errors)
    hours = _hours(hours)
    _check_evidence(evidence)
    record = VolunteerRecord(
        member=member,
        organization_id=member.organization_id,
        title=title.strip()[:120],
        theme=theme,
        served_on=served_on,
        hours=hours,
        description=(description or "").strip(),
    )
    if evidence:
        record.evidence = evidence
    record.save()
    return record


def _credit(record: VolunteerRecord, by=None) -> None:
    points.award(
        record.member,
        EventKind.VOLUNTEER_HOUR,
        source_key=record.source_key,
        reason=f"志愿服务：{record.title}（{record.hours}小时）",
        occurred_at=timezone.make_aware(datetime.datetime.combine(record.served_on, datetime.time(12))),
        quantity=record.hours,
        operator=by,
    )


@transaction.atomic
def confirm(record: VolunteerRecord, *, by=None, hours=None) -> VolunteerRecord:
    """The organiser (or, for a self-reported service, the branch) confirms; points follow the hours.
    Confirming again with the same hours changes nothing; with other hours the old credit is taken back."""
    record = (
        VolunteerRecord.objects.select_for_update(of=("self",))
        .select_related("member__organization", "activity")
        .get(pk=record.pk)
    )
    if record.activity_id and not record.activity.has_started():
        raise ValidationError("活动尚未开始，不能确认服务时长")
    new_hours = _hours(hours) if hours not in (None, "") else record.hours
    if record.activity_id and record.status != RecordStatus.CONFIRMED:
        # the activity may have been moved since the sign-up: the service happened when it took place
        record.served_on = timezone.localdate(record.activity.starts_at)
    if record.status == RecordStatus.CONFIRMED:
        if new_hours == record.hours:
            _credit(record, by)  # idempotent: repairs a credit lost to a rule added later, else nothing
            return record
        points.revoke(record.member, source_key=record.source_key, reason="志愿服务时长更正", operator=by)
        record.credit_revision += 1
    record.hours = new_hours
    record.status = RecordStatus.CONFIRMED
    record.reject_reason = ""
    record.reviewed_by = by if getattr(by, "is_authenticated", False) else None
    record.reviewed_at = timezone.now()
    record.save()
    _credit(record, by)
    return record


@transaction.atomic
def reject(record: VolunteerRecord, *, reason: str, by=None) -> VolunteerRecord:
    """Not confirmed (did not come, not volunteer work...); after confirmation, the points are taken back."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写未通过的原因"})
    record = (
        VolunteerRecord.objects.select_for_update(of=("self",)).select_related("member").get(pk=record.pk)
    )
    if record.status == RecordStatus.CONFIRMED:
        points.revoke(
            record.member,
            source_key=record.source_key,
            reason=f"志愿服务记录未通过：{reason}"[:200],
            operator=by,
        )
        record.credit_revision += 1
    record.status = RecordStatus.REJECTED
    record.reject_reason = reason[:200]
    record.reviewed_by = by if getattr(by, "is_authenticated", False) else None
    record.reviewed_at = timezone.now()
    record.save()
    return record


@transaction.atomic
def confirm_all(activity: VolunteerActivity, *, by=None) -> int:
    """The organiser confirms every pending attendee of an activity with its default hours at once."""
    if not activity.has_started():
        raise ValidationError("活动尚未开始，不能确认服务时长")
    done = 0
    for record in activity.records.filter(status=RecordStatus.PENDING).select_related("member__organization"):
        confirm(record, by=by)
        done += 1
    return done
