"""The seeder's year of points is what the services would have credited (same keys, same caps), and the check
command proves the totals against the ledger."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from partyedu.meetings import services as meetings
from partyedu.meetings.models import Attendance, Meeting
from partyedu.points.demo import seed_points
from partyedu.points.models import PointsEntry, PointsTotal
from partyedu.points.services import check_totals


def held_meeting(county, day, statuses):
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(15)))
    meeting = Meeting.objects.create(
        organization=county.finance_branch,
        kind="branch_assembly",
        theme="学习党章",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        held_on=day,
        status="held",
    )
    for member, status in zip(county.finance_members, statuses, strict=True):
        Attendance.objects.create(meeting=meeting, member=member, status=status)
    return meeting


def test_seeded_points_match_what_the_services_would_credit(county):
    meeting = held_meeting(county, datetime.date(2025, 4, 1), ["present", "absent", "leave"])
    held_meeting(county, datetime.date(2025, 3, 1), ["present", "present", "present"])
    assert seed_points(1) == 5
    zhang, li, zeng = county.finance_members
    year = "2025"
    assert PointsEntry.objects.get(member=li, source_key=f"meeting:{meeting.pk}:absent").points == -2
    assert check_totals() == []
    call_command("points_check")
    # the services find the seeded credits and do not credit twice
    meetings.mark_attendance(meeting, zhang, "present", by=county.finance_secretary)
    assert PointsEntry.objects.filter(member=zhang).count() == 2
    assert seed_points(1) == 0  # never twice
    assert (
        PointsTotal.objects.get(member=zeng, period=year).total == 2
    )  # attended in March, on leave in April


def test_the_check_command_fails_on_a_tampered_total_and_repairs(county):
    held_meeting(county, datetime.date(2025, 3, 1), ["present", "present", "present"])
    seed_points(1)
    PointsTotal.objects.filter(member=county.finance_members[0]).update(total=99)
    with pytest.raises(CommandError):
        call_command("points_check")
    call_command("points_check", "--repair")
    call_command("points_check")


def test_seeded_volunteer_hours_earn_what_the_confirmation_would(county):
    from partyedu.volunteering import services as volunteering
    from partyedu.volunteering.models import RecordStatus, VolunteerRecord

    zhang, li, _ = county.finance_members
    common = dict(organization=county.finance_branch, title="清洁家园", served_on=datetime.date(2025, 5, 10))
    done = VolunteerRecord.objects.create(member=zhang, hours=3, status=RecordStatus.CONFIRMED, **common)
    VolunteerRecord.objects.create(member=li, hours=2, status=RecordStatus.PENDING, **common)
    assert seed_points(1) == 1  # only the confirmed record
    entry = PointsEntry.objects.get(member=zhang, source_key=done.source_key)
    assert (entry.event_kind, entry.points) == ("volunteer_hour", 3)
    assert check_totals() == []
    volunteering._credit(done)  # confirming again through the service credits nothing more
    assert PointsEntry.objects.filter(member=zhang, event_kind="volunteer_hour").count() == 1
