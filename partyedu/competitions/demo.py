"""Demo data: two competitions of the demo county.

- “学党史、强信念”党史知识竞赛: an asynchronous competition open for two weeks last month, finished, with a few
  hundred members' attempts (individual and unit rankings);
- 党史知识竞赛决赛（现场赛）: a live final with a finished session of forty players from several branches.

Questions come from the quiz bank of the working committee (a dozen demo questions written here are added when the
bank has fewer than ten). Attempts, answers and players are written in bulk: the quiz engine's services would take
a query per answer, and a demo of finished competitions needs only their results.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from partyedu.accounts.models import RoleAssignment
from partyedu.members.models import Member
from partyedu.orgs.models import Organization, OrganizationKind
from partyedu.quizzes import attempt_services, bank_services
from partyedu.quizzes.models import Attempt, AttemptItem, AttemptState, Quiz

from . import live, services
from .models import (
    BoardVisibility,
    Competition,
    CompetitionMode,
    LiveAnswer,
    LivePlayer,
    LiveRound,
    LiveSession,
    SessionState,
    TeamMode,
)

# (stem, options, answer index, explanation) — written for the demo
DEMO_QUESTIONS = [
    (
        "中国共产党第一次全国代表大会于哪一年召开？",
        ["1919年", "1921年", "1927年", "1935年"],
        1,
        "中共一大于1921年7月召开。",
    ),
    (
        "中共一大最后一天的会议转移到了哪里举行？",
        ["上海石库门", "嘉兴南湖红船", "北京大学", "广州农讲所"],
        1,
        "会议最后转移到浙江嘉兴南湖的游船上举行。",
    ),
    (
        "标志着中国共产党独立领导武装斗争开始的是？",
        ["秋收起义", "南昌起义", "广州起义", "百色起义"],
        1,
        "1927年8月1日南昌起义打响了武装反抗国民党反动派的第一枪。",
    ),
    (
        "党的历史上生死攸关的转折点是？",
        ["古田会议", "遵义会议", "洛川会议", "瓦窑堡会议"],
        1,
        "1935年1月遵义会议是党的历史上一个生死攸关的转折点。",
    ),
    (
        "确立“思想建党、政治建军”原则的会议是？",
        ["八七会议", "古田会议", "遵义会议", "六届六中全会"],
        1,
        "1929年12月古田会议确立了思想建党、政治建军原则。",
    ),
    (
        "毛泽东思想被确立为党的指导思想是在党的第几次全国代表大会？",
        ["六大", "七大", "八大", "九大"],
        1,
        "1945年党的七大把毛泽东思想确立为党的指导思想。",
    ),
    (
        "“两个务必”是在哪次会议上提出的？",
        ["七届二中全会", "八届十中全会", "十一届三中全会", "遵义会议"],
        0,
        "1949年3月七届二中全会提出“两个务必”。",
    ),
    (
        "实现党和国家工作中心战略转移的会议是？",
        ["十一届三中全会", "十二大", "十三大", "十四大"],
        0,
        "1978年十一届三中全会实现了工作中心的战略转移。",
    ),
    (
        "中国共产党的根本宗旨是？",
        ["全心全意为人民服务", "实现共产主义", "发展生产力", "依法治国"],
        0,
        "全心全意为人民服务是党的根本宗旨。",
    ),
    (
        "党的最高理想和最终目标是？",
        ["实现共产主义", "全面建成小康社会", "实现现代化", "祖国统一"],
        0,
        "党章规定党的最高理想和最终目标是实现共产主义。",
    ),
    (
        "党员的党龄从什么时候算起？",
        ["递交入党申请书之日", "预备期满转为正式党员之日", "确定为积极分子之日", "支部大会通过之日"],
        1,
        "党员的党龄从预备期满转为正式党员之日算起。",
    ),
    ("预备党员的预备期为几年？", ["半年", "一年", "两年", "三年"], 1, "预备党员的预备期为一年。"),
]


def _bank(root: Organization, admin) -> list:
    pool = list(
        attempt_services.usable_questions(Quiz(owner=root))
        .filter(current__qtype__in=["single", "judge"])
        .select_related("current")[:40]
    )
    if len(pool) >= 10:
        return pool
    for stem, options, choice, explanation in DEMO_QUESTIONS:
        pool.append(
            bank_services.create_question(
                root,
                qtype="single",
                stem=stem,
                options=options,
                answer={"choice": choice},
                explanation=explanation,
                difficulty=2,
                source="演示题库",
                publish=True,
                by=admin,
            )
        )
    for q in pool:
        q.refresh_from_db()
    return pool


def _right_response(version, rng: random.Random, right: bool) -> dict:
    if version.qtype == "judge":
        value = bool(version.answer["value"])
        return {"value": value if right else not value}
    key = version.answer["choice"]
    if right:
        return {"choice": key}
    return {"choice": rng.choice([i for i in range(len(version.options)) if i != key])}


@transaction.atomic
def seed_competitions(seed: int, today: datetime.date | None = None) -> int:
    """Two competitions (an asynchronous one, a live final); 0 when competitions exist: never twice."""
    if Competition.objects.exists():
        return 0
    rng = random.Random(seed * 7919 + 5)
    today = today or timezone.localdate()
    root = Organization.objects.filter(parent__isnull=True, kind=OrganizationKind.WORKING_COMMITTEE).first()
    if root is None:
        return 0
    admin_role = (
        RoleAssignment.objects.filter(organization=root, role="committee_admin", revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    admin = admin_role.user if admin_role else None
    bank = _bank(root, admin)
    tz = timezone.get_current_timezone()
    members = list(Member.objects.filter(left_on__isnull=True).select_related("organization").order_by("pk"))
    written = 0

    # --- the asynchronous competition, finished last month ---------------------------------------------------
    opens = datetime.datetime.combine(today - datetime.timedelta(days=40), datetime.time(8), tz)
    closes = opens + datetime.timedelta(days=14, hours=10)
    paper = rng.sample(bank, min(10, len(bank)))
    competition = services.create_competition(
        owner=root,
        title="“学党史、强信念”党史知识竞赛",
        mode=CompetitionMode.ASYNC,
        questions=paper,
        team_mode=TeamMode.UNIT,
        board_visibility=BoardVisibility.TOP,
        top_n=20,
        time_limit_seconds=20 * 60,
        opens_at=opens,
        closes_at=closes,
        description="以赛促学：全县机关党员线上答题，个人成绩与单位参赛率、平均分同时公布。",
        by=admin,
        now=opens - datetime.timedelta(days=1),  # published before it opened, as it was
    )
    quiz = competition.quiz
    players = rng.sample(members, min(len(members), 600))
    attempts = []
    plans = []
    for member in players:
        skill = rng.random()
        started = opens + datetime.timedelta(seconds=rng.randrange(14 * 86400))
        duration = rng.randrange(90, 1100)
        rights = [rng.random() < 0.45 + 0.5 * skill for _ in paper]
        score = Decimal(sum(rights))
        attempts.append(
            Attempt(
                quiz=quiz,
                member=member,
                number=1,
                state=AttemptState.SUBMITTED,
                seed=rng.randrange(2**40),
                started_at=started,
                deadline_at=started + datetime.timedelta(minutes=20),
                submitted_at=started + datetime.timedelta(seconds=duration),
                score=score,
                max_score=Decimal(len(paper)),
                correct_count=sum(rights),
                passed=score * 100 >= len(paper) * quiz.pass_percent,
                duration_seconds=duration,
            )
        )
        plans.append(rights)
    Attempt.objects.bulk_create(attempts, batch_size=500)
    items = []
    for attempt, rights in zip(attempts, plans, strict=True):
        order = list(range(len(paper)))
        rng.shuffle(order)
        for position, index in enumerate(order, start=1):
            question = paper[index]
            version = question.current
            items.append(
                AttemptItem(
                    attempt=attempt,
                    position=position,
                    version=version,
                    question=question,
                    member=attempt.member,
                    points=1,
                    option_order=list(range(len(version.options))),
                    response=_right_response(version, rng, rights[index]),
                    answered_at=attempt.started_at + datetime.timedelta(seconds=position * 20),
                    correct=rights[index],
                    score=1 if rights[index] else 0,
                )
            )
    AttemptItem.objects.bulk_create(items, batch_size=2000)
    services.close_competition(competition, now=closes)  # the quiz engine closes it; the placings earn points
    written += 1 + len(attempts) + len(items)

    # --- the live final, held last week ------------------------------------------------------------------------
    final = services.create_competition(
        owner=root,
        title="党史知识竞赛决赛（现场赛）",
        mode=CompetitionMode.LIVE,
        questions=rng.sample(bank, min(8, len(bank))),
        team_mode=TeamMode.BRANCH,
        board_visibility=BoardVisibility.FULL,
        top_n=10,
        seconds_per_question=20,
        description="线上赛各单位前列选手参加的现场决赛，大屏实时公布答题分布和排行榜。",
        by=admin,
    )
    if admin is None:
        return written + 1
    started = datetime.datetime.combine(today - datetime.timedelta(days=7), datetime.time(15), tz)
    session = services.create_session(final, host=admin)
    rounds = list(LiveRound.objects.filter(session=session).select_related("version").order_by("number"))
    finalists = sorted(attempts, key=lambda a: (-a.score, a.duration_seconds))[:40]
    lp = LivePlayer.objects.bulk_create(
        [
            LivePlayer(
                session=session,
                member=a.member,
                name=a.member.name,
                team=a.member.organization,
                joined_at=started - datetime.timedelta(minutes=10),
            )
            for a in finalists
        ]
    )
    answers = []
    totals = {p.pk: [0, 0, 0] for p in lp}
    for r in rounds:
        r.opened_at = started + datetime.timedelta(minutes=2 * (r.number - 1))
        r.closes_at = r.opened_at + datetime.timedelta(seconds=20)
        for player in lp:
            if rng.random() < 0.05:
                continue  # did not answer in time
            right = rng.random() < 0.75
            now = r.opened_at + datetime.timedelta(milliseconds=rng.randrange(1500, 19000))
            points, ms = live.score(right, r.opened_at.timestamp(), r.closes_at.timestamp(), now.timestamp())
            answers.append(
                LiveAnswer(
                    round=r,
                    player=player,
                    response=_right_response(r.version, rng, right),
                    correct=right,
                    points=points,
                    elapsed_ms=ms,
                    created_at=now,
                )
            )
            totals[player.pk][0] += points
            totals[player.pk][1] += ms if right else 0
            totals[player.pk][2] += int(right)
    LiveRound.objects.bulk_update(rounds, ["opened_at", "closes_at"])
    LiveAnswer.objects.bulk_create(answers, batch_size=1000)
    for player in lp:
        player.total, player.total_ms, player.correct_count = totals[player.pk]
    LivePlayer.objects.bulk_update(lp, ["total", "total_ms", "correct_count"])
    LiveSession.objects.filter(pk=session.pk).update(
        state=SessionState.FINISHED,
        current=len(rounds),
        started_at=started,
        finished_at=started + datetime.timedelta(minutes=2 * len(rounds)),
    )
    finished = started + datetime.timedelta(minutes=2 * len(rounds))
    services.award_placings(final, services.live_placings(session.pk, final.top_n), now=finished)
    services.close_competition(final, now=finished)
    return written + 2 + len(lp) + len(answers)
