"""Demo 我为群众办实事 and 微心愿 for the county seeded before: a few hundred service items over the past year
across the branches, in every state, with progress timelines and the feedback of the people served (mostly
satisfied, some not; some done items not rated yet, some items overdue); about a hundred wishes in every state.

Rows are written in bulk; only the points of finished work go through points.services.award, so the ledger and
its totals stay one story."""

from __future__ import annotations

import datetime
import hashlib
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from partyedu.members.models import Member
from partyedu.orgs.models import Organization, OrganizationKind
from partyedu.points import services as points
from partyedu.points.models import EventKind

from .models import (
    Category,
    Feedback,
    FeedbackToken,
    ItemStatus,
    ListKind,
    ProgressNote,
    Satisfaction,
    ServiceItem,
    Wish,
    WishCategory,
    WishStatus,
)

# title, category, beneficiaries, count range, plan, progress steps, result
ITEMS = [
    (
        "为行动不便老人上门办理养老资格认证",
        Category.PUBLIC_SERVICE,
        "辖区行动不便的退休老人",
        (20, 80),
        "摸清需上门认证老人底数，组建党员服务小分队，按片区分批上门，建立季度回访机制。",
        [
            "走访社区摸底，登记需上门认证老人名单",
            "党员服务小分队分三组完成第一批上门认证",
            "对未联系上的老人逐一电话回访",
        ],
        "全部登记老人完成养老资格认证，建立“季度上门、随叫随到”服务台账。",
    ),
    (
        "帮助小微企业申报增值税留抵退税",
        Category.ENTERPRISE,
        "辖区小微企业",
        (10, 60),
        "梳理符合条件企业清单，党员业务骨干一对一辅导申报，开通绿色通道限时办结。",
        ["梳理符合政策条件企业名单并逐户告知", "举办政策解读会，现场答疑", "一对一辅导企业完成申报"],
        "辅导企业完成留抵退税申报，平均办理时间缩短至3个工作日。",
    ),
    (
        "老旧小区加装电梯协调推进",
        Category.LIVELIHOOD,
        "老旧小区高层住户",
        (30, 200),
        "召开居民协商会，协调规划、住建等部门，逐栋推进意见征集和审批。",
        ["召开楼栋居民协商会，收集意见", "协调规划部门完成方案审查", "第一部电梯开工建设"],
        "完成加装电梯方案审批并开工，建立加装电梯居民议事机制。",
    ),
    (
        "“政策进万家”宣讲服务",
        Category.PUBLIC_SERVICE,
        "社区居民、村民",
        (100, 600),
        "组建党员政策宣讲队，结合主题党日进社区、进村组开展惠民政策宣讲。",
        ["制定宣讲计划，确定宣讲重点", "走进联系社区开展首场宣讲", "在村组开展集中宣讲和入户讲解"],
        "完成宣讲12场，发放政策明白卡1000余份，现场解答群众咨询。",
    ),
    (
        "窗口服务“延时办”“预约办”",
        Category.PUBLIC_SERVICE,
        "前来办事的群众和企业",
        (200, 2000),
        "窗口实行午间不断档、周末预约办，党员带头轮值，公开服务电话。",
        ["制定延时服务排班表并公示", "开通预约电话和线上预约", "收集群众意见，优化排班"],
        "延时、预约服务常态化运行，群众办事等候时间明显缩短。",
    ),
    (
        "困难家庭学生结对助学",
        Category.LIVELIHOOD,
        "困难家庭中小学生",
        (5, 30),
        "党员与困难学生一对一结对，定期走访，帮助解决学习生活困难。",
        ["与学校对接，确定结对学生名单", "党员逐一上门走访结对家庭", "为结对学生送去学习用品"],
        "完成全部结对，每学期走访不少于两次，结对关系长期保持。",
    ),
    (
        "背街小巷路灯修复",
        Category.LIVELIHOOD,
        "背街小巷沿线居民",
        (50, 300),
        "联合社区排查损坏路灯，协调产权单位限期修复。",
        ["组织党员夜间排查路灯损坏情况", "协调产权单位制定修复计划", "完成第一批路灯修复"],
        "修复路灯，居民夜间出行更安全，建立路灯巡查报修机制。",
    ),
    (
        "网格化矛盾纠纷排查化解",
        Category.GOVERNANCE,
        "联系社区居民",
        (50, 500),
        "党员下沉网格，定期排查邻里、物业等矛盾纠纷，建立台账逐件化解。",
        ["党员下沉网格，建立联系户台账", "排查矛盾纠纷并登记", "会同社区调解物业纠纷"],
        "排查化解矛盾纠纷，形成“网格发现、党员跟进、社区调解”工作闭环。",
    ),
    (
        "“双报到”党员进社区志愿服务",
        Category.VOLUNTEER,
        "报到社区居民",
        (50, 400),
        "在职党员到居住地社区报到，认领志愿服务岗位，每月至少参加一次活动。",
        ["组织党员到社区报到并认领岗位", "开展环境卫生整治志愿活动", "参与社区文明创建志愿服务"],
        "党员全部完成社区报到，志愿服务每月开展，服务时长记入台账。",
    ),
    (
        "农产品产销对接助农增收",
        Category.ENTERPRISE,
        "联系村种植户",
        (20, 120),
        "发挥行业优势，帮助联系村对接商超、食堂，拓宽农产品销路。",
        ["走访种植户了解滞销情况", "联系机关食堂和商超签订采购意向", "组织开展消费帮扶活动"],
        "帮助联系村销售农产品，建立稳定的产销对接渠道。",
    ),
    (
        "群众反映强烈的办事堵点整治",
        Category.GOVERNANCE,
        "办事群众",
        (100, 1000),
        "梳理群众反映集中的办事堵点，逐项明确责任人和整改时限。",
        ["开展问卷调查，梳理办事堵点", "逐项制定整改措施，明确时限", "整改完成后回访群众"],
        "办事堵点整改到位，精简申报材料，推行“一次告知、一窗受理”。",
    ),
    (
        "安全生产隐患排查进企业",
        Category.ENTERPRISE,
        "辖区企业职工",
        (50, 500),
        "党员干部带队进企业开展安全隐患排查，帮助企业建立整改台账。",
        ["制定排查方案，分组包保企业", "深入企业开展隐患排查", "督促企业完成隐患整改"],
        "排查企业安全隐患并全部整改销号，帮助企业完善安全管理制度。",
    ),
    (
        "关爱留守儿童“四点半课堂”",
        Category.VOLUNTEER,
        "留守儿童",
        (15, 60),
        "在联系村开设“四点半课堂”，党员志愿者轮流辅导作业、开展课外活动。",
        ["选定场地并配备桌椅图书", "招募党员志愿者排班", "课堂正式开课"],
        "“四点半课堂”每周开课，成为留守儿童放学后的固定去处。",
    ),
    (
        "独居老人紧急呼叫设备安装",
        Category.LIVELIHOOD,
        "独居、空巢老人",
        (10, 50),
        "为独居老人免费安装紧急呼叫设备，与社区网格员和家属联动。",
        ["摸排独居老人底数", "采购并调试呼叫设备", "上门安装并教会老人使用"],
        "为独居老人安装紧急呼叫设备，建立家属、网格员、党员三方联系机制。",
    ),
]
UNSATISFIED_COMMENTS = [
    "进度太慢，希望抓紧",
    "宣传不到位，很多人不知道",
    "只来了一次，后面没人管",
    "解决得不彻底",
]
GOOD_COMMENTS = [
    "服务很贴心，感谢党员同志",
    "办事效率高，点赞",
    "解决了我们的大难题",
    "上门服务，省了很多事",
    "态度好，讲得清楚",
    "",
    "",
    "",
]
CANCEL_REASONS = ["已纳入县级统一项目实施", "群众需求已由社区解决", "经论证暂不具备实施条件"]

