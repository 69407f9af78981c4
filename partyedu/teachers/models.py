"""师资库 (百优名师 / 百佳课堂): teachers and the courses they offer, open to every organisation of the county.

An organisation's workers request a course; the teacher (through his own account) or the pool's admin accepts
it with a time and a place, and it becomes the organisation's 党课 meeting, where attendance (and so 学时) is
recorded once. Members who were present rate the lecture; the ratings rank the catalogue.

The rating and teaching figures of teachers and courses are kept on their rows by services.refresh_stats, so
the catalogue sorts and pages them without a join per row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from partyedu.meetings.models import Meeting
from partyedu.members.models import Member
from partyedu.orgs.models import Organization


class TeachingArea(models.TextChoices):
    POLITICS = "politics", "政治理论"
    ECONOMY = "economy", "现代经济"
    SOCIETY = "society", "社会管理"
    SCIENCE = "science", "科学技术"
    MODELS = "models", "先进典型"
    PARTY_HISTORY = "party_history", "党史党建"
    RULE_OF_LAW = "rule_of_law", "法治建设"
    CULTURE = "culture", "文化素养"


AREA_LABELS = dict(TeachingArea.choices)


class TeacherKind(models.TextChoices):
    INTERNAL = "internal", "县直机关内部"
    EXTERNAL = "external", "外聘"


class TeacherStatus(models.TextChoices):
    ACTIVE = "active", "在库"
    RETIRED = "retired", "已退出"


class Teacher(models.Model):
    name = models.CharField("姓名", max_length=40)
    kind = models.CharField("类别", max_length=16, choices=TeacherKind.choices, default=TeacherKind.EXTERNAL)
    member = models.ForeignKey(
        Member,
        verbose_name="关联党员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teacher_profiles",
    )
    unit = models.CharField("工作单位", max_length=100, blank=True)
    title = models.CharField("职务/职称", max_length=100, blank=True)
    # Several areas per teacher, stored as ",politics,economy," so that one area is a plain
    # `areas__contains=",politics,"` on SQLite and PostgreSQL alike (the pool is a few hundred rows).
    areas = models.CharField("授课方向", max_length=200, default=",")
    bio = models.TextField("个人简介", blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True, help_text="仅党务工作者可见")
    status = models.CharField(
        "状态", max_length=16, choices=TeacherStatus.choices, default=TeacherStatus.ACTIVE
    )
    # With an account the teacher accepts or declines requests himself and edits his own courses.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teacher_profile",
    )
    # Kept by services.refresh_stats.
    rating_count = models.PositiveIntegerField("评价人次", default=0)
    rating_total = models.PositiveIntegerField("评分合计", default=0)
    taught_count = models.PositiveIntegerField("授课次数", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "师资"
        verbose_name_plural = "师资"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def area_codes(self) -> list[str]:
        return [a for a in self.areas.split(",") if a in AREA_LABELS]

    @property
    def area_labels(self) -> list[str]:
        return [AREA_LABELS[a] for a in self.area_codes]

    @property
    def is_active(self) -> bool:
        return self.status == TeacherStatus.ACTIVE

    @property
    def average(self) -> float | None:
        return self.rating_total / self.rating_count if self.rating_count else None

    @property
    def affiliation(self) -> str:
        return " ".join(x for x in (self.unit, self.title) if x)


def pack_areas(codes) -> str:
    """The stored form of a set of areas, in the order of TeachingArea."""
    wanted = set(codes or [])
    return "," + "".join(f"{a}," for a in TeachingArea.values if a in wanted)


class CourseFormat(models.TextChoices):
    LECTURE = "lecture", "讲授"
    SEMINAR = "seminar", "研讨"
    ON_SITE = "on_site", "现场教学"
    MICRO = "micro", "微党课"


class CourseStatus(models.TextChoices):
    OPEN = "open", "开放预约"
    CLOSED = "closed", "暂停"


class Course(models.Model):
    teacher = models.ForeignKey(
        Teacher, verbose_name="授课教师", on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField("课程名称", max_length=120)
    area = models.CharField("方向", max_length=16, choices=TeachingArea.choices)
    summary = models.TextField("课程简介", blank=True)
    minutes = models.PositiveIntegerField("时长（分钟）", default=90)
    format = models.CharField(
        "形式", max_length=16, choices=CourseFormat.choices, default=CourseFormat.LECTURE
    )
    status = models.CharField("状态", max_length=16, choices=CourseStatus.choices, default=CourseStatus.OPEN)
    rating_count = models.PositiveIntegerField("评价人次", default=0)
    rating_total = models.PositiveIntegerField("评分合计", default=0)
    taught_count = models.PositiveIntegerField("授课次数", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "课程"
        verbose_name_plural = "课程"
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=10) & Q(minutes__lte=480), name="course_minutes_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == CourseStatus.OPEN

    @property
    def average(self) -> float | None:
        return self.rating_total / self.rating_count if self.rating_count else None


class PreferredPeriod(models.TextChoices):
    ANY = "any", "不限"
    MORNING = "morning", "上午"
    AFTERNOON = "afternoon", "下午"
    EVENING = "evening", "晚上"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "待答复"
    ACCEPTED = "accepted", "已安排"
    DECLINED = "declined", "已谢绝"
    CANCELLED = "cancelled", "已取消"


class LectureRequest(models.Model):
    course = models.ForeignKey(Course, verbose_name="课程", on_delete=models.PROTECT, related_name="requests")
    # The course's teacher when asked: the conflict check locks and searches by it.
    teacher = models.ForeignKey(
        Teacher, verbose_name="教师", on_delete=models.PROTECT, related_name="requests"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="申请党组织", on_delete=models.PROTECT, related_name="lecture_requests"
    )
    preferred_from = models.DateField("期望日期（起）")
    preferred_to = models.DateField("期望日期（止）")
    preferred_period = models.CharField(
        "期望时段", max_length=16, choices=PreferredPeriod.choices, default=PreferredPeriod.ANY
    )
    audience = models.PositiveIntegerField("预计听课人数")
    note = models.CharField("备注", max_length=300, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    scheduled_start = models.DateTimeField("开始时间", null=True, blank=True)
    scheduled_end = models.DateTimeField("结束时间", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    decline_reason = models.CharField("谢绝原因", max_length=200, blank=True)
    # One request, one 党课 meeting of the requesting organisation.
    meeting = models.OneToOneField(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="lecture_request"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField("申请时间", default=timezone.now)

    class Meta:
        verbose_name = "授课申请"
        verbose_name_plural = "授课申请"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["teacher", "status", "scheduled_start"], name="lecture_teacher_time"),
            models.Index(fields=["organization", "status"], name="lecture_org_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(preferred_to__gte=models.F("preferred_from")), name="lecture_preferred_order"
            ),
            models.CheckConstraint(
                condition=Q(scheduled_start__isnull=True) | Q(scheduled_end__gt=models.F("scheduled_start")),
                name="lecture_schedule_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.course}"

    @property
    def preferred_label(self) -> str:
        days = (
            f"{self.preferred_from:%Y-%m-%d}"
            if self.preferred_from == self.preferred_to
            else f"{self.preferred_from:%Y-%m-%d} 至 {self.preferred_to:%Y-%m-%d}"
        )
        period = (
            "" if self.preferred_period == PreferredPeriod.ANY else f" {self.get_preferred_period_display()}"
        )
        return days + period


class LectureRating(models.Model):
    request = models.ForeignKey(LectureRequest, on_delete=models.CASCADE, related_name="ratings")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="lecture_ratings")
    stars = models.PositiveSmallIntegerField("评分")
    comment = models.CharField("评价", max_length=300, blank=True)
    created_at = models.DateTimeField("评价时间", default=timezone.now)

    class Meta:
        verbose_name = "党课评价"
        verbose_name_plural = "党课评价"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "member"], name="one_rating_per_member"),
            models.CheckConstraint(condition=Q(stars__gte=1) & Q(stars__lte=5), name="rating_stars_range"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.request_id}: {self.stars}"
