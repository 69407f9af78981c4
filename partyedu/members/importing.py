"""Reading roster spreadsheets: what the columns are, how real-world cells are read, and how every row is checked.

The flow is: `inspect_upload` (in the request: is this an xlsx at all, and where is the header?) → `create_import`
→ `start_validation` (inline for small files, a background task for large ones) → the user chooses →
`start_commit`, which re-checks every chosen row inside one transaction and writes through `services`.

Spreadsheets are read with openpyxl in read-only mode, so a large file is streamed rather than loaded whole.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from partyedu.accounts.access import Access, Capability
from partyedu.core.cn import (
    mask_citizen_id,
    normalize_text,
    parse_optional_date,
    validate_citizen_id,
)
from partyedu.orgs.models import Organization, OrganizationKind

from . import services
from .models import Education, Gender, Member, MemberStatus, RosterImport, RosterImportStatus

logger = logging.getLogger(__name__)

HEADER_SCAN_ROWS = 10  # the header may sit below merged title rows; look this far down for it
MAX_COLUMNS = 100  # wider than any real roster; stops a pathological sheet from being read cell by cell
MAX_ROWS = 50_000
CHECK_CHUNK = 500  # rows whose existing members are fetched with one query
EXAMPLE_MARK = (
    "(示例)"  # the template's example row starts with this (after NFKC "（示例）" becomes "(示例)")
)
CREATE, UPDATE = "新增", "更新"
IMPORT_REASON = "花名册导入"


class ImportFileError(Exception):
    """The file as a whole cannot be read as a roster; the message is shown to the user as is."""


# --- columns ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    header: str  # as the template writes it
    field: str  # Member field
    kind: str = "text"  # how cells are read: see parse_row
    required: bool = False
    synonyms: tuple[str, ...] = ()
    help: str = ""
    example: object = ""
    max_length: int | None = None


FLAG_HELP = "填写“是”或“否”（也可填 √、Y/N、1/0），空白视为“否”"
DATE_HELP = "如 2021-07-01、2021/7/1、2021年7月1日，或 Excel 日期单元格"

COLUMNS: list[Column] = [
    Column(
        "姓名", "name", required=True, synonyms=("名字",), help="必填", example="（示例）张三", max_length=50
    ),
    Column(
        "身份证号",
        "citizen_id",
        "citizen_id",
        required=True,
        synonyms=("身份证", "身份证号码", "公民身份号码", "公民身份证号", "公民身份证号码", "证件号码"),
        help="必填，18位；用于识别人员：已在花名册中的身份证号将更新该人员信息。请把本列设为“文本”格式",
        example="330782199001010017",
    ),
    Column("性别", "gender", "gender", help="男/女；空白时按身份证号", example="男"),
    Column("民族", "ethnicity", help="如 汉族；空白时新增人员按汉族", example="汉族", max_length=20),
    Column(
        "出生日期",
        "birth_date",
        "date",
        synonyms=("出生年月日", "生日"),
        help="空白时按身份证号；" + DATE_HELP,
        example=datetime.date(1990, 1, 1),
    ),
    Column(
        "学历",
        "education",
        "education",
        synonyms=("文化程度", "最高学历"),
        help="从下拉列表选择",
        example=Education.BACHELOR.label,
    ),
    Column(
        "手机号",
        "mobile",
        "mobile",
        synonyms=("手机", "手机号码", "联系电话", "电话", "联系方式"),
        help="11位手机号",
        example="13800138000",
    ),
    Column("工作单位", "unit_name", synonyms=("单位", "工作单位名称"), example="县财政局", max_length=120),
    Column(
        "职务/岗位",
        "post",
        synonyms=("职务", "岗位", "职务岗位", "职务或岗位", "工作岗位", "现任职务"),
        example="科员",
        max_length=80,
    ),
    Column(
        "所在党组织",
        "organization",
        "organization",
        required=True,
        synonyms=(
            "党组织",
            "所在支部",
            "所在党支部",
            "党支部",
            "支部",
            "所属党组织",
            "所属支部",
            "所在党组织名称",
            "所在党支部名称",
        ),
        help="必填，填写“党组织列表”工作表中的名称；重名的组织写成“上级组织/名称”",
    ),
    Column(
        "党小组",
        "group",
        "group",
        synonyms=("所在党小组", "所属党小组"),
        help="可空；须是所在党组织下的党小组",
    ),
    Column(
        "人员类别",
        "status",
        "status",
        synonyms=("类别", "人员类型", "党员类别", "党员类型"),
        help="从下拉列表选择；空白时新增人员按正式党员",
        example=MemberStatus.FULL.label,
    ),
    Column(
        "申请入党日期", "applied_on", "date", synonyms=("申请入党时间", "递交入党申请书日期"), help=DATE_HELP
    ),
    Column(
        "确定积极分子日期",
        "activist_on",
        "date",
        synonyms=("确定为入党积极分子日期", "确定入党积极分子日期"),
        help=DATE_HELP,
    ),
    Column("确定发展对象日期", "candidate_on", "date", synonyms=("确定为发展对象日期",), help=DATE_HELP),
    Column(
        "接收预备党员日期",
        "probationary_on",
        "date",
        synonyms=("接收为预备党员日期",),
        help=DATE_HELP,
        example=datetime.date(2015, 7, 1),
    ),
    Column(
        "转正日期",
        "full_on",
        "date",
        synonyms=("转为正式党员日期", "转正时间"),
        help=DATE_HELP,
        example=datetime.date(2016, 7, 1),
    ),
    Column(
        "入党日期", "joined_on", "date", synonyms=("入党时间",), help="空白时按接收预备党员日期；" + DATE_HELP
    ),
    Column(
        "领导干部",
        "is_leader",
        "flag",
        synonyms=("是否领导干部", "是否为领导干部"),
        help=FLAG_HELP,
        example="否",
    ),
    Column(
        "离退休",
        "is_retired",
        "flag",
        synonyms=("是否离退休", "是否为离退休人员", "是否离退休人员"),
        help=FLAG_HELP,
        example="否",
    ),
    Column(
        "流动党员",
        "is_mobile",
        "flag",
        synonyms=("是否流动党员", "是否为流动党员"),
        help=FLAG_HELP,
        example="否",
    ),
    Column(
        "需送学上门",
        "needs_home_delivery",
        "flag",
        synonyms=("行动不便需送学上门", "送学上门", "是否需送学上门"),
        help=FLAG_HELP,
        example="否",
    ),
]
HEADERS = [c.header for c in COLUMNS]
FIELD_HEADERS = {c.field: c.header for c in COLUMNS}
REQUIRED_FIELDS = [c.field for c in COLUMNS if c.required]

_HEADER_NOTE = re.compile(r"\([^)]*\)")
_HEADER_NOISE = re.compile(r"[\s*:]")


def header_key(value: object) -> str:
    """「 性 别 」, 「身份证号（18位）」, 「姓名*」 all name the same column as the template's header."""
    text = normalize_text(value)  # NFKC: full-width brackets, colons and asterisks become ASCII
    return _HEADER_NOISE.sub("", _HEADER_NOTE.sub("", text))


