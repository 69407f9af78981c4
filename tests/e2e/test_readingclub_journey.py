"""In the browser: the bureau's party worker plans the year's 读书会 with rotating co-hosts and publishes it, the
co-host's secretary submits March's activity plan, the worker approves it and downloads the year's documents."""

import re

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD
from ..factories import make_org, make_user
from ..readingclub.conftest import THEMES
from .conftest import log_in, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_plan_the_year_submit_approve_and_download(county, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    second = make_org("县教育局机关第二党支部", "branch", county.education)
    make_user("jiaoyu_yizhi", role="secretary", org=county.education_branch)
    make_user("jiaoyu_erzhi", role="secretary", org=second)

    log_in(page, "jiaoyu_dangwu", PASSWORD)
    page.click(".sidebar >> text=读书会")
    expect(page.locator("h1")).to_have_text("读书会")
    page.click("text=制订年度计划")
    for n, theme in enumerate(THEMES, start=1):
        page.fill(f"#id_theme_{n}", theme)
    page.click("text=按顺序轮流安排协办单位")
    expect(page.locator("#id_cohost_1")).to_have_value(str(county.education_branch.pk))
    expect(page.locator("#id_cohost_2")).to_have_value(str(second.pk))
    shot(page, "rc-01-plan-form")
    page.click("button:text-is('保存')")
    expect(page.locator("h1")).to_contain_text("年度读书会计划")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=发布计划")
    expect(page.locator("h1")).to_contain_text("已发布")
    expect(page.locator(".rc-month")).to_have_count(12)
    shot(page, "rc-02-plan-board")
    plan_url = page.url

    page.context.clear_cookies()
    log_in(page, "jiaoyu_yizhi", PASSWORD)
    page.goto(plan_url)
    page.click("#month-3")
    page.fill(
        "#id_activity_plan",
        "时间：3月12日下午3时\n地点：局三楼会议室\n第一板块：学习党章；第二板块：学史增信专题辅导",
    )
    page.click("button:text-is('提交活动方案')")
    expect(page.locator("#activity-plan")).to_contain_text("待审核")

    page.context.clear_cookies()
    log_in(page, "jiaoyu_dangwu", PASSWORD)
    page.goto(plan_url)
    page.click("#month-3")
    page.click("button:text-is('审定通过')")
    expect(page.locator("#activity-plan")).to_contain_text("方案已审定")
    page.click("#sections summary")
    page.select_option("#id_kind", "lecture")
    page.fill("#id_title", "湘南起义对中国革命的贡献")
    page.fill("#id_speaker_name", "市委党史研究室专家")
    page.click("#sections button:text-is('添加')")
    page.click("#texts summary")
    page.fill("#texts #id_title", "学史增信的几点体会")
    page.fill("#texts #id_author_name", "赵六")
    page.fill("#texts #id_body", "通过学习，我深刻认识到……")
    page.click("#texts button:text-is('提交')")
    expect(page.locator("#texts")).to_contain_text("学史增信的几点体会")
    shot(page, "rc-03-month")

    page.goto(plan_url)
    page.click("text=生成年度文集（Word）")
    expect(page).to_have_url(re.compile(r"/reports/$"))
    page.click("text=生成台账 / 统计表")
    page.check("input[value=ledger_xlsx]")
    page.click("text=开始生成")
    expect(page.locator("#report-rows")).to_contain_text("组织生活统计表（Excel）")
    expect(page.locator("#report-rows")).to_contain_text("读书会年度文集（Word）")
    expect(page.locator("#report-rows a:text-is('下载')")).to_have_count(2)
    shot(page, "rc-04-reports-list")
    assert page.console_errors == []
