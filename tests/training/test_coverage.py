"""全员轮训进度: per child organisation, members in scope, enrolled in a rotation class of the year, completed."""

import pytest
from django.urls import reverse

from partyedu.training import selectors, services
from partyedu.training.models import Enrolment

from .conftest import add_sessions, make_class
from .test_enrolment import activist

pytestmark = pytest.mark.django_db


def test_coverage_counts_per_child_organisation_in_one_query(county, django_assert_num_queries):
    activist(county.finance_branch, "孙积极")  # not in the rotation's scope
    cls = make_class(county, target=county.finance)
    services.enrol_member(cls, county.finance_members[0])
    services.enrol_member(cls, county.finance_members[1])
    services.enrol_member(cls, county.education_members[0])
    withdrawn = services.enrol_member(cls, county.education_members[1])
    services.withdraw_enrolment(withdrawn)
    not_rotation = make_class(county, kind="custom", title="专题班", is_rotation=False)
    services.enrol_member(not_rotation, county.finance_members[2])
    Enrolment.objects.filter(member=county.finance_members[0], training_class=cls).update(status="completed")

    with django_assert_num_queries(2):  # the children, and the grouped counts
        rows = selectors.rotation_coverage(county.committee, cls.year)

    table = {r["org"].name: (r["total"], r["enrolled"], r["completed"]) for r in rows}
    assert table == {"县财政局党组": (3, 2, 1), "县教育局党委": (2, 1, 0)}
    assert selectors.coverage_total(rows) == {
        "total": 5,
        "enrolled": 3,
        "completed": 1,
        "enrolled_pct": 60,
        "completed_pct": 20,
    }
    assert [r["enrolled"] for r in selectors.rotation_coverage(county.committee, cls.year - 1)] == [0, 0]


def test_members_held_by_the_chosen_organisation_itself_get_their_own_row(county):
    rows = selectors.rotation_coverage(county.finance_branch, 2026)
    assert [(r["org"], r["own"], r["total"]) for r in rows] == [(county.finance_branch, True, 3)]


def test_the_coverage_page_shows_the_table_and_refuses_other_units(county, client):
    cls = make_class(county)
    services.enrol_by_criteria(cls)
    (s,) = add_sessions(cls, 1)
    services.mark_all_present(s)
    client.force_login(county.committee_admin)
    body = client.get(reverse("training:coverage"), {"year": cls.year}).content.decode()
    assert "县财政局党组" in body and "县教育局党委" in body and "100%" in body

    client.force_login(county.finance_secretary)
    assert client.get(reverse("training:coverage"), {"org": county.education.pk}).status_code == 404
    assert client.get(reverse("training:coverage")).status_code == 200
    client.force_login(county.finance_member_user)
    assert client.get(reverse("training:coverage")).status_code == 403
