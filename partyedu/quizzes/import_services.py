"""Importing and exporting questions: xlsx, csv and json, in the layout public question banks use.

The flow follows the roster import (partyedu/members/importing.py): `create_import` → `start_validation` (in the
request for small files, a background task for large ones) → the report page → the user imports nothing
(`discard_import`) or only the valid rows (`start_commit`, optionally skipping suspected duplicates).

Validation keeps each valid row's parsed question in the report, so the commit writes exactly what the user saw;
it re-checks the user's right to change the bank and the duplicates against the bank at that moment.

Decisions:
- Unknown 专题 names are created at commit (topics are a shared, open list) and listed before the user confirms,
  as warnings on their rows, so a typo is seen before it becomes a topic.
- Near-duplicates are stems equal after `bank_services.stem_key` (NFKC incl. NBSP, no spaces or punctuation,
  lower case), against the target bank and its ancestors' banks and against earlier valid rows of the file. They
  are warnings, not errors: the user chooses to skip them (the default) or import them anyway.
- An exported file re-imported into the same bank has no errors; every row is a duplicate of itself and is
  skipped unless the user says otherwise (export is for moving and backing up banks, editing is done in the bank).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import logging
import os
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from partyedu.core.cn import normalize_text

from . import bank_services
from .models import (
    Difficulty,
    QuestionImport,
    QuestionImportStatus,
    QuestionType,
)

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LETTERS = "ABCDEFGH"
ALL_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_OPTIONS = 8
MAX_ROWS = 20_000
MAX_BYTES = 20 * 1024 * 1024
HEADER_SCAN_ROWS = 10
EXAMPLE_MARK = "(示例)"  # "（示例）" after NFKC: the template's example rows, never imported
CHUNK = 500


def inline_rows() -> int:
    return getattr(
        settings, "QUESTION_IMPORT_INLINE_ROWS", getattr(settings, "ROSTER_IMPORT_INLINE_ROWS", 300)
    )


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is shown as is."""


# --- columns ----------------------------------------------------------------------------------------------
HEADERS = ["题型", "题干", *[f"选项{x}" for x in LETTERS], "答案", "解析", "难度", "专题", "来源"]
SYNONYMS = {
    "qtype": ("题型", "题目类型", "试题类型", "类型", "题类", "type", "qtype"),
    "stem": ("题干", "题目", "试题", "题目内容", "试题内容", "问题", "题目名称", "stem", "question"),
    "answer": ("答案", "正确答案", "标准答案", "参考答案", "answer"),
    "explanation": ("解析", "答案解析", "试题解析", "题目解析", "解释", "explanation"),
    "difficulty": ("难度", "难易程度", "难度等级", "难易度", "difficulty"),
    "topics": ("专题", "知识点", "所属专题", "专题分类", "topics", "topic"),
    "source": ("来源", "出处", "题目来源", "试题来源", "source"),
}
_HEADER_NOTE = re.compile(r"\([^)]*\)")
_HEADER_NOISE = re.compile(r"[\s*:：]")


def header_key(value: object) -> str:
    return _HEADER_NOISE.sub("", _HEADER_NOTE.sub("", normalize_text(value))).lower()


HEADER_LOOKUP: dict[str, str] = {}
for _field, _names in SYNONYMS.items():
    for _name in _names:
        HEADER_LOOKUP[header_key(_name)] = _field
