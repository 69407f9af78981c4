"""Writing roster spreadsheets: the import template, the error report of an import, and the roster export.

All three use the importer's columns (`importing.COLUMNS`), so an export can be edited and imported again and
an error report can be fixed and uploaded as it is.
"""

from __future__ import annotations

import datetime
import io
import logging
import tempfile
from types import SimpleNamespace

from django.core.files import File
from django.db.models import Max
from django.db.models.functions import Length
from django.http import QueryDict
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from partyedu.accounts.access import Access, Capability
from partyedu.core.cn import mask_citizen_id
from partyedu.orgs.models import MEMBER_HOLDING_KINDS, OrganizationKind

from .importing import COLUMNS, EXAMPLE_MARK, HEADERS, org_labels
from .models import Education, Gender, MemberStatus, RosterExport, RosterExportStatus, RosterImport

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
TEMPLATE_ROWS = 5000  # rows of the template that get drop-down lists
EXPORT_CHUNK = 2000
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="FDECEA")
ERROR_FONT = Font(color="B42318")


def _width(chars: int, cjk: bool = True) -> float:
    # Chinese characters take about two character widths in Excel's unit.
    return min(max(chars * (2 if cjk else 1) + 2, 8), 60)


BASE_WIDTHS = {
    "citizen_id": _width(18, cjk=False),
    "mobile": _width(11, cjk=False),
    "date": _width(10, cjk=False),
    "flag": _width(2),
}


def _base_width(column) -> float:
    return max(_width(len(column.header)), BASE_WIDTHS.get(column.field, BASE_WIDTHS.get(column.kind, 0)))


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- template ---------------------------------------------------------------------------------------------
def _placeable_orgs(user):
    """Where this user may put members: the organisations the template's drop-down offers."""
    access = Access.of(user)
    return list(
        access.orgs(Capability.CHANGE_MEMBERS)
        .filter(dissolved_on__isnull=True)
        .select_related("parent")
        .order_by("path")
    )


