"""On his phone a member opens 我的测试, starts a timed test, answers (each answer saved as he taps), hands in
and sees his score with the answers; the clock on the page counts down from the server's deadline."""

import re

import pytest
from playwright.sync_api import expect

from partyedu.quizzes import bank_services, quiz_services
from partyedu.quizzes.models import Attempt, AttemptState, ReviewPolicy

from ..conftest import PASSWORD
from .conftest import log_in, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def make_paper(county):
    q1 = bank_services.create_question(
        county.committee,
        qtype="single",
        stem="中国共产党第一次全国代表大会于哪一年召开？",
        options=["1919年", "1921年", "1927年", "1949年"],
        answer={"choice": 1},
        explanation="1921年7月，中国共产党第一次全国代表大会在上海召开，后转移到嘉兴南湖。",
        publish=True,
    )
    q2 = bank_services.create_question(
        county.committee,
        qtype="judge",
        stem="遵义会议是党的历史上一个生死攸关的转折点。",
        answer={"value": True},
        publish=True,
    )
    q3 = bank_services.create_question(
        county.committee,
        qtype="blank",
        stem="“两个确立”“四个意识”“四个自信”和____，是新时代党员的政治要求。",
        answer={"blanks": [["两个维护"]]},
        publish=True,
    )
    quiz = quiz_services.create_quiz(
        county.committee,
        by=None,
        title="2026年党史知识测试",
        description="共3题，限时5分钟，交卷后即可查看答案与解析。",
        time_limit_seconds=300,
        review=ReviewPolicy.AFTER_SUBMIT,
        shuffle_questions=False,
    )
    quiz_services.set_slots(quiz, [q1.pk, q2.pk, q3.pk])
    quiz_services.publish(quiz)
    return quiz


def test_a_member_takes_a_timed_test_on_his_phone(county, phone):
    quiz = make_paper(county)
    log_in(phone, "zhangsan", PASSWORD)
    phone.goto(phone.base + "/quizzes/mine/")
    expect(phone.locator("h1")).to_have_text("我的测试")
    shot(phone, "quiz-01-my-quizzes-phone")
    phone.click("text=2026年党史知识测试")
    expect(phone.locator(".quiz-intro h1")).to_have_text("2026年党史知识测试")
    shot(phone, "quiz-02-start-page-phone")
    phone.on("dialog", lambda dialog: dialog.accept())
    phone.click("button:has-text('开始答题')")
    expect(phone.locator("#quiz-paper")).to_be_visible()
    attempt = Attempt.objects.get(quiz=quiz)

    # the clock counts down from the server's five minutes
    left = phone.locator("[data-left]")
    expect(left).to_contain_text("分")
    first = left.inner_text()
    phone.wait_for_timeout(1300)
    assert left.inner_text() != first

    # question 1: the right answer sits under the letter of its shuffled position
    item = attempt.items.get(position=1)
    letter = "ABCD"[item.option_order.index(1)]
    phone.locator("#q1 .quiz-opt", has_text="1921年").click()
    expect(phone.locator("#q1 .save-state")).to_contain_text("已保存")
    phone.locator("#q2 .quiz-opt", has_text="对").click()
    expect(phone.locator("#q2 .save-state")).to_contain_text("已保存")
    phone.fill("#q3 input[type=text]", "两个维护")
    phone.locator("#q3 input[type=text]").blur()
    expect(phone.locator("#q3 .save-state")).to_contain_text("已保存")
    expect(phone.locator("[data-answered]")).to_have_text("3")
    shot(phone, "quiz-03-answering-phone")
    assert attempt.items.get(position=1).response == {"choice": 1}

    phone.click("#quiz-submit")
    expect(phone.locator(".quiz-score-big b")).to_have_text("3")
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED and attempt.correct_count == 3
    expect(phone.locator(".quiz-key").first).to_contain_text(f"正确答案：{letter}")
    expect(phone.locator(".quiz-expl").first).to_contain_text("嘉兴南湖")
    shot(phone, "quiz-04-result-phone")
    # no horizontal scrolling on a phone
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_member_keeps_his_streak_with_the_daily_test(county, phone):
    import datetime

    from django.utils import timezone

    from partyedu.quizzes import attempt_services

    for n in range(12):
        bank_services.create_question(
            county.committee,
            qtype="judge",
            stem=f"每日一练第{n + 1}题：党的根本宗旨是全心全意为人民服务。",
            answer={"value": True},
            publish=True,
        )
    quiz = quiz_services.create_quiz(
        county.committee, by=None, title="县直机关每日一练", kind="daily", questions_per_day=3
    )
    quiz_services.publish(quiz)
    member = county.finance_members[0]
    today = timezone.localdate()
    for back in (5, 3, 2, 1):
        attempt = attempt_services.start_attempt(quiz, member, day=today - datetime.timedelta(days=back))
        attempt_services.submit(attempt)
    log_in(phone, "zhangsan", PASSWORD)
    phone.goto(phone.base + "/quizzes/daily/")
    expect(phone.locator(".quiz-streak-box b")).to_have_text("3")
    expect(phone.locator(".quiz-cal-day.done")).to_have_count(4)
    shot(phone, "quiz-05-daily-phone")
    phone.click("button:has-text('开始今日答题')")
    # the click navigates: answering before the attempt page has loaded its htmx would save nothing
    phone.wait_for_url(re.compile(r".*/quizzes/attempts/\d+/$"), wait_until="load")
    for n in (1, 2, 3):
        phone.locator(f"#q{n} .quiz-opt", has_text="对").click()
        expect(phone.locator(f"#q{n} .save-state")).to_contain_text("已保存")
    phone.on("dialog", lambda dialog: dialog.accept())
    phone.click("#quiz-submit")
    expect(phone.locator(".quiz-streak b")).to_have_text("4")
    phone.goto(phone.base + "/quizzes/daily/")
    expect(phone.locator(".quiz-streak-box b")).to_have_text("4")
    shot(phone, "quiz-06-daily-done-phone")
