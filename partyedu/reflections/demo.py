"""Demo reflections: a few hundred 心得体会 and 学习笔记 of members across the county, some copied (with the
punctuation changed or a sentence slipped into each paragraph) from earlier ones or from the 范文 of a small
reference corpus; statuses mixed; the originality index and reports written in bulk."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from partyedu.members.models import Member

from . import originality
from .models import (
    IndexBand,
    IndexedText,
    PromptKind,
    ReferenceFile,
    Reflection,
    ReflectionKind,
    ReflectionStatus,
)

OPENERS = [
    "通过学习",
    "这次学习后",
    "认真研读后",
    "结合工作",
    "回顾这段时间",
    "对照检查",
    "深入思考后",
    "反复学习后",
]
SUBJECTS = ["我", "我们支部", "我作为一名党员", "本人", "我和同事们", "我作为业务骨干"]
VERBS = ["深刻认识到", "进一步明白了", "切身体会到", "更加懂得了", "清醒看到了", "真正理解了"]
TOPICS = [
    "理论武装的重要性",
    "初心使命的分量",
    "为民服务的责任",
    "纪律规矩的底线",
    "调查研究的方法",
    "担当作为的要求",
    "勤俭节约的作风",
    "基层治理的难点",
    "群众工作的本领",
    "依法行政的要求",
    "过紧日子的道理",
    "廉洁自律的意义",
    "学思用贯通的路径",
    "知信行统一的要求",
    "红色传统的价值",
]
ACTIONS = [
    "今后要在预算审核中严把关口",
    "要多到乡镇一线听取意见",
    "要把学习成果用到窗口服务上",
    "要主动认领难题",
    "要经常对照党章检查言行",
    "要帮助困难群众解决实际问题",
    "要带头落实各项制度",
    "要把课后服务做得更好",
    "要在项目评审中坚持原则",
    "要提高办文办会的质量",
    "要和同事一起梳理业务短板",
    "要按期参加组织生活",
]
PLACES = ["在财政所", "在学校", "在社区", "在窗口", "在项目现场", "在办公室", "在村里", "在会议上"]
DETAILS = [
    "一位老党员讲的故事让我很受触动",
    "群众反映的问题让我坐立不安",
    "同事加班的身影让我很感动",
    "一次走访让我看到了差距",
    "一份数据让我警醒",
    "一本读本让我对历史有了新认识",
]
REFERENCE_TEXTS = [
    (
        "党史学习教育心得体会范文",
        "下面是小编为大家整理的党史学习教育心得体会范文，仅供参考。\n\n"
        "百年党史是一部波澜壮阔的奋斗史，也是一部不忘初心、牢记使命的历史。通过学习党史，我深刻认识到，"
        "中国共产党之所以能够从小到大、由弱到强，关键在于始终坚持人民至上，始终保持同人民群众的血肉联系。\n\n"
        "作为一名基层党员干部，我要学史明理、学史增信、学史崇德、学史力行，把学习成果转化为推动工作的强大动力，"
        "立足岗位、担当作为，在平凡的岗位上创造不平凡的业绩。\n\n"
        "总之，学习党史是一项长期任务，我将持之以恒地学下去，做到学有所思、学有所悟、学有所得。",
    ),
    (
        "主题教育个人学习心得（精选）",
        "欢迎阅读本篇心得，希望对大家有所帮助。\n\n"
        "开展主题教育，是以学铸魂、以学增智、以学正风、以学促干的重要举措。在学习中，我坚持原原本本学、"
        "联系实际学、带着问题学，不断提高政治判断力、政治领悟力、政治执行力。\n\n"
        "对照先进找差距，我发现自己还存在理论学习不够系统、服务群众不够主动、工作标准不够高等问题。"
        "下一步，我将以更高的标准、更实的作风、更严的要求，努力把各项工作做得更好。",
    ),
    (
        "廉政教育学习笔记模板",
        "警示教育片中一个个鲜活的案例，让我深受震撼。这些人之所以走上违法犯罪的道路，根源在于理想信念动摇，"
        "放松了世界观、人生观、价值观的改造。作为党员，必须时刻绷紧廉洁自律这根弦，慎独慎微、慎始慎终，"
        "自觉接受组织和群众监督，守住底线、不越红线。",
    ),
]
COMMENTS = [
    "请结合本职工作写得更具体些",
    "与他人心得雷同，请本人重写",
    "字数不足，请补充学习收获",
    "请写明整改措施",
]


LEXICON = [
    "学习",
    "理论",
    "群众",
    "服务",
    "初心",
    "使命",
    "担当",
    "作为",
    "纪律",
    "规矩",
    "调研",
    "基层",
    "治理",
    "预算",
    "资金",
    "项目",
    "窗口",
    "课堂",
    "教师",
    "学生",
    "家长",
    "乡镇",
    "村里",
    "社区",
    "老人",
    "困难",
    "问题",
    "短板",
    "整改",
    "落实",
    "制度",
    "责任",
    "作风",
    "廉洁",
    "节约",
    "创新",
    "改革",
    "发展",
    "民生",
    "实事",
    "办好",
    "走访",
    "倾听",
    "意见",
    "建议",
    "思考",
    "对照",
    "检查",
    "差距",
    "方向",
    "信念",
    "理想",
    "宗旨",
    "人民",
    "党员",
    "支部",
    "组织",
    "生活",
    "党课",
    "读本",
    "原文",
    "原著",
    "体会",
    "收获",
    "感动",
    "触动",
    "警醒",
    "坚持",
    "提高",
    "本领",
    "能力",
    "水平",
    "效率",
    "质量",
    "标准",
    "要求",
    "目标",
    "任务",
    "措施",
    "办法",
    "经验",
    "同事",
    "领导",
    "一线",
    "现场",
    "数据",
    "案例",
    "故事",
    "历史",
    "先辈",
    "传统",
    "精神",
    "力量",
    "信心",
    "决心",
    "行动",
    "实践",
    "成果",
    "转化",
    "推动",
    "促进",
]
OPENERS = ["通过学习", "学习后", "回顾", "结合工作", "对照检查", "反复思考", "我认为", "今后"]


def _paragraph(rng) -> str:
    sentences = []
    for _ in range(rng.randint(4, 6)):
        words = rng.choices(LEXICON, k=rng.randint(6, 10))
        cut = rng.randint(2, len(words) - 2)
        sentences.append(f"{rng.choice(OPENERS)}，{''.join(words[:cut])}，{''.join(words[cut:])}。")
    return "".join(sentences)


def _text(rng, min_chars: int) -> str:
    paragraphs = []
    while originality.char_count("".join(paragraphs)) < min_chars:
        paragraphs.append(_paragraph(rng))
    return "\n\n".join(paragraphs)


def _copy(rng, text: str) -> str:
    if rng.random() < 0.5:
        return text.translate(str.maketrans({"，": "、", "。": "；"}))
    return "\n\n".join(
        p[: len(p) // 2] + "这一点我体会尤其深刻。" + p[len(p) // 2 :] for p in text.split("\n\n")
    )


@transaction.atomic
def seed_reflections(seed: int, today: datetime.date | None = None, count: int = 300) -> int:
    """A few hundred reflections, some near-copies of others and of a reference text; returns how many (0 when
    reflections exist: never twice)."""
    if Reflection.objects.exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed * 53 + 11)
    members = list(
        Member.objects.filter(status__in=["full", "probationary"])
        .select_related("organization")
        .order_by("pk")
    )
    if not members:
        return 0
    members = rng.sample(members, min(count, len(members)))
    now = timezone.now()

    ref_file = ReferenceFile.objects.create(
        name="网络流传心得范文合集.txt", document_count=len(REFERENCE_TEXTS)
    )
    refs = IndexedText.objects.bulk_create(
        [IndexedText(reference_file=ref_file, title=t, text=body) for t, body in REFERENCE_TEXTS]
    )
    if any(r.pk is None for r in refs):
        refs = list(ref_file.documents.order_by("pk"))

    try:
        from partyedu.learning.models import Material

        materials = list(Material.objects.order_by("pk").values_list("pk", "title")[:50])
    except Exception:  # pragma: no cover - the learning app is always there; be safe in partial installs
        materials = []

    rows: list[Reflection] = []
    for i, member in enumerate(members):
        kind = ReflectionKind.NOTE if rng.random() < 0.25 else ReflectionKind.REFLECTION
        roll = rng.random()
        earlier = [r for r in rows if r.kind == kind]
        if roll < 0.08 and earlier:
            body = _copy(rng, rng.choice(earlier).body)
        elif roll < 0.12:
            body = _copy(rng, rng.choice(REFERENCE_TEXTS)[1])
        else:
            body = _text(rng, 520 if kind == ReflectionKind.REFLECTION else 120)
        created = now - datetime.timedelta(
            days=(len(members) - i) * 330 / len(members), hours=rng.randint(0, 9)
        )
        status = rng.choices(
            [
                ReflectionStatus.DRAFT,
                ReflectionStatus.SUBMITTED,
                ReflectionStatus.APPROVED,
                ReflectionStatus.RETURNED,
            ],
            weights=[8, 30, 52, 10],
        )[0]
        prompt = rng.choice(materials) if materials and rng.random() < 0.6 else None
        rows.append(
            Reflection(
                member=member,
                organization=member.organization,
                kind=kind,
                title=(
                    f"学习《{prompt[1]}》的体会"
                    if prompt
                    else f"{rng.choice(TOPICS)}的学习{ReflectionKind(kind).label}"
                )[:200],
                body=body,
                prompt_kind=PromptKind.MATERIAL if prompt else "",
                prompt_id=prompt[0] if prompt else None,
                prompt_title=prompt[1][:200] if prompt else "",
                status=status,
                char_count=originality.char_count(body),
                submitted_at=None if status == ReflectionStatus.DRAFT else created,
                reviewed_at=created + datetime.timedelta(days=2)
                if status in (ReflectionStatus.APPROVED, ReflectionStatus.RETURNED)
                else None,
                review_comment=rng.choice(COMMENTS) if status == ReflectionStatus.RETURNED else "",
                created_at=created,
            )
        )
    rows = Reflection.objects.bulk_create(rows)
    if any(r.pk is None for r in rows):
        rows = list(Reflection.objects.filter(member__in=members).order_by("pk"))
    submitted = [r for r in rows if r.status != ReflectionStatus.DRAFT]
    texts = IndexedText.objects.bulk_create(
        [IndexedText(reflection=r, title=r.title, text=r.body, path=r.organization.path) for r in submitted]
    )
    if any(t.pk is None for t in texts):
        texts = list(IndexedText.objects.filter(reflection__in=submitted).order_by("pk"))

    # the index in memory, filled in submission order, so that each report compares with earlier texts only
    index: dict[int, list[int]] = {}
    sources: dict[int, originality.Source] = {}
    bands_rows: list[IndexBand] = []
    for ref in refs:
        sources[ref.pk] = originality.Source(f"reference:{ref.pk}", ref.title, ref.text)
        for k in set(originality.band_keys(ref.text)):
            index.setdefault(k, []).append(ref.pk)
            bands_rows.append(IndexBand(key=k, text_id=ref.pk))
    by_reflection = {t.reflection_id: t for t in texts}
    for r in submitted:
        t = by_reflection[r.pk]
        keys = set(originality.band_keys(r.body))
        candidate_ids = {pk for k in keys for pk in index.get(k, ())}
        report = originality.compare(r.body, [sources[pk] for pk in sorted(candidate_ids)])
        r.overlap_percent = report.percent
        r.blocked = report.percent >= r.threshold
        r.template_phrases = report.phrases
        r.report = [
            {
                "key": m.source.key,
                "title": m.source.title,
                "path": m.source.path,
                "percent": m.percent,
                "passages": m.passages,
            }
            for m in report.matches[:10]
        ]
        sources[t.pk] = originality.Source(f"reflection:{r.pk}", r.title, r.body, r.organization.path)
        for k in keys:
            index.setdefault(k, []).append(t.pk)
            bands_rows.append(IndexBand(key=k, text_id=t.pk))
    Reflection.objects.bulk_update(
        submitted, ["overlap_percent", "blocked", "template_phrases", "report"], batch_size=500
    )
    IndexBand.objects.bulk_create(bands_rows, batch_size=5000)
    return len(rows)
