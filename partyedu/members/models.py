"""The roster: every person on it, where they are in the development pipeline, and where they were when."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from partyedu.core.cn import chinese_sort_key, pinyin_keys
from partyedu.orgs.models import Organization, subtree_q

YOUTH_MAX_AGE = 35


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class MemberStatus(models.TextChoices):
    APPLICANT = "applicant", "入党申请人"
    ACTIVIST = "activist", "入党积极分子"
    CANDIDATE = "candidate", "发展对象"
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"


# The pipeline in order, each stage with the field that dates it.
PIPELINE = [
    (MemberStatus.APPLICANT, "applied_on"),
    (MemberStatus.ACTIVIST, "activist_on"),
    (MemberStatus.CANDIDATE, "candidate_on"),
    (MemberStatus.PROBATIONARY, "probationary_on"),
    (MemberStatus.FULL, "full_on"),
]
STAGE_LABELS = {
    "applied_on": "申请入党日期",
    "activist_on": "确定积极分子日期",
    "candidate_on": "确定发展对象日期",
    "probationary_on": "接收预备党员日期",
    "full_on": "转正日期",
}


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", "研究生"
    BACHELOR = "bachelor", "大学本科"
    COLLEGE = "college", "大学专科"
    SECONDARY = "secondary", "中专"
    HIGH_SCHOOL = "high_school", "高中"
    JUNIOR = "junior", "初中及以下"


class MemberQuerySet(models.QuerySet):
    def in_subtree(self, org: Organization) -> MemberQuerySet:
        return self.filter(subtree_q(org.path, "organization__path"))

    def current(self) -> MemberQuerySet:
        return self.filter(left_on__isnull=True)

    def youth(self, today: datetime.date | None = None) -> MemberQuerySet:
        today = today or timezone.localdate()
        return self.filter(birth_date__gt=years_before(today, YOUTH_MAX_AGE + 1))


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class Member(models.Model):
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    birth_date = models.DateField("出生日期")
    education = models.CharField("学历", max_length=20, choices=Education.choices, blank=True)
    citizen_id = models.CharField("身份证号", max_length=18, unique=True)
    mobile = models.CharField("手机号", max_length=11, blank=True, db_index=True)
    unit_name = models.CharField("工作单位", max_length=120, blank=True)
    post = models.CharField("职务/岗位", max_length=80, blank=True)
    is_leader = models.BooleanField("领导干部", default=False)
    status = models.CharField(
        "人员类别", max_length=16, choices=MemberStatus.choices, default=MemberStatus.FULL
    )
    applied_on = models.DateField("申请入党日期", null=True, blank=True)
    activist_on = models.DateField("确定积极分子日期", null=True, blank=True)
    candidate_on = models.DateField("确定发展对象日期", null=True, blank=True)
    probationary_on = models.DateField("接收预备党员日期", null=True, blank=True)
    full_on = models.DateField("转正日期", null=True, blank=True)
    joined_on = models.DateField("入党日期", null=True, blank=True)
    is_retired = models.BooleanField("离退休", default=False)
    is_mobile = models.BooleanField("流动党员", default=False)
    needs_home_delivery = models.BooleanField("行动不便需送学上门", default=False)
    organization = models.ForeignKey(
        Organization, verbose_name="所在党组织", on_delete=models.PROTECT, related_name="members"
    )
    group = models.ForeignKey(
        Organization,
        verbose_name="党小组",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_members",
    )
    left_on = models.DateField("离开日期", null=True, blank=True)
    left_reason = models.CharField("离开原因", max_length=100, blank=True)
    # Kept in step with `name` on save: pinyin search and Chinese collation on any database.
    name_pinyin = models.CharField(max_length=320, editable=False, db_index=True)
    name_initials = models.CharField(max_length=50, editable=False, db_index=True)
    sort_key = models.CharField(max_length=640, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = "党员"
        ordering = ["sort_key"]
        indexes = [
            models.Index(fields=["organization", "sort_key"], name="member_org_sort"),
            models.Index(fields=["birth_date"], name="member_birth"),
            models.Index(fields=["status"], name="member_status"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.refresh_name_keys()
        super().save(*args, **kwargs)

    def refresh_name_keys(self) -> None:
        self.name_pinyin, self.name_initials = pinyin_keys(self.name)
        self.sort_key = chinese_sort_key(self.name)

    def age(self, today: datetime.date | None = None) -> int:
        today = today or timezone.localdate()
        b = self.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))

    @property
    def is_youth(self) -> bool:
        return self.age() <= YOUTH_MAX_AGE

    @property
    def has_left(self) -> bool:
        return self.left_on is not None

    def stage_dates(self) -> list[tuple[str, datetime.date | None]]:
        return [(STAGE_LABELS[field], getattr(self, field)) for _, field in PIPELINE]


class MembershipPeriod(models.Model):
    """Where a member was enrolled from when to when: the answer to 'who belonged to this branch on that day'."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="periods")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="membership_periods"
    )
    group = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=100, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["member", "started_on", "pk"]
        indexes = [models.Index(fields=["organization", "started_on", "ended_on"], name="period_org_dates")]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(ended_on__isnull=True), name="one_open_period_per_member"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        until = self.ended_on or "至今"
        return f"{self.member_id} @ {self.organization_id}: {self.started_on}–{until}"


