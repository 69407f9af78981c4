"""Knowledge competitions (知识竞赛, 以赛促学): a Quiz of kind competition, played asynchronously through the quiz
engine or live, question by question, with a host, a big screen and players on their phones.

Live play keeps its own small tables because its rules are not a paper's: every player gets the same question
at the same server moment (LiveRound.opened_at/closes_at), answers once per round (LiveAnswer is unique per round
and player) and scores by correctness and speed. LivePlayer holds each player's running total, indexed by
(session, total desc, time) so that a leaderboard read is O(top K) without Redis.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone


class CompetitionMode(models.TextChoices):
    ASYNC = "async", "线上答题赛"
    LIVE = "live", "现场抢答赛"


class TeamMode(models.TextChoices):
    NONE = "none", "仅个人排名"
    BRANCH = "branch", "按党支部"
    UNIT = "unit", "按单位"


class BoardVisibility(models.TextChoices):
    HIDDEN = "hidden", "不向参赛者公布排名"
    TOP = "top", "只公布前N名"
    FULL = "full", "公布完整排名"


class Competition(models.Model):
    quiz = models.OneToOneField("quizzes.Quiz", on_delete=models.PROTECT, related_name="competition")
    mode = models.CharField(
        "赛制", max_length=8, choices=CompetitionMode.choices, default=CompetitionMode.ASYNC
    )
    team_mode = models.CharField("团体排名", max_length=8, choices=TeamMode.choices, default=TeamMode.NONE)
    board = models.CharField(
        "排名公布", max_length=8, choices=BoardVisibility.choices, default=BoardVisibility.TOP
    )
    top_n = models.PositiveSmallIntegerField("公布名次数", default=10)
    seconds_per_question = models.PositiveSmallIntegerField("每题限时（秒）", default=20)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.quiz.title

    @property
    def title(self) -> str:
        return self.quiz.title


class SessionState(models.TextChoices):
    LOBBY = "lobby", "等待开始"
    RUNNING = "running", "进行中"
    FINISHED = "finished", "已结束"


def new_join_code() -> str:
    return f"{secrets.randbelow(900000) + 100000}"


class LiveSession(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="sessions")
    host = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    join_code = models.CharField("加入码", max_length=6, unique=True, default=new_join_code)
    state = models.CharField(max_length=12, choices=SessionState.choices, default=SessionState.LOBBY)
    # the round now on screen (0 before the first question)
    current = models.PositiveSmallIntegerField(default=0)
    seconds_per_question = models.PositiveSmallIntegerField("每题限时（秒）", default=20)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.competition_id}/{self.join_code}"


class LiveRound(models.Model):
    """One question of a live session. Its times are set by the server when the host opens it."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    question = models.ForeignKey("quizzes.Question", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey("quizzes.QuestionVersion", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "number"]
        constraints = [models.UniqueConstraint(fields=["session", "number"], name="one_round_per_number")]

    def __str__(self) -> str:
        return f"{self.session_id}#{self.number}"


class LivePlayer(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="players")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=50)
    # the team the player plays for (his branch or unit, by the competition's team mode), fixed at joining
    team = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    total = models.IntegerField(default=0)
    total_ms = models.BigIntegerField(default=0)  # time taken over correct answers: the tie-break
    correct_count = models.PositiveIntegerField(default=0)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-total", "total_ms", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="one_player_per_member")]
        indexes = [models.Index(fields=["session", "-total", "total_ms"], name="live_player_board")]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.name}"


class LiveAnswer(models.Model):
    round = models.ForeignKey(LiveRound, on_delete=models.CASCADE, related_name="answers")
    player = models.ForeignKey(LivePlayer, on_delete=models.CASCADE, related_name="answers")
    response = models.JSONField()  # in original option indexes, as grading.is_correct takes it
    correct = models.BooleanField(default=False)
    points = models.IntegerField(default=0)
    elapsed_ms = models.IntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "player"], name="one_answer_per_round")]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.player_id}"
