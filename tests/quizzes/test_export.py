"""A worker exports the question bank as he filters it on the list (Excel or JSON, both importable again) and an
organiser exports a quiz's results: the page queues the file, the reports app builds it in the background (inline
under the test task backend) and he downloads it from 台账下载. Nobody exports another branch's bank or quiz, and
the files have every row, however many, without a query per row."""

import io
import json

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from partyedu.learning.models import Topic
from partyedu.quizzes import attempt_services, bank_services, exporting, import_services
from partyedu.quizzes.models import Question, QuestionImport
from partyedu.reports import services as report_services
from partyedu.reports.models import GeneratedReport, ReportStatus
from tests.factories import MemberFactory

from ..conftest import login
from .quiz_helpers import bank, paper

pytestmark = pytest.mark.django_db

BANK_HEADER = (*import_services.HEADERS, "编号", "状态")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def download(client, report) -> bytes:
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 200
    return response.getvalue()


def latest(kind) -> GeneratedReport:
    return GeneratedReport.objects.filter(kind=kind).order_by("-pk").first()


@pytest.fixture
def history(county):
    """The 工委's bank: two published 党史 questions, one draft; one 党章 question; the finance bureau's own bank:
    one question; the education bureau's bank: one question the finance branch never sees."""
    party_history = Topic.objects.create(name="党史")
    charter = Topic.objects.create(name="党章")
    create = bank_services.create_question
    return {
        "topic": party_history,
        "charter": charter,
        "single": create(
            county.committee,
            qtype="single",
            stem="中共一大在哪里开幕？",
            options=["上海", "北京", "广州"],
            answer={"choice": 0},
            topics=[party_history],
            explanation="1921年7月23日在上海开幕。",
            difficulty=1,
            publish=True,
        ),
        "judge": create(
            county.committee,
            qtype="judge",
            stem="七大在延安召开。",
            answer={"value": True},
            topics=[party_history],
            publish=True,
        ),
        "draft": create(
            county.committee,
            qtype="blank",
            stem="遵义会议于____年召开。",
            answer={"blanks": [["1935", "一九三五"]]},
            topics=[party_history],
        ),
        "charter_q": create(
            county.committee,
            qtype="multiple",
            stem="三会指？",
            options=["支部党员大会", "支部委员会", "党小组会", "职代会"],
            answer={"choices": [0, 1, 2]},
            topics=[charter],
            publish=True,
        ),
        "finance_q": create(
            county.finance, qtype="judge", stem="财政局本单位题库的题。", answer={"value": True}, publish=True
        ),
        "education_q": create(
            county.education,
            qtype="judge",
            stem="教育局本单位题库的题。",
            answer={"value": True},
            publish=True,
        ),
    }


# --- the question bank --------------------------------------------------------------------------------------
def test_the_bank_list_carries_its_filters_into_the_export_form(county, history, client):
    login(client, county.finance_secretary)
    page = client.get(
        reverse("quizzes:bank"), {"topic": history["topic"].pk, "status": "published", "q": ""}
    ).content.decode()
    start = page.index(f'<form method="post" action="{reverse("quizzes:bank_export")}"')
    form = page[start : page.index("</form>", start)]
    assert "csrfmiddlewaretoken" in form
    assert f'name="topic" value="{history["topic"].pk}"' in form and 'name="status" value="published"' in form
    assert 'name="q"' not in form and 'name="owner"' not in form
    assert 'form="bank-export" name="format" value="xlsx"' in page
    assert 'form="bank-export" name="format" value="json"' in page


