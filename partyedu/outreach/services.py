"""Every write of 送学上门: recording a delivery (which credits its 学时) and voiding one (which withdraws them)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.hours import services as hours_services
from partyedu.hours.models import HoursSource
from partyedu.members.models import Member, MemberStatus

from .models import HomeDelivery

MAX_MINUTES = 480
DAYS_BACK = 366
ELIGIBLE_STATUSES = {MemberStatus.FULL, MemberStatus.PROBATIONARY}


def can_record_for(user, member: Member) -> bool:
    """The workers who keep a member's roster entry (his secretary, his unit's party worker, the committee)."""
    return Access.of(user).can_member(C.CHANGE_MEMBERS, member)


@transaction.atomic
def record_delivery(
    member: Member,
    *,
    by,
    delivered_on: datetime.date,
    summary: str,
    minutes: int,
    materials=(),
    items: str = "",
    companions: str = "",
    feedback: str = "",
    override_reason: str = "",
    today: datetime.date | None = None,
) -> HomeDelivery:
    """A worker brought learning to a member's home. It counts as study: `minutes` become 学时 on that day."""
    if not can_record_for(by, member):
        raise PermissionDenied("只有该党员所在党组织的党务工作者可以登记送学上门")
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    summary, items = (summary or "").strip(), (items or "").strip()
    override_reason = (override_reason or "").strip()
    if member.left_on is not None:
        errors["__all__"] = f"{member.name}已不在册，不能登记送学上门"
    elif member.status not in ELIGIBLE_STATUSES:
        errors["__all__"] = "送学上门登记的是正式党员和预备党员的学习"
    if not member.needs_home_delivery and not override_reason:
        errors["override_reason"] = (
            f"{member.name}在花名册中未标记“行动不便需送学上门”，请说明本次送学上门的原因"
        )
    if delivered_on > today:
        errors["delivered_on"] = "送学日期不能晚于今天"
    elif delivered_on < today - datetime.timedelta(days=DAYS_BACK):
        errors["delivered_on"] = "只能补录一年以内的送学上门"
    if not summary:
        errors["summary"] = "请填写学习内容"
    materials = list(materials or [])
    if not materials and not items:
        errors["items"] = "请选择或填写带去的学习资料"
    if not minutes or minutes < 1:
        errors["minutes"] = "请填写学习时长"
    elif minutes > MAX_MINUTES:
        errors["minutes"] = f"一次送学上门不超过 {MAX_MINUTES} 分钟"
    if errors:
        raise ValidationError(errors)
    hours = hours_services.hours_from_seconds(minutes * 60)
    delivery = HomeDelivery.objects.create(
        member=member,
        organization=member.organization,
        delivered_on=delivered_on,
        items=items[:300],
        summary=summary,
        delivered_by=by,
        companions=(companions or "").strip()[:200],
        minutes=minutes,
        hours=hours,
        feedback=(feedback or "").strip(),
        override_reason="" if member.needs_home_delivery else override_reason[:200],
    )
    if materials:
        delivery.materials.set(materials)
    hours_services.credit(
        member,
        source=HoursSource.HOME_DELIVERY,
        key=delivery.hours_key,
        hours=hours,
        on=delivered_on,
        title=delivery.title,
        by=by,
    )
    return delivery


@transaction.atomic
def void_delivery(delivery: HomeDelivery, *, by, reason: str) -> HomeDelivery:
    """A delivery recorded by mistake (wrong member, never happened) is voided, never deleted: the record stays,
    marked void with the reason, and its 学时 are withdrawn by a correction row."""
    delivery = (
        HomeDelivery.objects.select_for_update().select_related("member__organization").get(pk=delivery.pk)
    )
    if not can_record_for(by, delivery.member):
        raise PermissionDenied("只有该党员所在党组织的党务工作者可以作废送学上门记录")
    if delivery.is_void:
        raise ValidationError("该记录已作废")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写作废原因"})
    delivery.voided_at = timezone.now()
    delivery.voided_by = by
    delivery.void_reason = reason[:200]
    delivery.save(update_fields=["voided_at", "voided_by", "void_reason"])
    hours_services.credit(
        delivery.member,
        source=HoursSource.HOME_DELIVERY,
        key=delivery.hours_key,
        hours=0,
        on=delivery.delivered_on,
        title=delivery.title,
        note=f"作废：{reason}"[:200],
        by=by,
    )
    return delivery
