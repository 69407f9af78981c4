"""Teacher pool routes (师资库). The catalogue of teachers and courses is shared by the whole county: its pages
are for every logged-in user (`Shared` below, checked in tests/teachers/test_pages.py). Keeping the pool belongs
to the committee admins (a teacher edits his own courses); a lecture request belongs to the organisation that
made it (the education branch here) and to the teacher it asks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from tests.access_rules import Foreign, Own, Public


@dataclass
class Shared(Public):
    """Needs a login but names an object every logged-in user may read (the shared catalogue).

    A Public subclass so that tests/test_access_everywhere.py does not try it as a Foreign object;
    tests/teachers/test_pages.py checks that anonymous visitors are sent to login and that every unit reads it.
    """

    kwargs: object = None


def a_teacher(c):
    from partyedu.teachers.models import Teacher

    teacher = Teacher.objects.filter(name="周党校").first()
    if teacher is None:
        teacher = Teacher.objects.create(
            name="周党校",
            kind="external",
            unit="县委党校",
            title="副教授",
            areas=",politics,",
            contact="13800000000",
        )
    return teacher


def a_course(c):
    from partyedu.teachers.models import Course

    teacher = a_teacher(c)
    course = Course.objects.filter(teacher=teacher).first()
    if course is None:
        course = Course.objects.create(
            teacher=teacher, title="学习贯彻党的创新理论", area="politics", minutes=90
        )
    return course


def other_teacher(c):
    return {"pk": a_teacher(c).pk}


def other_course(c):
    return {"pk": a_course(c).pk}


def other_request(c):
    from partyedu.teachers.models import LectureRequest

    req = LectureRequest.objects.filter(organization=c.education_branch).first()
    if req is None:
        course = a_course(c)
        day = datetime.date.today() + datetime.timedelta(days=10)
        req = LectureRequest.objects.create(
            course=course,
            teacher=course.teacher,
            organization=c.education_branch,
            preferred_from=day,
            preferred_to=day,
            audience=20,
        )
    return {"pk": req.pk}


OTHER_REQUESTER = ("县教育局机关第一党支部",)
TOMORROW = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()

ROUTES = {
    "teachers:catalogue": Own(),
    "teachers:courses": Own(),
    "teachers:create": Own(methods=("get",)),
    "teachers:detail": Shared(kwargs=other_teacher),
    "teachers:course": Shared(kwargs=other_course),
    # Only the pool admin (or the teacher himself, for courses) changes the pool.
    "teachers:edit": Foreign(other_teacher, methods=("get", "post"), payload={"name": "被改名"}),
    "teachers:course_create": Foreign(
        other_teacher, methods=("get", "post"), payload={"title": "x", "area": "politics", "minutes": 60}
    ),
    "teachers:course_edit": Foreign(other_course, methods=("get", "post"), payload={"title": "被改名"}),
    # Requesting for another unit's branch is refused as such (any worker may request for his own).
    "teachers:request_new": Foreign(
        other_course,
        methods=("post",),
        payload=lambda c: {
            "organization": c.education_branch.pk,
            "preferred_from": TOMORROW,
            "preferred_to": TOMORROW,
            "preferred_period": "any",
            "audience": 10,
        },
    ),
    "teachers:my_requests": Own(must_not_show=OTHER_REQUESTER),
    "teachers:inbox": Own(must_not_show=OTHER_REQUESTER),
    "teachers:request_detail": Foreign(other_request),
    "teachers:request_accept": Foreign(
        other_request,
        methods=("post",),
        payload={"date": TOMORROW, "starts_at": "09:00", "ends_at": "10:30", "place": "x"},
    ),
    "teachers:request_decline": Foreign(other_request, methods=("post",), payload={"reason": "x"}),
    "teachers:request_cancel": Foreign(other_request, methods=("post",)),
    "teachers:rate": Foreign(other_request, methods=("get", "post"), payload={"stars": 5}),
    "teachers:my_ratings": Own(),
}
