"""A branch asks the pool for a lecture; the teacher schedules it and it becomes the branch's 党课 meeting."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from partyedu.meetings.models import MeetingKind, MeetingStatus
from partyedu.notifications.models import Notification
from partyedu.teachers import services
from partyedu.teachers.models import LectureRequest, RequestStatus

from .conftest import accept, ask, at

pytestmark = pytest.mark.django_db


def test_an_accepted_request_becomes_a_party_lecture_of_the_requesting_branch(county, course, teacher):
    req = ask(course, county.finance_branch, by=county.finance_secretary)
    assert req.status == RequestStatus.PENDING and req.teacher == teacher
    # the teacher hears of it on his own account
    assert Notification.objects.filter(user=teacher.user, title__contains="县财政局机关党支部").exists()

    start, end = at(8, "15:00"), at(8, "16:30")
    accept(req, start, end, by=teacher.user)

    req.refresh_from_db()
    meeting = req.meeting
    assert req.status == RequestStatus.ACCEPTED and (req.scheduled_start, req.scheduled_end) == (start, end)
    assert meeting.organization == county.finance_branch
    assert meeting.kind == MeetingKind.PARTY_LECTURE and meeting.status == MeetingStatus.PLANNED
    assert (meeting.starts_at, meeting.ends_at, meeting.place) == (start, end, "局三楼会议室")
    assert "从党史中汲取奋进力量" in meeting.theme and "周明" in meeting.theme
    # the branch's members are the expected attendees: attendance and 学时 go through the meeting's pages
    assert meeting.attendances.count() == len(county.finance_members)
    assert Notification.objects.filter(user=county.finance_secretary, title__startswith="党课已安排").exists()
    course.refresh_from_db()
    teacher.refresh_from_db()
    assert course.taught_count == teacher.taught_count == 1


def test_the_pool_admin_may_answer_for_a_teacher_without_an_account(county, course, teacher):
    teacher.user = None
    teacher.save()
    req = ask(course, county.finance_branch, by=county.finance_secretary)
    accept(req, at(5, "9:00"), at(5, "10:30"), by=county.committee_admin)
    assert LectureRequest.objects.get(pk=req.pk).meeting.organization == county.finance_branch


def test_a_declined_request_creates_no_meeting_and_tells_the_requester_why(county, course, teacher):
    req = ask(course, county.finance_branch, by=county.finance_secretary)
    with pytest.raises(ValidationError):
        services.decline_request(req, "  ", by=teacher.user)
    services.decline_request(req, "当月在市委党校脱产学习", by=teacher.user)
    req.refresh_from_db()
    assert req.status == RequestStatus.DECLINED and req.meeting is None
    note = Notification.objects.get(user=county.finance_secretary, title__startswith="授课申请被谢绝")
    assert "当月在市委党校脱产学习" in note.body
    with pytest.raises(ValidationError):
        accept(req, at(5), at(5, "10:00"), by=teacher.user)


def test_a_teacher_is_never_booked_for_two_overlapping_lectures(county, course, teacher):
    first = ask(course, county.finance_branch, by=county.finance_secretary)
    accept(first, at(9, "9:00"), at(9, "10:30"), by=teacher.user)

    overlapping = ask(course, county.education_branch, by=county.education_admin)
    with pytest.raises(ValidationError) as refused:
        accept(overlapping, at(9, "10:29"), at(9, "12:00"), by=teacher.user)
    assert "县财政局机关党支部" in str(refused.value)
    with pytest.raises(ValidationError):  # inside
        accept(overlapping, at(9, "9:30"), at(9, "10:00"), by=county.committee_admin)
    with pytest.raises(ValidationError):  # around
        accept(overlapping, at(9, "8:00"), at(9, "11:00"), by=county.committee_admin)
    assert LectureRequest.objects.get(pk=overlapping.pk).status == RequestStatus.PENDING

    # back to back is fine: one lecture ends at 10:30, the next begins at 10:30
    accept(overlapping, at(9, "10:30"), at(9, "12:00"), by=teacher.user)
    before = ask(course, county.education_branch, by=county.education_admin)
    accept(before, at(9, "7:30"), at(9, "9:00"), by=teacher.user)
    assert LectureRequest.objects.filter(teacher=teacher, status="accepted").count() == 3


def test_a_cancelled_or_declined_lecture_frees_the_teachers_time(county, course, teacher):
    first = ask(course, county.finance_branch, by=county.finance_secretary)
    accept(first, at(9, "9:00"), at(9, "10:30"), by=teacher.user)
    services.cancel_request(first, by=county.finance_secretary)
    first.refresh_from_db()
    assert first.status == RequestStatus.CANCELLED and first.meeting.status == MeetingStatus.CANCELLED
    second = ask(course, county.education_branch, by=county.education_admin)
    accept(second, at(9, "9:00"), at(9, "10:30"), by=teacher.user)
    teacher.refresh_from_db()
    assert teacher.taught_count == 1


def test_the_requester_may_cancel_only_before_the_lecture_and_only_his_own(county, course, teacher):
    req = ask(course, county.education_branch, by=county.education_admin)
    with pytest.raises(PermissionDenied):
        services.cancel_request(req, by=county.finance_secretary)
    accept(req, at(3), at(3, "10:00"), by=teacher.user)
    # the lecture has begun: too late to cancel online
    LectureRequest.objects.filter(pk=req.pk).update(scheduled_start=timezone.now())
    with pytest.raises(ValidationError, match="已经开始"):
        services.cancel_request(req, by=county.education_admin)
    assert LectureRequest.objects.get(pk=req.pk).status == RequestStatus.ACCEPTED


def test_only_the_teacher_or_the_pool_admin_answers(county, course, teacher):
    req = ask(course, county.finance_branch, by=county.finance_secretary)
    for outsider in (county.finance_secretary, county.education_admin, county.finance_member_user):
        with pytest.raises(PermissionDenied):
            accept(req, at(4), at(4, "10:00"), by=outsider)
        with pytest.raises(PermissionDenied):
            services.decline_request(req, "x", by=outsider)
    assert LectureRequest.objects.get(pk=req.pk).status == RequestStatus.PENDING


def test_who_may_request_and_for_which_organisation(county, course):
    # a plain member has no CHANGE_MEMBERS: refused
    with pytest.raises(PermissionDenied):
        ask(course, county.finance_branch, by=county.finance_member_user)
    # a secretary asks only for his own branch
    with pytest.raises(PermissionDenied):
        ask(course, county.education_branch, by=county.finance_secretary)
    # a 党小组 holds no 党课: the branch asks
    with pytest.raises(ValidationError, match="不能组织党课"):
        ask(course, county.education_group, by=county.education_admin)
    with pytest.raises(ValidationError):
        ask(course, county.finance_branch, by=county.finance_secretary, days=-1)
    with pytest.raises(ValidationError):
        ask(course, county.finance_branch, by=county.finance_secretary, audience=0)
    course.status = "closed"
    course.save()
    with pytest.raises(ValidationError, match="暂停"):
        ask(course, county.finance_branch, by=county.finance_secretary)


def test_a_schedule_must_be_ahead_and_in_order(county, course, teacher):
    req = ask(course, county.finance_branch, by=county.finance_secretary)
    with pytest.raises(ValidationError):
        accept(req, at(-1), at(-1, "10:00"), by=teacher.user)
    with pytest.raises(ValidationError):
        accept(req, at(2, "10:00"), at(2, "10:00"), by=teacher.user)
    with pytest.raises(ValidationError):
        accept(req, at(2, "10:00"), at(2, "11:00"), by=teacher.user, place=" ")
    assert LectureRequest.objects.get(pk=req.pk).meeting_id is None
