import pytest

from partyedu.quizzes import bank_services


def make_questions(owner, n=3):
    """Single-choice questions whose right answer is option B (index 1)."""
    return [
        bank_services.create_question(
            owner,
            qtype="single",
            stem=f"第{i + 1}题：中国共产党第一次全国代表大会召开于哪一年？",
            options=["1919年", "1921年", "1927年", "1949年"],
            answer={"choice": 1},
            explanation="1921年7月，中共一大在上海召开。",
            publish=True,
        )
        for i in range(n)
    ]


@pytest.fixture
def questions(county):
    return make_questions(county.committee)


@pytest.fixture
def session(county, questions):
    """A live session of two questions, hosted by the working committee's admin, teams by branch."""
    from partyedu.competitions import services
    from partyedu.competitions.models import CompetitionMode, TeamMode

    competition = services.create_competition(
        owner=county.committee,
        title="党史知识现场赛",
        mode=CompetitionMode.LIVE,
        questions=questions[:2],
        team_mode=TeamMode.BRANCH,
        seconds_per_question=20,
        by=county.committee_admin,
    )
    return services.create_session(competition, host=county.committee_admin)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Live snapshots sit in the cache under the session's id, which the test database reuses."""
    from django.core.cache import cache

    from partyedu.competitions import live

    cache.clear()
    live._blocked.clear()
    live._tops.clear()
    yield
    cache.clear()
    live._blocked.clear()
    live._tops.clear()
