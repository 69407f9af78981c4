"""Writes to the committee rosters: who sits on a branch committee (支委) or a unit's 中心组, from when to when.

The rosters decide who is expected at 支委会 and 中心组学习 (selectors.expected_members), so a change here also
re-derives the expected attendees of the planned meetings it touches; held meetings keep the record they have.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from partyedu.members.models import Member
from partyedu.orgs.models import Organization, OrganizationKind

from .models import CommitteeBody, CommitteeMember, Meeting, MeetingKind, MeetingStatus
from .services import sync_expected_attendees

# A branch (or general branch) elects a committee; a unit's 党委/党组 (and the 工委 itself) runs a 中心组.
BODY_FOR_ORG = {
    OrganizationKind.BRANCH: CommitteeBody.BRANCH_COMMITTEE,
    OrganizationKind.GENERAL_BRANCH: CommitteeBody.BRANCH_COMMITTEE,
    OrganizationKind.PARTY_COMMITTEE: CommitteeBody.CENTER_GROUP,
    OrganizationKind.PARTY_LEADERSHIP_GROUP: CommitteeBody.CENTER_GROUP,
    OrganizationKind.WORKING_COMMITTEE: CommitteeBody.CENTER_GROUP,
}
MEETING_KIND_FOR_BODY = {
    CommitteeBody.BRANCH_COMMITTEE: MeetingKind.BRANCH_COMMITTEE,
    CommitteeBody.CENTER_GROUP: MeetingKind.CENTER_GROUP_STUDY,
}
BODY_MEMBERS_LABEL = {
    CommitteeBody.BRANCH_COMMITTEE: "支委会成员",
    CommitteeBody.CENTER_GROUP: "中心组成员",
}


def body_for(organization: Organization) -> str | None:
    return BODY_FOR_ORG.get(organization.kind)


def _resync_planned(organization: Organization, body: str, since: datetime.date) -> None:
    planned = Meeting.objects.filter(
        organization=organization,
        kind=MEETING_KIND_FOR_BODY[body],
        status=MeetingStatus.PLANNED,
        held_on__gte=since,
    )
    for meeting in planned:
        sync_expected_attendees(meeting)


@transaction.atomic
def add_committee_member(
    *,
    organization: Organization,
    member: Member,
    started_on: datetime.date,
    position: str = "",
    by=None,
) -> CommitteeMember:
    body = body_for(organization)
    if body is None:
        raise ValidationError(f"{organization.get_kind_display()}没有支委会或中心组名单")
    errors = {}
    if member.left_on is not None or not member.organization.is_in_subtree_of(organization):
        errors["member"] = f"{member.name}不是“{organization.name}”的在册党员"
    if not started_on:
        errors["started_on"] = "请填写任职日期"
    if errors:
        raise ValidationError(errors)
    # Locking the open seats serialises two clicks on "添加" for the same person.
    taken = (
        CommitteeMember.objects.select_for_update()
        .filter(organization=organization, body=body, member=member, ended_on__isnull=True)
        .exists()
    )
    if taken:
        raise ValidationError({"member": f"{member.name}已是{BODY_MEMBERS_LABEL[body]}，请勿重复添加"})
    seat = CommitteeMember.objects.create(
        organization=organization,
        body=body,
        member=member,
        position=(position or "").strip()[:40],
        started_on=started_on,
    )
    _resync_planned(organization, body, started_on)
    return seat


@transaction.atomic
def end_committee_member(seat: CommitteeMember, *, ended_on: datetime.date, by=None) -> CommitteeMember:
    seat = CommitteeMember.objects.select_for_update().select_related("member").get(pk=seat.pk)
    if seat.ended_on is not None:
        raise ValidationError({"ended_on": f"{seat.member.name}已于 {seat.ended_on:%Y-%m-%d} 卸任"})
    if not ended_on:
        raise ValidationError({"ended_on": "请填写卸任日期"})
    if ended_on < seat.started_on:
        raise ValidationError({"ended_on": f"卸任日期不能早于任职日期（{seat.started_on:%Y-%m-%d}）"})
    seat.ended_on = ended_on
    seat.save(update_fields=["ended_on"])
    _resync_planned(seat.organization, seat.body, ended_on)
    return seat
