"""A worker exports the 办实事清单 as he sees it on the list, filters and all: the page queues it, the reports app
builds it in the background (inline under the test task backend) and he downloads it from 台账下载. Nobody
exports another branch's items, and the file has every row, however many, without a query per row."""

import io

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from partyedu.practice import exporting, services
from partyedu.practice.models import Feedback
from partyedu.reports import services as report_services
from partyedu.reports.models import GeneratedReport, ReportStatus

from ..conftest import login

pytestmark = pytest.mark.django_db

HEADER = (
    "清单",
    "事项名称",
    "类别",
    "责任党组织",
    "责任人",
    "受益群众",
    "受益人数",
    "开始日期",
    "完成时限",
    "状态",
    "办结日期",
    "是否逾期",
    "评价数",
    "满意率(%)",
    "办结成效",
)


def rows_of(report) -> list[tuple]:
    with report.file.open("rb") as handle:
        return list(load_workbook(handle).active.iter_rows(values_only=True))


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def items(county, make_item):
    """The finance branch: one overdue item, one finished and rated, one under way; the education branch: one
    overdue item of its own."""
    overdue = make_item("老旧小区加装电梯协调", due=-3)
    done = make_item("路灯维修")
    services.complete_item(done, result_summary="修复路灯12盏")
    Feedback.objects.create(item=done, satisfaction="satisfied")
    Feedback.objects.create(item=done, satisfaction="unsatisfied")
    make_item("社区图书角建设", category="livelihood")
    other = make_item(
        "教育局送教下乡", org=county.education_branch, responsible=county.education_members[:1], due=-1
    )
    return {"overdue": overdue, "done": done, "other": other}


def test_the_list_page_carries_its_filters_into_the_export_form(county, items, client):
    login(client, county.committee_admin)
    page = client.get(
        reverse("practice:list"), {"org": county.finance.pk, "flag": "overdue", "category": "public_service"}
    ).content.decode()
    start = page.index(f'<form method="post" action="{reverse("practice:export")}"')
    form = page[start : page.index("</form>", start)]
    assert "csrfmiddlewaretoken" in form
    assert f'name="org" value="{county.finance.pk}"' in form
    assert 'name="flag" value="overdue"' in form and 'name="category" value="public_service"' in form
    assert 'name="status"' not in form and 'name="year"' not in form


def test_the_worker_exports_the_filtered_list_and_downloads_it_when_built(county, items, client):
    login(client, county.committee_admin)
    response = client.post(reverse("practice:export"), {"org": county.finance.pk, "flag": "overdue"})
    assert response.status_code == 302 and response["Location"] == reverse("reports:list")
    assert messages_of(response) == ["已提交生成“县财政局党组办实事清单”，完成后可在下方下载。"]

    report = GeneratedReport.objects.get(kind=exporting.PRACTICE_ITEMS)
    assert report.status == ReportStatus.DONE and report.organization == county.finance
    assert report.params == {
        "org": county.finance.pk,
        "status": "",
        "category": "",
        "year": None,
        "flag": "overdue",
    }
    assert report.filename.startswith("县财政局党组办实事清单") and report.filename.endswith(".xlsx")
    rows = rows_of(report)
    assert rows[0] == HEADER
    assert [r[1] for r in rows[1:]] == ["老旧小区加装电梯协调"]  # not the education branch's overdue item
    row = dict(zip(HEADER, rows[1], strict=True))
    assert (row["清单"], row["类别"], row["责任党组织"], row["状态"], row["是否逾期"]) == (
        "实事清单",
        "为民服务",
        "县财政局机关党支部",
        "计划中",
        "逾期",
    )
    assert set(row["责任人"].split("、")) == {"张三", "李四"}

    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 200


def test_status_and_category_filters_and_the_satisfaction_rate(county, items, client):
    login(client, county.finance_secretary)
    client.post(reverse("practice:export"), {"status": "done", "category": "public_service"})
    report = GeneratedReport.objects.get(kind=exporting.PRACTICE_ITEMS)
    rows = rows_of(report)
    assert [r[1] for r in rows[1:]] == ["路灯维修"]
    row = dict(zip(HEADER, rows[1], strict=True))
    assert (row["状态"], row["评价数"], row["满意率(%)"], row["办结成效"]) == (
        "已办结",
        2,
        50.0,
        "修复路灯12盏",
    )


def test_without_an_organisation_the_export_is_the_workers_whole_scope(county, items, client):
    login(client, county.finance_secretary)
    response = client.post(reverse("practice:export"))
    assert response["Location"] == reverse("reports:list")
    report = GeneratedReport.objects.get(kind=exporting.PRACTICE_ITEMS)
    assert report.organization == county.finance_branch and report.params["org"] is None
    titles = {r[1] for r in rows_of(report)[1:]}
    assert titles == {"老旧小区加装电梯协调", "路灯维修", "社区图书角建设"}  # nothing of the education branch

    login(client, county.committee_admin)
    client.post(reverse("practice:export"), {"flag": "overdue"})
    report = GeneratedReport.objects.filter(kind=exporting.PRACTICE_ITEMS).order_by("-pk").first()
    assert {r[1] for r in rows_of(report)[1:]} == {"老旧小区加装电梯协调", "教育局送教下乡"}


