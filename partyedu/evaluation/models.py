"""民主评议党员 (annual, 多主体评价): a campaign over a subtree and year, with self-assessment, peer ratings inside the
branch, anonymous ratings of service recipients and the masses, and the organisation's assessment, combined with
points, attendance and 学时 into a suggested grade that shows how it was reached; the branch decides.

Anonymity of mass ratings: a `MassToken` is a one-time link; a `MassResponse` has a random primary key, no time and
no reference to its token, and the token keeps only "used" — so nothing stored links a response to a link.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    QUALIFIED = "qualified", "合格"
    BASIC = "basic", "基本合格"
    UNQUALIFIED = "unqualified", "不合格"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "准备中"
    OPEN = "open", "评议中"
    CLOSED = "closed", "已结束"


DEFAULT_WEIGHTS = {"self": 10, "peer": 25, "mass": 15, "org": 20, "points": 10, "attendance": 10, "hours": 10}
WEIGHT_LABELS = {
    "self": "个人自评",
    "peer": "党员互评",
    "mass": "群众评议",
    "org": "组织评价",
    "points": "积分",
    "attendance": "组织生活出勤",
    "hours": "学时完成",
}


class Campaign(models.Model):
    root = models.ForeignKey(
        "orgs.Organization", verbose_name="评议范围", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=120)
    status = models.CharField(
        "状态", max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    weights = models.JSONField("权重", default=dict)
    # 优秀 at most this share of the graded members of each branch (default one third)
    excellent_quota = models.DecimalField(
        "优秀比例上限", max_digits=4, decimal_places=3, default=Decimal("0.333")
    )
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return self.title

    def weight(self, key: str) -> int:
        return int((self.weights or DEFAULT_WEIGHTS).get(key, 0))


class Participant(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="evaluations")
    branch = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    # 预备党员 take part (self-assessment, ratings) but are not graded
    graded = models.BooleanField(default=True)
    self_grade = models.CharField("自评等次", max_length=12, choices=Grade.choices, blank=True)
    self_summary = models.TextField("自评材料", blank=True)
    self_submitted_at = models.DateTimeField(null=True, blank=True)
    org_score = models.PositiveSmallIntegerField("组织评价（0-100）", null=True, blank=True)
    org_comment = models.CharField("组织评价意见", max_length=300, blank=True)
    composite = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    components = models.JSONField(default=dict, blank=True)  # each part's raw value, 0-100 score and weight
    suggested_grade = models.CharField(max_length=12, choices=Grade.choices, blank=True)
    suggestion_note = models.CharField(max_length=300, blank=True)
    final_grade = models.CharField("评定等次", max_length=12, choices=Grade.choices, blank=True)
    final_note = models.CharField("评定说明", max_length=300, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["branch__path", "member__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "member"], name="one_participation_per_campaign")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.member_id}"


class PeerRating(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="peer_ratings")
    rater = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="ratings_given")
    ratee = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="peer_ratings")
    grade = models.CharField(max_length=12, choices=Grade.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rater", "ratee"], name="one_peer_rating_per_pair"),
            models.CheckConstraint(condition=~Q(rater=models.F("ratee")), name="no_rating_oneself"),
        ]

    def __str__(self) -> str:
        return f"{self.rater_id}->{self.ratee_id}"


class MassToken(models.Model):
    """A one-time link for one outside rater about one member. Only its hash is kept; no time of use."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="mass_tokens")
    ratee = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="mass_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    rater_kind = models.CharField("评议人类别", max_length=12, default="masses")
    used = models.BooleanField(default=False)
    issued_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"token {self.pk}"


class MassResponse(models.Model):
    # A random key and no timestamp: the order and time of responses cannot be matched to the tokens' order.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="mass_responses")
    ratee = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="mass_responses")
    rater_kind = models.CharField(max_length=12)
    grade = models.CharField(max_length=12, choices=Grade.choices)
    comment = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"mass {self.ratee_id}"


RATER_KINDS = {"masses": "群众", "recipient": "服务对象", "colleague": "同事"}
GRADE_SCORE = {Grade.EXCELLENT: 95, Grade.QUALIFIED: 80, Grade.BASIC: 60, Grade.UNQUALIFIED: 30}


class ReviewRating(models.Model):
    """书记抓党建述职评议: a worker of the parent organisation scores a branch's secretary review (0-100)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="review_ratings")
    branch = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    rater = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField("评分（0-100）")
    comment = models.CharField("评议意见", max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "branch", "rater"], name="one_review_rating_per_rater"
            )
        ]

    def __str__(self) -> str:
        return f"review {self.branch_id} by {self.rater_id}"
