"""Demo data: last year's 民主评议党员 over the demo county's largest unit, held in the first weeks of this year.

Runs after points and 学时 are seeded, so that suggested grades draw on them. Bulk writes only."""

from __future__ import annotations

import datetime
import hashlib
import random

from django.db.models import Count
from django.utils import timezone

from partyedu.members.models import Member
from partyedu.orgs.models import Organization, subtree_q

from . import services
from .models import Campaign, Grade, MassResponse, MassToken, Participant, PeerRating

SUMMARIES = [
    "一年来，本人认真学习习近平新时代中国特色社会主义思想，按时参加“三会一课”和主题党日，"
    "按时足额交纳党费，立足岗位履职尽责，积极参加志愿服务，在工作中发挥党员先锋模范作用。",
    "本年度本人坚持每日学习，完成了规定学时，积极参加支部组织生活，认真完成本职工作任务；"
    "不足之处是理论联系实际不够，今后要在学深悟透、服务群众上下更大功夫。",
    "本人能够严守党的政治纪律和政治规矩，认真参加组织生活会和民主评议，主动联系服务群众，"
    "在急难险重任务面前冲锋在前；存在学习系统性不强的问题，将在新的一年认真整改。",
]
COMMENTS = ["办事热情周到", "工作认真负责", "群众口碑好", "", "", "希望多下基层", "服务态度好"]


def _unit(root: Organization) -> Organization:
    """The child of the root with the most members (one grouped query)."""
    children = list(Organization.objects.filter(parent=root, dissolved_on__isnull=True))
    if not children:
        return root
    counts = dict(
        Member.objects.filter(subtree_q(root.path, "organization__path"), left_on__isnull=True)
        .values("organization__path")
        .annotate(n=Count("pk"))
        .values_list("organization__path", "n")
    )
    return max(children, key=lambda c: sum(n for p, n in counts.items() if p.startswith(c.path)))


def seed_evaluation(seed: int = 1, today: datetime.date | None = None) -> int:
    if Campaign.objects.exists():
        return 0
    root = Organization.objects.filter(parent__isnull=True).order_by("order", "pk").first()
    if root is None:
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed)
    unit = _unit(root)
    year = today.year - 1
    campaign = services.create_campaign(
        unit,
        year=year,
        title=f"{year}年度民主评议党员",
        opens_on=today - datetime.timedelta(days=20),
        closes_on=today + datetime.timedelta(days=30),
    )
    people = list(campaign.participants.all())
    now = timezone.now()
    self_grades = [Grade.EXCELLENT] * 2 + [Grade.QUALIFIED] * 8
    for p in people:
        if rng.random() < 0.85:
            p.self_grade = rng.choice(self_grades)
            p.self_summary = rng.choice(SUMMARIES)
            p.self_submitted_at = now - datetime.timedelta(days=rng.randint(1, 15))
        if rng.random() < 0.7:
            p.org_score = rng.choice([72, 78, 82, 85, 88, 90, 92, 95, 98])
            p.org_comment = "表现良好" if p.org_score < 90 else "表现突出"
    Participant.objects.bulk_update(
        people,
        ["self_grade", "self_summary", "self_submitted_at", "org_score", "org_comment"],
        batch_size=1000,
    )
    by_branch: dict[int, list[Participant]] = {}
    for p in people:
        by_branch.setdefault(p.branch_id, []).append(p)
    peer_grades = [Grade.EXCELLENT] * 3 + [Grade.QUALIFIED] * 6 + [Grade.BASIC]
    ratings: list[PeerRating] = []
    for group in by_branch.values():
        for rater in group:
            if rng.random() > 0.8:
                continue
            others = [o for o in group if o.pk != rater.pk]
            for ratee in rng.sample(others, min(len(others), 8)):
                ratings.append(
                    PeerRating(campaign=campaign, rater=rater, ratee=ratee, grade=rng.choice(peer_grades))
                )
    PeerRating.objects.bulk_create(ratings, batch_size=2000)
    tokens: list[MassToken] = []
    responses: list[MassResponse] = []
    kinds = ["masses", "recipient", "colleague"]
    mass_grades = [Grade.EXCELLENT] * 4 + [Grade.QUALIFIED] * 5 + [Grade.BASIC]
    for p in people:
        if rng.random() > 0.3:
            continue
        for _ in range(rng.randint(2, 4)):
            kind = rng.choice(kinds)
            raw = f"demo-{seed}-{p.pk}-{len(tokens)}-{rng.random()}"
            tokens.append(
                MassToken(
                    campaign=campaign,
                    ratee=p,
                    token_hash=hashlib.sha256(raw.encode()).hexdigest(),
                    rater_kind=kind,
                    used=True,
                )
            )
            responses.append(
                MassResponse(
                    campaign=campaign,
                    ratee=p,
                    rater_kind=kind,
                    grade=rng.choice(mass_grades),
                    comment=rng.choice(COMMENTS),
                )
            )
    MassToken.objects.bulk_create(tokens, batch_size=2000)
    rng.shuffle(responses)
    MassResponse.objects.bulk_create(responses, batch_size=2000)
    services.suggest_grades(campaign)
    # about half of the branches have decided: as suggested
    decided: list[Participant] = []
    people = list(campaign.participants.filter(graded=True))
    branches = sorted({p.branch_id for p in people})
    chosen = set(rng.sample(branches, len(branches) // 2))
    for p in people:
        if p.branch_id in chosen and p.suggested_grade:
            p.final_grade, p.decided_at = p.suggested_grade, now
            decided.append(p)
    Participant.objects.bulk_update(decided, ["final_grade", "decided_at"], batch_size=1000)
    return len(people) + len(ratings) + len(responses)