WISHES = [
    ("想要一套初中数学辅导书", WishCategory.STUDY, "孩子上初二，数学成绩跟不上，希望有一套辅导书。", 120),
    (
        "希望有人帮忙修理漏水的屋顶",
        WishCategory.SERVICE,
        "老房子下雨漏水，子女在外地，自己年纪大上不去。",
        300,
    ),
    ("想要一台助听器", WishCategory.ELDERLY, "耳朵背了好几年，听不清别人说话。", 800),
    ("希望孩子能有一个书桌", WishCategory.CHILDREN, "家里地方小，孩子一直趴在床上写作业。", 260),
    ("想要一辆轮椅", WishCategory.ELDERLY, "老伴腿脚不便，想推他出门晒晒太阳。", 500),
    ("希望有人陪老人过个生日", WishCategory.ELDERLY, "老人独居，子女在外打工，八十岁生日想热闹一下。", 200),
    ("想要一个新书包和文具", WishCategory.CHILDREN, "开学要上三年级了，书包已经破了。", 150),
    ("希望学会用智能手机", WishCategory.SERVICE, "想学会用手机视频通话，和外地的孙子说说话。", 0),
    ("想要一床厚棉被", WishCategory.MATERIAL, "冬天屋里冷，被子太薄。", 200),
    ("希望有人辅导孩子英语", WishCategory.STUDY, "孩子英语基础差，家长辅导不了。", 0),
    ("想要一台电暖器", WishCategory.MATERIAL, "独居老人，冬天取暖困难。", 350),
    ("希望帮忙更换老化电线", WishCategory.SERVICE, "家里电线老化，担心安全。", 400),
    ("想要几本童话故事书", WishCategory.CHILDREN, "孩子喜欢看书，家里没有课外书。", 100),
    ("希望有人帮忙打扫卫生", WishCategory.ELDERLY, "老两口身体不好，家里很久没有大扫除。", 0),
    ("想要一套过冬的棉衣", WishCategory.MATERIAL, "孩子长高了，去年的棉衣穿不下。", 260),
]
FULFIL_NOTES = [
    "按心愿把东西送到家中，群众十分感谢。",
    "上门帮助完成了心愿，并约定以后定期看望。",
    "和支部同事一起上门，心愿已经实现。",
    "心愿已实现，留下了联系方式，有困难随时联系。",
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
)
GIVEN = [
    "桂兰",
    "秀英",
    "建国",
    "玉珍",
    "德福",
    "凤英",
    "国强",
    "淑芬",
    "小宇",
    "子涵",
    "志刚",
    "春梅",
    "明轩",
    "婉清",
]
COMMUNITIES = [
    "城关镇幸福社区",
    "城关镇和平社区",
    "东城街道向阳社区",
    "西城街道南门社区",
    "北关街道民主社区",
    "新华街道桥东社区",
    "青山镇石桥村",
    "河口镇柳树湾村",
    "白水乡中心村",
    "红旗镇新建村",
]


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _day(start: datetime.date, end: datetime.date, rng: random.Random) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def seed_practice(seed: int = 1, today: datetime.date | None = None) -> int:
    if ServiceItem.objects.exists() or Wish.objects.exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed)
    branches = list(
        Organization.objects.filter(kind=OrganizationKind.BRANCH, dissolved_on__isnull=True).order_by("path")
    )
    if not branches:
        return 0
    people: dict[int, list[int]] = {}
    for pk, org_id in (
        Member.objects.filter(left_on__isnull=True, status__in=("full", "probationary"))
        .order_by("pk")
        .values_list("pk", "organization_id")
    ):
        people.setdefault(org_id, []).append(pk)
    demo = _demo_member()
    with transaction.atomic():
        written, done = _seed_items(branches, people, rng, today, demo)
        wishes, confirmed = _seed_wishes(branches, people, rng, today, demo)
    _credit(done, confirmed)
    return written + wishes


