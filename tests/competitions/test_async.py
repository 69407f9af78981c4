"""An asynchronous competition: members take the paper through the quiz engine while it is open; rankings go by
score, then time, then who submitted first; teams by branch or unit; rankings shown to players only as the
organiser decided."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partyedu.competitions import selectors, services
from partyedu.competitions.models import BoardVisibility, CompetitionMode, TeamMode
from partyedu.quizzes import attempt_services
from partyedu.quizzes.models import Attempt

START = timezone.now() - datetime.timedelta(hours=1)


@pytest.fixture
def competition(county, questions):
    return services.create_competition(
        owner=county.committee,
        title="“学党史、强信念”党史知识竞赛",
        mode=CompetitionMode.ASYNC,
        questions=questions,
        team_mode=TeamMode.BRANCH,
        board_visibility=BoardVisibility.FULL,
        by=county.committee_admin,
    )


def play(competition, member, right: int, seconds: int, started=START):
    """The member answers `right` questions correctly and submits after `seconds`."""
    attempt = attempt_services.start_attempt(competition.quiz, member, now=started)
    for n, item in enumerate(attempt.items.order_by("position")):
        shown = item.option_order.index(1 if n < right else 0)
        attempt_services.answer(attempt, item.position, {"choice": shown}, now=started)
    return attempt_services.submit(attempt, now=started + datetime.timedelta(seconds=seconds))


def test_ranking_by_score_then_time_with_ties_sharing_a_rank(competition, county):
    zhang, li, zeng = county.finance_members
    wang, zhao = county.education_members
    play(competition, zhang, 3, 60)
    play(competition, li, 3, 45)  # same score, faster: ahead
    play(competition, zeng, 2, 10)
    play(
        competition, wang, 3, 60, started=START + datetime.timedelta(seconds=5)
    )  # ties 张三, submitted later
    play(competition, zhao, 1, 30)
    rows = selectors.ranking(competition)
    assert [(r["member__name"], r["rank"]) for r in rows] == [
        ("李四", 1),
        ("张三", 2),
        ("王五", 2),
        ("曾小明", 4),
        ("赵六", 5),
    ]


def test_team_ranking_averages_participants_and_shows_participation(competition, county):
    zhang, li, zeng = county.finance_members
    wang, _ = county.education_members
    play(competition, zhang, 3, 60)
    play(competition, li, 1, 60)
    play(competition, wang, 3, 60)
    teams = selectors.team_ranking(competition)
    assert [(t["org"].name, t["average"], t["players"], t["members"], t["participation"]) for t in teams] == [
        ("县教育局机关第一党支部", 3, 1, 2, 50),
        ("县财政局机关党支部", 2, 2, 3, 67),
    ]


def test_team_ranking_by_unit(competition, county):
    competition.team_mode = TeamMode.UNIT
    competition.save()
    play(competition, county.finance_members[0], 2, 60)
    play(competition, county.education_members[0], 1, 60)
    assert [t["org"].name for t in selectors.team_ranking(competition)] == ["县财政局党组", "县教育局党委"]


def test_a_member_takes_the_competition_on_one_page(competition, county, client):
    client.force_login(county.finance_member_user)
    page = client.get(reverse("competitions:take", args=[competition.pk]))
    assert page.status_code == 200
    assert "1921年7月" not in page.content.decode()  # no explanation (nor key) before the close
    attempt = Attempt.objects.get(member=county.finance_members[0])
    answers = {f"q{i.position}": str(i.option_order.index(1)) for i in attempt.items.all()}
    response = client.post(reverse("competitions:take", args=[competition.pk]), answers)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == "submitted" and attempt.correct_count == 3
    detail = client.get(reverse("competitions:detail", args=[competition.pk])).content.decode()
    assert "排名第 <b>1</b> 名" in detail
    again = client.get(reverse("competitions:take", args=[competition.pk]))
    assert again.status_code == 302  # one attempt only


def test_hidden_rankings_are_not_shown_to_players_but_to_the_organiser(competition, county, client):
    competition.board = BoardVisibility.HIDDEN
    competition.save()
    play(competition, county.finance_members[1], 3, 60)
    client.force_login(county.finance_member_user)
    body = client.get(reverse("competitions:detail", args=[competition.pk])).content.decode()
    assert "李四" not in body and "不公布排名" in body
    client.force_login(county.committee_admin)
    assert "李四" in client.get(reverse("competitions:detail", args=[competition.pk])).content.decode()


def test_top_n_shows_only_the_first_places_to_players(competition, county, client):
    competition.board, competition.top_n = BoardVisibility.TOP, 1
    competition.save()
    play(competition, county.finance_members[1], 3, 60)
    play(competition, county.finance_members[2], 1, 60)
    client.force_login(county.finance_member_user)
    body = client.get(reverse("competitions:detail", args=[competition.pk])).content.decode()
    assert "李四" in body and "曾小明" not in body


def test_members_of_another_subtree_do_not_see_or_take_it(county, questions, client):
    competition = services.create_competition(
        owner=county.education, title="教育局竞赛", questions=questions[:1], by=county.committee_admin
    )
    client.force_login(county.finance_member_user)
    assert client.get(reverse("competitions:detail", args=[competition.pk])).status_code == 404
    assert client.get(reverse("competitions:take", args=[competition.pk])).status_code == 404
    assert "教育局竞赛" not in client.get(reverse("competitions:list")).content.decode()


def test_a_worker_creates_a_competition_drawn_from_the_bank(county, questions, client):
    client.force_login(county.committee_admin)
    response = client.post(
        reverse("competitions:create"),
        {
            "title": "党史知识竞赛",
            "owner": county.committee.pk,
            "mode": "live",
            "question_count": 2,
            "team_mode": "unit",
            "board_visibility": "top",
            "top_n": 10,
            "seconds_per_question": 15,
        },
    )
    assert response.status_code == 302
    competition = selectors.for_worker(county.committee_admin).get()
    assert competition.quiz.slots.count() == 2 and competition.quiz.kind == "competition"
    response = client.post(reverse("competitions:session_create", args=[competition.pk]))
    session = competition.sessions.get()
    assert response["Location"] == reverse("competitions:host", args=[session.pk])
    assert session.rounds.count() == 2


def test_a_secretary_cannot_create_for_another_unit(county, questions):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.create_competition(owner=county.education, title="x", by=county.finance_secretary)


def test_list_page_queries_do_not_grow_with_rows(county, questions, client, django_assert_max_num_queries):
    for i in range(5):
        services.create_competition(owner=county.committee, title=f"竞赛{i}", questions=questions[:1])
    client.force_login(county.committee_admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("competitions:list")).status_code == 200
