"""Every write of 民主评议: campaigns, self-assessment, peer and mass ratings, the organisation's assessment, the
suggested grades and the branch's decision."""

from __future__ import annotations

import hashlib
import math
import secrets
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from partyedu.members.models import Member
from partyedu.orgs.models import subtree_q

from .models import (
    DEFAULT_WEIGHTS,
    GRADE_SCORE,
    RATER_KINDS,
    WEIGHT_LABELS,
    Campaign,
    CampaignStatus,
    Grade,
    MassResponse,
    MassToken,
    Participant,
    PeerRating,
    ReviewRating,
)

EXCELLENT_FLOOR = Decimal("85")
QUALIFIED_FLOOR = Decimal("60")
BASIC_FLOOR = Decimal("45")


def _clean_weights(weights: dict | None) -> dict:
    weights = {k: int(v) for k, v in (weights or DEFAULT_WEIGHTS).items() if k in WEIGHT_LABELS}
    if any(v < 0 for v in weights.values()):
        raise ValidationError({"weights": "权重不能为负数"})
    if sum(weights.values()) != 100:
        raise ValidationError({"weights": f"各项权重之和应为100，现为{sum(weights.values())}"})
    return weights


@transaction.atomic
def create_campaign(
    root, *, year: int, title: str, opens_on, closes_on, weights=None, excellent_quota=None, by=None
):
    """A campaign over `root`'s subtree: every full and probationary member on the rolls takes part; only full
    members are graded."""
    if closes_on < opens_on:
        raise ValidationError({"closes_on": "截止日期不能早于开始日期"})
    if not (title or "").strip():
        raise ValidationError({"title": "请填写名称"})
    quota = Decimal(str(excellent_quota)) if excellent_quota is not None else Decimal("0.333")
    if not Decimal("0") <= quota <= Decimal("1"):
        raise ValidationError({"excellent_quota": "优秀比例应在0到1之间"})
    campaign = Campaign.objects.create(
        root=root,
        year=year,
        title=title.strip(),
        weights=_clean_weights(weights),
        excellent_quota=quota,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=by,
        status=CampaignStatus.OPEN,
    )
    members = Member.objects.filter(
        subtree_q(root.path, "organization__path"), left_on__isnull=True, status__in=["full", "probationary"]
    ).values_list("pk", "organization_id", "status")
    Participant.objects.bulk_create(
        Participant(campaign=campaign, member_id=pk, branch_id=org_id, graded=status == "full")
        for pk, org_id, status in members
    )
    return campaign


def _require_open(campaign: Campaign) -> None:
    today = timezone.localdate()
    if campaign.status != CampaignStatus.OPEN or not campaign.opens_on <= today <= campaign.closes_on:
        raise ValidationError("本次评议不在进行中")


@transaction.atomic
def submit_self_assessment(participant: Participant, *, grade: str, summary: str) -> Participant:
    _require_open(participant.campaign)
    if grade not in Grade.values:
        raise ValidationError({"self_grade": "请选择自评等次"})
    if len((summary or "").strip()) < 50:
        raise ValidationError({"self_summary": "自评材料不少于50字"})
    participant.self_grade, participant.self_summary = grade, summary.strip()
    participant.self_submitted_at = timezone.now()
    participant.save(update_fields=["self_grade", "self_summary", "self_submitted_at"])
    return participant


@transaction.atomic
def rate_peer(rater: Participant, ratee: Participant, grade: str) -> PeerRating:
    """One member rates another of his branch (changeable until the campaign closes)."""
    _require_open(rater.campaign)
    if rater.campaign_id != ratee.campaign_id or rater.branch_id != ratee.branch_id:
        raise ValidationError("只能评议本支部的党员")
    if rater.pk == ratee.pk:
        raise ValidationError("不能评议自己")
    if grade not in Grade.values:
        raise ValidationError("请选择等次")
    rating, _ = PeerRating.objects.update_or_create(
        rater=rater, ratee=ratee, defaults={"campaign_id": rater.campaign_id, "grade": grade}
    )
    return rating


def excellent_places(graded: int, quota: Decimal) -> int:
    """How many may be 优秀 among `graded`: the share read as the simple fraction it stands for (0.333 → 1/3)."""
    return math.floor(graded * Fraction(str(quota)).limit_denominator(100))


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_mass_tokens(ratee: Participant, count: int, *, rater_kind: str = "masses") -> list[str]:
    """One-time links for outside raters (群众、服务对象). The raw tokens are returned once, for the QR sheet."""
    if rater_kind not in RATER_KINDS:
        raise ValidationError("未知的评议人类别")
    if not 1 <= count <= 50:
        raise ValidationError("每次生成1到50个评议码")
    raws = [secrets.token_urlsafe(18) for _ in range(count)]
    MassToken.objects.bulk_create(
        MassToken(campaign_id=ratee.campaign_id, ratee=ratee, token_hash=_hash(raw), rater_kind=rater_kind)
        for raw in raws
    )
    return raws