def build_template(user) -> bytes:
    orgs = _placeable_orgs(user)
    labels = org_labels(orgs)
    holding = [o for o in orgs if o.kind in MEMBER_HOLDING_KINDS]
    groups_by_parent: dict[int, list[str]] = {}
    for org in orgs:
        if org.kind == OrganizationKind.GROUP:
            groups_by_parent.setdefault(org.parent_id, []).append(org.name)

    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(HEADERS)
    example = {c.field: c.example for c in COLUMNS}
    if holding:
        branches = [o for o in holding if o.kind == OrganizationKind.BRANCH]
        example["organization"] = labels[(branches or holding)[0].pk]
    ws.append([example[c.field] for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        ws.cell(1, index).font = HEADER_FONT
        ws.cell(1, index).fill = HEADER_FILL
        ws.column_dimensions[letter].width = _base_width(column)
        # Column formats apply to whatever the user types later. Text for IDs, or Excel turns an 18-digit ID
        # into 3.30782E+17 and loses its last digits.
        number_format = {"citizen_id": "@", "mobile": "@", "date": DATE_FORMAT}.get(column.kind)
        if number_format:
            ws.column_dimensions[letter].number_format = number_format
            ws.cell(2, index).number_format = number_format
    ws.freeze_panes = "A2"

    def drop_down(field: str, formula: str, strict: bool = True) -> None:
        index = next(i for i, c in enumerate(COLUMNS, start=1) if c.field == field)
        letter = get_column_letter(index)
        dv = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if strict else "warning",
            errorTitle="填写有误",
            error="请从下拉列表中选择",
        )
        ws.add_data_validation(dv)
        dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")

    drop_down("gender", '"{}"'.format(",".join(label for _, label in Gender.choices)))
    drop_down("status", '"{}"'.format(",".join(label for _, label in MemberStatus.choices)))
    drop_down("education", '"{}"'.format(",".join(label for _, label in Education.choices)))
    for column in COLUMNS:
        if column.kind == "flag":
            drop_down(column.field, '"是,否"')

    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "填写说明", "示例"])
    for column in COLUMNS:
        sample = example[column.field]
        if isinstance(sample, datetime.date):
            sample = f"{sample:%Y-%m-%d}"
        notes.append([column.header, "必填" if column.required else "", column.help, sample])
    notes.append([])
    for line in [
        "1. 表头须与“花名册”工作表一致（列的顺序可以调整，没有的列可以删除，但“姓名”“身份证号”“所在党组织”不可缺少）。",
        f"2. 以“{EXAMPLE_MARK.replace('(', '（').replace(')', '）')}”开头的示例行不会被导入，可保留或删除。",
        "3. 已在花名册中的人员（按身份证号识别）将被更新：表中有的列以表中内容为准（空白即清空），表中没有的列保持不变。",
        "4. 上传后系统先逐行校验并列出有问题的行，确认后才会导入；可选择只导入校验通过的行。",
        "5. 身份证号、手机号请保持“文本”格式；日期可以是日期单元格，也可以写成 2021-07-01、2021/7/1、2021年7月1日。",
    ]:
        notes.append([line])
    for cell in notes[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 80
    notes.column_dimensions["D"].width = 22
    for row in notes.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")

    org_sheet = wb.create_sheet("党组织列表")
    org_sheet.append(["所在党组织（填写名称）", "组织类型", "上级组织", "下设党小组"])
    for org in holding:
        org_sheet.append(
            [
                labels[org.pk],
                org.get_kind_display(),
                org.parent.name if org.parent else "",
                "、".join(groups_by_parent.get(org.pk, [])),
            ]
        )
    for cell in org_sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for letter, width in zip("ABCD", (40, 12, 30, 40), strict=True):
        org_sheet.column_dimensions[letter].width = width
    org_sheet.freeze_panes = "A2"
    if holding:
        # A warning rather than a stop: a name typed by hand that the list lacks is still checked on upload.
        drop_down("organization", f"'党组织列表'!$A$2:$A${len(holding) + 1}", strict=False)
    return _to_bytes(wb)


# --- error report -----------------------------------------------------------------------------------------
def _plain(value: object) -> object:
    # A date cell comes back as a midnight datetime; writing it back as a date keeps the yyyy-mm-dd look.
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date()
    return value


def build_error_report(imp: RosterImport) -> bytes:
    """The rows with errors exactly as the user typed them, with 错误说明 in front: fix and upload again."""
    from .importing import read_original_rows

    errors = {r["row"]: r["errors"] for r in imp.report if r["errors"]}
    headers, rows = read_original_rows(imp, set(errors))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("错误数据")
    ws.freeze_panes = "B2"
    ws.column_dimensions["A"].width = 60
    for index, header in enumerate(headers, start=2):
        ws.column_dimensions[get_column_letter(index)].width = max(_width(len(str(header or ""))), 12)
    header_cells = []
    for value in ["错误说明", *headers]:
        cell = WriteOnlyCell(ws, value=value)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header_cells.append(cell)
    ws.append(header_cells)
    for number, values in rows:
        note = WriteOnlyCell(ws, value=f"第{number}行：" + "；".join(errors[number]))
        note.font = ERROR_FONT
        cells = [note]
        for value in values:
            value = _plain(value)
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, datetime.date):
                cell.number_format = DATE_FORMAT
            cells.append(cell)
        ws.append(cells)
    return _to_bytes(wb)


# --- roster export ----------------------------------------------------------------------------------------
def request_export(user, query: str) -> RosterExport:
    from .tasks import build_roster_export

    export = RosterExport.objects.create(requested_by=user, query=query)
    build_roster_export.enqueue(export.pk)
    return export


def _export_filter(user, query: str):
    """The roster page's own parsing of its query string, so the export holds exactly the rows the page lists."""
    from .selectors import roster
    from .views import roster_filter_from

    _, f = roster_filter_from(SimpleNamespace(user=user, GET=QueryDict(query)))
    return roster(user, f)


def _flag(value: bool) -> str:
    return "是" if value else "否"


