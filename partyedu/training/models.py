"""培训班 / 集中轮训: classes an organisation runs for a target group, their enrolments, sessions with attendance,
a final test, completion (结业) and a certificate anyone can verify by its code.

A class belongs to its organiser organisation: it is seen and managed within the organiser's subtree, and its
members are drawn from the target subtree (inside the organiser's). Attendance of a session is the only thing that
earns 学时; the hours ledger is written through hours.services.credit with the key "class:<pk>:session:<pk>".
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone

from partyedu.members.models import Member
from partyedu.orgs.models import Organization

DEFAULT_COMPLETION_FRACTION = Decimal("0.80")


class TargetKind(models.TextChoices):
    SECRETARIES = "secretaries", "支部书记"
    PARTY_WORKERS = "party_workers", "党务干部"
    ACTIVISTS = "activists", "入党积极分子和发展对象"
    ROTATION = "rotation", "全员轮训"
    CUSTOM = "custom", "自定义"


class ClassStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    OPEN = "open", "报名中"
    CLOSED = "closed", "进行中"
    COMPLETED = "completed", "已结业"


class FinalTestMode(models.TextChoices):
    NONE = "none", "不设结业考试"
    MARK = "mark", "合格/不合格评定"
    QUIZ = "quiz", "在线结业考试"


class TrainingClass(models.Model):
    title = models.CharField("培训班名称", max_length=120)
    organiser = models.ForeignKey(
        Organization, verbose_name="主办组织", on_delete=models.PROTECT, related_name="training_classes"
    )
    year = models.PositiveSmallIntegerField("年度")
    starts_on = models.DateField("开班日期")
    ends_on = models.DateField("结业日期")
    place = models.CharField("培训地点", max_length=120, blank=True)
    description = models.TextField("培训内容", blank=True)
    target_kind = models.CharField("培训对象", max_length=20, choices=TargetKind.choices)
    target_org = models.ForeignKey(
        Organization,
        verbose_name="对象范围",
        on_delete=models.PROTECT,
        related_name="targeted_training_classes",
        help_text="从该组织及其下级组织中确定学员",
    )
    is_rotation = models.BooleanField("计入全员轮训", default=False)
    session_hours = models.DecimalField(
        "每次课学时", max_digits=4, decimal_places=1, default=Decimal("4"), help_text="新建课次的默认学时"
    )
    capacity = models.PositiveIntegerField("人数上限", null=True, blank=True)
    final_test_mode = models.CharField(
        "结业考试", max_length=10, choices=FinalTestMode.choices, default=FinalTestMode.MARK
    )
    # The online exam that decides the final test when final_test_mode is "quiz" (its result is written to the
    # enrolment when an attempt is finished: training.services.exam_attempt_finished).
    final_quiz = models.ForeignKey(
        "quizzes.Quiz",
        verbose_name="结业考试试卷",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_classes",
        limit_choices_to={"kind": "exam"},
    )
    completion_fraction = models.DecimalField(
        "结业出勤比例", max_digits=3, decimal_places=2, default=DEFAULT_COMPLETION_FRACTION
    )
    status = models.CharField("状态", max_length=12, choices=ClassStatus.choices, default=ClassStatus.DRAFT)
    completed_at = models.DateTimeField("结业时间", null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "培训班"
        verbose_name_plural = "培训班"
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["organiser", "year"], name="training_class_org_year"),
            models.Index(fields=["year", "is_rotation"], name="training_class_rotation"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="class_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "在训"
    COMPLETED = "completed", "已结业"
    NOT_COMPLETED = "not_completed", "未结业"
    WITHDRAWN = "withdrawn", "已退出"


class EnrolmentSource(models.TextChoices):
    CRITERIA = "criteria", "按条件"
    HAND = "hand", "手工添加"


class TestResult(models.TextChoices):
    PENDING = "pending", "未评定"
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"


class Enrolment(models.Model):
    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="enrolments")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="training_enrolments")
    source = models.CharField(
        max_length=10, choices=EnrolmentSource.choices, default=EnrolmentSource.CRITERIA
    )
    status = models.CharField(
        "状态", max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    test_result = models.CharField(
        "结业考试", max_length=10, choices=TestResult.choices, default=TestResult.PENDING
    )
    score = models.DecimalField("成绩", max_digits=5, decimal_places=1, null=True, blank=True)
    sessions_present = models.PositiveSmallIntegerField("出勤次数", default=0)
    hours = models.DecimalField("已获学时", max_digits=6, decimal_places=1, default=Decimal("0"))
    enrolled_at = models.DateTimeField(default=timezone.now)
    completed_on = models.DateField("结业日期", null=True, blank=True)
    certificate_code = models.CharField("证书编号", max_length=16, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = "学员"
        verbose_name_plural = "学员"
        ordering = ["training_class", "member__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "member"], name="one_enrolment_per_class_member"
            )
        ]
        indexes = [models.Index(fields=["member", "status"], name="enrolment_member_status")]

    def __str__(self) -> str:
        return f"{self.training_class_id}:{self.member_id}"

    @property
    def is_active(self) -> bool:
        return self.status != EnrolmentStatus.WITHDRAWN


class ClassSession(models.Model):
    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField("日期")
    starts_at = models.TimeField("开始时间")
    ends_at = models.TimeField("结束时间")
    topic = models.CharField("专题", max_length=150)
    teacher_name = models.CharField("授课人", max_length=60, blank=True)
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1)
    attendance_taken = models.BooleanField("已考勤", default=False)

    class Meta:
        verbose_name = "课次"
        verbose_name_plural = "课次"
        ordering = ["date", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="session_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"

    @property
    def hours_key_prefix(self) -> str:
        return f"class:{self.training_class_id}:session:{self.pk}"


class SessionAttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


class SessionAttendance(models.Model):
    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(max_length=10, choices=SessionAttendanceStatus.choices)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="one_attendance_per_session_enrolment"
            )
        ]
        indexes = [models.Index(fields=["enrolment", "status"], name="class_att_enrolment_status")]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.enrolment_id}:{self.status}"