def token_for(raw: str) -> MassToken | None:
    return (
        MassToken.objects.select_related("campaign", "ratee__member")
        .filter(token_hash=_hash(raw or ""))
        .first()
    )


@transaction.atomic
def submit_mass_rating(raw: str, *, grade: str, comment: str = "") -> MassResponse:
    """An outside rater answers through his link: once. The response keeps nothing that leads back to the link."""
    token = token_for(raw)
    if token is None:
        raise ValidationError("评议码无效")
    _require_open(token.campaign)
    if grade not in Grade.values:
        raise ValidationError("请选择评价等次")
    claimed = MassToken.objects.filter(pk=token.pk, used=False).update(used=True)
    if not claimed:
        raise ValidationError("该评议码已经使用过，每个评议码只能评价一次")
    return MassResponse.objects.create(
        campaign_id=token.campaign_id,
        ratee_id=token.ratee_id,
        rater_kind=token.rater_kind,
        grade=grade,
        comment=(comment or "").strip()[:300],
    )


@transaction.atomic
def assess(participant: Participant, *, score: int, comment: str = "", by=None) -> Participant:
    if not 0 <= int(score) <= 100:
        raise ValidationError({"org_score": "组织评价分应在0到100之间"})
    participant.org_score, participant.org_comment = int(score), (comment or "").strip()[:300]
    participant.save(update_fields=["org_score", "org_comment"])
    return participant


def _avg_grade_score(rows) -> dict[int, Decimal]:
    sums: dict[int, list[int]] = defaultdict(list)
    for ratee_id, grade in rows:
        sums[ratee_id].append(GRADE_SCORE[grade])
    return {k: Decimal(sum(v)) / len(v) for k, v in sums.items()}


def _q(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)


@transaction.atomic
def suggest_grades(campaign: Campaign) -> int:
    """Compute each participant's components, composite and suggested grade, and say how it was reached."""
    from partyedu.hours.models import COMMITTEE_HOURS, STATUTORY_HOURS, MemberYearHours
    from partyedu.hours.selectors import committee_member_ids
    from partyedu.meetings.models import Attendance, AttendanceRole, AttendanceStatus, MeetingStatus
    from partyedu.points.models import PointsTotal

    people = list(campaign.participants.select_related("member"))
    member_ids = [p.member_id for p in people]
    peer = _avg_grade_score(PeerRating.objects.filter(campaign=campaign).values_list("ratee_id", "grade"))
    mass = _avg_grade_score(MassResponse.objects.filter(campaign=campaign).values_list("ratee_id", "grade"))
    points = dict(
        PointsTotal.objects.filter(member_id__in=member_ids, period=str(campaign.year)).values_list(
            "member_id", "total"
        )
    )
    best = max(points.values(), default=Decimal("0"))
    attendance = {
        row["member_id"]: row
        for row in Attendance.objects.filter(
            member_id__in=member_ids,
            role=AttendanceRole.ATTENDEE,
            meeting__status=MeetingStatus.HELD,
            meeting__held_on__year=campaign.year,
        )
        .values("member_id")
        .annotate(expected=Count("pk"), present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)))
    }
    hours = dict(
        MemberYearHours.objects.filter(member_id__in=member_ids, year=campaign.year).values_list(
            "member_id", "total"
        )
    )
    committee = committee_member_ids(member_ids, campaign.year)
    for p in people:
        parts: dict[str, dict] = {}
        if p.self_grade:
            parts["self"] = {"score": GRADE_SCORE[p.self_grade], "raw": p.get_self_grade_display()}
        if p.pk in peer:
            parts["peer"] = {"score": _q(peer[p.pk]), "raw": f"{_q(peer[p.pk])}"}
        if p.pk in mass:
            parts["mass"] = {"score": _q(mass[p.pk]), "raw": f"{_q(mass[p.pk])}"}
        if p.org_score is not None:
            parts["org"] = {"score": p.org_score, "raw": str(p.org_score)}
        mine = points.get(p.member_id, Decimal("0"))
        if best > 0:  # against the campaign's best; no information when nobody has points
            parts["points"] = {"score": _q(max(mine, Decimal("0")) * 100 / best), "raw": f"{mine}分"}
        att = attendance.get(p.member_id)
        if att and att["expected"]:
            parts["attendance"] = {
                "score": _q(Decimal(att["present"] * 100) / att["expected"]),
                "raw": f"{att['present']}/{att['expected']}",
            }
        required = COMMITTEE_HOURS if p.member_id in committee else STATUTORY_HOURS
        got = hours.get(p.member_id, Decimal("0"))
        parts["hours"] = {
            "score": _q(min(Decimal("100"), got * 100 / required)),
            "raw": f"{got}/{required}学时",
        }
        weight_sum = sum(campaign.weight(k) for k in parts)
        composite = (
            _q(sum(Decimal(str(v["score"])) * campaign.weight(k) for k, v in parts.items()) / weight_sum)
            if weight_sum
            else Decimal("0")
        )
        for key, value in parts.items():
            value["score"] = str(value["score"])
            value["weight"] = campaign.weight(key)
            value["label"] = WEIGHT_LABELS[key]
        p.components, p.composite = parts, composite
        p.weight_covered = weight_sum
    by_branch: dict[int, list[Participant]] = defaultdict(list)
    for p in people:
        by_branch[p.branch_id].append(p)
    for group in by_branch.values():
        graded = sorted((p for p in group if p.graded), key=lambda p: (-p.composite, p.member.sort_key))
        quota = excellent_places(len(graded), campaign.excellent_quota)
        excellent = 0
        for place, p in enumerate(graded, start=1):
            if p.composite >= EXCELLENT_FLOOR and excellent < quota:
                p.suggested_grade = Grade.EXCELLENT
                excellent += 1
            elif p.composite >= QUALIFIED_FLOOR:
                p.suggested_grade = Grade.QUALIFIED
            elif p.composite >= BASIC_FLOOR:
                p.suggested_grade = Grade.BASIC
            else:
                p.suggested_grade = Grade.UNQUALIFIED
            note = f"综合得分{p.composite}，本支部第{place}名/{len(graded)}人，优秀名额{quota}名"
            if p.composite >= EXCELLENT_FLOOR and p.suggested_grade != Grade.EXCELLENT:
                note += "（已超出优秀名额）"
            if p.weight_covered < 50:  # most parts have no data yet: say so rather than let it pass unseen
                note += f"；有数据的项目权重合计仅{p.weight_covered}%，请核实"
            p.suggestion_note = note
        for p in group:
            if not p.graded:
                p.suggested_grade = ""
                p.suggestion_note = "预备党员参加评议，不评定等次"
    Participant.objects.bulk_update(people, ["components", "composite", "suggested_grade", "suggestion_note"])
    return len(people)


