"""The demo's teacher pool: linked to the seeder's 党课 meetings, never double-booked, rated only by members
who were there, with figures equal to what the services would keep."""

from collections import defaultdict

import pytest

from partyedu.meetings.models import Attendance, MeetingKind
from partyedu.teachers import services
from partyedu.teachers.demo import seed_teachers
from partyedu.teachers.models import Course, LectureRating, LectureRequest, RequestStatus, Teacher

pytestmark = pytest.mark.django_db


def test_seed_teachers_on_a_small_county(demo_county):
    assert seed_teachers(1) == 0  # and never twice
    n = LectureRequest.objects.count()
    assert Teacher.objects.count() == 40
    assert 80 <= Course.objects.count() <= 120
    assert LectureRequest.objects.count() == n >= 60  # the small county holds fewer 党课
    assert Teacher.objects.filter(kind="internal", member__isnull=False).count() >= 10
    # the demo party worker is a teacher with pending requests in his inbox
    dangwu = Teacher.objects.get(user__username="dangwu")
    assert LectureRequest.objects.filter(teacher=dangwu, status="pending").exists()

    accepted = LectureRequest.objects.filter(status=RequestStatus.ACCEPTED).select_related("meeting")
    assert accepted.count() >= 30
    slots = defaultdict(list)
    for r in accepted:
        assert r.meeting.kind == MeetingKind.PARTY_LECTURE and r.meeting.organization_id == r.organization_id
        assert (r.scheduled_start, r.scheduled_end) == (r.meeting.starts_at, r.meeting.ends_at)
        slots[r.teacher_id].append((r.scheduled_start, r.scheduled_end))
    for spans in slots.values():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))

    ratings = LectureRating.objects.select_related("request")
    assert ratings.count() > 100
    present = set(Attendance.objects.filter(status="present").values_list("meeting_id", "member_id"))
    assert all((x.request.meeting_id, x.member_id) in present for x in ratings)

    before = list(Course.objects.order_by("pk").values_list("rating_count", "rating_total", "taught_count"))
    services.refresh_stats(courses=Course.objects.all(), teachers=Teacher.objects.all())
    assert (
        list(Course.objects.order_by("pk").values_list("rating_count", "rating_total", "taught_count"))
        == before
    )
