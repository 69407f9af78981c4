"""The organiser's pages: a secretary sets up his branch's test (settings, drawn questions with the live count,
publish), reads the results (best score, passed, time; who has not taken it) and exports them; another subtree's
tests stay out of his sight."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from partyedu.quizzes import attempt_services
from partyedu.quizzes.models import Quiz, QuizStatus
from partyedu.reports.models import GeneratedReport

from .quiz_helpers import bank, paper

pytestmark = pytest.mark.django_db


def take(quiz, member, right: int):
    attempt = attempt_services.start_attempt(quiz, member)
    for item in attempt.items.all()[:right]:
        attempt_services.answer(attempt, item.position, {"choice": item.option_order.index(1)})
    return attempt_services.submit(attempt)


def test_a_secretary_sets_up_a_drawn_test_for_his_branch(county, client):
    bank(county.committee, 5, difficulty=1)
    client.force_login(county.finance_secretary)
    response = client.post(
        "/quizzes/manage/new/",
        {
            "owner": county.finance_branch.pk,
            "title": "政策法规测试",
            "kind": "paper",
            "max_attempts": 2,
            "pass_percent": 60,
            "grace_seconds": 10,
            "review": "after_submit",
            "shuffle_questions": "on",
            "shuffle_options": "on",
            "questions_per_day": 5,
            "time_limit_minutes": 10,
        },
    )
    quiz = Quiz.objects.get(title="政策法规测试")
    assert response["Location"] == f"/quizzes/manage/{quiz.pk}/"
    assert (quiz.owner, quiz.time_limit_seconds, quiz.created_by) == (
        county.finance_branch,
        600,
        county.finance_secretary,
    )
    # the live count of one rule row
    count = client.get(
        f"/quizzes/manage/{quiz.pk}/rules/count/", {"form-0-difficulty": "1", "form-0-count": "6"}
    )
    assert "题库中可用 5 道" in count.content.decode() and "error-text" in count.content.decode()
    rows = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-topic": "",
        "form-0-difficulty": "1",
        "form-0-qtype": "",
        "form-0-count": "6",
    }
    html = client.post(f"/quizzes/manage/{quiz.pk}/rules/", rows).content.decode()
    assert "第1条规则要求抽取6道题，题库中符合条件的只有5道" in html
    rows["form-0-count"] = "4"
    client.post(f"/quizzes/manage/{quiz.pk}/rules/", rows)
    client.post(f"/quizzes/manage/{quiz.pk}/publish/")
    quiz.refresh_from_db()
    assert quiz.status == QuizStatus.PUBLISHED and quiz.draw_rules[0]["count"] == 4


def test_a_fixed_paper_is_picked_from_the_usable_bank(county, client):
    ours = bank(county.committee, 3)
    client.force_login(county.finance_secretary)
    client.post(
        "/quizzes/manage/new/",
        {
            "owner": county.finance_branch.pk,
            "title": "固定卷",
            "kind": "paper",
            "max_attempts": 1,
            "pass_percent": 60,
            "grace_seconds": 10,
            "review": "after_close",
            "questions_per_day": 5,
        },
    )
    quiz = Quiz.objects.get(title="固定卷")
    page = client.get(f"/quizzes/manage/{quiz.pk}/questions/").content.decode()
    assert ours[0].current.stem in page
    client.post(f"/quizzes/manage/{quiz.pk}/questions/", {"question": [ours[0].pk, ours[2].pk]})
    assert list(quiz.slots.values_list("question_id", flat=True)) == [ours[0].pk, ours[2].pk]
    client.post(f"/quizzes/manage/{quiz.pk}/questions/", {"remove": ours[0].pk})
    assert list(quiz.slots.values_list("question_id", flat=True)) == [ours[2].pk]


def test_results_show_best_score_pass_and_who_has_not_taken_it(county, client, django_assert_max_num_queries):
    quiz = paper(county.finance_branch, bank(county.committee, 4), max_attempts=2, pass_percent=75)
    zhang, li, zeng = county.finance_members
    take(quiz, zhang, 1)
    take(quiz, zhang, 4)  # best of two: 4 of 4
    take(quiz, li, 2)
    client.force_login(county.finance_secretary)
    client.get(f"/quizzes/manage/{quiz.pk}/results/")
    with django_assert_max_num_queries(14):
        html = client.get(f"/quizzes/manage/{quiz.pk}/results/").content.decode()
    assert "<b>3</b><span>应参加</span>" in html and "<b>2</b><span>已参加（67%）</span>" in html
    assert "<b>1</b><span>及格（50%）</span>" in html
    not_taken = html[html.index('id="not-taken"') :]
    assert "曾小明" in not_taken and "张三" not in not_taken
    response = client.post(f"/quizzes/manage/{quiz.pk}/results.xlsx")
    assert response["Location"] == reverse("reports:list")
    report = GeneratedReport.objects.get(kind="quiz_results")
    book = load_workbook(io.BytesIO(client.get(reverse("reports:download", args=[report.pk])).getvalue()))
    rows = list(book["成绩"].iter_rows(values_only=True))
    assert rows[0][:7] == ("序号", "姓名", "所在党组织", "最高得分", "满分", "得分率", "是否及格")
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["张三"][3:9] == (4, 4, "100%", "及格", by_name["张三"][7], 2)
    assert by_name["李四"][6] == "不及格"
    assert [r[1] for r in book["未参加"].iter_rows(min_row=2, values_only=True)] == ["曾小明"]


def test_another_branchs_secretary_cannot_see_or_manage_a_quiz_of_another_subtree(county, client):
    quiz = paper(county.education, bank(county.education, 1), title="教育局测试")
    client.force_login(county.finance_secretary)
    for url in ("", "results/", "edit/", "participation/"):
        assert client.get(f"/quizzes/manage/{quiz.pk}/{url}").status_code == 404, url
    for url in ("close/", "results.xlsx"):
        assert client.post(f"/quizzes/manage/{quiz.pk}/{url}").status_code == 404, url
    quiz.refresh_from_db()
    assert quiz.status == QuizStatus.PUBLISHED
    assert "教育局测试" not in client.get("/quizzes/manage/").content.decode()
    # a plain member is no organiser at all
    client.force_login(county.finance_member_user)
    assert client.get("/quizzes/manage/").status_code == 403


def test_the_committee_sees_every_unit_s_quizzes_in_few_queries(
    county, client, django_assert_max_num_queries
):
    questions = bank(county.committee, 2)
    for n in range(6):
        paper(county.education if n % 2 else county.finance, questions, title=f"测试{n}")
    client.force_login(county.committee_admin)
    client.get("/quizzes/manage/")
    with django_assert_max_num_queries(8):
        html = client.get("/quizzes/manage/").content.decode()
    assert all(f"测试{n}" in html for n in range(6))


def test_the_audience_is_set_by_names(county, client):
    quiz = paper(county.finance_branch, bank(county.committee, 1), title="名单测试")
    client.force_login(county.finance_secretary)
    client.post(f"/quizzes/manage/{quiz.pk}/audience/", {"action": "names", "names": "张三\n李四"})
    assert sorted(quiz.audience.values_list("member__name", flat=True)) == ["张三", "李四"]
    response = client.post(
        f"/quizzes/manage/{quiz.pk}/audience/", {"action": "names", "names": "王五"}, follow=True
    )
    assert "没有找到“王五”" in response.content.decode()  # another branch's member is not found by name
    assert quiz.audience.count() == 2


def test_every_organiser_page_opens_for_the_owner(county, client):
    quiz = paper(county.finance_branch, bank(county.committee, 3), title="支部测试")
    drawn = paper(county.finance_branch, [], publish=False, title="抽题卷")
    from partyedu.quizzes import quiz_services

    quiz_services.set_rules(drawn, [{"count": 2}])
    client.force_login(county.finance_secretary)
    for url in (
        "/quizzes/manage/new/",
        f"/quizzes/manage/{quiz.pk}/",
        f"/quizzes/manage/{drawn.pk}/",
        f"/quizzes/manage/{quiz.pk}/edit/",
        f"/quizzes/manage/{quiz.pk}/questions/?q=党&difficulty=2",
        f"/quizzes/manage/{drawn.pk}/rules/",
        f"/quizzes/manage/{quiz.pk}/audience/",
        f"/quizzes/manage/{quiz.pk}/results/",
        f"/quizzes/manage/{quiz.pk}/participation/",
    ):
        assert client.get(url).status_code == 200, url
    html = client.get(f"/quizzes/manage/{drawn.pk}/").content.decode()
    assert '<td>全部题目</td><td class="num">2</td><td class="num">3</td>' in html  # rule, draws, available