def build_export(export_id: int) -> None:
    export = RosterExport.objects.select_related("requested_by").get(pk=export_id)
    if export.status != RosterExportStatus.PENDING:
        return
    RosterExport.objects.filter(pk=export.pk).update(
        status=RosterExportStatus.RUNNING, updated_at=timezone.now()
    )
    try:
        count = _write_export(export)
    except Exception:
        logger.exception("roster export %s failed", export.pk)
        RosterExport.objects.filter(pk=export.pk).update(
            status=RosterExportStatus.FAILED,
            message="导出时出现意外错误，请稍后重试，如仍有问题请联系系统管理员。",
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        return
    export.status = RosterExportStatus.DONE
    export.row_count = export.processed_rows = count
    export.finished_at = timezone.now()
    export.save()


def _write_export(export: RosterExport) -> int:
    """Streams the rows: a chunked iterator over one query (organisation and group joined in) into a write-only
    workbook, so 50,000 members cost neither 50,000 queries nor the whole sheet in memory."""
    user = export.requested_by
    access = Access.of(user)
    qs = _export_filter(user, export.query)
    total = qs.count()
    RosterExport.objects.filter(pk=export.pk).update(row_count=total, updated_at=timezone.now())
    labels = org_labels(access.orgs(Capability.VIEW_MEMBERS).select_related("parent"))

    # Write-only sheets take their column widths before the first row, so measure the text columns in SQL.
    longest = qs.order_by().aggregate(
        name=Max(Length("name")),
        ethnicity=Max(Length("ethnicity")),
        unit_name=Max(Length("unit_name")),
        post=Max(Length("post")),
        group=Max(Length("group__name")),
    )
    longest["organization"] = max((len(label) for label in labels.values()), default=0)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        width = _base_width(column)
        if longest.get(column.field):
            width = max(width, _width(longest[column.field]))
        ws.column_dimensions[get_column_letter(index)].width = width
    header = []
    for title in HEADERS:
        cell = WriteOnlyCell(ws, value=title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header.append(cell)
    ws.append(header)

    gender_labels, education_labels, status_labels = (
        dict(Gender.choices),
        dict(Education.choices),
        dict(MemberStatus.choices),
    )
    done = 0
    for member in qs.iterator(chunk_size=EXPORT_CHUNK):
        values = {
            "name": member.name,
            # can_member reads member.organization (joined in), so this costs no query per row.
            "citizen_id": member.citizen_id
            if access.can_member(Capability.VIEW_FULL_ID, member)
            else mask_citizen_id(member.citizen_id),
            "gender": gender_labels.get(member.gender, ""),
            "ethnicity": member.ethnicity,
            "birth_date": member.birth_date,
            "education": education_labels.get(member.education, ""),
            "mobile": member.mobile,
            "unit_name": member.unit_name,
            "post": member.post,
            "organization": labels.get(member.organization_id, member.organization.name),
            "group": member.group.name if member.group else "",
            "status": status_labels.get(member.status, ""),
            "applied_on": member.applied_on,
            "activist_on": member.activist_on,
            "candidate_on": member.candidate_on,
            "probationary_on": member.probationary_on,
            "full_on": member.full_on,
            "joined_on": member.joined_on,
            "is_leader": _flag(member.is_leader),
            "is_retired": _flag(member.is_retired),
            "is_mobile": _flag(member.is_mobile),
            "needs_home_delivery": _flag(member.needs_home_delivery),
        }
        row = []
        for column in COLUMNS:
            value = values[column.field]
            if column.kind == "date" and value is not None:
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = DATE_FORMAT
                row.append(cell)
            else:
                row.append(value)
        ws.append(row)
        done += 1
        if done % EXPORT_CHUNK == 0:
            RosterExport.objects.filter(pk=export.pk).update(processed_rows=done, updated_at=timezone.now())

    with tempfile.TemporaryFile() as fh:
        wb.save(fh)
        fh.seek(0)
        export.file.save("roster.xlsx", File(fh), save=False)
    return done


def export_filename(export: RosterExport) -> str:
    return f"党员花名册_{timezone.localtime(export.created_at):%Y%m%d_%H%M}.xlsx"
