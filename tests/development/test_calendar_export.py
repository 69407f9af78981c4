"""The 发展党员待办日历 as a spreadsheet: the secretary asks for it on the calendar page, the worker builds it (inline
in tests) and he downloads it from the reports page. Another branch's secretary cannot ask for his calendar."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from partyedu.development import exporting, services
from partyedu.development.dates import add_months
from partyedu.development.exporting import DEVELOPMENT_CALENDAR
from partyedu.development.models import StepKind as K
from partyedu.reports import services as report_services
from partyedu.reports.models import GeneratedReport, ReportStatus

from .conftest import D, applicant, walk

pytestmark = pytest.mark.django_db

HEADER = ("姓名", "所在党组织", "人员类别", "事项", "应完成日期", "状态")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def downloaded_rows(client, report) -> list[tuple]:
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.active.title == "发展党员日程"
    return list(book.active.iter_rows(values_only=True))


def test_the_secretary_asks_for_the_calendar_and_downloads_what_is_due(client, county, pipeline, today):
    client.force_login(county.finance_secretary)
    page = client.get(reverse("development:calendar"), {"org": county.finance_branch.pk})
    body = page.content.decode()
    assert f'action="{reverse("development:calendar_xlsx")}"' in body and 'method="post"' in body
    assert client.get(reverse("development:calendar_xlsx")).status_code == 405

    response = client.post(
        reverse("development:calendar_xlsx"), {"org": county.finance_branch.pk}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("reports:list")
    assert "已提交生成“县财政局机关党支部发展党员待办日历”" in response.content.decode()

    report = GeneratedReport.objects.get(kind=DEVELOPMENT_CALENDAR)
    assert report.status == ReportStatus.DONE and report.progress == 100
    assert report.organization == county.finance_branch and report.requested_by == county.finance_secretary
    assert report.params == {"on": today.isoformat()}
    assert report.filename == f"县财政局机关党支部发展党员待办日历{today:%Y%m%d}.xlsx"
    assert report.kind_label == "发展党员待办日历（Excel）"

    rows = downloaded_rows(client, report)
    assert rows[0] == HEADER
    by_step = {(r[0], r[3]): r for r in rows[1:]}
    # 丁四's last 半年考察 was eight months ago, 戊五's 支部大会 five, 己六 became 预备党员 nine months ago
    assert by_step[("丁四", "半年考察")][5] == "已逾期"
    assert by_step[("戊五", "上级党委审批（支部大会后三个月内）")][5] == "已逾期"
    assert by_step[("己六", "预备期季度考察")][5] == "已逾期"
    assert ("甲一", "党组织派人谈话") in by_step
    assert all(r[1] == "县财政局机关党支部" for r in rows[1:])
    names = {r[0] for r in rows[1:]}
    assert "孙八" not in names  # the education branch's applicant
    assert "乙二" not in names  # talked to, not yet an activist: nothing is due

    # the same rows, in the same order, as the calendar page lists
    listed = page.context["page"].object_list
    assert [(r[0], r[3], r[4].date(), r[5]) for r in rows[1:]] == [
        (d.member.name, d.label, d.due_on, "已逾期" if d.overdue else "待办") for d in listed
    ]


def test_without_an_org_the_calendar_is_of_the_users_own_organisation(client, county, pipeline):
    client.force_login(county.finance_secretary)
    client.post(reverse("development:calendar_xlsx"))
    report = GeneratedReport.objects.get(kind=DEVELOPMENT_CALENDAR)
    assert report.organization == county.finance_branch


def test_another_branchs_secretary_cannot_ask_for_its_calendar(client, county, pipeline):
    client.force_login(county.finance_secretary)
    response = client.post(reverse("development:calendar_xlsx"), {"org": county.education_branch.pk})
    assert response.status_code == 404
    response = client.post(reverse("development:calendar_xlsx"), {"org": county.education.pk})
    assert response.status_code == 404
    # nor by calling the service from another page: the kind checks every request
    with pytest.raises(Http404):
        report_services.request_report(
            county.finance_secretary, DEVELOPMENT_CALENDAR, county.education_branch, {}
        )
    # a plain member sees no one's development path
    client.force_login(county.finance_member_user)
    response = client.post(reverse("development:calendar_xlsx"), {"org": county.finance_branch.pk})
    assert response.status_code in {403, 404}
    with pytest.raises((PermissionDenied, Http404)):
        report_services.request_report(
            county.finance_member_user, DEVELOPMENT_CALENDAR, county.finance_branch, {}
        )
    assert not GeneratedReport.objects.exists()


def test_the_committee_sees_every_branchs_steps(client, county, pipeline):
    client.force_login(county.committee_admin)
    client.post(reverse("development:calendar_xlsx"), {"org": county.committee.pk})
    report = GeneratedReport.objects.get(kind=DEVELOPMENT_CALENDAR)
    names = {r[0] for r in downloaded_rows(client, report)[1:]}
    assert {"丁四", "戊五", "己六", "孙八"} <= names


def test_building_costs_the_same_queries_for_few_or_many_people(county, pipeline, people, today):
    report = GeneratedReport(
        kind=DEVELOPMENT_CALENDAR,
        organization=county.finance_branch,
        params={"on": today.isoformat()},
        requested_by=county.finance_secretary,
    )
    calls = []

    def build():
        calls.clear()
        with CaptureQueriesContext(connection) as queries:
            content = exporting.build_calendar(report, lambda done, total: calls.append((done, total)))
        rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
        return len(queries), len(rows) - 1

    few_queries, few_rows = build()
    assert calls[-1] == (few_rows, few_rows)
    for n in range(8):
        member = applicant(
            county.finance_branch, name=f"新{n}", applied_on=add_months(today, -20) - D(days=n)
        )
        walk(services.open_path(member), people, until=K.CANDIDATE)
    many_queries, many_rows = build()
    assert many_rows >= few_rows + 8  # each newcomer has at least his overdue 半年考察
    assert many_queries == few_queries <= 4
    assert calls[-1] == (many_rows, many_rows)
