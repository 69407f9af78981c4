"""Demo data: the county's materials library (~2,000 materials) and a year of members' study.

Titles and bodies are put together from phrase lists (《中国共产党简史》第三章…, 学习贯彻…精神, 先进典型…事迹, 业务
讲座 of each line of work); most materials are published by the 工委 for the whole county, some by a unit for its
own subtree. The search index is written in bulk (`bulk_index_new`: COPY on PostgreSQL, one executemany on SQLite).

Study history: one StudyRecord per member and material studied, with completed_at for those finished, and their
学时 through `hours.services.bulk_credit` (key "study:<record id>", source 自学). The StudyCredit rows a live
heartbeat writes (one per credited interval) are not made up for the past: they would be ~50 rows per record and
prove nothing the record does not say. Members differ: a few study a lot, many a little, about one in five not at
all, so the left-behind list has people on it. Media materials have no file in the demo (the page shows the text).
"""

from __future__ import annotations

import datetime
import math
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from partyedu.hours import services as hours_services
from partyedu.hours.models import HoursSource
from partyedu.members.models import Member
from partyedu.orgs.models import Organization

from . import study
from .materials_services import bulk_index_new, estimated_minutes, html_text
from .models import Material, MaterialCategory, MaterialKind, MaterialVisibility, StudyRecord, Topic

C = MaterialCategory
MATERIALS = 2000

TOPICS = [
    "党的二十大精神",
    "党章党规",
    "党史学习教育",
    "主题教育",
    "全面从严治党",
    "作风建设",
    "廉政警示教育",
    "意识形态工作",
    "乡村振兴",
    "基层治理",
    "法治建设",
    "生态文明",
    "安全生产",
    "优化营商环境",
    "群众工作",
    "党员教育管理",
    "理想信念",
    "改革创新",
]

BOOKS = {
    C.PARTY_HISTORY: (
        "中国共产党简史",
        [
            "中国共产党的创建和投身大革命的洪流",
            "掀起土地革命的风暴",
            "为挽救民族危亡而斗争",
            "夺取新民主主义革命的全国胜利",
            "社会主义基本制度的确立",
            "社会主义建设在探索中曲折发展",
            "伟大历史转折和中国特色社会主义的开创",
            "把中国特色社会主义全面推向二十一世纪",
            "在新的形势下坚持和发展中国特色社会主义",
            "中国特色社会主义进入新时代",
        ],
    ),
    C.PRC_HISTORY: (
        "中华人民共和国简史",
        [
            "站起来：新中国的成立",
            "社会主义改造的完成",
            "全面建设社会主义的十年",
            "伟大的历史转折",
            "改革开放的全面展开",
            "迈向新世纪",
            "全面建设小康社会",
            "新时代的伟大成就",
        ],
    ),
    C.REFORM_HISTORY: (
        "改革开放简史",
        [
            "伟大转折和改革开放的开启",
            "农村改革率先突破",
            "经济特区的创办",
            "社会主义市场经济体制的确立",
            "加入世界贸易组织",
            "全面深化改革",
        ],
    ),
    C.SOCIALISM_HISTORY: (
        "社会主义发展简史",
        [
            "空想社会主义的产生和发展",
            "马克思主义的诞生和科学社会主义的创立",
            "十月革命和社会主义从理论到实践",
            "苏联模式的形成与演变",
            "中国特色社会主义的开创和发展",
            "新时代中国特色社会主义",
        ],
    ),
}
CHINESE_NUMBERS = "一二三四五六七八九十"

