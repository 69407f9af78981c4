"""A party worker brings the roster in from Excel: upload, read the report, import the good rows, fix the rest."""

from __future__ import annotations

import datetime
import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django_tasks.signals import task_enqueued
from openpyxl import Workbook, load_workbook

from partyedu.members import importing
from partyedu.members.importing import HEADERS
from partyedu.members.models import Member, MemberStatus, RosterImport, RosterImportStatus
from tests.factories import MemberFactory, make_citizen_id, make_user

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def xlsx(rows, headers=HEADERS, title=None, sheet="花名册") -> bytes:
    """A workbook as people really send them: optionally a merged title row above the header."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.append(list(headers))
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def person(name, org, *, birth=datetime.date(1988, 3, 4), gender="male", **cells) -> list:
    """One row in the template's column order; cells override by header."""
    values = {
        "姓名": name,
        "身份证号": make_citizen_id(birth, gender),
        "性别": "男" if gender == "male" else "女",
        "所在党组织": org,
        "人员类别": "正式党员",
        "接收预备党员日期": "2012-07-01",
        "转正日期": "2013-07-01",
    }
    values.update(cells)
    return [values.get(h) for h in HEADERS]


def col(header: str) -> int:
    return HEADERS.index(header)


def upload(client, content: bytes, name="党员花名册.xlsx"):
    return client.post(reverse("members:import"), {"file": SimpleUploadedFile(name, content)})


def latest_import() -> RosterImport:
    return RosterImport.objects.latest("pk")


def commit(client, imp):
    return client.post(reverse("members:import_commit", args=[imp.pk]))


def good_and_bad_sheet(county) -> tuple[bytes, list[list]]:
    """Twenty people for the education branch, three of them wrong in different ways (spreadsheet rows 5, 12, 18:
    row 1 is the header)."""
    branch = county.education_branch.name
    rows = [person(f"教师{i:02d}", branch, birth=datetime.date(1980 + i, 1, 1 + i)) for i in range(20)]
    rows[3][col("身份证号")] = rows[3][col("身份证号")][:-1] + (
        "0" if rows[3][col("身份证号")][-1] != "0" else "1"
    )
    rows[10][col("所在党组织")] = "县水利局机关党支部"
    rows[16][col("人员类别")] = "预备党员"  # but a 转正日期 is filled in
    return xlsx(rows), rows


# --- the happy path through real-world mess ----------------------------------------------------------------
def test_a_messy_but_correct_sheet_is_read_the_way_a_person_reads_it(client, county):
    client.force_login(county.education_admin)
    headers = [f" {h} " for h in HEADERS]
    headers[col("性别")] = "性 别"
    headers[col("所在党组织")] = "所在支部"
    headers[col("手机号")] = "联系电话"
    headers[col("身份证号")] = "公民身份号码"
    headers[col("人员类别")] = "人员类型"
    headers[col("职务/岗位")] = "工作岗位"  # the headers of the national party-member system's export
    headers[col("流动党员")] = "是否为流动党员"
    wang_id = make_citizen_id(datetime.date(1990, 5, 6), "female")
    rows = [
        person(
            "王小丽 ",
            f"{county.education_branch.name}  ",
            birth=datetime.date(1990, 5, 6),
            gender="female",
            **{
                "身份证号": wang_id.translate(FULL_WIDTH),
                "手机号": "１３９１２３４５６７８",
                "出生日期": 32999,  # an Excel serial date that lost its format: 1990-05-06
                "学历": "本科",
                "职务/岗位": "科员",
                "申请入党日期": "2009年7月1日",
                "确定积极分子日期": datetime.datetime(2010, 1, 5),
                "确定发展对象日期": "2011.03.01",
                "接收预备党员日期": "2012/7/1",
                "转正日期": "2013-07-01 ",
                "党小组": "第一党小组",
                "领导干部": "√",
                "流动党员": "Y",
                "需送学上门": 0,
            },
        ),
        [None] * len(HEADERS),  # an empty line in the middle is skipped
        person(
            "李强",
            county.education_branch.name,
            birth=datetime.date(1979, 2, 3),
            **{"人员类别": "预备党员", "转正日期": None},
        ),
    ]
    response = upload(client, xlsx(rows, headers=headers, title="县教育局党员花名册（2026年）"))
    imp = latest_import()
    assert response.status_code == 302
    assert imp.status == RosterImportStatus.VALIDATED
    assert (imp.header_row, imp.total_rows, imp.valid_rows, imp.invalid_rows) == (2, 2, 2, 0)
    assert [r["row"] for r in imp.report] == [3, 5]

    page = client.get(reverse("members:import_report", args=[imp.pk])).content.decode()
    assert "导入全部 2 条" in page
    assert wang_id not in page  # the report shows masked IDs only

    commit(client, imp)
    imp.refresh_from_db()
    assert (imp.status, imp.created_count, imp.updated_count) == (RosterImportStatus.DONE, 2, 0)
    wang = Member.objects.get(citizen_id=wang_id)
    assert wang.name == "王小丽"
    assert wang.gender == "female"
    assert wang.mobile == "13912345678"
    assert wang.birth_date == datetime.date(1990, 5, 6)
    assert wang.education == "bachelor"
    assert wang.applied_on == datetime.date(2009, 7, 1)
    assert wang.activist_on == datetime.date(2010, 1, 5)
    assert wang.candidate_on == datetime.date(2011, 3, 1)
    assert wang.joined_on == datetime.date(2012, 7, 1)
    assert wang.organization == county.education_branch
    assert wang.group == county.education_group
    assert wang.post == "科员"
    assert (wang.is_leader, wang.is_mobile, wang.needs_home_delivery, wang.is_retired) == (
        True,
        True,
        False,
        False,
    )
    assert wang.periods.get().reason == "花名册导入"
    assert Member.objects.get(name="李强").status == MemberStatus.PROBATIONARY


