"""Members who were present rate the lecture once; the ratings rank the catalogue, weighted so that one
enthusiastic rating does not put a newcomer above a teacher many people rated well."""

import pytest
from django.core.exceptions import ValidationError

from partyedu.meetings import services as meeting_services
from partyedu.teachers import selectors, services
from partyedu.teachers.models import Course, LectureRating, LectureRequest, Teacher

from .conftest import accept, ask, at, hold

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_lecture(county, course, teacher):
    """Held yesterday in the finance branch: 张三 and 李四 present, 曾小明 on leave."""
    req = ask(course, county.finance_branch, by=county.finance_secretary)
    accept(req, at(3, "15:00"), at(3, "16:30"), by=teacher.user)
    hold(req)
    zhang, li, zeng = county.finance_members
    meeting = req.meeting
    meeting_services.mark_attendance(meeting, zhang, "present", by=county.finance_secretary)
    meeting_services.mark_attendance(meeting, li, "present", by=county.finance_secretary)
    meeting_services.mark_attendance(meeting, zeng, "leave", reason="出差", by=county.finance_secretary)
    return req


def test_only_members_present_rate_and_only_once(county, held_lecture, course, teacher):
    zhang, li, zeng = county.finance_members
    services.rate_lecture(held_lecture, zhang, stars=5, comment="结合实际，很受启发")
    services.rate_lecture(held_lecture, li, stars=3)
    with pytest.raises(ValidationError, match="已经评价过"):
        services.rate_lecture(held_lecture, zhang, stars=1)
    with pytest.raises(ValidationError, match="只有出席"):
        services.rate_lecture(held_lecture, zeng, stars=5)  # on leave
    with pytest.raises(ValidationError, match="只有出席"):
        services.rate_lecture(held_lecture, county.education_members[0], stars=5)  # another branch
    with pytest.raises(ValidationError):
        services.rate_lecture(held_lecture, li, stars=6)
    assert LectureRating.objects.filter(request=held_lecture).count() == 2
    course.refresh_from_db()
    teacher.refresh_from_db()
    assert (course.rating_count, course.rating_total, course.average) == (2, 8, 4.0)
    assert (teacher.rating_count, teacher.rating_total) == (2, 8)


def test_no_rating_before_the_lecture_begins(county, course, teacher):
    req = ask(course, county.finance_branch, by=county.finance_secretary)
    zhang = county.finance_members[0]
    assert services.rating_refusal(req, zhang) == "该党课未举行，不能评价"
    accept(req, at(3), at(3, "10:00"), by=teacher.user)
    req.refresh_from_db()
    assert services.rating_refusal(req, zhang) == "党课开始后才能评价"


def test_pending_ratings_list_what_the_member_attended_and_has_not_rated(county, held_lecture):
    zhang, li, zeng = county.finance_members
    assert list(selectors.pending_ratings(zhang)) == [held_lecture]
    assert list(selectors.pending_ratings(zeng)) == []
    services.rate_lecture(held_lecture, zhang, stars=4)
    assert list(selectors.pending_ratings(zhang)) == []
    assert [r.my_ratings[0].stars for r in selectors.lectures_attended(zhang)] == [4]
    assert list(selectors.pending_ratings(li)) == [held_lecture]


def _rated(teacher: Teacher, course: Course, stars: list[int], taught: int = 1) -> None:
    """Test setup: figures as refresh_stats would keep them."""
    for obj in (teacher, course):
        obj.rating_count, obj.rating_total, obj.taught_count = len(stars), sum(stars), taught
        obj.save()


def test_the_ranking_weights_the_number_of_ratings(county):
    made = {}
    for name, stars, taught in [
        ("一次五星", [5], 1),
        ("十次平均四点五", [5, 4] * 5, 8),
        ("三次四星", [4, 4, 4], 12),
        ("未评价", [], 0),
        ("三次两星", [2, 2, 2], 2),
    ]:
        t = Teacher.objects.create(name=name, unit="党校", areas=",politics,")
        c = Course.objects.create(teacher=t, title=f"{name}的课", area="politics")
        _rated(t, c, stars, taught)
        made[name] = t
    # (45 + 15) / 15 = 4.00 · (12 + 15) / 8 = 3.375 · (5 + 15) / 6 = 3.33 · 15 / 5 = 3.0 · (6 + 15) / 8 = 2.625
    expected = ["十次平均四点五", "三次四星", "一次五星", "未评价", "三次两星"]
    assert [t.name for t in selectors.teachers(sort="score")] == expected
    assert [c.teacher.name for c in selectors.courses(sort="score")] == expected
    assert selectors.bayesian(5, 1) == pytest.approx(20 / 6)
    by_taught = [t.name for t in selectors.teachers(sort="taught")]
    assert by_taught == ["三次四星", "十次平均四点五", "三次两星", "一次五星", "未评价"]


def test_the_figures_are_recounted_from_the_rows(county, held_lecture, course, teacher):
    zhang = county.finance_members[0]
    services.rate_lecture(held_lecture, zhang, stars=2)
    Course.objects.filter(pk=course.pk).update(rating_count=99, rating_total=0, taught_count=0)
    services.refresh_stats(courses=[course], teachers=[teacher])
    course.refresh_from_db()
    assert (course.rating_count, course.rating_total, course.taught_count) == (1, 2, 1)
    assert LectureRequest.objects.get(pk=held_lecture.pk).ratings.count() == 1
