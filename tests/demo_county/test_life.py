"""The demo county's year of organisational life must look like what the services would have recorded."""

import datetime

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from partyedu.meetings import services
from partyedu.meetings.models import Attendance, Meeting, MemberLifeStats

pytestmark = pytest.mark.django_db


def test_a_year_of_meetings_with_counters_and_statistics_as_the_services_keep_them(demo_county):
    assert Meeting.objects.count() > 100 and Attendance.objects.count() > 1000
    today = timezone.localdate()
    assert Meeting.objects.filter(held_on__gt=today, status="held").count() == 0
    assert Meeting.objects.filter(held_on__lt=today - datetime.timedelta(days=400)).count() == 0
    # every counter equals a recount by the service
    for meeting in Meeting.objects.order_by("?")[:40]:
        before = (
            meeting.expected_count,
            meeting.present_count,
            meeting.leave_count,
            meeting.absent_count,
            meeting.observer_count,
        )
        services.refresh_counts(meeting)
        meeting.refresh_from_db()
        assert before == (
            meeting.expected_count,
            meeting.present_count,
            meeting.leave_count,
            meeting.absent_count,
            meeting.observer_count,
        )
    # and the life statistics equal the service's recomputation
    sample = list(
        MemberLifeStats.objects.order_by("?").values_list(
            "member_id", "last_present_on", "consecutive_absences"
        )[:60]
    )
    services.refresh_life_stats([m for m, *_ in sample])
    again = dict(
        (m, (d, n))
        for m, d, n in MemberLifeStats.objects.filter(member_id__in=[m for m, *_ in sample]).values_list(
            "member_id", "last_present_on", "consecutive_absences"
        )
    )
    assert {m: (d, n) for m, d, n in sample} == again
    # realistic: most attend, some are on leave, someone drifts away
    totals = Attendance.objects.aggregate(
        present=Count("pk", filter=Q(status="present")),
        leave=Count("pk", filter=Q(status="leave")),
        all=Count("pk"),
    )
    assert 0.7 < totals["present"] / totals["all"] < 0.97 and totals["leave"] > 0
    assert Meeting.objects.filter(kind="center_group_study", agenda__is_first_agenda=True).exists()
    assert Attendance.objects.filter(dual_life=True).exists()
    checked = Attendance.objects.filter(checked_in_at__isnull=False).select_related("meeting").first()
    assert checked.checked_in_at <= checked.meeting.starts_at
