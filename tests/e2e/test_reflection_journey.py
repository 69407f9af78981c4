"""In the browser: a member submits a reflection copied (with its punctuation changed) from a colleague's and sees
the overlap report side by side; his branch secretary opens it from the review queue and returns it."""

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD
from ..reflections.conftest import rc, write  # noqa: F401 - rc is a fixture
from ..reflections.texts import ORIGINAL, disguise
from .conftest import log_in, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_copied_reflection_is_reported_and_returned(rc, page):  # noqa: F811 - the fixture
    write(rc.finance_member2_user, "李四：集中学习心得", ORIGINAL)

    log_in(page, "zhangsan", PASSWORD)
    page.goto(page.base + "/reflections/")
    page.click("text=写心得 / 笔记")
    page.fill("#id_title", "我的学习心得")
    page.fill("#id_body", disguise(ORIGINAL))
    shot(page, "reflections-01-write")
    page.click("button:text-is('提交审核')")
    expect(page.locator("#originality-report")).to_be_visible()
    expect(page.locator("#overlap-percent")).to_contain_text("%")
    expect(page.locator(".rf-pair").first).to_be_visible()
    expect(page.locator("#originality-report")).to_contain_text("李四：集中学习心得")
    expect(page.locator("#originality-report")).to_contain_text("不计积分")
    shot(page, "reflections-02-report")

    page.context.clear_cookies()
    log_in(page, "caizheng_shuji", PASSWORD)
    page.goto(page.base + "/reflections/review/")
    expect(page.locator("#queue-table")).to_contain_text("我的学习心得")
    shot(page, "reflections-03-queue")
    page.click("#queue-table >> text=我的学习心得")
    expect(page.locator(".rf-pair").first).to_be_visible()
    page.fill("#id_return_comment", "与他人心得高度雷同，请结合本人工作重写")
    shot(page, "reflections-04-review")
    page.click("button:text-is('退回修改')")
    expect(page.locator(".messages")).to_contain_text("已退回")

    page.context.clear_cookies()
    log_in(page, "zhangsan", PASSWORD)
    page.goto(page.base + "/reflections/")
    expect(page.locator("#reflection-table")).to_contain_text("请结合本人工作重写")
    shot(page, "reflections-05-returned")
    assert not page.console_errors
