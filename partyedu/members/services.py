"""Every write to the roster. Forms, the importer, the API and the seeder all come through here."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partyedu.core.cn import (
    birth_date_from_citizen_id,
    gender_from_citizen_id,
    normalize_name,
    validate_citizen_id,
    validate_mobile,
)
from partyedu.orgs.models import Organization, OrganizationKind

from .models import PIPELINE, STAGE_LABELS, Member, MembershipPeriod, MemberStatus

MEMBER_FIELDS = {
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "education",
    "citizen_id",
    "mobile",
    "unit_name",
    "post",
    "is_leader",
    "status",
    "applied_on",
    "activist_on",
    "candidate_on",
    "probationary_on",
    "full_on",
    "joined_on",
    "is_retired",
    "is_mobile",
    "needs_home_delivery",
    "organization",
    "group",
}


def pipeline_errors(data: dict) -> dict[str, str]:
    """The dates of the development pipeline must not run backwards, and the current stage must be dated
    no earlier than the stages before it. Returns field → Chinese message."""
    errors: dict[str, str] = {}
    previous_field, previous_date = None, None
    for _, field in PIPELINE:
        day = data.get(field)
        if day is None:
            continue
        if previous_date and day < previous_date:
            errors[field] = f"{STAGE_LABELS[field]}不能早于{STAGE_LABELS[previous_field]}"
        previous_field, previous_date = field, day
    birth = data.get("birth_date")
    for _, field in PIPELINE:
        day = data.get(field)
        if day and birth and day < birth:
            errors.setdefault(field, f"{STAGE_LABELS[field]}不能早于出生日期")
    today = timezone.localdate()
    for _, field in PIPELINE:
        day = data.get(field)
        if day and day > today:
            errors.setdefault(field, f"{STAGE_LABELS[field]}不能晚于今天")
    status = data.get("status")
    if status:
        reached = [s for s, _ in PIPELINE].index(MemberStatus(status))
        later = [f for _, f in PIPELINE[reached + 1 :] if data.get(f)]
        if later:
            errors.setdefault(
                later[0], f"人员类别为“{MemberStatus(status).label}”，不应填写{STAGE_LABELS[later[0]]}"
            )
    return errors


def clean_member_data(data: dict, *, instance: Member | None = None) -> dict:
    """Normalise and validate a member's fields; raises ValidationError({field: message}) in Chinese."""
    errors: dict[str, str] = {}
    cleaned = dict(data)
    name = normalize_name(cleaned.get("name"))
    if not name:
        errors["name"] = "姓名不能为空"
    cleaned["name"] = name
    raw_id = cleaned.get("citizen_id")
    if not raw_id:
        errors["citizen_id"] = "身份证号不能为空"
    else:
        try:
            cleaned["citizen_id"] = validate_citizen_id(raw_id)
        except ValueError as exc:
            errors["citizen_id"] = str(exc)
    if "citizen_id" not in errors:
        taken = Member.objects.filter(citizen_id=cleaned["citizen_id"])
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            errors["citizen_id"] = "该身份证号已在花名册中"
        else:
            id_birth = birth_date_from_citizen_id(cleaned["citizen_id"])
            if cleaned.get("birth_date") is None:
                cleaned["birth_date"] = id_birth
            elif cleaned["birth_date"] != id_birth:
                errors["birth_date"] = f"出生日期与身份证号不一致（身份证为 {id_birth:%Y-%m-%d}）"
            id_gender = gender_from_citizen_id(cleaned["citizen_id"])
            if not cleaned.get("gender"):
                cleaned["gender"] = id_gender
            elif cleaned["gender"] != id_gender:
                errors["gender"] = "性别与身份证号不一致"
    if cleaned.get("mobile"):
        try:
            cleaned["mobile"] = validate_mobile(cleaned["mobile"])
        except ValueError as exc:
            errors["mobile"] = str(exc)
    else:
        cleaned["mobile"] = ""
    if not cleaned.get("status"):
        cleaned["status"] = MemberStatus.FULL
    org = cleaned.get("organization")
    if org is None:
        errors["organization"] = "所在党组织不能为空"
    elif not org.holds_members:
        errors["organization"] = f"党员应编入党支部，不能编入{org.get_kind_display()}"
    elif org.is_dissolved:
        errors["organization"] = f"“{org.name}”已撤销"
    group = cleaned.get("group")
    if (
        group is not None
        and org is not None
        and (group.kind != OrganizationKind.GROUP or group.parent_id != org.pk)
    ):
        errors["group"] = f"党小组“{group.name}”不属于{org.name}"
    if cleaned.get("status") in {MemberStatus.PROBATIONARY, MemberStatus.FULL} and not cleaned.get(
        "joined_on"
    ):
        cleaned["joined_on"] = cleaned.get("probationary_on")
    for field, message in pipeline_errors(cleaned).items():
        errors.setdefault(field, message)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def create_member(
    *, by=None, started_on: datetime.date | None = None, reason: str = "新增", **data
) -> Member:
    unknown = set(data) - MEMBER_FIELDS
    if unknown:
        raise ValueError(f"unknown member fields: {unknown}")
    cleaned = clean_member_data(data)
    member = Member.objects.create(**cleaned)
    MembershipPeriod.objects.create(
        member=member,
        organization=member.organization,
        group=member.group,
        started_on=started_on or timezone.localdate(),
        reason=reason,
        recorded_by=by,
    )
    return member


