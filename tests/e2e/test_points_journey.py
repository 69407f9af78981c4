"""A member signs in to his branch's 主题党日 on his phone and finds the points on 我的积分, with the reason and
the rule they were credited under."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partyedu.meetings import services
from partyedu.points.services import install_default_rules

from ..conftest import PASSWORD
from .conftest import shot
from .test_signin_phone import phone_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_member_attends_and_sees_the_points_arrive_with_their_reason(county, browser, page):
    install_default_rules()  # a transactional test starts from a flushed database
    now = timezone.now()
    meeting = services.create_meeting(
        organization=county.finance_branch,
        kind="theme_day",
        theme="学习贯彻党的二十届四中全会精神",
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(minutes=90),
        place="局三楼会议室",
    )
    page.goto(page.base + "/")
    page.fill("#id_username", "caizheng_shuji")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(page.base + "/")
    page.goto(page.base + f"/signin/display/{meeting.pk}/")
    scan_url = page.locator("#signin-qr").get_attribute("data-scan-url")

    context = phone_context(browser)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    phone.goto(page.base + "/points/mine/")
    phone.fill("#id_username", "zhangsan")
    phone.fill("#id_password", PASSWORD)
    phone.click("button[type=submit]")
    expect(phone.locator("#points-year")).to_have_text("0")
    phone.goto(scan_url)
    phone.get_by_role("button", name="确认签到").click()
    expect(phone.locator("#signin-result")).to_contain_text("签到成功")
    phone.goto(page.base + "/points/mine/")
    expect(phone.locator("#points-year")).to_have_text("2")
    row = phone.locator("#points-entries tbody tr").first
    expect(row).to_contain_text("参加主题党日：学习贯彻党的二十届四中全会精神")
    expect(row).to_contain_text("参加三会一课等组织生活")
    expect(row).to_contain_text("+2")
    shot(phone, "60-points-mine-phone")
    phone.goto(page.base + "/points/rankings/")
    expect(phone.locator("#member-ranking")).to_contain_text("张三")
    shot(phone, "61-points-ranking-phone")
    context.close()
