"""Reads of organisational life that pages, sign-in, ledgers and the compliance board share."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from partyedu.accounts.access import Access, Capability
from partyedu.members.models import Member, MembershipPeriod
from partyedu.orgs.models import Organization, OrganizationKind, subtree_q

from .models import CommitteeBody, CommitteeMember, Meeting, MeetingKind


def _open_on(day: datetime.date, start: str = "started_on", end: str = "ended_on") -> Q:
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": day}))


def expected_members(organization: Organization, kind: str, day: datetime.date) -> QuerySet[Member]:
    """Who is expected at a meeting of this kind held by this organisation on that day, from the history of
    membership (not today's roster): a member transferred in last week was not expected last month."""
    if kind == MeetingKind.BRANCH_COMMITTEE:
        seats = CommitteeMember.objects.filter(
            _open_on(day), organization=organization, body=CommitteeBody.BRANCH_COMMITTEE
        )
        return Member.objects.filter(pk__in=seats.values("member_id"))
    if kind == MeetingKind.CENTER_GROUP_STUDY:
        seats = CommitteeMember.objects.filter(
            _open_on(day), organization=organization, body=CommitteeBody.CENTER_GROUP
        )
        return Member.objects.filter(pk__in=seats.values("member_id"))
    periods = MembershipPeriod.objects.filter(_open_on(day))
    if organization.kind == OrganizationKind.GROUP:
        periods = periods.filter(group=organization)
    else:
        periods = periods.filter(subtree_q(organization.path, "organization__path"))
    return Member.objects.filter(pk__in=periods.values("member_id"))


def visible_meetings(user, cap: Capability = Capability.VIEW_MEMBERS) -> QuerySet[Meeting]:
    """Meetings of the organisations whose members this user may see (workers of the subtree)."""
    return Meeting.objects.filter(Access.of(user).org_q(cap, "organization__path"))


def meetings_of_member(member: Member) -> QuerySet[Meeting]:
    return Meeting.objects.filter(attendances__member=member)


def upcoming_for_member(member: Member, now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    now = now or timezone.now()
    return (
        meetings_of_member(member)
        .filter(ends_at__gte=now, status="planned")
        .select_related("organization")
        .order_by("starts_at")
    )


def can_record(user, meeting: Meeting) -> bool:
    """Secretaries and party workers of the organisation record its meetings."""
    return Access.of(user).can_org(Capability.CHANGE_MEMBERS, meeting.organization)


def can_view(user, meeting: Meeting) -> bool:
    access = Access.of(user)
    if access.can_org(Capability.VIEW_MEMBERS, meeting.organization):
        return True
    return bool(access.member_id) and meeting.attendances.filter(member_id=access.member_id).exists()


# --- meeting pages ----------------------------------------------------------------------------------------
def find_member_by_id_or_mobile(text: str) -> list[Member]:
    """Whoever on the whole roster has exactly this citizen ID number or mobile (an observer from a superior
    organisation is outside the recorder's scope). Exact matches only: a prefix would let anyone page through
    the county's names."""
    from partyedu.core.cn import normalize_text

    text = normalize_text(text).replace(" ", "").upper()
    if not text:
        return []
    q = Q(citizen_id=text) if len(text) == 18 else Q(mobile=text)
    return list(Member.objects.current().filter(q).select_related("organization")[:2])


def open_seat_counts(orgs: list[Organization]) -> dict[int, int]:
    """Current committee / center group seats of each organisation, in one grouped query."""
    from django.db.models import Count

    rows = (
        CommitteeMember.objects.filter(organization__in=orgs, ended_on__isnull=True)
        .values_list("organization_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)
