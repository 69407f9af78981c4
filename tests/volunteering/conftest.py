import datetime

import pytest
from django.utils import timezone

from partyedu.points.services import install_default_rules
from partyedu.volunteering import services
from partyedu.volunteering.models import VolunteerActivity


@pytest.fixture
def rules(county):
    """The county's points rules: 志愿服务 1 point an hour, at most 8 a day and 50 a year."""
    install_default_rules(scope=county.committee)


def make_activity(
    organizer, *, open_to=None, hours=3, days_ahead=2, capacity=None, title="清洁家园·城关社区环境整治"
):
    starts = (timezone.now() + datetime.timedelta(days=days_ahead)).replace(minute=0, second=0, microsecond=0)
    return services.create_activity(
        title=title,
        theme="clean",
        organizer=organizer,
        open_to=open_to or organizer,
        place="城关街道幸福社区",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=hours),
        capacity=capacity,
        description="清理楼道杂物、小广告，整治背街小巷环境卫生。",
        community=None,
    )


def happened(activity: VolunteerActivity, days_ago: int = 1) -> VolunteerActivity:
    """Time passes: the activity took place `days_ago` days ago (same length)."""
    length = activity.ends_at - activity.starts_at
    starts = timezone.now() - datetime.timedelta(days=days_ago)
    VolunteerActivity.objects.filter(pk=activity.pk).update(starts_at=starts, ends_at=starts + length)
    activity.refresh_from_db()
    return activity


@pytest.fixture
def finance_activity(county):
    return make_activity(county.finance_branch)
