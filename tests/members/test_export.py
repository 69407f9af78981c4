"""A party worker takes the roster out to Excel: the rows he is looking at, in the import template's layout."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from partyedu.core.cn import mask_citizen_id
from partyedu.members.importing import HEADERS
from partyedu.members.models import Member, RosterExport, RosterExportStatus, RosterImport
from tests.factories import MemberFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def export(client, query: str = "") -> RosterExport:
    url = reverse("members:export") + (f"?{query}" if query else "")
    response = client.post(url)
    assert response.status_code == 302
    return RosterExport.objects.latest("pk")


def download(client, exp: RosterExport):
    response = client.get(reverse("members:export_download", args=[exp.pk]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def rows(wb) -> list[dict]:
    values = list(wb.active.iter_rows(values_only=True))
    return [dict(zip(values[0], r, strict=True)) for r in values[1:]]


def test_the_export_holds_exactly_the_filtered_rows_in_the_template_layout(client, county):
    MemberFactory.create(
        name="预备甲", organization=county.education_branch, status="probationary", full_on=None
    )
    client.force_login(county.committee_admin)
    exp = export(client, "status=probationary")
    assert exp.status == RosterExportStatus.DONE
    assert exp.row_count == 1

    page = client.get(reverse("members:export_status", args=[exp.pk])).content.decode()
    assert "下载 Excel" in page

    wb = download(client, exp)
    ws = wb.active
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.freeze_panes == "A2"
    (row,) = rows(wb)
    assert row["姓名"] == "预备甲"
    assert row["人员类别"] == "预备党员"
    assert row["所在党组织"] == county.education_branch.name
    birth = ws.cell(2, HEADERS.index("出生日期") + 1)
    assert isinstance(birth.value, datetime.datetime) and birth.number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["A"].width >= 8


def test_the_export_respects_the_requesters_scope_and_search(client, county):
    client.force_login(county.education_admin)
    assert sorted(r["姓名"] for r in rows(download(client, export(client)))) == ["王五", "赵六"]
    assert [r["姓名"] for r in rows(download(client, export(client, "q=王")))] == ["王五"]


def test_full_id_numbers_only_for_those_allowed_to_see_them(client, county):
    member = county.finance_members[1]
    client.force_login(county.committee_admin)
    full = {r["姓名"]: r["身份证号"] for r in rows(download(client, export(client)))}
    assert full["李四"] == member.citizen_id

    client.force_login(county.finance_secretary)  # may view and change members, but not full ID numbers
    masked = {r["姓名"]: r["身份证号"] for r in rows(download(client, export(client)))}
    assert masked["李四"] == mask_citizen_id(member.citizen_id)


def test_an_export_belongs_to_whoever_asked_for_it(client, county):
    client.force_login(county.committee_admin)
    exp = export(client)
    client.force_login(county.education_admin)
    assert client.get(reverse("members:export_status", args=[exp.pk])).status_code == 404
    assert client.get(reverse("members:export_download", args=[exp.pk])).status_code == 404


def test_an_edited_export_imports_back_as_updates(client, county):
    client.force_login(county.education_admin)
    content = io.BytesIO()
    wb = download(client, export(client))
    wb.active.cell(2, HEADERS.index("职务/岗位") + 1).value = "办公室主任"
    wb.save(content)
    client.post(reverse("members:import"), {"file": SimpleUploadedFile("导出.xlsx", content.getvalue())})
    imp = RosterImport.objects.latest("pk")
    assert [r["errors"] for r in imp.report] == [[], []]
    assert {r["action"] for r in imp.report} == {"更新"}
    client.post(reverse("members:import_commit", args=[imp.pk]))
    assert Member.objects.filter(post="办公室主任").count() == 1
    assert Member.objects.count() == 5


def test_a_large_roster_exports_without_a_query_per_member(client, county, django_assert_max_num_queries):
    for i in range(120):
        MemberFactory.create(name=f"批量{i:03d}", organization=county.education_branch)
    client.force_login(county.committee_admin)
    with django_assert_max_num_queries(30):
        exp = export(client)
    assert exp.row_count == 125


def test_while_the_export_runs_the_page_polls(client, county):
    client.force_login(county.committee_admin)
    exp = export(client)
    RosterExport.objects.filter(pk=exp.pk).update(
        status=RosterExportStatus.RUNNING, processed_rows=2, row_count=5
    )
    url = reverse("members:export_status", args=[exp.pk])
    fragment = client.get(url, headers={"HX-Request": "true", "HX-Target": "export-body"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert '<progress value="2" max="5">' in fragment
    assert client.get(reverse("members:export_download", args=[exp.pk])).status_code == 404


def test_export_is_post_only(client, county):
    client.force_login(county.committee_admin)
    assert client.get(reverse("members:export")).status_code == 405
