"""Item analysis (facility, discrimination, option distribution, flags) and mastery per topic, on attempts built
by hand through the engine: who picked what is known, so every number can be checked."""

import statistics

import pytest

from partyedu.learning.models import Topic
from partyedu.quizzes import analysis, attempt_services, bank_services, selectors_bank
from partyedu.quizzes.models import AttemptItem, Quiz, QuizSlot, QuizStatus
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def make_quiz(owner, questions, title="党史测试"):
    quiz = Quiz.objects.create(
        owner=owner,
        title=title,
        status=QuizStatus.PUBLISHED,
        shuffle_questions=False,
        shuffle_options=False,
        max_attempts=0,
    )
    for position, q in enumerate(questions, start=1):
        QuizSlot.objects.create(quiz=quiz, question=q, position=position)
    return quiz


def take(quiz, member, responses):
    """responses: one per slot, in original option indexes (options are not shuffled)."""
    attempt = attempt_services.start_attempt(quiz, member)
    for position, response in enumerate(responses, start=1):
        if response is not None:
            attempt_services.answer(attempt, position, response)
    return attempt_services.submit(attempt)


def single(owner, stem, options=("甲", "乙", "丙", "丁"), right=1, topics=()):
    return bank_services.create_question(
        owner,
        qtype="single",
        stem=stem,
        options=list(options),
        answer={"choice": right},
        publish=True,
        topics=topics,
    )


def judge(owner, stem, topics=()):
    return bank_services.create_question(
        owner, qtype="judge", stem=stem, answer={"value": True}, publish=True, topics=topics
    )


@pytest.fixture
def played(county):
    """Eight players. Q1 is answered right by the weak half only (a bad item: negative discrimination), and
    nobody picks its option D; Q2, Q4, Q5 are answered right by the strong half (p3 misses Q4)."""
    q1 = single(county.committee, "第一题", right=1)
    q2 = single(county.committee, "第二题", right=0)
    q4 = judge(county.committee, "第四题")
    q5 = judge(county.committee, "第五题")
    quiz = make_quiz(county.committee, [q1, q2, q4, q5])
    players = [MemberFactory.create(organization=county.finance_branch) for _ in range(8)]
    yes, no = {"value": True}, {"value": False}
    picks_q1 = [0, 0, 2, 2, 1, 1, 1, 1]  # A, A, C, C, then B (right) ×4; D never
    for i, member in enumerate(players):
        strong = i < 4
        take(
            quiz,
            member,
            [
                {"choice": picks_q1[i]},
                {"choice": 0} if strong else {"choice": 2},
                yes if strong and i != 3 else no,
                yes if strong else no,
            ],
        )
    return quiz, (q1, q2, q4, q5)


def test_facility_discrimination_and_option_distribution(played):
    quiz, (q1, q2, q4, q5) = played
    summary = analysis.quiz_statistics(quiz)
    stats = {s.question_id: s for s in summary.items}
    assert summary.attempts == 8
    assert stats[q1.pk].facility_percent == 50.0
    assert stats[q4.pk].facility_percent == 37.5
    assert stats[q1.pk].discrimination < 0 < stats[q2.pk].discrimination
    assert [(o.letter, o.count, o.correct) for o in stats[q1.pk].options] == [
        ("A", 2, False),
        ("B", 4, True),
        ("C", 2, False),
        ("D", 0, False),
    ]
    assert [(o.letter, o.count) for o in stats[q4.pk].options] == [("对", 3), ("错", 5)]


def test_discrimination_is_the_correlation_with_the_rest_of_the_attempt(played):
    quiz, questions = played
    items = list(AttemptItem.objects.filter(attempt__quiz=quiz).select_related("attempt"))
    stats = {s.question_id: s for s in analysis.quiz_statistics(quiz).items}
    for q in questions:
        mine = [i for i in items if i.question_id == q.pk]
        x = [float(i.score) for i in mine]
        rest = [float(i.attempt.score - i.score) for i in mine]
        assert stats[q.pk].discrimination == pytest.approx(statistics.correlation(x, rest))


def test_bad_items_are_flagged(played):
    quiz, (q1, q2, q4, q5) = played
    stats = {s.question_id: s for s in analysis.quiz_statistics(quiz).items}
    flags = stats[q1.pk].flags
    assert any("区分度为负" in f for f in flags)
    assert "干扰项D无人选择" in flags
    assert not any("区分度" in f for f in stats[q5.pk].flags)


def test_no_flags_below_the_minimum_of_players(county):
    q = single(county.committee, "少人作答的题")
    quiz = make_quiz(county.committee, [q])
    for member in county.finance_members:
        take(quiz, member, [{"choice": 1}])
    stats = analysis.question_statistics(q)
    assert stats.facility_percent == 100.0 and stats.answered == 3
    assert stats.flags == []


def test_statistics_take_a_handful_of_queries(played, django_assert_max_num_queries):
    quiz, _ = played
    with django_assert_max_num_queries(6):
        analysis.quiz_statistics(quiz)


def test_weak_topics_need_enough_answers(county):
    history, charter, policy = (Topic.objects.create(name=n) for n in ("党史", "党章党规", "政策法规"))
    questions = [single(county.committee, f"党史{i}", topics=[history]) for i in range(5)]
    questions += [single(county.committee, f"党章{i}", topics=[charter]) for i in range(4)]
    questions += [single(county.committee, f"政策{i}", topics=[policy]) for i in range(5)]
    quiz = make_quiz(county.committee, questions)
    member = county.finance_members[0]
    wrong, right = {"choice": 0}, {"choice": 1}
    # 党史 2 of 5 right; 党章 0 of 4 (too few to judge); 政策 5 of 5
    take(quiz, member, [right, right, wrong, wrong, wrong] + [wrong] * 4 + [right] * 5)
    weak = selectors_bank.weak_topics(member)
    assert weak == [(history.pk, "党史", 0.4, 5)]
    assert selectors_bank.weak_topics(member, min_answered=4)[0][:2] == (charter.pk, "党章党规")
    assert selectors_bank.weak_topics(county.finance_members[1]) == []


def test_org_mastery_splits_a_subtree_by_its_children(county):
    topic = Topic.objects.create(name="党史")
    questions = [single(county.committee, f"党史{i}", topics=[topic]) for i in range(2)]
    quiz = make_quiz(county.committee, questions)
    take(quiz, county.finance_members[0], [{"choice": 1}, {"choice": 1}])
    take(quiz, county.education_members[0], [{"choice": 1}, {"choice": 0}])
    table = selectors_bank.org_mastery(county.committee)
    cells = {org.name: row[topic.pk].percent for org, row in table.rows}
    assert cells == {"县财政局党组": 100.0, "县教育局党委": 50.0}
    assert table.total[topic.pk].percent == 75.0
    only = selectors_bank.org_mastery(county.education)
    assert [org.name for org, _ in only.rows] == ["县教育局机关第一党支部"]
