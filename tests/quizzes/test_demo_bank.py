"""The demo bank: a few hundred questions of every type in the 工委's bank, no near-duplicates, topics shared
with the learning library, written in bulk."""

from collections import Counter

import pytest
from django.db.models import Count

from partyedu.quizzes import grading
from partyedu.quizzes.demo import TOPICS, seed_question_bank
from partyedu.quizzes.models import Question

pytestmark = pytest.mark.django_db


def test_seed_question_bank(county, django_assert_max_num_queries):
    with django_assert_max_num_queries(60):  # constant: topics, then a few bulk statements
        n = seed_question_bank(1)
    assert n >= 300 and Question.objects.count() == n
    questions = list(Question.objects.select_related("current", "owner"))
    assert {q.owner for q in questions} == {county.committee}
    assert {q.status for q in questions} == {"published"}
    types = Counter(q.current.qtype for q in questions)
    assert set(types) == {"single", "multiple", "judge", "blank"} and min(types.values()) >= 20
    assert set(Counter(q.current.difficulty for q in questions)) == {1, 2, 3}
    keys = [q.stem_key for q in questions]
    assert len(set(keys)) == len(keys)  # no near-duplicates
    for q in questions:
        v = q.current
        assert grading.check_key(v.qtype, v.options, v.answer) == [], v.stem
    per_topic = dict(Question.objects.values_list("topics__name").annotate(n=Count("pk")))
    assert set(per_topic) == set(TOPICS) and all(q.topics.exists() for q in questions[:5])
    assert seed_question_bank(1) == 0  # once only


def test_the_bank_is_the_same_for_a_seed(county):
    seed_question_bank(3)
    first = sorted(Question.objects.values_list("current__stem", "current__answer"))
    Question.objects.update(current=None)
    from partyedu.quizzes.models import QuestionVersion

    QuestionVersion.objects.all().delete()
    Question.topics.through.objects.all().delete()
    Question.objects.all().delete()
    seed_question_bank(3)
    assert sorted(Question.objects.values_list("current__stem", "current__answer")) == first
