"""A class whose final test is an online exam: the member's handed-in attempt decides his mark there, a pass
stays a pass, and 结业 follows."""

from partyedu.quizzes import attempt_services, bank_services
from partyedu.quizzes.models import Quiz, QuizKind, QuizSlot, QuizStatus
from partyedu.training import models as training
from partyedu.training import services

from .conftest import add_sessions, make_class


def exam(county):
    quiz = Quiz.objects.create(
        owner=county.committee,
        title="轮训结业考试",
        kind=QuizKind.EXAM,
        status=QuizStatus.PUBLISHED,
        max_attempts=3,
        pass_percent=60,
    )
    q = bank_services.create_question(
        county.committee,
        qtype="judge",
        stem="党员每年参加集中学习培训累计不少于32学时。",
        answer={"value": True},
        publish=True,
    )
    QuizSlot.objects.create(quiz=quiz, question=q, position=1)
    return quiz


def sit(quiz, member, right: bool):
    attempt = attempt_services.start_attempt(quiz, member)
    attempt_services.answer(attempt, 1, {"value": right})
    return attempt_services.submit(attempt)


def test_the_online_exam_decides_the_final_test_and_completion(county):
    quiz = exam(county)
    cls = make_class(county, final_test_mode="quiz", final_quiz=quiz)
    services.enrol_by_criteria(cls, by=county.committee_admin)
    sessions = add_sessions(cls, 2)
    zhang, li = county.finance_members[0], county.finance_members[1]
    for s in sessions:
        services.mark_all_present(s, by=county.committee_admin)
    sit(quiz, zhang, right=True)
    sit(quiz, li, right=False)
    sit(quiz, zhang, right=False)  # a later failure does not undo his pass
    e_zhang = cls.enrolments.get(member=zhang)
    e_li = cls.enrolments.get(member=li)
    assert (e_zhang.test_result, e_zhang.score) == (training.TestResult.PASSED, 100)
    assert e_li.test_result == training.TestResult.FAILED
    services.complete_class(cls, by=county.committee_admin)
    e_zhang.refresh_from_db()
    e_li.refresh_from_db()
    assert e_zhang.status == training.EnrolmentStatus.COMPLETED and e_zhang.certificate_code
    assert e_li.status == training.EnrolmentStatus.NOT_COMPLETED
