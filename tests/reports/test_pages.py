"""The download place: each user sees and downloads only what he asked for, while it is built and after."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partyedu.reports import registry, services
from partyedu.reports.models import GeneratedReport, ReportStatus

from .conftest import YEAR


def test_a_secretary_may_ask_only_for_organisations_whose_members_he_sees(client, county):
    client.force_login(county.finance_secretary)
    page = client.get(reverse("reports:request")).content.decode()
    assert "县财政局机关党支部" in page and "县教育局" not in page
    response = client.post(
        reverse("reports:request"),
        {"kind": "ledger_docx", "organization": county.education_branch.pk, "year": YEAR},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not GeneratedReport.objects.exists()


def test_a_plain_member_is_told_that_ledgers_are_for_workers(client, county):
    client.force_login(county.finance_member_user)
    page = client.get(reverse("reports:request")).content.decode()
    assert "您没有可以生成台账的党组织" in page


def test_the_service_checks_the_kind_rules_whichever_page_asks(county):
    with pytest.raises(Exception) as exc:
        services.request_report(
            county.finance_secretary, "ledger_docx", county.education_branch, {"year": YEAR}
        )
    assert exc.type.__name__ in {"Http404", "PermissionDenied"}
    with pytest.raises(ValidationError):
        services.request_report(
            county.finance_secretary, "ledger_docx", county.finance_branch, {"year": 1990}
        )
    with pytest.raises(ValidationError):
        services.request_report(county.finance_secretary, "no_such_kind", county.finance_branch, {})


def test_the_list_shows_own_requests_and_downloads_are_the_requesters_alone(client, county, media):
    client.force_login(county.finance_secretary)
    client.post(
        reverse("reports:request"),
        {"kind": "ledger_docx", "organization": county.finance_branch.pk, "year": YEAR},
    )
    mine = GeneratedReport.objects.get()
    assert (
        mine.status == ReportStatus.DONE and mine.filename == f"县财政局机关党支部_{YEAR}年组织生活台账.docx"
    )
    page = client.get(reverse("reports:list")).content.decode()
    assert "组织生活台账（Word）" in page and reverse("reports:download", args=[mine.pk]) in page
    assert "hx-trigger" not in page  # nothing running, no polling

    client.force_login(county.education_admin)
    assert "县财政局机关党支部" not in client.get(reverse("reports:list")).content.decode()
    assert client.get(reverse("reports:download", args=[mine.pk])).status_code == 404


def test_a_running_report_is_polled_and_shows_its_progress(client, county):
    report = GeneratedReport.objects.create(
        kind="ledger_docx",
        organization=county.finance_branch,
        params={"year": YEAR},
        requested_by=county.finance_secretary,
        status=ReportStatus.RUNNING,
        progress=40,
    )
    client.force_login(county.finance_secretary)
    page = client.get(reverse("reports:list")).content.decode()
    assert 'hx-trigger="every 2s"' in page and "正在生成 40%" in page
    fragment = client.get(reverse("reports:list"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="report-rows")
    assert "<html" not in fragment.content.decode() and "正在生成 40%" in fragment.content.decode()
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404


def test_a_builder_that_fails_leaves_a_chinese_message_and_no_file(county, monkeypatch):
    def broken(report, progress):
        raise RuntimeError("boom")

    def refused(report, progress):
        raise ValidationError("该读书会计划没有任何月份")

    for builder, message in [(broken, "意外错误"), (refused, "该读书会计划没有任何月份")]:
        kind = registry.get("ledger_docx")
        monkeypatch.setitem(
            registry._KINDS, "ledger_docx", kind.__class__(**{**kind.__dict__, "build": builder})
        )
        report = services.request_report(
            county.finance_secretary, "ledger_docx", county.finance_branch, {"year": YEAR}
        )
        assert report.status == ReportStatus.FAILED and message in report.message and not report.file


def test_a_task_delivered_twice_builds_once(county):
    report = services.request_report(
        county.finance_secretary, "ledger_xlsx", county.finance_branch, {"year": YEAR}
    )
    first_file = report.file.name
    services.run_report(report.pk)
    report.refresh_from_db()
    assert report.file.name == first_file


def test_the_list_costs_the_same_queries_for_2_or_30_reports(client, county):
    def make(n):
        for i in range(n):
            r = GeneratedReport.objects.create(
                kind="ledger_docx",
                organization=county.finance_branch,
                params={"year": YEAR},
                requested_by=county.finance_secretary,
                status=ReportStatus.DONE,
                filename=f"{i}.docx",
            )
            r.file.save(f"{i}.docx", ContentFile(b"PK"), save=True)

    client.force_login(county.finance_secretary)
    make(2)
    client.get(reverse("reports:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reports:list"))
    make(28)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("reports:list"))
    assert len(response.context["reports"]) == 30
    assert len(many.captured_queries) == len(few.captured_queries)
