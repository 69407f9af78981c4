"""Grading of every question type, as pure functions of a question version's answer and a response.

Responses are what the player sent, in the *original* option order (the attempt maps shuffled positions back
before grading), so a version grades the same whatever order it was shown in:
- single:   {"choice": 2}                       (index into options)
- multiple: {"choices": [0, 2]}
- judge:    {"value": true}
- blank:    {"blanks": ["井冈山", "1927"]}      (one text per blank)
"""

from __future__ import annotations

import re
import unicodedata

from partyedu.core.cn import normalize_text

# Punctuation of both widths that people type or leave out in a fill-in answer: "《共产党宣言》" = "共产党宣言".
_PUNCT_RE = re.compile(
    r"[\s\u00a0\u3000\"'`~!@#$%^&*()\-_=+\[\]{}\\|;:,.<>/?！￥…（）—【】、；：‘’“”，。《》？·「」『』〈〉〔〕]"
)


def normalize_blank(text: object) -> str:
    """A fill-in answer as compared: NFKC (full-width → half-width), no whitespace or punctuation, lower case."""
    text = unicodedata.normalize("NFKC", normalize_text(text))
    return _PUNCT_RE.sub("", text).lower()


def _ints(values) -> list[int] | None:
    try:
        return sorted({int(v) for v in values})
    except (TypeError, ValueError):
        return None


def is_correct(qtype: str, answer: dict, response: dict | None) -> bool:
    """Whether `response` answers a question of `qtype` whose key is `answer` (the QuestionVersion.answer)."""
    if not response:
        return False
    if qtype == "single":
        try:
            return int(response.get("choice")) == int(answer["choice"])
        except (TypeError, ValueError, KeyError):
            return False
    if qtype == "multiple":
        given = _ints(response.get("choices") or [])
        return bool(given) and given == sorted(answer["choices"])
    if qtype == "judge":
        value = response.get("value")
        if isinstance(value, str):
            value = {"true": True, "false": False, "对": True, "错": False, "1": True, "0": False}.get(value)
        return isinstance(value, bool) and value is bool(answer["value"])
    if qtype == "blank":
        given = response.get("blanks") or []
        accepted = answer["blanks"]
        if not isinstance(given, list) or len(given) != len(accepted):
            return False
        return all(
            normalize_blank(g) in {normalize_blank(a) for a in options} and normalize_blank(g) != ""
            for g, options in zip(given, accepted, strict=True)
        )
    return False


def check_key(qtype: str, options: list[str], answer: dict) -> list[str]:
    """Chinese reasons why (options, answer) is not a well-formed key for `qtype`; empty when it is."""
    errors: list[str] = []
    if qtype in {"single", "multiple"}:
        if len(options) < 2:
            errors.append("选择题至少需要两个选项")
        if len(options) > 8:
            errors.append("选项不能超过8个")
        if any(not str(o).strip() for o in options):
            errors.append("选项内容不能为空")
        normalized = [normalize_blank(o) for o in options]
        if len(set(normalized)) != len(normalized):
            errors.append("选项内容重复")
        if qtype == "single":
            choice = answer.get("choice")
            if not isinstance(choice, int) or not 0 <= choice < len(options):
                errors.append("答案不在选项中")
        else:
            choices = answer.get("choices") or []
            if not choices:
                errors.append("缺少答案")
            elif any(not isinstance(c, int) or not 0 <= c < len(options) for c in choices):
                errors.append("答案不在选项中")
            elif len(set(choices)) < 2:
                errors.append("多选题的答案至少包含两个选项")
    elif qtype == "judge":
        if not isinstance(answer.get("value"), bool):
            errors.append("判断题的答案只能是“对”或“错”")
    elif qtype == "blank":
        blanks = answer.get("blanks") or []
        if not blanks:
            errors.append("缺少答案")
        elif any(not [a for a in b if normalize_blank(a)] for b in blanks):
            errors.append("填空题每个空至少需要一个可接受的答案")
    else:
        errors.append("未知题型")
    return errors
