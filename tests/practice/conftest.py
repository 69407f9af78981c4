import datetime

import pytest
from django.utils import timezone

from partyedu.points import services as points
from partyedu.practice import services


@pytest.fixture
def rules(county):
    points.install_default_rules(scope=county.committee)


@pytest.fixture
def make_item(county):
    """An item of the finance branch, started a month ago, due in `due` days (negative: overdue)."""

    def make(title="为退休老党员上门办理医保认证", *, org=None, responsible=None, due=30, **fields):
        today = timezone.localdate()
        defaults = {
            "list_kind": "shishi",
            "category": "public_service",
            "beneficiaries": "辖区行动不便的退休老人",
            "beneficiary_count": 40,
            "starts_on": today - datetime.timedelta(days=30),
            "deadline": today + datetime.timedelta(days=due),
        }
        defaults.update(fields)
        return services.create_item(
            org or county.finance_branch,
            title=title,
            responsible=county.finance_members[:2] if responsible is None else responsible,
            **defaults,
        )

    return make


@pytest.fixture
def wish(county):
    return services.post_wish(
        county.finance,
        title="想要一套初中数学辅导书",
        text="孩子上初二，家里困难，希望有一套数学辅导书。",
        category="study",
        budget=120,
        resident_name="刘桂兰",
        community="城关镇幸福社区",
        resident_phone="13912345678",
    )