for _letter in ALL_LETTERS:
    for _name in (f"选项{_letter}", f"{_letter}选项", _letter, f"选项{_letter.lower()}", f"option{_letter}"):
        HEADER_LOOKUP.setdefault(header_key(_name), f"opt:{_letter}")


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "对" if value else "错"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        value = value.date()
    if isinstance(value, datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return normalize_text(value)


# --- reading files ----------------------------------------------------------------------------------------
@dataclass
class Table:
    headers: list[str]
    fields: dict[int, str]  # column index → field
    rows: list[tuple[int, list[object]]]  # (row number as the user counts it, cells)


def _match_header(cells) -> dict[int, str]:
    found: dict[int, str] = {}
    for index, value in enumerate(cells):
        name = HEADER_LOOKUP.get(header_key(value)) if value not in (None, "") else None
        if name and name not in found.values():
            found[index] = name
    return found if "stem" in found.values() else {}


def _table_from_rows(rows, *, first_number: int = 1) -> Table:
    rows = iter(rows)
    for offset, cells in enumerate(rows):
        if offset >= HEADER_SCAN_ROWS:
            break
        cells = list(cells or ())
        found = _match_header(cells)
        if found:
            header_number = first_number + offset
            data = []
            for number, values in enumerate(rows, start=header_number + 1):
                values = list(values or ())
                if all(cell_text(v) == "" for v in values):
                    continue
                if len(data) >= MAX_ROWS:
                    raise ImportFileError(f"文件超过 {MAX_ROWS} 行，请拆分后分批导入。")
                data.append((number, values))
            return Table([cell_text(c) for c in cells], found, data)
    raise ImportFileError("找不到表头：文件前 10 行中应有“题干”（或“题目”）一列。请使用导入模板。")


def read_xlsx(fileobj) -> Table:
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "这是旧版 Excel（.xls）文件，无法读取。请在 Excel 或 WPS 中“另存为” .xlsx 后再上传。"
        )
    if not head.startswith(b"PK\x03\x04"):
        raise ImportFileError("文件内容不是 Excel 工作簿（.xlsx）。")
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — openpyxl fails in many ways; all mean "unreadable"
        logger.info("unreadable question upload", exc_info=True)
        raise ImportFileError("无法读取该文件：它可能已损坏，或不是 Excel 工作簿（.xlsx）。") from None
    try:
        last_error = None
        for ws in workbook.worksheets:
            try:
                return _table_from_rows(ws.iter_rows(values_only=True, max_col=40))
            except ImportFileError as exc:
                last_error = exc
                if "超过" in str(exc):
                    raise
        raise last_error or ImportFileError("工作簿中没有工作表。")
    finally:
        workbook.close()


def read_csv(fileobj) -> Table:
    fileobj.seek(0)
    raw = fileobj.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError("无法识别 CSV 文件的编码，请保存为 UTF-8 编码后再上传。")
    return _table_from_rows(csv.reader(io.StringIO(text)))


JSON_KEYS = {
    "type": "qtype",
    "qtype": "qtype",
    "stem": "stem",
    "answer": "answer",
    "explanation": "explanation",
    "difficulty": "difficulty",
    "topics": "topics",
    "source": "source",
}