def test_the_words_a_county_roster_really_uses_are_read_and_half_dates_and_old_ids_explained(client, county):
    """人员类别 written as 党员 / 中共预备党员; a 15-digit ID from the old card; dates kept to the month, typed as
    text or into a number cell (1990.1 as a number would otherwise be read as an Excel serial, a day in 1905)."""
    client.force_login(county.education_admin)
    branch = county.education_branch.name
    rows = [
        person("党员甲", branch, birth=datetime.date(1970, 1, 1), **{"人员类别": "党员"}),
        person(
            "预备乙",
            branch,
            birth=datetime.date(1995, 2, 2),
            **{"人员类别": "中共预备党员", "转正日期": None},
        ),
        person("老证丙", branch, **{"身份证号": "110105491231002"}),
        person("老证己", branch, birth=datetime.date(1960, 5, 5), **{"身份证号": 110105600505001}),
        person("年月丁", branch, birth=datetime.date(1980, 3, 3), **{"申请入党日期": "2008年3月"}),
        person("年月戊", branch, birth=datetime.date(1981, 4, 4), **{"申请入党日期": 2008.1}),
    ]
    upload(client, xlsx(rows))
    imp = latest_import()
    errors = {r["name"]: r["errors"] for r in imp.report}
    assert errors["党员甲"] == [] and errors["预备乙"] == []
    assert errors["老证丙"] == ["身份证号应为18位（这是15位的旧身份证号，请填写现行的18位号码）"]
    assert errors["老证己"] == errors["老证丙"]  # the same old number in a number cell
    assert errors["年月丁"] == [
        "申请入党日期：日期“2008年3月”只有年和月，缺少日，请填写完整日期，如 2021-07-01"
    ]
    assert errors["年月戊"] == ["申请入党日期：日期“2008.1”只有年和月，缺少日，请填写完整日期，如 2021-07-01"]

    commit(client, imp)
    assert Member.objects.get(name="党员甲").status == MemberStatus.FULL
    assert Member.objects.get(name="预备乙").status == MemberStatus.PROBATIONARY


