"""Knowledge competition routes. A competition belongs to its organiser (here the education bureau's 党委): only
its workers manage and host it, only members of its subtree play it; the phone's endpoints also need the player
to have joined (a per-session entry written into his login session when he joins; an answer carries the seat his
play page gave him)."""

from __future__ import annotations

from tests.access_rules import Foreign, Own


def education_competition(c, mode="live"):
    from partyedu.competitions import services
    from partyedu.competitions.models import Competition
    from partyedu.quizzes import bank_services

    found = Competition.objects.filter(quiz__owner=c.education, mode=mode).first()
    if found is not None:
        return found
    question = bank_services.create_question(
        c.education,
        qtype="judge",
        stem=f"教育局{mode}竞赛题：遵义会议是党的历史上生死攸关的转折点。",
        answer={"value": True},
        publish=True,
    )
    return services.create_competition(
        owner=c.education, title="教育局党史知识竞赛", mode=mode, questions=[question], by=c.education_admin
    )


def other_competition(c):
    return {"pk": education_competition(c, "async").pk}


def other_live_competition(c):
    return {"pk": education_competition(c, "live").pk}


def education_session(c):
    from partyedu.competitions import services
    from partyedu.competitions.models import LiveSession

    competition = education_competition(c, "live")
    session = LiveSession.objects.filter(competition=competition).first()
    return session or services.create_session(competition, host=c.education_admin)


def other_session(c):
    return {"pk": education_session(c).pk}


def other_session_action(c):
    return {"pk": education_session(c).pk, "action": "next"}


def other_join_code(c):
    return {"code": education_session(c).join_code}


ROUTES = {
    "competitions:list": Own(),
    "competitions:create": Own(methods=("get",)),
    "competitions:ping": Own(),
    "competitions:join": Own(methods=("get",)),
    "competitions:join_code": Foreign(other_join_code, methods=("get", "post")),
    "competitions:detail": Foreign(other_competition),
    "competitions:close": Foreign(other_competition, methods=("post",)),
    "competitions:take": Foreign(other_competition, methods=("get", "post")),
    "competitions:session_create": Foreign(other_live_competition, methods=("post",)),
    "competitions:host": Foreign(other_session),
    "competitions:host_action": Foreign(other_session_action, methods=("post",)),
    "competitions:screen": Foreign(other_session),
    "competitions:screen_state": Foreign(other_session),
    "competitions:results": Foreign(other_session),
    "competitions:play": Foreign(other_session),
    "competitions:state": Foreign(other_session, own_credential=True),
    "competitions:answer": Foreign(
        other_session, methods=("post",), payload={"round": 1, "value": "true"}, own_credential=True
    ),
}
