"""The organiser's rules of a test, at their boundaries: attempts allowed, the open/close window, the time limit
with grace (on the server's clock, `now=`), one open attempt, draw rules that the bank must be able to fill, the
audience, closing, and the exam result that training completion reads."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partyedu.quizzes import attempt_services, quiz_services
from partyedu.quizzes import selectors_quiz as sel
from partyedu.quizzes.models import AttemptState, QuizKind, QuizStatus
from partyedu.quizzes.tasks_quiz import expire_overdue_attempts

from .quiz_helpers import bank, paper, single

pytestmark = pytest.mark.django_db
T0 = timezone.now().replace(microsecond=0) + datetime.timedelta(days=30)


def sec(n):
    return datetime.timedelta(seconds=n)


def test_a_member_may_take_a_paper_as_often_as_it_allows_and_no_more(county):
    quiz = paper(county.committee, bank(county.committee, 3), max_attempts=2)
    member = county.finance_members[0]
    for _ in range(2):
        attempt_services.submit(attempt_services.start_attempt(quiz, member))
    with pytest.raises(ValidationError, match="最多可作答2次"):
        attempt_services.start_attempt(quiz, member)


def test_the_window_opens_and_closes_on_the_minute(county):
    quiz = paper(county.committee, bank(county.committee, 2), opens_at=T0, closes_at=T0 + sec(3600))
    member = county.finance_members[0]
    with pytest.raises(ValidationError, match="开始"):
        attempt_services.start_attempt(quiz, member, now=T0 - sec(1))
    attempt = attempt_services.start_attempt(quiz, member, now=T0)
    assert attempt.deadline_at == T0 + sec(3600)  # no time limit: the close is the deadline
    with pytest.raises(ValidationError, match="已结束"):
        attempt_services.start_attempt(quiz, county.finance_members[1], now=T0 + sec(3600))


def test_the_time_limit_never_runs_past_the_close(county):
    quiz = paper(county.committee, bank(county.committee, 2), time_limit_seconds=600, closes_at=T0 + sec(300))
    attempt = attempt_services.start_attempt(quiz, county.finance_members[0], now=T0)
    assert attempt.deadline_at == T0 + sec(300)


def test_answers_are_taken_within_the_grace_and_refused_after_it(county):
    quiz = paper(county.committee, bank(county.committee, 2), time_limit_seconds=60, grace_seconds=5)
    attempt = attempt_services.start_attempt(quiz, county.finance_members[0], now=T0)
    attempt_services.answer(attempt, 1, {"choice": 0}, now=T0 + sec(65))
    with pytest.raises(ValidationError) as err:
        attempt_services.answer(
            attempt, 2, {"choice": 0}, now=T0 + sec(65) + datetime.timedelta(milliseconds=1)
        )
    assert err.value.messages == ["作答时间已到，系统已自动交卷"]
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.EXPIRED
    assert attempt.duration_seconds == 60  # counted up to the deadline, not the late knock
    assert attempt.items.get(position=2).response is None


def test_a_late_hand_in_keeps_only_the_answers_saved_in_time(county):
    quiz = paper(county.committee, bank(county.committee, 1), time_limit_seconds=60, grace_seconds=0)
    attempt = attempt_services.start_attempt(quiz, county.finance_members[0], now=T0)
    with pytest.raises(ValidationError):
        attempt_services.answer_many(attempt, {1: {"choice": 0}}, now=T0 + sec(61))
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.EXPIRED and attempt.items.get().response is None


def test_one_open_attempt_a_member_resumes_it(county):
    quiz = paper(county.committee, bank(county.committee, 3), max_attempts=0)
    member = county.finance_members[0]
    first = attempt_services.start_attempt(quiz, member)
    assert attempt_services.start_attempt(quiz, member).pk == first.pk
    attempt_services.submit(first)
    assert attempt_services.start_attempt(quiz, member).number == 2


def test_the_worker_task_hands_in_overdue_attempts(county):
    quiz = paper(county.committee, bank(county.committee, 1), time_limit_seconds=60, grace_seconds=0)
    past = timezone.now() - sec(3600)
    attempt = attempt_services.start_attempt(quiz, county.finance_members[0], now=past)
    other = attempt_services.start_attempt(quiz, county.finance_members[1])
    expire_overdue_attempts.enqueue()
    attempt.refresh_from_db()
    other.refresh_from_db()
    assert (attempt.state, other.state) == (AttemptState.EXPIRED, AttemptState.IN_PROGRESS)


# --- draw rules ----------------------------------------------------------------------------------------------------
def test_a_rule_asking_for_more_questions_than_the_bank_holds_is_refused(county):
    bank(county.committee, 4, difficulty=3)
    bank(county.committee, 2, difficulty=1)
    quiz = quiz_services.create_quiz(county.committee, by=county.committee_admin, title="随机卷")
    assert quiz_services.rule_available(quiz, {"difficulty": 3, "count": 1}) == 4
    with pytest.raises(ValidationError) as err:
        quiz_services.set_rules(quiz, [{"difficulty": 1, "count": 3}])
    assert err.value.messages == ["第1条规则要求抽取3道题，题库中符合条件的只有2道"]
    quiz_services.set_rules(quiz, [{"difficulty": 3, "count": 4}, {"difficulty": 1, "count": 2}])
    quiz_services.publish(quiz)
    attempt = attempt_services.start_attempt(quiz, county.finance_members[0])
    drawn = [i.version.difficulty for i in attempt.items.select_related("version")]
    assert sorted(drawn) == [1, 1, 3, 3, 3, 3]


def test_overlapping_rules_must_fit_in_the_union(county):
    bank(county.committee, 3)
    quiz = quiz_services.create_quiz(county.committee, by=None, title="重叠")
    with pytest.raises(ValidationError, match="不同题目只有3道"):
        quiz_services.set_rules(quiz, [{"count": 2}, {"difficulty": 2, "count": 2}])


def test_questions_of_another_units_bank_cannot_be_put_on_a_paper(county):
    theirs = single(county.education, "教育局题库的题")
    ours = single(county.finance, "财政局题库的题")
    county_wide = single(county.committee, "工委题库的题")
    quiz = quiz_services.create_quiz(county.finance_branch, by=county.finance_secretary, title="支部测试")
    with pytest.raises(ValidationError, match="不在可用题库中"):
        quiz_services.set_slots(quiz, [theirs.pk])
    quiz_services.set_slots(quiz, [ours.pk, county_wide.pk])
    assert list(quiz.slots.values_list("question_id", flat=True)) == [ours.pk, county_wide.pk]


def test_questions_cannot_change_once_someone_has_answered(county):
    questions = bank(county.committee, 3)
    quiz = paper(county.committee, questions[:2])
    attempt_services.start_attempt(quiz, county.finance_members[0])
    with pytest.raises(ValidationError, match="已有人作答"):
        quiz_services.set_slots(quiz, [questions[2].pk])


def test_a_paper_without_questions_is_not_published(county):
    quiz = quiz_services.create_quiz(county.committee, by=None, title="空卷")
    with pytest.raises(ValidationError, match="还没有题目"):
        quiz_services.publish(quiz)


def test_settings_are_checked(county):
    with pytest.raises(ValidationError) as err:
        quiz_services.create_quiz(
            county.finance,
            by=None,
            title="",
            opens_at=T0,
            closes_at=T0,
            pass_percent=120,
            scope=county.education,
        )
    assert set(err.value.message_dict) == {"title", "closes_at", "pass_percent", "scope"}


def test_a_secretary_may_organise_only_inside_his_branch(county):
    with pytest.raises(Exception, match="只能为本人管理的组织"):
        quiz_services.create_quiz(county.education, by=county.finance_secretary, title="越权")
    assert quiz_services.create_quiz(county.finance_branch, by=county.finance_secretary, title="支部测试")


# --- audience --------------------------------------------------------------------------------------------------------
def test_a_hand_list_admits_exactly_those_members(county):
    quiz = paper(county.committee, bank(county.committee, 1))
    listed, other = county.finance_members[0], county.finance_members[1]
    quiz_services.set_audience(quiz, [listed])
    attempt_services.start_attempt(quiz, listed)
    with pytest.raises(ValidationError, match="不在本次测试的参加范围内"):
        attempt_services.start_attempt(quiz, other)
    assert [q.pk for q in sel.takeable_quizzes(other)] == []


def test_a_scope_admits_its_subtree_only(county):
    quiz = paper(county.committee, bank(county.committee, 1), scope=county.education)
    attempt_services.start_attempt(quiz, county.education_members[0])
    with pytest.raises(ValidationError, match="参加范围"):
        attempt_services.start_attempt(quiz, county.finance_members[0])


def test_closing_hands_in_open_attempts_and_stops_new_ones(county):
    quiz = paper(county.committee, bank(county.committee, 2))
    attempt = attempt_services.start_attempt(quiz, county.finance_members[0])
    quiz_services.close(quiz)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED
    with pytest.raises(ValidationError):
        attempt_services.start_attempt(quiz, county.finance_members[1])
    quiz.refresh_from_db()
    assert quiz.status == QuizStatus.CLOSED


def test_exam_result_is_the_best_finished_attempt(county):
    questions = bank(county.committee, 2)
    exam = paper(county.committee, questions, kind=QuizKind.EXAM, max_attempts=2, pass_percent=100)
    member = county.finance_members[0]
    assert sel.exam_result(exam, member) == (None, None)
    first = attempt_services.start_attempt(exam, member)
    item = first.items.first()
    attempt_services.answer(first, item.position, {"choice": item.option_order.index(1)})
    attempt_services.submit(first)
    assert sel.exam_result(exam, member) == (False, 1)
    second = attempt_services.start_attempt(exam, member)
    for item in second.items.all():
        attempt_services.answer(second, item.position, {"choice": item.option_order.index(1)})
    attempt_services.submit(second)
    passed, best = sel.exam_result(exam, member)
    assert passed is True and best == 2


def test_an_exam_for_a_training_class_admits_its_enrolled_members(county):
    import datetime as dt

    from partyedu.training import services as training

    cls = training.create_class(
        title="新任支部书记培训班",
        organiser=county.committee,
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 9, 5),
        target_kind="custom",
        target_org=county.committee,
    )
    for member in (county.finance_members[0], county.education_members[0]):
        training.enrol_member(cls, member)
    withdrawn = training.enrol_member(cls, county.finance_members[1])
    training.withdraw_enrolment(withdrawn)
    exam = paper(county.committee, bank(county.committee, 1), kind=QuizKind.EXAM)
    assert quiz_services.set_audience_from_class(exam, cls) == 2
    attempt_services.start_attempt(exam, county.education_members[0])
    with pytest.raises(ValidationError, match="参加范围"):
        attempt_services.start_attempt(exam, county.finance_members[1])
