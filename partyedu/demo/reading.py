"""The demo county's 读书会: the biggest agency's 党委 runs one for its offices, a theme a month, co-hosted in
turn by its branches (seed 004: a 市委办公室系统's reading club), with the months already past planned, approved, held and their shared texts collected — all
through the reading-club services, as a party worker would have entered them."""

from __future__ import annotations

import datetime
import random

from django.db.models import Count
from django.utils import timezone

from partyedu.accounts.models import User
from partyedu.meetings import services as meeting_services
from partyedu.members.models import Member
from partyedu.orgs.models import Organization, OrganizationKind
from partyedu.readingclub import services

THEMES = [
    "学思想：读《习近平新时代中国特色社会主义思想学习纲要》",
    "学党史：重温中国共产党一百年大事记",
    "学雷锋：新时代的雷锋精神",
    "学条例：《中国共产党纪律处分条例》",
    "读经典：《共产党宣言》",
    "青年说：五四精神与机关青年的担当",
    "庆七一：党史故事会",
    "强作风：机关作风建设与为民服务",
    "读地方史：本县革命斗争史",
    "颂祖国：新中国史专题",
    "学全会：全会精神学习交流",
    "谈体会：一年读书心得分享",
]
SHARED = [
    (
        "读后感：在学习中坚定理想信念",
        "通过本期学习，我深刻体会到理想信念是共产党人的精神之钙。结合本职工作，我将把学习成果转化为服务群众的实际行动。",
    ),
    (
        "从一件小事说起",
        "上月在窗口接待群众时，一位老同志反映的问题让我思考：机关干部如何真正做到把群众的事当作自己的事。",
    ),
    ("学史明理 学史力行", "重读党的历史，让我对“为什么能”有了更深的认识。今后要在岗位上多办实事、少说空话。"),
]


def seed_reading_club(seed: int, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    rng = random.Random(seed * 31 + 5)
    committee = (
        Organization.objects.filter(kind=OrganizationKind.PARTY_COMMITTEE, dissolved_on__isnull=True)
        .annotate(n=Count("children"))
        .order_by("-n", "pk")
        .first()
    )
    admin = User.objects.filter(username="admin").first()
    if committee is None:
        return 0
    rotation = services.rotation(committee, today.year)
    plan = services.create_plan(
        organization=committee,
        year=today.year,
        title=f"{today.year}年度机关“读书会”计划",
        months=[{"theme": theme, "cohost": org} for theme, org in zip(THEMES, rotation, strict=True)],
        by=admin,
    )
    services.publish_plan(plan, by=admin)
    held = 0
    for month in plan.months.order_by("month"):
        day = datetime.date(today.year, month.month, 20)
        if day >= today:
            break
        services.submit_activity_plan(
            month,
            f"一、活动时间：{month.month}月20日下午\n二、活动主题：{month.theme}\n三、活动安排：理论学习、专题辅导、心得分享、领导讲话四个板块。",
            by=admin,
        )
        services.approve_activity_plan(month, by=admin)
        starts = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 15, 0))
        meeting = services.create_session_meeting(
            month,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place=f"{committee.unit_name}会议室",
            held=True,
            by=admin,
        )
        expected = list(meeting.attendances.values_list("member_id", flat=True))
        came = [m for m in Member.objects.filter(pk__in=expected).order_by("pk") if rng.random() < 0.9]
        meeting_services.sign_in_many(meeting, came, method="qr", at=starts - datetime.timedelta(minutes=5))
        services.add_section(
            month, kind="theory", title=month.theme, speaker_name=f"{committee.unit_name}机关党委", by=admin
        )
        services.add_section(month, kind="lecture", title="专题辅导", speaker_name="县委党校教师", by=admin)
        services.add_section(
            month, kind="leader_speech", title="讲话", speaker_name=f"{committee.unit_name}党委书记", by=admin
        )
        authors = came[:3]
        for (title, body), author in zip(SHARED, authors, strict=False):
            services.submit_text(month, title=title, body=body, author_name=author.name, by=admin)
        held += 1
    return held
