"""The member's side on his phone: his upcoming meetings with their notice and agenda, leave requests, and his
attendance history — only his own."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partyedu.meetings import services
from partyedu.meetings.models import Attendance, AttendanceStatus
from partyedu.members.models import MembershipPeriod

from ..factories import make_user
from .conftest import at


@pytest.fixture(autouse=True)
def members_since_long_ago(county):
    """The county's members joined their branches years ago, so past meetings expected them."""
    MembershipPeriod.objects.update(started_on=timezone.localdate() - datetime.timedelta(days=3 * 365))


def plan(org, theme, starts_at, **extra):
    return services.create_meeting(
        organization=org,
        kind=extra.pop("kind", "branch_assembly"),
        theme=theme,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        **extra,
    )


@pytest.fixture
def next_week(county):
    return plan(
        county.finance_branch,
        "第二季度党员大会",
        at(timezone.localdate() + datetime.timedelta(days=7), 9),
        place="四楼会议室",
        notice="请携带党章和笔记本。",
        agenda=[{"title": "学习党的二十届四中全会精神", "is_first_agenda": True}, {"title": "讨论发展对象"}],
    )


@pytest.fixture
def other_branch_meeting(county):
    return plan(
        county.education_branch, "教育局支部党员大会", at(timezone.localdate() + datetime.timedelta(days=3))
    )


def test_my_meetings_show_the_notice_agenda_and_a_leave_button_for_my_meetings_only(
    county, next_week, other_branch_meeting, client
):
    client.force_login(county.finance_member_user)
    body = client.get(reverse("signin:my_meetings")).content.decode()
    assert "第二季度党员大会" in body and "四楼会议室" in body
    assert "请携带党章和笔记本。" in body
    assert "第一议题" in body and "学习党的二十届四中全会精神" in body and "讨论发展对象" in body
    assert reverse("signin:leave", args=[next_week.pk]) in body
    assert "教育局支部党员大会" not in body


def test_a_member_asks_for_leave_before_the_meeting_and_sees_it_afterwards(county, next_week, client):
    client.force_login(county.finance_member_user)
    url = reverse("signin:leave", args=[next_week.pk])
    assert "请假事由" in client.get(url).content.decode()
    response = client.post(url, {"reason": "到省厅参加业务培训"})
    assert response.status_code == 302 and response["Location"] == reverse("signin:my_meetings")
    row = Attendance.objects.get(meeting=next_week, member=county.finance_members[0])
    assert (row.status, row.leave_reason) == (AttendanceStatus.LEAVE, "到省厅参加业务培训")
    body = client.get(reverse("signin:my_meetings")).content.decode()
    assert "已请假" in body and "到省厅参加业务培训" in body
    next_week.refresh_from_db()
    assert next_week.leave_count == 1


def test_a_leave_needs_a_reason(county, next_week, client):
    client.force_login(county.finance_member_user)
    response = client.post(reverse("signin:leave", args=[next_week.pk]), {"reason": "  "})
    assert response.status_code == 200 and "请填写请假事由" in response.content.decode()
    assert Attendance.objects.get(meeting=next_week, member=county.finance_members[0]).status == "absent"


def test_leave_is_refused_once_the_meeting_is_over(county, client):
    yesterday = plan(
        county.finance_branch, "昨天的支部党员大会", at(timezone.localdate() - datetime.timedelta(days=1))
    )
    client.force_login(county.finance_member_user)
    url = reverse("signin:leave", args=[yesterday.pk])
    assert "不能在线请假" in client.get(url).content.decode()
    response = client.post(url, {"reason": "补请假"})
    assert response.status_code == 200
    assert "会议已召开或已结束，请联系支部书记" in response.content.decode()
    assert Attendance.objects.get(meeting=yesterday, member=county.finance_members[0]).status == "absent"


