"""A party worker downloads the year's 台账 of his unit before an inspection: every held meeting, nothing else."""

import datetime
import io

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from partyedu.reports.models import GeneratedReport, ReportStatus

from .conftest import YEAR


def request(client, kind, org, year=YEAR):
    response = client.post(reverse("reports:request"), {"kind": kind, "organization": org.pk, "year": year})
    assert response.status_code == 302, response.content.decode()[:2000]
    return GeneratedReport.objects.latest("pk")


def download(client, report) -> bytes:
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture
def ledger(client, education_year):
    client.force_login(education_year.education_admin)
    report = request(client, "ledger_docx", education_year.education)
    assert report.status == ReportStatus.DONE, report.message
    return docx.Document(io.BytesIO(download(client, report)))


def test_the_ledger_holds_every_held_meeting_of_the_year_of_the_subtree_and_nothing_else(
    ledger, education_year
):
    text = all_text(ledger)
    for meeting in education_year.held:
        assert meeting.theme in text
    for meeting in education_year.not_in_ledger:
        assert meeting.theme not in text
    assert "县财政局" not in text


def test_each_organisation_is_a_chapter_in_tree_order_and_its_meetings_in_date_order(ledger, education_year):
    chapters = [p.text for p in ledger.paragraphs if p.style.name == "Heading 1"]
    assert chapters == ["县教育局党委", "县教育局机关第一党支部"]  # the second branch held nothing
    sections = [p.text for p in ledger.paragraphs if p.style.name == "Heading 2"]
    assert sections == [
        "1．党课：党委书记讲党课",
        "1．支部党员大会：第一季度支部党员大会",
        "2．主题党日：七一重温入党誓词",
    ]


