"""The bank as workers use it: filters, the form for every type, versions kept for past attempts, publish and
retire, export, the import pages, and who may open what."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from partyedu.learning.models import Topic
from partyedu.quizzes import attempt_services, bank_services
from partyedu.quizzes.models import Question, QuestionImport, Quiz, QuizSlot, QuizStatus
from partyedu.reports.models import GeneratedReport
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def judge(owner, stem, publish=True):
    return bank_services.create_question(
        owner, qtype="judge", stem=stem, answer={"value": True}, publish=publish
    )


def download_url(report) -> str:
    return reverse("reports:download", args=[report.pk])


def form_data(**extra):
    data = {
        "owner": "",
        "qtype": "single",
        "stem": "",
        "answer_text": "",
        "explanation": "",
        "difficulty": "2",
        "source": "",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("extra", "qtype", "answer", "options"),
    [
        (
            {"qtype": "single", "option_A": "1919", "option_B": "1921", "answer_text": "b"},
            "single",
            {"choice": 1},
            ["1919", "1921"],
        ),
        (
            {
                "qtype": "multiple",
                "option_A": "甲",
                "option_B": "乙",
                "option_C": "丙",
                "answer_text": "A、C",
            },
            "multiple",
            {"choices": [0, 2]},
            ["甲", "乙", "丙"],
        ),
        ({"qtype": "judge", "answer_text": "错", "option_A": "被忽略"}, "judge", {"value": False}, []),
        (
            {"qtype": "blank", "answer_text": "井冈山/井冈山革命根据地\n1927"},
            "blank",
            {"blanks": [["井冈山", "井冈山革命根据地"], ["1927"]]},
            [],
        ),
    ],
)
def test_the_form_makes_every_type(county, client, extra, qtype, answer, options):
    topic = Topic.objects.create(name="党史")
    client.force_login(county.committee_admin)
    data = form_data(owner=county.committee.pk, stem="新题", topics=[topic.pk], publish="on", **extra)
    response = client.post(reverse("quizzes:question_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    q = Question.objects.get()
    assert (q.current.qtype, q.current.answer, q.current.options, q.status) == (
        qtype,
        answer,
        options,
        "published",
    )
    assert list(q.topics.all()) == [topic]


def test_the_form_refuses_an_answer_not_among_the_options(county, client):
    client.force_login(county.committee_admin)
    data = form_data(owner=county.committee.pk, stem="新题", option_A="甲", option_B="乙", answer_text="D")
    response = client.post(reverse("quizzes:question_create"), data)
    assert response.status_code == 200 and "答案不在选项中" in response.content.decode()
    assert not Question.objects.exists()


def test_editing_a_published_question_makes_version_2_and_the_attempt_keeps_version_1(county, client):
    q = bank_services.create_question(
        county.committee,
        qtype="single",
        stem="中共一大在哪一年召开？",
        options=["1920", "1921"],
        answer={"choice": 1},
        publish=True,
    )
    quiz = Quiz.objects.create(owner=county.committee, title="测试", status=QuizStatus.PUBLISHED)
    QuizSlot.objects.create(quiz=quiz, question=q, position=1)
    attempt = attempt_services.start_attempt(quiz, county.finance_members[0])
    client.force_login(county.committee_admin)
    response = client.post(
        reverse("quizzes:question_edit", args=[q.pk]),
        form_data(
            qtype="single",
            stem="中国共产党第一次全国代表大会在哪一年召开？",
            option_A="1920",
            option_B="1921",
            answer_text="B",
        ),
    )
    assert response.status_code == 302
    q.refresh_from_db()
    assert q.current.number == 2 and q.versions.count() == 2
    assert attempt.items.get().version.stem == "中共一大在哪一年召开？"
    history = client.get(reverse("quizzes:question_history", args=[q.pk])).content.decode()
    assert "第 1 版" in history and "第 2 版" in history and "中共一大在哪一年召开？" in history


def test_publish_and_retire(county, client):
    q = judge(county.committee, "草稿题", publish=False)
    client.force_login(county.committee_admin)
    client.post(reverse("quizzes:question_status", args=[q.pk]), {"status": "published"})
    q.refresh_from_db()
    assert q.status == "published"
    client.post(reverse("quizzes:question_status", args=[q.pk]), {"status": "retired"})
    q.refresh_from_db()
    assert q.status == "retired"


def test_another_units_worker_cannot_see_or_edit_a_unit_bank(county, client):
    finance_admin = make_user("caizheng_admin", role="org_admin", org=county.finance)
    own = judge(county.finance, "财政局本单位题库的题")
    shared = judge(county.committee, "工委题库的题")
    client.force_login(county.education_admin)
    assert client.get(reverse("quizzes:question", args=[own.pk])).status_code == 404
    response = client.post(
        reverse("quizzes:question_edit", args=[own.pk]), form_data(qtype="judge", stem="改", answer_text="错")
    )
    assert response.status_code == 404
    assert (
        client.post(reverse("quizzes:question_status", args=[own.pk]), {"status": "retired"}).status_code
        == 404
    )
    own.refresh_from_db()
    assert (own.status, own.current.stem) == ("published", "财政局本单位题库的题")
    listing = client.get(reverse("quizzes:bank")).content.decode()
    assert "工委题库的题" in listing and "财政局本单位题库的题" not in listing
    # the 工委's bank is read by every unit, changed only by the 工委
    assert client.get(reverse("quizzes:question", args=[shared.pk])).status_code == 200
    assert client.get(reverse("quizzes:question_edit", args=[shared.pk])).status_code == 403
    client.force_login(finance_admin)
    assert client.get(reverse("quizzes:question_edit", args=[own.pk])).status_code == 200


def test_a_plain_member_cannot_reach_the_bank(county, client):
    q = judge(county.committee, "题")
    client.force_login(county.finance_member_user)
    for url in [
        reverse("quizzes:bank"),
        reverse("quizzes:question", args=[q.pk]),
        reverse("quizzes:question_create"),
        reverse("quizzes:import"),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("quizzes:bank_export")).status_code == 403
    assert client.get(reverse("quizzes:my_weak_topics")).status_code == 200


def test_the_bank_list_filters_and_does_not_query_per_row(county, client, django_assert_max_num_queries):
    history = Topic.objects.create(name="党史")
    for i in range(30):
        bank_services.create_question(
            county.committee,
            qtype="single",
            stem=f"第{i}题 遵义会议" if i % 2 else f"第{i}题 古田会议",
            options=["甲", "乙"],
            answer={"choice": 0},
            topics=[history],
            difficulty=1 + i % 3,
            publish=True,
        )
    judge(county.committee, "判断题一道")
    client.force_login(county.committee_admin)
    url = reverse("quizzes:bank")
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url, {"topic": history.pk})
    assert response.content.decode().count('href="/quizzes/bank/') >= 31
    body = client.get(url, {"q": "遵义\u00a0会议"}).content.decode()
    assert "共 15 题" in body
    assert "共 1 题" in client.get(url, {"qtype": "judge"}).content.decode()
    assert "共 10 题" in client.get(url, {"difficulty": "3"}).content.decode()


def test_export_of_a_filtered_bank(county, client):
    judge(county.committee, "甲判断")
    bank_services.create_question(
        county.committee, qtype="single", stem="乙单选", options=["1", "2"], answer={"choice": 0}
    )
    client.force_login(county.committee_admin)
    response = client.post(reverse("quizzes:bank_export"), {"qtype": "judge", "format": "xlsx"})
    assert response["Location"] == reverse("reports:list")
    report = GeneratedReport.objects.get(kind="question_bank_xlsx")
    rows = list(load_workbook(io.BytesIO(client.get(download_url(report)).getvalue())).active.values)
    assert len(rows) == 2 and rows[1][1] == "甲判断" and rows[1][10] == "对"
    client.post(reverse("quizzes:bank_export"), {"format": "json"})
    report = GeneratedReport.objects.get(kind="question_bank_json")
    data = json.loads(client.get(download_url(report)).getvalue())
    assert sorted(q["stem"] for q in data["questions"]) == ["乙单选", "甲判断"]


def test_import_through_the_pages(county, client):
    wb = Workbook()
    wb.active.append(["题目", "选项A", "选项B", "答案", "题型"])
    wb.active.append(["好题", "甲", "乙", "A", "单选"])
    wb.active.append(["坏题", "甲", "乙", "", "单选"])
    buffer = io.BytesIO()
    wb.save(buffer)
    client.force_login(county.committee_admin)
    response = client.post(
        reverse("quizzes:import"),
        {"owner": county.committee.pk, "file": SimpleUploadedFile("题.xlsx", buffer.getvalue())},
    )
    imp = QuestionImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "quizzes:import_report", args=[imp.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "第 3 行" in page and "缺少答案" in page and "仅导入有效的题目" in page
    errors = client.get(reverse("quizzes:import_errors", args=[imp.pk]))
    assert list(load_workbook(io.BytesIO(errors.content)).active.values)[1][-1] == "缺少答案"
    client.post(reverse("quizzes:import_commit", args=[imp.pk]), {"skip_duplicates": "on"})
    assert list(Question.objects.values_list("current__stem", "status")) == [("好题", "draft")]
    # another worker does not see this upload
    client.force_login(county.education_admin)
    assert client.get(reverse("quizzes:import_report", args=[imp.pk])).status_code == 404
    # a secretary manages no bank: no upload
    client.force_login(county.finance_secretary)
    assert client.get(reverse("quizzes:import")).status_code == 403
    assert client.get(reverse("quizzes:bank")).status_code == 200


def test_mastery_pages(county, client):
    client.force_login(county.committee_admin)
    response = client.get(reverse("quizzes:org_mastery"))
    assert response.status_code == 200
    client.force_login(county.finance_member_user)
    assert client.get(reverse("quizzes:org_mastery")).status_code == 403
    assert "我的薄弱专题" in client.get(reverse("quizzes:my_weak_topics")).content.decode()


def test_quiz_statistics_page(county, client):
    q = judge(county.committee, "统计题")
    quiz = Quiz.objects.create(owner=county.committee, title="统计测试", status=QuizStatus.PUBLISHED)
    QuizSlot.objects.create(quiz=quiz, question=q, position=1)
    attempt = attempt_services.start_attempt(quiz, county.finance_members[0])
    attempt_services.answer(attempt, 1, {"value": True})
    attempt_services.submit(attempt)
    client.force_login(county.committee_admin)
    body = client.get(reverse("quizzes:quiz_stats", args=[quiz.pk])).content.decode()
    assert "统计题" in body and "100.0%" in body
    client.force_login(county.finance_secretary)
    assert client.get(reverse("quizzes:quiz_stats", args=[quiz.pk])).status_code == 404
