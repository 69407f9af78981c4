"""书记抓党建述职评议 and unit scorecards: the indicator sheet is filled from the platform and exports to Word; the
scorecard compares the units under the 工委 with last year beside, from a few grouped queries."""

import datetime
import io

import docx
import pytest
from django.urls import reverse

from partyedu.evaluation import selectors
from partyedu.evaluation.models import ReviewRating
from partyedu.hours.services import credit

pytestmark = pytest.mark.django_db


def test_the_scorecard_counts_members_and_hours_by_unit(county, django_assert_max_num_queries):
    year = datetime.date.today().year
    zhang, li, _ = county.finance_members
    credit(zhang, source="class", key="class:1", hours=40, on=datetime.date(year, 3, 1), title="全员轮训")
    credit(li, source="class", key="class:1", hours=10, on=datetime.date(year, 3, 1), title="全员轮训")
    credit(li, source="class", key="class:0", hours=40, on=datetime.date(year - 1, 3, 1), title="去年轮训")
    with django_assert_max_num_queries(40):
        rows = selectors.scorecard(county.committee, year)
    by_name = {now.org.name: (now, before) for now, before in rows}
    finance, finance_before = by_name["县财政局党组"]
    education, _ = by_name["县教育局党委"]
    assert (finance.members, education.members) == (3, 2)
    assert finance.covered == 1 and str(finance.coverage_rate) == "33.3"
    assert str(finance.hours_avg) == "16.7"
    assert finance_before.covered == 1 and education.covered == 0
    assert education.hours_avg == 0


def test_the_secretary_review_is_rated_by_the_unit_and_exports_to_word(county, county_campaign, client):
    url = reverse("evaluation:review", args=[county_campaign.pk, county.finance_branch.pk])
    client.force_login(county.finance_secretary)
    body = client.get(url).content.decode()
    assert "组织生活落实率" in body and "学时达标率" in body and "暂无数据（办实事模块未上线）" in body
    assert "我的评分" not in body  # the secretary does not rate his own review
    rate = reverse("evaluation:review_rate", args=[county_campaign.pk, county.finance_branch.pk])
    assert client.post(rate, {"score": "100"}).status_code == 403
    client.force_login(county.committee_admin)
    client.post(rate, {"score": "92", "comment": "抓党建责任落实到位"})
    client.post(rate, {"score": "90", "comment": "抓党建责任落实到位"})  # changed, not doubled
    assert ReviewRating.objects.get().score == 90
    response = client.get(
        reverse("evaluation:review_docx", args=[county_campaign.pk, county.finance_branch.pk])
    )
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "组织生活出勤率（%）" in text and "抓党建责任落实到位" in text and "90" in text


def test_the_scorecard_page_lists_the_units(county, client):
    client.force_login(county.committee_admin)
    body = client.get(reverse("evaluation:scorecard")).content.decode()
    assert "县财政局党组" in body and "县教育局党委" in body