def test_leave_for_another_branchs_meeting_is_not_found(county, other_branch_meeting, client):
    client.force_login(county.finance_member_user)
    url = reverse("signin:leave", args=[other_branch_meeting.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x"}).status_code == 404


def held_meetings(county, n: int, start_days_ago: int = 400):
    """n past meetings of the finance branch, 张三 present by QR at every other one."""
    zhangsan = county.finance_members[0]
    meetings = []
    for i in range(n):
        day = timezone.localdate() - datetime.timedelta(days=start_days_ago - i * 7)
        meeting = plan(county.finance_branch, f"第{i + 1}次主题党日", at(day), kind="theme_day", held=True)
        if i % 2 == 0:
            services.sign_in(meeting, zhangsan, at=at(day, 15, 2))
        meetings.append(meeting)
    return meetings


def test_my_history_lists_my_attendance_with_method_and_time(county, other_branch_meeting, client):
    zhangsan = county.finance_members[0]
    zhangsan.is_leader = True
    zhangsan.save()
    held_meetings(county, 2)
    services.mark_held(
        plan(
            county.education_branch, "教育局往期党课", at(timezone.localdate() - datetime.timedelta(days=20))
        )
    )
    client.force_login(county.finance_member_user)
    body = client.get(reverse("signin:my_history")).content.decode()
    assert "第1次主题党日" in body and "第2次主题党日" in body
    assert "扫码签到 15:02" in body and "双重组织生活" in body
    assert "出席" in body and "缺席" in body
    assert "教育局往期党课" not in body


def test_my_history_is_paginated(county, client):
    held_meetings(county, 23)
    client.force_login(county.finance_member_user)
    first = client.get(reverse("signin:my_history")).content.decode()
    assert "共 23 次" in first and "第 1 / 2 页" in first
    assert "第23次主题党日" in first and "第1次主题党日" not in first  # newest first
    assert "第1次主题党日" in client.get(reverse("signin:my_history") + "?page=2").content.decode()


def test_my_history_costs_the_same_queries_for_3_or_18_meetings(county, client):
    client.force_login(county.finance_member_user)
    url = reverse("signin:my_history")
    held_meetings(county, 3)
    client.get(url)  # warm the session and the content types
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    held_meetings(county, 15, start_days_ago=300)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert "共 18 次" in body
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_my_meetings_costs_the_same_queries_for_1_or_6_meetings_each_way(county, client):
    client.force_login(county.finance_member_user)
    url = reverse("signin:my_meetings")
    soon = timezone.localdate() + datetime.timedelta(days=2)
    plan(county.finance_branch, "会议1", at(soon), agenda=[{"title": "议题"}])
    held_meetings(county, 1, start_days_ago=90)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(5):
        plan(
            county.finance_branch,
            f"会议{i + 2}",
            at(soon + datetime.timedelta(days=i + 1)),
            agenda=[{"title": "议题"}],
        )
    held_meetings(county, 6, start_days_ago=60)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert "会议6" in body
    assert len(many) == len(few)


def test_home_shows_my_next_meeting_on_its_tile(county, next_week, client):
    client.force_login(county.finance_member_user)
    body = client.get(reverse("core:home")).content.decode()
    assert "我的会议" in body and "我的出席记录" in body
    assert "第二季度党员大会" in body


def test_an_account_without_a_member_record_is_told_so(county, client):
    client.force_login(county.committee_admin)
    for name in ("signin:my_meetings", "signin:my_history"):
        response = client.get(reverse(name))
        assert response.status_code == 200 and "尚未关联党员档案" in response.content.decode()


def test_a_secretary_who_is_also_a_member_sees_his_own_meetings(
    county, next_week, other_branch_meeting, client
):
    lisi = make_user(
        "lisi_shuji", role="secretary", org=county.finance_branch, member=county.finance_members[1]
    )
    client.force_login(lisi)
    body = client.get(reverse("signin:my_meetings")).content.decode()
    assert "第二季度党员大会" in body and "教育局支部党员大会" not in body