def test_the_attendance_table_lists_names_status_leave_reason_and_sign_in(ledger):
    tables = [t for t in ledger.tables if t.rows[0].cells[0].text == "姓名"]
    rows = [[c.text for c in row.cells] for row in tables[1].rows]  # the assembly (the lecture comes first)
    assert rows[0] == ["姓名", "身份", "出席情况", "请假事由", "签到方式与时间"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["王五"][2] == "出席" and by_name["王五"][4] == "补签 14:55"
    assert by_name["赵六"][2] == "请假" and by_name["赵六"][3] == "下乡调研"
    text = all_text(ledger)
    assert "应到 2 人，实到 1 人，请假 1 人，缺席 0 人，列席 0 人" in text
    assert "扫码签到 15:02" in text


def test_agenda_minutes_and_decisions_are_written_as_paragraphs(ledger):
    texts = [p.text for p in ledger.paragraphs]
    assert "1. 【第一议题】学习党章（主讲/发言：王五）" in texts
    assert "一、传达学习" in texts
    assert "王五同志传达了全会精神。" in texts
    bold = [r.text for p in ledger.paragraphs for r in p.runs if r.bold]
    assert "全会精神" in bold
    assert "• 认真学习" in texts and "• 抓好落实" in texts
    assert "第一行\n第二行" in texts
    assert "同意接收李某为入党积极分子" in texts


def test_the_layout_is_official_a4_with_page_numbers_and_chinese_fonts(ledger):
    section = ledger.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.cm, 1) for m in margins] == [3.7, 3.5, 2.8, 2.6]
    footer = section.footer._element.xml
    assert "PAGE" in footer and "— " in footer
    styles = ledger.styles.element.xml
    for font in ("仿宋_GB2312", "黑体", "方正小标宋简体"):
        assert f'w:eastAsia="{font}"' in styles
    font_table = next(p for p in ledger.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    assert 'w:altName w:val="仿宋"' in font_table.blob.decode()


def test_the_cover_names_the_organisation_and_the_year(ledger):
    cover = [p.text for p in ledger.paragraphs[:20] if p.text]
    assert cover[:3] == ["县教育局党委", "组织生活台账", f"（{YEAR}年度）"]
    assert any(t.startswith("生成日期：") for t in cover)


def test_a_branch_ledger_holds_only_the_branch(client, education_year):
    client.force_login(education_year.education_admin)
    report = request(client, "ledger_docx", education_year.education_branch)
    text = all_text(docx.Document(io.BytesIO(download(client, report))))
    assert "第一季度支部党员大会" in text and "党委书记讲党课" not in text


def test_a_year_without_meetings_still_gives_a_ledger(client, education_year):
    client.force_login(education_year.education_admin)
    report = request(client, "ledger_docx", education_year.second_branch)
    text = all_text(docx.Document(io.BytesIO(download(client, report))))
    assert f"{YEAR}年度没有已召开的会议活动记录。" in text


def test_the_summary_counts_meetings_per_organisation_and_month(client, education_year):
    client.force_login(education_year.education_admin)
    report = request(client, "ledger_xlsx", education_year.education)
    assert report.filename == f"县教育局党委_{YEAR}年组织生活统计表.xlsx"
    wb = load_workbook(io.BytesIO(download(client, report)))
    summary, detail = wb["月度统计"], wb["会议明细"]
    assert summary.freeze_panes == "D2" and detail.freeze_panes == "A2"
    header = [c.value for c in summary[1]]
    assert header[:4] == ["党组织", "组织类型", "月份", "支部党员大会"]
    rows = [dict(zip(header, r, strict=True)) for r in summary.iter_rows(min_row=2, values_only=True)]
    # 4 organisations (党委, two branches, a group) × 12 months
    assert len(rows) == 48
    march = next(r for r in rows if r["党组织"] == "县教育局机关第一党支部" and r["月份"] == f"{YEAR}-03")
    assert march["支部党员大会"] == 1 and march["合计"] == 1
    assert (march["应到人次"], march["实到人次"], march["请假人次"]) == (2, 1, 1)
    assert march["出勤率"] == 0.5
    december = next(r for r in rows if r["党组织"] == "县教育局机关第一党支部" and r["月份"] == f"{YEAR}-12")
    assert december["合计"] == 0  # the committee meeting is only planned
    details = list(detail.iter_rows(min_row=2, values_only=True))
    assert [r[4] for r in details] == ["第一季度支部党员大会", "党委书记讲党课", "七一重温入党誓词"]
    assert details[0][0] == datetime.datetime(YEAR, 3, 5)
    assert [c.value for c in detail[1]][7:12] == ["应到", "实到", "请假", "缺席", "列席"]


def test_an_organisation_dissolved_mid_year_has_rows_only_for_its_months(client, education_year):
    second = education_year.second_branch
    second.established_on = datetime.date(YEAR, 4, 10)
    second.dissolved_on = datetime.date(YEAR, 9, 1)
    second.save()
    client.force_login(education_year.education_admin)
    report = request(client, "ledger_xlsx", education_year.education)
    wb = load_workbook(io.BytesIO(download(client, report)))
    months = [r[2] for r in wb["月度统计"].iter_rows(min_row=2, values_only=True) if r[0] == second.name]
    assert months == [f"{YEAR}-{m:02d}" for m in range(4, 9)]


def test_a_big_units_ledger_looks_each_style_up_once_not_once_a_cell(client, education_year, monkeypatch):
    """A hospital's 600 meetings took minutes: python-docx scanned every style of the document for each styled
    cell and paragraph. The ledger now resolves a style name once per document."""
    from docx.styles.styles import Styles

    scans = []
    original = Styles.default
    monkeypatch.setattr(
        Styles, "default", lambda self, style_type: scans.append(1) or original(self, style_type)
    )
    client.force_login(education_year.education_admin)
    report = request(client, "ledger_docx", education_year.education)
    assert report.status == ReportStatus.DONE, report.message
    # a handful of distinct styles, whatever the number of meetings, rows and cells
    assert len(scans) < 20
    document = docx.Document(io.BytesIO(download(client, report)))
    assert {p.style.name for p in document.paragraphs} >= {"Heading 1", "Heading 2", "Heading 3", "公文正文"}
    assert all(t.style.name == "Table Grid" for t in document.tables)
    cells = [c for t in document.tables for row in t.rows for c in row.cells]
    assert cells and all(c.paragraphs[0].style.name == "表格文字" for c in cells)