def test_a_name_padded_with_a_space_to_line_up_in_print_is_stored_as_the_name(client, county):
    """王　五 (an ideographic space between the characters, as printed rosters align two-character names) is 王五:
    found by typing 王五, and re-importing the sheet over the existing 王五 does not rename him."""
    client.force_login(county.education_admin)
    wang_wu = county.education_members[0]
    assert wang_wu.name == "王五"
    rows = [
        person("王\u3000五", county.education_branch.name, **{"身份证号": wang_wu.citizen_id, "性别": None}),
        person("李　娜", county.education_branch.name, birth=datetime.date(1992, 8, 8), gender="female"),
    ]
    upload(client, xlsx(rows))
    imp = latest_import()
    assert [r["errors"] for r in imp.report] == [[], []]
    commit(client, imp)
    assert Member.objects.get(pk=wang_wu.pk).name == "王五"
    assert Member.objects.filter(name="李娜").count() == 1
    roster = client.get(reverse("members:roster"), {"q": "李娜"}).context["page"].object_list
    assert [m.name for m in roster] == ["李娜"]


# --- three bad rows out of twenty --------------------------------------------------------------------------
def test_the_report_says_which_rows_are_wrong_and_why_in_chinese(client, county):
    client.force_login(county.education_admin)
    content, _ = good_and_bad_sheet(county)
    upload(client, content)
    imp = latest_import()
    assert (imp.total_rows, imp.valid_rows, imp.invalid_rows) == (20, 17, 3)
    bad = {r["row"]: r["errors"] for r in imp.report if r["errors"]}
    assert set(bad) == {5, 12, 18}
    assert "身份证号校验位错误" in bad[5][0]
    assert bad[12] == ["所在党组织：找不到党组织“县水利局机关党支部”（或该组织不在您的管理范围内）"]
    assert "人员类别为“预备党员”，不应填写转正日期" in bad[18][0]

    page = client.get(reverse("members:import_report", args=[imp.pk])).content.decode()
    assert "仅导入 17 条有效数据" in page
    assert "放弃本次导入（不导入任何数据）" in page
    assert "第 12 行" in page and "找不到党组织“县水利局机关党支部”" in page
    assert "下载错误报告（Excel）" in page


def test_importing_only_the_valid_rows_imports_exactly_those(client, county):
    client.force_login(county.education_admin)
    content, rows = good_and_bad_sheet(county)
    before = Member.objects.count()
    upload(client, content)
    imp = latest_import()
    response = commit(client, imp)
    assert response.status_code == 302
    imp.refresh_from_db()
    assert imp.status == RosterImportStatus.DONE
    assert imp.created_count == 17
    assert Member.objects.count() == before + 17
    imported = set(Member.objects.filter(name__startswith="教师").values_list("name", flat=True))
    assert imported == {r[0] for i, r in enumerate(rows) if i not in (3, 10, 16)}
    page = client.get(reverse("members:import_report", args=[imp.pk])).content.decode()
    assert '新增 <b id="created-count">17</b> 人' in page
    assert reverse("members:roster") in page


def test_discarding_imports_nothing_and_forgets_the_file(client, county):
    client.force_login(county.education_admin)
    content, _ = good_and_bad_sheet(county)
    before = Member.objects.count()
    upload(client, content)
    imp = latest_import()
    stored = imp.file.path
    response = client.post(reverse("members:import_discard", args=[imp.pk]))
    assert response.status_code == 302
    imp.refresh_from_db()
    assert imp.status == RosterImportStatus.DISCARDED
    assert Member.objects.count() == before
    assert not imp.file
    assert not os.path.exists(stored)
    # A discarded import cannot be committed afterwards.
    commit(client, imp)
    assert Member.objects.count() == before


def test_reimporting_the_same_file_updates_and_creates_no_duplicates(client, county):
    client.force_login(county.education_admin)
    rows = [
        person(f"重复{i}", county.education_branch.name, birth=datetime.date(1985, 1, i + 1))
        for i in range(5)
    ]
    upload(client, xlsx(rows))
    commit(client, latest_import())
    assert Member.objects.filter(name__startswith="重复").count() == 5

    rows[0][col("职务/岗位")] = "副校长"
    upload(client, xlsx(rows))
    imp = latest_import()
    assert {r["action"] for r in imp.report} == {"更新"}
    commit(client, imp)
    imp.refresh_from_db()
    assert (imp.created_count, imp.updated_count) == (0, 5)
    assert Member.objects.filter(name__startswith="重复").count() == 5
    assert Member.objects.get(name="重复0").post == "副校长"


