"""In the browser: the 工委's admin imports a public-layout spreadsheet with one bad row, imports only the valid
rows, opens a question, edits it (the options disappear for a true/false question) and reads the analysis."""

import io
import shutil

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .conftest import CHROMIUM, log_in, shot

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"没有找到 {CHROMIUM}"),
]


def test_import_edit_and_analysis(county, page, tmp_path):
    from openpyxl import Workbook

    from partyedu.quizzes.demo import seed_question_bank

    seed_question_bank(1)
    wb = Workbook()
    wb.active.append(["题目", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "题型", "难度", "专题"])
    wb.active.append(
        [
            "新中国第一部宪法由哪次会议通过？",
            "一届全国人大一次会议",
            "政协一届全体会议",
            "八大",
            "七届二中全会",
            "A",
            "",
            "单选",
            "中等",
            "新中国史",
        ]
    )
    wb.active.append(
        [
            "中共一大最后一天的会议 转移到浙江嘉兴南湖的游船上举行",
            "",
            "",
            "",
            "",
            "对",
            "",
            "判断",
            "易",
            "党史",
        ]
    )
    wb.active.append(["缺答案的题", "甲", "乙", "", "", "", "", "单选", "", ""])
    path = tmp_path / "题库.xlsx"
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())

    log_in(page, "gongwei", PASSWORD)
    page.goto(page.base + "/quizzes/bank/")
    expect(page.locator("#question-list tbody tr")).to_have_count(50)
    shot(page, "bank-01-list")
    page.goto(page.base + "/quizzes/bank/import/")
    page.set_input_files("#id_file", str(path))
    page.click("button:text-is('上传并校验')")
    expect(page.locator("#import-summary")).to_be_visible()
    expect(page.locator("#error-rows")).to_contain_text("第 4 行")
    expect(page.locator("#duplicate-rows")).to_contain_text("疑似重复")
    shot(page, "bank-02-import-report")
    page.click("#commit-button")
    expect(page.locator("#created-count")).to_have_text("1")
    shot(page, "bank-03-import-done")

    page.goto(page.base + "/quizzes/bank/?q=第一部宪法由哪次会议")
    page.click("#question-list a")
    expect(page.locator("#answer")).to_have_text("A")
    page.click("text=修改")
    expect(page.locator("fieldset.options")).to_be_visible()
    page.select_option("#id_qtype", "judge")
    expect(page.locator("fieldset.options")).to_be_hidden()
    page.fill("#id_stem", "新中国第一部宪法由一届全国人大一次会议通过。")
    page.fill("#id_answer_text", "对")
    shot(page, "bank-04-edit")
    page.click("button:text-is('保存')")
    expect(page.locator("#answer")).to_have_text("对")
    shot(page, "bank-05-detail")
    assert page.console_errors == []
