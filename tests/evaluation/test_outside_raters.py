"""An outside rater answers through a one-time link without an account: once; an unknown or used link says so
in plain Chinese; nothing the page stores or logs ties the answer to the link."""

import logging

import pytest
from django.urls import reverse

from partyedu.evaluation import services
from partyedu.evaluation.models import MassResponse, MassToken, Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def zhang(county, county_campaign):
    return Participant.objects.get(campaign=county_campaign, member=county.finance_members[0])


def test_a_worker_prints_a_sheet_of_qr_codes(county, zhang, client):
    client.force_login(county.finance_secretary)
    response = client.post(
        reverse("evaluation:tokens", args=[zhang.pk]), {"count": "3", "rater_kind": "recipient"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") == 3 and body.count("/evaluation/r/") >= 3
    assert "服务对象评议码" in body and "<script>" not in body and "style=" not in body
    assert MassToken.objects.filter(ratee=zhang, rater_kind="recipient").count() == 3


def test_a_link_answers_once_without_login(county, zhang, client, public_rating_page, caplog):
    raw = services.issue_mass_tokens(zhang, 1)[0]
    url = reverse("evaluation:rate", args=[raw])
    caplog.set_level(logging.DEBUG)
    page = client.get(url).content.decode()
    assert "张三" in page and "县财政局机关党支部" in page
    response = client.post(url, {"grade": "excellent", "comment": "办事热情"})
    assert "提交成功" in response.content.decode()
    assert "已经使用过" in client.get(url).content.decode()
    again = client.post(url, {"grade": "unqualified"})
    assert "已经使用过" in again.content.decode()
    assert MassResponse.objects.filter(ratee=zhang).count() == 1
    # no session, no messages, no log line carries the link
    assert "sessionid" not in client.cookies or not client.session.keys()
    assert not any(raw in record.getMessage() for record in caplog.records)


def test_an_unknown_link_gets_a_clear_message(client, county, public_rating_page):
    response = client.get(reverse("evaluation:rate", args=["no-such-link"]))
    assert response.status_code == 200
    assert "评议码无效" in response.content.decode()


def test_a_closed_campaign_takes_no_answers(county, county_campaign, zhang, client, public_rating_page):
    raw = services.issue_mass_tokens(zhang, 1)[0]
    services.close_campaign(county_campaign)
    url = reverse("evaluation:rate", args=[raw])
    assert "评议不在进行中" in client.post(url, {"grade": "excellent"}).content.decode()
    assert not MassResponse.objects.exists()


def test_the_response_cannot_be_matched_to_its_link(county, zhang, client, public_rating_page):
    raws = services.issue_mass_tokens(zhang, 3)
    for raw, grade in zip(raws, ["excellent", "qualified", "basic"], strict=True):
        client.post(reverse("evaluation:rate", args=[raw]), {"grade": grade})
    tokens = list(MassToken.objects.filter(ratee=zhang).values())
    responses = list(MassResponse.objects.filter(ratee=zhang).values())
    assert all(t["used"] for t in tokens) and len(responses) == 3
    token_values = {str(v) for t in tokens for v in t.values()} - {str(zhang.pk), str(zhang.campaign_id)}
    for r in responses:
        shared = {str(v) for v in r.values()} & token_values
        assert shared <= {"masses", "True", "False"}, shared