def read_json(fileobj) -> Table:
    """A list of objects (or {"questions": [...]}) with the export's English keys (`options` a list) or the
    spreadsheet's Chinese headers (选项A…)."""
    fileobj.seek(0)
    try:
        data = json.loads(fileobj.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ImportFileError("文件不是有效的 JSON（应为 UTF-8 编码的题目列表）。") from None
    if isinstance(data, dict):
        data = data.get("questions")
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise ImportFileError('JSON 文件应为题目对象的列表，如 [{"题干": …, "答案": …}, …]。')
    if len(data) > MAX_ROWS:
        raise ImportFileError(f"文件超过 {MAX_ROWS} 题，请拆分后分批导入。")
    headers = [
        "题型",
        "题干",
        *[f"选项{x}" for x in ALL_LETTERS[:10]],
        "答案",
        "解析",
        "难度",
        "专题",
        "来源",
    ]
    fields = {i: HEADER_LOOKUP[header_key(h)] for i, h in enumerate(headers)}
    index_of = {f: i for i, f in fields.items()}
    rows = []
    for number, obj in enumerate(data, start=1):
        cells: list[object] = [None] * len(headers)
        for key, value in obj.items():
            name = JSON_KEYS.get(str(key)) or HEADER_LOOKUP.get(header_key(key))
            if str(key) == "options" and isinstance(value, list):
                for i, option in enumerate(value[:10]):
                    cells[index_of[f"opt:{ALL_LETTERS[i]}"]] = option
                continue
            if name and name in index_of:
                if isinstance(value, list):
                    value = ("；" if name == "answer" else "、").join(str(v) for v in value)
                cells[index_of[name]] = value
        rows.append((number, cells))
    return Table(headers, fields, rows)


def file_format(name: str) -> str:
    lower = name.lower()
    for ext in ("xlsx", "csv", "json"):
        if lower.endswith("." + ext):
            return ext
    if lower.endswith(".xls"):
        raise ImportFileError("不支持旧版 Excel（.xls）文件，请“另存为” .xlsx 格式后再上传。")
    raise ImportFileError("只能上传 Excel（.xlsx）、CSV（.csv）或 JSON（.json）文件。")


def read_table(fileobj, fmt: str) -> Table:
    return {"xlsx": read_xlsx, "csv": read_csv, "json": read_json}[fmt](fileobj)


# --- cells → a question -----------------------------------------------------------------------------------
def _key(text: str) -> str:
    return normalize_text(text).replace(" ", "").lower()


QTYPES = {
    **dict.fromkeys(
        ["单选", "单选题", "单项选择", "单项选择题", "单项", "single", "single_choice"], "single"
    ),
    **dict.fromkeys(
        [
            "多选",
            "多选题",
            "多项选择",
            "多项选择题",
            "多项",
            "不定项",
            "不定项选择",
            "不定项选择题",
            "multiple",
        ],
        "multiple",
    ),
    **dict.fromkeys(
        ["判断", "判断题", "是非", "是非题", "对错题", "judge", "true_false", "truefalse"], "judge"
    ),
    **dict.fromkeys(["填空", "填空题", "blank", "fill"], "blank"),
    **dict.fromkeys(["选择", "选择题", "choice"], "choice"),  # single or multiple by the answer
}
TRUE_WORDS = {"对", "正确", "√", "✓", "✔", "t", "true", "是", "y", "yes", "1", "right"}
FALSE_WORDS = {"错", "错误", "×", "✗", "✘", "x", "f", "false", "否", "n", "no", "0", "wrong"}
DIFFICULTIES = {
    **dict.fromkeys(["容易", "简单", "易", "低", "1", "easy"], Difficulty.EASY),
    **dict.fromkeys(["中等", "中", "一般", "适中", "较难", "2", "medium"], Difficulty.MEDIUM),
    **dict.fromkeys(["困难", "难", "高", "3", "hard"], Difficulty.HARD),
}
_LETTER_SEPARATORS = re.compile(r"[\s、,，;；/|.。和及]")
_TOPIC_SEPARATORS = re.compile(r"[、,，;；|\n]")
_BLANK_SEPARATORS = re.compile(r"[;；\n]")
_ALTERNATIVES = re.compile(r"[/|｜]")


def parse_judge(text: str) -> bool | None:
    key = _key(text)
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    return None


def parse_letters(text: str) -> list[str] | None:
    """ "AC", "A、C", "a,c", "ＡＣ" → ["A", "C"]; None when it is not a list of option letters."""
    letters = _LETTER_SEPARATORS.sub("", normalize_text(text)).upper()
    if not letters or not letters.isascii() or not letters.isalpha():
        return None
    return sorted(set(letters))


def parse_blanks(raw: object) -> list[list[str]]:
    text = "" if raw is None else str(raw)
    blanks = []
    for part in _BLANK_SEPARATORS.split(text):
        accepted = [normalize_text(a) for a in _ALTERNATIVES.split(part)]
        accepted = [a for a in accepted if a]
        if accepted:
            blanks.append(accepted)
    return blanks


@dataclass
class Row:
    number: int
    stem: str = ""
    qtype: str = ""
    answer_text: str = ""
    topic_names: list[str] = field(default_factory=list)
    data: dict | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    duplicate: bool = False
    raw: list[str] = field(default_factory=list)

    def report(self) -> dict:
        entry = {
            "row": self.number,
            "stem": self.stem[:120],
            "qtype": QuestionType(self.qtype).label if self.qtype in QuestionType.values else "",
            "answer": self.answer_text[:60],
            "topics": self.topic_names,
            "errors": self.errors,
            "warnings": self.warnings,
            "duplicate": self.duplicate,
        }
        if not self.errors:
            entry["data"] = self.data
        if self.errors or self.warnings:
            entry["raw"] = self.raw
        return entry


def _multiline(value: object) -> str:
    """Text whose line breaks matter (解析): other whitespace normalised, lines kept."""
    if not isinstance(value, str):
        return cell_text(value)
    return "\n".join(line for line in (normalize_text(x) for x in value.splitlines()) if line)


def parse_row(number: int, cells: list[object], table: Table) -> Row:
    values: dict[str, object] = {}
    for index, name in table.fields.items():
        if index < len(cells):
            values[name] = cells[index]
    row = Row(number=number, raw=[cell_text(c) for c in cells[: len(table.headers)]])
    row.stem = cell_text(values.get("stem"))
    if not row.stem:
        row.errors.append("题干不能为空")
    # options: the letters in order, up to the last filled one
    options_by_letter = {name[4:]: cell_text(values[name]) for name in values if name.startswith("opt:")}
    filled = [x for x in ALL_LETTERS if options_by_letter.get(x)]
    options: list[str] = []
    if filled:
        last = ALL_LETTERS.index(filled[-1])
        options = [options_by_letter.get(x, "") for x in ALL_LETTERS[: last + 1]]
    answer_raw = values.get("answer")
    row.answer_text = cell_text(answer_raw)
    # the type: as written, or inferred from the options and the answer
    type_text = cell_text(values.get("qtype"))
    qtype = QTYPES.get(_key(type_text)) if type_text else "choice" if options else ""
    if type_text and qtype is None:
        row.errors.append(f"题型“{type_text}”无法识别，应为单选、多选、判断或填空")
        qtype = ""
    letters = parse_letters(row.answer_text) if options else None
    if qtype == "choice":
        qtype = "multiple" if letters and len(letters) > 1 else "single"
    if not qtype and not row.errors:
        qtype = "judge" if parse_judge(row.answer_text) is not None else "blank"
    row.qtype = qtype
    answer: dict | None = None
    if qtype in {"single", "multiple"}:
        if len(options) > MAX_OPTIONS:
            row.errors.append(f"选项不能超过{MAX_OPTIONS}个（本行有{len(options)}个）")
        elif len(options) < 2:
            row.errors.append("选择题至少需要两个选项")
        empty = [ALL_LETTERS[i] for i, o in enumerate(options) if not o]
        if empty:
            row.errors.append(f"选项{'、'.join(empty)}为空，而后面还有选项")
        if not row.answer_text:
            row.errors.append("缺少答案")
        elif letters is None and options:
            row.errors.append(f"答案“{row.answer_text}”无法识别，选择题的答案应为选项字母，如 A 或 AC")
        elif letters:
            outside = [x for x in letters if x not in ALL_LETTERS[: len(options)]]
            if outside:
                last = ALL_LETTERS[max(len(options) - 1, 0)]
                row.errors.append(f"答案{''.join(outside)}不在选项中（选项为A–{last}）")
            elif qtype == "single" and len(letters) > 1:
                row.errors.append(f"单选题只能有一个答案，本行答案为“{''.join(letters)}”")
            elif qtype == "multiple" and len(letters) < 2:
                row.errors.append("多选题的答案至少包含两个选项")
            else:
                indexes = [ALL_LETTERS.index(x) for x in letters]
                answer = {"choice": indexes[0]} if qtype == "single" else {"choices": indexes}
    elif qtype == "judge":
        value = parse_judge(row.answer_text)
        if value is None and options and parse_letters(row.answer_text):  # 判断题 laid out as A.正确 B.错误
            picked = parse_letters(row.answer_text)
            if len(picked) == 1 and ALL_LETTERS.index(picked[0]) < len(options):
                value = parse_judge(options[ALL_LETTERS.index(picked[0])])
        if not row.answer_text:
            row.errors.append("缺少答案")
        elif value is None:
            row.errors.append(
                f"判断题的答案“{row.answer_text}”无法识别，应为 对/错（也可填 正确/错误、√/×、T/F）"
            )
        else:
            answer = {"value": value}
        options = []
    elif qtype == "blank":
        blanks = parse_blanks(answer_raw if isinstance(answer_raw, str) else row.answer_text)
        if not blanks:
            row.errors.append("缺少答案")
        else:
            answer = {"blanks": blanks}
        options = []
    difficulty_text = cell_text(values.get("difficulty"))
    difficulty = Difficulty.MEDIUM
    if difficulty_text:
        found = DIFFICULTIES.get(_key(difficulty_text))
        if found is None:
            row.errors.append(f"难度“{difficulty_text}”无法识别，应为 容易/中等/困难 或 1–3")
        else:
            difficulty = found
    topics_text = "" if values.get("topics") is None else str(values.get("topics"))
    row.topic_names = list(
        dict.fromkeys(n for n in (normalize_text(t)[:60] for t in _TOPIC_SEPARATORS.split(topics_text)) if n)
    )
    if answer is not None and not row.errors:
        try:
            stem, options = bank_services.clean_question(qtype, row.stem, options, answer)
        except ValidationError as exc:
            row.errors.extend(m for m in exc.messages if m not in row.errors)
        else:
            row.data = {
                "qtype": qtype,
                "stem": stem,
                "options": options,
                "answer": answer,
                "explanation": _multiline(values.get("explanation")),
                "difficulty": int(difficulty),
                "source": cell_text(values.get("source"))[:200],
                "topics": row.topic_names,
            }
    return row


def check_rows(rows: list[Row], owner) -> list[str]:
    """Marks near-duplicates (against the banks `owner`'s quizzes draw from, then earlier valid rows) and unknown
    topics on `rows`; returns the names of the topics that importing them would create."""
    from partyedu.learning.models import Topic

    valid = [r for r in rows if not r.errors]
    keys = {r.number: bank_services.stem_key(r.data["stem"]) for r in valid}
    in_bank = bank_services.existing_stem_keys(owner, keys.values())
    first_row: dict[str, int] = {}
    for row in valid:
        key = keys[row.number]
        if key in in_bank:
            row.duplicate = True
            row.warnings.append(f"疑似重复：题库中已有相同题干的题目（编号 {in_bank[key]}）")
        elif key in first_row:
            row.duplicate = True
            row.warnings.append(f"疑似重复：与第{first_row[key]}行题干相同")
        else:
            first_row[key] = row.number
    names = {n for r in valid for n in r.topic_names}
    known = set(Topic.objects.filter(name__in=names).values_list("name", flat=True))
    new = sorted(names - known)
    for row in valid:
        unknown = [n for n in row.topic_names if n not in known]
        if unknown:
            row.warnings.append(f"专题“{'、'.join(unknown)}”不存在，导入时将新建")
    return new


def parse_file(fileobj, fmt: str, owner) -> tuple[Table, list[Row], list[str]]:
    table = read_table(fileobj, fmt)
    rows = [parse_row(n, cells, table) for n, cells in table.rows]
    rows = [r for r in rows if not r.stem.startswith(EXAMPLE_MARK)]
    new_topics = check_rows(rows, owner)
    return table, rows, new_topics


# --- the import's life ------------------------------------------------------------------------------------
def create_import(user, owner, upload) -> QuestionImport:
    """Record an upload into `owner`'s bank (the caller checked the user may manage it)."""
    if not bank_services_can_manage(user, owner):
        raise PermissionDenied("您没有管理该题库的权限")
    fmt = file_format(upload.name)
    if upload.size > MAX_BYTES:
        raise ImportFileError(f"文件不能超过 {MAX_BYTES // (1024 * 1024)} MB，请拆分后分批导入。")
    return QuestionImport.objects.create(
        uploaded_by=user,
        owner=owner,
        file=upload,
        original_name=os.path.basename(upload.name)[:200],
        file_format=fmt,
    )


def bank_services_can_manage(user, owner) -> bool:
    from .selectors_bank import can_manage_bank

    return can_manage_bank(user, owner)


def start_validation(imp: QuestionImport) -> None:
    """Small files are checked while the user waits; large ones by the task worker while the page polls."""
    if imp.file.size <= inline_rows() * 400:  # about 400 bytes a question
        validate_import(imp.pk)
    else:
        from .tasks import validate_question_import

        validate_question_import.enqueue(imp.pk)


def _fail(import_id: int, message: str) -> None:
    QuestionImport.objects.filter(pk=import_id).update(
        status=QuestionImportStatus.FAILED,
        message=message[:500],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def validate_import(import_id: int) -> None:
    imp = QuestionImport.objects.select_related("owner").get(pk=import_id)
    if imp.status != QuestionImportStatus.VALIDATING:
        return  # a task delivered twice does nothing
    try:
        with imp.file.open("rb") as fh:
            table, rows, new_topics = parse_file(fh, imp.file_format, imp.owner)
    except ImportFileError as exc:
        _fail(imp.pk, str(exc))
        return
    except Exception:
        logger.exception("question import %s: validation failed", imp.pk)
        _fail(imp.pk, "校验时出现意外错误，本次未导入任何题目。请检查文件后重新上传。")
        return
    if not rows:
        _fail(imp.pk, "表头下面没有任何题目。")
        return
    imp.headers = table.headers
    imp.report = [r.report() for r in rows]
    imp.new_topics = new_topics
    imp.total_rows = len(rows)
    imp.invalid_rows = sum(1 for r in rows if r.errors)
    imp.valid_rows = imp.total_rows - imp.invalid_rows
    imp.duplicate_rows = sum(1 for r in rows if r.duplicate and not r.errors)
    imp.status = QuestionImportStatus.VALIDATED
    imp.save()


def start_commit(imp: QuestionImport, *, skip_duplicates: bool = True, publish: bool = False) -> bool:
    """Claim the import for committing (once, whatever double clicks do) and run or queue it."""
    claimed = QuestionImport.objects.filter(
        pk=imp.pk, status=QuestionImportStatus.VALIDATED, valid_rows__gt=0
    ).update(
        status=QuestionImportStatus.IMPORTING,
        skip_duplicates=skip_duplicates,
        publish=publish,
        message="",
        updated_at=timezone.now(),
    )
    if not claimed:
        return False
    if imp.valid_rows <= inline_rows():
        commit_import(imp.pk)
    else:
        from .tasks import commit_question_import

        commit_question_import.enqueue(imp.pk)
    return True


def _topic_ids(names: set[str]) -> dict[str, int]:
    from partyedu.learning import materials_services
    from partyedu.learning.models import Topic

    found = dict(Topic.objects.filter(name__in=names).values_list("name", "pk"))
    for name in sorted(names - set(found)):
        found[name] = materials_services.topic_named(name).pk
    return found


def commit_import(import_id: int) -> None:
    imp = QuestionImport.objects.select_related("owner", "uploaded_by").get(pk=import_id)
    if imp.status != QuestionImportStatus.IMPORTING:
        return
    if not bank_services_can_manage(imp.uploaded_by, imp.owner):
        _fail(imp.pk, "您已没有管理该题库的权限，未导入任何题目。")
        return
    try:
        created, skipped = _write(imp)
    except ValidationError as exc:
        _fail(imp.pk, f"导入未执行，未导入任何题目：{'；'.join(exc.messages)}")
    except Exception:
        logger.exception("question import %s: commit failed", imp.pk)
        _fail(imp.pk, "导入时出现意外错误，已全部撤销，未导入任何题目。")
    else:
        QuestionImport.objects.filter(pk=imp.pk).update(
            status=QuestionImportStatus.DONE,
            created_count=created,
            skipped_count=skipped,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )


def _write(imp: QuestionImport) -> tuple[int, int]:
    """The valid rows of the report, all or none; duplicates (as of now, within the file and against the bank)
    skipped when the user asked for it."""
    entries = [e for e in imp.report if not e["errors"] and e.get("data")]
    skipped = 0
    if imp.skip_duplicates:
        in_bank = bank_services.existing_stem_keys(
            imp.owner, [bank_services.stem_key(e["data"]["stem"]) for e in entries]
        )
        kept, seen = [], set()
        for entry in entries:
            key = bank_services.stem_key(entry["data"]["stem"])
            if entry.get("duplicate") or key in in_bank or key in seen:
                skipped += 1
                continue
            seen.add(key)
            kept.append(entry)
        entries = kept
    topic_ids = _topic_ids({n for e in entries for n in e["data"].get("topics") or []}) if entries else {}
    created = 0
    with transaction.atomic():
        for start in range(0, len(entries), CHUNK):
            items = []
            for entry in entries[start : start + CHUNK]:
                data = dict(entry["data"])
                data["topics"] = [topic_ids[n] for n in data.get("topics") or []]
                items.append(data)
            try:
                created += len(
                    bank_services.bulk_create_questions(
                        imp.owner, items, publish=imp.publish, by=imp.uploaded_by
                    )
                )
            except ValidationError as exc:
                raise ValidationError(
                    f"{'；'.join(exc.messages)}（自第{entries[start]['row']}行起的一批）"
                ) from None
    return created, skipped


def discard_import(imp: QuestionImport) -> bool:
    discarded = QuestionImport.objects.filter(
        pk=imp.pk, status__in=[QuestionImportStatus.VALIDATED, QuestionImportStatus.FAILED]
    ).update(status=QuestionImportStatus.DISCARDED, finished_at=timezone.now(), updated_at=timezone.now())
    return bool(discarded)


# --- workbooks --------------------------------------------------------------------------------------------
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="FDECEA")
ERROR_FONT = Font(color="B42318")


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header_row(ws, headers: list[str]) -> None:
    ws.append(headers)
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    ws.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        letter = ws.cell(row=1, column=index).column_letter
        ws.column_dimensions[letter].width = 60 if header == "题干" else 30 if header == "解析" else 14


def build_error_report(imp: QuestionImport) -> bytes:
    """The rows with errors or warnings as the file had them, plus 错误说明, so they can be fixed and uploaded."""
    wb = Workbook()
    ws = wb.active
    ws.title = "错误报告"
    headers = list(imp.headers or HEADERS)
    _header_row(ws, ["行号", *headers, "错误说明"])
    for entry in imp.report:
        if not entry["errors"] and not entry["warnings"]:
            continue
        notes = "；".join(entry["errors"] + [f"提示：{w}" for w in entry["warnings"]])
        raw = list(entry.get("raw") or [])
        raw += [""] * (len(headers) - len(raw))
        ws.append([entry["row"], *raw[: len(headers)], notes])
        ws.cell(row=ws.max_row, column=len(headers) + 2).font = ERROR_FONT
    return _to_bytes(wb)


EXAMPLES = [
    [
        "单选",
        "（示例）中国共产党第一次全国代表大会在哪一年召开？",
        "1919年",
        "1921年",
        "1927年",
        "1949年",
        "",
        "",
        "",
        "",
        "B",
        "1921年7月，中共一大在上海召开，最后一天的会议转到嘉兴南湖的游船上举行。",
        "容易",
        "党史",
        "示例",
    ],
    [
        "多选",
        "（示例）“三会一课”中的“三会”包括哪些？",
        "支部党员大会",
        "支部委员会",
        "党小组会",
        "职工代表大会",
        "",
        "",
        "",
        "",
        "ABC",
        "",
        "中等",
        "组织生活",
        "示例",
    ],
    [
        "判断",
        "（示例）遵义会议于1935年1月召开。",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "对",
        "",
        "容易",
        "党史",
        "示例",
    ],
    [
        "填空",
        "（示例）中国共产党的最高理想和最终目标是实现____。",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "共产主义",
        "多个空用“；”分隔，同一空的几种答案用“/”分隔。",
        "中等",
        "党章党规",
        "示例",
    ],
]
INSTRUCTIONS = [
    ("题型", "单选、多选、判断、填空（也可写 单选题、单项选择题 等）；空白时按选项和答案判断"),
    ("题干", "必填。以“（示例）”开头的行不会导入"),
    ("选项A–选项H", "选择题至少两个、最多八个选项，从 A 开始连续填写；判断题、填空题不填"),
    (
        "答案",
        "选择题填选项字母，如 B、AC、A、C（全角、小写均可）；判断题填 对/错（正确/错误、√/×、T/F）；填空题多个空用“；”分隔，一个空的多种答案用“/”或“|”分隔",
    ),
    ("解析", "可空"),
    ("难度", "容易/中等/困难（或 易/中/难、1–3）；空白为中等"),
    ("专题", "多个专题用“、”分隔；系统中没有的专题将在导入时新建（校验结果会列出）"),
    ("来源", "可空，如 党章、《中国共产党简史》"),
    ("重复", "题干与题库中已有题目相同（忽略空格、标点、全半角）的，校验时标为“疑似重复”，导入时可选择跳过"),
]


def build_template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "试题"
    _header_row(ws, HEADERS)
    for row in EXAMPLES:
        ws.append(row)
    notes = wb.create_sheet("填写说明")
    notes.append(["列", "填写说明"])
    for cell in notes[1]:
        cell.font = HEADER_FONT
    for row in INSTRUCTIONS:
        notes.append(list(row))
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 100
    for row in notes.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True)
    return _to_bytes(wb)


