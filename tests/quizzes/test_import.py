"""Importing questions: the public layout (题目, 选项A…, 答案 as letters, 题型, 难度), every row checked with
its row number, near-duplicates reported, and the user's choice between importing nothing and the valid rows."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from partyedu.learning.models import Topic
from partyedu.quizzes import bank_services, import_services
from partyedu.quizzes.models import Question, QuestionImport, QuestionImportStatus

pytestmark = pytest.mark.django_db

PUBLIC_HEADER = [
    "题目",
    "选项A",
    "选项B",
    "选项C",
    "选项D",
    "选项E",
    "选项F",
    "答案",
    "解析",
    "题型",
    "难度",
    "专题",
]


def xlsx(rows, header=PUBLIC_HEADER, title=None):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("题库.xlsx", buffer.getvalue())


def upload(county, file, owner=None):
    imp = import_services.create_import(county.committee_admin, owner or county.committee, file)
    import_services.start_validation(imp)
    imp.refresh_from_db()
    return imp


def errors_by_row(imp):
    return {r["row"]: r["errors"] for r in imp.report if r["errors"]}


def row(
    stem,
    a="",
    b="",
    c="",
    d="",
    e="",
    f="",
    answer="",
    qtype="单选",
    difficulty="",
    topics="",
    explanation="",
):
    return [stem, a, b, c, d, e, f, answer, explanation, qtype, difficulty, topics]


def test_each_kind_of_error_is_reported_on_its_row_in_chinese(county):
    imp = upload(
        county,
        xlsx(
            [
                row("遵义会议召开于哪一年？", "1934", "1935", "1936", "1937", answer="B"),  # 2: fine
                row("中共一大召开于哪一年？", "1919", "1921", answer=""),  # 3: no answer
                row("七大在哪里召开？", "延安", "西柏坡", "瑞金", answer="E"),  # 4: not among options
                row("", "甲", "乙", answer="A"),  # 5: empty stem
                row("题型不明的题", "甲", "乙", answer="A", qtype="问答"),  # 6: unknown type
                row("单选却有两个答案", "甲", "乙", "丙", answer="AC"),  # 7
                row("判断题答案不对", answer="也许", qtype="判断"),  # 8
                row("难度写错了", "甲", "乙", answer="A", difficulty="超难"),  # 9
            ]
        ),
    )
    assert imp.status == QuestionImportStatus.VALIDATED
    errors = errors_by_row(imp)
    assert set(errors) == {3, 4, 5, 6, 7, 8, 9}
    assert errors[3] == ["缺少答案"]
    assert "答案E不在选项中（选项为A–C）" in errors[4]
    assert "题干不能为空" in errors[5]
    assert errors[6] == ["题型“问答”无法识别，应为单选、多选、判断或填空"]
    assert "单选题只能有一个答案" in errors[7][0]
    assert "判断题的答案“也许”无法识别" in errors[8][0]
    assert "难度“超难”无法识别" in errors[9][0]
    assert (imp.total_rows, imp.valid_rows, imp.invalid_rows) == (8, 1, 7)


def test_too_many_options_is_an_error():
    header = ["题干", *[f"选项{x}" for x in "ABCDEFGHI"], "答案"]
    table = import_services.Table(header, import_services._match_header(header), [])
    parsed = import_services.parse_row(2, ["九个选项", *"甲乙丙丁戊己庚辛壬", "A"], table)
    assert parsed.errors == ["选项不能超过8个（本行有9个）"]


@pytest.mark.parametrize("answer", ["AC", "A、C", "A,C", "a c", "ac", "ＡＣ", "Ａ，Ｃ"])
def test_answer_letters_in_every_common_spelling(county, answer):
    imp = upload(
        county,
        xlsx(
            [row("三会一课中的三会包括？", "支部党员大会", "职代会", "党小组会", answer=answer, qtype="多选")]
        ),
    )
    entry = imp.report[0]
    assert entry["errors"] == []
    assert entry["data"]["answer"] == {"choices": [0, 2]}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("对", True),
        ("错", False),
        ("正确", True),
        ("错误", False),
        ("√", True),
        ("×", False),
        ("T", True),
        ("F", False),
    ],
)
def test_judge_answers(county, text, value):
    imp = upload(county, xlsx([row("遵义会议召开于1935年。", answer=text, qtype="判断题")]))
    assert imp.report[0]["data"]["answer"] == {"value": value}


def test_types_and_difficulties_are_read_in_their_variants_and_inferred_when_missing(county):
    imp = upload(
        county,
        xlsx(
            [
                row("甲题", "1", "2", answer="A", qtype="单项选择题", difficulty="易"),
                row("乙题", "1", "2", "3", answer="BC", qtype="", difficulty="3"),
                row("丙题", answer="对", qtype="", difficulty="困难"),
                row("丁题____", answer="井冈山|井冈山革命根据地；1927", qtype="填空", difficulty="中"),
            ]
        ),
    )
    data = [r["data"] for r in imp.report]
    assert [d["qtype"] for d in data] == ["single", "multiple", "judge", "blank"]
    assert [d["difficulty"] for d in data] == [1, 3, 3, 2]
    assert data[3]["answer"] == {"blanks": [["井冈山", "井冈山革命根据地"], ["1927"]]}


def test_near_duplicates_in_the_bank_and_in_the_file_are_warnings(county):
    bank_services.create_question(
        county.committee, qtype="judge", stem="遵义会议召开于1935年。", answer={"value": True}
    )
    imp = upload(
        county,
        xlsx(
            [
                row("遵义会议\u00a0召开于 1935 年", answer="对", qtype="判断"),  # NBSP, spaces, no full stop
                row("延安整风运动开始于1942年。", answer="对", qtype="判断"),
                row("延安整风运动开始于１９４２年", answer="对", qtype="判断"),  # full-width digits
            ]
        ),
    )
    by_row = {r["row"]: r for r in imp.report}
    assert by_row[2]["duplicate"] and "题库中已有相同题干" in by_row[2]["warnings"][0]
    assert not by_row[3]["duplicate"]
    assert by_row[4]["duplicate"] and by_row[4]["warnings"] == ["疑似重复：与第3行题干相同"]
    assert (imp.valid_rows, imp.duplicate_rows, imp.invalid_rows) == (3, 2, 0)


def test_import_nothing_writes_nothing(county):
    imp = upload(county, xlsx([row("甲题", "1", "2", answer="A"), row("乙题", "1", "2", answer="Z")]))
    assert import_services.discard_import(imp)
    imp.refresh_from_db()
    assert imp.status == QuestionImportStatus.DISCARDED
    assert not import_services.start_commit(imp)
    assert Question.objects.count() == 0


def test_import_only_the_valid_rows_skipping_duplicates(county):
    Topic.objects.create(name="党史")
    rows = [row(f"第{i}题：党的历史", "1", "2", answer="A", topics="党史、新专题") for i in range(5)]
    rows += [row("第0题：党的历史。", "1", "2", answer="A"), row("错题", "1", "2", answer="")]
    imp = upload(county, xlsx(rows))
    assert (imp.valid_rows, imp.invalid_rows, imp.duplicate_rows) == (6, 1, 1)
    assert imp.new_topics == ["新专题"]
    assert import_services.start_commit(imp, skip_duplicates=True, publish=True)
    imp.refresh_from_db()
    assert imp.status == QuestionImportStatus.DONE
    assert (imp.created_count, imp.skipped_count) == (5, 1)
    assert Question.objects.filter(owner=county.committee, status="published").count() == 5
    q = Question.objects.get(stem_key=bank_services.stem_key("第3题：党的历史"))
    assert sorted(q.topics.values_list("name", flat=True)) == ["党史", "新专题"]
    assert not import_services.start_commit(imp)  # once only


def test_import_valid_rows_keeping_duplicates_when_asked(county):
    imp = upload(county, xlsx([row("同一题", "1", "2", answer="A"), row("同一题。", "1", "2", answer="A")]))
    import_services.start_commit(imp, skip_duplicates=False)
    assert Question.objects.count() == 2


def test_header_below_a_title_row_and_csv_and_json(county):
    imp = upload(county, xlsx([row("甲题", "1", "2", answer="B")], title="2024年党史知识题库"))
    assert imp.valid_rows == 1
    content = "题干,选项A,选项B,答案,题型\n乙题,对的,错的,A,单选\n".encode("gb18030")
    imp = upload(county, SimpleUploadedFile("题库.csv", content))
    assert imp.valid_rows == 1 and imp.report[0]["data"]["options"] == ["对的", "错的"]
    data = [
        {"题干": "丙题", "选项A": "1", "选项B": "2", "答案": "b"},
        {"type": "judge", "stem": "丁题", "answer": "√"},
    ]
    imp = upload(county, SimpleUploadedFile("题库.json", json.dumps(data, ensure_ascii=False).encode()))
    assert [r["data"]["answer"] for r in imp.report] == [{"choice": 1}, {"value": True}]


def test_unreadable_files_fail_with_a_message(county):
    imp = upload(county, SimpleUploadedFile("题库.xlsx", b"not a workbook"))
    assert imp.status == QuestionImportStatus.FAILED and "不是 Excel" in imp.message
    imp = upload(county, xlsx([["甲", "乙"]], header=["姓名", "身份证号"]))
    assert imp.status == QuestionImportStatus.FAILED and "题干" in imp.message


def test_export_reimports_with_no_errors_every_row_a_duplicate_of_itself(county):
    topic = Topic.objects.create(name="党史")
    bank_services.create_question(
        county.committee,
        qtype="single",
        stem="中共一大在哪里开幕？",
        options=["上海", "北京", "广州"],
        answer={"choice": 0},
        topics=[topic],
        explanation="1921年7月23日在上海开幕。",
        difficulty=1,
    )
    bank_services.create_question(
        county.committee,
        qtype="multiple",
        stem="三会指？",
        options=["支部党员大会", "支部委员会", "党小组会", "职代会"],
        answer={"choices": [0, 1, 2]},
    )
    bank_services.create_question(
        county.committee, qtype="judge", stem="七大在延安召开。", answer={"value": True}
    )
    bank_services.create_question(
        county.committee,
        qtype="blank",
        stem="遵义会议于____年召开。",
        answer={"blanks": [["1935", "一九三五"]]},
    )
    questions = import_services.export_queryset(Question.objects.all())
    content = import_services.export_xlsx(questions)
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]][:3] == ["题型", "题干", "选项A"]
    for name, payload in [("导出.xlsx", content), ("导出.json", import_services.export_json(questions))]:
        imp = upload(county, SimpleUploadedFile(name, payload))
        assert imp.invalid_rows == 0 and imp.valid_rows == 4 == imp.duplicate_rows, name
        answers = sorted(json.dumps(r["data"]["answer"]) for r in imp.report)
        assert answers == sorted(json.dumps(q.current.answer) for q in questions)
        import_services.start_commit(imp)
        assert QuestionImport.objects.get(pk=imp.pk).created_count == 0
    # into another unit's bank they are new (the unit's bank is checked with its ancestors: still duplicates)
    imp = upload(county, SimpleUploadedFile("导出.xlsx", content), owner=county.education)
    assert imp.duplicate_rows == 4


def test_template_examples_are_not_imported_and_the_error_report_has_a_reason_column(county):
    imp = upload(county, SimpleUploadedFile("模板.xlsx", import_services.build_template()))
    assert imp.status == QuestionImportStatus.FAILED  # only examples: nothing to import
    imp = upload(county, xlsx([row("好题", "1", "2", answer="A"), row("坏题", "1", "2", answer="C")]))
    sheet = load_workbook(io.BytesIO(import_services.build_error_report(imp))).active
    values = list(sheet.values)
    assert values[0][0] == "行号" and values[0][-1] == "错误说明"
    assert len(values) == 2 and values[1][0] == 3 and "不在选项中" in values[1][-1] and values[1][1] == "坏题"