HEADER_LOOKUP: dict[str, Column] = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.synonyms):
        HEADER_LOOKUP.setdefault(header_key(_name), _column)


# --- cell values ------------------------------------------------------------------------------------------
def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not normalize_text(value))


def cell_text(value: object) -> str:
    if value is None:
        return ""
    # Numeric cells arrive as floats: a post or unit typed as 110 must not become "110.0".
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_text(value)


def _choice_lookup(choices: Iterable[tuple[str, str]], extra: dict[str, str]) -> dict[str, str]:
    lookup = {normalize_text(label).replace(" ", "").lower(): value for value, label in choices}
    lookup.update({k.lower(): v for k, v in extra.items()})
    return lookup


GENDERS = _choice_lookup(Gender.choices, {"男性": "male", "女性": "female", "m": "male", "f": "female"})
STATUSES = _choice_lookup(
    MemberStatus.choices,
    {
        "正式": "full",
        "预备": "probationary",
        "积极分子": "activist",
        "申请人": "applicant",
        "中共党员": "full",
        "党员": "full",
        "中共正式党员": "full",
        "中共预备党员": "probationary",
    },
)
EDUCATIONS = _choice_lookup(
    Education.choices,
    {
        "本科": "bachelor",
        "大专": "college",
        "专科": "college",
        "硕士": "postgraduate",
        "博士": "postgraduate",
        "硕士研究生": "postgraduate",
        "博士研究生": "postgraduate",
        "中技": "secondary",
        "技校": "secondary",
        "职高": "high_school",
        "初中": "junior",
        "小学": "junior",
    },
)
TRUE_WORDS = {"是", "√", "✓", "✔", "y", "yes", "true", "1", "有", "对"}
FALSE_WORDS = {"否", "×", "✗", "✘", "n", "no", "false", "0", "无", "不是"}


