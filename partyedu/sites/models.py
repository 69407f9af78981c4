"""红色教育基地 / 党建阵地: a catalogue shared by every unit of the county, and the bookings organisations make.

A site is hosted by one unit but open to all, so browsing needs only a login; managing it belongs to the host
unit's workers and the committee admins. A booking belongs to the organisation that made it; when the visit has
happened it becomes that organisation's 现场教学 meeting, where attendance is recorded once.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from partyedu.meetings.models import Meeting
from partyedu.orgs.models import Organization

WEEKDAY_NAMES = "一二三四五六日"


class SiteStatus(models.TextChoices):
    ACTIVE = "active", "开放"
    CLOSED = "closed", "已关闭"


class EducationSite(models.Model):
    name = models.CharField("名称", max_length=120)
    address = models.CharField("地址", max_length=200)
    history_events = models.TextField("历史事件", blank=True)
    heroes = models.TextField("英雄人物", blank=True)
    spirit = models.TextField("精神内涵", blank=True)
    artefacts = models.TextField("主要展品", blank=True)
    capacity = models.PositiveIntegerField("每时段接待人数")
    # ISO weekday digits, Monday = 1: "234567" is 周二至周日.
    open_weekdays = models.CharField("开放日", max_length=7, default="234567")
    opens_at = models.TimeField("开放时间")
    closes_at = models.TimeField("闭馆时间")
    host = models.ForeignKey(
        Organization, verbose_name="管理单位", on_delete=models.PROTECT, related_name="education_sites"
    )
    status = models.CharField("状态", max_length=16, choices=SiteStatus.choices, default=SiteStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "红色教育基地"
        verbose_name_plural = "红色教育基地"
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="site_hours_order"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == SiteStatus.ACTIVE

    @property
    def weekdays_label(self) -> str:
        """周二至周日 for a run of days, 周一、周三、周五 otherwise."""
        days = sorted({int(d) for d in self.open_weekdays if d in "1234567"})
        if not days:
            return "暂无开放日"
        if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
            return f"周{WEEKDAY_NAMES[days[0] - 1]}至周{WEEKDAY_NAMES[days[-1] - 1]}"
        return "、".join(f"周{WEEKDAY_NAMES[d - 1]}" for d in days)

    @property
    def hours_label(self) -> str:
        def t(v):
            return f"{v.hour}:{v.minute:02d}"

        return f"{self.weekdays_label} {t(self.opens_at)}–{t(self.closes_at)}"


class SiteClosure(models.Model):
    """A day the site does not receive visitors (闭馆日), besides its weekly closed days."""

    site = models.ForeignKey(EducationSite, on_delete=models.CASCADE, related_name="closures")
    on = models.DateField("闭馆日期")
    reason = models.CharField("原因", max_length=120, blank=True)

    class Meta:
        ordering = ["on"]
        constraints = [models.UniqueConstraint(fields=["site", "on"], name="site_closure_unique_day")]

    def __str__(self) -> str:
        return f"{self.site} {self.on} 闭馆"


class SitePhoto(models.Model):
    site = models.ForeignKey(EducationSite, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="sites/%Y/%m/")
    content_type = models.CharField(max_length=60)
    caption = models.CharField("说明", max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.caption or f"{self.site} 照片"


class BookingStatus(models.TextChoices):
    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已确认"
    DECLINED = "declined", "已谢绝"
    CANCELLED = "cancelled", "已取消"
    COMPLETED = "completed", "已完成"


# Bookings that hold places at the site: a pending request does too, so the host is never asked to confirm
# more people than fit.
HOLDING = (BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.COMPLETED)


class SiteBooking(models.Model):
    site = models.ForeignKey(EducationSite, on_delete=models.PROTECT, related_name="bookings")
    organization = models.ForeignKey(
        Organization, verbose_name="预约党组织", on_delete=models.PROTECT, related_name="site_bookings"
    )
    date = models.DateField("日期")
    starts_at = models.TimeField("开始时间")
    ends_at = models.TimeField("结束时间")
    people = models.PositiveIntegerField("预计人数")
    contact_name = models.CharField("联系人", max_length=40)
    contact_phone = models.CharField("联系电话", max_length=20)
    purpose = models.CharField("活动内容", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=BookingStatus.choices, default=BookingStatus.PENDING
    )
    decline_reason = models.CharField("谢绝原因", max_length=200, blank=True)
    # One booking, one 现场教学 meeting: the unique one-to-one makes a second link impossible.
    meeting = models.OneToOneField(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="site_booking"
    )
    booked_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "基地预约"
        verbose_name_plural = "基地预约"
        ordering = ["-date", "-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["site", "date"], name="booking_site_date"),
            models.Index(fields=["organization", "date"], name="booking_org_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="booking_time_order"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.site} · {self.date}"

    @property
    def slot_label(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"
