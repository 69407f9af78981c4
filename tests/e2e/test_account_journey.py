"""A unit's party worker makes a member branch secretary in the browser; the new secretary logs in on his phone."""

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD
from .conftest import log_in, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_party_worker_makes_a_secretary_who_logs_in_on_his_phone_with_the_password_shown(
    county, page, phone
):
    wangwu = county.education_members[0]
    log_in(page, "jiaoyu_dangwu", PASSWORD)
    page.goto(page.base + f"/orgs/{county.education_branch.pk}/")
    roles = page.locator("#roles")
    expect(roles).to_contain_text("账号与角色")
    roles.locator("select[name=member]").select_option(str(wangwu.pk))
    roles.locator("select[name=role]").select_option("secretary")
    shot(page, "30-grant-role")
    roles.get_by_role("button", name="授予角色").click()
    expect(page.locator("h1")).to_have_text("账号已开通")
    password = page.locator("#initial-password").inner_text().strip()
    shot(page, "31-initial-password")

    page.get_by_role("link", name="返回").click()
    expect(page.locator("#roles")).to_contain_text("支部书记")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("#roles").get_by_role("button", name="撤销").first.click()
    expect(page.locator("#roles")).to_contain_text("支部书记")  # dismissed: nothing revoked
    assert page.console_errors == []

    log_in(phone, wangwu.mobile, password)
    phone.goto(phone.base + "/members/")
    expect(phone.locator("#roster-table")).to_contain_text("赵六")
    shot(phone, "32-new-secretary-roster")
