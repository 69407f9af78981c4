import datetime

import pytest
from django.utils import timezone

from partyedu.meetings import services as meetings
from partyedu.members.models import MembershipPeriod

from ..factories import make_org

YEAR = 2025


def at(day: datetime.date, hour: int = 15, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def members_since_2020(county):
    """The county's members have belonged to their branches for years, so they were expected in 2025."""
    MembershipPeriod.objects.update(started_on=datetime.date(2020, 1, 1))
    return county


def record(org, kind, theme, day, *, by=None, minutes="", agenda=None, decisions="", held=True, **extra):
    return meetings.create_meeting(
        organization=org,
        kind=kind,
        theme=theme,
        starts_at=at(day),
        ends_at=at(day, 17),
        place=extra.pop("place", "局三楼会议室"),
        held=held,
        minutes=minutes,
        agenda=agenda,
        decisions=decisions,
        by=by,
        **extra,
    )


@pytest.fixture
def education_year(members_since_2020):
    """A year of the education bureau's organisational life, with a stray meeting of the year before and one of
    the finance bureau, which no education ledger may show."""
    c = members_since_2020
    wang, zhao = c.education_members
    second = make_org("县教育局机关第二党支部", "branch", c.education)
    assembly = record(
        c.education_branch,
        "branch_assembly",
        "第一季度支部党员大会",
        datetime.date(YEAR, 3, 5),
        host=wang,
        recorder=zhao,
        minutes=(
            "<h3>一、传达学习</h3><p>王五同志传达了<strong>全会精神</strong>。</p>"
            "<ul><li>认真学习</li><li>抓好落实</li></ul><p>第一行<br>第二行</p>"
        ),
        agenda=[{"title": "学习党章", "is_first_agenda": True, "speaker": "王五"}, {"title": "讨论发展对象"}],
        decisions="同意接收李某为入党积极分子",
    )
    meetings.sign_in(assembly, wang, method="manual", at=at(datetime.date(YEAR, 3, 5), 14, 55))
    meetings.mark_attendance(assembly, zhao, "leave", reason="下乡调研")
    theme_day = record(c.education_branch, "theme_day", "七一重温入党誓词", datetime.date(YEAR, 7, 1))
    meetings.sign_in(theme_day, zhao, at=at(datetime.date(YEAR, 7, 1), 15, 2))
    lecture = record(c.education, "party_lecture", "党委书记讲党课", datetime.date(YEAR, 6, 20))
    planned = record(
        c.education_branch, "branch_committee", "尚未召开的支委会", datetime.date(YEAR, 12, 20), held=False
    )
    old = record(c.education_branch, "theme_day", "上一年度的主题党日", datetime.date(YEAR - 1, 12, 30))
    foreign = record(c.finance_branch, "theme_day", "财政局的主题党日", datetime.date(YEAR, 5, 8))
    c.second_branch = second
    c.held = [assembly, lecture, theme_day]
    c.not_in_ledger = [planned, old, foreign]
    return c