def test_two_rows_with_one_id_are_both_reported(client, county):
    client.force_login(county.education_admin)
    rows = [person(f"同号{i}", county.education_branch.name) for i in range(4)]
    rows[3][col("身份证号")] = rows[1][col("身份证号")]
    upload(client, xlsx(rows))
    bad = {r["row"]: r["errors"] for r in latest_import().report if r["errors"]}
    assert bad == {3: ["与第5行身份证号重复"], 5: ["与第3行身份证号重复"]}


def test_nobody_imports_into_or_over_organisations_outside_his_scope(client, county):
    client.force_login(county.education_admin)
    finance_member = county.finance_members[0]
    rows = [
        person("越权更新", county.education_branch.name, **{"身份证号": finance_member.citizen_id}),
        person("越权新增", county.finance_branch.name),
    ]
    upload(client, xlsx(rows))
    bad = {r["row"]: r["errors"] for r in latest_import().report}
    assert bad[2] == ["身份证号：该身份证号属于您权限范围以外的党员"]
    assert "找不到党组织“县财政局机关党支部”" in bad[3][0]


def test_an_ambiguous_organisation_name_asks_for_the_parent(client, county):
    from tests.factories import make_org

    other_branch = make_org("县教育局机关第一党支部", "branch", county.committee)
    client.force_login(county.committee_admin)
    rows = [
        person("重名甲", "县教育局机关第一党支部"),
        person("重名乙", f"{county.education.name}/县教育局机关第一党支部", birth=datetime.date(1970, 1, 1)),
    ]
    upload(client, xlsx(rows))
    report = {r["row"]: r for r in latest_import().report}
    assert "请写成“上级组织/县教育局机关第一党支部”" in report[2]["errors"][0]
    assert report[3]["errors"] == []
    commit(client, latest_import())
    assert Member.objects.get(name="重名乙").organization == county.education_branch
    assert other_branch.members.count() == 0


def test_an_update_shown_at_validation_is_rechecked_at_commit(client, county):
    """Between the report and the click, someone else enrolled one of the people elsewhere: the import then would
    do something other than what was shown, so it does nothing at all."""
    client.force_login(county.education_admin)
    rows = [
        person(f"复核{i}", county.education_branch.name, birth=datetime.date(1990, 2, i + 1))
        for i in range(3)
    ]
    upload(client, xlsx(rows))
    imp = latest_import()
    MemberFactory.create(
        name="抢先",
        organization=county.finance_branch,
        citizen_id=rows[1][col("身份证号")],
        birth_date=datetime.date(1990, 2, 2),
    )
    commit(client, imp)
    imp.refresh_from_db()
    assert imp.status == RosterImportStatus.FAILED
    assert imp.message.startswith("第3行：")
    assert "未导入任何数据" in imp.message
    assert not Member.objects.filter(name__startswith="复核").exists()


# --- large files go through the task worker ------------------------------------------------------------------
def test_a_file_over_the_inline_limit_is_validated_and_imported_by_tasks_with_moving_progress(
    client, county, settings, monkeypatch
):
    settings.ROSTER_IMPORT_INLINE_ROWS = 5
    client.force_login(county.education_admin)
    enqueued, validation, writing = [], [], []

    def record(sender, task_result, **kwargs):
        enqueued.append(task_result.task.name)

    task_enqueued.connect(record)
    real_validation, real_commit = importing.publish_validation_progress, importing.publish_commit_progress
    monkeypatch.setattr(
        importing,
        "publish_validation_progress",
        lambda pk, done, total: (validation.append(done), real_validation(pk, done, total)),
    )
    monkeypatch.setattr(
        importing,
        "publish_commit_progress",
        lambda pk, done, total: (writing.append(done), real_commit(pk, done, total)),
    )
    try:
        content, _ = good_and_bad_sheet(county)
        upload(client, content)
        imp = latest_import()
        commit(client, imp)
    finally:
        task_enqueued.disconnect(record)

    assert enqueued == ["validate_roster_import", "commit_roster_import"]
    assert (
        validation == sorted(validation)
        and validation[0] == 0
        and validation[-1] == 20
        and len(validation) > 3
    )
    assert writing == sorted(writing) and writing[0] == 0 and writing[-1] == 17 and len(writing) > 3
    imp.refresh_from_db()
    assert (imp.status, imp.processed_rows, imp.created_count) == (RosterImportStatus.DONE, 17, 17)


