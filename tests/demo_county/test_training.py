"""The demo's training classes: rotation periods, a secretaries' and an activists' class, 学时 in the ledger."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from partyedu.demo.seeding import REFERENCE_DATE
from partyedu.hours.models import HoursEntry, MemberYearHours
from partyedu.orgs.models import Organization
from partyedu.training import selectors
from partyedu.training.demo import seed_training
from partyedu.training.models import Enrolment, SessionAttendance, TrainingClass

pytestmark = pytest.mark.django_db


def test_seed_training_on_a_small_county(demo_county):
    if not TrainingClass.objects.exists():  # until the seeder calls it itself
        n = seed_training(1, today=REFERENCE_DATE)
        assert n == Enrolment.objects.count()

    titles = list(TrainingClass.objects.values_list("title", flat=True))
    agencies = Organization.objects.filter(parent__parent=None, parent__isnull=False).count()
    assert sum("全员轮训" in t for t in titles) == min(4, agencies)
    assert any("支部书记" in t for t in titles) and any("积极分子" in t for t in titles)
    completed = Enrolment.objects.filter(status="completed")
    assert completed.exists() and not completed.filter(certificate_code=None).exists()
    assert completed.values("certificate_code").distinct().count() == completed.count()

    # every present mark earned its session's hours, and the yearly rows agree with the ledger
    present = SessionAttendance.objects.filter(status="present").count()
    class_entries = HoursEntry.objects.filter(source="class")
    assert class_entries.count() == present > 0
    assert (
        MemberYearHours.objects.aggregate(s=Sum("class_hours"))["s"]
        == class_entries.aggregate(s=Sum("hours"))["s"]
        == Decimal(4) * present
    )

    committee = Organization.objects.filter(parent=None).get()
    year = TrainingClass.objects.filter(is_rotation=True).order_by("starts_on").first().year
    total = selectors.coverage_total(selectors.rotation_coverage(committee, year))
    assert 0 < total["completed"] < total["enrolled"] <= total["total"]