EVENTS = {
    C.PARTY_HISTORY: [
        "南昌起义",
        "古田会议",
        "遵义会议",
        "红军长征",
        "延安整风",
        "七大召开",
        "西柏坡“两个务必”",
        "八七会议",
        "井冈山斗争",
        "抗日民族统一战线",
    ],
    C.PRC_HISTORY: [
        "开国大典",
        "抗美援朝",
        "“一五”计划",
        "“两弹一星”",
        "大庆油田会战",
        "红旗渠建设",
        "恢复高考",
        "香港回归",
        "北京奥运会",
        "脱贫攻坚",
    ],
    C.REFORM_HISTORY: [
        "小岗村大包干",
        "深圳经济特区建立",
        "邓小平南方谈话",
        "浦东开发开放",
        "国有企业改革",
        "农村税费改革",
        "“放管服”改革",
        "自由贸易试验区建设",
    ],
    C.SOCIALISM_HISTORY: [
        "《共产党宣言》发表",
        "巴黎公社",
        "十月革命",
        "新经济政策",
        "社会主义阵营的形成",
        "马克思主义中国化",
    ],
}
SPIRITS = [
    "红船精神",
    "井冈山精神",
    "长征精神",
    "延安精神",
    "西柏坡精神",
    "抗美援朝精神",
    "“两弹一星”精神",
    "焦裕禄精神",
    "红旗渠精神",
    "脱贫攻坚精神",
    "伟大建党精神",
]
MEETINGS = [
    "党的二十大",
    "党的二十届三中全会",
    "党的二十届四中全会",
    "全国两会",
    "中央经济工作会议",
    "省第十五次党代会",
    "全国组织工作会议",
    "中央农村工作会议",
]
CONCEPTS = [
    "“两个确立”的决定性意义",
    "“四个意识”",
    "“四个自信”",
    "新发展理念",
    "以人民为中心的发展思想",
    "全过程人民民主",
    "中国式现代化",
    "党的自我革命",
    "高质量发展",
    "总体国家安全观",
    "习近平生态文明思想",
    "习近平法治思想",
]
REGULATIONS = [
    "中国共产党章程",
    "中国共产党纪律处分条例",
    "关于新形势下党内政治生活的若干准则",
    "中国共产党廉洁自律准则",
    "中国共产党支部工作条例（试行）",
    "中国共产党党员教育管理工作条例",
    "中国共产党问责条例",
    "中国共产党党内监督条例",
    "党政机关厉行节约反对浪费条例",
    "中华人民共和国公务员法",
    "中华人民共和国监察法",
    "中央八项规定实施细则",
]
HEROES = [
    ("焦裕禄", "县委书记的榜样"),
    ("谷文昌", "为民造福的公仆"),
    ("杨善洲", "退休不褪色的老书记"),
    ("廖俊波", "人民的好公仆"),
    ("黄文秀", "扎根基层的青年第一书记"),
    ("张桂梅", "燃灯校长"),
    ("黄大年", "赤子科学家"),
    ("孔繁森", "援藏干部的楷模"),
    ("王进喜", "铁人"),
    ("雷锋", "全心全意为人民服务的榜样"),
    ("钱学森", "人民科学家"),
    ("林俊德", "马兰英雄"),
    ("周青山", "青山县革命烈士"),
    ("林秀英", "青山县优秀共产党员"),
]
# line of work → (lecture topics, tags); tags use the words recommend.JOB_LINES looks for
BUSINESS = {
    "财政": (
        ["预算绩效管理", "国库集中支付", "政府采购实务", "行政事业单位会计制度", "财政资金监管"],
        "财政 预算 会计",
    ),
    "教育": (["新时代师德师风建设", "义务教育“双减”政策", "学校安全管理", "课堂教学改革"], "教育 教师"),
    "卫生": (["基层医疗卫生服务", "公共卫生应急处置", "医保基金监管", "健康县城建设"], "卫生 医疗 健康"),
    "税务": (["个人所得税汇算清缴", "减税降费政策", "纳税服务规范"], "税务 税收"),
    "农业": (["高标准农田建设", "粮食安全责任制", "农村人居环境整治", "乡村产业振兴"], "农业 农村 乡村"),
    "公安": (["社会治安综合治理", "执法规范化建设", "反诈宣传"], "公安 治安"),
    "司法": (["人民调解实务", "法律援助工作", "社区矫正"], "司法 法治 调解"),
    "住建": (["建设工程质量安全", "老旧小区改造", "城市更新"], "住建 建设 工程"),
    "交通": (["农村公路建设管护", "道路运输安全"], "交通 运输"),
    "自然资源": (["国土空间规划", "耕地保护"], "自然资源 国土 规划"),
    "应急": (["安全生产专项整治", "防汛防台应急处置"], "应急 安全生产"),
    "市场监管": (["食品安全监管", "优化营商环境"], "市场监管 食品安全 营商环境"),
    "统计": (["统计法律法规", "统计数据质量"], "统计 数据"),
    "审计": (["经济责任审计", "审计整改"], "审计"),
    "民政": (["社会救助政策", "养老服务体系"], "民政 养老 社会救助"),
    "信访": (["信访工作条例", "群众工作方法"], "信访 群众工作"),
    "纪检": (["监督执纪“四种形态”", "纪检监察业务规范"], "纪检 监察 廉政"),
}
SOURCES = [
    "人民网",
    "新华网",
    "求是网",
    "共产党员网",
    "学习强国",
    "中国组织人事报",
    "青山县融媒体中心",
    "县委党校",
]

