"""The campaign's pages: the 工委 sets weights that must add up to 100; a branch secretary sees and decides only
his own branch; a member assesses himself, rates only his branch colleagues and sees only his own result."""

import pytest
from django.urls import reverse

from partyedu.evaluation import services
from partyedu.evaluation.models import Campaign, Grade, Participant, PeerRating
from tests.factories import MemberFactory

from .conftest import SUMMARY

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {
        "root": "",
        "year": "2026",
        "title": "2026年度民主评议党员",
        "opens_on": "2026-01-05",
        "closes_on": "2026-02-28",
        "excellent_quota": "0.333",
        "w_self": 10,
        "w_peer": 25,
        "w_mass": 15,
        "w_org": 20,
        "w_points": 10,
        "w_attendance": 10,
        "w_hours": 10,
    }
    data.update(changes)
    return data


def test_the_committee_creates_a_campaign_whose_weights_add_up_to_100(county, client):
    client.force_login(county.committee_admin)
    url = reverse("evaluation:create")
    response = client.post(url, form_data(root=county.committee.pk, w_self=20))
    assert response.status_code == 200
    assert "各项权重之和应为100，现为110" in response.content.decode()
    assert not Campaign.objects.exists()
    response = client.post(url, form_data(root=county.committee.pk))
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "evaluation:campaign", args=[campaign.pk]
    )
    assert campaign.weights["peer"] == 25 and campaign.participants.count() == 5


def test_a_secretary_cannot_create_a_campaign(county, client):
    client.force_login(county.finance_secretary)
    assert client.get(reverse("evaluation:create")).status_code == 403


def test_a_secretary_sees_and_decides_his_own_branch_only(county, county_campaign, client):
    client.force_login(county.finance_secretary)
    url = reverse("evaluation:campaign", args=[county_campaign.pk])
    body = client.get(url, {"branch": county.education_branch.pk}).content.decode()
    assert "张三" in body and "王五" not in body and "县教育局机关第一党支部" not in body
    wang = Participant.objects.get(campaign=county_campaign, member=county.education_members[0])
    assert client.get(reverse("evaluation:participant", args=[wang.pk])).status_code == 404
    response = client.post(
        reverse("evaluation:decide", args=[wang.pk]), {"grade": "unqualified", "note": "x"}
    )
    assert response.status_code == 404
    wang.refresh_from_db()
    assert wang.final_grade == ""
    zhang = Participant.objects.get(campaign=county_campaign, member=county.finance_members[0])
    client.post(reverse("evaluation:assess", args=[zhang.pk]), {"org_score": "88"})
    client.post(reverse("evaluation:decide", args=[zhang.pk]), {"grade": "qualified", "note": "表现良好"})
    zhang.refresh_from_db()
    assert (zhang.org_score, zhang.final_grade) == (88, Grade.QUALIFIED)
    # computing the suggestions is the 工委's
    assert client.post(reverse("evaluation:suggest", args=[county_campaign.pk])).status_code in {403, 404}


def test_the_suggestion_page_explains_each_part(county, county_campaign, client):
    zhang = Participant.objects.get(campaign=county_campaign, member=county.finance_members[0])
    services.submit_self_assessment(zhang, grade=Grade.EXCELLENT, summary=SUMMARY)
    client.force_login(county.committee_admin)
    client.post(reverse("evaluation:suggest", args=[county_campaign.pk]))
    body = client.get(reverse("evaluation:participant", args=[zhang.pk])).content.decode()
    assert "个人自评" in body and "优秀" in body and "学时完成" in body and "0/32学时" in body
    assert "综合得分" in body
    # only self-assessment and 学时 have data (20% of the weight): the note says so
    assert "有数据的项目权重合计仅20%，请核实" in body


def test_the_campaign_page_does_not_query_per_row(
    county, county_campaign, client, django_assert_max_num_queries
):
    client.force_login(county.committee_admin)
    url = reverse("evaluation:campaign", args=[county_campaign.pk])
    with django_assert_max_num_queries(14) as few:
        client.get(url, {"branch": county.finance_branch.pk})
    for i in range(25):
        member = MemberFactory.create(organization=county.finance_branch, name=f"新党员{i}")
        Participant.objects.create(campaign=county_campaign, member=member, branch=county.finance_branch)
    services.suggest_grades(county_campaign)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"branch": county.finance_branch.pk})
    assert "新党员24" in response.content.decode()


def test_a_member_assesses_himself_rates_his_branch_and_sees_his_own_result(county, county_campaign, client):
    client.force_login(county.finance_member_user)
    me = Participant.objects.get(campaign=county_campaign, member=county.finance_members[0])
    li = Participant.objects.get(campaign=county_campaign, member=county.finance_members[1])
    wang = Participant.objects.get(campaign=county_campaign, member=county.education_members[0])
    body = client.get(reverse("evaluation:mine")).content.decode()
    assert county_campaign.title in body
    page = client.get(reverse("evaluation:my", args=[me.pk])).content.decode()
    assert "李四" in page and "王五" not in page
    client.post(
        reverse("evaluation:my_self", args=[me.pk]), {"self_grade": "qualified", "self_summary": "太短"}
    )
    me.refresh_from_db()
    assert me.self_grade == ""
    client.post(
        reverse("evaluation:my_self", args=[me.pk]), {"self_grade": "qualified", "self_summary": SUMMARY}
    )
    me.refresh_from_db()
    assert me.self_grade == Grade.QUALIFIED
    response = client.post(
        reverse("evaluation:my_rate", args=[me.pk, li.pk]), {"grade": "excellent"}, HTTP_HX_REQUEST="true"
    )
    assert "已保存" in response.content.decode()
    assert PeerRating.objects.get(rater=me).ratee == li
    response = client.post(reverse("evaluation:my_rate", args=[me.pk, wang.pk]), {"grade": "unqualified"})
    assert response.status_code == 404
    assert client.get(reverse("evaluation:my", args=[li.pk])).status_code == 404  # not his participation
    services.suggest_grades(county_campaign)
    me.refresh_from_db()
    services.decide(me, grade=Grade.BASIC, note="学时不足")
    services.decide(li, grade=Grade.QUALIFIED, note="表现良好")
    page = client.get(reverse("evaluation:my", args=[me.pk])).content.decode()
    assert "评定等次：<b>基本合格</b>" in page and "学时不足" in page and "表现良好" not in page
