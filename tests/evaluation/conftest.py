import datetime

import pytest
from django.utils import timezone

from partyedu.evaluation import services

SUMMARY = "一年来，本人认真学习党的创新理论，按时参加三会一课，积极参加志愿服务，完成本职工作任务，" * 2


@pytest.fixture
def public_rating_page():
    """/evaluation/r/ opens without login."""
    from partyedu.accounts import middleware

    assert "/evaluation/r/".startswith(middleware.PUBLIC_PREFIXES)  # outside raters have no account


@pytest.fixture
def county_campaign(county):
    """A running campaign over the whole 工委: both the finance and the education branch take part."""
    today = timezone.localdate()
    return services.create_campaign(
        county.committee,
        year=today.year,
        title=f"{today.year}年度民主评议党员",
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=10),
    )
