import datetime

import pytest
from django.utils import timezone

from partyedu.compliance.services import install_default_rules
from partyedu.meetings import services as meetings
from partyedu.meetings.models import CommitteeBody, CommitteeMember
from partyedu.members.models import MembershipPeriod

# A day late in 2026 from which the stories look back: October is over, November under way.
TODAY = datetime.date(2026, 11, 21)


def at(day: datetime.date, hour: int = 15, minute: int = 0) -> datetime.datetime:
    """An aware datetime in Asia/Shanghai: meetings are held on local days."""
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


def hold(org, kind, day, *, hour=15, minute=0, present=(), by=None, theme=None, observers=()):
    """Record a meeting after the fact, with who came."""
    start = at(day, hour, minute)
    meeting = meetings.create_meeting(
        organization=org,
        kind=kind,
        theme=theme or f"{day:%m月%d日}{kind}",
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=25),
        held=True,
        by=by,
    )
    for member in present:
        meetings.mark_attendance(meeting, member, "present", by=by)
    for member in observers:
        meetings.sign_in(meeting, member, method="manual", may_observe=True, by=by)
    # create_meeting(held=True) leaves the absentees' life statistics as they were (only a change of attendance
    # or mark_held refreshes them), so a meeting recorded after the fact refreshes them here
    meetings.refresh_life_stats(list(meeting.attendances.values_list("member_id", flat=True)))
    return meeting


@pytest.fixture(autouse=True)
def rules(db):
    """The default rules: migrated into the database, and back after a browser test has flushed it."""
    install_default_rules()


@pytest.fixture
def county(county):
    """The county of tests/conftest.py with members enrolled since 2020, so that meetings of 2025–2026 expect
    them, and a 支委 of two in the finance branch."""
    MembershipPeriod.objects.update(started_on=datetime.date(2020, 1, 1))
    for member in county.finance_members[:2]:
        CommitteeMember.objects.create(
            organization=county.finance_branch,
            body=CommitteeBody.BRANCH_COMMITTEE,
            member=member,
            started_on=datetime.date(2020, 1, 1),
        )
    return county


def cell_of(board, org, kind, observer=False):
    row = next(r for r in board.rows if r.org.pk == org.pk)
    return next(
        c
        for c in row.cells
        if c.column.rule.meeting_kind == kind and c.column.rule.requires_observer == observer
    )


def row_of(board, org):
    return next(r for r in board.rows if r.org.pk == org.pk)


@pytest.fixture
def center_group_roster(county):
    """The education bureau's 中心组: 王五 and 赵六."""
    for member in county.education_members:
        CommitteeMember.objects.create(
            organization=county.education,
            body=CommitteeBody.CENTER_GROUP,
            member=member,
            started_on=datetime.date(2020, 1, 1),
        )
    return county.education
