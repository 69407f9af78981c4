"""Question bank and the quiz engine.

A Question is the identity of an item in a bank; its text lives in QuestionVersions. A published version is
never edited: a change makes the next version, and attempts point at the version they were shown, so past
attempts keep their text and their grading. Attempts hold their drawn questions and the option order each
player saw (AttemptItem), so shuffling is stable within an attempt and reviewable afterwards.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class QuestionType(models.TextChoices):
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "多选题"
    JUDGE = "judge", "判断题"
    BLANK = "blank", "填空题"


class Difficulty(models.IntegerChoices):
    EASY = 1, "容易"
    MEDIUM = 2, "中等"
    HARD = 3, "困难"


class QuestionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    RETIRED = "retired", "已停用"


class Question(models.Model):
    # The bank a question belongs to: questions of an organisation are usable by quizzes in its subtree
    # (the 工委's bank serves the whole county).
    owner = models.ForeignKey(
        "orgs.Organization", verbose_name="所属题库", on_delete=models.PROTECT, related_name="questions"
    )
    status = models.CharField(
        "状态", max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.DRAFT
    )
    current = models.ForeignKey(
        "QuestionVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    topics = models.ManyToManyField(
        "learning.Topic", verbose_name="专题", blank=True, related_name="questions"
    )
    # The current stem normalised (NFKC, no spaces or punctuation): near-duplicates share it.
    stem_key = models.CharField(max_length=255, db_index=True, editable=False)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["owner", "status"], name="question_owner_status")]

    def __str__(self) -> str:
        return self.current.stem[:40] if self.current_id else f"题目{self.pk}"


class QuestionVersion(models.Model):
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本")
    qtype = models.CharField("题型", max_length=16, choices=QuestionType.choices)
    stem = models.TextField("题干")
    options = models.JSONField("选项", default=list, blank=True)
    # single {"choice": i}; multiple {"choices": [i, j]}; judge {"value": bool}; blank {"blanks": [[a, b], [c]]}
    answer = models.JSONField("答案")
    explanation = models.TextField("解析", blank=True)
    difficulty = models.PositiveSmallIntegerField(
        "难度", choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    source = models.CharField("来源", max_length=200, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="one_version_number_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"

    def lettered_options(self) -> list[tuple[str, str]]:
        return list(zip("ABCDEFGH", self.options, strict=False))

    def answer_text(self) -> str:
        """The key as people read it: "AC", "对", "井冈山；1927"."""
        letters = "ABCDEFGH"
        if self.qtype == QuestionType.SINGLE:
            return letters[self.answer["choice"]]
        if self.qtype == QuestionType.MULTIPLE:
            return "".join(letters[i] for i in sorted(self.answer["choices"]))
        if self.qtype == QuestionType.JUDGE:
            return "对" if self.answer["value"] else "错"
        return "；".join("/".join(b) for b in self.answer["blanks"])


class QuizKind(models.TextChoices):
    PAPER = "paper", "知识测试"
    EXAM = "exam", "考试"
    DAILY = "daily", "每日测试"
    COMPETITION = "competition", "知识竞赛"


class QuizStatus(models.TextChoices):
    DRAFT = "draft", "未发布"
    PUBLISHED = "published", "已发布"
    CLOSED = "closed", "已结束"


class ReviewPolicy(models.TextChoices):
    AFTER_SUBMIT = "after_submit", "交卷后显示答案"
    AFTER_CLOSE = "after_close", "测试结束后显示答案"
    NEVER = "never", "不显示答案"


class Quiz(models.Model):
    owner = models.ForeignKey(
        "orgs.Organization", verbose_name="组织单位", on_delete=models.PROTECT, related_name="quizzes"
    )
    title = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=16, choices=QuizKind.choices, default=QuizKind.PAPER)
    status = models.CharField("状态", max_length=16, choices=QuizStatus.choices, default=QuizStatus.DRAFT)
    description = models.TextField("说明", blank=True)
    # Fixed papers list their questions in QuizSlot; drawn papers have rules:
    # [{"topic": <id or null>, "difficulty": <1-3 or null>, "qtype": <or null>, "count": n}, ...]
    draw_rules = models.JSONField("抽题规则", default=list, blank=True)
    shuffle_questions = models.BooleanField("题目乱序", default=True)
    shuffle_options = models.BooleanField("选项乱序", default=True)
    time_limit_seconds = models.PositiveIntegerField("限时（秒）", null=True, blank=True)
    grace_seconds = models.PositiveIntegerField("宽限（秒）", default=10)
    max_attempts = models.PositiveIntegerField("可作答次数", default=1, help_text="0 表示不限")
    opens_at = models.DateTimeField("开始时间", null=True, blank=True)
    closes_at = models.DateTimeField("结束时间", null=True, blank=True)
    pass_percent = models.PositiveSmallIntegerField("及格线（%）", default=60)
    review = models.CharField(
        "答案显示", max_length=16, choices=ReviewPolicy.choices, default=ReviewPolicy.AFTER_CLOSE
    )
    # Who may take it: members of the scope subtree (none = the owner's subtree), or, when audience rows
    # exist, exactly those members (a class, a hand-made list).
    scope = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    questions_per_day = models.PositiveSmallIntegerField("每日题数", default=5)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class QuizSlot(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="slots")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    points = models.DecimalField(max_digits=5, decimal_places=2, default=1)

    class Meta:
        ordering = ["quiz", "position"]
        constraints = [models.UniqueConstraint(fields=["quiz", "question"], name="question_once_per_quiz")]

    def __str__(self) -> str:
        return f"{self.quiz_id}#{self.position}"


class QuizAudience(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="audience")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["quiz", "member"], name="member_once_per_audience")]

    def __str__(self) -> str:
        return f"{self.quiz_id}/{self.member_id}"


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", "作答中"
    SUBMITTED = "submitted", "已交卷"
    EXPIRED = "expired", "超时自动交卷"


class Attempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="quiz_attempts")
    number = models.PositiveIntegerField(default=1)
    day = models.DateField(null=True, blank=True)  # the day of a daily test
    state = models.CharField(max_length=16, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS)
    seed = models.BigIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    deadline_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    max_score = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    correct_count = models.PositiveIntegerField(default=0)
    passed = models.BooleanField(null=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "member", "number"], name="attempt_number_per_member"),
            models.UniqueConstraint(
                fields=["quiz", "member", "day"],
                condition=Q(day__isnull=False),
                name="one_daily_attempt_a_day",
            ),
            models.UniqueConstraint(
                fields=["quiz", "member"],
                condition=Q(state="in_progress"),
                name="one_open_attempt_per_member",
            ),
        ]
        indexes = [models.Index(fields=["member", "state"], name="attempt_member_state")]

    def __str__(self) -> str:
        return f"{self.quiz_id}/{self.member_id}#{self.number}"

    @property
    def percent(self) -> float:
        return float(self.score) * 100 / float(self.max_score) if self.max_score else 0.0


class AttemptItem(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="attempt_items")
    # Denormalised so that "questions this member has seen" and item analysis are one indexed query.
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="attempt_items")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(max_digits=5, decimal_places=2, default=1)
    # option_order[shown position] = original option index
    option_order = models.JSONField(default=list, blank=True)
    response = models.JSONField(null=True, blank=True)  # in original option indexes (see grading.py)
    answered_at = models.DateTimeField(null=True, blank=True)
    correct = models.BooleanField(null=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, default=0)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="one_item_per_position")]
        indexes = [models.Index(fields=["member", "question"], name="item_member_question")]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"


class QuestionImportStatus(models.TextChoices):
    VALIDATING = "validating", "正在校验"
    VALIDATED = "validated", "待确认"
    IMPORTING = "importing", "正在导入"
    DONE = "done", "已导入"
    DISCARDED = "discarded", "已放弃"
    FAILED = "failed", "失败"


def question_import_upload_to(instance, filename: str) -> str:
    import secrets

    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"quizzes/imports/{timezone.now():%Y/%m}/{secrets.token_hex(12)}.{suffix}"


class QuestionImport(models.Model):
    """One uploaded question file (xlsx/csv/json): its per-row report, the user's choice, what was written.
    The report keeps each valid row's parsed question, so committing writes exactly what the user saw."""

    uploaded_by = models.ForeignKey(
        "accounts.User", verbose_name="上传人", on_delete=models.PROTECT, related_name="question_imports"
    )
    owner = models.ForeignKey(
        "orgs.Organization", verbose_name="导入题库", on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField("文件", upload_to=question_import_upload_to, max_length=200, blank=True)
    original_name = models.CharField("原文件名", max_length=200)
    file_format = models.CharField("格式", max_length=8, default="xlsx")
    status = models.CharField(
        "状态", max_length=16, choices=QuestionImportStatus.choices, default=QuestionImportStatus.VALIDATING
    )
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    valid_rows = models.PositiveIntegerField("有效行数", default=0)
    invalid_rows = models.PositiveIntegerField("错误行数", default=0)
    duplicate_rows = models.PositiveIntegerField("疑似重复行数", default=0)
    created_count = models.PositiveIntegerField("新增题数", default=0)
    skipped_count = models.PositiveIntegerField("跳过题数", default=0)
    skip_duplicates = models.BooleanField("跳过疑似重复", default=True)
    publish = models.BooleanField("导入后发布", default=False)
    # [{"row", "stem", "qtype", "answer", "errors": [...], "warnings": [...], "duplicate": bool,
    #   "data": {...parsed question, valid rows only}}, ...]
    report = models.JSONField("校验结果", default=list, blank=True)
    new_topics = models.JSONField("新专题", default=list, blank=True)
    headers = models.JSONField(
        "表头", default=list, blank=True
    )  # as the file wrote them, for the error report
    message = models.CharField("说明", max_length=500, blank=True)
    created_at = models.DateTimeField("上传时间", default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "试题导入"
        verbose_name_plural = "试题导入"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.get_status_display()}）"

    @property
    def is_running(self) -> bool:
        return self.status in {QuestionImportStatus.VALIDATING, QuestionImportStatus.IMPORTING}

    @property
    def to_import(self) -> int:
        return self.valid_rows - (self.duplicate_rows if self.skip_duplicates else 0)
