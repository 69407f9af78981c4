"""The demo's two competitions: a finished asynchronous one with rankings and a live final with results."""

import pytest

from partyedu.competitions import board, selectors
from partyedu.competitions.demo import seed_competitions
from partyedu.competitions.models import Competition, LiveAnswer, LiveSession

pytestmark = pytest.mark.django_db


def test_seed_competitions_on_the_small_demo_county(demo_county):
    assert seed_competitions(1) == 0  # and never twice
    async_one = Competition.objects.get(quiz__title="“学党史、强信念”党史知识竞赛")
    live_one = Competition.objects.get(quiz__title="党史知识竞赛决赛（现场赛）")
    assert async_one.title == "“学党史、强信念”党史知识竞赛" and async_one.quiz.status == "closed"
    rows = selectors.ranking(async_one)
    assert len(rows) > 10 and rows[0]["rank"] == 1
    assert rows == sorted(rows, key=lambda r: (-r["score"], r["duration_seconds"], r["submitted_at"]))
    assert selectors.team_ranking(async_one)
    session = LiveSession.objects.get(competition=live_one)
    assert session.state == "finished" and LiveAnswer.objects.filter(round__session=session).exists()
    top = board.top(session.pk, 3)
    assert top[0]["total"] >= top[-1]["total"] > 0
