"""Reads of 志愿服务 and 双报到. Only confirmed records count in any figure."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.members.models import Member, MemberStatus
from partyedu.orgs.models import Organization, subtree_q

from .models import CheckInKind, CommunityCheckIn, RecordStatus, VolunteerActivity, VolunteerRecord

# The 志愿服务队 of seed 002: the people being cultivated for membership.
CULTIVATED = (
    MemberStatus.APPLICANT,
    MemberStatus.ACTIVIST,
    MemberStatus.CANDIDATE,
    MemberStatus.PROBATIONARY,
)


# --- for other apps (the development app's cultivation record) --------------------------------------------------
def member_volunteer_record(member) -> list[dict]:
    """The member's confirmed volunteer service, oldest first: date, title, hours (and theme, organiser)."""
    rows = (
        VolunteerRecord.objects.filter(member=member, status=RecordStatus.CONFIRMED)
        .select_related("activity__organizer")
        .order_by("served_on", "pk")
    )
    return [
        {
            "date": r.served_on,
            "title": r.title,
            "hours": r.hours,
            "theme": r.get_theme_display(),
            "organizer": r.activity.organizer.name if r.activity_id else "",
        }
        for r in rows
    ]


def volunteer_hours_by_org(org_ids, start: datetime.date, end: datetime.date) -> dict[int, Decimal]:
    """Confirmed hours served from `start` to `end` (both included) by the members of each organisation's
    subtree (by the branch each record was made in). Every id asked for has a value, 0 when none."""
    orgs = list(Organization.objects.filter(pk__in=list(org_ids)).only("pk", "path"))
    result = {org.pk: Decimal("0") for org in orgs}
    if not orgs:
        return result
    sums = _hours_by_path(orgs, start, end)
    for org in orgs:
        result[org.pk] = sum((h for p, h in sums.items() if p.startswith(org.path)), Decimal("0"))
    return result


def _subtrees_q(orgs, field: str) -> Q:
    q = Q(pk__in=[])
    for org in orgs:
        q |= subtree_q(org.path, field)
    return q


def _hours_by_path(orgs, start, end) -> dict[str, Decimal]:
    return dict(
        VolunteerRecord.objects.filter(
            _subtrees_q(orgs, "organization__path"),
            status=RecordStatus.CONFIRMED,
            served_on__gte=start,
            served_on__lte=end,
        )
        .values("organization__path")
        .annotate(h=Sum("hours"))
        .values_list("organization__path", "h")
    )


# --- activities -------------------------------------------------------------------------------------------------
def activities_for(user):
    """What the user sees: a worker, the activities organised in or open to his subtree; a member, those open to
    his branch (and those he signed up to)."""
    access = Access.of(user)
    qs = VolunteerActivity.objects.select_related("organizer", "open_to")
    if access.is_superuser:
        return qs
    q = access.org_q(C.VIEW_MEMBERS, "organizer__path") | access.org_q(C.VIEW_MEMBERS, "open_to__path")
    if access.member_id:
        member = Member.objects.select_related("organization").filter(pk=access.member_id).first()
        if member is not None:
            # open_to is an ancestor of (or is) his branch: its path is a prefix of his branch's path
            prefixes = [member.organization.path[:i] for i in range(8, len(member.organization.path) + 1, 8)]
            q |= Q(open_to__path__in=prefixes) | Q(records__member_id=member.pk)
    return qs.filter(q).distinct()


def signup_counts(activity_ids) -> dict[int, dict]:
    rows = (
        VolunteerRecord.objects.filter(activity_id__in=list(activity_ids))
        .values("activity_id")
        .annotate(
            n=Count("pk"),
            confirmed=Count("pk", filter=Q(status=RecordStatus.CONFIRMED)),
            pending=Count("pk", filter=Q(status=RecordStatus.PENDING)),
        )
    )
    return {r["activity_id"]: r for r in rows}


def year_total(member, year: int) -> Decimal:
    return VolunteerRecord.objects.filter(
        member=member, status=RecordStatus.CONFIRMED, served_on__year=year
    ).aggregate(h=Sum("hours"))["h"] or Decimal("0")


def pending_reports_for(user):
    """Self-reported services waiting for the branch (workers who may change the member's records)."""
    access = Access.of(user)
    return (
        VolunteerRecord.objects.filter(access.org_q(C.CHANGE_MEMBERS, "organization__path"))
        .filter(activity__isnull=True)
        .select_related("member", "organization")
        .order_by("status", "-served_on", "-pk")
    )


# --- statistics -------------------------------------------------------------------------------------------------
@dataclass
class OrgVolunteerStats:
    org: Organization
    members: int = 0
    volunteers: int = 0
    hours: Decimal = Decimal("0")
    cultivated: int = 0
    cultivated_volunteers: int = 0
    cultivated_hours: Decimal = Decimal("0")
    by_status: dict = field(default_factory=dict)

    @property
    def participation(self) -> float | None:
        return self.volunteers * 100 / self.members if self.members else None

    @property
    def cultivated_participation(self) -> float | None:
        return self.cultivated_volunteers * 100 / self.cultivated if self.cultivated else None


