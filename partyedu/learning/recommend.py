"""Targeted learning (缺什么补什么、干什么学什么): the rules that turn what we know about a member into weights on
materials, and the reason shown for each. Pure functions; recommend_selectors.py applies them in one query.

Signals, each worth points, summed in the database so that ranking costs one query whatever the library's size:
- post: leaders (is_leader) → 理论, 政策法规 ("领导干部必学"); youth (≤ 35) → 党史, 先进典型 ("青年党员推荐");
  a post or organisation naming a line of work (财政, 教育, 税务, …) → 业务 materials whose title or tags name it.
- balance: categories where the member completed least this year (below half the average, or none) weigh more.
- recency: new materials (14 days) and recent ones (60 days).
- in progress: materials he started and has not finished.
- weak topics: from quiz results once the quiz module exists (`weak_topics`, empty until then).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import MaterialCategory

C = MaterialCategory

LEADER_CATEGORIES = (C.THEORY, C.POLICY)
YOUTH_CATEGORIES = (C.PARTY_HISTORY, C.EXEMPLARS)
LEADER_POINTS = 40
YOUTH_POINTS = 20
JOB_POINTS = 35
BALANCE_POINTS = 25
NEW_DAYS, NEW_POINTS = 14, 15
RECENT_DAYS, RECENT_POINTS = 60, 8
IN_PROGRESS_POINTS = 12
WEAK_TOPIC_POINTS = 45

# Lines of work: a word in the member's post or organisation's name → words that mark a 业务 material for it.
JOB_LINES: dict[str, tuple[str, ...]] = {
    "财政": ("财政", "预算", "会计", "财务", "国库"),
    "会计": ("会计", "财务", "预算"),
    "财务": ("财务", "会计", "预算"),
    "审计": ("审计",),
    "税务": ("税务", "税收", "纳税"),
    "教育": ("教育", "教师", "学校", "师德"),
    "教师": ("教师", "教学", "师德", "教育"),
    "卫生": ("卫生", "医疗", "健康", "医保"),
    "医": ("医疗", "卫生", "健康"),
    "农业": ("农业", "农村", "乡村", "种植"),
    "农村": ("农村", "乡村", "农业"),
    "水利": ("水利", "防汛", "河长"),
    "交通": ("交通", "运输", "道路"),
    "住建": ("住建", "住房", "城建", "工程"),
    "建设": ("建设", "工程", "城建"),
    "工程": ("工程", "技术", "安全生产"),
    "自然资源": ("自然资源", "国土", "规划"),
    "规划": ("规划", "国土"),
    "生态": ("生态", "环境", "环保"),
    "环境": ("环境", "生态", "环保"),
    "市场监管": ("市场监管", "食品安全", "质量"),
    "应急": ("应急", "安全生产", "防灾"),
    "公安": ("公安", "治安", "警务"),
    "司法": ("司法", "法治", "调解"),
    "法院": ("审判", "法治", "司法"),
    "检察": ("检察", "法治", "司法"),
    "人社": ("就业", "社保", "人社"),
    "人力资源": ("就业", "社保", "人事"),
    "民政": ("民政", "社会救助", "养老"),
    "统计": ("统计", "数据"),
    "信访": ("信访", "群众工作"),
    "纪": ("纪检", "监察", "廉政"),
    "监察": ("纪检", "监察", "廉政"),
    "组织": ("组织工作", "干部", "党建"),
    "宣传": ("宣传", "意识形态", "网络"),
    "统战": ("统战", "民族宗教"),
    "发展和改革": ("发展改革", "项目", "经济"),
    "发改": ("发展改革", "项目", "经济"),
    "商务": ("商务", "招商", "营商环境"),
    "科技": ("科技", "创新", "技术"),
    "文化": ("文化", "旅游", "文物"),
    "退役军人": ("退役军人", "优抚"),
    "机关事务": ("机关事务", "公务用车", "节约"),
}


def job_words(post: str, *org_names: str) -> tuple[str, tuple[str, ...]]:
    """(the line of work named, its marker words) from a post ("会计") or the organisation ("县财政局…支部");
    the post wins over the organisation. ("", ()) when none is named."""
    for text in (post or "", *org_names):
        for key, words in JOB_LINES.items():
            if key in (text or ""):
                return key, words
    return "", ()


def category_label(category: str) -> str:
    try:
        return C(category).label
    except ValueError:
        return category


@dataclass(frozen=True)
class Profile:
    """What the ranking knows of one member."""

    is_leader: bool = False
    is_youth: bool = False
    job: str = ""
    job_words: tuple[str, ...] = ()
    # completed materials per category this year (all categories present, 0 when none)
    completed: dict[str, int] = field(default_factory=dict)
    weak_topics: dict[int, str] = field(default_factory=dict)  # topic id → name


def thin_categories(completed: dict[str, int]) -> dict[str, float]:
    """category → how thin (0..1] the member's study of it is this year; only categories below half the average
    of all categories (or with none at all) appear."""
    counts = {c: completed.get(c, 0) for c in C.values}
    mean = sum(counts.values()) / len(counts)
    thin = {}
    for c, n in counts.items():
        if n == 0 or n < mean / 2:
            thin[c] = 1.0 if mean == 0 else (mean - n) / mean
    return thin


def category_points(profile: Profile) -> dict[str, int]:
    """Points each category earns for this member from post and balance."""
    points = dict.fromkeys(C.values, 0)
    if profile.is_leader:
        for c in LEADER_CATEGORIES:
            points[c] += LEADER_POINTS
    if profile.is_youth:
        for c in YOUTH_CATEGORIES:
            points[c] += YOUTH_POINTS
    for c, thinness in thin_categories(profile.completed).items():
        points[c] += round(BALANCE_POINTS * thinness)
    return points


def reasons(
    profile: Profile,
    *,
    category: str,
    job_match: bool,
    is_new: bool,
    is_recent: bool,
    in_progress: bool,
    weak_topic_names: list[str],
) -> list[str]:
    """The reasons shown under one recommendation, strongest first."""
    out = []
    if job_match:
        out.append(f"干什么学什么：与你的{profile.job}工作相关")
    if profile.is_leader and category in LEADER_CATEGORIES:
        out.append("领导干部必学")
    for name in weak_topic_names:
        out.append(f"你在“{name}”专题的测验中较弱")
    if category in thin_categories(profile.completed):
        label = category_label(category)
        if sum(profile.completed.values()) == 0:
            out.append(f"你本年度还没有完成{label}类学习")
        else:
            out.append(f"你本年度{label}类学习较少")
    if profile.is_youth and category in YOUTH_CATEGORIES:
        out.append("青年党员推荐")
    if in_progress:
        out.append("你已学了一部分，接着学完")
    if is_new:
        out.append("新上架")
    elif is_recent:
        out.append("近期发布")
    return out or ["本县党员都在学"]


def weak_topics(member) -> dict[int, str]:
    """Topic id → name of the topics where the member's quiz answers of the last year are weak (the quiz module's
    mastery: at least 5 answers, under 80 % correct); the ranking gives materials on them WEAK_TOPIC_POINTS and
    says why."""
    from partyedu.quizzes.selectors_bank import weak_topics as quiz_weak_topics

    return {topic_id: name for topic_id, name, _, _ in quiz_weak_topics(member)}
