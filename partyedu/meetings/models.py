"""Organisational life: every meeting recorded once, with who was expected, who came and what was decided.

Ledgers (台账), compliance checks, alerts and later points all read these rows; nothing is typed twice.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone

from partyedu.members.models import Member
from partyedu.orgs.models import Organization


class MeetingKind(models.TextChoices):
    BRANCH_ASSEMBLY = "branch_assembly", "支部党员大会"
    BRANCH_COMMITTEE = "branch_committee", "支委会"
    GROUP_MEETING = "group_meeting", "党小组会"
    PARTY_LECTURE = "party_lecture", "党课"
    THEME_DAY = "theme_day", "主题党日"
    CENTER_GROUP_STUDY = "center_group_study", "理论学习中心组学习"
    READING_CLUB = "reading_club", "读书会"
    SITE_VISIT = "site_visit", "现场教学"
    MICRO_LECTURE = "micro_lecture", "微党课"
    LIFE_MEETING = "life_meeting", "组织生活会"
    OTHER = "other", "其他"


# 三会一课 and the other regular life of a branch: a leader attending these in his own branch is living the
# 双重组织生活, as an ordinary member.
BRANCH_LIFE_KINDS = {
    MeetingKind.BRANCH_ASSEMBLY,
    MeetingKind.BRANCH_COMMITTEE,
    MeetingKind.GROUP_MEETING,
    MeetingKind.PARTY_LECTURE,
    MeetingKind.THEME_DAY,
    MeetingKind.LIFE_MEETING,
    MeetingKind.MICRO_LECTURE,
    MeetingKind.SITE_VISIT,
}


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "已计划"
    HELD = "held", "已召开"
    CANCELLED = "cancelled", "已取消"


def new_signin_key() -> str:
    return secrets.token_urlsafe(16)


class MeetingQuerySet(models.QuerySet):
    def held(self):
        return self.filter(status=MeetingStatus.HELD)


class Meeting(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name="党组织", on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField("类型", max_length=32, choices=MeetingKind.choices)
    theme = models.CharField("主题", max_length=200)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    # The local (Asia/Shanghai) date of starts_at: what months, quarters and compliance periods count by.
    held_on = models.DateField("日期", editable=False, db_index=True)
    place = models.CharField("地点", max_length=200, blank=True)
    host = models.ForeignKey(
        Member, verbose_name="主持人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorder = models.ForeignKey(
        Member, verbose_name="记录人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    notice = models.TextField("会议通知", blank=True)
    notified_at = models.DateTimeField("通知时间", null=True, blank=True)
    minutes = models.TextField("会议记录", blank=True, help_text="已清理的 HTML")
    decisions = models.TextField("决议事项", blank=True)
    # Kept by services.refresh_counts after every attendance change, so boards and ledgers sum meetings,
    # not attendance rows.
    expected_count = models.PositiveIntegerField("应到", default=0)
    present_count = models.PositiveIntegerField("实到", default=0)
    leave_count = models.PositiveIntegerField("请假", default=0)
    absent_count = models.PositiveIntegerField("缺席", default=0)
    observer_count = models.PositiveIntegerField("列席", default=0)
    # Signs the QR tokens of this meeting; regenerating it voids every code already shown or photographed.
    signin_key = models.CharField(max_length=40, default=new_signin_key, editable=False)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "会议活动"
        verbose_name_plural = "会议活动"
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "held_on"], name="meeting_org_day"),
            models.Index(fields=["held_on", "kind", "status"], name="meeting_day_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}：{self.theme}"

    def save(self, *args, **kwargs):
        self.held_on = timezone.localtime(self.starts_at).date()
        super().save(*args, **kwargs)

    @property
    def attendance_rate(self) -> float | None:
        return self.present_count / self.expected_count if self.expected_count else None


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField("议题", max_length=300)
    is_first_agenda = models.BooleanField("第一议题", default=False)
    speaker = models.CharField("主讲/发言人", max_length=100, blank=True)
    notes = models.TextField("内容摘要", blank=True)

    class Meta:
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(is_first_agenda=True), name="one_first_agenda_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return self.title


class AttendanceRole(models.TextChoices):
    ATTENDEE = "attendee", "应到人员"
    OBSERVER = "observer", "列席旁听"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


class SignInMethod(models.TextChoices):
    QR = "qr", "扫码签到"
    MANUAL = "manual", "补签"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendances")
    role = models.CharField(
        "身份", max_length=16, choices=AttendanceRole.choices, default=AttendanceRole.ATTENDEE
    )
    status = models.CharField(
        "出席情况", max_length=16, choices=AttendanceStatus.choices, default=AttendanceStatus.ABSENT
    )
    leave_reason = models.CharField("请假事由", max_length=200, blank=True)
    leave_requested_at = models.DateTimeField("请假时间", null=True, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    method = models.CharField("签到方式", max_length=16, choices=SignInMethod.choices, blank=True)
    dual_life = models.BooleanField("双重组织生活", default=False)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "出席记录"
        verbose_name_plural = "出席记录"
        ordering = ["meeting", "role", "member__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")
        ]
        indexes = [models.Index(fields=["member", "status"], name="attendance_member_status")]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.meeting_id}: {self.status}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"meetings/{instance.meeting_id}/{secrets.token_hex(8)}-{filename[-80:]}"


class Attachment(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class CommitteeBody(models.TextChoices):
    BRANCH_COMMITTEE = "branch_committee", "支部委员会"
    CENTER_GROUP = "center_group", "理论学习中心组"


class CommitteeMember(models.Model):
    """Who sits on a branch committee (支委) or a unit's theory-study center group, from when to when:
    the expected attendees of 支委会 and 中心组学习."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="committee_members")
    body = models.CharField(max_length=20, choices=CommitteeBody.choices)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="committee_seats")
    position = models.CharField("职务", max_length=40, blank=True, help_text="如：书记、组织委员、组长、成员")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["organization", "body", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "body", "member"],
                condition=Q(ended_on__isnull=True),
                name="one_open_seat_per_member_body",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.body} {self.member_id}"


class MemberLifeStats(models.Model):
    """Each member's organisational life at a glance, kept by services when attendance is recorded, so the
    compliance board finds '3 absences in a row' and 'no life for 6 months' without scanning attendance."""

    member = models.OneToOneField(
        Member, on_delete=models.PROTECT, related_name="life_stats", primary_key=True
    )
    last_present_on = models.DateField(null=True, blank=True, db_index=True)
    last_expected_on = models.DateField(null=True, blank=True)
    consecutive_absences = models.PositiveSmallIntegerField(default=0, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.member_id}: {self.consecutive_absences}"