def _choice(value: object, lookup: dict[str, str], choices, header: str) -> str:
    text = cell_text(value).replace(" ", "").lower()
    if text in lookup:
        return lookup[text]
    options = "、".join(label for _, label in choices)
    raise ValueError(f"{header}“{cell_text(value)}”无法识别，可填写：{options}")


# Rosters often keep only the year and month: "1990.1", "1990年1月", or 1990.1 typed into a number cell (which as an
# Excel serial would be a day in 1905, before the Party existed). Inventing the first of the month would store a
# day nobody recorded, so these are refused with an error that says what is missing.
_YEAR_MONTH = re.compile(r"\d{4} ?(?:[-/.]|年) ?\d{1,2} ?月?", re.ASCII)


def is_year_or_year_month(value: object) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return 1900 <= value < 2100
    return isinstance(value, str) and bool(_YEAR_MONTH.fullmatch(normalize_text(value)))


def parse_flag(value: object, header: str) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).replace(" ", "").lower()
    if not text or text in FALSE_WORDS:
        return False
    if text in TRUE_WORDS:
        return True
    raise ValueError(f"{header}应填写“是”或“否”，不能填写“{cell_text(value)}”")


def parse_citizen_id_cell(value: object) -> tuple[str, str]:
    """The ID as typed (for matching and masking) and the validated ID, or a ValueError with a hint."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normalize_text(value).replace(" ", "").upper()
    try:
        return text, validate_citizen_id(text)
    except ValueError as exc:
        message = str(exc)
        if len(text) == 15 and text.isdigit():
            message += "（这是15位的旧身份证号，请填写现行的18位号码）"
        elif isinstance(value, int | float) and not isinstance(value, bool):
            # Excel keeps 15 significant digits of a number: an 18-digit ID typed into a number cell is gone.
            message += (
                "（该单元格是数字格式，Excel 只保留前15位数字；请把身份证号列设为“文本”格式后重新填写）"
            )
        elif "*" in text:
            message += "（身份证号中有“*”：导出文件中隐藏了部分数字，请填写完整的身份证号）"
        raise ValueError(message) from None


class OrgResolver:
    """Organisation names → organisations, only among those the importing user may change."""

    def __init__(self, orgs: Iterable[Organization]):
        self.by_key: dict[str, list[Organization]] = defaultdict(list)
        self.groups: dict[tuple[int, str], Organization] = {}
        for org in orgs:
            self.by_key[self.key(org.name)].append(org)
            if org.parent is not None:
                self.by_key[self.key(f"{org.parent.name}/{org.name}")].append(org)
            if org.kind == OrganizationKind.GROUP and org.parent_id:
                self.groups[(org.parent_id, self.key(org.name))] = org

    @staticmethod
    def key(text: str) -> str:
        return normalize_text(text).replace(" ", "")

    def organization(self, value: object) -> Organization:
        text = cell_text(value)
        candidates = self.by_key.get(self.key(text), [])
        if len(candidates) > 1:
            active = [o for o in candidates if not o.is_dissolved]
            if len(active) == 1:
                return active[0]
            raise ValueError(
                f"您的管理范围内有{len(candidates)}个党组织名为“{text}”，请写成“上级组织/{text}”加以区分"
            )
        if not candidates:
            raise ValueError(f"找不到党组织“{text}”（或该组织不在您的管理范围内）")
        return candidates[0]

    def group(self, value: object, org: Organization) -> Organization:
        text = cell_text(value)
        group = self.groups.get((org.pk, self.key(text)))
        if group is None:
            raise ValueError(f"“{org.name}”下找不到党小组“{text}”")
        return group


def org_labels(orgs: Iterable[Organization]) -> dict[int, str]:
    """What to write for each organisation so that `OrgResolver` finds exactly it: the name, or 上级/名称 where
    the name is shared. `orgs` must come with `parent` loaded."""
    orgs = list(orgs)
    counts: dict[str, int] = defaultdict(int)
    for org in orgs:
        counts[OrgResolver.key(org.name)] += 1
    return {
        org.pk: (
            f"{org.parent.name}/{org.name}"
            if counts[OrgResolver.key(org.name)] > 1 and org.parent
            else org.name
        )
        for org in orgs
    }


# --- workbook structure -----------------------------------------------------------------------------------
@dataclass
class Layout:
    sheet_name: str
    header_row: int  # as Excel numbers rows, from 1
    columns: dict[int, Column]  # 0-based column index → column
    width: int  # how many columns to read
    headers: list[object]  # the header cells as the user wrote them, for the error report
    estimated_rows: int | None  # from the sheet's own dimension record; may be missing or generous


def open_workbook(fileobj):
    """Open an uploaded file as a read-only workbook, or say in Chinese why it is not one."""
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "这是旧版 Excel（.xls）文件或设置了密码的工作簿，无法读取。请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）、取消密码后再上传。"
        )
    if not head.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            "文件内容不是 Excel 工作簿（.xlsx）。如果是 CSV 或其他格式，请在 Excel 中另存为 .xlsx 后再上传。"
        )
    try:
        return load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — openpyxl fails in many ways (zip, XML, missing parts); all mean "unreadable"
        logger.info("unreadable roster upload", exc_info=True)
        raise ImportFileError("无法读取该文件：它可能已损坏，或不是 Excel 工作簿（.xlsx）。") from None


def _header_match(row: tuple) -> dict[int, Column]:
    found: dict[int, Column] = {}
    seen: set[str] = set()
    for index, value in enumerate(row):
        column = HEADER_LOOKUP.get(header_key(value)) if not is_blank(value) else None
        if column is not None and column.field not in seen:  # a repeated column: the first one counts
            found[index] = column
            seen.add(column.field)
    return found


def find_layout(workbook) -> Layout:
    """The sheet and row that look most like our header (a title may be merged above it; the template's own
    instruction sheets never match)."""
    best: Layout | None = None
    for ws in workbook.worksheets:
        estimated = ws.max_row if isinstance(ws.max_row, int) else None
        # Some writers record a wrong dimension (just "A1"); read until the data really ends instead.
        ws.reset_dimensions()
        rows = ws.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, max_col=MAX_COLUMNS, values_only=True)
        for number, row in enumerate(rows, start=1):
            columns = _header_match(row)
            if best is None or len(columns) > len(best.columns):
                width = max((i for i, v in enumerate(row) if not is_blank(v)), default=-1) + 1
                best = Layout(
                    sheet_name=ws.title,
                    header_row=number,
                    columns=columns,
                    width=width,
                    headers=list(row[:width]),
                    # A dimension that ends at the header is what broken writers record ("A1"): size unknown.
                    estimated_rows=estimated - number if estimated and estimated > number else None,
                )
    found = {c.field for c in best.columns.values()} if best else set()
    if not best or not {"name", "citizen_id"} <= found:
        raise ImportFileError(
            f"没有找到表头：请在工作表前{HEADER_SCAN_ROWS}行内放一行列名，至少包含“姓名”“身份证号”“所在党组织”。可下载导入模板参照填写。"
        )
    missing = [FIELD_HEADERS[f] for f in REQUIRED_FIELDS if f not in found]
    if missing:
        raise ImportFileError(f"表头缺少必填列：{'、'.join(missing)}。可下载导入模板参照填写。")
    return best


def inspect_upload(fileobj) -> Layout:
    """Cheap checks while the user waits: readable xlsx, header found. Reads only the first rows."""
    workbook = open_workbook(fileobj)
    try:
        return find_layout(workbook)
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 — a sheet that breaks the parser half-way is still just an unreadable file
        logger.info("unreadable roster sheet", exc_info=True)
        raise ImportFileError("无法读取该文件：它可能已损坏，或不是 Excel 工作簿（.xlsx）。") from None
    finally:
        workbook.close()


def iter_data_rows(workbook, layout: Layout) -> Iterator[tuple[int, tuple]]:
    """(row number as Excel shows it, cell values) for every row below the header that has anything in it."""
    ws = workbook[layout.sheet_name]
    ws.reset_dimensions()
    name_index = next(i for i, c in layout.columns.items() if c.field == "name")
    count = 0
    rows = ws.iter_rows(min_row=layout.header_row + 1, max_col=max(layout.width, 1), values_only=True)
    for number, values in enumerate(rows, start=layout.header_row + 1):
        if all(is_blank(v) for v in values):
            continue
        if cell_text(values[name_index]).startswith(EXAMPLE_MARK):
            continue
        count += 1
        if count > MAX_ROWS:
            raise ImportFileError(f"一次最多导入{MAX_ROWS}行，请把文件拆分后分批导入。")
        yield number, values


# --- rows -------------------------------------------------------------------------------------------------
@dataclass
class Row:
    number: int
    name: str = ""
    typed_id: str = ""  # as typed, normalised: for duplicate detection and the masked display
    citizen_id: str = ""  # validated, or "" when the ID is not valid
    data: dict = field(default_factory=dict)  # member fields for services; absent ones are left as they are
    errors: dict[str, str] = field(default_factory=dict)  # field → message
    extra_errors: list[str] = field(default_factory=list)
    member: Member | None = None
    org_label: str = ""

    @property
    def action(self) -> str:
        return UPDATE if self.member is not None else CREATE

    @property
    def messages(self) -> list[str]:
        out = []
        order = [c.field for c in COLUMNS]
        for name in sorted(self.errors, key=lambda f: order.index(f) if f in order else len(order)):
            message, header = self.errors[name], FIELD_HEADERS.get(name, "")
            out.append(message if not header or message.startswith(header) else f"{header}：{message}")
        return out + self.extra_errors

    def add_error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def report(self) -> dict:
        status = self.data.get("status") or (self.member.status if self.member else MemberStatus.FULL)
        return {
            "row": self.number,
            "name": self.name,
            "id": mask_citizen_id(self.typed_id),
            "org": self.org_label,
            "status": MemberStatus(status).label if status in MemberStatus.values else "",
            "action": self.action,
            "errors": self.messages,
        }


def parse_row(number: int, values: tuple, layout: Layout, resolver: OrgResolver) -> Row:
    """Turn the cells into member fields; cell-level problems become the row's errors. No database access
    beyond the resolver's dictionaries."""
    row = Row(number)
    cells = {c.field: values[i] for i, c in layout.columns.items() if i < len(values)}
    row.name = cell_text(cells.get("name"))
    for column in COLUMNS:
        if column.field not in cells:
            continue  # column absent from the sheet: an update leaves that field alone
        value, name = cells[column.field], column.field
        blank = is_blank(value)
        try:
            if column.kind == "text":
                text = cell_text(value)
                if column.max_length and len(text) > column.max_length:
                    raise ValueError(f"{column.header}不能超过{column.max_length}个字")
                if text or name != "ethnicity":
                    row.data[name] = text
            elif column.kind == "citizen_id":
                row.typed_id = normalize_text(cell_text(value)).replace(" ", "").upper()
                if blank:
                    row.data[name] = ""  # clean_member_data reports it
                else:
                    row.typed_id, row.citizen_id = parse_citizen_id_cell(value)
                    row.data[name] = row.citizen_id
            elif column.kind == "gender":
                if not blank:
                    row.data[name] = _choice(value, GENDERS, Gender.choices, column.header)
            elif column.kind == "education":
                row.data[name] = "" if blank else _choice(value, EDUCATIONS, Education.choices, column.header)
            elif column.kind == "status":
                if not blank:
                    row.data[name] = _choice(value, STATUSES, MemberStatus.choices, column.header)
            elif column.kind == "date":
                if isinstance(value, datetime.time):
                    raise ValueError(f"无法识别的日期“{value}”，请使用 2021-07-01 格式")
                if is_year_or_year_month(value):
                    raise ValueError(
                        f"日期“{cell_text(value)}”只有年和月，缺少日，请填写完整日期，如 2021-07-01"
                    )
                day = parse_optional_date(value)
                if day is not None or name != "birth_date":  # an empty birth date is taken from the ID
                    row.data[name] = day
            elif column.kind == "mobile":
                row.data[name] = cell_text(value)  # services.clean_member_data validates it
            elif column.kind == "flag":
                row.data[name] = parse_flag(value, column.header)
            elif column.kind == "organization":
                if blank:
                    raise ValueError("所在党组织不能为空")
                row.data[name] = resolver.organization(value)
                row.org_label = cell_text(value)
            elif column.kind == "group":
                org = row.data.get("organization")
                if blank:
                    row.data[name] = None
                elif org is not None:
                    row.data[name] = resolver.group(value, org)
                elif "organization" not in row.errors:
                    raise ValueError("填写党小组时必须同时填写所在党组织")
        except ValueError as exc:
            row.add_error(name, str(exc))
    return row


