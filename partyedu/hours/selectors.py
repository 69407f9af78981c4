"""Reads of 学时 shared by the pages, the left-behind list, the class module and reports."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q

from .models import COMMITTEE_HOURS, STATUTORY_HOURS, HoursEntry, MemberYearHours


def committee_member_ids(member_ids, year: int) -> set[int]:
    """Members who sat on a branch committee or a primary-level party committee at any time in `year`: their
    statutory minimum is 56 学时."""
    from partyedu.meetings.models import CommitteeBody, CommitteeMember

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    seats = CommitteeMember.objects.filter(body=CommitteeBody.BRANCH_COMMITTEE, started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    )
    if member_ids is not None:
        seats = seats.filter(member_id__in=member_ids)
    return set(seats.values_list("member_id", flat=True))


def required_hours(member_id: int, year: int) -> Decimal:
    return COMMITTEE_HOURS if committee_member_ids([member_id], year) else STATUTORY_HOURS


def year_hours(member_ids, year: int) -> dict[int, MemberYearHours]:
    """The yearly row of each member (missing members have none: 0 学时)."""
    return {r.member_id: r for r in MemberYearHours.objects.filter(year=year, member_id__in=member_ids)}


def entries_of(member_id: int, year: int):
    """The rows behind a member's yearly figure, newest first."""
    return HoursEntry.objects.filter(member_id=member_id, year=year).order_by("-occurred_on", "-pk")


def expected_by(year: int, required: Decimal, today: datetime.date) -> Decimal:
    """Pro-rata share of the yearly minimum due by `today` (the left-behind list's "short of 学时 so far")."""
    if today.year > year:
        return required
    if today.year < year:
        return Decimal("0")
    start = datetime.date(year, 1, 1)
    days = (datetime.date(year, 12, 31) - start).days + 1
    elapsed = (today - start).days + 1
    return (required * Decimal(elapsed) / Decimal(days)).quantize(Decimal("0.01"))