OPENINGS = [
    "{subject}是党员干部必修的一课。",
    "围绕{subject}，本期学习材料梳理了基本内容和重点要求。",
    "学习{subject}，要原原本本学、联系实际学。",
    "本文介绍{subject}的主要内容，供各支部开展学习时参考。",
]
SENTENCES = [
    "要坚持学思用贯通、知信行统一，把学习成果转化为推动工作的实际成效。",
    "各级党组织要把学习教育同本单位中心工作结合起来，做到两手抓、两促进。",
    "广大党员要牢记初心使命，坚定理想信念，在本职岗位上当先锋、作表率。",
    "要发扬理论联系实际的马克思主义学风，力戒形式主义、官僚主义。",
    "回顾这段历史，我们更加深刻地认识到党的领导是做好一切工作的根本保证。",
    "要把群众满意不满意作为衡量工作成效的根本标准，切实解决群众急难愁盼问题。",
    "支部要通过“三会一课”、主题党日等形式组织党员集中学习、交流心得。",
    "学习中要注重查找差距不足，明确努力方向，以实际行动践行对党的忠诚。",
    "全面从严治党永远在路上，党的自我革命永远在路上。",
    "新时代新征程，我们要以更加昂扬的精神状态投入到各项工作中去。",
    "要坚持问题导向，聚焦短板弱项，推动各项任务落地见效。",
    "实践证明，只有始终同人民群众想在一起、干在一起，才能赢得人民的信任和拥护。",
    "要把严的基调、严的措施、严的氛围长期坚持下去，营造风清气正的良好政治生态。",
    "青山县广大党员干部结合工作实际，认真学习、深入思考、积极实践。",
]


def _body(rng: random.Random, subject: str, paragraphs: int) -> str:
    out = []
    for i in range(paragraphs):
        first = rng.choice(OPENINGS).format(subject=subject) if i == 0 else ""
        out.append("<p>" + first + "".join(rng.sample(SENTENCES, rng.randint(2, 3))) + "</p>")
    return "".join(out)


