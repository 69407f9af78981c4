"""Quiz routes (测试、每日一练、组织测试). A quiz is managed by the party workers of its owner organisation: the
education bureau's test is another subtree for the finance branch's secretary and member. An attempt belongs to
its member alone: an education member's attempt is foreign to everybody else."""

from __future__ import annotations

from tests.access_rules import Foreign, Own


def education_quiz(c):
    from partyedu.quizzes import bank_services, quiz_services
    from partyedu.quizzes.models import Quiz

    quiz = Quiz.objects.filter(owner=c.education, title="教育局党史测试").first()
    if quiz is None:
        question = bank_services.create_question(
            c.education,
            qtype="judge",
            stem="教育局题库：中国共产党成立于1921年。",
            answer={"value": True},
            publish=True,
        )
        quiz = quiz_services.create_quiz(c.education, by=None, title="教育局党史测试", scope=c.education)
        quiz_services.set_slots(quiz, [question.pk])
        quiz_services.publish(quiz)
    return {"pk": quiz.pk}


def education_attempt(c):
    from partyedu.quizzes import attempt_services
    from partyedu.quizzes.models import Attempt, Quiz

    quiz = Quiz.objects.get(pk=education_quiz(c)["pk"])
    attempt = Attempt.objects.filter(quiz=quiz).first() or attempt_services.start_attempt(
        quiz, c.education_members[0]
    )
    return {"pk": attempt.pk}


def education_attempt_item(c):
    return {**education_attempt(c), "position": 1}


OTHERS = ("教育局党史测试", "王五", "赵六")

ROUTES = {
    "quizzes:quiz_mine": Own(must_not_show=OTHERS),
    "quizzes:quiz_daily": Own(),
    "quizzes:quiz_daily_start": Own(methods=("post",)),
    "quizzes:quiz_intro": Foreign(education_quiz),
    "quizzes:quiz_start": Foreign(education_quiz, methods=("post",)),
    "quizzes:quiz_attempt": Foreign(education_attempt),
    "quizzes:quiz_answer": Foreign(education_attempt_item, methods=("post",), payload={"q1": "0"}),
    "quizzes:quiz_submit": Foreign(education_attempt, methods=("post",)),
    "quizzes:quiz_result": Foreign(education_attempt),
    "quizzes:quiz_list": Own(must_not_show=OTHERS),
    "quizzes:quiz_create": Own(),
    "quizzes:quiz_manage": Foreign(education_quiz),
    "quizzes:quiz_edit": Foreign(education_quiz, methods=("get", "post"), payload={"title": "被改名"}),
    "quizzes:quiz_questions": Foreign(education_quiz, methods=("get", "post"), payload={"question": "1"}),
    "quizzes:quiz_rules": Foreign(education_quiz, methods=("get", "post")),
    "quizzes:quiz_rule_count": Foreign(education_quiz),
    "quizzes:quiz_audience": Foreign(education_quiz, methods=("get", "post"), payload={"action": "clear"}),
    "quizzes:quiz_publish": Foreign(education_quiz, methods=("post",)),
    "quizzes:quiz_close": Foreign(education_quiz, methods=("post",)),
    "quizzes:quiz_results": Foreign(education_quiz),
    "quizzes:quiz_results_export": Foreign(education_quiz, methods=("post",)),
    "quizzes:quiz_participation": Foreign(education_quiz),
}
