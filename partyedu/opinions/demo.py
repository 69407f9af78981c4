"""Demo 意见建议: a year of suggestions collected by the county's organisations at 座谈会, on 走访, by letter,
online and through 意见箱 QR codes, in every state (waiting, assigned, replied on time or late, closed, overdue).
Bulk writes, deterministic from `seed`."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from partyedu.members.models import Member
from partyedu.orgs.models import Organization, OrganizationKind, subtree_q

from .models import Channel, Opinion, OpinionBox, OpinionStatus, new_receipt_code, new_token

SUGGESTIONS = [
    (
        "建议办事大厅增设老年人绿色通道，安排专人帮助老人填表、取号。",
        "已在大厅一楼设置绿色通道，每天安排一名党员志愿者值守引导。",
    ),
    (
        "小区门口路灯坏了半个月，晚上出行很不方便，希望尽快维修。",
        "已联系供电所和物业，路灯已于次日修复，并对小区照明进行了全面排查。",
    ),
    (
        "希望单位周边增加非机动车停放点，现在电动车乱停影响通行。",
        "已协调城管部门在单位东侧划设非机动车停放区，设置标识。",
    ),
    (
        "建议政务服务网上办理流程再简化一些，有的事项要重复上传材料。",
        "已将意见反馈至县政务服务中心，相关事项已实现材料共享、一次上传。",
    ),
    ("社区健身器材有损坏，存在安全隐患。", "已报请社区更换损坏器材，并在更换前设置警示标识。"),
    (
        "希望节假日期间延长便民服务窗口的服务时间。",
        "经研究，节假日期间便民窗口实行轮班制，服务时间延长至下午六点。",
    ),
    (
        "学校门口上下学时段交通拥堵，建议安排人员疏导。",
        "已协调交警部门和学校，在上下学高峰时段安排交警和志愿者疏导。",
    ),
    (
        "建议在村里多开展一些农业技术培训，讲讲果树管理。",
        "已联系县农业农村局，本月将在村党群服务中心举办果树管理培训班。",
    ),
    ("老旧小区楼道堆放杂物较多，存在消防隐患。", "已组织党员志愿者和物业开展楼道清理，并张贴消防安全提示。"),
    ("希望公布办事咨询电话，有时打不通。", "已在单位网站和公示栏公布咨询电话和值班安排，并增设一条热线。"),
    (
        "医保报销材料不清楚要准备哪些，希望有个一次性告知单。",
        "已制作医保报销一次性告知单，在窗口和网站公开。",
    ),
    ("建议多组织一些关爱独居老人的活动。", "已将关爱独居老人纳入本单位志愿服务月度计划，每月走访一次。"),
    ("公交站台没有遮雨棚，雨天候车不方便。", "已将意见转交县交通运输局，相关站台已列入今年改造计划。"),
    ("反映小区附近夜间施工噪音扰民。", "已联系住建部门核查，施工单位已调整作业时间，夜间停止高噪音作业。"),
    ("建议在社区开设周末四点半课堂，方便双职工家庭。", "已与社区协商，由党员志愿者在周末开设四点半课堂。"),
]
NAMES = ["刘大爷", "王阿姨", "李师傅", "张女士", "陈先生", "赵大姐", "", "", "", "孙老师", "周先生"]
CHANNELS = [
    Channel.FORUM,
    Channel.VISIT,
    Channel.VISIT,
    Channel.LETTER,
    Channel.ONLINE,
    Channel.QR,
    Channel.QR,
    Channel.PHONE,
]


def seed_opinions(seed: int = 1, today: datetime.date | None = None) -> int:
    if Opinion.objects.exists() or OpinionBox.objects.exists():
        return 0
    root = Organization.objects.filter(parent__isnull=True).order_by("order", "pk").first()
    if root is None:
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed)
    orgs = list(
        Organization.objects.filter(subtree_q(root.path), dissolved_on__isnull=True)
        .exclude(kind__in=[OrganizationKind.GROUP, OrganizationKind.WORKING_COMMITTEE])
        .order_by("path")
    )
    if not orgs:
        return 0
    units = [o for o in orgs if o.parent_id == root.pk] or orgs
    boxes = OpinionBox.objects.bulk_create([OpinionBox(organization=o, token=new_token()) for o in units])
    members_by_org: dict[int, list[int]] = {}
    for pk, org_id in (
        Member.objects.filter(left_on__isnull=True).values_list("pk", "organization_id").order_by("pk")
    ):
        members_by_org.setdefault(org_id, []).append(pk)
    path_of = {o.pk: o.path for o in orgs}

    opinions = []
    codes = set()
    count = max(40, len(units) * 8)
    for _ in range(count):
        org = rng.choice(units if rng.random() < 0.6 else orgs)
        content, answer = rng.choice(SUGGESTIONS)
        received = today - datetime.timedelta(days=rng.randrange(0, 365))
        channel = rng.choice(CHANNELS)
        name = rng.choice(NAMES)
        op = Opinion(
            organization=org,
            channel=channel,
            content=content,
            giver_name=name,
            giver_contact=f"13{rng.randrange(100000000, 999999999)}" if name and rng.random() < 0.7 else "",
            received_on=received,
            created_at=timezone.make_aware(datetime.datetime.combine(received, datetime.time(9))),
        )
        code = new_receipt_code()
        while code in codes:
            code = new_receipt_code()
        codes.add(code)
        op.receipt_code = code
        age = (today - received).days
        fate = rng.random()
        if age > 3 or fate < 0.5:
            # assigned to the organisation itself or one of its branches, with a member now and then
            branches = [o for o in orgs if path_of[o.pk].startswith(org.path)]
            assignee = rng.choice(branches)
            op.assignee_org = assignee
            candidates = members_by_org.get(assignee.pk, [])
            if candidates and rng.random() < 0.5:
                op.assignee_member_id = rng.choice(candidates)
            op.due_on = received + datetime.timedelta(days=rng.choice([7, 10, 15, 15, 30]))
            op.assigned_at = timezone.make_aware(datetime.datetime.combine(received, datetime.time(15)))
            op.status = OpinionStatus.ASSIGNED
            # most get a reply; a few late, a few not yet (some of those past the due date)
            if age > 2 and fate < 0.85:
                delay = rng.choice([1, 2, 3, 5, 6, 8, 12, 20, 35])
                replied = received + datetime.timedelta(days=min(delay, age))
                op.reply = answer
                op.replied_at = timezone.make_aware(datetime.datetime.combine(replied, datetime.time(16, 30)))
                op.status = OpinionStatus.REPLIED
                if (today - replied).days > 10 and rng.random() < 0.7:
                    op.status = OpinionStatus.CLOSED
                    op.closed_at = op.replied_at + datetime.timedelta(days=7)
                    op.close_note = rng.choice(["已回访，群众满意", "已回访", ""])
        opinions.append(op)
    Opinion.objects.bulk_create(opinions, batch_size=1000)
    return len(boxes) + len(opinions)
