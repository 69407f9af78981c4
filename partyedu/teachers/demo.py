"""Demo data: the 师资库 of the fictional county — 百优名师 and 百佳课堂 — and a year of lecture requests.

Internal teachers are the county's leading cadres (and the demo party worker “dangwu”, so that his login shows
the 待处理 inbox); external ones are lecturers of the party schools, the party history office, a university
and the courts. The seeder has already written a year of 党课 meetings per branch: about 120 of them become
accepted requests linked to that meeting (their times and place), never two overlapping for one teacher, and
the members present at them rate them. Around those: declined and cancelled requests of the past year and
pending ones ahead. Everything is bulk-written here — the only place that writes these rows without the
services — and the figures (ratings, times taught) are computed exactly as services.refresh_stats does.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from partyedu.accounts.models import User
from partyedu.meetings.models import Attendance, AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from partyedu.members.models import Member

from .models import (
    Course,
    CourseFormat,
    LectureRating,
    LectureRequest,
    PreferredPeriod,
    RequestStatus,
    Teacher,
    TeacherKind,
    TeachingArea,
    pack_areas,
)

A = TeachingArea
COURSES = {
    A.POLITICS: [
        "习近平新时代中国特色社会主义思想的世界观和方法论",
        "学习贯彻党的二十届全会精神",
        "坚定“四个自信”做到“两个维护”",
        "马克思主义中国化时代化的新飞跃",
        "以学铸魂、以学增智、以学正风、以学促干",
    ],
    A.ECONOMY: [
        "因地制宜发展新质生产力",
        "县域经济高质量发展的路径",
        "优化营商环境与机关作风建设",
        "乡村振兴战略与县域产业发展",
        "数字经济与政府治理",
    ],
    A.SOCIETY: [
        "新时代“枫桥经验”与基层治理",
        "信访工作法治化",
        "网格化管理与为民服务",
        "突发事件应急管理",
        "做好新时代群众工作",
    ],
    A.SCIENCE: [
        "人工智能发展与领导干部科学素养",
        "科技创新驱动县域发展",
        "网络安全与保密常识",
        "生态文明建设与“双碳”目标",
    ],
    A.MODELS: [
        "身边的榜样：扎根基层三十年",
        "抗洪一线的共产党员",
        "第一书记的驻村故事",
        "平凡岗位上的先锋模范",
    ],
    A.PARTY_HISTORY: [
        "从党史中汲取奋进力量",
        "弘扬伟大建党精神",
        "青山县革命斗争史",
        "党的自我革命与全面从严治党",
        "新时代党支部标准化规范化建设",
        "“三会一课”怎么开",
    ],
    A.RULE_OF_LAW: [
        "学习《中国共产党纪律处分条例》",
        "民法典与机关工作",
        "以案促改：警示教育专题",
        "依法行政与法治政府建设",
    ],
    A.CULTURE: [
        "中华优秀传统文化与党性修养",
        "红色家书里的初心",
        "读经典、悟思想",
        "文化自信与文明实践",
    ],
}
EXTERNAL_UNITS = [
    ("中共青山县委党校", ["教授", "副教授", "讲师", "高级讲师"], [A.POLITICS, A.PARTY_HISTORY, A.ECONOMY]),
    ("中共青州市委党校", ["教授", "副教授"], [A.POLITICS, A.ECONOMY, A.SOCIETY]),
    ("县委党史研究室", ["主任", "副主任", "研究员"], [A.PARTY_HISTORY, A.CULTURE]),
    ("青州学院马克思主义学院", ["教授", "副教授", "讲师"], [A.POLITICS, A.SCIENCE, A.CULTURE]),
    ("县人民法院", ["审判员", "副院长"], [A.RULE_OF_LAW]),
    ("县纪委监委", ["宣传部长", "审查调查室主任"], [A.RULE_OF_LAW, A.PARTY_HISTORY]),
    ("县科学技术协会", ["副主席"], [A.SCIENCE]),
    ("全国优秀共产党员、桃溪村党支部", ["书记"], [A.MODELS]),
    ("省级劳动模范、县供电公司", ["班长"], [A.MODELS, A.SCIENCE]),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = [
    "建国",
    "立新",
    "晓东",
    "海燕",
    "文华",
    "志强",
    "丽萍",
    "永红",
    "卫东",
    "春梅",
    "国栋",
    "秀英",
    "明",
    "静",
    "伟",
    "军",
]
COMMENTS = [
    "结合实际，很有启发",
    "讲得生动，案例丰富",
    "理论联系实际，受益匪浅",
    "内容扎实，条理清楚",
    "希望多安排这样的党课",
    "时间稍长，互动可以再多些",
    "",
    "",
    "",
]
DECLINE_REASONS = ["当月在市委党校脱产学习", "该时段已有下乡调研安排", "课程正在修订，暂不接受预约"]


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _stars(rng: random.Random, quality: float) -> int:
    return max(1, min(5, round(rng.gauss(quality, 0.7))))


@transaction.atomic
def seed_teachers(seed: int, today: datetime.date | None = None) -> int:
    """Teachers, courses, a year of requests and their ratings; returns the number of requests (0 when the pool
    already has teachers: the demo never seeds twice)."""
    if Teacher.objects.exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed * 53 + 11)
    now = timezone.now()

    # --- teachers ------------------------------------------------------------------------------------------
    teachers: list[Teacher] = []
    leaders = list(
        Member.objects.current()
        .filter(is_leader=True)
        .order_by("pk")
        .values_list("pk", "name", "unit_name", "post")
    )
    dangwu = User.objects.filter(username="dangwu", member__isnull=False).select_related("member").first()
    internal = rng.sample(leaders, min(14, len(leaders)))
    if dangwu is not None and dangwu.member_id not in {m[0] for m in internal}:
        m = dangwu.member
        internal.insert(0, (m.pk, m.name, m.unit_name, m.post or "党务工作者"))
    areas_all = list(TeachingArea)
    for pk, name, unit, post in internal:
        areas = rng.sample(areas_all, rng.randint(1, 2))
        teachers.append(
            Teacher(
                name=name,
                kind=TeacherKind.INTERNAL,
                member_id=pk,
                unit=unit or "",
                title=post or "",
                areas=pack_areas(areas),
                bio=f"{unit or '县直机关'}{post or ''}，长期从事{'、'.join(a.label for a in areas)}方面的工作，多次为县直机关党员讲授专题党课。",
                contact=f"139{rng.randrange(10**8):08d}",
                user=dangwu if dangwu is not None and pk == dangwu.member_id else None,
            )
        )
    used_names = {t.name for t in teachers}
    while len(teachers) < 40:
        unit, titles, unit_areas = rng.choice(EXTERNAL_UNITS)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name in used_names:
            continue
        used_names.add(name)
        areas = rng.sample(unit_areas, rng.randint(1, min(2, len(unit_areas))))
        teachers.append(
            Teacher(
                name=name,
                kind=TeacherKind.EXTERNAL,
                unit=unit,
                title=rng.choice(titles),
                areas=pack_areas(areas),
                bio=f"{unit}{'、'.join(a.label for a in areas)}方向授课教师，入选“百优名师”。",
                contact=f"0539-{rng.randrange(10**7):07d}",
                status="retired" if rng.random() < 0.05 else "active",
            )
        )
    Teacher.objects.bulk_create(teachers)

    # --- courses -------------------------------------------------------------------------------------------
    courses: list[Course] = []
    quality: dict[int, float] = {}
    for t in teachers:
        codes = t.area_codes
        for k in range(rng.choice((2, 3, 3, 3))):
            area = codes[k % len(codes)]
            title = rng.choice(COURSES[area])
            if any(c.teacher is t and c.title == title for c in courses):
                continue
            courses.append(
                Course(
                    teacher=t,
                    title=title,
                    area=area,
                    summary=f"围绕“{title}”，结合县直机关工作实际讲授，配合案例研讨。",
                    minutes=rng.choice((45, 60, 90, 90, 120)),
                    format=rng.choice(
                        [CourseFormat.LECTURE] * 4
                        + [CourseFormat.SEMINAR, CourseFormat.ON_SITE, CourseFormat.MICRO]
                    ),
                    status="closed" if rng.random() < 0.05 else "open",
                )
            )
    Course.objects.bulk_create(courses)
    for c in courses:
        quality[c.pk] = rng.uniform(3.2, 4.9)
    bookable = [c for c in courses if c.status == "open" and c.teacher.status == "active"]
    if not bookable:
        return 0

    # --- a year of 党课 become accepted requests -------------------------------------------------------------
    since = today - datetime.timedelta(days=365)
    lectures = list(
        Meeting.objects.filter(
            kind=MeetingKind.PARTY_LECTURE, status=MeetingStatus.HELD, held_on__gte=since, held_on__lt=today
        )
        .order_by("pk")
        .values_list("pk", "organization_id", "starts_at", "ends_at", "held_on", "place", "expected_count")
    )
    rng.shuffle(lectures)
    # The demo member's branch first: his 党课 are linked, and he leaves them unrated, so that his
    # “我的党课评价” page has lectures waiting.
    dangyuan = (
        User.objects.filter(username="dangyuan").values_list("member_id", "member__organization_id").first()
    )
    if dangyuan:
        lectures.sort(key=lambda row: row[1] != dangyuan[1])
    busy: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] = defaultdict(list)

    def free(teacher_pk, start, end) -> bool:
        return all(not (s < end and e > start) for s, e in busy[teacher_pk])

    requests: list[LectureRequest] = []
    created: list[datetime.datetime] = []
    for pk, org_id, start, end, day, place, expected in lectures:
        if len(requests) >= 120:
            break
        for _ in range(5):
            course = rng.choice(bookable)
            if free(course.teacher.pk, start, end):
                break
        else:
            continue
        busy[course.teacher.pk].append((start, end))
        asked = day - datetime.timedelta(days=rng.randint(10, 30))
        requests.append(
            LectureRequest(
                course=course,
                teacher=course.teacher,
                organization_id=org_id,
                preferred_from=max(asked + datetime.timedelta(days=3), day - datetime.timedelta(days=7)),
                preferred_to=day + datetime.timedelta(days=7),
                preferred_period=PreferredPeriod.AFTERNOON
                if timezone.localtime(start).hour >= 12
                else PreferredPeriod.ANY,
                audience=max(expected, 1),
                status=RequestStatus.ACCEPTED,
                scheduled_start=start,
                scheduled_end=end,
                place=place or "支部会议室",
                meeting_id=pk,
                decided_at=_aware(asked + datetime.timedelta(days=2), 10),
            )
        )
        created.append(_aware(asked, 9, 30))

    # --- around them: declined and cancelled requests, and pending ones ahead --------------------------------
    orgs = list({org for _, org, *_ in lectures}) or []
    orgs.sort()
    for i in range(30 if orgs else 0):
        course = rng.choice(bookable)
        if i < 10:  # ahead, waiting for an answer (some of them to the demo teacher's own courses)
            own = [c for c in bookable if c.teacher.user_id]
            if own and i < 4:
                course = rng.choice(own)
            first = today + datetime.timedelta(days=rng.randint(5, 40))
            status = RequestStatus.PENDING
            asked = today - datetime.timedelta(days=rng.randint(0, 6))
        else:
            first = today - datetime.timedelta(days=rng.randint(20, 330))
            status = RequestStatus.DECLINED if i < 20 else RequestStatus.CANCELLED
            asked = first - datetime.timedelta(days=rng.randint(7, 20))
        requests.append(
            LectureRequest(
                course=course,
                teacher=course.teacher,
                organization_id=rng.choice(orgs),
                preferred_from=first,
                preferred_to=first + datetime.timedelta(days=rng.choice((0, 7, 14))),
                preferred_period=rng.choice(PreferredPeriod.values),
                audience=rng.randint(12, 60),
                note=rng.choice(["", "希望结合本单位业务实际", "请提前准备课件"]),
                status=status,
                decline_reason=rng.choice(DECLINE_REASONS) if status == RequestStatus.DECLINED else "",
                decided_at=_aware(asked + datetime.timedelta(days=1), 10)
                if status == RequestStatus.DECLINED
                else None,
            )
        )
        created.append(_aware(asked, 9, 30))
    for r, at in zip(requests, created, strict=True):
        r.created_at = at
    LectureRequest.objects.bulk_create(requests, batch_size=500)

    # --- ratings from the members present ---------------------------------------------------------------------
    by_meeting = {r.meeting_id: r for r in requests if r.meeting_id}
    ratings: list[LectureRating] = []
    for meeting_id, member_id in (
        Attendance.objects.filter(meeting_id__in=list(by_meeting), status=AttendanceStatus.PRESENT)
        .order_by("meeting_id", "member_id")
        .values_list("meeting_id", "member_id")
    ):
        if rng.random() < 0.45 and not (dangyuan and member_id == dangyuan[0]):
            r = by_meeting[meeting_id]
            ratings.append(
                LectureRating(
                    created_at=min(r.scheduled_end + datetime.timedelta(hours=rng.randint(1, 72)), now),
                    request=r,
                    member_id=member_id,
                    stars=_stars(rng, quality[r.course.pk]),
                    comment=rng.choice(COMMENTS),
                )
            )
    LectureRating.objects.bulk_create(ratings, batch_size=1000)

    # --- the figures services.refresh_stats keeps -------------------------------------------------------------
    figures: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in requests:
        if r.status == RequestStatus.ACCEPTED:
            figures["c", r.course.pk][2] += 1
            figures["t", r.teacher.pk][2] += 1
    for x in ratings:
        for key in (("c", x.request.course.pk), ("t", x.request.teacher.pk)):
            figures[key][0] += 1
            figures[key][1] += x.stars
    for prefix, objs in (("c", courses), ("t", teachers)):
        for obj in objs:
            obj.rating_count, obj.rating_total, obj.taught_count = figures.get((prefix, obj.pk), (0, 0, 0))
    Course.objects.bulk_update(courses, ["rating_count", "rating_total", "taught_count"], batch_size=500)
    Teacher.objects.bulk_update(teachers, ["rating_count", "rating_total", "taught_count"], batch_size=500)
    return len(requests)
