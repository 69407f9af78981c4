import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from partyedu.training import services


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def make_class(county, *, organiser=None, target=None, kind="rotation", by=None, **extra):
    organiser = organiser or county.committee
    fields = {
        "title": "2026年度全县党员全员轮训班",
        "organiser": organiser,
        "target_org": target or organiser,
        "target_kind": kind,
        "is_rotation": kind == "rotation",
        "starts_on": days_ago(30),
        "ends_on": days_ago(1),
        "place": "县委党校",
        "session_hours": Decimal("4"),
        "final_test_mode": "mark",
    }
    fields.update(extra)
    return services.create_class(by=by if by is not None else county.committee_admin, **fields)


def add_sessions(cls, n: int, *, by=None, first_ago: int = 20):
    return [
        services.add_session(
            cls,
            date=days_ago(first_ago - i),
            starts_at=datetime.time(9),
            ends_at=datetime.time(12),
            topic=f"第{i + 1}讲",
            teacher_name="县委党校教师",
            by=by,
        )
        for i in range(n)
    ]


@pytest.fixture
def rotation_class(county):
    """The county's rotation class for every full and probationary member, organised by the 工委."""
    return make_class(county)


@pytest.fixture
def finance_class(county):
    """The finance bureau's own class, run by its branch secretary for his branch."""
    return make_class(
        county,
        organiser=county.finance_branch,
        title="财政局机关党支部党员轮训班",
        by=county.finance_secretary,
    )
