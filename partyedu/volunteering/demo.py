"""Demo 志愿服务 and 双报到: the county's communities, registrations of most organisations and members (some
missing), a year of monthly themed activities of the committee's 志愿服务总队 and of the units, with records
(many by applicants, activists, candidates and probationary members), some self-reported services.

Bulk writes, deterministic from `seed`. Points: this step runs before the points step of the demo, which credits
every confirmed record in bulk under the volunteer-hour rule with the key the confirmation uses."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from partyedu.accounts.models import User
from partyedu.members.models import Member, MemberStatus
from partyedu.orgs.models import Organization, OrganizationKind, subtree_q

from .models import (
    CheckInKind,
    Community,
    CommunityCheckIn,
    RecordStatus,
    Theme,
    VolunteerActivity,
    VolunteerRecord,
)

STREETS = {
    "城关街道": ["幸福社区", "和平社区", "文昌社区", "府前社区", "新华社区"],
    "东城街道": ["光明社区", "东关社区", "振兴社区", "滨河社区"],
    "西城街道": ["西关社区", "育才社区", "花园社区", "人民路社区"],
    "南湖街道": ["南湖社区", "湖滨社区", "青年路社区"],
    "北山街道": ["北山社区", "石桥社区", "凤凰社区"],
}
CONTACTS = ["王主任", "李书记", "张主任", "刘书记", "陈主任", "赵书记", "孙主任", "周书记"]

# 每月突出一个主题 (seed 002): month → theme, activity titles and places
MONTH_THEMES = {
    1: Theme.POVERTY,
    2: Theme.ELDERLY,
    3: Theme.THEORY,  # 学雷锋月
    4: Theme.CLEAN,
    5: Theme.DISABLED,
    6: Theme.THEORY,
    7: Theme.CLEAN,
    8: Theme.ELDERLY,
    9: Theme.POVERTY,
    10: Theme.ELDERLY,  # 重阳节
    11: Theme.CLEAN,
    12: Theme.DISABLED,
}
TITLES = {
    Theme.THEORY: [
        (
            "党的创新理论进社区宣讲",
            "{c}党群服务中心",
            "围绕党的二十大精神，用群众听得懂的语言开展微宣讲，发放宣传资料。",
        ),
        (
            "“学雷锋”理论宣讲志愿服务",
            "{c}新时代文明实践站",
            "讲述雷锋故事，宣讲惠民政策，解答群众关心的问题。",
        ),
        ("民法典宣传进小区", "{c}文化广场", "设立咨询台，讲解婚姻家庭、邻里关系等常见法律问题。"),
    ],
    Theme.CLEAN: [
        ("清洁家园·背街小巷环境整治", "{c}背街小巷", "清理楼道杂物、小广告和卫生死角，劝导文明停车。"),
        ("“双报到”党员清洁楼院行动", "{c}老旧小区", "与社区网格员一起清扫楼院，整理绿化带，分类投放垃圾。"),
        ("护河清漂志愿服务", "县城沂河滨河公园", "沿河捡拾垃圾、清理漂浮物，宣传河道保护知识。"),
    ],
    Theme.POVERTY: [
        ("扶贫济困·结对帮扶走访", "{t}镇结对村", "走访结对困难户，了解生产生活困难，送去米面油等慰问品。"),
        ("爱心助学捐书活动", "{t}镇中心小学", "为留守儿童捐赠图书文具，开展课业辅导和安全教育。"),
        ("助农直播带货志愿服务", "{t}镇农产品展销中心", "协助农户拍摄、上架农产品，帮助拓宽销路。"),
    ],
    Theme.ELDERLY: [
        ("敬老救孤·敬老院慰问", "县社会福利中心", "为老人打扫房间、理发、读报，陪老人聊天拉家常。"),
        ("重阳节关爱空巢老人", "{c}居家养老服务站", "为空巢老人测血压、包饺子，检查家中用电用气安全。"),
        ("关爱留守儿童陪伴活动", "{t}镇儿童之家", "陪伴留守儿童做手工、读绘本，开展心理疏导。"),
    ],
    Theme.DISABLED: [
        ("恤病助残·残疾人家庭走访", "{c}残疾人之家", "上门走访残疾人家庭，帮助办理补贴申领，送去康复用品。"),
        ("无偿献血志愿服务", "县中心血站流动采血车", "组织党员干部无偿献血，做好现场秩序维护和宣传引导。"),
        ("助残日爱心义诊", "{c}卫生服务站", "配合医护人员开展义诊，为行动不便者提供上门服务。"),
    ],
}
SELF_REPORTS = [
    ("参加社区疫苗接种点秩序维护", Theme.OTHER, "在接种点引导群众排队、扫码登记。"),
    ("为小区独居老人代购生活用品", Theme.ELDERLY, "每周两次为独居老人代购米面蔬菜。"),
    ("参与社区防汛值守", Theme.OTHER, "汛期夜间巡查小区低洼地段，协助转移物资。"),
    ("文明交通劝导志愿服务", Theme.OTHER, "在学校门口路口劝导行人和电动车文明出行。"),
    ("图书馆周末志愿讲解", Theme.THEORY, "为来馆读者讲解党史图片展。"),
]
REJECT_REASONS = ["实际未到场", "活动当天请假未参加", "与本人另一条记录重复"]
CULTIVATED = {
    MemberStatus.APPLICANT,
    MemberStatus.ACTIVIST,
    MemberStatus.CANDIDATE,
    MemberStatus.PROBATIONARY,
}


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _saturday_of(year: int, month: int, nth: int) -> datetime.date:
    day = datetime.date(year, month, 1)
    day += datetime.timedelta(days=(5 - day.weekday()) % 7)
    return day + datetime.timedelta(days=7 * nth)


def seed_volunteering(seed: int = 1, today: datetime.date | None = None) -> int:
    if Community.objects.exists() or VolunteerActivity.objects.exists():
        return 0
    root = Organization.objects.filter(parent__isnull=True).order_by("order", "pk").first()
    if root is None:
        return 0
    # "now" follows `today` when one is given, so that the same seed and day give the same demo
    now = timezone.now() if today is None else _aware(today, 12)
    today = today or timezone.localdate()
    rng = random.Random(seed)
    written = 0

    communities = Community.objects.bulk_create(
        [
            Community(
                name=name,
                street=street,
                contact_name=rng.choice(CONTACTS),
                contact_phone=f"0539-{rng.randrange(6000000, 6999999)}",
            )
            for street, names in STREETS.items()
            for name in names
        ]
    )
    written += len(communities)

    orgs = list(
        Organization.objects.filter(subtree_q(root.path), dissolved_on__isnull=True)
        .exclude(kind=OrganizationKind.GROUP)
        .order_by("path")
    )
    members = list(
        Member.objects.filter(left_on__isnull=True)
        .only("pk", "organization_id", "status", "name")
        .order_by("pk")
    )
    demo_member_ids = set(User.objects.filter(member__isnull=False).values_list("member_id", flat=True))

    # 双报到: most organisations and most members; a few of each missing, so the lists have something to show.
    checkins = []
    for org in orgs:
        if org.kind == OrganizationKind.WORKING_COMMITTEE or rng.random() < 0.12:
            continue
        checkins.append(
            CommunityCheckIn(
                kind=CheckInKind.ORGANIZATION,
                organization=org,
                community=rng.choice(communities),
                registered_on=today - datetime.timedelta(days=rng.randrange(60, 700)),
            )
        )
    for m in members:
        if m.pk not in demo_member_ids and rng.random() < 0.18:
            continue
        checkins.append(
            CommunityCheckIn(
                kind=CheckInKind.MEMBER,
                organization_id=m.organization_id,
                member_id=m.pk,
                community=rng.choice(communities),
                registered_on=today - datetime.timedelta(days=rng.randrange(10, 700)),
            )
        )
    CommunityCheckIn.objects.bulk_create(checkins, batch_size=2000)
    written += len(checkins)

    # Activities: the committee's 志愿服务总队 every month for the whole county, and each unit now and then.
    units = [o for o in orgs if o.parent_id == root.pk]
    towns = ["城关", "东岭", "南河", "北山", "石门", "青龙"]
    plans = []  # (activity, organiser subtree path)
    first = (today.replace(day=1) - datetime.timedelta(days=330)).replace(day=1)
    month = first
    while month <= (today.replace(day=1) + datetime.timedelta(days=40)):
        theme = MONTH_THEMES[month.month]
        organisers = [root] + rng.sample(units, k=min(len(units), max(1, len(units) // 4)))
        for n, organizer in enumerate(organisers):
            title, place, text = rng.choice(TITLES[theme])
            community = rng.choice(communities)
            day = _saturday_of(month.year, month.month, n % 4)
            hour = rng.choice([8, 9, 14, 15])
            length = rng.choice([2, 3, 3, 4])
            activity = VolunteerActivity(
                title=(f"志愿服务总队{month.month}月主题活动：{title}" if organizer is root else title),
                theme=theme,
                organizer=organizer,
                open_to=organizer,
                place=place.format(c=community.name, t=rng.choice(towns)),
                community=community if "{c}" in place else None,
                starts_at=_aware(day, hour),
                ends_at=_aware(day, hour + length),
                capacity=rng.choice([None, 30, 40, 60]) if organizer is root else rng.choice([None, 15, 20]),
                description=text,
            )
            plans.append(activity)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    VolunteerActivity.objects.bulk_create(plans)
    written += len(plans)

    by_path: dict[str, list[Member]] = {}
    org_path = {o.pk: o.path for o in Organization.objects.only("pk", "path")}
    for m in members:
        by_path.setdefault(org_path[m.organization_id], []).append(m)
    records: list[VolunteerRecord] = []
    seen: set[tuple[int, int]] = set()
    for activity in plans:
        path = activity.organizer.path
        pool = [m for p, ms in by_path.items() if p.startswith(path) for m in ms]
        if not pool:
            continue
        # the 志愿服务队: applicants, activists, candidates and probationary members come far more often
        weights = [6 if m.status in CULTIVATED else 1 for m in pool]
        want = activity.capacity or (35 if activity.organizer_id == root.pk else 12)
        want = min(want - rng.randrange(0, 5), len(pool))
        chosen = {m.pk: m for m in rng.choices(pool, weights=weights, k=want * 2)}
        hours = Decimal((activity.ends_at - activity.starts_at).seconds // 1800) / 2
        for m in list(chosen.values())[:want]:
            if (activity.pk, m.pk) in seen:
                continue
            seen.add((activity.pk, m.pk))
            past = activity.ends_at < now
            status, reason = RecordStatus.PENDING, ""
            if past and (now - activity.ends_at).days > 7:
                status = RecordStatus.CONFIRMED if rng.random() > 0.06 else RecordStatus.REJECTED
            elif past and rng.random() < 0.5:
                status = RecordStatus.CONFIRMED
            if status == RecordStatus.REJECTED:
                reason = rng.choice(REJECT_REASONS)
            records.append(
                VolunteerRecord(
                    member_id=m.pk,
                    organization_id=m.organization_id,
                    activity=activity,
                    title=activity.title,
                    theme=activity.theme,
                    served_on=timezone.localdate(activity.starts_at),
                    hours=hours if rng.random() > 0.15 else max(hours - 1, Decimal("1")),
                    status=status,
                    reject_reason=reason,
                    reviewed_at=activity.ends_at + datetime.timedelta(days=1)
                    if status != RecordStatus.PENDING
                    else None,
                )
            )
    # the demo accounts' people took part a few times, so that their phone pages have something to show
    for m in members:
        if m.pk not in demo_member_ids:
            continue
        path = org_path[m.organization_id]
        open_past = [
            a
            for a in plans
            if path.startswith(a.organizer.path) and a.ends_at < now - datetime.timedelta(days=8)
        ]
        for activity in rng.sample(open_past, k=min(4, len(open_past))):
            if (activity.pk, m.pk) in seen:
                continue
            seen.add((activity.pk, m.pk))
            records.append(
                VolunteerRecord(
                    member_id=m.pk,
                    organization_id=m.organization_id,
                    activity=activity,
                    title=activity.title,
                    theme=activity.theme,
                    served_on=timezone.localdate(activity.starts_at),
                    hours=Decimal((activity.ends_at - activity.starts_at).seconds // 1800) / 2,
                    status=RecordStatus.CONFIRMED,
                    reviewed_at=activity.ends_at + datetime.timedelta(days=1),
                )
            )
    # self-reported services, some waiting for the branch
    for m in rng.sample(members, k=min(len(members), max(10, len(members) // 40))):
        title, theme, text = rng.choice(SELF_REPORTS)
        served = today - datetime.timedelta(days=rng.randrange(1, 300))
        status = RecordStatus.CONFIRMED if (today - served).days > 20 else RecordStatus.PENDING
        records.append(
            VolunteerRecord(
                member_id=m.pk,
                organization_id=m.organization_id,
                title=title,
                theme=theme,
                served_on=served,
                hours=Decimal(rng.choice([1, 2, 2, 3, 4])),
                description=text,
                status=status,
            )
        )
    VolunteerRecord.objects.bulk_create(records, batch_size=2000)
    written += len(records)

    return written
