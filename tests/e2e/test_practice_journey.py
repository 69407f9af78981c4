"""我为群众办实事: the branch secretary adds an item to the 实事清单, records progress, uploads a photo, finishes it
and prints QR codes; a resident scans one on his phone (no account) and rates it; the list shows the satisfaction.
Then a member claims a 微心愿 on his phone without seeing the resident's number."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partyedu.practice import services
from partyedu.practice.models import Feedback, ServiceItem

from .conftest import log_in, shot
from .test_signin_phone import phone_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_a_worker_finishes_an_item_and_a_resident_rates_it_on_a_phone(county, browser, page, tmp_path):
    from ..conftest import PASSWORD

    today = timezone.localdate()
    log_in(page, "caizheng_shuji", PASSWORD)
    page.goto(page.base + "/practice/")
    page.click("#new-item")
    page.fill("#id_title", "为行动不便老人上门办理养老资格认证")
    page.select_option("#id_category", "public_service")
    page.fill("#id_responsible_names", "张三、李四")
    page.fill("#id_beneficiaries", "辖区行动不便的退休老人")
    page.fill("#id_beneficiary_count", "38")
    page.fill("#id_starts_on", (today - datetime.timedelta(days=40)).isoformat())
    page.fill("#id_deadline", (today + datetime.timedelta(days=20)).isoformat())
    page.fill("#id_plan", "摸清底数，党员分组上门，建立季度回访机制。")
    shot(page, "70-practice-item-form")
    page.click("#item-save")
    expect(page.locator("#item-title")).to_have_text("为行动不便老人上门办理养老资格认证")

    page.fill("#progress-form input[name=on]", (today - datetime.timedelta(days=10)).isoformat())
    page.fill("#progress-form textarea", "走访社区摸底，登记需上门认证老人38名")
    page.click("#progress-form button")
    expect(page.locator("#progress")).to_contain_text("登记需上门认证老人38名")
    photo = tmp_path / "上门认证.png"
    photo.write_bytes(PNG)
    page.set_input_files("#evidence-form input[type=file]", str(photo))
    page.fill("#evidence-form input[name=caption]", "上门认证现场")
    page.click("#evidence-form button")
    expect(page.locator("#evidence img")).to_have_count(1)
    page.fill("#complete-form textarea", "38名老人全部完成认证，建立季度上门机制。")
    page.click("#complete-form button")
    expect(page.locator(".messages")).to_contain_text("事项已办结")
    shot(page, "71-practice-item-done")

    page.fill("#tokens-form input[name=count]", "6")
    page.click("#tokens-form button")
    expect(page.locator("#qr-sheet svg")).to_have_count(6)
    shot(page, "72-practice-qr-sheet")
    link = page.locator("#qr-sheet figcaption a").first.get_attribute("href")

    context = phone_context(browser)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    phone.goto(link)
    expect(phone.locator("#item-title")).to_have_text("为行动不便老人上门办理养老资格认证")
    shot(phone, "73-practice-feedback-phone")
    phone.get_by_label("满意", exact=True).check()
    phone.fill("#id_comment", "党员上门服务，省了很多事")
    phone.click("#feedback-submit")
    expect(phone.locator("#feedback-message")).to_contain_text("提交成功")
    phone.goto(link)
    expect(phone.locator("#feedback-message")).to_contain_text("该评价码已经使用过")
    shot(phone, "74-practice-feedback-used")
    context.close()
    assert Feedback.objects.count() == 1

    page.goto(page.base + "/practice/")
    expect(page.locator("#item-table")).to_contain_text("100.0%")
    shot(page, "75-practice-list")
    page.click("text=各组织情况")
    expect(page.locator("#summary-table")).to_contain_text("100.0%")
    shot(page, "78-practice-summary")
    assert page.console_errors == []
    assert ServiceItem.objects.get().responsible.count() == 2


def test_a_member_claims_a_wish_on_his_phone(county, browser, live_server):
    from ..conftest import PASSWORD

    services.post_wish(
        county.finance,
        title="想要一套初中数学辅导书",
        text="孩子上初二，数学跟不上。",
        category="study",
        budget=120,
        resident_name="刘桂兰",
        community="城关镇幸福社区",
        resident_phone="13912345678",
    )
    context = phone_context(browser)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    phone.base = live_server.url
    log_in(phone, "zhangsan", PASSWORD)
    phone.click("#tile-wishes")
    expect(phone.locator("#open-wishes")).to_contain_text("想要一套初中数学辅导书")
    shot(phone, "76-practice-wishes-phone")
    phone.click("#open-wishes .pr-claim")
    expect(phone.locator(".messages")).to_contain_text("您已认领")
    expect(phone.locator("#wish")).not_to_contain_text("13912345678")
    shot(phone, "77-practice-wish-claimed-phone")
    context.close()
