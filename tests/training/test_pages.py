"""The pages, as a county worker, a unit's worker, another branch's secretary and a member use them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from partyedu.hours.models import MemberYearHours
from partyedu.training import services
from partyedu.training.models import ClassSession, Enrolment, SessionAttendance, TrainingClass
from tests.factories import MemberFactory

from .conftest import add_sessions, days_ago, make_class

pytestmark = pytest.mark.django_db


def test_a_unit_worker_runs_a_class_through_the_pages(county, client):
    client.force_login(county.education_admin)
    response = client.post(
        reverse("training:create"),
        {
            "title": "教育局党员全员轮训班",
            "organiser": county.education.pk,
            "target_org": county.education.pk,
            "target_kind": "rotation",
            "starts_on": days_ago(10).isoformat(),
            "ends_on": days_ago(1).isoformat(),
            "place": "局会议室",
            "session_hours": "3",
            "final_test_mode": "mark",
            "completion_fraction": "0.80",
        },
    )
    cls = TrainingClass.objects.get()
    assert response.status_code == 302 and cls.is_rotation and cls.year == days_ago(10).year

    client.post(reverse("training:enrol_criteria", args=[cls.pk]))
    assert Enrolment.objects.filter(training_class=cls).count() == 2
    client.post(
        reverse("training:session_add", args=[cls.pk]),
        {
            "date": days_ago(5).isoformat(),
            "starts_at": "09:00",
            "ends_at": "11:30",
            "topic": "学习党章",
            "hours": "",
        },
    )
    session = ClassSession.objects.get()
    assert session.hours == Decimal("3")
    wangwu, zhaoliu = (Enrolment.objects.get(member=m) for m in county.education_members)
    assert client.get(reverse("training:session", args=[session.pk])).status_code == 200
    client.post(
        reverse("training:session", args=[session.pk]),
        {f"a{wangwu.pk}": "present", f"a{zhaoliu.pk}": "leave"},
    )
    assert MemberYearHours.objects.get(member=county.education_members[0]).class_hours == Decimal("3")
    assert not MemberYearHours.objects.filter(member=county.education_members[1], class_hours__gt=0).exists()

    client.post(
        reverse("training:results", args=[cls.pk]), {f"r{wangwu.pk}": "passed", f"s{wangwu.pk}": "90"}
    )
    client.post(reverse("training:complete", args=[cls.pk]))
    wangwu.refresh_from_db()
    assert wangwu.status == "completed" and wangwu.score == Decimal("90") and wangwu.certificate_code

    body = client.get(reverse("training:detail", args=[cls.pk])).content.decode()
    assert "王五" in body and "已结业" in body and "证书" in body


def test_creating_a_class_for_another_unit_is_refused(county, client):
    client.force_login(county.education_admin)
    response = client.post(
        reverse("training:create"),
        {
            "title": "越权培训班",
            "organiser": county.finance.pk,
            "target_org": county.finance.pk,
            "target_kind": "rotation",
            "starts_on": "2026-03-01",
            "ends_on": "2026-03-02",
            "session_hours": "3",
            "final_test_mode": "mark",
            "completion_fraction": "0.80",
        },
    )
    assert response.status_code == 200  # the unit is not among the choices
    assert not TrainingClass.objects.exists()


def test_adding_a_member_by_hand_on_the_page_stays_within_the_subtree(county, client, finance_class):
    client.force_login(county.finance_secretary)
    client.post(reverse("training:enrol_add", args=[finance_class.pk]), {"who": "王五"})
    client.post(reverse("training:enrol_add", args=[finance_class.pk]), {"who": "李四"})
    assert list(Enrolment.objects.values_list("member__name", flat=True)) == ["李四"]


def test_another_branchs_secretary_can_neither_see_nor_change_a_class(county, client):
    cls = make_class(
        county, organiser=county.education, title="教育局支部书记培训班", by=county.education_admin
    )
    services.enrol_by_criteria(cls)
    (s,) = add_sessions(cls, 1)
    client.force_login(county.finance_secretary)

    assert "教育局支部书记培训班" not in client.get(reverse("training:list")).content.decode()
    assert client.get(reverse("training:detail", args=[cls.pk])).status_code == 404
    assert client.post(reverse("training:session_all_present", args=[s.pk])).status_code == 404
    assert client.post(reverse("training:complete", args=[cls.pk])).status_code == 404
    assert not SessionAttendance.objects.exists()
    cls.refresh_from_db()
    assert cls.status == "draft"


def test_a_unit_secretary_sees_the_county_class_only_if_it_is_in_his_scope(county, client, rotation_class):
    client.force_login(county.education_admin)
    assert client.get(reverse("training:detail", args=[rotation_class.pk])).status_code == 404
    client.force_login(county.committee_admin)
    assert client.get(reverse("training:detail", args=[rotation_class.pk])).status_code == 200


def test_a_member_sees_his_own_classes_only(county, client, finance_class):
    services.enrol_member(finance_class, county.finance_members[0])
    other = make_class(county, organiser=county.finance_branch, title="另一个班", by=county.finance_secretary)
    services.enrol_member(other, county.finance_members[1])
    (s,) = add_sessions(finance_class, 1)
    services.mark_all_present(s)
    client.force_login(county.finance_member_user)

    body = client.get(reverse("training:my")).content.decode()
    assert "财政局机关党支部党员轮训班" in body and "另一个班" not in body and "出席" in body
    assert client.get(reverse("training:detail", args=[finance_class.pk])).status_code == 404
    assert "财政局机关党支部党员轮训班" not in client.get(reverse("training:list")).content.decode()


def test_the_class_list_does_not_query_per_row(county, client, django_assert_max_num_queries):
    for i in range(25):
        cls = make_class(county, title=f"第{i}期轮训班", target=county.finance)
        services.enrol_by_criteria(cls)
        add_sessions(cls, 2)
    client.force_login(county.committee_admin)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("training:list"))
    assert response.status_code == 200 and "第24期轮训班" in response.content.decode()


def test_the_class_detail_does_not_query_per_row(county, client, django_assert_max_num_queries):
    for i in range(40):
        MemberFactory.create(organization=county.education_branch, name=f"学员{i}")
    cls = make_class(county)
    services.enrol_by_criteria(cls)
    for s in add_sessions(cls, 4):
        services.mark_all_present(s)
    services.complete_class(cls, today=days_ago(0))
    client.force_login(county.committee_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("training:detail", args=[cls.pk]))
    body = response.content.decode()
    assert response.status_code == 200 and body.count("✓") >= 4 * 40
    with django_assert_max_num_queries(10):
        assert client.get(reverse("training:session", args=[cls.sessions.first().pk])).status_code == 200


def test_the_verify_form_page_opens(county, client):
    client.force_login(county.finance_member_user)
    response = client.get(reverse("training:verify_form"))
    assert response.status_code == 200 and "证书编号" in response.content.decode()


def test_sessions_in_the_future_show_no_attendance_form(county, client, finance_class):
    s = services.add_session(
        finance_class,
        date=days_ago(-3),
        starts_at=datetime.time(9),
        ends_at=datetime.time(10),
        topic="下周的课",
    )
    client.force_login(county.finance_secretary)
    body = client.get(reverse("training:session", args=[s.pk])).content.decode()
    assert "尚未举行" in body and "全部出席" not in body


def test_the_organiser_edits_and_opens_his_class(county, client, finance_class):
    client.force_login(county.finance_secretary)
    assert client.get(reverse("training:edit", args=[finance_class.pk])).status_code == 200
    data = {
        "title": "财政局机关党支部党员轮训班（春季）",
        "organiser": county.finance_branch.pk,
        "target_org": county.finance_branch.pk,
        "target_kind": "rotation",
        "is_rotation": "on",
        "starts_on": finance_class.starts_on.isoformat(),
        "ends_on": finance_class.ends_on.isoformat(),
        "session_hours": "4",
        "final_test_mode": "mark",
        "completion_fraction": "0.80",
    }
    assert client.post(reverse("training:edit", args=[finance_class.pk]), data).status_code == 302
    client.post(reverse("training:status", args=[finance_class.pk]), {"status": "open"})
    client.post(reverse("training:status", args=[finance_class.pk]), {"status": "completed"})  # only by 结业
    finance_class.refresh_from_db()
    assert finance_class.title.endswith("（春季）") and finance_class.status == "open"