def _material(rng: random.Random, category: str) -> tuple[str, str, str, str, str]:
    """(kind, title, subject, tags, summary) of one material of this category."""
    if category in BOOKS and rng.random() < 0.35:
        book, chapters = BOOKS[category]
        n = rng.randrange(len(chapters))
        return MaterialKind.BOOK, f"《{book}》第{CHINESE_NUMBERS[n]}章 {chapters[n]}", chapters[n], book, ""
    kind = rng.choices(
        [MaterialKind.ARTICLE, MaterialKind.VIDEO, MaterialKind.AUDIO, MaterialKind.DOCUMENT], [80, 10, 5, 5]
    )[0]
    if category in EVENTS:
        event = rng.choice(EVENTS[category])
        spirit = rng.choice(SPIRITS)
        title = rng.choice(
            [
                f"重温{event}",
                f"{event}的历史意义",
                f"党史上的今天：{event}",
                f"从{event}看{spirit}",
                f"{spirit}的时代价值",
            ]
        )
        return kind, title, event, spirit, ""
    if category == C.THEORY:
        meeting, concept = rng.choice(MEETINGS), rng.choice(CONCEPTS)
        title = rng.choice(
            [
                f"学习贯彻{meeting}精神",
                f"深刻领会{concept}",
                f"{concept}的理论意义与实践要求",
                f"{meeting}精神宣讲提纲",
                f"在学习{meeting}精神中把握{concept}",
            ]
        )
        return kind, title, concept, "理论学习", ""
    if category == C.POLICY:
        reg = rng.choice(REGULATIONS)
        title = rng.choice([f"《{reg}》解读", f"学习《{reg}》", f"《{reg}》条文释义", f"《{reg}》知识问答"])
        return kind, title, f"《{reg}》", "党规党纪", ""
    if category == C.EXEMPLARS:
        hero, praise = rng.choice(HEROES)
        title = rng.choice(
            [f"先进典型{hero}同志事迹", f"向{hero}同志学习", f"{hero}：{praise}", f"{hero}的故事"]
        )
        return kind, title, f"{hero}同志的先进事迹", "先进典型 榜样", praise
    line = rng.choice(list(BUSINESS))
    lectures, tags = BUSINESS[line]
    lecture = rng.choice(lectures)
    title = rng.choice([f"{lecture}业务讲座", f"{line}工作实务：{lecture}", f"{lecture}政策解读"])
    return kind, title, lecture, tags, ""


def _write_materials(rng: random.Random, now: datetime.datetime, count: int) -> list[Material]:
    committee = Organization.objects.filter(depth=0).order_by("path").first()
    units = list(Organization.objects.filter(depth=1, dissolved_on__isnull=True).order_by("path"))
    topics = _topics()
    categories = C.values
    weights = [16, 8, 8, 5, 20, 16, 12, 15]
    rows = []
    for _ in range(count):
        category = rng.choices(categories, weights)[0]
        kind, title, subject, tags, summary = _material(rng, category)
        own_unit = units and rng.random() < 0.15
        publisher = rng.choice(units) if own_unit else committee
        visibility = MaterialVisibility.SUBTREE if own_unit else MaterialVisibility.COUNTY
        paragraphs = rng.randint(3, 5) if kind == MaterialKind.BOOK else rng.randint(2, 3)
        body = _body(rng, subject, paragraphs)
        text = html_text(body)
        duration = None
        minutes = estimated_minutes(text) + (rng.randint(3, 12) if kind == MaterialKind.BOOK else 0)
        if kind in (MaterialKind.VIDEO, MaterialKind.AUDIO):
            duration = rng.randint(8, 40) * 60
            minutes = math.ceil(duration / 60)
        # a third within the last 60 days, a dozen in the last fortnight, the rest over the past three years
        age_days = rng.random() ** 2.2 * 1000
        published = now - datetime.timedelta(days=age_days, minutes=rng.randrange(600))
        rows.append(
            Material(
                kind=kind,
                title=title[:200],
                summary=(summary or text[:60])[:500],
                body=body,
                body_text=text,
                category=category,
                tags=tags,
                reading_minutes=minutes,
                duration_seconds=duration,
                source=rng.choice(SOURCES),
                publisher=publisher,
                visibility=visibility,
                visible_path=publisher.path
                if own_unit
                else (publisher.ancestor_paths[0] if publisher.ancestor_paths else publisher.path),
                published_at=published,
            )
        )
    # ids in order of publication: search ranks "newest first" by id
    rows.sort(key=lambda m: m.published_at)
    materials = Material.objects.bulk_create(rows, batch_size=1000)
    through = Material.topics.through
    links = [
        through(material_id=m.pk, topic_id=t.pk)
        for m in materials
        for t in rng.sample(topics, rng.choice((0, 1, 1, 2)))
    ]
    through.objects.bulk_create(links, batch_size=2000)
    bulk_index_new(materials)
    return materials


