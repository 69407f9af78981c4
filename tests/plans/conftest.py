"""A county-wide reading list and a finance branch list, with library materials to put on them."""

import datetime

import pytest
from django.utils import timezone

from partyedu.learning.materials_services import create_material
from partyedu.learning.models import StudyRecord
from partyedu.plans import services


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


@pytest.fixture
def county_material(county):
    """Published by the working committee for the whole county."""
    return create_material(
        publisher=county.committee,
        title="中国共产党简史（第一章）",
        category="party_history",
        body="<p>中国共产党的创立</p>",
        reading_minutes=10,
        visibility="county",
    )


@pytest.fixture
def finance_material(county):
    """Only the finance bureau's subtree sees it."""
    return create_material(
        publisher=county.finance,
        title="财政系统廉政教育读本",
        category="business",
        body="<p>廉洁自律</p>",
        reading_minutes=10,
        visibility="subtree",
    )


@pytest.fixture
def county_plan(county, county_material):
    """2026年度党员必读书目 for the whole county: one library item and one paper book, due in 30 days."""
    plan = services.create_plan(
        organization=county.committee,
        title="2026年度党员必读书目",
        year=today().year,
        deadline=days(30),
        by=county.committee_admin,
    )
    services.add_material_item(plan, county_material, by=county.committee_admin)
    services.add_book_item(plan, title="习近平著作选读（第一卷）", author="习近平", by=county.committee_admin)
    services.publish(plan, by=county.committee_admin)
    return plan


def complete(member, material, when=None):
    """Verified study, as the learning app records it once the reading rule is met."""
    when = when or timezone.now()
    return StudyRecord.objects.update_or_create(
        member=member, material=material, defaults={"seconds": 600, "completed_at": when}
    )[0]
