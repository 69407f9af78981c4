"""The branch secretary puts the sign-in code on the meeting room's screen; three members scan it with their
phones, log in, confirm, and the screen counts them."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partyedu.meetings import services

from ..conftest import PASSWORD
from ..factories import make_user
from .conftest import shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def phone_context(browser):
    return browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )


def test_three_members_sign_in_on_their_phones_and_the_screen_counts_them(county, browser, page):
    now = timezone.now()
    meeting = services.create_meeting(
        organization=county.finance_branch,
        kind="theme_day",
        theme="重温入党誓词 践行初心使命",
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(minutes=90),
        place="局三楼会议室",
        agenda=[{"title": "学习党章第一章", "is_first_agenda": True}, {"title": "重温入党誓词"}],
    )
    make_user("lisi", role="member", org=county.finance_branch, member=county.finance_members[1])
    make_user("zengxiaoming", role="member", org=county.finance_branch, member=county.finance_members[2])

    page.goto(page.base + "/")
    page.fill("#id_username", "caizheng_shuji")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(page.base + "/")
    page.goto(page.base + f"/signin/display/{meeting.pk}/")
    expect(page.locator("#signin-qr svg")).to_be_visible()
    expect(page.locator(".count-line")).to_contain_text("已签到 0 / 应到 3")
    shot(page, "40-signin-display")

    for n, username in enumerate(["zhangsan", "lisi", "zengxiaoming"]):
        # each member reads the code on the screen as it is at that moment
        scan_url = page.locator("#signin-qr").get_attribute("data-scan-url")
        context = phone_context(browser)
        phone = context.new_page()
        phone.set_default_timeout(15_000)
        phone.goto(scan_url)
        expect(phone.locator("#id_username")).to_be_visible()  # not logged in: the login page first
        phone.fill("#id_username", username)
        phone.fill("#id_password", PASSWORD)
        phone.click("button[type=submit]")
        phone.wait_for_url(scan_url)
        expect(phone.locator("h1")).to_contain_text("重温入党誓词")
        if n == 0:
            shot(phone, "41-signin-phone-confirm")
        phone.get_by_role("button", name="确认签到").click()
        expect(phone.locator("#signin-result")).to_contain_text("签到成功")
        if n == 0:
            shot(phone, "42-signin-phone-success")
        context.close()

    # the screen polls every 10 s
    expect(page.locator("#present-count")).to_have_text("3", timeout=20_000)
    expect(page.locator("#latest-names")).to_contain_text("曾小明")
    shot(page, "43-signin-display-counted")
    assert page.console_errors == []
    meeting.refresh_from_db()
    assert meeting.present_count == 3