def test_the_worker_exports_the_filtered_bank_as_excel_in_the_importable_layout(county, history, client):
    login(client, county.finance_secretary)
    response = client.post(
        reverse("quizzes:bank_export"),
        {"topic": history["topic"].pk, "status": "published", "format": "xlsx"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("reports:list")
    assert messages_of(response) == ["已提交生成“题库导出（Excel）”，完成后可在下方下载。"]

    report = latest(exporting.QUESTION_BANK_XLSX)
    assert report.status == ReportStatus.DONE and report.organization == county.finance_branch
    assert report.params == {
        "owner": None,
        "qtype": "",
        "topic": history["topic"].pk,
        "difficulty": None,
        "status": "published",
        "q": "",
    }
    assert report.filename.startswith("题库导出_") and report.filename.endswith(".xlsx")
    rows = list(load_workbook(io.BytesIO(download(client, report))).active.iter_rows(values_only=True))
    assert rows[0] == BANK_HEADER
    # exactly the published 党史 questions: not the draft, not the 党章 one, nothing of another bank
    assert [r[1] for r in rows[1:]] == ["中共一大在哪里开幕？", "七大在延安召开。"]
    single = dict(zip(BANK_HEADER, rows[1], strict=True))
    assert (
        single["题型"],
        single["选项A"],
        single["答案"],
        single["难度"],
        single["专题"],
        single["状态"],
    ) == (
        "单选题",
        "上海",
        "A",
        "容易",
        "党史",
        "已发布",
    )
    assert single["编号"] == history["single"].pk

    # the file goes back into the bank as it came out: every row valid and a duplicate of itself
    imp = import_services.create_import(
        county.committee_admin,
        county.committee,
        SimpleUploadedFile("题库导出.xlsx", download(client, report)),
    )
    import_services.start_validation(imp)
    imp.refresh_from_db()
    assert (imp.valid_rows, imp.invalid_rows, imp.duplicate_rows) == (2, 0, 2)


def test_the_json_export_round_trips_through_the_bank_import(county, history, client):
    login(client, county.committee_admin)
    response = client.post(reverse("quizzes:bank_export"), {"owner": county.committee.pk, "format": "json"})
    assert messages_of(response) == ["已提交生成“题库导出（JSON）”，完成后可在下方下载。"]
    report = latest(exporting.QUESTION_BANK_JSON)
    assert report.organization == county.committee and report.filename.endswith(".json")
    assert client.get(reverse("reports:download", args=[report.pk]))["Content-Type"] == "application/json"
    content = download(client, report)
    data = json.loads(content)
    exported = [history[k] for k in ("single", "judge", "draft", "charter_q")]
    assert [q["id"] for q in data["questions"]] == [q.pk for q in exported]  # not the units' own banks
    assert data["questions"][2]["status"] == "draft" and data["questions"][3]["topics"] == ["党章"]

    imp = import_services.create_import(
        county.committee_admin, county.committee, SimpleUploadedFile("题库导出.json", content)
    )
    import_services.start_validation(imp)
    imp.refresh_from_db()
    assert imp.invalid_rows == 0 and imp.valid_rows == 4 == imp.duplicate_rows
    answers = sorted(json.dumps(r["data"]["answer"]) for r in imp.report)
    assert answers == sorted(json.dumps(q.current.answer) for q in exported)
    import_services.start_commit(imp)
    assert QuestionImport.objects.get(pk=imp.pk).created_count == 0
    # into the education bureau's bank: checked with its ancestors, still the 工委's questions
    imp = import_services.create_import(
        county.education_admin, county.education, SimpleUploadedFile("题库导出.json", content)
    )
    import_services.start_validation(imp)
    imp.refresh_from_db()
    assert imp.duplicate_rows == 4


def test_type_and_keyword_filters_and_the_worker_s_own_and_ancestor_banks(county, history, client):
    login(client, county.finance_secretary)
    client.post(reverse("quizzes:bank_export"), {"qtype": "judge"})
    rows = list(
        load_workbook(io.BytesIO(download(client, latest(exporting.QUESTION_BANK_XLSX)))).active.iter_rows(
            values_only=True
        )
    )
    # the 工委's judge and his unit's own one: never the education bureau's
    assert [r[1] for r in rows[1:]] == ["七大在延安召开。", "财政局本单位题库的题。"]
    client.post(reverse("quizzes:bank_export"), {"q": "遵义 会议", "format": "json"})
    data = json.loads(download(client, latest(exporting.QUESTION_BANK_JSON)))
    assert [q["stem"] for q in data["questions"]] == ["遵义会议于____年召开。"]


def test_a_worker_of_another_branch_cannot_export_a_bank_outside_his_reach(county, history, client):
    login(client, county.finance_secretary)
    assert client.post(reverse("quizzes:bank_export"), {"owner": county.education.pk}).status_code == 404
    with pytest.raises(Http404):
        report_services.request_report(
            county.finance_secretary, exporting.QUESTION_BANK_XLSX, county.education, {}
        )
    with pytest.raises(Http404):
        report_services.request_report(
            county.finance_secretary,
            exporting.QUESTION_BANK_JSON,
            county.education_branch,
            {"owner": county.education_branch.pk},
        )
    # a member is no worker, whatever he asks for
    login(client, county.finance_member_user)
    assert client.post(reverse("quizzes:bank_export")).status_code == 403
    with pytest.raises(PermissionDenied):
        report_services.request_report(
            county.finance_member_user, exporting.QUESTION_BANK_XLSX, county.finance_branch, {}
        )
    # the export answers POST only
    login(client, county.finance_secretary)
    assert client.get(reverse("quizzes:bank_export")).status_code == 405
    assert not GeneratedReport.objects.exists()


def test_wrong_bank_filters_are_refused_in_chinese_and_the_list_keeps_them(county, history, client):
    login(client, county.finance_secretary)
    response = client.post(reverse("quizzes:bank_export"), {"qtype": "essay", "status": "published"})
    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes:bank") + "?qtype=essay&status=published"
    assert messages_of(response) == ["请选择正确的题型"]
    response = client.post(reverse("quizzes:bank_export"), {"difficulty": "9"}, follow=True)
    assert "请选择正确的难度" in response.content.decode()
    response = client.post(reverse("quizzes:bank_export"), {"format": "pdf"})
    assert messages_of(response) == ["请选择导出格式"]
    assert not GeneratedReport.objects.exists()

    with pytest.raises(ValidationError) as refused:
        exporting.authorize_bank(county.committee_admin, county.finance, {"owner": county.education.pk})
    assert refused.value.messages == ["筛选的题库与导出的题库不一致"]
    with pytest.raises(ValidationError) as refused:
        exporting.authorize_bank(county.committee_admin, county.committee, {"topic": "99999"})
    assert refused.value.messages == ["请选择正确的专题"]
    with pytest.raises(ValidationError) as refused:
        exporting.authorize_bank(county.committee_admin, county.committee, {"q": "党" * 101})
    assert refused.value.messages == ["题干关键词不能超过100个字"]
    cleaned = exporting.authorize_bank(
        county.finance_secretary,
        county.committee,
        {
            "owner": str(county.committee.pk),
            "difficulty": "1",
            "q": " 一大 ",
            "status": "",
            "qtype": "single",
        },
    )
    assert cleaned == {
        "owner": county.committee.pk,
        "qtype": "single",
        "topic": None,
        "difficulty": 1,
        "status": "",
        "q": "一大",
    }


def test_every_question_is_exported_and_progress_is_reported_as_it_goes(county, monkeypatch):
    monkeypatch.setattr(exporting, "CHUNK", 2)
    bank(county.committee, 5)
    report = GeneratedReport.objects.create(
        kind=exporting.QUESTION_BANK_XLSX,
        organization=county.committee,
        params=exporting.authorize_bank(county.committee_admin, county.committee, {}),
        requested_by=county.committee_admin,
    )
    calls = []
    content = exporting.build_bank_xlsx(report, lambda done, total: calls.append((done, total)))
    assert len(list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))) == 1 + 5
    assert calls == [(2, 5), (4, 5)]


