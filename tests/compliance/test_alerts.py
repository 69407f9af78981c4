"""The daily check: who is alerted about what, once."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from partyedu.compliance import services
from partyedu.compliance.tasks import send_compliance_alerts
from partyedu.meetings.models import MeetingKind
from partyedu.notifications.models import Notification

from ..factories import make_user
from .conftest import TODAY, hold

D = datetime.date
MK = MeetingKind


@pytest.fixture
def finance_life(county):
    """The finance branch holds its 支委会 and 主题党日 every month up to September, then stops; 李四 stops coming
    in June."""
    zhang, li, _ = county.finance_members
    for month in range(1, 10):
        hold(
            county.finance_branch,
            MK.THEME_DAY,
            D(2026, month, 8),
            present=[zhang] + ([li] if month < 6 else []),
        )
        hold(county.finance_branch, MK.BRANCH_COMMITTEE, D(2026, month, 9), present=[zhang, li])
    return county


def titles(user):
    return set(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_the_secretary_is_told_what_his_branch_missed_last_month(finance_life):
    county = finance_life
    summary = services.send_alerts(county.committee, TODAY)
    assert summary.created > 0

    mine = titles(county.finance_secretary)
    assert "县财政局机关党支部 2026年10月 未召开支委会" in mine
    assert "县财政局机关党支部 2026年10月 未开展主题党日" in mine
    # the last completed quarter and year
    assert "县财政局机关党支部 2026年第三季度 未召开支部党员大会" in mine
    assert "县财政局机关党支部 2025年度 未开展现场教学（应 2 次）" in mine
    # September was held; November is not over
    assert not any("2026年9月" in t or "2026年11月" in t for t in mine)
    # nothing about another branch, and members of his branch by name
    assert not any("教育局" in t for t in mine)
    assert not any(t.startswith("李四") for t in mine)  # he still comes to the 支委会
    assert any(t.startswith("曾小明（县财政局机关党支部）已连续") and "缺席" in t for t in mine)
    notice = Notification.objects.get(
        user=county.finance_secretary, title__contains="2026年10月 未召开支委会"
    )
    assert notice.url.startswith(f"/compliance/org/{county.finance_branch.pk}/rule/")
    assert notice.url.endswith("?year=2026&period=m10")


def test_six_months_without_life_is_a_flag_for_the_branch_to_look_into(finance_life):
    county = finance_life
    services.send_alerts(county.committee, TODAY)
    notice = Notification.objects.get(
        user=county.finance_secretary, title__startswith="曾小明", kind="inactive"
    )
    assert notice.title == "曾小明（县财政局机关党支部）已连续六个月未参加党的组织生活"
    assert "须由支部核实处理" in notice.body and "尚无参加记录" in notice.body


def test_alerts_go_to_the_units_workers_and_not_to_the_working_committee(finance_life):
    county = finance_life
    unit_admin = make_user("caizheng_dangwu", role="org_admin", org=county.finance)
    services.send_alerts(county.committee, TODAY)

    assert "县财政局机关党支部 2026年10月 未召开支委会" in titles(unit_admin)
    assert "县财政局党组 2025年度 中心组学习未安排列席旁听" in titles(unit_admin)
    # the branch secretary is not bothered with his unit's center group
    assert "县财政局党组 2025年度 中心组学习未安排列席旁听" not in titles(county.finance_secretary)
    education = titles(county.education_admin)
    assert "第一党小组 2026年10月 未召开党小组会" in education
    assert not any("财政" in t for t in education)
    assert titles(county.committee_admin) == set()
    assert titles(county.finance_member_user) == set()


def test_running_the_check_twice_alerts_once(finance_life):
    county = finance_life
    first = services.send_alerts(county.committee, TODAY)
    count = Notification.objects.count()
    second = services.send_alerts(county.committee, TODAY)
    assert second.created == 0 and first.created == count
    assert Notification.objects.count() == count
    # the next day is still about October: nothing new either
    assert services.send_alerts(county.committee, TODAY + datetime.timedelta(days=1)).created == 0
    # on 1 December, November is over
    services.send_alerts(county.committee, D(2026, 12, 1))
    assert "县财政局机关党支部 2026年11月 未召开支委会" in titles(county.finance_secretary)


def test_the_task_and_the_command_run_the_same_check(finance_life):
    county = finance_life
    result = send_compliance_alerts.enqueue(county.committee.pk, TODAY.isoformat())
    assert result.return_value["created"] == Notification.objects.count() > 0
    out = io.StringIO()
    call_command("compliance_alerts", "--date", TODAY.isoformat(), stdout=out)
    assert "新发提醒 0 条" in out.getvalue()
    with pytest.raises(CommandError, match="日期格式"):
        call_command("compliance_alerts", "--date", "2026/11/21")


def test_the_command_says_when_to_run_it():
    from partyedu.compliance.management.commands.compliance_alerts import Command

    assert "每天 8:00 运行 partyedu compliance_alerts" in Command.help
