"""The minutes' rich text (pasted from Word and WeChat, sanitised) as Word paragraphs."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from partyedu.reports import docx_tools as dx
from partyedu.reports.ledger import build_ledger_docx
from partyedu.reports.models import GeneratedReport

from .conftest import YEAR, record


def written(html: str):
    document = dx.new_document()
    count = dx.write_html(document, html)
    return document, count


def test_paragraphs_breaks_and_emphasis():
    document, count = written(
        "<p>第一段 <em>强调</em>与<u>下划线</u></p><p>第二\n段<br>换行</p><p></p><p><br></p>"
    )
    texts = [p.text for p in document.paragraphs]
    assert texts == ["第一段 强调与下划线", "第二段\n换行"] and count == 2
    runs = document.paragraphs[0].runs
    assert [r.text for r in runs if r.italic] == ["强调"] and [r.text for r in runs if r.underline] == [
        "下划线"
    ]


def test_lists_number_from_one_each_time_and_nest():
    html = "<ol><li>甲</li><li>乙<ul><li>子项</li></ul></li></ol><ol><li>丙</li></ol>"
    document, _ = written(html)
    texts = [p.text for p in document.paragraphs]
    assert texts == ["1. 甲", "2. 乙", "• 子项", "1. 丙"]
    nested = document.paragraphs[2].paragraph_format.left_indent
    assert nested > document.paragraphs[0].paragraph_format.left_indent


def test_headings_tables_and_entities():
    html = (
        "<h4>二、研讨交流</h4><p>A &amp; B &lt;C&gt;</p>"
        "<table><tr><th>姓名</th><th>发言</th></tr><tr><td>王五</td><td>要学深<br>悟透</td></tr></table>"
    )
    document, _ = written(html)
    assert document.paragraphs[0].style.name == dx.SUBHEAD
    assert document.paragraphs[1].text == "A & B <C>"
    (table,) = document.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [["姓名", "发言"], ["王五", "要学深\n悟透"]]


def test_plain_text_minutes_become_one_paragraph_a_line():
    document, count = written("第一行\n\n第二行")
    assert [p.text for p in document.paragraphs] == ["第一行", "第二行"] and count == 2


def test_nothing_written_for_empty_minutes():
    assert written("")[1] == 0 and written("<p> </p>")[1] == 0


def test_the_ledger_costs_the_same_queries_for_1_or_8_meetings(members_since_2020):
    c = members_since_2020
    report = GeneratedReport(organization=c.finance, params={"year": YEAR}, requested_by=c.finance_secretary)

    def build():
        with CaptureQueriesContext(connection) as queries:
            build_ledger_docx(report, lambda done, total: None)
        return len(queries.captured_queries)

    record(
        c.finance_branch, "theme_day", "一月主题党日", datetime.date(YEAR, 1, 8), agenda=[{"title": "学习"}]
    )
    few = build()
    for month in range(2, 9):
        record(c.finance_branch, "theme_day", f"{month}月主题党日", datetime.date(YEAR, month, 8))
    assert build() == few
