"""The pages: a shared catalogue, requests seen only by their organisation and their teacher, the pool kept by
the committee admin, and lists that cost the same queries for few or many rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partyedu.meetings import services as meeting_services
from partyedu.teachers.models import Course, LectureRequest, RequestStatus, Teacher

from ..access_routes.teachers import ROUTES, Shared
from .conftest import accept, ask, at, hold

pytestmark = pytest.mark.django_db


def make_teachers(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        t = Teacher.objects.create(name=f"教师{i}", unit="县委党校", areas=",politics,economy,")
        for j in range(2):
            Course.objects.create(
                teacher=t, title=f"课程{i}-{j}", area="politics", rating_count=j, rating_total=4 * j
            )


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if isinstance(r, Shared)))
def test_shared_pages_need_a_login_and_are_open_to_every_unit(name, county, client):
    url = reverse(name, kwargs=ROUTES[name].kwargs(county))
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    for who in ("finance_secretary", "finance_member_user", "education_admin"):
        client.force_login(getattr(county, who))
        assert client.get(url).status_code == 200


def test_the_contact_is_shown_to_workers_only(county, teacher, client):
    url = reverse("teachers:detail", args=[teacher.pk])
    client.force_login(county.finance_member_user)
    assert "13812345678" not in client.get(url).content.decode()
    client.force_login(county.finance_secretary)
    assert "13812345678" in client.get(url).content.decode()


@pytest.mark.parametrize("path", ["/teachers/", "/teachers/courses/"])
def test_the_catalogues_cost_the_same_queries_for_3_or_30_teachers(county, client, path):
    client.force_login(county.finance_secretary)
    make_teachers(3)
    client.get(path)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path + "?area=politics&sort=score").status_code == 200
    make_teachers(27, start=3)
    with CaptureQueriesContext(connection) as many:
        body = client.get(path + "?area=politics&sort=score").content.decode()
    assert body.count("tc-card" if path == "/teachers/" else "tc-course-row") == 20  # one page
    assert len(many) == len(few)
    assert "第 1 / " in body


def test_the_catalogue_query_count_is_bounded(county, client, django_assert_max_num_queries):
    make_teachers(25)
    client.force_login(county.finance_member_user)
    with django_assert_max_num_queries(10):
        assert client.get("/teachers/?q=教师&page=2").status_code == 200


def test_request_lists_cost_the_same_queries_for_few_or_many_rows(county, client, course, teacher):
    for _ in range(2):
        ask(course, county.finance_branch, by=county.finance_secretary)
    for who, path in ((county.finance_secretary, "/teachers/requests/"), (teacher.user, "/teachers/inbox/")):
        client.force_login(who)
        client.get(path)
        with CaptureQueriesContext(connection) as few:
            client.get(path)
        for _ in range(8):
            ask(course, county.finance_branch, by=county.finance_secretary)
        with CaptureQueriesContext(connection) as many:
            body = client.get(path).content.decode()
        assert body.count("从党史中汲取奋进力量") >= 10
        assert len(many) == len(few), path


def test_a_secretary_neither_sees_nor_cancels_another_branchs_request(county, course, teacher, client):
    req = ask(course, county.education_branch, by=county.education_admin)
    for who in ("finance_secretary", "finance_member_user"):
        client.force_login(getattr(county, who))
        for route in ("my_requests", "inbox"):
            assert "县教育局机关第一党支部" not in client.get(reverse(f"teachers:{route}")).content.decode()
        assert client.get(reverse("teachers:request_detail", args=[req.pk])).status_code == 404
        for action in ("cancel", "accept", "decline"):
            response = client.post(reverse(f"teachers:request_{action}", args=[req.pk]), {"reason": "x"})
            assert response.status_code == 404
    assert LectureRequest.objects.get(pk=req.pk).status == RequestStatus.PENDING
    # its own workers and the teacher do see it
    for who in (county.education_admin, teacher.user, county.committee_admin):
        client.force_login(who)
        assert client.get(reverse("teachers:request_detail", args=[req.pk])).status_code == 200


def test_a_member_cannot_manage_the_pool(county, teacher, course, client):
    client.force_login(county.finance_member_user)
    assert client.get(reverse("teachers:create")).status_code == 403
    assert (
        client.post(reverse("teachers:create"), {"name": "x", "unit": "y", "areas": ["politics"]}).status_code
        == 403
    )
    assert client.post(reverse("teachers:edit", args=[teacher.pk]), {"name": "被改名"}).status_code == 403
    assert (
        client.post(reverse("teachers:course_edit", args=[course.pk]), {"title": "被改名"}).status_code == 403
    )
    assert client.get(reverse("teachers:request_new", args=[course.pk])).status_code == 403
    body = client.get(reverse("teachers:detail", args=[teacher.pk])).content.decode()
    assert "修改教师信息" not in body and "申请授课" not in body
    assert Teacher.objects.get(pk=teacher.pk).name == "周明" and Teacher.objects.count() == 1


def test_the_pool_admin_adds_a_teacher_and_a_course_through_the_pages(county, client):
    client.force_login(county.committee_admin)
    response = client.post(
        reverse("teachers:create"),
        {
            "name": "陈立",
            "kind": "external",
            "unit": "市委党校",
            "title": "教授",
            "areas": ["politics", "economy"],
            "contact": "13900001111",
            "status": "active",
        },
    )
    teacher = Teacher.objects.get(name="陈立")
    assert response.status_code == 302 and teacher.area_labels == ["政治理论", "现代经济"]
    response = client.post(
        reverse("teachers:course_create", args=[teacher.pk]),
        {"title": "新质生产力", "area": "economy", "format": "lecture", "minutes": 90, "status": "open"},
    )
    assert response.status_code == 302 and teacher.courses.get().title == "新质生产力"
    # a form error is shown, not a 500
    response = client.post(reverse("teachers:create"), {"name": "", "kind": "external", "status": "active"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_request_accept_and_rate_through_the_pages(county, course, teacher, client):
    client.force_login(county.finance_secretary)
    day = timezone.localdate() + timezone.timedelta(days=10)
    response = client.post(
        reverse("teachers:request_new", args=[course.pk]),
        {
            "organization": county.finance_branch.pk,
            "preferred_from": day.isoformat(),
            "preferred_to": day.isoformat(),
            "preferred_period": "afternoon",
            "audience": 30,
            "note": "",
        },
    )
    req = LectureRequest.objects.get()
    assert response.status_code == 302 and req.organization == county.finance_branch

    client.force_login(teacher.user)
    assert "县财政局机关党支部" in client.get(reverse("teachers:inbox")).content.decode()
    response = client.post(
        reverse("teachers:request_accept", args=[req.pk]),
        {"date": day.isoformat(), "starts_at": "15:00", "ends_at": "16:30", "place": "财政局报告厅"},
    )
    req.refresh_from_db()
    assert response.status_code == 302 and req.status == RequestStatus.ACCEPTED
    assert req.meeting.place == "财政局报告厅"

    hold(req)
    zhang = county.finance_members[0]
    meeting_services.mark_attendance(req.meeting, zhang, "present", by=county.finance_secretary)
    client.force_login(county.finance_member_user)
    page = client.get(reverse("teachers:my_ratings")).content.decode()
    assert "从党史中汲取奋进力量" in page and "去评价" in page
    response = client.post(reverse("teachers:rate", args=[req.pk]), {"stars": 4, "comment": "生动"})
    assert response.status_code == 302
    assert "去评价" not in client.get(reverse("teachers:my_ratings")).content.decode()
    # a second time: told so, nothing new
    response = client.post(reverse("teachers:rate", args=[req.pk]), {"stars": 1})
    assert response.status_code == 200 and "已经评价过" in response.content.decode()
    course.refresh_from_db()
    assert (course.rating_count, course.rating_total) == (1, 4)


def test_a_member_not_expected_at_the_lecture_cannot_open_its_rating_page(county, course, teacher, client):
    req = ask(course, county.education_branch, by=county.education_admin)
    accept(req, at(3), at(3, "10:00"), by=teacher.user)
    hold(req)
    client.force_login(county.finance_member_user)
    assert client.get(reverse("teachers:rate", args=[req.pk])).status_code == 404
    assert client.post(reverse("teachers:rate", args=[req.pk]), {"stars": 5}).status_code == 404