def _answer_cell(version) -> str:
    return version.answer_text()


def export_rows(questions):
    """Rows in the import layout (re-importable) for questions loaded with current and topics."""
    for q in questions:
        v = q.current
        options = list(v.options) + [""] * (len(LETTERS) - len(v.options))
        yield [
            v.get_qtype_display(),
            v.stem,
            *options[: len(LETTERS)],
            _answer_cell(v),
            v.explanation,
            v.get_difficulty_display(),
            "、".join(t.name for t in q.topics.all()),
            v.source,
            q.pk,
            q.get_status_display(),
        ]


def export_xlsx(questions) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("试题")
    ws.append([*HEADERS, "编号", "状态"])
    for row in export_rows(questions):
        ws.append(row)
    return _to_bytes(wb)


def export_json(questions) -> bytes:
    data = [
        {
            "id": q.pk,
            "type": q.current.qtype,
            "stem": q.current.stem,
            "options": q.current.options,
            "answer": _answer_cell(q.current),
            "explanation": q.current.explanation,
            "difficulty": q.current.difficulty,
            "topics": [t.name for t in q.topics.all()],
            "source": q.current.source,
            "status": q.status,
        }
        for q in questions
    ]
    return json.dumps({"questions": data}, ensure_ascii=False, indent=1).encode("utf-8")


def export_queryset(qs):
    return qs.select_related("current").prefetch_related("topics").order_by("pk")
