import datetime

import pytest
from django.utils import timezone

from partyedu.members.models import MembershipPeriod
from partyedu.readingclub import services

from ..factories import make_org, make_user

YEAR = 2025
THEMES = [
    "学习党章党规",
    "学史明理",
    "学史增信",
    "学史崇德",
    "学史力行",
    "湘南起义与本地红色故事",
    "庆七一·讲党史",
    "半条被子的温暖",
    "全会精神",
    "依规治党",
    "调查研究",
    "年度读书分享",
]


def at(day: datetime.date, hour: int = 15) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def club(county):
    """The education bureau's 党委 runs a reading club; its two branches co-host in turn. 王五 (first branch)
    has an account; the first branch's secretary and the second branch's secretary are workers."""
    MembershipPeriod.objects.update(started_on=datetime.date(2020, 1, 1))
    c = county
    c.second_branch = make_org("县教育局机关第二党支部", "branch", c.education)
    c.first_secretary = make_user("jiaoyu_yizhi", role="secretary", org=c.education_branch)
    c.second_secretary = make_user("jiaoyu_erzhi", role="secretary", org=c.second_branch)
    c.wangwu = make_user("wangwu", role="member", org=c.education_branch, member=c.education_members[0])
    return c


def months_for(org, hosts):
    return [{"theme": theme, "cohost": host} for theme, host in zip(THEMES, hosts, strict=True)]


@pytest.fixture
def plan(club):
    """The 2025 plan, published: odd months hosted by the first branch, even months by the second."""
    hosts = [club.education_branch, club.second_branch] * 6
    p = services.create_plan(
        organization=club.education,
        year=YEAR,
        title="2025年度读书会计划",
        months=months_for(club.education, hosts),
        by=club.education_admin,
    )
    services.publish_plan(p, by=club.education_admin)
    return p


def month_of(plan, n):
    return plan.months.get(month=n)
