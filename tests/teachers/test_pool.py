"""Keeping the pool: the committee admin adds teachers and courses, a teacher edits his own courses, nobody
else changes anything."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partyedu.teachers import selectors, services
from partyedu.teachers.models import Teacher

from ..factories import make_user

pytestmark = pytest.mark.django_db


def test_an_internal_teacher_answers_from_his_own_member_account(county):
    zhang = county.finance_members[0]  # logs in as zhangsan
    t = services.create_teacher(
        name=zhang.name, kind="internal", member=zhang, areas=["economy"], by=county.committee_admin
    )
    assert t.user == county.finance_member_user
    assert t.area_labels == ["现代经济"]


def test_only_the_pool_admin_adds_or_edits_teachers(county, teacher):
    for outsider in (county.finance_secretary, county.education_admin, county.finance_member_user):
        with pytest.raises(PermissionDenied):
            services.create_teacher(name="x", unit="y", areas=["politics"], by=outsider)
        with pytest.raises(PermissionDenied):
            services.update_teacher(teacher, name="被改名", by=outsider)
    teacher.refresh_from_db()
    assert teacher.name == "周明"


def test_a_teacher_keeps_his_own_courses_but_not_others(county, teacher, course):
    services.update_course(course, title="从党史中汲取奋进力量（新版）", by=teacher.user)
    other = services.create_teacher(
        name="李华", unit="县委党史研究室", areas=["culture"], by=county.committee_admin
    )
    other_course = services.create_course(other, title="文化自信", area="culture", by=county.committee_admin)
    with pytest.raises(PermissionDenied):
        services.update_course(other_course, title="被改名", by=teacher.user)
    with pytest.raises(PermissionDenied):
        services.create_course(other, title="x", area="culture", by=teacher.user)
    services.create_course(teacher, title="伟大建党精神", area="party_history", by=teacher.user)
    assert teacher.courses.count() == 2


def test_teacher_and_course_validation(county):
    with pytest.raises(ValidationError) as exc:
        services.create_teacher(name=" ", kind="external", areas=[], by=county.committee_admin)
    assert {"name", "areas", "unit"} <= set(exc.value.message_dict)
    t = services.create_teacher(name="王讲师", unit="市委党校", areas=["politics"], by=county.committee_admin)
    with pytest.raises(ValidationError):
        services.create_course(t, title="x", area="nonsense", by=county.committee_admin)
    with pytest.raises(ValidationError):
        services.create_course(t, title="x", area="politics", minutes=5, by=county.committee_admin)
    taken = make_user("laoshi")
    services.update_teacher(t, user=taken, by=county.committee_admin)
    other = services.create_teacher(
        name="赵讲师", unit="市委党校", areas=["politics"], by=county.committee_admin
    )
    with pytest.raises(ValidationError):
        services.update_teacher(other, user=taken, by=county.committee_admin)


def test_catalogue_filters_by_area_and_searches_names_and_course_titles(county, teacher, course):
    other = services.create_teacher(
        name="李华", unit="县法院", areas=["rule_of_law"], by=county.committee_admin
    )
    services.create_course(other, title="民法典与机关工作", area="rule_of_law", by=county.committee_admin)
    retired = services.create_teacher(
        name="老李", unit="县法院", areas=["rule_of_law"], status="retired", by=county.committee_admin
    )
    assert [t.name for t in selectors.teachers(area="rule_of_law")] == ["李华"]
    assert [t.name for t in selectors.teachers(q="民法典")] == ["李华"]
    assert [t.name for t in selectors.teachers(q="周")] == ["周明"]
    assert retired in selectors.teachers(area="rule_of_law", include_retired=True)
    assert [c.title for c in selectors.courses(q="周明")] == ["从党史中汲取奋进力量"]
    assert Teacher.objects.count() == 3
