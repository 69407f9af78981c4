"""The issue's story end to end: a branch secretary plans this month's 主题党日 on the meetings page, puts the
sign-in code on the screen, three members sign in on their phones, he marks the meeting held, and on the
compliance board his branch's 主题党日 for this month turns from waiting to green."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partyedu.compliance.services import install_default_rules
from partyedu.meetings.models import Meeting

from ..conftest import PASSWORD
from ..factories import make_user
from .conftest import log_in, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BOARD_CELL = """([org, rule]) => {
  const heads = [...document.querySelectorAll('#board thead th')];
  const col = heads.findIndex(th => th.textContent.trim().startsWith(rule));
  const row = [...document.querySelectorAll('#board tbody tr')].find(tr => tr.querySelector('th.org a')?.textContent === org);
  if (col < 0 || !row) return null;
  return row.children[col].className;
}"""


def phone_context(browser):
    return browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )


def board_state(page, county, month: int) -> str:
    page.goto(page.base + f"/compliance/?org={county.finance_branch.pk}&period=m{month}")
    return page.evaluate(BOARD_CELL, ["县财政局机关党支部", "主题党日"])


def test_a_secretary_records_a_theme_day_three_members_sign_in_and_the_board_turns_green(
    county, browser, page
):
    install_default_rules()  # a transactional test starts from an empty database: the rules' data migration is gone
    make_user("lisi", role="member", org=county.finance_branch, member=county.finance_members[1])
    make_user("zengxiaoming", role="member", org=county.finance_branch, member=county.finance_members[2])
    now = timezone.localtime()
    log_in(page, "caizheng_shuji", PASSWORD)
    before = board_state(page, county, now.month)
    shot(page, "50-board-before")
    assert before is not None and "s-met" not in before
    shot(page, "50-board-before")

    page.goto(page.base + "/meetings/")
    page.get_by_role("link", name="计划会议").click()
    page.select_option("select[name=organization]", str(county.finance_branch.pk))
    page.wait_for_load_state("networkidle")
    page.select_option("select[name=kind]", "theme_day")
    page.fill("input[name=theme]", "重温入党誓词 践行初心使命")
    start = now - datetime.timedelta(minutes=5)
    end = now + datetime.timedelta(minutes=85)
    page.fill("input[name=start_date]", start.strftime("%Y-%m-%d"))
    page.fill("input[name=start_time]", start.strftime("%H:%M"))
    if end.date() != start.date():
        page.fill("input[name=end_date]", end.strftime("%Y-%m-%d"))
    page.fill("input[name=end_time]", end.strftime("%H:%M"))
    page.fill("input[name=place]", "局三楼会议室")
    page.fill("input[name=agenda-0-title]", "学习党章第一章")
    page.check("input[name=agenda-0-first]")
    shot(page, "51-meeting-form")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text("重温入党誓词")
    meeting = Meeting.objects.get(theme="重温入党誓词 践行初心使命")
    assert meeting.expected_count == 3

    screen = page.context.new_page()
    screen.goto(page.base + f"/signin/display/{meeting.pk}/")
    for username in ["zhangsan", "lisi", "zengxiaoming"]:
        scan_url = screen.locator("#signin-qr").get_attribute("data-scan-url")
        context = phone_context(browser)
        phone = context.new_page()
        phone.goto(scan_url)
        phone.fill("#id_username", username)
        phone.fill("#id_password", PASSWORD)
        phone.click("button[type=submit]")
        phone.wait_for_url(scan_url)
        phone.get_by_role("button", name="确认签到").click()
        expect(phone.locator("#signin-result")).to_contain_text("签到成功")
        context.close()
    expect(screen.locator("#present-count")).to_have_text("3", timeout=20_000)
    screen.close()

    page.reload()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="标记为已召开").click()
    expect(page.locator(".mtg-badges")).to_contain_text("已召开")
    shot(page, "52-meeting-held")

    after = board_state(page, county, now.month)
    assert "s-met" in after, after
    shot(page, "53-board-after")
    assert page.console_errors == []
