"""Demo data: the red education sites of the fictional 青山县 and a year of bookings.

The seeder has already written a year of 现场教学 meetings (their place is one of the first five sites' names);
here each of them gets the booking it would have come from, and random branches add pending, declined and
cancelled requests around them. Everything is written with bulk_create: several hundred rows in under a second.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from partyedu.meetings.models import Meeting, MeetingStatus
from partyedu.orgs.models import Organization, OrganizationKind

from .models import BookingStatus, EducationSite, SiteBooking

# (name, address, events, heroes, spirit, artefacts, capacity, weekdays)
SITES = [
    (
        "县革命烈士纪念馆",
        "青山县城关镇英烈路 1 号",
        "1930 年青山农民暴动；1947 年青山阻击战",
        "周青山、林秀英等 312 位青山籍烈士",
        "不怕牺牲、敢于胜利的革命英雄主义",
        "烈士遗书 46 封、缴获的迫击炮、暴动旗帜",
        120,
        "1234567",
    ),
    (
        "红军长征纪念园",
        "青山县石门乡红军路",
        "1935 年红军长征途经青山，石门渡口强渡",
        "红军战士陈石生、船工李老汉",
        "长征精神：坚定信念、艰苦奋斗、依靠群众",
        "渡口木船、红军标语墙、行军锅",
        150,
        "1234567",
    ),
    (
        "县党史陈列馆",
        "青山县人民大道 88 号县档案馆一楼",
        "青山县第一个党支部成立（1927 年）至今的党史",
        "青山县首任县委书记王守正",
        "初心使命、自我革命",
        "早期党员入党志愿书、县委油印文件",
        80,
        "1234567",
    ),
    (
        "廉政教育基地",
        "青山县纪委监委院内",
        "新时代全面从严治党典型案例",
        "廉吏于成龙事迹专题、本县廉洁典型",
        "清正廉洁、敬畏法纪",
        "警示教育案例展板、忏悔录",
        60,
        "1234567",
    ),
    (
        "老区革命旧址群",
        "青山县桃源镇老街",
        "1938 年中共青山中心县委机关驻地",
        "交通员赵小梅、游击队长刘铁山",
        "老区精神：爱党信党、自力更生",
        "县委旧址、秘密交通站、地下印刷所",
        100,
        "1234567",
    ),
    (
        "青山游击队纪念亭",
        "青山县云岭山主峰",
        "1942 年云岭游击战",
        "游击队政委孙平",
        "坚持斗争、军民鱼水",
        "游击队营地遗址、石刻标语",
        40,
        "234567",
    ),
    (
        "焦裕禄精神学习基地",
        "青山县林场管理处",
        "六十年代青山人民治沙造林",
        "林场老场长杨大山",
        "亲民爱民、艰苦奋斗、科学求实、迎难而上、无私奉献",
        "治沙工具、造林日记",
        80,
        "234567",
    ),
    (
        "新时代文明实践中心",
        "青山县文化广场东侧",
        "新时代文明实践与志愿服务",
        "全国道德模范、本县志愿者代表",
        "为人民服务",
        "志愿服务成果展、党建阵地展板",
        100,
        "12345",
    ),
    (
        "乡村振兴示范村党群服务中心",
        "青山县桃源镇桃溪村",
        "桃溪村脱贫攻坚与乡村振兴",
        "驻村第一书记、致富带头人",
        "脱贫攻坚精神：上下同心、尽锐出战",
        "村史馆、产业发展沙盘",
        50,
        "1234567",
    ),
    (
        "青山县档案馆红色档案展",
        "青山县人民大道 88 号",
        "馆藏革命历史档案",
        "",
        "赓续红色血脉",
        "革命历史档案原件复制件 200 余件",
        60,
        "12345",
    ),
    (
        "县委党校党性教育馆",
        "青山县党校路 6 号",
        "党的光辉历程专题展",
        "历届优秀共产党员",
        "对党忠诚、为民务实",
        "入党誓词墙、党章历次修订本",
        120,
        "123456",
    ),
    (
        "抗洪抢险纪念馆",
        "青山县青江大堤",
        "1998 年青江抗洪抢险",
        "抗洪烈士与突击队员",
        "伟大抗洪精神：万众一心、众志成城",
        "抢险沙袋、救生衣、嘉奖令",
        80,
        "234567",
    ),
]


def _local(dt: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(dt)


@transaction.atomic
def seed_sites(seed: int, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    rng = random.Random(seed * 41 + 7)
    hosts = list(
        Organization.objects.filter(
            kind=OrganizationKind.PARTY_COMMITTEE, dissolved_on__isnull=True
        ).order_by("pk")
    )
    if not hosts:
        return 0
    sites = EducationSite.objects.bulk_create(
        EducationSite(
            name=name,
            address=address,
            history_events=events,
            heroes=heroes,
            spirit=spirit,
            artefacts=artefacts,
            capacity=capacity,
            open_weekdays=weekdays,
            opens_at=datetime.time(9),
            closes_at=datetime.time(17),
            host=rng.choice(hosts),
        )
        for name, address, events, heroes, spirit, artefacts, capacity, weekdays in SITES
    )
    by_name = {s.name: s for s in sites}
    since = today - datetime.timedelta(days=365)
    taken: dict[tuple[int, datetime.date], int] = defaultdict(int)
    rows: list[SiteBooking] = []

    def fits(site, day, people) -> bool:
        # the whole day counted as one slot: conservative, and the data never exceeds a capacity
        if taken[site.pk, day] + people > site.capacity or str(day.isoweekday()) not in site.open_weekdays:
            return False
        taken[site.pk, day] += people
        return True

    visits = Meeting.objects.filter(kind="site_visit", held_on__gte=since, place__in=list(by_name)).exclude(
        status=MeetingStatus.CANCELLED
    )
    for m in visits.only(
        "pk", "organization_id", "held_on", "starts_at", "ends_at", "place", "expected_count"
    ):
        site = by_name[m.place]
        start, end = _local(m.starts_at).time(), _local(m.ends_at).time()
        if start < site.opens_at or end > site.closes_at or end <= start:
            start, end = datetime.time(9), datetime.time(12)
        people = max(m.expected_count, 1)
        if not fits(site, m.held_on, people):
            continue
        rows.append(
            SiteBooking(
                site=site,
                organization_id=m.organization_id,
                date=m.held_on,
                starts_at=start,
                ends_at=end,
                people=people,
                contact_name="支部联系人",
                contact_phone=f"1390000{rng.randrange(10000):04d}",
                purpose=f"开展现场教学：{m.place}",
                status=BookingStatus.COMPLETED,
                meeting_id=m.pk,
            )
        )

    branches = list(
        Organization.objects.filter(kind=OrganizationKind.BRANCH, dissolved_on__isnull=True).values_list(
            "pk", flat=True
        )
    )
    # Around the visits that happened: requests still ahead, and the declined and cancelled ones of the year.
    target = len(rows) + 120
    tries = 0
    while branches and len(rows) < target and tries < 1000:
        tries += 1
        site = rng.choice(sites)
        day = today + datetime.timedelta(
            days=rng.randint(-365, 60) if rng.random() < 0.5 else rng.randint(1, 60)
        )
        people = rng.randint(8, 40)
        if not fits(site, day, people):
            continue
        morning = rng.random() < 0.6
        r = rng.random()
        if day >= today:
            status = BookingStatus.PENDING if r < 0.5 else BookingStatus.CONFIRMED
        elif r < 0.4:
            status = BookingStatus.DECLINED
        elif r < 0.8:
            status = BookingStatus.CANCELLED
        else:
            status = BookingStatus.CONFIRMED  # visited, the record not generated yet
        rows.append(
            SiteBooking(
                site=site,
                organization_id=rng.choice(branches),
                date=day,
                starts_at=datetime.time(9 if morning else 14),
                ends_at=datetime.time(11 if morning else 16, 30),
                people=people,
                contact_name="支部联系人",
                contact_phone=f"1390000{rng.randrange(10000):04d}",
                purpose="党性教育现场教学",
                status=status,
                decline_reason="当日已安排接待上级调研，请改约其他日期"
                if status == BookingStatus.DECLINED
                else "",
            )
        )
    SiteBooking.objects.bulk_create(rows, batch_size=500)
    return len(rows)
