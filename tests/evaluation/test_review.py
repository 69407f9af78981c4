"""书记抓党建述职评议 and unit scorecards: the indicator sheet is filled from the platform and exports to Word; the
scorecard compares the units under the 工委 with last year beside, from a few grouped queries."""

import datetime
import io
from decimal import Decimal

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
    assert "组织生活落实率" in body and "学时达标率" in body and "为民办实事项目" in body
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


def _service_modules():
    """The 办实事 and volunteering selectors the sheet reads, or a skip while those modules are not there yet."""
    import importlib

    found = []
    for module, name in (
        ("partyedu.practice.selectors", "org_service_summary"),
        ("partyedu.volunteering.selectors", "volunteer_hours_by_org"),
    ):
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            pytest.skip(f"{module}.{name} does not exist yet")
    return found


def test_the_sheet_counts_service_items_and_volunteer_hours(county, county_campaign, client):
    _service_modules()
    from partyedu.practice import services as practice
    from partyedu.volunteering import services as volunteering

    year = county_campaign.year
    today = datetime.date.today()
    zhang, li, _ = county.finance_members
    start = datetime.date(year, 1, 2)
    done = practice.create_item(
        county.finance_branch,
        responsible=[zhang],
        title="帮助社区老人办理社保卡",
        category="public_service",
        starts_on=start,
        deadline=today,
    )
    practice.complete_item(done, result_summary="为23位老人办好社保卡", done_on=today)
    practice.create_item(
        county.finance_branch,
        responsible=[li],
        title="整治小区停车难",
        category="livelihood",
        starts_on=start,
        deadline=start,  # past its deadline and not done
    )
    practice.create_item(  # another branch's item does not count for this one
        county.education_branch, title="送教下乡", category="public_service", starts_on=start, deadline=today
    )
    for member, hours in ((zhang, "2.5"), (li, "3")):
        record = volunteering.report_service(member, title="社区卫生清扫", served_on=today, hours=hours)
        volunteering.confirm(record)
    volunteering.report_service(
        li, title="未确认的服务", served_on=today, hours="8"
    )  # not confirmed: not counted

    ind = selectors.indicators(county.finance_branch, [county.finance_branch], year)[county.finance_branch.pk]
    assert (ind.service_items, ind.service_done, ind.service_overdue) == (2, 1, 1)
    assert ind.volunteer_hours == Decimal("5.5")
    assert ind.service_satisfaction is None  # nobody served has answered yet: no rate, not 0 %

    client.force_login(county.committee_admin)
    response = client.get(
        reverse("evaluation:review_docx", args=[county_campaign.pk, county.finance_branch.pk])
    )
    document = docx.Document(io.BytesIO(response.content))
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["为民办实事项目（件）", "2"] in cells and ["逾期未办结（件）", "1"] in cells
    assert ["志愿服务时长（小时）", "5.5"] in cells and ["服务对象满意率（%）", "—"] in cells

    body = client.get(reverse("evaluation:scorecard")).content.decode()
    assert "志愿服务时长（小时）" in body


def test_a_missing_module_shows_a_dash_not_a_zero():
    """Before the 办实事 module reports, the sheet says "no data" rather than "did nothing"."""
    from partyedu.orgs.models import Organization

    assert selectors._other_module("partyedu.not_there.selectors", "org_service_summary") is None
    assert selectors._other_module("partyedu.points.selectors", "no_such_function") is None
    blank = selectors.Indicators(org=Organization(name="某支部"))
    for key in (
        "service_items",
        "service_done",
        "service_overdue",
        "service_satisfaction",
        "volunteer_hours",
    ):
        assert selectors.indicator_value(blank, key) == "—"
    counted = selectors.Indicators(
        org=Organization(name="某支部"), service={"items": 0}, volunteer_hours=Decimal(0)
    )
    assert selectors.indicator_value(counted, "service_items") == 0
    assert selectors.indicator_value(counted, "volunteer_hours") == 0


def test_the_scorecard_shows_last_year_beside_for_every_indicator(county, client):
    """Each cell holds this year and, in brackets, last year, for every indicator of the sheet."""
    year = datetime.date.today().year
    credit(
        county.finance_members[0],
        source="class",
        key="c:9",
        hours=40,
        on=datetime.date(year - 1, 5, 1),
        title="轮训",
    )
    client.force_login(county.committee_admin)
    response = client.get(reverse("evaluation:scorecard"), {"year": year})
    body = response.content.decode()
    for _, label in selectors.INDICATOR_LABELS:
        assert f"<th>{label}</th>" in body
    finance_row = body[body.index("<td>县财政局党组</td>") :].split("</tr>")[0]
    assert finance_row.count("（") == len(selectors.INDICATOR_LABELS)
    assert "（13.3）" in finance_row  # 人均学时 last year: 40 hours among 3 members
