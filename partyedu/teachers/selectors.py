"""Reads on the teacher pool: the ranked catalogues, request lists and the lectures waiting for a rating.

Ranking (“按评分”): a Bayesian average that starts every teacher and course with PRIOR_WEIGHT imaginary
ratings of PRIOR_MEAN stars,

    score = (rating_total + PRIOR_WEIGHT × PRIOR_MEAN) / (rating_count + PRIOR_WEIGHT)

so one 5-star rating gives (5 + 15) / 6 ≈ 3.33, while ten ratings averaging 4.5 give (45 + 15) / 15 = 4.0: a
lecturer rises by being rated well by many people, not by one enthusiast. The prior is fixed (the middle of
the scale) rather than the pool's mean, so that a ranking does not shift when unrelated lectures are rated.
"""

from __future__ import annotations

from django.db.models import F, FloatField, Prefetch, Q, Value
from django.db.models.functions import Cast
from django.utils import timezone

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.meetings.models import AttendanceStatus, MeetingStatus

from .models import (
    AREA_LABELS,
    Course,
    CourseStatus,
    LectureRating,
    LectureRequest,
    RequestStatus,
    Teacher,
    TeacherStatus,
)
from .services import is_pool_admin

PRIOR_WEIGHT = 5
PRIOR_MEAN = 3.0
SORTS = {"score": "按评分", "taught": "按授课次数", "name": "按姓名"}


def bayesian(total: int, count: int) -> float:
    """The same score in Python (for tests and the detail pages)."""
    return (total + PRIOR_WEIGHT * PRIOR_MEAN) / (count + PRIOR_WEIGHT)


def _score():
    return (Cast(F("rating_total"), FloatField()) + Value(PRIOR_WEIGHT * PRIOR_MEAN)) / (
        Cast(F("rating_count"), FloatField()) + Value(float(PRIOR_WEIGHT))
    )


def _ordered(qs, sort: str, name_field: str):
    qs = qs.annotate(score=_score())
    if sort == "taught":
        return qs.order_by("-taught_count", "-score", name_field, "pk")
    if sort == "name":
        return qs.order_by(name_field, "pk")
    return qs.order_by("-score", "-rating_count", name_field, "pk")


def teachers(q: str = "", area: str = "", sort: str = "score", *, include_retired: bool = False):
    qs = Teacher.objects.all()
    if not include_retired:
        qs = qs.filter(status=TeacherStatus.ACTIVE)
    if area in AREA_LABELS:
        qs = qs.filter(areas__contains=f",{area},")
    q = (q or "").strip()
    if q:
        # the pool is a few hundred teachers and courses: icontains is enough here
        qs = qs.filter(
            Q(name__icontains=q) | Q(pk__in=Course.objects.filter(title__icontains=q).values("teacher_id"))
        )
    open_courses = Course.objects.filter(status=CourseStatus.OPEN).order_by("-taught_count", "title")
    return _ordered(qs, sort, "name").prefetch_related(Prefetch("courses", queryset=open_courses))


def courses(q: str = "", area: str = "", sort: str = "score", *, include_closed: bool = False):
    qs = Course.objects.select_related("teacher").filter(teacher__status=TeacherStatus.ACTIVE)
    if not include_closed:
        qs = qs.filter(status=CourseStatus.OPEN)
    if area in AREA_LABELS:
        qs = qs.filter(area=area)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(teacher__name__icontains=q) | Q(summary__icontains=q))
    return _ordered(qs, sort, "title")


def recent_ratings(*, teacher=None, course=None, limit: int = 20):
    qs = LectureRating.objects.select_related("request__course", "request__organization")
    if teacher is not None:
        qs = qs.filter(request__teacher=teacher)
    if course is not None:
        qs = qs.filter(request__course=course)
    return list(qs.order_by("-created_at", "-pk")[:limit])


def _requests():
    return LectureRequest.objects.select_related("course", "teacher", "organization", "meeting")


def requests_of_my_orgs(user):
    """Requests made by the organisations whose workers the user is among."""
    return (
        _requests()
        .filter(Access.of(user).org_q(C.CHANGE_MEMBERS, "organization__path"))
        .order_by("-created_at", "-pk")
    )


def inbox(user):
    """Requests the user answers: all of them for the pool admin, his own for a teacher."""
    if is_pool_admin(user):
        qs = _requests()
    elif user.is_authenticated:
        qs = _requests().filter(teacher__user=user)
    else:
        qs = LectureRequest.objects.none()
    return qs.order_by("scheduled_start", "preferred_from", "pk")


def lectures_attended(member):
    """Held or started lectures the member was present at, newest first, with `my_rating` (or None)."""
    if member is None:
        return LectureRequest.objects.none()
    mine = LectureRating.objects.filter(member=member)
    return (
        _requests()
        .filter(
            status=RequestStatus.ACCEPTED,
            meeting__starts_at__lte=timezone.now(),
            meeting__attendances__member=member,
            meeting__attendances__status=AttendanceStatus.PRESENT,
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .prefetch_related(Prefetch("ratings", queryset=mine, to_attr="my_ratings"))
        .order_by("-scheduled_start", "-pk")
    )


def pending_ratings(member):
    """待评价: lectures the member attended and has not rated yet."""
    if member is None:
        return LectureRequest.objects.none()
    return lectures_attended(member).exclude(ratings__member=member)
