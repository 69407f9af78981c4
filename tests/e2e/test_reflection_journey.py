"""In the browser: a member, on his phone, submits a reflection copied (with its punctuation changed) from a
colleague's and sees the overlap report with the passages and their source; his branch secretary, at his desk,
opens it from the review queue and returns it; the member sees why on his phone."""

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD
from ..reflections.conftest import rc, write  # noqa: F401 - rc is a fixture
from ..reflections.texts import ORIGINAL, disguise
from .conftest import log_in, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_copied_reflection_is_reported_and_returned(rc, phone, page):  # noqa: F811 - the fixture
    write(rc.finance_member2_user, "李四：集中学习心得", ORIGINAL)
    errors: list[str] = []
    phone.on("pageerror", lambda exc: errors.append(str(exc)))

    log_in(phone, "zhangsan", PASSWORD)
    phone.goto(phone.base + "/reflections/")
    phone.click("text=写心得 / 笔记")
    phone.fill("#id_title", "我的学习心得")
    phone.fill("#id_body", disguise(ORIGINAL))
    shot(phone, "reflections-01-write-phone")
    phone.click("button:text-is('提交审核')")
    report = phone.locator("#originality-report")
    expect(report).to_be_visible()
    expect(phone.locator("#overlap-percent")).to_contain_text("%")
    expect(phone.locator(".rf-pair").first).to_be_visible()
    expect(report).to_contain_text("李四：集中学习心得")
    expect(report).to_contain_text("不计积分")
    # the copied words are on the page twice: in the member's text and in the source's, each labelled
    first = phone.locator(".rf-pair").first
    expect(first.locator(".rf-mine")).to_contain_text("通过这次集中学 习")
    expect(first.locator(".rf-theirs")).to_contain_text("通过这次集中学习")
    shot(phone, "reflections-02-report-phone")

    log_in(page, "caizheng_shuji", PASSWORD)
    page.goto(page.base + "/reflections/review/")
    expect(page.locator("#queue-table")).to_contain_text("我的学习心得")
    shot(page, "reflections-03-queue")
    page.click("#queue-table >> text=我的学习心得")
    expect(page.locator(".rf-pair").first).to_be_visible()
    expect(page.locator("#overlap-percent")).to_contain_text("%")
    page.fill("#id_return_comment", "与他人心得高度雷同，请结合本人工作重写")
    shot(page, "reflections-04-review")
    page.click("button:text-is('退回修改')")
    expect(page.locator(".messages")).to_contain_text("已退回")

    phone.goto(phone.base + "/reflections/")
    expect(phone.locator("#reflection-table")).to_contain_text("请结合本人工作重写")
    shot(phone, "reflections-05-returned-phone")
    assert not page.console_errors
    assert not errors
