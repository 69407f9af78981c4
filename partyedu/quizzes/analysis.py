"""Item analysis, as moodle's quiz statistics report: per question, over the items of finished attempts
(submitted or expired):

- facility index: the share of players who got it right (% correct);
- discrimination index: the Pearson correlation between the item's score and the score on the *rest* of the
  attempt (attempt score − item score), as moodle computes it — positive when those who do well overall get it
  right; computed in SQL from grouped sums (Σx, Σx², Σr-parts, Σx·T) so no per-attempt rows are fetched;
- option distribution: how many players picked each option, in the question's original option order (responses
  are stored in original indexes whatever order they were shown in);
- flags: negative discrimination, low discrimination (< 0.2), a distractor nobody picked, too easy (> 90 %),
  too hard (< 20 %) — only once at least MIN_FOR_FLAGS players answered.

Everything is a handful of grouped queries whatever the number of attempts.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, FloatField, Q, Sum
from django.db.models.functions import Cast

from .models import AttemptItem, AttemptState, QuestionVersion

FINISHED = (AttemptState.SUBMITTED, AttemptState.EXPIRED)
MIN_FOR_FLAGS = 5
TOO_EASY = 0.9
TOO_HARD = 0.2
LOW_DISCRIMINATION = 0.2
LETTERS = "ABCDEFGH"


@dataclass
class OptionCount:
    letter: str
    text: str
    count: int
    correct: bool
    share: float = 0.0

    @property
    def percent(self) -> float:
        return round(self.share * 100, 1)


@dataclass
class ItemStats:
    question_id: int
    version: QuestionVersion | None
    answered: int = 0  # items in finished attempts (unanswered ones count as wrong)
    correct: int = 0
    discrimination: float | None = None
    options: list[OptionCount] = field(default_factory=list)
    blank_answers: int = 0  # items with no response
    flags: list[str] = field(default_factory=list)

    @property
    def facility(self) -> float | None:
        return self.correct / self.answered if self.answered else None

    @property
    def facility_percent(self) -> float | None:
        return None if self.facility is None else round(self.facility * 100, 1)

    @property
    def discrimination_percent(self) -> float | None:
        return None if self.discrimination is None else round(self.discrimination * 100, 1)


def _finished(qs):
    return qs.filter(attempt__state__in=FINISHED)


def _float(expr):
    return Cast(expr, FloatField())


def _correlations(items) -> dict[int, float | None]:
    """question_id → correlation of the item score x with the rest score r = T − x, from grouped sums."""
    x = _float(F("score"))
    t = _float(F("attempt__score"))
    rows = (
        items.values("question_id")
        .annotate(
            n=Count("pk"),
            sx=Sum(x),
            sxx=Sum(x * x),
            st=Sum(t),
            stt=Sum(t * t),
            sxt=Sum(x * t),
        )
        .order_by()
    )
    result: dict[int, float | None] = {}
    for row in rows:
        n = row["n"]
        sx, sxx, st, stt, sxt = (float(row[k] or 0) for k in ("sx", "sxx", "st", "stt", "sxt"))
        sr = st - sx
        srr = stt - 2 * sxt + sxx
        sxr = sxt - sxx
        cov = n * sxr - sx * sr
        var_x = n * sxx - sx * sx
        var_r = n * srr - sr * sr
        if n < 2 or var_x <= 1e-12 or var_r <= 1e-12:
            result[row["question_id"]] = None
        else:
            result[row["question_id"]] = cov / math.sqrt(var_x * var_r)
    return result


def _distribution(items) -> dict[int, dict[int, tuple[int, int]]]:
    """question_id → version_id → (players, {option index: picks}) from one query grouped by response."""
    counts: dict[int, dict[int, dict]] = defaultdict(dict)
    rows = items.values("question_id", "version_id", "response").annotate(n=Count("pk")).order_by()
    for row in rows:
        per = counts[row["question_id"]].setdefault(
            row["version_id"], {"players": 0, "picks": defaultdict(int)}
        )
        per["players"] += row["n"]
        response = row["response"] or {}
        picked = []
        if isinstance(response, dict):
            if "choice" in response:
                picked = [response["choice"]]
            elif "choices" in response:
                picked = list(response.get("choices") or [])
            elif "value" in response:
                value = response["value"]
                if isinstance(value, str):
                    value = {
                        "true": True,
                        "对": True,
                        "1": True,
                        "false": False,
                        "错": False,
                        "0": False,
                    }.get(value)
                picked = [0 if value is True else 1 if value is False else -1]
        for index in picked:
            try:
                per["picks"][int(index)] += row["n"]
            except (TypeError, ValueError):
                continue
    return counts


def item_statistics(items) -> dict[int, ItemStats]:
    """Statistics per question of an AttemptItem queryset (already limited to a quiz, a question, a scope)."""
    items = _finished(items)
    stats: dict[int, ItemStats] = {}
    for row in (
        items.values("question_id")
        .annotate(
            n=Count("pk"),
            right=Count("pk", filter=Q(correct=True)),
            unanswered=Count("pk", filter=Q(response__isnull=True)),
        )
        .order_by()
    ):
        stats[row["question_id"]] = ItemStats(
            row["question_id"], None, answered=row["n"], correct=row["right"], blank_answers=row["unanswered"]
        )
    if not stats:
        return stats
    for qid, value in _correlations(items).items():
        stats[qid].discrimination = value
    distribution = _distribution(items)
    # The version most players saw is the one whose options are shown.
    main_version = {
        qid: max(per.items(), key=lambda kv: (kv[1]["players"], kv[0]))[0]
        for qid, per in distribution.items()
    }
    versions = QuestionVersion.objects.in_bulk(list(main_version.values()))
    for qid, s in stats.items():
        version = versions.get(main_version.get(qid))
        s.version = version
        if version is None:
            continue
        per = distribution[qid][version.pk]
        players = per["players"] or 1
        if version.qtype in {"single", "multiple"}:
            keys = (
                {version.answer.get("choice")}
                if version.qtype == "single"
                else set(version.answer.get("choices") or [])
            )
            s.options = [
                OptionCount(
                    LETTERS[i], text, per["picks"].get(i, 0), i in keys, per["picks"].get(i, 0) / players
                )
                for i, text in enumerate(version.options)
            ]
        elif version.qtype == "judge":
            truth = bool(version.answer.get("value"))
            s.options = [
                OptionCount("对", "对", per["picks"].get(0, 0), truth, per["picks"].get(0, 0) / players),
                OptionCount("错", "错", per["picks"].get(1, 0), not truth, per["picks"].get(1, 0) / players),
            ]
        s.flags = flags_for(s)
    return stats


def flags_for(s: ItemStats) -> list[str]:
    if s.answered < MIN_FOR_FLAGS:
        return []
    flags = []
    if s.discrimination is not None and s.discrimination < 0:
        flags.append("区分度为负：总分高的人反而更容易答错，请检查答案是否有误")
    elif s.discrimination is not None and s.discrimination < LOW_DISCRIMINATION:
        flags.append("区分度低")
    if s.facility is not None and s.facility > TOO_EASY:
        flags.append("过于容易")
    if s.facility is not None and s.facility < TOO_HARD:
        flags.append("过难")
    unused = [o.letter for o in s.options if not o.correct and o.count == 0 and o.letter in LETTERS]
    if unused:
        flags.append(f"干扰项{'、'.join(unused)}无人选择")
    return flags


@dataclass
class QuizSummary:
    attempts: int
    average_percent: float | None
    items: list[ItemStats]


def quiz_statistics(quiz) -> QuizSummary:
    from .models import Attempt

    attempts = Attempt.objects.filter(quiz=quiz, state__in=FINISHED)
    agg = attempts.aggregate(n=Count("pk"), score=Sum("score"), max_score=Sum("max_score"))
    average = float(agg["score"]) * 100 / float(agg["max_score"]) if agg["max_score"] else None
    stats = item_statistics(AttemptItem.objects.filter(attempt__quiz=quiz))
    ordered = sorted(
        stats.values(), key=lambda s: (s.facility if s.facility is not None else 2, s.question_id)
    )
    return QuizSummary(agg["n"], None if average is None else round(average, 1), ordered)


def question_statistics(question, items=None) -> ItemStats | None:
    items = (
        AttemptItem.objects.filter(question=question) if items is None else items.filter(question=question)
    )
    return item_statistics(items).get(question.pk)