def test_while_a_job_runs_the_report_polls_a_progress_fragment(client, county):
    client.force_login(county.education_admin)
    content, _ = good_and_bad_sheet(county)
    upload(client, content)
    imp = latest_import()
    RosterImport.objects.filter(pk=imp.pk).update(status=RosterImportStatus.VALIDATING, processed_rows=7)
    url = reverse("members:import_report", args=[imp.pk])
    fragment = client.get(url, headers={"HX-Request": "true", "HX-Target": "import-body"}).content.decode()
    assert fragment.lstrip().startswith('<div id="import-body"')
    assert 'hx-trigger="every 1s"' in fragment
    assert '<progress value="7" max="20">' in fragment
    assert "style=" not in fragment

    RosterImport.objects.filter(pk=imp.pk).update(status=RosterImportStatus.VALIDATED)
    fragment = client.get(url, headers={"HX-Request": "true", "HX-Target": "import-body"}).content.decode()
    assert "hx-trigger" not in fragment  # done: the fragment stops polling and shows the decision
    assert "仅导入 17 条有效数据" in fragment


@pytest.mark.django_db(transaction=True)
def test_the_real_task_worker_validates_a_queued_import(client, settings):
    from partyedu.orgs.models import OrganizationKind
    from tests.factories import make_org

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.ROSTER_IMPORT_INLINE_ROWS = 0
    committee = make_org("工委", OrganizationKind.WORKING_COMMITTEE)
    branch = make_org("某某党支部", OrganizationKind.BRANCH, committee)
    admin = make_user("worker_admin", role="committee_admin", org=committee)
    client.force_login(admin)
    upload(
        client, xlsx([person("甲", branch.name), person("乙", branch.name, birth=datetime.date(1970, 1, 1))])
    )
    imp = latest_import()
    assert imp.status == RosterImportStatus.VALIDATING  # queued: nobody has run it yet

    call_command("worker", "--batch")  # what `partyedu worker` runs
    imp.refresh_from_db()
    assert (imp.status, imp.valid_rows) == (RosterImportStatus.VALIDATED, 2)


