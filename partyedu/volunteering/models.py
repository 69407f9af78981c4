"""志愿服务 and 双报到: the communities members and organisations report to, their registrations, volunteer
activities and the records of hours served. Only confirmed records count anywhere (stats, points, the
development app's cultivation record)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Community(models.Model):
    """A residential community (社区) that organisations and members register with; a county-wide list."""

    name = models.CharField("社区名称", max_length=100, unique=True)
    street = models.CharField("所属街道/乡镇", max_length=100, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["street", "name"]
        verbose_name = verbose_name_plural = "社区"

    def __str__(self) -> str:
        return f"{self.street}{self.name}" if self.street else self.name


class CheckInKind(models.TextChoices):
    ORGANIZATION = "organization", "单位党组织到社区报到"
    MEMBER = "member", "在职党员到社区报到"


class CommunityCheckIn(models.Model):
    """双报到: an organisation registers with the community it serves, a member with the community he lives in.

    `organization` is the registering organisation, or for a member his branch when he registered, so that
    both kinds are scoped to the subtree the same way. One current registration per organisation and per member:
    registering again changes it (people move house)."""

    kind = models.CharField("报到类型", max_length=16, choices=CheckInKind.choices)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name="党员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.PROTECT, related_name="checkins"
    )
    registered_on = models.DateField("报到日期")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "双报到"
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(kind="member"), name="volunteering_one_checkin_per_member"
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(kind="organization"),
                name="volunteering_one_checkin_per_org",
            ),
            models.CheckConstraint(
                condition=(Q(kind="member") & Q(member__isnull=False))
                | (Q(kind="organization") & Q(member__isnull=True)),
                name="volunteering_checkin_member_iff_member_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member or self.organization} → {self.community}"


class Theme(models.TextChoices):
    # 每月突出一个主题 (seed 002)
    THEORY = "theory", "理论宣讲"
    CLEAN = "clean", "清洁家园"
    POVERTY = "poverty", "扶贫济困"
    ELDERLY = "elderly", "敬老救孤"
    DISABLED = "disabled", "恤病助残"
    OTHER = "other", "其他公益"


class VolunteerActivity(models.Model):
    """An organised volunteer activity, open to the members of a subtree (`open_to`)."""

    title = models.CharField("活动名称", max_length=120)
    theme = models.CharField("服务主题", max_length=16, choices=Theme.choices)
    organizer = models.ForeignKey(
        "orgs.Organization", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+"
    )
    open_to = models.ForeignKey(
        "orgs.Organization", verbose_name="面向范围", on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField("地点", max_length=120)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    capacity = models.PositiveIntegerField("招募人数", null=True, blank=True, help_text="不填表示不限")
    description = models.TextField("活动内容", blank=True)
    community = models.ForeignKey(
        Community, verbose_name="服务社区", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = verbose_name_plural = "志愿服务活动"
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def default_hours(self) -> Decimal:
        """The activity's length in hours, to the half hour: what a present volunteer is credited by default."""
        seconds = max((self.ends_at - self.starts_at).total_seconds(), 0)
        halves = round(seconds / 1800)
        return Decimal(halves) / 2

    def has_started(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.starts_at


class RecordStatus(models.TextChoices):
    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已确认"
    REJECTED = "rejected", "未通过"


def evidence_upload_to(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"volunteering/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class VolunteerRecord(models.Model):
    """Hours one member served: a sign-up to an activity (confirmed by its organiser) or a service he reports
    himself (confirmed by his branch). Only `confirmed` counts."""

    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.PROTECT, related_name="volunteer_records"
    )
    # The member's branch when the record was made: whose workers confirm a self-reported service.
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="所在党组织", on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        VolunteerActivity,
        verbose_name="志愿服务活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    title = models.CharField("服务内容", max_length=120)
    theme = models.CharField("服务主题", max_length=16, choices=Theme.choices, default=Theme.OTHER)
    served_on = models.DateField("服务日期")
    hours = models.DecimalField("服务时长（小时）", max_digits=5, decimal_places=1)
    description = models.TextField("服务情况", blank=True)
    evidence = models.FileField("照片", upload_to=evidence_upload_to, max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=RecordStatus.choices, default=RecordStatus.PENDING
    )
    reject_reason = models.CharField("未通过原因", max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Bumped when a credit is taken back (rejection after confirmation, hours corrected), so that the next
    # confirmation credits under a fresh source key while a repeated one stays idempotent.
    credit_revision = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-served_on", "-pk"]
        verbose_name = verbose_name_plural = "志愿服务记录"
        constraints = [
            models.UniqueConstraint(
                fields=["member", "activity"],
                condition=Q(activity__isnull=False),
                name="volunteering_one_signup_per_activity",
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="volunteering_hours_positive"),
        ]
        indexes = [models.Index(fields=["status", "served_on"])]

    def __str__(self) -> str:
        return f"{self.member} {self.title} {self.hours}小时"

    @property
    def source_key(self) -> str:
        base = f"volunteer:{self.pk}"
        return base if not self.credit_revision else f"{base}:{self.credit_revision}"

    @property
    def is_self_reported(self) -> bool:
        return self.activity_id is None