def test_a_worker_of_another_branch_cannot_export_an_organisation_outside_his_subtree(county, items, client):
    login(client, county.finance_secretary)
    assert client.post(reverse("practice:export"), {"org": county.education.pk}).status_code == 404
    assert client.post(reverse("practice:export"), {"org": county.education_branch.pk}).status_code == 404
    with pytest.raises(Http404):
        report_services.request_report(
            county.finance_secretary, exporting.PRACTICE_ITEMS, county.education_branch, {}
        )
    with pytest.raises(Http404):
        report_services.request_report(
            county.finance_secretary,
            exporting.PRACTICE_ITEMS,
            county.education_branch,
            {"org": county.education_branch.pk},
        )
    # a member is no worker, whatever he asks for
    login(client, county.finance_member_user)
    assert client.post(reverse("practice:export")).status_code == 403
    with pytest.raises(PermissionDenied):
        report_services.request_report(
            county.finance_member_user, exporting.PRACTICE_ITEMS, county.finance_branch, {}
        )
    # the export page answers POST only
    login(client, county.finance_secretary)
    assert client.get(reverse("practice:export")).status_code == 405
    assert not GeneratedReport.objects.exists()


def test_wrong_filters_are_refused_in_chinese_and_the_list_keeps_them(county, items, client):
    login(client, county.finance_secretary)
    response = client.post(reverse("practice:export"), {"year": "1899", "flag": "overdue"})
    assert response.status_code == 302
    assert response["Location"] == reverse("practice:list") + "?year=1899&flag=overdue"
    assert messages_of(response) == ["年度不在可导出的范围内"]
    response = client.post(reverse("practice:export"), {"status": "finished"}, follow=True)
    assert "请选择正确的事项状态" in response.content.decode()
    assert not GeneratedReport.objects.exists()

    with pytest.raises(ValidationError) as refused:
        exporting.authorize(county.committee_admin, county.finance, {"org": county.education.pk})
    assert refused.value.messages == ["筛选的党组织与导出的党组织不一致"]
    with pytest.raises(ValidationError) as refused:
        exporting.authorize(
            county.committee_admin, county.education_group, {"org": county.education_group.pk}
        )
    assert refused.value.messages == ["请选择党支部或以上的党组织"]
    cleaned = exporting.authorize(
        county.committee_admin,
        county.finance,
        {"org": str(county.finance.pk), "year": "2026", "category": "enterprise", "status": "", "flag": ""},
    )
    assert cleaned == {
        "org": county.finance.pk,
        "status": "",
        "category": "enterprise",
        "year": 2026,
        "flag": "",
    }


def test_every_row_is_exported_and_progress_is_reported_as_it_goes(county, make_item, monkeypatch):
    monkeypatch.setattr(exporting, "CHUNK", 2)
    for n in range(5):
        make_item(f"事项{n}")
    report = GeneratedReport.objects.create(
        kind=exporting.PRACTICE_ITEMS,
        organization=county.finance_branch,
        params=exporting.authorize(county.finance_secretary, county.finance_branch, {}),
        requested_by=county.finance_secretary,
    )
    calls = []
    content = exporting.build(report, lambda done, total: calls.append((done, total)))
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 5
    assert calls == [(2, 5), (4, 5)]


def test_building_does_not_query_per_row(county, make_item, django_assert_max_num_queries):
    def build_queries() -> int:
        report = GeneratedReport.objects.create(
            kind=exporting.PRACTICE_ITEMS,
            organization=county.finance_branch,
            params=exporting.authorize(county.finance_secretary, county.finance_branch, {}),
            requested_by=county.finance_secretary,
        )
        report = GeneratedReport.objects.select_related("organization", "requested_by").get(pk=report.pk)
        with CaptureQueriesContext(connection) as queries:
            exporting.build(report, lambda done, total: None)
        return len(queries)

    for n in range(2):
        item = make_item(f"事项{n}")
        Feedback.objects.create(item=item, satisfaction="satisfied")
    two = build_queries()
    for n in range(2, 6):
        item = make_item(f"事项{n}", responsible=county.finance_members)
        Feedback.objects.create(item=item, satisfaction="basic")
    six = build_queries()
    assert two == six
    report = GeneratedReport.objects.select_related("organization", "requested_by").first()
    with django_assert_max_num_queries(5):
        exporting.build(report, lambda done, total: None)
