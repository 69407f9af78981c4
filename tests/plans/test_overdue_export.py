"""The overdue list (逾期未完成名单): a worker asks for it on the plan's progress page, the background worker
builds the workbook (inline in tests), and he downloads it from 台账下载. Only for the organisations he may
see on that plan; built in a few queries whatever the number of members."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from partyedu.plans import services
from partyedu.plans.exporting import HEADERS, PLAN_OVERDUE
from partyedu.reports.models import GeneratedReport, ReportStatus
from partyedu.reports.services import request_report, run_report
from tests.factories import MemberFactory

from .conftest import complete, days

pytestmark = pytest.mark.django_db


def _rows(client, report):
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


@pytest.fixture
def overdue_plan(county, county_plan, county_material):
    """The county list is past its deadline: 张三 finished it, 李四 still owes the book, 曾小明 everything."""
    zhang, li, _ = county.finance_members
    complete(zhang, county_material)
    services.mark_book_read(county_plan.items.get(material=None), zhang, note="读完并撰写了心得")
    complete(li, county_material)
    county_plan.deadline = days(-1)
    county_plan.save()
    return county_plan


def test_the_worker_requests_the_overdue_list_and_downloads_it_when_built(county, client, overdue_plan):
    client.force_login(county.committee_admin)
    page = client.get(reverse("plans:progress", args=[overdue_plan.pk]), {"org": county.finance.pk})
    body = page.content.decode()
    action = reverse("plans:overdue_export", args=[overdue_plan.pk])
    assert f'<form method="post" action="{action}"' in body
    assert f'<input type="hidden" name="org" value="{county.finance.pk}">' in body and 'id="export"' in body

    response = client.post(action, {"org": county.finance.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:list")
    listing = response.content.decode()
    assert "已提交生成“2026年度党员必读书目”县财政局党组逾期未完成名单" in listing
    assert "学习计划逾期名单（Excel）" in listing and "已完成" in listing

    report = GeneratedReport.objects.get(kind=PLAN_OVERDUE)
    assert report.status == ReportStatus.DONE, report.message
    assert (report.organization, report.requested_by) == (county.finance, county.committee_admin)
    assert report.params == {"plan": overdue_plan.pk}
    assert report.filename.startswith("2026年度党员必读书目-县财政局党组逾期未完成名单-")
    assert report.filename.endswith(".xlsx")

    rows = _rows(client, report)
    assert rows[0][0].startswith("2026年度党员必读书目 逾期未完成名单（县财政局党组，截至 ")
    assert rows[1] == tuple(HEADERS)
    data = {r[2]: (r[0], r[1], r[4], r[5], r[6].date()) for r in rows[2:]}
    assert data == {
        # titles are stored normalised (NFKC), as the library does: full-width brackets become half-width
        "李四": (1, "县财政局机关党支部", "1/2", "《习近平著作选读(第一卷)》", days(-1)),
        "曾小明": (
            2,
            "县财政局机关党支部",
            "0/2",
            "中国共产党简史(第一章)、《习近平著作选读(第一卷)》",
            days(-1),
        ),
    }


def test_the_export_is_a_post_and_nothing_is_built_on_a_get(county, client, overdue_plan):
    client.force_login(county.committee_admin)
    url = reverse("plans:overdue_export", args=[overdue_plan.pk])
    assert client.get(url, {"org": county.finance.pk}).status_code == 405
    assert not GeneratedReport.objects.exists()


def test_a_branch_secretary_gets_his_own_branchs_list_only(county, client, overdue_plan):
    """The finance secretary follows the county's list for his branch: not for the education branch, nor for
    the bureau above him."""
    client.force_login(county.finance_secretary)
    url = reverse("plans:overdue_export", args=[overdue_plan.pk])
    for org in (county.education_branch, county.finance, county.committee):
        response = client.post(url, {"org": org.pk}, follow=True)
        assert response.redirect_chain[0][0] == (
            reverse("plans:progress", args=[overdue_plan.pk]) + f"?org={org.pk}"
        )
        assert "只能导出您可查看的党组织的逾期名单" in response.content.decode()
        with pytest.raises(ValidationError):
            request_report(county.finance_secretary, PLAN_OVERDUE, org, {"plan": overdue_plan.pk})
    assert not GeneratedReport.objects.exists()

    client.post(url, {"org": county.finance_branch.pk})
    report = GeneratedReport.objects.get(kind=PLAN_OVERDUE)
    assert report.organization == county.finance_branch
    assert {r[2] for r in _rows(client, report)[2:]} == {"李四", "曾小明"}


def test_a_plan_of_another_branch_cannot_be_exported(county, client):
    plan = services.create_plan(
        organization=county.education_branch, title="教育支部计划", year=2026, deadline=days(-3)
    )
    services.add_book_item(plan, title="教育学")
    services.publish(plan)
    client.force_login(county.finance_secretary)
    url = reverse("plans:overdue_export", args=[plan.pk])
    assert client.post(url, {"org": county.education_branch.pk}).status_code == 404
    with pytest.raises(Http404):
        request_report(county.finance_secretary, PLAN_OVERDUE, county.education_branch, {"plan": plan.pk})
    assert not GeneratedReport.objects.exists()


def test_a_missing_plan_is_refused_in_chinese(county, overdue_plan):
    for params in ({}, {"plan": "abc"}, {"plan": overdue_plan.pk + 1000}):
        with pytest.raises(ValidationError) as exc:
            request_report(county.committee_admin, PLAN_OVERDUE, county.finance, params)
        assert exc.value.messages[0] in {"请选择读书计划", "没有找到该读书计划"}


def test_a_plan_deleted_before_the_build_fails_with_a_message(county, overdue_plan):
    report = GeneratedReport.objects.create(
        kind=PLAN_OVERDUE,
        organization=county.finance,
        params={"plan": overdue_plan.pk},
        requested_by=county.committee_admin,
    )
    overdue_plan.delete()
    run_report(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.message == "该读书计划已被删除，无法生成逾期名单"


def test_building_the_list_does_not_query_per_member(county, client, overdue_plan):
    client.force_login(county.committee_admin)
    url = reverse("plans:overdue_export", args=[overdue_plan.pk])
    with CaptureQueriesContext(connection) as few:
        client.post(url, {"org": county.committee.pk})
    for i in range(30):
        MemberFactory.create(
            organization=county.finance_branch if i % 2 else county.education_branch, name=f"党员{i}"
        )
    services.sync_assignments(overdue_plan)
    with CaptureQueriesContext(connection) as many:
        client.post(url, {"org": county.committee.pk})
    first, second = GeneratedReport.objects.order_by("pk")
    assert len(_rows(client, first)) == 2 + 4  # 李四, 曾小明, 王五, 赵六
    assert len(_rows(client, second)) == 2 + 34
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