# --- roster import and export -----------------------------------------------------------------------------
def _roster_file_name(folder: str) -> str:
    import uuid

    # Random names: the files hold full ID numbers, and nothing should be guessable if media is ever exposed.
    return f"roster/{folder}/{timezone.localdate():%Y%m}/{uuid.uuid4().hex}.xlsx"


def roster_import_upload_to(instance, filename: str) -> str:
    return _roster_file_name("imports")


def roster_export_upload_to(instance, filename: str) -> str:
    return _roster_file_name("exports")


class RosterImportStatus(models.TextChoices):
    VALIDATING = "validating", "正在校验"
    VALIDATED = "validated", "待确认"
    IMPORTING = "importing", "正在导入"
    DONE = "done", "已导入"
    DISCARDED = "discarded", "已放弃"
    FAILED = "failed", "失败"


class RosterImport(models.Model):
    """One uploaded roster spreadsheet: its validation report, the user's choice, and what was written."""

    uploaded_by = models.ForeignKey(
        "accounts.User", verbose_name="上传人", on_delete=models.PROTECT, related_name="roster_imports"
    )
    file = models.FileField("文件", upload_to=roster_import_upload_to, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    # The organisations the uploader could change when uploading, for the record; commit re-checks live access.
    scope = models.JSONField("导入范围", default=list, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=RosterImportStatus.choices, default=RosterImportStatus.VALIDATING
    )
    sheet_name = models.CharField("工作表", max_length=100, blank=True)
    header_row = models.PositiveIntegerField("表头行", default=1)
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    valid_rows = models.PositiveIntegerField("有效行数", default=0)
    invalid_rows = models.PositiveIntegerField("错误行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理行数", default=0)
    created_count = models.PositiveIntegerField("新增人数", default=0)
    updated_count = models.PositiveIntegerField("更新人数", default=0)
    # [{"row", "name", "id" (masked), "org", "status", "action": "新增"/"更新", "errors": [...]}, ...]
    report = models.JSONField("校验结果", default=list, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)
    created_at = models.DateTimeField("上传时间", default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "花名册导入"
        verbose_name_plural = "花名册导入"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.get_status_display()}）"

    @property
    def is_running(self) -> bool:
        return self.status in {RosterImportStatus.VALIDATING, RosterImportStatus.IMPORTING}


class RosterExportStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "正在生成"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class RosterExport(models.Model):
    """A roster spreadsheet built in the background from the roster page's filters, for its requester only."""

    requested_by = models.ForeignKey(
        "accounts.User", verbose_name="导出人", on_delete=models.PROTECT, related_name="roster_exports"
    )
    query = models.TextField("筛选条件", blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=RosterExportStatus.choices, default=RosterExportStatus.PENDING
    )
    row_count = models.PositiveIntegerField("行数", default=0)
    processed_rows = models.PositiveIntegerField("已写入行数", default=0)
    file = models.FileField("文件", upload_to=roster_export_upload_to, max_length=200, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)
    created_at = models.DateTimeField("申请时间", default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "花名册导出"
        verbose_name_plural = "花名册导出"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"花名册导出 #{self.pk}（{self.get_status_display()}）"

    @property
    def is_running(self) -> bool:
        return self.status in {RosterExportStatus.PENDING, RosterExportStatus.RUNNING}
