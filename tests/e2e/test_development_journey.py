"""发展党员: the branch secretary records steps for an activist who becomes a candidate; a step dated too early is
refused with the rule named; the calendar then shows what is due next; the person follows it on his phone."""

import datetime

import pytest
from playwright.sync_api import expect

from partyedu.development import services
from partyedu.development.dates import add_months, cn_date, quarter_end
from partyedu.development.models import StepKind as K
from tests.development.conftest import applicant, walk
from tests.factories import make_user

from .conftest import log_in, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_secretary_records_steps_and_the_calendar_shows_what_is_due(county, page, phone):
    from django.utils import timezone

    from ..conftest import PASSWORD

    services.install_default_rules()
    today = timezone.localdate()
    applied = add_months(today, -19)
    member = applicant(county.finance_branch, name="李小龙", applied_on=applied)
    path = services.open_path(member)
    walk(path, county.finance_members[1:3], until=K.REVIEW)
    activist_on = add_months(applied, 6)
    earliest = add_months(activist_on, 12)

    log_in(page, "caizheng_shuji", PASSWORD)
    page.click("text=发展党员")
    expect(page.locator("#stage-counts")).to_contain_text("入党积极分子")
    shot(page, "94-development-board")
    page.click("#pipeline >> text=李小龙")
    expect(page.locator("#steps")).to_contain_text("确定为入党积极分子")
    page.click(".dev-kinds >> text=确定为发展对象")
    page.fill("#id_on", (earliest - datetime.timedelta(days=3)).isoformat())
    page.fill("#id_note", "听取党小组、培养联系人和群众意见，支委会讨论同意")
    page.click("#record-step button[type=submit]")
    refusal = page.locator("#record-step .errorlist")
    expect(refusal).to_contain_text("不符合规则“确定为入党积极分子满一年后方可确定为发展对象”")
    expect(refusal).to_contain_text(f"最早可于{cn_date(earliest)}确定为发展对象")
    shot(page, "95-development-refused")

    page.fill("#id_on", earliest.isoformat())
    page.click("#record-step button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("确定为发展对象")
    expect(page.locator("h1")).to_contain_text("发展对象")

    page.click(".dev-kinds >> text=确定入党介绍人")
    page.select_option("#id_first_person", label="李四（县财政局机关党支部）")
    page.select_option("#id_second_person", label="曾小明（县财政局机关党支部）")
    page.fill("#id_on", today.isoformat())
    page.click("#record-step button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("确定入党介绍人")
    expect(page.locator("#steps")).to_contain_text("李四、曾小明")
    shot(page, "96-development-person")

    page.click(".breadcrumb >> text=发展党员")
    page.click(".dev-tabs >> text=待办与逾期")
    row = page.locator("#calendar tr", has_text="李小龙").filter(has_text="本季度思想汇报")
    expect(row).to_contain_text(quarter_end(today).isoformat())
    expect(page.locator("#calendar")).to_contain_text("半年考察")
    shot(page, "97-development-calendar")
    page.click(".dev-tabs >> text=月历")
    page.goto(page.base + f"/development/calendar/month/?month={quarter_end(today):%Y-%m}")
    expect(page.locator("#month")).to_contain_text("李小龙：本季度思想汇报")
    shot(page, "98-development-month")

    make_user("lixiaolong", role="member", org=county.finance_branch, member=member)
    log_in(phone, "lixiaolong", PASSWORD)
    expect(phone.locator("#tile-development")).to_be_visible()
    phone.click("#tile-development")
    expect(phone.locator(".dev-stages-line .current")).to_have_text("发展对象")
    expect(phone.locator("#my-due")).to_contain_text("本季度思想汇报")
    shot(phone, "99-development-mine-phone")