def _demo_member():
    """The member behind the demo login `dangyuan`: his branch gets open wishes and items he is responsible for,
    so that the phone pages show something when the demo is opened."""
    from partyedu.accounts.models import User

    user = User.objects.filter(username="dangyuan").select_related("member__organization").first()
    return user.member if user and user.member_id else None


def _seed_items(branches, people, rng, today, demo=None):
    n_items = min(400, max(24, len(branches) * 2))
    chosen = [b for b in branches if people.get(b.pk)] or branches
    statuses = (
        [ItemStatus.DONE] * 11
        + [ItemStatus.IN_PROGRESS] * 5
        + [ItemStatus.PLANNED] * 2
        + [ItemStatus.CANCELLED]
    )
    items, plans = [], []
    now = timezone.now()
    for i in range(n_items):
        branch = chosen[i % len(chosen)] if i < len(chosen) else rng.choice(chosen)
        if demo is not None and i < 3:
            branch = demo.organization
        title, category, benef, (lo, hi), plan, steps, result = rng.choice(ITEMS)
        status = rng.choice(statuses)
        if status == ItemStatus.PLANNED:
            starts = today + datetime.timedelta(days=rng.randint(-20, 30))
        else:
            starts = today - datetime.timedelta(days=rng.randint(30, 380))
        deadline = starts + datetime.timedelta(days=rng.choice([30, 60, 90, 120, 180]))
        if status == ItemStatus.IN_PROGRESS and rng.random() < 0.35:
            deadline = min(deadline, today - datetime.timedelta(days=rng.randint(3, 40)))  # overdue
            deadline = max(deadline, starts)
        done_on = None
        if status == ItemStatus.DONE:
            late = rng.random() < 0.15
            end = today if late else min(deadline, today)
            done_on = _day(starts + datetime.timedelta(days=10), end, rng)
        unit = branch.unit_name or branch.name
        items.append(
            ServiceItem(
                organization=branch,
                list_kind=ListKind.PROJECT if rng.random() < 0.3 else ListKind.SHISHI,
                title=title,
                description=f"{unit}结合行业职能，围绕{benef}的急难愁盼问题开展“{title}”。",
                plan=plan,
                category=category,
                beneficiaries=benef,
                beneficiary_count=rng.randint(lo, hi),
                starts_on=starts,
                deadline=deadline,
                status=status,
                done_on=done_on,
                result_summary=result if status == ItemStatus.DONE else "",
                cancel_reason=rng.choice(CANCEL_REASONS) if status == ItemStatus.CANCELLED else "",
                created_at=now,
            )
        )
        plans.append(steps)
    ServiceItem.objects.bulk_create(items, batch_size=500)
    links, notes, tokens, answers, done = [], [], [], [], []
    through = ServiceItem.responsible.through
    for idx, (item, steps) in enumerate(zip(items, plans, strict=True)):
        pool = people.get(item.organization_id, [])
        responsible = rng.sample(pool, min(len(pool), rng.choice([1, 1, 2, 3]))) if pool else []
        if demo is not None and idx < 3 and demo.pk not in responsible:
            responsible.append(demo.pk)
        links.extend(through(serviceitem_id=item.pk, member_id=m) for m in responsible)
        if item.status == ItemStatus.DONE:
            done.extend((item, m) for m in responsible)
        if item.status in (ItemStatus.IN_PROGRESS, ItemStatus.DONE):
            last = item.done_on or today
            count = len(steps) if item.status == ItemStatus.DONE else rng.randint(1, len(steps))
            days = sorted(_day(item.starts_on, last, rng) for _ in range(count))
            notes.extend(
                ProgressNote(item=item, on=day, text=text)
                for day, text in zip(days, steps[:count], strict=True)
            )
        if item.status == ItemStatus.DONE and rng.random() < 0.7:
            unhappy = rng.random() < 0.15  # a few items the people served were not pleased with
            for k in range(rng.randint(2, 9)):
                tokens.append(
                    FeedbackToken(item=item, token_hash=_hash(f"demo-{idx}-{k}-{rng.random()}"), used=True)
                )
                if unhappy and rng.random() < 0.5:
                    answers.append(
                        Feedback(
                            item=item,
                            satisfaction=Satisfaction.UNSATISFIED,
                            comment=rng.choice(UNSATISFIED_COMMENTS),
                        )
                    )
                else:
                    level = Satisfaction.SATISFIED if rng.random() < 0.85 else Satisfaction.BASIC
                    answers.append(Feedback(item=item, satisfaction=level, comment=rng.choice(GOOD_COMMENTS)))
            # printed but not all handed back yet
            tokens.extend(
                FeedbackToken(item=item, token_hash=_hash(f"demo-unused-{idx}-{k}-{rng.random()}"))
                for k in range(rng.randint(0, 3))
            )
    through.objects.bulk_create(links, batch_size=1000)
    ProgressNote.objects.bulk_create(notes, batch_size=1000)
    FeedbackToken.objects.bulk_create(tokens, batch_size=1000)
    rng.shuffle(answers)  # responses in no order a token could be matched to
    Feedback.objects.bulk_create(answers, batch_size=1000)
    return len(items) + len(links) + len(notes) + len(tokens) + len(answers), done


