"""每日测试: one a day on Beijing time, the nearest daily test for each member, streaks that a missed day breaks,
the 30-day calendar, and each organisation's participation per day."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partyedu.quizzes import attempt_services
from partyedu.quizzes import selectors_quiz as sel
from partyedu.quizzes.models import AttemptState

from .quiz_helpers import bank, daily_quiz

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def at_utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def do_daily(quiz, member, day):
    attempt = attempt_services.start_attempt(quiz, member, day=day)
    return attempt_services.submit(attempt)


def test_one_daily_test_a_day_and_the_day_turns_at_beijing_midnight(county):
    bank(county.committee, 12)
    quiz = daily_quiz(county.committee, per_day=3)
    member = county.finance_members[0]
    before_midnight = at_utc(2026, 3, 1, 15, 59, 59)  # 23:59:59 in Shanghai, 1 March
    first = attempt_services.start_attempt(quiz, member, now=before_midnight)
    assert first.day == datetime.date(2026, 3, 1) and first.items.count() == 3
    attempt_services.submit(first, now=before_midnight)
    with pytest.raises(ValidationError, match="今天的每日测试已经完成"):
        attempt_services.start_attempt(quiz, member, now=before_midnight)
    after_midnight = at_utc(2026, 3, 1, 16, 0, 1)  # 00:00:01 on 2 March in Shanghai, still 1 March in UTC
    second = attempt_services.start_attempt(quiz, member, now=after_midnight)
    assert second.day == datetime.date(2026, 3, 2)


def test_yesterdays_unfinished_daily_test_is_handed_in_and_today_starts_afresh(county):
    bank(county.committee, 12)
    quiz = daily_quiz(county.committee, per_day=3)
    member = county.finance_members[0]
    yesterday = attempt_services.start_attempt(quiz, member, now=at_utc(2026, 3, 1, 12))
    today = attempt_services.start_attempt(quiz, member, now=at_utc(2026, 3, 2, 1))
    assert today.pk != yesterday.pk and today.day == datetime.date(2026, 3, 2)
    yesterday.refresh_from_db()
    assert yesterday.state == AttemptState.EXPIRED


def test_the_streak_counts_back_from_today_or_yesterday_and_a_gap_breaks_it(county):
    bank(county.committee, 30)
    quiz = daily_quiz(county.committee, per_day=2)
    member = county.finance_members[0]
    today = datetime.date(2026, 5, 10)
    for back in (6, 5, 3, 2, 1):  # 4 May, 5 May, (no 6 May), 7, 8, 9 May
        do_daily(quiz, member, today - datetime.timedelta(days=back))
    assert sel.streak(member, quiz, today) == 3  # today still to do: 7-9 May
    do_daily(quiz, member, today)
    assert sel.streak(member, quiz, today) == 4
    assert sel.streak(member, quiz, today + datetime.timedelta(days=2)) == 0  # missed the 11th
    calendar = sel.daily_calendar(member, quiz, today)
    assert len(calendar) == 30 and calendar[-1]["today"] and calendar[0]["day"] == datetime.date(2026, 4, 11)
    assert [c["day"].day for c in calendar if c["attempt"]] == [4, 5, 7, 8, 9, 10]


def test_an_unfinished_day_does_not_count_for_the_streak(county):
    bank(county.committee, 10)
    quiz = daily_quiz(county.committee, per_day=2)
    member = county.finance_members[0]
    today = datetime.date(2026, 5, 10)
    do_daily(quiz, member, today - datetime.timedelta(days=1))
    attempt_services.start_attempt(quiz, member, day=today)  # started, not handed in
    assert sel.streak(member, quiz, today) == 1


def test_each_member_gets_the_nearest_daily_test_that_covers_him(county):
    bank(county.committee, 6)
    county_daily = daily_quiz(county.committee)
    finance_daily = daily_quiz(county.finance)
    assert sel.daily_quiz_for(county.finance_members[0]) == finance_daily
    assert sel.daily_quiz_for(county.education_members[0]) == county_daily


def test_daily_questions_do_not_repeat_until_the_bank_runs_out(county):
    questions = bank(county.committee, 7)
    quiz = daily_quiz(county.committee, per_day=3)
    member = county.finance_members[0]
    seen = []
    for n in range(3):
        attempt = do_daily(quiz, member, datetime.date(2026, 3, 1) + datetime.timedelta(days=n))
        seen.append([i.question_id for i in attempt.items.all()])
    assert len(set(seen[0] + seen[1])) == 6
    assert {q.pk for q in questions} <= set(seen[0] + seen[1] + seen[2])  # the 7th came on day three


def test_participation_per_organisation_and_day(county, django_assert_max_num_queries):
    bank(county.committee, 10)
    quiz = daily_quiz(county.committee, per_day=2)
    day1, day2 = datetime.date(2026, 3, 1), datetime.date(2026, 3, 2)
    for member in county.finance_members[:2]:
        do_daily(quiz, member, day1)
    do_daily(quiz, county.finance_members[0], day2)
    do_daily(quiz, county.education_members[0], day2)
    with django_assert_max_num_queries(3):
        rows = sel.daily_participation(quiz, county.committee, [day1, day2])
    by_org = {r["org"].name: [(c["n"], c["rate"]) for c in r["cells"]] for r in rows}
    assert by_org["县财政局党组"] == [(2, 67), (1, 33)]
    assert by_org["县教育局党委"] == [(0, 0), (1, 50)]


def test_the_daily_page_shows_the_streak_and_starts_todays_test(county, client):
    bank(county.committee, 10)
    quiz = daily_quiz(county.committee, per_day=2)
    member = county.finance_members[0]
    today = timezone.localdate()
    for back in (2, 1):
        do_daily(quiz, member, today - datetime.timedelta(days=back))
    client.force_login(county.finance_member_user)
    page = client.get("/quizzes/daily/").content.decode()
    assert "连续天数" in page and "<b>2</b>" in page and "开始今日答题" in page
    response = client.post("/quizzes/daily/start/")
    attempt = member.quiz_attempts.get(day=today)
    assert response["Location"] == f"/quizzes/attempts/{attempt.pk}/"
    assert "继续今日答题" in client.get("/quizzes/daily/").content.decode()


def test_the_organiser_reads_participation_per_unit(county, client):
    bank(county.committee, 10)
    quiz = daily_quiz(county.committee, per_day=2)
    do_daily(quiz, county.finance_members[0], timezone.localdate())
    client.force_login(county.committee_admin)
    html = client.get(f"/quizzes/manage/{quiz.pk}/participation/").content.decode()
    assert "县财政局党组" in html and "33%" in html
    html = client.get(f"/quizzes/manage/{quiz.pk}/participation/?org={county.finance.pk}").content.decode()
    assert "县财政局机关党支部" in html and "县教育局" not in html