@pytest.mark.parametrize("build", [exporting.build_bank_xlsx, exporting.build_bank_json])
def test_the_bank_export_does_not_query_per_question(county, build):
    topics = [Topic.objects.create(name=name) for name in ("党史", "党章", "党纪")]

    def build_queries() -> int:
        report = GeneratedReport.objects.create(
            kind=exporting.QUESTION_BANK_XLSX,
            organization=county.finance_branch,
            params=exporting.authorize_bank(county.finance_secretary, county.finance_branch, {}),
            requested_by=county.finance_secretary,
        )
        report = GeneratedReport.objects.select_related("organization", "requested_by").get(pk=report.pk)
        with CaptureQueriesContext(connection) as queries:
            build(report, lambda done, total: None)
        return len(queries)

    bank(county.committee, 2, topics=topics[:1])
    two = build_queries()
    bank(county.finance, 6, topics=topics)
    eight = build_queries()
    assert Question.objects.count() == 8 and two == eight


# --- a quiz's results ---------------------------------------------------------------------------------------
def take(quiz, member, right: int):
    attempt = attempt_services.start_attempt(quiz, member)
    for item in attempt.items.all()[:right]:
        attempt_services.answer(attempt, item.position, {"choice": item.option_order.index(1)})
    return attempt_services.submit(attempt)


