"""志愿服务 and 意见建议 in the browser: a member signs up for an activity on his phone, the organiser confirms
the sheet after it took place, the member sees his hours and his points; a resident scans a branch's 意见箱
QR link, submits a suggestion on his phone, a worker replies, and the resident reads the reply by his code."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partyedu.opinions import services as opinion_services
from partyedu.opinions.models import Opinion
from partyedu.points.models import PointsTotal
from partyedu.points.services import install_default_rules
from partyedu.volunteering import services
from partyedu.volunteering.models import RecordStatus, VolunteerActivity, VolunteerRecord

from .conftest import log_in, shot
from .test_signin_phone import phone_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _phone(browser, live_server):
    context = phone_context(browser)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    phone.base = live_server.url
    return context, phone


def test_a_member_signs_up_on_his_phone_and_sees_confirmed_hours_and_points(
    county, browser, page, live_server
):
    from ..conftest import PASSWORD

    install_default_rules(scope=county.committee)
    starts = (timezone.now() + datetime.timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    activity = services.create_activity(
        title="敬老救孤·县社会福利中心慰问",
        theme="elderly",
        organizer=county.finance_branch,
        open_to=county.finance_branch,
        place="县社会福利中心",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        capacity=20,
        description="为老人打扫房间、理发、读报，陪老人聊天拉家常。",
        community=None,
    )

    context, phone = _phone(browser, live_server)
    log_in(phone, "zhangsan", PASSWORD)
    phone.click("#tile-volunteering")
    expect(phone.locator("#year-total")).to_contain_text("0")
    phone.click(f"a[href='/volunteering/{activity.pk}/']")
    expect(phone.locator("#activity-title")).to_have_text("敬老救孤·县社会福利中心慰问")
    shot(phone, "80-volunteering-activity-phone")
    phone.click("#signup-button")
    expect(phone.locator(".messages")).to_contain_text("报名成功")
    expect(phone.locator("#my-signup")).to_contain_text("待确认")
    shot(phone, "81-volunteering-signed-up-phone")

    # the activity takes place
    length = activity.ends_at - activity.starts_at
    held = timezone.now() - datetime.timedelta(days=1)
    VolunteerActivity.objects.filter(pk=activity.pk).update(starts_at=held, ends_at=held + length)
    record = VolunteerRecord.objects.get()

    log_in(page, "caizheng_shuji", PASSWORD)
    page.goto(page.base + f"/volunteering/{activity.pk}/")
    expect(page.locator("#records")).to_contain_text("张三")
    page.fill(f"input[name='h{record.pk}']", "2.5")
    page.select_option(f"select[name='d{record.pk}']", "confirm")
    shot(page, "82-volunteering-confirm-sheet")
    page.click("#save-sheet")
    expect(page.locator(".messages")).to_contain_text("已保存1条")
    expect(page.locator(f"#record-{record.pk}")).to_contain_text("已确认")
    page.goto(page.base + "/volunteering/stats/")
    expect(page.locator("#totals")).to_contain_text("2.5")
    shot(page, "8a-volunteering-stats")
    page.goto(page.base + "/volunteering/checkins/")
    expect(page.locator("#checkins")).to_contain_text("未报到")
    shot(page, "8b-volunteering-checkins")
    assert page.console_errors == []

    phone.goto(phone.base + "/volunteering/mine/")
    expect(phone.locator("#year-total")).to_contain_text("2.5")
    expect(phone.locator("#my-records")).to_contain_text("已确认")
    shot(phone, "83-volunteering-my-hours-phone")
    phone.goto(phone.base + "/points/mine/")
    expect(phone.locator("body")).to_contain_text("志愿服务")
    shot(phone, "84-volunteering-points-phone")
    context.close()
    record.refresh_from_db()
    assert record.status == RecordStatus.CONFIRMED
    total = PointsTotal.objects.get(member=county.finance_members[0], period=str(timezone.localdate().year))
    assert total.total == 2.5


def test_a_resident_submits_an_opinion_by_qr_and_a_worker_replies(county, browser, page, live_server):
    from ..conftest import PASSWORD

    log_in(page, "caizheng_shuji", PASSWORD)
    page.goto(page.base + f"/opinions/box/{county.finance_branch.pk}/")
    page.click("#open-box")
    expect(page.locator("#qr-card svg")).to_have_count(1)
    shot(page, "85-opinions-qr")
    link = page.locator("#box-url").get_attribute("href")
    assert "/opinions/p/" in link

    context = phone_context(browser)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    phone.goto(link)
    expect(phone.locator("#public-page")).to_contain_text("县财政局机关党支部")
    phone.click("#public-submit")  # empty: a Chinese message, nothing stored
    expect(phone.locator("#public-page")).to_contain_text("请填写意见建议内容")
    phone.fill("#id_content", "单位门口人行道砖块松动，雨天容易溅水滑倒，希望尽快修补。")
    phone.fill("#id_giver_name", "王阿姨")
    phone.fill("#id_giver_contact", "13700001111")
    shot(phone, "86-opinions-public-form-phone")
    phone.click("#public-submit")
    expect(phone.locator("#public-message")).to_contain_text("提交成功")
    code = phone.locator("#receipt-code").inner_text()
    shot(phone, "87-opinions-public-thanks-phone")

    opinion = Opinion.objects.get()
    page.goto(page.base + "/opinions/")
    expect(page.locator("#opinions")).to_contain_text("人行道砖块松动")
    page.click(f"a[href='/opinions/{opinion.pk}/']")
    expect(page.locator("#giver-contact")).to_have_text("13700001111")
    page.fill("#id_reply", "已联系市政部门，松动砖块已于今日修补完毕，感谢您的监督。")
    page.click("#reply-submit")
    expect(page.locator("#reply")).to_contain_text("用时 0 天")
    shot(page, "88-opinions-replied")
    assert page.console_errors == []

    phone.goto(live_server.url + f"/opinions/p/r/{code}/")
    expect(phone.locator("#receipt-status")).to_have_text("已答复")
    expect(phone.locator("#receipt-reply")).to_contain_text("松动砖块已于今日修补完毕")
    expect(phone.locator("#receipt-page")).not_to_contain_text("13700001111")
    shot(phone, "89-opinions-receipt-phone")
    context.close()
    assert opinion_services.box_for_token(link.rstrip("/").rsplit("/", 1)[-1]) is not None