def _topics() -> list[Topic]:
    Topic.objects.bulk_create([Topic(name=n) for n in TOPICS], ignore_conflicts=True)
    return list(Topic.objects.filter(name__in=TOPICS).order_by("pk"))


def _write_study(rng: random.Random, materials: list[Material], now: datetime.datetime) -> int:
    """A year of study records (and the 学时 of the completed ones) for the current party members."""
    county_wide = [m for m in materials if m.visibility == MaterialVisibility.COUNTY]
    own = defaultdict(list)
    for m in materials:
        if m.visibility != MaterialVisibility.COUNTY:
            own[m.visible_path].append(m)
    members = list(
        Member.objects.filter(left_on__isnull=True, status__in=("full", "probationary"))
        .values_list("pk", "organization__path")
        .order_by("pk")
    )
    year_ago = now - datetime.timedelta(days=365)
    records = []
    for member_id, org_path in members:
        level = rng.random()
        if level < 0.2:
            continue  # never opened the library this year
        if level < 0.65:
            n = rng.randint(1, 4)
        elif level < 0.9:
            n = rng.randint(5, 14)
        else:
            n = rng.randint(15, 40)
        visible = county_wide + [m for path, ms in own.items() if org_path.startswith(path) for m in ms]
        # how much of what he opens he finishes: keen readers finish most
        finishing = 0.45 + 0.5 * level
        # the occasional reader stopped months ago; the keen one is still at it
        until = min(now, year_ago + datetime.timedelta(days=365 * (0.3 + 0.75 * level)))
        for m in rng.sample(visible, min(n, len(visible))):
            begin = max(year_ago, m.published_at)
            if begin >= until:
                continue
            start = begin + (until - begin) * rng.random()
            required = study.required_seconds(m.kind, m.reading_minutes, m.duration_seconds)
            done = rng.random() < finishing
            seconds = int(required * (rng.uniform(1.0, 1.5) if done else rng.uniform(0.1, 0.7)))
            last = min(now, start + datetime.timedelta(seconds=seconds * rng.choice((1, 1, 3, 50))))
            media = m.kind in study.MEDIA_KINDS and m.duration_seconds
            fraction = (rng.uniform(0.9, 1.0) if done else rng.uniform(0.1, 0.6)) if media else 0
            records.append(
                StudyRecord(
                    member_id=member_id,
                    material_id=m.pk,
                    seconds=seconds,
                    watched_ranges=[[0, round(m.duration_seconds * fraction, 2)]] if media else [],
                    watched_fraction=round(fraction, 3),
                    first_studied_at=start,
                    last_studied_at=last,
                    completed_at=last if done else None,
                )
            )
    records = StudyRecord.objects.bulk_create(records, batch_size=2000)
    titles = {m.pk: m.title for m in materials}
    hours_services.bulk_credit(
        [
            {
                "member_id": r.member_id,
                "source": HoursSource.STUDY,
                "key": f"study:{r.pk}",
                "hours": hours_services.hours_from_seconds(r.seconds),
                "on": timezone.localdate(r.completed_at),
                "title": f"自学：{titles[r.material_id]}",
            }
            for r in records
            if r.completed_at is not None
        ]
    )
    return len(records)


@transaction.atomic
def seed_learning(seed: int, today: datetime.date | None = None) -> int:
    """~2,000 materials (indexed for search) and a year of study by the members; returns the rows written
    (materials + study records). Expects the seeder's organisations and members."""
    rng = random.Random(f"learning-{seed}")
    today = today or timezone.localdate()
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(18)))
    if not Organization.objects.filter(depth=0).exists() or Material.objects.exists():
        return 0  # nothing to attach to, or seeded already: never twice
    # ~2,000 for a county; a small demo (tests, a first look) gets one material per member, at least 200
    count = min(MATERIALS, max(200, Member.objects.count()))
    materials = _write_materials(rng, now, count)
    return len(materials) + _write_study(rng, materials, now)