def test_the_organiser_exports_the_results_with_the_best_attempts_and_who_has_not_taken_it(county, client):
    quiz = paper(county.finance_branch, bank(county.committee, 4), max_attempts=2, pass_percent=75)
    zhang, li, zeng = county.finance_members
    take(quiz, zhang, 1)
    take(quiz, zhang, 4)  # the best of two: 4 of 4
    take(quiz, li, 2)
    login(client, county.finance_secretary)
    response = client.post(reverse("quizzes:quiz_results_export", args=[quiz.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("reports:list")
    assert messages_of(response) == [f"已提交生成“{quiz.title}成绩”，完成后可在下方下载。"]

    report = latest(exporting.QUIZ_RESULTS)
    assert report.status == ReportStatus.DONE
    assert (report.organization, report.params) == (county.finance_branch, {"quiz": quiz.pk})
    assert report.filename == f"{quiz.title}成绩.xlsx"
    book = load_workbook(io.BytesIO(download(client, report)))
    assert book.sheetnames == ["成绩", "未参加"]
    rows = list(book["成绩"].iter_rows(values_only=True))
    assert rows[0] == (
        "序号",
        "姓名",
        "所在党组织",
        "最高得分",
        "满分",
        "得分率",
        "是否及格",
        "用时",
        "作答次数",
        "交卷时间",
    )
    by_name = {r[1]: r for r in rows[1:]}
    assert set(by_name) == {"张三", "李四"}
    assert by_name["张三"][2:7] == ("县财政局机关党支部", 4, 4, "100%", "及格")
    assert by_name["张三"][8] == 2
    assert by_name["李四"][5:7] == ("50%", "不及格") and by_name["李四"][8] == 1
    assert list(book["未参加"].iter_rows(values_only=True)) == [
        ("序号", "姓名", "所在党组织"),
        (1, "曾小明", "县财政局机关党支部"),
    ]


def test_the_results_page_offers_the_export_as_a_post_form(county, client):
    quiz = paper(county.finance_branch, bank(county.committee, 1))
    login(client, county.finance_secretary)
    page = client.get(reverse("quizzes:quiz_results", args=[quiz.pk])).content.decode()
    start = page.index(
        f'<form method="post" action="{reverse("quizzes:quiz_results_export", args=[quiz.pk])}"'
    )
    assert "csrfmiddlewaretoken" in page[start : page.index("</form>", start)]
    assert client.get(reverse("quizzes:quiz_results_export", args=[quiz.pk])).status_code == 405


def test_another_branch_cannot_request_the_results_of_a_quiz_outside_his_subtree(county, client):
    quiz = paper(county.education, bank(county.education, 1), title="教育局测试")
    login(client, county.finance_secretary)
    assert client.post(reverse("quizzes:quiz_results_export", args=[quiz.pk])).status_code == 404
    with pytest.raises(Http404):
        report_services.request_report(
            county.finance_secretary, exporting.QUIZ_RESULTS, county.education, {"quiz": quiz.pk}
        )
    # naming his own branch as the organisation does not help
    with pytest.raises(Http404):
        report_services.request_report(
            county.finance_secretary, exporting.QUIZ_RESULTS, county.finance_branch, {"quiz": quiz.pk}
        )
    # a member sees his unit but organises nothing: 403, as on the page
    own = paper(county.finance_branch, bank(county.committee, 1))
    login(client, county.finance_member_user)
    assert client.post(reverse("quizzes:quiz_results_export", args=[own.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        report_services.request_report(
            county.finance_member_user, exporting.QUIZ_RESULTS, county.finance_branch, {"quiz": own.pk}
        )
    with pytest.raises(ValidationError) as refused:
        exporting.authorize_results(county.committee_admin, county.committee, {"quiz": own.pk})
    assert refused.value.messages == ["测试与所选党组织不一致"]
    with pytest.raises(ValidationError):
        exporting.authorize_results(county.committee_admin, county.finance_branch, {"quiz": "abc"})
    assert not GeneratedReport.objects.exists()


def test_the_results_export_does_not_query_per_attempt(county):
    members = [
        *county.finance_members,
        *(MemberFactory.create(organization=county.finance_branch, name=f"党员{n}") for n in range(13)),
    ]
    quiz = paper(county.finance_branch, bank(county.committee, 2), max_attempts=3)

    def build_queries() -> int:
        report = GeneratedReport.objects.create(
            kind=exporting.QUIZ_RESULTS,
            organization=county.finance_branch,
            params=exporting.authorize_results(
                county.finance_secretary, county.finance_branch, {"quiz": quiz.pk}
            ),
            requested_by=county.finance_secretary,
        )
        report = GeneratedReport.objects.select_related("organization", "requested_by").get(pk=report.pk)
        with CaptureQueriesContext(connection) as queries:
            exporting.build_results(report, lambda done, total: None)
        return len(queries)

    for member in members[:2]:
        take(quiz, member, 1)
    two = build_queries()
    for member in members[2:8]:
        take(quiz, member, 2)
    take(quiz, members[0], 2)  # a second attempt
    eight = build_queries()
    assert two == eight
