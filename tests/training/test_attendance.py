"""Attendance earns 学时: present holds the session's hours in the ledger, a change to absent withdraws them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partyedu.hours.models import HoursEntry, MemberYearHours
from partyedu.training import services
from partyedu.training.models import Enrolment

from .conftest import add_sessions, days_ago

pytestmark = pytest.mark.django_db


def class_hours(member) -> Decimal:
    row = MemberYearHours.objects.filter(member=member, year=days_ago(20).year).first()
    return row.class_hours if row else Decimal("0")


def test_present_credits_the_sessions_hours_and_absent_withdraws_them(county, finance_class):
    zhangsan = county.finance_members[0]
    e = services.enrol_member(finance_class, zhangsan)
    (s,) = add_sessions(finance_class, 1)
    by = county.finance_secretary

    services.record_attendance(s, {e.pk: "present"}, by=by)
    assert class_hours(zhangsan) == Decimal("4")
    entry = HoursEntry.objects.get(member=zhangsan)
    assert entry.source_key == f"class:{finance_class.pk}:session:{s.pk}"
    assert entry.source == "class" and entry.occurred_on == s.date

    services.record_attendance(s, {e.pk: "absent"}, by=by)
    assert class_hours(zhangsan) == Decimal("0")
    assert list(
        HoursEntry.objects.filter(member=zhangsan).order_by("pk").values_list("hours", flat=True)
    ) == [
        Decimal("4"),
        Decimal("-4"),
    ]

    services.record_attendance(s, {e.pk: "leave"}, by=by)
    services.record_attendance(s, {e.pk: "present"}, by=by)
    assert class_hours(zhangsan) == Decimal("4")
    e.refresh_from_db()
    assert (e.sessions_present, e.hours) == (1, Decimal("4"))


def test_marking_the_same_status_again_writes_nothing(county, finance_class):
    e = services.enrol_member(finance_class, county.finance_members[0])
    (s,) = add_sessions(finance_class, 1)
    services.record_attendance(s, {e.pk: "present"})
    assert services.record_attendance(s, {e.pk: "present"}) == 0
    assert HoursEntry.objects.count() == 1


def test_all_present_credits_every_enrolled_member_and_counts_sessions(county, rotation_class):
    services.enrol_by_criteria(rotation_class)
    s1, s2 = add_sessions(rotation_class, 2)
    s2.hours = Decimal("2.5")
    s2.save()

    assert services.mark_all_present(s1) == 5
    assert services.mark_all_present(s2) == 5
    for m in county.finance_members + county.education_members:
        assert class_hours(m) == Decimal("6.5")
    assert set(Enrolment.objects.values_list("sessions_present", "hours")) == {(2, Decimal("6.5"))}

    services.record_attendance(s2, {Enrolment.objects.get(member=county.finance_members[1]).pk: "absent"})
    assert class_hours(county.finance_members[1]) == Decimal("4")


def test_attendance_of_a_session_not_yet_held_is_refused(county, finance_class):
    e = services.enrol_member(finance_class, county.finance_members[0])
    s = services.add_session(
        finance_class,
        date=days_ago(-1),
        starts_at=datetime.time(9),
        ends_at=datetime.time(11),
        topic="明天的课",
    )
    with pytest.raises(ValidationError, match="尚未举行"):
        services.record_attendance(s, {e.pk: "present"})
    services.record_attendance(s, {e.pk: "present"}, today=days_ago(-1))
    assert HoursEntry.objects.get(member=county.finance_members[0]).hours == Decimal("4")


def test_withdrawn_members_are_not_marked(county, finance_class):
    e = services.enrol_member(finance_class, county.finance_members[0])
    services.withdraw_enrolment(e)
    (s,) = add_sessions(finance_class, 1)
    assert services.record_attendance(s, {e.pk: "present"}) == 0
    assert not HoursEntry.objects.exists()


def test_only_the_organisers_workers_mark_attendance(county, rotation_class):
    e = services.enrol_member(rotation_class, county.finance_members[0])
    (s,) = add_sessions(rotation_class, 1)
    with pytest.raises(PermissionDenied):
        services.record_attendance(s, {e.pk: "present"}, by=county.finance_secretary)
    assert not HoursEntry.objects.exists()
