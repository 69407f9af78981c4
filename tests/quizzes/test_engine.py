"""The quiz engine's core rules: grading per type, versions kept by attempts, shuffling stable within an attempt,
the server's clock with grace, one open attempt, daily tests that do not repeat until the bank runs out."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partyedu.quizzes import attempt_services, bank_services, grading
from partyedu.quizzes.models import AttemptState, Quiz, QuizKind, QuizSlot, QuizStatus


def single(owner, stem="中国共产党成立于哪一年？", publish=True):
    return bank_services.create_question(
        owner,
        qtype="single",
        stem=stem,
        options=["1919", "1921", "1927", "1949"],
        answer={"choice": 1},
        publish=publish,
    )


@pytest.mark.parametrize(
    ("qtype", "answer", "response", "ok"),
    [
        ("single", {"choice": 1}, {"choice": 1}, True),
        ("single", {"choice": 1}, {"choice": "1"}, True),
        ("single", {"choice": 1}, {"choice": 2}, False),
        ("multiple", {"choices": [0, 2]}, {"choices": [2, 0]}, True),
        ("multiple", {"choices": [0, 2]}, {"choices": [0]}, False),
        ("multiple", {"choices": [0, 2]}, {"choices": [0, 1, 2]}, False),
        ("judge", {"value": True}, {"value": True}, True),
        ("judge", {"value": True}, {"value": "对"}, True),
        ("judge", {"value": False}, {"value": True}, False),
        ("blank", {"blanks": [["井冈山"], ["1927", "一九二七"]]}, {"blanks": ["井冈山 ", "１９２７"]}, True),
        ("blank", {"blanks": [["《共产党宣言》"]]}, {"blanks": ["共产党宣言"]}, True),
        ("blank", {"blanks": [["遵义会议"]]}, {"blanks": ["遵义\u00a0会议。"]}, True),
        ("blank", {"blanks": [["遵义会议"]]}, {"blanks": ["洛川会议"]}, False),
        ("blank", {"blanks": [["遵义会议"]]}, {"blanks": [""]}, False),
        ("single", {"choice": 1}, None, False),
    ],
)
def test_every_question_type_is_graded(qtype, answer, response, ok):
    assert grading.is_correct(qtype, answer, response) is ok


def test_answer_not_among_options_is_refused(county):
    with pytest.raises(ValidationError) as err:
        bank_services.create_question(
            county.committee, qtype="single", stem="题", options=["甲", "乙"], answer={"choice": 3}
        )
    assert "答案不在选项中" in err.value.messages


def test_editing_a_published_question_makes_a_version_and_old_attempts_keep_their_text(county):
    question = single(county.committee)
    quiz = Quiz.objects.create(owner=county.committee, title="党史测试", status=QuizStatus.PUBLISHED)
    QuizSlot.objects.create(quiz=quiz, question=question, position=1)
    member = county.finance_members[0]
    attempt = attempt_services.start_attempt(quiz, member)
    version = bank_services.revise_question(question, stem="中国共产党第一次全国代表大会召开于哪一年？")
    assert version.number == 2
    item = attempt.items.get()
    assert item.version.stem == "中国共产党成立于哪一年？"
    shown = item.option_order.index(1)
    attempt_services.answer(attempt, 1, {"choice": shown})
    attempt = attempt_services.submit(attempt)
    assert attempt.state == AttemptState.SUBMITTED and attempt.correct_count == 1 and attempt.passed


def test_shuffled_options_map_back_to_the_original_answer(county):
    questions = [single(county.committee, stem=f"第{i}题") for i in range(5)]
    quiz = Quiz.objects.create(
        owner=county.committee, title="乱序", status=QuizStatus.PUBLISHED, max_attempts=0
    )
    for i, q in enumerate(questions, start=1):
        QuizSlot.objects.create(quiz=quiz, question=q, position=i)
    attempt = attempt_services.start_attempt(quiz, county.finance_members[0])
    again = attempt_services.start_attempt(quiz, county.finance_members[0])
    assert again.pk == attempt.pk  # one open attempt, resumed with the same order
    for item in attempt.items.all():
        attempt_services.answer(attempt, item.position, {"choice": item.option_order.index(1)})
    assert attempt_services.submit(attempt).correct_count == 5


def test_the_shuffle_is_stable_within_an_attempt(county):
    """Questions and options are shuffled once, when the attempt starts; resuming it (another page load, another
    phone) shows the same order, and the answers map back through that order."""
    questions = [single(county.committee, stem=f"第{i}题") for i in range(6)]
    quiz = Quiz.objects.create(
        owner=county.committee,
        title="乱序",
        status=QuizStatus.PUBLISHED,
        max_attempts=0,
        shuffle_questions=True,
        shuffle_options=True,
    )
    for i, q in enumerate(questions, start=1):
        QuizSlot.objects.create(quiz=quiz, question=q, position=i)
    member = county.finance_members[0]

    def seen(attempt):
        return [(i.position, i.question_id, list(i.option_order)) for i in attempt.items.order_by("position")]

    first = attempt_services.start_attempt(quiz, member)
    order = seen(first)
    assert sorted(q for _, q, _ in order) == sorted(q.pk for q in questions)
    assert all(sorted(o) == [0, 1, 2, 3] for _, _, o in order)
    for _ in range(3):
        assert seen(attempt_services.start_attempt(quiz, member)) == order
    attempt_services.answer(first, 1, {"choice": order[0][2].index(1)})
    assert seen(attempt_services.start_attempt(quiz, member)) == order
    assert first.items.get(position=1).response == {"choice": 1}  # the original index of the right option


def test_time_limit_with_grace(county):
    quiz = Quiz.objects.create(
        owner=county.committee,
        title="限时",
        status=QuizStatus.PUBLISHED,
        time_limit_seconds=60,
        grace_seconds=5,
    )
    QuizSlot.objects.create(quiz=quiz, question=single(county.committee), position=1)
    start = timezone.now()
    attempt = attempt_services.start_attempt(quiz, county.finance_members[0], now=start)
    attempt_services.answer(attempt, 1, {"choice": 0}, now=start + datetime.timedelta(seconds=65))  # in grace
    with pytest.raises(ValidationError):
        attempt_services.answer(attempt, 1, {"choice": 1}, now=start + datetime.timedelta(seconds=66))
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.EXPIRED
    assert attempt.items.get().response is not None


def test_daily_test_does_not_repeat_until_the_bank_runs_out(county):
    for i in range(6):
        single(county.committee, stem=f"每日第{i}题")
    quiz = Quiz.objects.create(
        owner=county.committee,
        title="每日测试",
        kind=QuizKind.DAILY,
        status=QuizStatus.PUBLISHED,
        draw_rules=[{"count": 3}],
    )
    member = county.finance_members[0]
    seen = []
    day = datetime.date(2026, 3, 1)
    for offset in range(2):
        attempt = attempt_services.start_attempt(quiz, member, day=day + datetime.timedelta(days=offset))
        seen.append({i.question_id for i in attempt.items.all()})
        attempt_services.submit(attempt)
    assert len(seen[0] | seen[1]) == 6
    with pytest.raises(ValidationError):
        attempt_services.start_attempt(quiz, member, day=day + datetime.timedelta(days=1))


def test_outsiders_cannot_take_a_quiz_of_another_subtree(county):
    quiz = Quiz.objects.create(owner=county.education, title="教育局测试", status=QuizStatus.PUBLISHED)
    QuizSlot.objects.create(quiz=quiz, question=single(county.education), position=1)
    with pytest.raises(ValidationError):
        attempt_services.start_attempt(quiz, county.finance_members[0])
