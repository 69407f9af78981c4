"""A member takes a test on his phone: 我的测试, the start page, the paper with its autosave, 交卷 and the result.
Keys and 解析 never reach the page before the review policy allows; letters are the shuffled positions."""

import datetime

import pytest
from django.utils import timezone

from partyedu.quizzes import attempt_services, bank_services, quiz_services
from partyedu.quizzes.models import Attempt, AttemptState, ReviewPolicy

from .quiz_helpers import bank, paper

pytestmark = pytest.mark.django_db

EXPLANATION = "遵义会议确立了毛泽东同志在党中央和红军的领导地位。"


def blank_question(owner):
    return bank_services.create_question(
        owner,
        qtype="blank",
        stem="1935年1月，中共中央在贵州召开了____会议。",
        answer={"blanks": [["遵义"]]},
        explanation=EXPLANATION,
        publish=True,
    )


def judge_question(owner):
    return bank_services.create_question(
        owner,
        qtype="judge",
        stem="中国共产党第一次全国代表大会在上海召开。",
        answer={"value": True},
        publish=True,
    )


def multiple_question(owner):
    return bank_services.create_question(
        owner,
        qtype="multiple",
        stem="“四个意识”包括哪些？",
        options=["政治意识", "大局意识", "核心意识", "看齐意识", "市场意识"],
        answer={"choices": [0, 1, 2, 3]},
        publish=True,
    )


@pytest.fixture
def exam(county):
    questions = [
        blank_question(county.committee),
        judge_question(county.committee),
        multiple_question(county.committee),
    ]
    questions += bank(county.committee, 2, explanation=EXPLANATION)
    return paper(county.committee, questions, review=ReviewPolicy.AFTER_CLOSE, time_limit_seconds=600)


def start(client, quiz):
    response = client.post(f"/quizzes/{quiz.pk}/start/")
    assert response.status_code == 302, response.content
    return Attempt.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))


def right_shown(item):
    """The right answer as the page's form would post it (shown positions)."""
    answer = item.version.answer
    if item.version.qtype == "single":
        return {f"q{item.position}": str(item.option_order.index(answer["choice"]))}
    if item.version.qtype == "multiple":
        return {f"q{item.position}": [str(item.option_order.index(c)) for c in answer["choices"]]}
    if item.version.qtype == "judge":
        return {f"q{item.position}": "1" if answer["value"] else "0"}
    return {f"q{item.position}": [b[0] for b in answer["blanks"]]}


def test_the_paper_never_holds_the_key_or_explanations_while_open(county, client, exam):
    client.force_login(county.finance_member_user)
    attempt = start(client, exam)
    html = client.get(f"/quizzes/attempts/{attempt.pk}/").content.decode()
    assert "1935年1月" in html
    assert "遵义" not in html.replace("1935年1月，中共中央在贵州召开了____会议。", "")  # the blank's answer
    assert EXPLANATION not in html and "正确答案" not in html and "解析" not in html
    for item in attempt.items.select_related("version"):
        if item.version.qtype == "single":
            # the letters are the shown positions: the right option sits under the letter of its shuffled place
            letter = "ABCD"[item.option_order.index(1)]
            assert (
                f'value="{item.option_order.index(1)}"><span class="quiz-letter">{letter}</span><span>1921年'
                in html
            )
    assert "data-correct" not in html and "correct" not in html


def test_answers_save_one_by_one_map_back_and_are_graded(county, client, exam):
    client.force_login(county.finance_member_user)
    attempt = start(client, exam)
    for item in attempt.items.select_related("version"):
        response = client.post(
            f"/quizzes/attempts/{attempt.pk}/answer/{item.position}/",
            right_shown(item),
            HTTP_HX_REQUEST="true",
        )
        assert "已保存" in response.content.decode()
    response = client.post(f"/quizzes/attempts/{attempt.pk}/submit/")
    assert response["Location"] == f"/quizzes/attempts/{attempt.pk}/result/"
    attempt.refresh_from_db()
    assert (attempt.state, attempt.correct_count, attempt.passed) == (AttemptState.SUBMITTED, 5, True)


def test_the_whole_paper_posted_at_hand_in_is_saved_without_scripts(county, client, exam):
    client.force_login(county.finance_member_user)
    attempt = start(client, exam)
    data = {}
    for item in attempt.items.select_related("version"):
        data.update(right_shown(item))
    client.post(f"/quizzes/attempts/{attempt.pk}/submit/", data)
    attempt.refresh_from_db()
    assert attempt.correct_count == 5


