import datetime

import pytest
from django.utils import timezone

from partyedu.teachers import services
from partyedu.teachers.models import Course, LectureRequest, Teacher

from ..factories import make_user


def at(days: int, hhmm: str = "9:00") -> datetime.datetime:
    """A local (Asia/Shanghai) moment `days` from today."""
    h, m = (int(x) for x in hhmm.split(":"))
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(h, m)))


@pytest.fixture
def teacher(county) -> Teacher:
    """周明, a lecturer of the county party school, who has his own login to answer requests."""
    account = make_user("zhouming")
    return services.create_teacher(
        name="周明",
        kind="external",
        unit="中共青山县委党校",
        title="副教授",
        areas=["politics", "party_history"],
        bio="长期从事党史党建教学",
        contact="13812345678",
        user=account,
        by=county.committee_admin,
    )


@pytest.fixture
def course(county, teacher) -> Course:
    return services.create_course(
        teacher,
        title="从党史中汲取奋进力量",
        area="party_history",
        summary="结合本县革命史讲党史",
        minutes=90,
        format="lecture",
        by=county.committee_admin,
    )


def ask(course, org, by=None, *, days: int = 7, audience: int = 25) -> LectureRequest:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return services.request_lecture(
        course=course,
        organization=org,
        preferred_from=day,
        preferred_to=day + datetime.timedelta(days=7),
        audience=audience,
        note="希望结合本单位实际",
        by=by,
    )


def accept(req, start, end, by=None, place="局三楼会议室"):
    return services.accept_request(req, starts_at=start, ends_at=end, place=place, by=by)


def hold(req) -> None:
    """Test setup: the scheduled lecture took place yesterday (moves the request and its meeting back)."""
    from partyedu.meetings.models import Meeting

    req.refresh_from_db()
    shift = req.scheduled_start - at(-1, "9:00")
    LectureRequest.objects.filter(pk=req.pk).update(
        scheduled_start=req.scheduled_start - shift, scheduled_end=req.scheduled_end - shift
    )
    meeting = Meeting.objects.get(pk=req.meeting_id)
    meeting.starts_at -= shift
    meeting.ends_at -= shift
    meeting.status = "held"
    meeting.save()
    req.refresh_from_db()