def stats_rows(orgs: list[Organization], start: datetime.date, end: datetime.date) -> list[OrgVolunteerStats]:
    """One row per organisation (its whole subtree): members on the roll, how many served (confirmed, in the
    period), hours, and the same for 入党申请人/积极分子/发展对象/预备党员. Two grouped queries in all."""
    rows = [OrgVolunteerStats(org=o) for o in orgs]
    if not orgs:
        return rows
    member_counts = (
        Member.objects.filter(_subtrees_q(orgs, "organization__path"), left_on__isnull=True)
        .values("organization__path", "status")
        .annotate(n=Count("pk"))
        .values_list("organization__path", "status", "n")
    )
    served = (
        VolunteerRecord.objects.filter(
            _subtrees_q(orgs, "organization__path"),
            status=RecordStatus.CONFIRMED,
            served_on__gte=start,
            served_on__lte=end,
        )
        .values("organization__path", "member_id", "member__status")
        .annotate(h=Sum("hours"))
        .values_list("organization__path", "member_id", "member__status", "h")
    )
    served = list(served)
    for row in rows:
        path = row.org.path
        for p, status, n in member_counts:
            if p.startswith(path):
                row.members += n
                row.by_status[status] = row.by_status.get(status, 0) + n
                if status in CULTIVATED:
                    row.cultivated += n
        volunteers, cultivated = set(), set()
        for p, member_id, status, hours in served:
            if p.startswith(path):
                volunteers.add(member_id)
                row.hours += hours
                if status in CULTIVATED:
                    cultivated.add(member_id)
                    row.cultivated_hours += hours
        row.volunteers, row.cultivated_volunteers = len(volunteers), len(cultivated)
    return rows


def theme_hours(org: Organization, start, end) -> list[tuple[str, Decimal]]:
    from .models import Theme

    sums = dict(
        VolunteerRecord.objects.filter(
            subtree_q(org.path, "organization__path"),
            status=RecordStatus.CONFIRMED,
            served_on__gte=start,
            served_on__lte=end,
        )
        .values("theme")
        .annotate(h=Sum("hours"))
        .values_list("theme", "h")
    )
    return [(label, sums.get(value, Decimal("0"))) for value, label in Theme.choices]


# --- 双报到 -----------------------------------------------------------------------------------------------------
@dataclass
class OrgCheckInRow:
    org: Organization
    checkin: CommunityCheckIn | None = None
    members: int = 0
    registered: int = 0

    @property
    def missing(self) -> int:
        return self.members - self.registered


def checkin_rows(orgs: list[Organization]) -> list[OrgCheckInRow]:
    """Per organisation: its own registration and how many of the members enrolled directly in it have
    registered. Three queries however many organisations."""
    ids = [o.pk for o in orgs]
    own = {
        c.organization_id: c
        for c in CommunityCheckIn.objects.filter(
            kind=CheckInKind.ORGANIZATION, organization_id__in=ids
        ).select_related("community")
    }
    counts = dict(
        Member.objects.filter(organization_id__in=ids, left_on__isnull=True)
        .values("organization_id")
        .annotate(n=Count("pk"))
        .values_list("organization_id", "n")
    )
    registered = dict(
        Member.objects.filter(organization_id__in=ids, left_on__isnull=True)
        .filter(pk__in=CommunityCheckIn.objects.filter(kind=CheckInKind.MEMBER).values("member_id"))
        .values("organization_id")
        .annotate(n=Count("pk"))
        .values_list("organization_id", "n")
    )
    return [
        OrgCheckInRow(
            org=o, checkin=own.get(o.pk), members=counts.get(o.pk, 0), registered=registered.get(o.pk, 0)
        )
        for o in orgs
    ]


def member_checkins(org: Organization):
    """The members enrolled in `org` with their registration (None when missing), missing first."""
    return members_checkins([org])[org.pk]


def members_checkins(orgs: list[Organization]) -> dict[int, list]:
    """member_checkins of each organisation, in two queries however many organisations."""
    members = list(
        Member.objects.filter(organization__in=orgs, left_on__isnull=True).order_by("sort_key", "pk")
    )
    found = {
        c.member_id: c
        for c in CommunityCheckIn.objects.filter(
            kind=CheckInKind.MEMBER, member__organization__in=orgs, member__left_on__isnull=True
        ).select_related("community")
    }
    pairs: dict[int, list] = {o.pk: [] for o in orgs}
    for m in members:
        pairs[m.organization_id].append((m, found.get(m.pk)))
    for rows in pairs.values():
        rows.sort(key=lambda pair: pair[1] is not None)
    return pairs
