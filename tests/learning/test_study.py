"""Study that counts only when it happened: heartbeats from a visible tab, credited once per moment per member,
videos by the parts actually watched at no more than 2×, completion at 80 % of reading time / 90 % of a video."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partyedu.learning import study
from partyedu.learning.materials_services import create_material, visible_path_for
from partyedu.learning.models import Material, StudyCredit, StudyRecord, StudySession
from partyedu.learning.study_services import record_heartbeat

T0 = datetime.datetime(2026, 3, 2, 9, 0, 0, tzinfo=datetime.UTC)


def at(seconds: float) -> datetime.datetime:
    return T0 + datetime.timedelta(seconds=seconds)


@pytest.fixture
def article(county):
    # 10 minutes to read: complete at 8 minutes (480 s) credited
    return create_material(
        publisher=county.finance,
        title="学习党章",
        category="theory",
        body="<p>党章正文</p>",
        reading_minutes=10,
    )


@pytest.fixture
def video(county):
    # made directly: the library insists on an uploaded file, which the clock does not need
    return Material.objects.create(
        publisher=county.finance,
        title="红船精神",
        category="party_history",
        kind="video",
        duration_seconds=100,
        reading_minutes=2,
        visible_path=visible_path_for(county.finance, "subtree"),
    )


@pytest.fixture
def zhangsan(county):
    return county.finance_members[0]


def beats(member, material, times, token="tab-1", **kw):
    return [record_heartbeat(member, material, token=token, now=at(t), **kw) for t in times]


# --- the pure rules ---------------------------------------------------------------------------------------------
def test_a_beat_is_credited_for_the_time_since_the_last_credit_capped_at_one_interval():
    assert study.credit_seconds(100, None, 15) == 15
    assert study.credit_seconds(115, 100, 15) == 15
    assert study.credit_seconds(114.6, 100, 15) == 15  # a little network jitter costs nothing
    assert study.credit_seconds(110, 100, 15) == 0  # a second tab beating 10 s later
    assert study.credit_seconds(112, 100, 15) == 12
    assert (
        study.credit_seconds(400, 100, 15) == 15
    )  # after an idle gap: only the interval the tab vouches for


def test_ranges_merge_and_subtract():
    assert study.merge_ranges([(10, 20), (0, 5), (4, 8), (20, 25)]) == [(0, 8), (10, 25)]
    assert study.covered([(0, 10), (5, 15)]) == 15
    assert study.subtract([(0, 30)], [(5, 10), (20, 40)]) == [(0, 5), (10, 20)]
    assert study.trim_to([(0, 5), (10, 20)], 8) == [(0, 5), (10, 13)]
    assert study.clean_ranges([[0, 5], ["x", 3], [7, 6], [-3, 1], [90, 500], "bad"], 100) == [
        (0, 5),
        (0, 1),
        (90, 100),
    ]
    assert study.clean_ranges("not a list", 100) == []


def test_a_beat_cannot_add_more_watching_than_could_have_played():
    credit = study.watch_credit([(0, 60)], [], rate=1, elapsed=15, duration=100)
    assert credit.added == [(0, 15)]
    credit = study.watch_credit([(0, 60)], [], rate=2, elapsed=15, duration=100)
    assert credit.added == [(0, 30)]
    assert study.watch_credit([(0, 45)], [], rate=3, elapsed=15, duration=100).added == []


@pytest.mark.parametrize(
    ("seconds", "done"), [(479, False), (480, True)]
)  # 80 % of 10 minutes exactly is complete
def test_an_article_is_complete_at_exactly_80_percent_of_its_reading_time(seconds, done):
    assert (
        study.is_complete("article", seconds=seconds, watched=0, reading_minutes=10, duration_seconds=None)
        is done
    )


@pytest.mark.parametrize(("watched", "done"), [(89.9, False), (90, True)])
def test_a_video_is_complete_at_exactly_90_percent_watched(watched, done):
    assert (
        study.is_complete("video", seconds=0, watched=watched, reading_minutes=0, duration_seconds=100)
        is done
    )


def test_durations_read_in_chinese():
    assert study.format_duration(200) == "3分20秒"
    assert study.format_duration(480) == "8分钟"
    assert study.format_duration(45) == "45秒"
    assert study.format_duration(3900) == "1小时5分"


# --- the server side of heartbeats ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_heartbeats_closer_than_the_slot_are_not_credited_twice(article, zhangsan):
    results = beats(zhangsan, article, [0, 5, 15, 20, 30])
    assert [b.credited for b in results] == [15, 0, 15, 0, 15]
    record = StudyRecord.objects.get(member=zhangsan, material=article)
    assert record.seconds == 45
    # every second on the record traces to a credit row
    assert sum(StudyCredit.objects.filter(member=zhangsan).values_list("seconds", flat=True)) == 45


@pytest.mark.django_db
def test_two_tabs_beating_in_parallel_credit_once(article, zhangsan, county):
    other = create_material(publisher=county.finance, title="廉政教育", category="policy", reading_minutes=5)
    for t in range(0, 150, 15):
        record_heartbeat(zhangsan, article, token="tab-1", now=at(t))
        record_heartbeat(zhangsan, article, token="tab-2", now=at(t + 1))  # same material, second tab
        record_heartbeat(zhangsan, other, token="phone", now=at(t + 2))  # another material, another device
    assert StudySession.objects.filter(member=zhangsan).count() == 3
    credited = StudyRecord.objects.filter(member=zhangsan).values_list("seconds", flat=True)
    assert sum(credited) == 150  # ten beats of wall time, not thirty


@pytest.mark.django_db
def test_a_second_member_is_not_held_back_by_the_first(article, zhangsan, county):
    lisi = county.finance_members[1]
    record_heartbeat(zhangsan, article, token="a", now=at(0))
    assert record_heartbeat(lisi, article, token="b", now=at(0)).credited == 15


@pytest.mark.django_db
def test_an_idle_gap_credits_nothing_for_the_gap(article, zhangsan):
    beats(zhangsan, article, [0, 15, 30])
    # the page stopped beating (hidden or idle) for ten minutes, then the reader came back
    after = beats(zhangsan, article, [630, 645])
    assert [b.credited for b in after] == [15, 15]
    assert StudyRecord.objects.get(member=zhangsan, material=article).seconds == 75


@pytest.mark.django_db
def test_an_article_completes_when_80_percent_of_its_time_is_credited(article, zhangsan):
    results = beats(zhangsan, article, [15 * i for i in range(32)])  # 32 × 15 s = 480 s = 80 % of 10 min
    assert [b.completed for b in results].index(True) == 31
    assert results[-1].just_completed
    record = StudyRecord.objects.get(member=zhangsan, material=article)
    assert record.completed_at == at(15 * 31)
    assert record.seconds == 480


@pytest.mark.django_db
def test_a_video_played_at_3x_credits_nothing(video, zhangsan):
    result = record_heartbeat(zhangsan, video, token="t", now=at(0), played=[[0, 45]], rate=3)
    assert result.credited == 0
    assert "2倍" in result.reason
    record = StudyRecord.objects.get(member=zhangsan, material=video)
    assert record.seconds == 0 and record.watched_ranges == []


@pytest.mark.django_db
def test_seeking_to_the_end_of_a_video_does_not_complete_it(video, zhangsan):
    # played 10 s, then dragged to the end: the player's played ranges skip the middle
    beats(zhangsan, video, [0], played=[[0, 10]])
    result = beats(zhangsan, video, [15], played=[[0, 10], [88, 100]])[0]
    record = StudyRecord.objects.get(member=zhangsan, material=video)
    assert not result.completed
    assert record.watched_ranges == [[0, 10], [88, 100]]
    assert record.watched_fraction == pytest.approx(0.22)


@pytest.mark.django_db
def test_a_forged_played_range_adds_no_more_than_the_beat_could_play(video, zhangsan):
    beats(zhangsan, video, [0], played=[[0, 100]])
    record = StudyRecord.objects.get(member=zhangsan, material=video)
    assert record.watched_ranges == [[0, 15]]


@pytest.mark.django_db
def test_watched_ranges_merge_across_beats_and_tabs_and_complete_at_90_percent(video, zhangsan):
    ranges = []
    results = []
    for i in range(6):
        ranges = [[0, 15 * (i + 1)]]
        results.append(record_heartbeat(zhangsan, video, token=f"tab-{i % 2}", now=at(15 * i), played=ranges))
    record = StudyRecord.objects.get(member=zhangsan, material=video)
    assert record.watched_ranges == [[0, 90]]
    assert results[-1].just_completed and record.watched_fraction == pytest.approx(0.9)
    assert not results[-2].completed
    added = StudyCredit.objects.filter(member=zhangsan).values_list("watched_seconds", flat=True)
    assert sum(added) == pytest.approx(90)


# --- the endpoint and the pages ---------------------------------------------------------------------------------
def post_beat(client, material, **body):
    return client.post(
        reverse("learning:study_heartbeat", kwargs={"pk": material.pk}),
        json.dumps({"token": "tab", **body}),
        content_type="application/json",
    )


@pytest.mark.django_db
def test_the_endpoint_returns_the_members_clock(article, county, client):
    client.force_login(county.finance_member_user)
    response = client.get(reverse("learning:study_heartbeat", kwargs={"pk": article.pk}))
    assert response.json()["seconds"] == 0 and response.json()["required_display"] == "8分钟"
    data = post_beat(client, article).json()
    assert data["credited"] == 15 and data["seconds_display"] == "15秒" and data["completed"] is False
    assert post_beat(client, article).json()["credited"] == 0  # at once again: same moment


@pytest.mark.django_db
def test_the_endpoint_needs_the_csrf_token(article, county):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(county.finance_member_user)
    assert post_beat(client, article).status_code == 403
    assert not StudyCredit.objects.exists()


@pytest.mark.django_db
def test_bad_input_gets_a_clear_answer_not_a_500(article, video, county, client):
    client.force_login(county.finance_member_user)
    url = reverse("learning:study_heartbeat", kwargs={"pk": article.pk})
    response = client.post(url, "{not json", content_type="application/json")
    assert response.status_code == 400 and "格式" in response.json()["error"]
    assert client.post(url, "[]", content_type="application/json").status_code == 400
    assert post_beat(client, article, token="").status_code == 400
    assert post_beat(client, video, played="junk", rate="fast").status_code == 200


@pytest.mark.django_db
def test_another_branchs_member_cannot_beat_for_a_material_he_cannot_see(county, client):
    hidden = create_material(
        publisher=county.education_branch, title="教育局内部学习", category="business", reading_minutes=3
    )
    client.force_login(county.finance_member_user)
    assert post_beat(client, hidden).status_code == 404
    assert not StudyCredit.objects.exists()


@pytest.mark.django_db
def test_a_worker_without_a_member_record_is_not_clocked(article, county, client):
    client.force_login(county.finance_secretary)
    response = client.get(reverse("learning:study_heartbeat", kwargs={"pk": article.pk}))
    if response.status_code == 200:
        assert response.json()["member"] is False
        assert post_beat(client, article).status_code == 403


@pytest.mark.django_db
def test_my_study_page_shows_my_records_and_costs_the_same_queries_for_any_number(county, client, zhangsan):
    client.force_login(county.finance_member_user)
    materials = [
        create_material(publisher=county.finance, title=f"学习材料{i}", category="theory", reading_minutes=1)
        for i in range(12)
    ]

    def study_first(n, start):
        for i, m in enumerate(materials[:n]):
            for k in range(4):
                record_heartbeat(zhangsan, m, token="t", now=at(start + 1000 * i + 15 * k))

    study_first(2, 0)
    with CaptureQueriesContext(connection) as few:
        body = client.get(reverse("learning:study_mine")).content.decode()
    assert "学习材料0" in body and "已完成" in body and "1分钟" in body
    StudyRecord.objects.all().delete()
    study_first(12, 100_000)
    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse("learning:study_mine")).content.decode()
    assert "学习材料11" in body
    assert len(many) == len(few)


@pytest.mark.django_db
def test_org_admins_see_their_subtrees_study_with_totals(county, client, article, zhangsan):
    beats(zhangsan, article, [0, 15])
    wang = county.education_members[0]
    edu = create_material(
        publisher=county.education, title="教育局资料", category="theory", reading_minutes=1
    )
    record_heartbeat(wang, edu, token="t", now=at(0))
    client.force_login(county.finance_secretary)
    body = client.get(reverse("learning:study_orgs")).content.decode()
    assert "县财政局机关党支部" in body and "30秒" in body and "县教育局" not in body
    body = client.get(reverse("learning:study_org_members", kwargs={"pk": county.finance_branch.pk})).content
    assert "张三" in body.decode()
    client.force_login(county.committee_admin)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("learning:study_orgs")).content.decode()
    assert "县教育局机关第一党支部" in body and "45秒" in body
    assert len(queries) < 12


@pytest.mark.django_db
def test_a_plain_member_cannot_open_the_organisation_overview(county, client):
    client.force_login(county.finance_member_user)
    assert client.get(reverse("learning:study_orgs")).status_code == 403