@transaction.atomic
def update_member(member: Member, *, by=None, **data) -> Member:
    """Change a member's particulars. Changing the organisation here is a transfer and is recorded as one."""
    unknown = set(data) - MEMBER_FIELDS
    if unknown:
        raise ValueError(f"unknown member fields: {unknown}")
    current = {field: getattr(member, field) for field in MEMBER_FIELDS}
    current.update(data)
    cleaned = clean_member_data(current, instance=member)
    new_org, new_group = cleaned.pop("organization"), cleaned.pop("group")
    for field, value in cleaned.items():
        setattr(member, field, value)
    member.save()
    if new_org.pk != member.organization_id or (new_group and new_group.pk) != member.group_id:
        transfer_member(member, new_org, group=new_group, by=by, reason="信息修改")
    return member


@transaction.atomic
def transfer_member(
    member: Member,
    organization: Organization,
    *,
    group: Organization | None = None,
    on: datetime.date | None = None,
    by=None,
    reason: str = "组织关系转接",
) -> Member:
    on = on or timezone.localdate()
    if not organization.holds_members:
        raise ValidationError(
            {"organization": f"党员应编入党支部，不能编入{organization.get_kind_display()}"}
        )
    if organization.is_dissolved:
        raise ValidationError({"organization": f"“{organization.name}”已撤销"})
    if group is not None and (group.kind != OrganizationKind.GROUP or group.parent_id != organization.pk):
        raise ValidationError({"group": f"党小组“{group.name}”不属于{organization.name}"})
    if member.organization_id == organization.pk and member.group_id == (group.pk if group else None):
        raise ValidationError({"organization": "党员已在该组织"})
    open_period = (
        MembershipPeriod.objects.select_for_update().filter(member=member, ended_on__isnull=True).first()
    )
    if open_period is not None:
        if on < open_period.started_on:
            raise ValidationError({"on": "转接日期不能早于进入现组织的日期"})
        open_period.ended_on = on
        open_period.save(update_fields=["ended_on"])
    MembershipPeriod.objects.create(
        member=member, organization=organization, group=group, started_on=on, reason=reason, recorded_by=by
    )
    Member.objects.filter(pk=member.pk).update(
        organization=organization, group=group, updated_at=timezone.now()
    )
    member.organization, member.group = organization, group
    # An explicit call rather than a signal, so that reading a transfer shows everything it does.
    from partyedu.accounts.services import follow_member_transfer

    follow_member_transfer(member, by=by)
    return member


@transaction.atomic
def record_leaving(member: Member, *, on: datetime.date, reason: str, by=None) -> Member:
    """The person leaves the roster (say, 取消预备党员资格): his open membership period ends on `on`; his
    record and history stay."""
    if member.left_on is not None:
        raise ValidationError({"left_on": f"{member.name}已于{member.left_on:%Y-%m-%d}离开"})
    open_period = (
        MembershipPeriod.objects.select_for_update().filter(member=member, ended_on__isnull=True).first()
    )
    if open_period is not None:
        # A roster entered after the fact starts its periods on the day of entry; the period cannot end before.
        open_period.ended_on = max(on, open_period.started_on)
        open_period.save(update_fields=["ended_on"])
    member.left_on, member.left_reason = on, reason[:100]
    Member.objects.filter(pk=member.pk).update(
        left_on=on, left_reason=member.left_reason, updated_at=timezone.now()
    )
    return member
