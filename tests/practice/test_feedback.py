"""The people served answer through one-time links printed as QR codes: once per link, anonymously."""

import pytest
from django.urls import reverse

from partyedu.practice import selectors, services
from partyedu.practice.models import Feedback, FeedbackToken

from ..conftest import login

pytestmark = pytest.mark.django_db


def test_a_resident_rates_an_item_once_and_a_second_use_stores_nothing(county, make_item, client):
    item = make_item()
    services.complete_item(item, result_summary="38名老人全部完成认证")
    raw = services.issue_feedback_tokens(item, 3)[0]
    url = reverse("practice:feedback", args=[raw])
    page = client.get(url)
    assert page.status_code == 200 and item.title in page.content.decode()
    response = client.post(url, {"satisfaction": "satisfied", "comment": "上门服务很贴心"})
    assert "提交成功" in response.content.decode()
    again = client.post(url, {"satisfaction": "unsatisfied", "comment": "再来一次"})
    assert again.status_code == 200 and "该评价码已经使用过" in again.content.decode()
    assert "该评价码已经使用过" in client.get(url).content.decode()
    assert list(Feedback.objects.values_list("satisfaction", "comment")) == [("satisfied", "上门服务很贴心")]
    assert FeedbackToken.objects.filter(used=True).count() == 1
    assert not any("sessionid" in r.cookies for r in (page, response, again))  # no session written


def test_the_stored_response_cannot_be_traced_back_to_its_link(county, make_item):
    item = make_item()
    services.start_item(item)
    raws = services.issue_feedback_tokens(item, 2)
    services.submit_feedback(raws[1], satisfaction="basic", comment="")
    fields = {f.name for f in Feedback._meta.get_fields()}
    assert fields == {"id", "item", "satisfaction", "comment"}  # no token, no time, no sequential key
    assert not any(f.is_relation and f.related_model is FeedbackToken for f in Feedback._meta.get_fields())
    token_fields = {f.name for f in FeedbackToken._meta.get_fields()}
    assert not token_fields & {"used_at", "feedback", "response"}
    stored = FeedbackToken.objects.values_list("token_hash", flat=True)
    assert raws[1] not in set(stored)  # only hashes are kept


def test_unknown_links_and_planned_items(county, make_item, client):
    assert "评价码无效" in client.get(reverse("practice:feedback", args=["nope"])).content.decode()
    response = client.post(reverse("practice:feedback", args=["x" * 300]), {"satisfaction": "satisfied"})
    assert response.status_code == 200 and not Feedback.objects.exists()
    item = make_item()
    with pytest.raises(Exception, match="推进中或已办结"):
        services.issue_feedback_tokens(item, 1)


def test_a_cancelled_item_takes_no_more_feedback(county, make_item, client):
    item = make_item()
    services.start_item(item)
    raw = services.issue_feedback_tokens(item, 1)[0]
    services.cancel_item(item, reason="合并到县级项目")
    response = client.post(reverse("practice:feedback", args=[raw]), {"satisfaction": "satisfied"})
    assert "已取消" in response.content.decode() and not Feedback.objects.exists()


def test_the_worker_prints_a_sheet_of_qr_codes(county, make_item, client):
    item = make_item()
    services.start_item(item)
    login(client, county.finance_secretary)
    response = client.post(reverse("practice:tokens", args=[item.pk]), {"count": "4"})
    body = response.content.decode()
    assert body.count("<svg") == 4 and response["Cache-Control"] == "no-store"
    assert FeedbackToken.objects.filter(item=item).count() == 4
    response = client.post(reverse("practice:tokens", args=[item.pk]), {"count": "1000"})
    assert response.status_code == 302 and FeedbackToken.objects.count() == 4


def test_satisfaction_rate_per_item_and_per_organisation(county, make_item):
    import datetime

    from django.utils import timezone

    a = make_item("路灯维修")
    b = make_item("图书角")
    for item, answers in ((a, ["satisfied", "basic", "unsatisfied", "satisfied"]), (b, ["satisfied"])):
        services.start_item(item)
        for raw, s in zip(services.issue_feedback_tokens(item, len(answers)), answers, strict=True):
            services.submit_feedback(raw, satisfaction=s)
    services.complete_item(a, result_summary="修好了")
    items = {i.title: i for i in selectors.decorate(list(selectors.filtered_items(county.committee_admin)))}
    assert items["路灯维修"].rate == 75 and items["图书角"].rate == 100
    year = timezone.localdate().year
    summary = selectors.org_service_summary(
        [county.finance.pk, county.finance_branch.pk, county.education.pk],
        datetime.date(year - 1, 1, 1),
        datetime.date(year, 12, 31),
    )
    assert summary[county.finance.pk] == summary[county.finance_branch.pk]
    assert summary[county.finance.pk]["satisfaction_rate"] == 80  # 4 of 5 answers satisfied or basic
    assert (summary[county.finance.pk]["done"], summary[county.finance.pk]["rated"]) == (1, 1)
    assert summary[county.education.pk] == {
        "items": 0,
        "done": 0,
        "overdue": 0,
        "rated": 0,
        "feedback": 0,
        "satisfaction_rate": None,
    }
