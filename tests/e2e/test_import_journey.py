"""The party worker imports the roster from the spreadsheet he already has, reads what was wrong, imports the
good rows, fixes the bad ones from the error report and imports them too."""

import datetime
import io

import openpyxl
import pytest
from playwright.sync_api import expect

from partyedu.members.models import Member

from ..conftest import PASSWORD
from ..factories import make_citizen_id
from .conftest import log_in, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADERS = [
    "姓名",
    "身份证号",
    "性别",
    "出生日期",
    "手机号",
    "所在党组织",
    "人员类别",
    "接收预备党员日期",
    "转正日期",
]


def roster_file(path, county):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["县教育局机关第一党支部党员花名册（2026年）"])
    ws.merge_cells("A1:I1")
    ws.append(HEADERS)
    people = [
        ("欧阳明", datetime.date(1988, 3, 9), "male"),
        ("孙丽", datetime.date(1990, 11, 2), "female"),
        ("周强", datetime.date(1979, 1, 30), "male"),
        ("吴敏", datetime.date(1985, 5, 5), "female"),
        ("郑凯", datetime.date(1992, 8, 18), "male"),
        ("冯雪", datetime.date(1993, 12, 1), "female"),
        ("陈刚", datetime.date(1975, 6, 6), "male"),
    ]
    for i, (name, birth, gender) in enumerate(people):
        ws.append(
            [
                name + " ",
                make_citizen_id(birth, gender),
                "男" if gender == "male" else "女",
                f"{birth:%Y年%-m月%-d日}",
                f"１３９１２３４０００{i}",
                "县教育局机关第一党支部",
                "正式党员",
                "2015/7/1",
                "2016.07.01",
            ]
        )
    # a valid number with a wrong check digit (one call: each call draws a new sequence number)
    valid_id = make_citizen_id(datetime.date(1986, 2, 2))
    bad_id = valid_id[:-1] + ("1" if valid_id[-1] == "0" else "0")
    ws.append(
        [
            "钱错号",
            bad_id,
            "男",
            "",
            "13912349991",
            "县教育局机关第一党支部",
            "正式党员",
            "2015-07-01",
            "2016-07-01",
        ]
    )
    ws.append(
        [
            "李无支部",
            make_citizen_id(datetime.date(1987, 3, 3)),
            "男",
            "",
            "13912349992",
            "县农业局不存在支部",
            "正式党员",
            "2015-07-01",
            "2016-07-01",
        ]
    )
    ws.append(
        [
            "王倒序",
            make_citizen_id(datetime.date(1984, 4, 4)),
            "男",
            "",
            "13912349993",
            "县教育局机关第一党支部",
            "正式党员",
            "2016-07-01",
            "2015-07-01",
        ]
    )
    wb.save(path)
    return path


def test_import_with_bad_rows_read_the_report_import_the_valid_rows_then_find_one(county, page, tmp_path):
    log_in(page, "gongwei", PASSWORD)
    page.click("text=花名册导入")
    page.set_input_files(
        "#import-upload input[type=file]", str(roster_file(tmp_path / "花名册.xlsx", county))
    )
    page.click("text=上传并校验")

    summary = page.locator("#import-summary")
    expect(summary).to_contain_text("10")
    errors = page.locator("#error-rows")
    expect(errors).to_contain_text("第 10 行")
    expect(errors).to_contain_text("身份证号校验位错误")
    expect(errors).to_contain_text("第 11 行")
    expect(errors).to_contain_text("县农业局不存在支部")
    expect(errors).to_contain_text("第 12 行")
    expect(errors).to_contain_text("转正日期不能早于接收预备党员日期")
    shot(page, "10-import-report")
    assert Member.objects.count() == 5  # nothing imported before the worker decides

    with page.expect_download() as download:
        page.click("#import-decision >> text=下载错误报告（Excel）")
    report = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    rows = [[c for c in row] for row in report.active.iter_rows(values_only=True)]
    assert rows[0][0] == "错误说明" and rows[0][1:] == tuple(HEADERS) or list(rows[0][1:]) == HEADERS
    assert [(r[0][:4], r[1]) for r in rows[1:]] == [
        ("第10行", "钱错号"),
        ("第11行", "李无支部"),
        ("第12行", "王倒序"),
    ]

    page.click("#commit-button")
    expect(page.locator("#import-done")).to_contain_text("新增 7 人")
    shot(page, "11-import-done")
    assert Member.objects.count() == 12
    assert not Member.objects.filter(name__in=["钱错号", "李无支部", "王倒序"]).exists()
    imported = Member.objects.get(name="欧阳明")
    assert imported.birth_date == datetime.date(1988, 3, 9) and imported.mobile == "13912340000"

    page.click("text=党员花名册")
    page.fill("input[name=q]", "oym")
    page.keyboard.press("Enter")
    expect(page.locator("#result-count")).to_have_text("1")
    expect(page.locator("#roster-table")).to_contain_text("欧阳明")
    shot(page, "12-find-imported-member")
    assert page.console_errors == []
