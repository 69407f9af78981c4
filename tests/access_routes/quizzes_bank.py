"""Question bank routes. A bank belongs to an organisation: the education unit's bank (and its imports, quizzes)
is another unit's for the finance branch's secretary (404) and no bank is for a plain member (403)."""

from __future__ import annotations

from tests.access_rules import Foreign, Own

OTHER_QUESTION = "教育局本单位题库专用题"


def education_question(c):
    from partyedu.quizzes import bank_services
    from partyedu.quizzes.models import Question

    q = Question.objects.filter(owner=c.education).first()
    if q is None:
        q = bank_services.create_question(
            c.education,
            qtype="judge",
            stem=OTHER_QUESTION,
            answer={"value": True},
            publish=True,
        )
    return {"pk": q.pk}


def education_import(c):
    from partyedu.quizzes.models import QuestionImport

    imp = QuestionImport.objects.create(
        uploaded_by=c.education_admin,
        owner=c.education,
        original_name="教育局题库.xlsx",
        status="validated",
        total_rows=1,
        valid_rows=1,
        report=[
            {
                "row": 2,
                "stem": "题",
                "errors": [],
                "warnings": [],
                "duplicate": False,
                "data": {
                    "qtype": "judge",
                    "stem": "题",
                    "options": [],
                    "answer": {"value": True},
                    "explanation": "",
                    "difficulty": 2,
                    "source": "",
                    "topics": [],
                },
            }
        ],
    )
    return {"pk": imp.pk}


def education_quiz(c):
    from partyedu.quizzes.models import Quiz

    quiz = Quiz.objects.filter(owner=c.education, title="教育局党史测试").first()
    if quiz is None:
        quiz = Quiz.objects.create(owner=c.education, title="教育局党史测试", status="published")
    return {"pk": quiz.pk}


ROUTES = {
    "quizzes:bank": Own(must_not_show=(OTHER_QUESTION,)),
    "quizzes:bank_export": Own(methods=("post",)),
    "quizzes:question_create": Own(methods=("get",)),
    "quizzes:question": Foreign(education_question),
    "quizzes:question_edit": Foreign(
        education_question,
        methods=("get", "post"),
        payload={"qtype": "judge", "stem": "被改", "answer_text": "错"},
    ),
    "quizzes:question_history": Foreign(education_question),
    "quizzes:question_status": Foreign(education_question, methods=("post",), payload={"status": "retired"}),
    "quizzes:import": Own(),
    "quizzes:import_template": Own(),
    "quizzes:import_report": Foreign(education_import),
    "quizzes:import_errors": Foreign(education_import),
    "quizzes:import_commit": Foreign(education_import, methods=("post",)),
    "quizzes:import_discard": Foreign(education_import, methods=("post",)),
    "quizzes:quiz_stats": Foreign(education_quiz),
    "quizzes:my_weak_topics": Own(),
    "quizzes:org_mastery": Own(must_not_show=("县教育局",)),
}
