"""A branch's 民主评议 results as a spreadsheet: the secretary (or a worker above the branch) asks for it on the
campaign page, the file is built in the background and he downloads it from 台账下载. Nobody gets the results
of a branch outside his own subtree, and building costs the same queries for 3 members or 28."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from partyedu.evaluation import exporting, services
from partyedu.evaluation.exporting import BRANCH_RESULTS, HEADER
from partyedu.evaluation.models import Grade, Participant
from partyedu.reports import services as report_services
from partyedu.reports.models import GeneratedReport, ReportStatus
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def export_url(campaign, branch):
    return reverse("evaluation:export", args=[campaign.pk, branch.pk])


def downloaded_rows(client, report) -> list[tuple]:
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


def test_the_secretary_exports_his_branchs_results_and_downloads_the_spreadsheet(
    county, county_campaign, client
):
    zhang, li, zeng = (
        Participant.objects.get(campaign=county_campaign, member=m) for m in county.finance_members
    )
    Participant.objects.filter(pk=zeng.pk).update(graded=False)  # 曾小明 is a 预备党员
    services.rate_peer(li, zhang, Grade.EXCELLENT)
    services.rate_peer(zeng, zhang, Grade.QUALIFIED)
    services.suggest_grades(county_campaign)
    services.decide(zhang, grade=Grade.QUALIFIED, note="表现良好")

    client.force_login(county.finance_secretary)
    url = export_url(county_campaign, county.finance_branch)
    page = client.get(
        reverse("evaluation:campaign", args=[county_campaign.pk]), {"branch": county.finance_branch.pk}
    ).content.decode()
    assert f'<form method="post" action="{url}"' in page  # a button that posts, not a link
    assert client.get(url).status_code == 405

    response = client.post(url, follow=True)
    assert response.redirect_chain == [(reverse("reports:list"), 302)]
    body = response.content.decode()
    assert "已提交生成“县财政局机关党支部民主评议结果”，完成后可在下方下载。" in body
    assert "民主评议支部结果（Excel）" in body

    report = GeneratedReport.objects.get(kind=BRANCH_RESULTS)
    assert report.status == ReportStatus.DONE and report.progress == 100
    assert (report.requested_by, report.organization) == (county.finance_secretary, county.finance_branch)
    assert report.params == {"campaign": county_campaign.pk, "year": county_campaign.year}
    assert report.filename == f"{county_campaign.title}_县财政局机关党支部评议结果.xlsx"

    rows = downloaded_rows(client, report)
    assert rows[0][:2] == (county_campaign.title, "县财政局机关党支部")
    assert list(rows[1]) == HEADER
    by_name = {row[0]: row for row in rows[2:]}
    assert sorted(by_name) == sorted(["张三", "李四", "曾小明"])
    assert by_name["张三"][1] == "是" and by_name["张三"][3] == 87.5  # (95 + 80) / 2
    assert by_name["张三"][9] is not None  # 综合得分
    assert (by_name["张三"][12], by_name["张三"][13]) == ("合格", "表现良好")
    assert by_name["曾小明"][1] == "否（预备党员）" and not by_name["曾小明"][12]  # not graded
    assert by_name["李四"][3] is None  # nobody rated him


def test_a_unit_worker_exports_a_branch_below_him(county, county_campaign, client):
    client.force_login(county.education_admin)
    response = client.post(export_url(county_campaign, county.education_branch))
    assert response.status_code == 302 and response["Location"] == reverse("reports:list")
    report = GeneratedReport.objects.get(kind=BRANCH_RESULTS, requested_by=county.education_admin)
    names = sorted(row[0] for row in downloaded_rows(client, report)[2:])
    assert names == sorted(["王五", "赵六"])


def test_nobody_exports_a_branch_outside_his_subtree(county, county_campaign, client):
    # the education unit's worker sees the campaign (his branch takes part) but not the finance branch
    client.force_login(county.education_admin)
    assert client.post(export_url(county_campaign, county.finance_branch)).status_code == 404
    # the finance secretary and a plain member of the finance branch do not get the education branch
    client.force_login(county.finance_secretary)
    assert client.post(export_url(county_campaign, county.education_branch)).status_code == 404
    client.force_login(county.finance_member_user)
    assert client.post(export_url(county_campaign, county.education_branch)).status_code == 404
    assert client.post(export_url(county_campaign, county.finance_branch)).status_code == 404
    # nor by asking the reports app directly
    with pytest.raises(Http404):
        report_services.request_report(
            county.finance_secretary,
            BRANCH_RESULTS,
            county.education_branch,
            {"campaign": county_campaign.pk},
        )
    assert not GeneratedReport.objects.exists()


def test_a_branch_the_campaign_does_not_cover_is_refused_with_a_message(county, client):
    today = timezone.localdate()
    campaign = services.create_campaign(
        county.finance, year=today.year, title="县财政局民主评议", opens_on=today, closes_on=today
    )
    client.force_login(county.committee_admin)
    response = client.post(export_url(campaign, county.education_branch), follow=True)
    campaign_page = reverse("evaluation:campaign", args=[campaign.pk])
    assert response.redirect_chain == [(f"{campaign_page}?branch={county.education_branch.pk}", 302)]
    assert "该支部不在本次评议的范围内" in response.content.decode()
    # inside the campaign's subtree, but nobody of the 党组 itself takes part
    response = client.post(export_url(campaign, county.finance), follow=True)
    assert "该支部没有参加本次评议的党员" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        report_services.request_report(county.committee_admin, BRANCH_RESULTS, county.finance_branch, {})
    assert refused.value.messages == ["请选择民主评议"]
    assert not GeneratedReport.objects.exists()


def test_a_campaign_deleted_before_the_build_fails_the_report_in_chinese(county, county_campaign):
    report = GeneratedReport.objects.create(
        kind=BRANCH_RESULTS,
        organization=county.finance_branch,
        params={"campaign": county_campaign.pk, "year": county_campaign.year},
        requested_by=county.finance_secretary,
    )
    county_campaign.delete()
    report_services.run_report(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and report.message == "该评议已被删除，无法生成"


def test_building_costs_the_same_queries_for_3_or_28_members(
    county, county_campaign, django_assert_max_num_queries
):
    services.suggest_grades(county_campaign)
    report = report_services.request_report(
        county.finance_secretary, BRANCH_RESULTS, county.finance_branch, {"campaign": county_campaign.pk}
    )
    report = GeneratedReport.objects.select_related("organization").get(pk=report.pk)
    calls = []

    def build():
        calls.clear()
        content = exporting.build_branch(report, lambda done, total: calls.append((done, total)))
        return list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(min_row=3, values_only=True))

    with django_assert_max_num_queries(10) as few:
        assert len(build()) == 3
    assert calls == [(3, 3)]

    newcomers = []
    for i in range(25):
        member = MemberFactory.create(organization=county.finance_branch, name=f"新党员{i}")
        newcomers.append(
            Participant.objects.create(campaign=county_campaign, member=member, branch=county.finance_branch)
        )
    for rater, ratee in zip(newcomers, newcomers[1:], strict=False):
        services.rate_peer(rater, ratee, Grade.QUALIFIED)
    services.suggest_grades(county_campaign)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = build()
    assert len(rows) == 28 and "新党员24" in {row[0] for row in rows}
    assert calls == [(28, 28)]
