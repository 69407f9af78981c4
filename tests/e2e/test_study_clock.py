"""In the browser: a member reads an article and the study clock runs; he switches away (the tab is hidden) and
the clock stops; back on the page it runs again until the article is complete, and 我的学习 shows it done."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partyedu.learning.materials_services import create_material
from partyedu.learning.models import StudyCredit, StudyRecord
from partyedu.learning.study import format_duration
from partyedu.learning.study_services import record_heartbeat

from ..conftest import PASSWORD
from .conftest import log_in, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BODY = "".join(
    f"<p>第{n}段：坚持和加强党的全面领导，坚持以人民为中心，全面从严治党永远在路上。学习党章、尊崇党章、遵守党章、维护党章。</p>"
    for n in range(1, 30)
)

SET_VISIBILITY = """(state) => {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
  Object.defineProperty(document, "hidden", { configurable: true, get: () => state === "hidden" });
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def beats_at_least(n: int) -> str:
    return f"() => (parseInt(document.querySelector('[data-study-tracker]').dataset.beats, 10) || 0) >= {n}"


def test_the_clock_runs_stops_when_the_tab_is_hidden_and_completes(county, page, settings):
    settings.STUDY_HEARTBEAT_SECONDS = 1  # one-second heartbeats so the test need not wait minutes
    member = county.finance_members[0]
    article = create_material(
        publisher=county.finance, title="学习新修订的党章", category="theory", body=BODY, reading_minutes=1
    )
    # he read 44 s of it yesterday; 80 % of one minute is 48 s
    yesterday = timezone.now() - datetime.timedelta(days=1)
    for i in range(44):
        record_heartbeat(member, article, token="yesterday", now=yesterday + datetime.timedelta(seconds=i))
    assert StudyRecord.objects.get(member=member, material=article).seconds == 44

    log_in(page, "zhangsan", PASSWORD)
    page.goto(page.base + f"/learning/materials/{article.pk}/")
    clock = page.locator("[data-study-tracker]")
    expect(clock.locator("[data-study-required]")).to_have_text("48秒")
    expect(clock.locator("[data-study-state]")).to_have_text("计时中")
    page.mouse.move(200, 300)
    page.wait_for_function(beats_at_least(2))
    expect(clock.locator("[data-study-seconds]")).not_to_have_text("44秒")
    shot(page, "study-01-reader-clock-running")

    # he switches to another tab: the page is hidden, no more beats, the clock stands still
    page.evaluate(SET_VISIBILITY, "hidden")
    expect(clock.locator("[data-study-state]")).to_have_text("已暂停：页面不在前台")
    page.wait_for_timeout(300)  # a beat already on its way may land
    credits = StudyCredit.objects.filter(member=member).count()
    shown = clock.locator("[data-study-seconds]").inner_text()
    page.wait_for_timeout(2500)
    assert StudyCredit.objects.filter(member=member).count() == credits
    expect(clock.locator("[data-study-seconds]")).to_have_text(shown)
    expect(clock.locator("[data-study-done]")).to_be_hidden()
    shot(page, "study-02-reader-clock-paused")

    # back on the page, reading on: the clock runs until the article is complete
    page.evaluate(SET_VISIBILITY, "visible")
    page.mouse.move(220, 320)
    expect(clock.locator("[data-study-done]")).to_be_visible(timeout=15_000)
    expect(clock.locator("[data-study-done]")).to_have_text("已完成")
    record = StudyRecord.objects.get(member=member, material=article)
    assert record.completed_at is not None and record.seconds >= 48
    shot(page, "study-03-reader-completed")

    page.click("[data-study-tracker] >> text=我的学习")
    expect(page.locator("h1")).to_have_text("我的学习")
    row = page.locator("#study-records tr", has_text="学习新修订的党章")
    expect(row).to_contain_text("已完成")
    shot(page, "study-04-my-study")
    assert not page.console_errors, page.console_errors

    # the committee's worker sees the study of every organisation below, with totals
    page.context.clear_cookies()
    log_in(page, "gongwei", PASSWORD)
    page.goto(page.base + "/learning/study/orgs/")
    seconds = StudyRecord.objects.get(member=member, material=article).seconds  # 48 s, or a beat or two more
    expect(page.locator("#study-orgs tr", has_text="县财政局机关党支部")).to_contain_text(
        format_duration(seconds)
    )
    shot(page, "study-05-org-overview")