def test_review_policy_after_close_hides_the_key_until_the_quiz_closes(county, client, exam):
    client.force_login(county.finance_member_user)
    attempt = start(client, exam)
    client.post(f"/quizzes/attempts/{attempt.pk}/submit/")
    html = client.get(f"/quizzes/attempts/{attempt.pk}/result/").content.decode()
    assert "答案与解析将在测试结束后公布" in html and EXPLANATION not in html and "正确答案" not in html
    quiz_services.close(exam)
    html = client.get(f"/quizzes/attempts/{attempt.pk}/result/").content.decode()
    assert EXPLANATION in html and "正确答案：<b>遵义</b>" in html


@pytest.mark.parametrize(
    ("policy", "shown"), [(ReviewPolicy.AFTER_SUBMIT, True), (ReviewPolicy.NEVER, False)]
)
def test_review_policy_after_submit_and_never(county, client, policy, shown):
    quiz = paper(county.committee, [blank_question(county.committee)], review=policy)
    client.force_login(county.finance_member_user)
    attempt = start(client, quiz)
    client.post(f"/quizzes/attempts/{attempt.pk}/submit/")
    quiz_services.close(quiz)
    html = client.get(f"/quizzes/attempts/{attempt.pk}/result/").content.decode()
    assert (EXPLANATION in html) is shown


def test_a_late_answer_is_refused_with_the_chinese_message_and_the_paper_handed_in(county, client, exam):
    client.force_login(county.finance_member_user)
    attempt = start(client, exam)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - datetime.timedelta(seconds=700),
        deadline_at=timezone.now() - datetime.timedelta(seconds=100),
    )
    response = client.post(f"/quizzes/attempts/{attempt.pk}/answer/1/", {"q1": "0"}, HTTP_HX_REQUEST="true")
    assert "作答时间已到，系统已自动交卷" in response.content.decode()
    assert response["HX-Redirect"] == f"/quizzes/attempts/{attempt.pk}/result/"
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.EXPIRED
    # opening the paper again goes to the result
    assert client.get(f"/quizzes/attempts/{attempt.pk}/")["Location"].endswith("/result/")


def test_the_page_counts_down_from_the_servers_remaining_time(county, client, exam):
    client.force_login(county.finance_member_user)
    attempt = start(client, exam)
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() + datetime.timedelta(seconds=125))
    html = client.get(f"/quizzes/attempts/{attempt.pk}/").content.decode()
    assert 'data-remaining="12' in html and "quizzes/quiz.js" in html and "<script>" not in html


def test_a_member_outside_the_scope_cannot_open_or_start(county, client):
    quiz = paper(county.committee, bank(county.committee, 1), scope=county.education)
    client.force_login(county.finance_member_user)
    assert client.get(f"/quizzes/{quiz.pk}/").status_code == 404
    assert client.post(f"/quizzes/{quiz.pk}/start/").status_code == 404
    assert not Attempt.objects.exists()


def test_another_members_attempt_is_not_found(county, client, exam):
    theirs = attempt_services.start_attempt(exam, county.finance_members[1])
    client.force_login(county.finance_member_user)
    for url in ("/", "result/"):
        assert client.get(f"/quizzes/attempts/{theirs.pk}{url}").status_code == 404
    assert client.post(f"/quizzes/attempts/{theirs.pk}/answer/1/", {"q1": "0"}).status_code == 404
    assert client.post(f"/quizzes/attempts/{theirs.pk}/submit/").status_code == 404


def test_my_quizzes_lists_open_upcoming_and_done_in_few_queries(
    county, client, django_assert_max_num_queries
):
    questions = bank(county.committee, 2)
    done = paper(county.committee, questions, title="已完成的测试")
    attempt_services.submit(attempt_services.start_attempt(done, county.finance_members[0]))
    for n in range(8):
        paper(county.committee, questions, title=f"开放中的测试{n}")
    paper(
        county.committee, questions, title="下周的测试", opens_at=timezone.now() + datetime.timedelta(days=7)
    )
    paper(county.committee, questions, title="教育局的测试", scope=county.education)
    client.force_login(county.finance_member_user)
    client.get("/quizzes/mine/")
    with django_assert_max_num_queries(12):
        html = client.get("/quizzes/mine/").content.decode()
    assert "开放中的测试7" in html and "下周的测试" in html and "已完成的测试" in html
    assert "教育局的测试" not in html
    assert html.index("下周的测试") < html.index("已完成的测试")


def test_the_start_page_says_why_a_member_cannot_start(county, client):
    quiz = paper(county.committee, bank(county.committee, 1), max_attempts=1)
    attempt_services.submit(attempt_services.start_attempt(quiz, county.finance_members[0]))
    client.force_login(county.finance_member_user)
    html = client.get(f"/quizzes/{quiz.pk}/").content.decode()
    assert "本测试最多可作答1次，您已用完" in html and "开始答题" not in html
