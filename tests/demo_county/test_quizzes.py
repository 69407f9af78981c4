"""The demo county's quizzes: a year of daily tests graded consistently, streaks to show, papers with results."""

import pytest
from django.db.models import Count, Sum

from partyedu.quizzes import selectors_quiz as sel
from partyedu.quizzes.demo_quiz import DAILY_COHORT, seed_quizzes
from partyedu.quizzes.models import Attempt, AttemptItem, Quiz, QuizKind

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_a_consistent_year_of_daily_tests(demo_county):
    assert Attempt.objects.count() > 1000
    assert seed_quizzes(1) == 0  # never twice
    daily = Quiz.objects.get(kind=QuizKind.DAILY)
    per_day = Attempt.objects.filter(quiz=daily).values("day").annotate(n=Count("pk"))
    takers = Attempt.objects.filter(quiz=daily).values("member").distinct().count()
    assert takers <= DAILY_COHORT
    assert (
        Attempt.objects.filter(quiz=daily).values("member", "day").distinct().count()
        == Attempt.objects.filter(quiz=daily).count()
    )  # one a day
    assert max(r["n"] for r in per_day) < takers
    # graded consistently: each attempt's score is the sum of its items'
    sums = dict(
        AttemptItem.objects.values_list("attempt").annotate(s=Sum("score")).values_list("attempt", "s")
    )
    for attempt in Attempt.objects.all()[:500]:
        assert sums[attempt.pk] == attempt.score == attempt.correct_count
    # the demo logins have a streak to show
    from partyedu.accounts.models import User

    user = User.objects.filter(member__isnull=False).first()
    assert sel.streak(user.member, daily) > 3
    assert Quiz.objects.filter(kind__in=[QuizKind.PAPER, QuizKind.EXAM]).count() == 3
