"""A live competition end to end: the host opens two questions from his console, the big screen shows each one
with its countdown, then the answer distribution and the leaderboard; two members play on their phones."""

import pytest
from playwright.sync_api import expect

from partyedu.competitions import services
from partyedu.competitions.models import CompetitionMode, LivePlayer, TeamMode
from partyedu.quizzes import bank_services

from ..conftest import PASSWORD
from ..factories import make_user
from .conftest import log_in, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def phone_of(browser, base, username):
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    phone.base = base
    log_in(phone, username, PASSWORD)
    return phone


def test_a_host_runs_a_two_question_live_competition_with_two_phones(county, browser, page):
    questions = [
        bank_services.create_question(
            county.committee,
            qtype="single",
            stem="党的历史上生死攸关的转折点是哪次会议？",
            options=["古田会议", "遵义会议", "洛川会议", "八七会议"],
            answer={"choice": 1},
            explanation="1935年1月的遵义会议是党的历史上一个生死攸关的转折点。",
            publish=True,
        ),
        bank_services.create_question(
            county.committee,
            qtype="judge",
            stem="中国共产党的根本宗旨是全心全意为人民服务。",
            answer={"value": True},
            explanation="见党章总纲。",
            publish=True,
        ),
    ]
    competition = services.create_competition(
        owner=county.committee,
        title="党史知识竞赛决赛",
        mode=CompetitionMode.LIVE,
        questions=questions,
        team_mode=TeamMode.BRANCH,
        seconds_per_question=30,
        by=county.committee_admin,
    )
    make_user("lisi", role="member", org=county.finance_branch, member=county.finance_members[1])

    # the host opens a session from the competition page
    log_in(page, "gongwei", PASSWORD)
    page.goto(page.base + f"/competitions/{competition.pk}/")
    page.click("#new-session")
    expect(page.locator("#join-code")).to_be_visible()
    code = page.locator("#join-code").inner_text().strip()
    screen = page.context.new_page()
    screen.set_viewport_size({"width": 1600, "height": 900})
    screen.goto(page.url.replace("/host/", "/screen/"))
    expect(screen.locator(".qr-box svg")).to_be_visible()

    # two members join with the code on the screen
    phones = []
    for username in ["zhangsan", "lisi"]:
        phone = phone_of(browser, page.base, username)
        phone.goto(phone.base + f"/competitions/join/{code}/")
        phone.click("#join-button")
        expect(phone.locator("[data-phase=lobby]")).to_be_visible()
        phones.append(phone)
    expect(screen.locator("#players")).to_have_text("2")
    shot(screen, "60-competition-screen-lobby")
    assert LivePlayer.objects.filter(session__competition=competition).count() == 2

    # question 1: 张三 answers right, 李四 wrong
    page.click("#next-button")
    zhang, li = phones
    for phone in phones:
        expect(phone.locator("#q-stem")).to_have_text("党的历史上生死攸关的转折点是哪次会议？")
        assert "1935年1月" not in phone.content()  # no explanation, no key while open
    expect(screen.locator("#q-stem")).to_have_text("党的历史上生死攸关的转折点是哪次会议？")
    expect(screen.locator("#countdown")).to_contain_text("秒")
    zhang.click(".cmp-option[data-index='1']")
    li.click(".cmp-option[data-index='0']")
    expect(zhang.locator("#answer-status")).to_have_text("已提交，等待公布答案")
    expect(li.locator("#answer-status")).to_have_text("已提交，等待公布答案")
    expect(screen.locator("#answered-line")).to_contain_text("已作答 2 / 2 人")
    shot(screen, "61-competition-screen-question")
    shot(zhang, "62-competition-phone-question")
    page.click("#close-button")

    expect(zhang.locator("#my-result")).to_contain_text("回答正确")
    expect(li.locator("#my-result")).to_have_text("回答错误")
    expect(zhang.locator("#key-text")).to_have_text("B. 遵义会议")
    expect(screen.locator("#distribution .cmp-bar-row")).to_have_count(4)
    expect(screen.locator("#board li").first).to_contain_text("张三")
    shot(screen, "63-competition-screen-reveal")
    shot(zhang, "64-competition-phone-reveal")
    shot(page, "65-competition-host")

    # question 2: both right
    expect(page.locator("#next-button")).to_be_enabled()
    page.click("#next-button")
    for phone in phones:
        expect(phone.locator("#q-stem")).to_have_text("中国共产党的根本宗旨是全心全意为人民服务。")
        phone.click(".cmp-option[data-index='0']")
        expect(phone.locator("#answer-status")).to_have_text("已提交，等待公布答案")
    page.click("#close-button")
    expect(li.locator("#my-result")).to_contain_text("回答正确")
    expect(page.locator("#finish-button")).to_be_enabled()
    page.once("dialog", lambda d: d.accept())
    page.click("#finish-button")

    for phone in phones:
        expect(phone.locator("[data-phase=finished]")).to_be_visible()
    expect(zhang.locator("#final-line")).to_contain_text("第 1 名")
    expect(li.locator("#final-line")).to_contain_text("第 2 名")
    expect(screen.locator("#final-board li")).to_have_count(2)
    shot(screen, "66-competition-screen-finished")
    shot(li, "67-competition-phone-finished")
    assert not page.console_errors, page.console_errors
