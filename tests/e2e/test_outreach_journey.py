"""In the browser: a branch secretary opens the left-behind list, registers a home delivery for the member flagged
需送学上门, and the member's 学时 show it. Screenshots in var/screenshots/outreach-*.png."""

import os
import shutil

import pytest
from playwright.sync_api import expect

from partyedu.members.models import Member

from ..conftest import PASSWORD
from .conftest import CHROMIUM, log_in, shot

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    # tests/e2e/conftest.py skips its own tests without a browser; this one lives with its app
    pytest.mark.skipif(
        not shutil.which(CHROMIUM) and not os.environ.get("CI"), reason=f"没有找到 {CHROMIUM}"
    ),
]


def test_left_behind_list_to_a_home_delivery_and_its_hours(county, page):
    lisi = county.finance_members[1]
    Member.objects.filter(pk=lisi.pk).update(needs_home_delivery=True, is_retired=True)

    log_in(page, "caizheng_shuji", PASSWORD)
    page.goto(page.base + "/outreach/")
    expect(page.locator("#left-behind-table tbody tr")).to_have_count(3)
    expect(page.locator("#left-behind-counts")).to_contain_text("需要关注的党员")
    shot(page, "outreach-01-left-behind")

    page.click("text=登记送学上门")
    page.fill("#id_minutes", "90")
    page.fill("#id_summary", "学习党的二十大报告第一部分，读原文、谈体会")
    page.fill("#id_items", "大字版学习材料")
    page.fill("#id_companions", "张三")
    shot(page, "outreach-02-delivery-form")
    page.click("text=保存并计入学时")
    expect(page.locator("h1")).to_contain_text("送学上门")
    expect(page.locator("#delivery-facts")).to_contain_text("计 2 学时")
    shot(page, "outreach-03-delivery")

    page.goto(page.base + f"/hours/members/{lisi.pk}/")
    expect(page.locator("#hours-items")).to_contain_text("送学上门")
    shot(page, "outreach-04-member-hours")

    page.goto(page.base + f"/hours/orgs/{county.finance_branch.pk}/")
    expect(page.locator("#hours-members tbody tr")).to_have_count(3)
    shot(page, "outreach-05-hours-stats")
    assert not page.console_errors
