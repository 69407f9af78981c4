"""Builders shared by the quiz tests: questions in a bank, papers, a daily test."""

from __future__ import annotations

from partyedu.quizzes import bank_services, quiz_services
from partyedu.quizzes.models import Quiz, QuizKind, QuizStatus

ANSWER_TEXT = "南湖红船上的唯一正确答案"


def single(
    owner, stem="中国共产党成立于哪一年？", *, difficulty=2, topics=(), explanation="1921年7月召开一大。"
):
    return bank_services.create_question(
        owner,
        qtype="single",
        stem=stem,
        options=["1919年", ANSWER_TEXT if "唯一" in stem else "1921年", "1927年", "1949年"],
        answer={"choice": 1},
        difficulty=difficulty,
        topics=topics,
        explanation=explanation,
        publish=True,
    )


def bank(owner, n=10, **kw):
    return [single(owner, f"第{i}题：党的历史知识", **kw) for i in range(n)]


def paper(owner, questions, *, publish=True, by=None, **settings):
    settings.setdefault("title", "2026年党史知识测试")
    quiz = quiz_services.create_quiz(owner, by=by, **settings)
    quiz_services.set_slots(quiz, [q.pk for q in questions])
    if publish:
        quiz_services.publish(quiz)
        quiz.refresh_from_db()
    return quiz


def daily_quiz(owner, per_day=3, **settings):
    quiz = quiz_services.create_quiz(
        owner, by=None, title="每日一练", kind=QuizKind.DAILY, questions_per_day=per_day, **settings
    )
    quiz_services.publish(quiz)
    quiz.refresh_from_db()
    assert quiz.status == QuizStatus.PUBLISHED
    return quiz


__all__ = ["Quiz", "bank", "daily_quiz", "paper", "single"]