def mark_duplicates(rows: list[Row]) -> None:
    """Two rows with one ID: both are wrong, and each says where the other is."""
    by_id: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row.typed_id:
            by_id[row.citizen_id or row.typed_id].append(row)
    for same in by_id.values():
        if len(same) > 1:
            for row in same:
                others = "、".join(str(o.number) for o in same if o is not row)
                row.extra_errors.append(f"与第{others}行身份证号重复")


class RowChecker:
    """Checks parsed rows against the database with the roster's own rules (services.clean_member_data)."""

    def __init__(self, user):
        self.user = user
        self.access = Access.of(user)
        self.resolver = OrgResolver(self.access.orgs(Capability.CHANGE_MEMBERS).select_related("parent"))

    def check(self, rows: list[Row]) -> None:
        """Fills in each row's member (when its ID is already on the roster) and its errors. Runs one query for
        the existing members of the whole chunk, then the per-row queries of clean_member_data."""
        ids = [r.citizen_id for r in rows if r.citizen_id]
        existing = {
            m.citizen_id: m
            for m in Member.objects.filter(citizen_id__in=ids).select_related("organization", "group")
        }
        for row in rows:
            row.member = existing.get(row.citizen_id)
            if row.member is not None and not self.access.can_member(Capability.CHANGE_MEMBERS, row.member):
                row.add_error("citizen_id", "该身份证号属于您权限范围以外的党员")
                continue
            if row.member is not None:
                data = {name: getattr(row.member, name) for name in services.MEMBER_FIELDS}
                data.update(row.data)
            else:
                data = dict(row.data)
            for name in row.errors:
                data.pop(name, None)  # already reported in the user's terms; do not report it twice
            try:
                services.clean_member_data(data, instance=row.member)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    if name not in row.errors:
                        row.add_error(name, "；".join(messages))

    def parse(self, workbook, layout: Layout) -> list[Row]:
        rows = [parse_row(n, values, layout, self.resolver) for n, values in iter_data_rows(workbook, layout)]
        mark_duplicates(rows)
        return rows


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _progress_step(total: int) -> int:
    # Also the size of the chunks checked together (one query for their existing members): at most
    # CHECK_CHUNK rows, and about fifty progress updates in all.
    return max(1, min(CHECK_CHUNK, total // 50))


def read_rows(imp: RosterImport, checker: RowChecker) -> list[Row]:
    with imp.file.open("rb") as fh:
        workbook = open_workbook(fh)
        try:
            layout = find_layout(workbook)
            return checker.parse(workbook, layout)
        finally:
            workbook.close()


# --- progress ---------------------------------------------------------------------------------------------
def publish_validation_progress(import_id: int, done: int, total: int) -> None:
    RosterImport.objects.filter(pk=import_id).update(
        processed_rows=done, total_rows=total, updated_at=timezone.now()
    )


def _commit_progress_path(import_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "roster" / "progress" / f"import-{import_id}.json"


def publish_commit_progress(import_id: int, done: int, total: int) -> None:
    """The commit writes inside one transaction, so progress saved on the import row would stay invisible to the
    polling page until the very end (and SQLite would block a second writer). It goes to a small file next to the
    uploads instead, which the web process and the worker share in any deployment that shares uploads."""
    path = _commit_progress_path(import_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"done": done, "total": total}))
    os.replace(tmp, path)


def commit_progress(imp: RosterImport) -> tuple[int, int]:
    try:
        data = json.loads(_commit_progress_path(imp.pk).read_text())
        return int(data["done"]), int(data["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0, imp.valid_rows


def _clear_commit_progress(import_id: int) -> None:
    _commit_progress_path(import_id).unlink(missing_ok=True)


# --- the import's life ------------------------------------------------------------------------------------
def create_import(user, upload, layout: Layout) -> RosterImport:
    access = Access.of(user)
    return RosterImport.objects.create(
        uploaded_by=user,
        file=upload,
        original_name=os.path.basename(upload.name)[:200],
        scope=[{"id": o.pk, "name": o.name} for o in access.scope_roots(Capability.CHANGE_MEMBERS)],
        sheet_name=layout.sheet_name[:100],
        header_row=layout.header_row,
        total_rows=layout.estimated_rows or 0,
    )


def runs_inline(rows: int | None) -> bool:
    return rows is not None and rows <= settings.ROSTER_IMPORT_INLINE_ROWS


def start_validation(imp: RosterImport, estimated_rows: int | None) -> None:
    """Small files are checked while the user waits; large ones (or ones whose size the file does not state)
    by the task worker, while the report page polls."""
    if runs_inline(estimated_rows):
        validate_import(imp.pk)
    else:
        from .tasks import validate_roster_import

        validate_roster_import.enqueue(imp.pk)


def _fail(import_id: int, message: str) -> None:
    RosterImport.objects.filter(pk=import_id).update(
        status=RosterImportStatus.FAILED,
        message=message[:500],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def validate_import(import_id: int) -> None:
    imp = RosterImport.objects.select_related("uploaded_by").get(pk=import_id)
    if imp.status != RosterImportStatus.VALIDATING:
        return  # a task delivered twice must not redo finished work
    try:
        checker = RowChecker(imp.uploaded_by)
        rows = read_rows(imp, checker)
        total = len(rows)
        publish_validation_progress(imp.pk, 0, total)
        done = 0
        for part in _chunks(rows, _progress_step(total)):
            checker.check(part)
            done += len(part)
            publish_validation_progress(imp.pk, done, total)
    except ImportFileError as exc:
        _fail(imp.pk, str(exc))
        return
    except Exception:
        logger.exception("roster import %s: validation failed", imp.pk)
        _fail(
            imp.pk,
            "校验时出现意外错误，本次未导入任何数据。请检查文件后重新上传，如仍有问题请联系系统管理员。",
        )
        return
    if not rows:
        _fail(imp.pk, "表头下面没有任何数据行。")
        return
    invalid = sum(1 for r in rows if r.messages)
    imp.report = [r.report() for r in rows]
    imp.total_rows, imp.invalid_rows, imp.valid_rows = total, invalid, total - invalid
    imp.processed_rows = total
    imp.status = RosterImportStatus.VALIDATED
    imp.save()


class CommitRefused(Exception):
    pass


def start_commit(imp: RosterImport) -> bool:
    """Claim the import for committing (once only, whatever double clicks or second tabs do) and run or queue it.
    Returns False when it was not waiting for a decision."""
    claimed = RosterImport.objects.filter(
        pk=imp.pk, status=RosterImportStatus.VALIDATED, valid_rows__gt=0
    ).update(status=RosterImportStatus.IMPORTING, processed_rows=0, message="", updated_at=timezone.now())
    if not claimed:
        return False
    publish_commit_progress(imp.pk, 0, imp.valid_rows)
    if runs_inline(imp.valid_rows):
        commit_import(imp.pk)
    else:
        from .tasks import commit_roster_import

        commit_roster_import.enqueue(imp.pk)
    return True


def commit_import(import_id: int) -> None:
    imp = RosterImport.objects.select_related("uploaded_by").get(pk=import_id)
    if imp.status != RosterImportStatus.IMPORTING:
        return
    try:
        created, updated = _write_rows(imp)
    except CommitRefused as exc:
        _fail(imp.pk, str(exc))
    except ImportFileError as exc:
        _fail(imp.pk, f"导入未执行，未导入任何数据：{exc}")
    except Exception:
        logger.exception("roster import %s: commit failed", imp.pk)
        _fail(
            imp.pk, "导入时出现意外错误，已全部撤销，未导入任何数据。请稍后重试，如仍有问题请联系系统管理员。"
        )
    else:
        RosterImport.objects.filter(pk=imp.pk).update(
            status=RosterImportStatus.DONE,
            created_count=created,
            updated_count=updated,
            processed_rows=created + updated,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    finally:
        _clear_commit_progress(imp.pk)


def _write_rows(imp: RosterImport) -> tuple[int, int]:
    """Exactly the rows the user saw as valid, re-checked now, all or none. If any of them has become invalid or
    would now do something else (新增 ↔ 更新), nothing is written: importing a set other than the one shown
    would be worse than asking the user to look again."""
    shown = {r["row"]: r["action"] for r in imp.report if not r["errors"]}
    checker = RowChecker(imp.uploaded_by)
    rows = [r for r in read_rows(imp, checker) if r.number in shown]
    if len(rows) != len(shown):
        raise CommitRefused("导入未执行：文件内容与校验时不一致，未导入任何数据。请重新上传文件。")
    changed = "自校验以来数据发生了变化，为避免导入与预览不同的数据，本次未导入任何数据。请重新上传文件校验后再导入。"
    total, done, created, updated = len(rows), 0, 0, 0
    step = _progress_step(total)
    user = imp.uploaded_by
    with transaction.atomic():
        for chunk in _chunks(rows, step):
            checker.check(chunk)
            for row in chunk:
                if row.messages:
                    raise CommitRefused(f"第{row.number}行：{'；'.join(row.messages)}。{changed}")
                if row.action != shown[row.number]:
                    raise CommitRefused(
                        f"第{row.number}行：校验时为“{shown[row.number]}”，现在为“{row.action}”。{changed}"
                    )
                try:
                    if row.member is None:
                        services.create_member(by=user, reason=IMPORT_REASON, **row.data)
                        created += 1
                    else:
                        services.update_member(row.member, by=user, **row.data)
                        updated += 1
                except ValidationError as exc:
                    messages = "；".join(m for ms in exc.message_dict.values() for m in ms)
                    raise CommitRefused(f"第{row.number}行：{messages}。{changed}") from None
                done += 1
            publish_commit_progress(imp.pk, done, total)
    return created, updated


def discard_import(imp: RosterImport) -> bool:
    """Nothing is written; the uploaded file (full ID numbers) is deleted since nobody will need it."""
    discarded = RosterImport.objects.filter(
        pk=imp.pk, status__in=[RosterImportStatus.VALIDATED, RosterImportStatus.FAILED]
    ).update(status=RosterImportStatus.DISCARDED, finished_at=timezone.now(), updated_at=timezone.now())
    if discarded and imp.file:
        imp.file.delete(save=False)
        RosterImport.objects.filter(pk=imp.pk).update(file="")
    return bool(discarded)


def read_original_rows(imp: RosterImport, numbers: set[int]) -> tuple[list[object], list[tuple[int, tuple]]]:
    """The header cells and the chosen rows exactly as the user typed them, for the error report."""
    with imp.file.open("rb") as fh:
        workbook = open_workbook(fh)
        try:
            layout = find_layout(workbook)
            rows = [(n, values) for n, values in iter_data_rows(workbook, layout) if n in numbers]
            return layout.headers, rows
        finally:
            workbook.close()