# --- the error report ----------------------------------------------------------------------------------------
def test_the_error_report_holds_the_bad_rows_as_typed_with_an_explanation(client, county):
    client.force_login(county.education_admin)
    content, rows = good_and_bad_sheet(county)
    upload(client, content)
    imp = latest_import()
    response = client.get(reverse("members:import_errors", args=[imp.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    sheet = [list(r) for r in ws.iter_rows(values_only=True)]
    assert sheet[0] == ["错误说明", *HEADERS]
    assert [r[1] for r in sheet[1:]] == [rows[3][0], rows[10][0], rows[16][0]]
    assert sheet[1][0].startswith("第5行：身份证号校验位错误")
    assert sheet[2][1 + col("所在党组织")] == "县水利局机关党支部"
    assert sheet[3][1 + col("转正日期")] == "2013-07-01"  # the user's own text, untouched

    # Fixed and uploaded as is, the error report is a valid import file (the extra column is ignored).
    fixed = load_workbook(io.BytesIO(response.content))
    ws = fixed.active
    ws.cell(2, 1 + 1 + col("身份证号")).value = make_citizen_id(datetime.date(1983, 1, 4))
    ws.cell(3, 1 + 1 + col("所在党组织")).value = county.education_branch.name
    ws.cell(4, 1 + 1 + col("转正日期")).value = None
    buffer = io.BytesIO()
    fixed.save(buffer)
    upload(client, buffer.getvalue(), name="错误报告.xlsx")
    again = latest_import()
    assert (again.valid_rows, again.invalid_rows) == (3, 0)


# --- who may do what -----------------------------------------------------------------------------------------
def test_a_branch_secretary_may_not_import(client, county):
    client.force_login(county.finance_secretary)
    assert client.get(reverse("members:import")).status_code == 403
    assert client.get(reverse("members:import_template")).status_code == 403
    assert upload(client, xlsx([])).status_code == 403


def test_an_import_is_visible_only_to_its_uploader(client, county):
    client.force_login(county.committee_admin)
    content, _ = good_and_bad_sheet(county)
    upload(client, content)
    imp = latest_import()
    client.force_login(county.education_admin)
    for name in ("members:import_report", "members:import_errors"):
        assert client.get(reverse(name, args=[imp.pk])).status_code == 404
    for name in ("members:import_commit", "members:import_discard"):
        assert client.post(reverse(name, args=[imp.pk])).status_code == 404
    imp.refresh_from_db()
    assert imp.status == RosterImportStatus.VALIDATED


# --- files that are not rosters ------------------------------------------------------------------------------
def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _empty_workbook() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("花名册.xlsx", "姓名,身份证号\n张三,1\n".encode(), "文件内容不是 Excel 工作簿（.xlsx）"),
        ("花名册.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Excel（.xls）"),
        ("花名册.xlsx", _zip_without_workbook(), "无法读取该文件"),
        ("花名册.xlsx", _empty_workbook(), "没有找到表头"),
        ("花名册.xlsx", xlsx([["张三", "男"]], headers=["甲", "乙"]), "没有找到表头"),
        ("花名册.xlsx", xlsx([["张三", "1"]], headers=["姓名", "身份证号"]), "表头缺少必填列：所在党组织"),
        ("花名册.xls", b"anything", "不支持旧版 Excel（.xls）文件"),
        ("花名册.csv", b"a,b", "不支持 CSV 文件"),
        ("花名册.txt", b"hello", "只能上传 Excel 工作簿（.xlsx）文件"),
    ],
)
def test_files_that_are_not_rosters_get_a_chinese_explanation_not_an_error_page(
    client, county, name, content, message
):
    client.force_login(county.education_admin)
    response = upload(client, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RosterImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, county, settings):
    settings.ROSTER_IMPORT_MAX_BYTES = 1024
    client.force_login(county.education_admin)
    response = upload(client, xlsx([person("大", county.education_branch.name)] * 30))
    assert "文件不能超过" in response.content.decode()


def test_a_header_without_data_rows_is_reported(client, county):
    client.force_login(county.education_admin)
    upload(client, xlsx([]))
    imp = latest_import()
    assert imp.status == RosterImportStatus.FAILED
    assert "没有任何数据行" in client.get(reverse("members:import_report", args=[imp.pk])).content.decode()


# --- the template -------------------------------------------------------------------------------------------
def test_the_template_has_drop_downs_instructions_and_the_users_organisations(client, county):
    client.force_login(county.education_admin)
    response = client.get(reverse("members:import_template"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["花名册", "填写说明", "党组织列表"]
    roster = wb["花名册"]
    assert [c.value for c in roster[1]] == HEADERS
    lists = {dv.formula1 for dv in roster.data_validations.dataValidation}
    assert '"男,女"' in lists
    assert '"是,否"' in lists
    assert any("大学本科" in f for f in lists)
    assert any("正式党员" in f and "预备党员" in f for f in lists)
    assert any("党组织列表" in f for f in lists)
    assert [r[0].value for r in wb["填写说明"].iter_rows(min_row=2, max_row=len(HEADERS) + 1)] == HEADERS
    orgs = [r[0] for r in wb["党组织列表"].iter_rows(min_row=2, values_only=True)]
    assert orgs == ["县教育局党委", "县教育局机关第一党支部"]  # his own unit only; not the 党小组


def test_the_untouched_template_imports_nothing(client, county):
    client.force_login(county.education_admin)
    content = client.get(reverse("members:import_template")).content
    upload(client, content, name="党员花名册导入模板.xlsx")
    imp = latest_import()
    assert (
        imp.status == RosterImportStatus.FAILED
    )  # the example row is skipped, so there is nothing to import
    assert not Member.objects.filter(name__contains="示例").exists()