def _seed_wishes(branches, people, rng, today, demo=None):
    # wishes are posted by units (the branch's parent) or by a branch itself
    n = min(100, max(20, len(branches)))
    statuses = (
        [WishStatus.OPEN] * 5
        + [WishStatus.CLAIMED] * 4
        + [WishStatus.FULFILLED] * 3
        + [WishStatus.CONFIRMED] * 7
        + [WishStatus.WITHDRAWN]
    )
    parents = {
        b.pk: b.parent
        for b in Organization.objects.filter(pk__in=[b.pk for b in branches]).select_related("parent")
    }
    now = timezone.now()
    wishes, confirmed = [], []
    for i in range(n):
        branch = demo.organization if demo is not None and i < 3 else rng.choice(branches)
        org = parents.get(branch.pk) if rng.random() < 0.4 and parents.get(branch.pk) else branch
        title, category, text, budget = rng.choice(WISHES)
        status = statuses[i % len(statuses)]  # every state, in the proportions above
        pool = people.get(branch.pk, [])
        if not pool and status not in (WishStatus.OPEN, WishStatus.WITHDRAWN):
            status = WishStatus.OPEN
        created = now - datetime.timedelta(days=rng.randint(1, 200), hours=rng.randint(0, 10))
        wish = Wish(
            organization=org,
            title=title,
            text=text,
            category=category,
            budget=Decimal(budget) if budget else None,
            resident_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            community=rng.choice(COMMUNITIES),
            resident_phone=f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
            status=status,
            created_at=created,
        )
        if status in (WishStatus.CLAIMED, WishStatus.FULFILLED, WishStatus.CONFIRMED):
            wish.claimed_by_id = rng.choice(pool)
            wish.claimed_at = created + datetime.timedelta(days=rng.randint(0, 5))
        if status in (WishStatus.FULFILLED, WishStatus.CONFIRMED):
            wish.fulfilled_at = min(now, wish.claimed_at + datetime.timedelta(days=rng.randint(2, 20)))
            wish.fulfil_note = f"已通过党组织与群众取得联系，{rng.choice(FULFIL_NOTES)}"
        if status == WishStatus.CONFIRMED:
            wish.confirmed_at = min(now, wish.fulfilled_at + datetime.timedelta(days=rng.randint(0, 5)))
            confirmed.append(wish)
        if status == WishStatus.WITHDRAWN:
            wish.withdraw_reason = "群众需求已由社区解决"
        wishes.append(wish)
    Wish.objects.bulk_create(wishes, batch_size=500)
    return len(wishes), confirmed


def _credit(done, confirmed) -> None:
    """The points of finished work, through the ledger's own service (idempotent by source key)."""
    members = Member.objects.in_bulk({m for _, m in done} | {w.claimed_by_id for w in confirmed})
    for item, member_id in done:
        points.award(
            members[member_id],
            EventKind.SERVICE_ITEM_DONE,
            source_key=f"practice:item:{item.pk}:member:{member_id}",
            reason=f"办实事办结：{item.title}"[:200],
            occurred_at=timezone.make_aware(datetime.datetime.combine(item.done_on, datetime.time(12))),
        )
    for wish in confirmed:
        points.award(
            members[wish.claimed_by_id],
            EventKind.WISH_FULFILLED,
            source_key=f"practice:wish:{wish.pk}",
            reason=f"认领微心愿：{wish.title}"[:200],
            occurred_at=wish.fulfilled_at,
        )
