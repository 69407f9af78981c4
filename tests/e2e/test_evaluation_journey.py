"""民主评议: the branch secretary prints one-time QR codes for a member; an outside rater (a service recipient,
no account) scans one with his phone and answers; opening the link again says it has been used."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partyedu.evaluation import services
from partyedu.evaluation.models import MassResponse

from .conftest import log_in, shot
from .test_signin_phone import phone_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def public_rating_page():
    from partyedu.accounts import middleware

    assert "/evaluation/r/".startswith(middleware.PUBLIC_PREFIXES)  # outside raters have no account


def test_an_outside_rater_answers_through_a_qr_link_on_a_phone(county, browser, page, public_rating_page):
    from ..conftest import PASSWORD

    today = timezone.localdate()
    campaign = services.create_campaign(
        county.finance,
        year=today.year - 1,
        title=f"{today.year - 1}年度民主评议党员",
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=20),
    )
    zhang = campaign.participants.get(member=county.finance_members[0])

    log_in(page, "caizheng_shuji", PASSWORD)
    page.goto(page.base + f"/evaluation/participants/{zhang.pk}/")
    page.fill("#id_count", "6")
    page.select_option("#id_rater_kind", "recipient")
    page.click("#tokens-form button[type=submit]")
    expect(page.locator("#qr-sheet svg")).to_have_count(6)
    shot(page, "60-evaluation-qr-sheet")
    link = page.locator(".qr-card-url a").first.get_attribute("href")

    context = phone_context(browser)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    phone.goto(link)
    expect(phone.locator("#ratee-name")).to_have_text("张三")
    expect(phone.locator("#rate-page")).to_contain_text("县财政局机关党支部")
    shot(phone, "61-evaluation-rate-phone")
    phone.get_by_label("优秀").check()
    phone.fill("#id_comment", "办事热情，解释耐心")
    phone.click("#rate-submit")
    expect(phone.locator("#rate-message")).to_contain_text("提交成功")
    shot(phone, "62-evaluation-rate-thanks")

    phone.goto(link)
    expect(phone.locator("#rate-message")).to_contain_text("该评议码已经使用过")
    shot(phone, "63-evaluation-rate-used")
    context.close()
    response = MassResponse.objects.get()
    assert (response.ratee_id, response.grade, response.rater_kind) == (zhang.pk, "excellent", "recipient")
    services.suggest_grades(campaign)  # the 工委's button; the mass rating is now one of the parts
    page.goto(page.base + f"/evaluation/{campaign.pk}/")
    expect(page.locator("#participants")).to_contain_text("张三")
    shot(page, "64-evaluation-campaign-branch")
    page.goto(page.base + f"/evaluation/participants/{zhang.pk}/")
    expect(page.locator("#suggestion")).to_contain_text("群众评议")
    shot(page, "65-evaluation-participant")
    assert page.console_errors == []


def test_a_member_rates_his_branch_colleagues_on_his_phone(county, browser, live_server):
    from ..conftest import PASSWORD

    today = timezone.localdate()
    campaign = services.create_campaign(
        county.finance,
        year=today.year - 1,
        title=f"{today.year - 1}年度民主评议党员",
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=20),
    )
    me = campaign.participants.get(member=county.finance_members[0])
    li = campaign.participants.get(member=county.finance_members[1])
    context = phone_context(browser)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    phone.base = live_server.url
    log_in(phone, "zhangsan", PASSWORD)
    phone.goto(phone.base + "/evaluation/mine/")
    phone.click(f"a[href='/evaluation/mine/{me.pk}/']")
    # The click returns once the new page commits; htmx is a deferred script, so wait for it to run.
    phone.wait_for_url(f"**/evaluation/mine/{me.pk}/", wait_until="load")
    phone.get_by_label("李四的等次").select_option("excellent")
    expect(phone.locator(f"#saved-{li.pk}")).to_contain_text("已保存")
    shot(phone, "66-evaluation-member-phone")
    context.close()
    assert li.peer_ratings.get().grade == "excellent"
