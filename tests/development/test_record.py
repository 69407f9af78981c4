"""The cultivation record (培养考察记录) gathers what the candidate did outside the steps: training classes
completed and, from the volunteering and practice apps, volunteer service and 我为群众办实事."""

import datetime
import importlib

import pytest

from partyedu.development import selectors, services

from .conftest import applicant

pytestmark = pytest.mark.django_db
D = datetime.timedelta


def _has(module: str, name: str) -> bool:
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return False


@pytest.mark.skipif(
    not _has("partyedu.volunteering.selectors", "member_volunteer_record"),
    reason="志愿服务模块尚未提供 member_volunteer_record",
)
def test_confirmed_volunteer_service_appears_in_the_cultivation_record(county, rules, today):
    from partyedu.volunteering import services as volunteering

    member = applicant(county.finance_branch, name="冯二", applied_on=today - D(days=30))
    path = services.open_path(member)
    record = volunteering.report_service(member, title="社区清洁家园", served_on=today - D(days=3), hours="2")
    assert selectors.cultivation_record(path)["volunteering"] == []  # not yet confirmed
    # The branch confirms it. Set directly rather than through volunteering.services.confirm, which at the time
    # of writing fails on PostgreSQL (FOR UPDATE over the nullable activity join; reported to its author).
    from partyedu.volunteering.models import RecordStatus, VolunteerRecord

    VolunteerRecord.objects.filter(pk=record.pk).update(status=RecordStatus.CONFIRMED)
    rows = selectors.cultivation_record(path)["volunteering"]
    assert [(r["title"], r["date"]) for r in rows] == [("社区清洁家园", today - D(days=3))]


@pytest.mark.skipif(
    not _has("partyedu.practice.selectors", "member_practice_record"),
    reason="我为群众办实事模块尚未提供 member_practice_record",
)
def test_practice_record_is_read_through_the_practice_app(county, rules, today):
    member = applicant(county.finance_branch, name="陈三", applied_on=today - D(days=30))
    path = services.open_path(member)
    assert selectors.cultivation_record(path)["practice"] == []


def test_a_missing_app_leaves_the_record_empty_rather_than_failing():
    assert selectors._optional_record("partyedu.nonexistent.selectors", "member_volunteer_record", None) == []


def test_a_completed_training_class_is_offered_for_the_training_step(county, rules, today):
    from partyedu.training.models import Enrolment, EnrolmentStatus, TrainingClass

    member = applicant(county.finance_branch, name="褚四", applied_on=today - D(days=30))
    path = services.open_path(member)
    cls = TrainingClass.objects.create(
        title="县直机关入党积极分子培训班",
        organiser=county.committee,
        target_org=county.committee,
        target_kind="activists",
        year=today.year,
        starts_on=today - D(days=10),
        ends_on=today - D(days=7),
        session_hours=8,
        status="completed",
    )
    Enrolment.objects.create(
        training_class=cls, member=member, status=EnrolmentStatus.COMPLETED, completed_on=today - D(days=7)
    )
    assert [e.training_class.title for e in selectors.cultivation_record(path)["trainings"]] == [
        "县直机关入党积极分子培训班"
    ]
