"""A party worker of the county's 机关工委, as a new user: logs in, browses the tree, finds a member."""

import re

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD
from .conftest import log_in, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_log_in_browse_the_tree_and_find_a_member_by_pinyin_initials(county, page):
    page.goto(page.base + "/members/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    shot(page, "01-login")
    log_in(page, "gongwei", PASSWORD)
    expect(page.locator("h1")).to_have_text("工作台")
    shot(page, "02-worker-home")

    page.click("text=组织架构")
    tree = page.locator("#org-tree")
    expect(tree).to_contain_text("示范县直属机关工作委员会")
    tree.get_by_role("button", name="展开示范县直属机关工作委员会").click()
    expect(tree).to_contain_text("县财政局党组")
    tree.get_by_role("button", name="展开县财政局党组").click()
    expect(tree).to_contain_text("县财政局机关党支部")
    shot(page, "03-org-tree")
    page.click("text=县财政局机关党支部")
    expect(page.locator("h1")).to_contain_text("县财政局机关党支部")
    expect(page.locator("dl.facts")).to_contain_text("3 人")

    page.click("text=党员花名册")
    page.fill("input[name=q]", "zxm")
    page.keyboard.press("Enter")
    expect(page.locator("#result-count")).to_have_text("1")
    expect(page.locator("#roster-table")).to_contain_text("曾小明")
    shot(page, "04-roster-search")
    page.click("#roster-table >> text=曾小明")
    expect(page.locator("h1")).to_contain_text("曾小明")
    shot(page, "05-member-detail")
    assert page.console_errors == []


def test_a_member_on_a_phone_sees_his_own_home(county, phone):
    log_in(phone, "zhangsan", PASSWORD)
    expect(phone.locator(".hero h1")).to_have_text("张三")
    shot(phone, "06-member-phone-home")
    phone.click("text=我的档案")
    expect(phone.locator("#citizen-id")).to_have_text(county.finance_members[0].citizen_id)
    shot(phone, "07-member-phone-record")
