import datetime

import pytest
from django.utils import timezone

from partyedu.meetings import services
from partyedu.meetings.models import CommitteeBody, CommitteeMember


def at(day: datetime.date, hour: int = 15, minute: int = 0) -> datetime.datetime:
    """An aware datetime in Asia/Shanghai: meetings are held on local days."""
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def theme_day(county):
    """The finance branch's 主题党日, under way right now: the sign-in window is open."""
    now = timezone.now()
    return services.create_meeting(
        organization=county.finance_branch,
        kind="theme_day",
        theme="重温入党誓词",
        starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(minutes=80),
        place="局三楼会议室",
        agenda=[{"title": "学习党章第一章", "is_first_agenda": True}, {"title": "重温入党誓词"}],
        by=county.finance_secretary,
    )


@pytest.fixture
def center_group(county):
    """The education bureau's 中心组: 王五 leads it, 赵六 sits on it."""
    start = timezone.localdate() - datetime.timedelta(days=400)
    for member, position in zip(county.education_members, ["组长", "成员"], strict=True):
        CommitteeMember.objects.create(
            organization=county.education,
            body=CommitteeBody.CENTER_GROUP,
            member=member,
            position=position,
            started_on=start,
        )
    return county.education