@transaction.atomic
def decide(participant: Participant, *, grade: str, note: str = "", by=None) -> Participant:
    """The branch's decision. 预备党员 are not graded; 优秀 stays within the branch's quota."""
    participant = Participant.objects.select_for_update().select_related("campaign").get(pk=participant.pk)
    if not participant.graded:
        raise ValidationError("预备党员参加评议，但不评定等次")
    if grade not in Grade.values:
        raise ValidationError("请选择等次")
    if grade == Grade.EXCELLENT:
        campaign = participant.campaign
        graded = Participant.objects.filter(campaign=campaign, branch_id=participant.branch_id, graded=True)
        quota = excellent_places(graded.count(), campaign.excellent_quota)
        taken = graded.filter(final_grade=Grade.EXCELLENT).exclude(pk=participant.pk).count()
        if taken >= quota:
            raise ValidationError(f"本支部优秀名额为{quota}名，已评定{taken}名")
    if grade != participant.suggested_grade and not (note or "").strip():
        raise ValidationError("评定等次与建议等次不同，请说明理由")
    participant.final_grade, participant.final_note = grade, (note or "").strip()[:300]
    participant.decided_by, participant.decided_at = by, timezone.now()
    participant.save(update_fields=["final_grade", "final_note", "decided_by", "decided_at"])
    return participant


@transaction.atomic
def close_campaign(campaign: Campaign, *, by=None) -> Campaign:
    campaign.status = CampaignStatus.CLOSED
    campaign.save(update_fields=["status"])
    return campaign


@transaction.atomic
def rate_review(campaign: Campaign, branch, *, rater, score: int, comment: str = "") -> ReviewRating:
    """书记抓党建述职评议: one score per rater and branch (changeable); the view checks the rater's standing."""
    try:
        score = int(score)
    except (TypeError, ValueError):
        raise ValidationError({"score": "请填写0到100的评分"}) from None
    if not 0 <= score <= 100:
        raise ValidationError({"score": "评分应在0到100之间"})
    rating, _ = ReviewRating.objects.update_or_create(
        campaign=campaign,
        branch=branch,
        rater=rater,
        defaults={"score": score, "comment": (comment or "").strip()[:300]},
    )
    return rating
