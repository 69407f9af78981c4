"""The 组织生活台账 (Word) and 组织生活统计表 (Excel) of an organisation's subtree for a year.

Both are read from the Meeting rows alone (with their agenda and attendance): a meeting is recorded once, and the
ledger an inspection asks for is printed from that record, never typed again.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from partyedu.accounts.access import Access, Capability
from partyedu.meetings.models import AttendanceRole, Meeting, MeetingKind
from partyedu.orgs.models import Organization

from . import docx_tools as dx
from .registry import Progress, ReportKind, register
from .selectors import held_meetings, tree_ordered

FIRST_YEAR = 2000
XLSX_HEADER_FONT = Font(bold=True)
XLSX_HEADER_FILL = PatternFill("solid", fgColor="FDECEA")


def clean_year(value) -> int:
    latest = timezone.localdate().year + 1
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"year": "请选择年份"}) from None
    if not FIRST_YEAR <= year <= latest:
        raise ValidationError({"year": f"年份须在 {FIRST_YEAR} 年至 {latest} 年之间"})
    return year


def authorize_ledger(user, organization: Organization, params: dict) -> dict:
    """Ledgers list who attended: those who may see the organisation's members may have them."""
    Access.of(user).require_org(organization, Capability.VIEW_MEMBERS)
    return {"year": clean_year(params.get("year"))}


# --- shared formatting ---------------------------------------------------------------------------------------
def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment)


def meeting_time(meeting: Meeting) -> str:
    start, end = _local(meeting.starts_at), _local(meeting.ends_at)
    text = f"{dx.cn_date(start.date())} {start:%H:%M}"
    if end.date() == start.date():
        return f"{text}—{end:%H:%M}"
    return f"{text}—{end.month}月{end.day}日 {end:%H:%M}"


def head_counts(meeting: Meeting) -> str:
    return (
        f"应到 {meeting.expected_count} 人，实到 {meeting.present_count} 人，请假 {meeting.leave_count} 人，"
        f"缺席 {meeting.absent_count} 人，列席 {meeting.observer_count} 人"
    )


def _signin(attendance, held_on: datetime.date) -> str:
    if not attendance.checked_in_at:
        return ""
    moment = _local(attendance.checked_in_at)
    when = f"{moment:%H:%M}" if moment.date() == held_on else f"{moment.month}月{moment.day}日 {moment:%H:%M}"
    return f"{attendance.get_method_display() or '签到'} {when}"


def _identity(attendance) -> str:
    if attendance.role == AttendanceRole.OBSERVER:
        label = "列席旁听"
    else:
        label = attendance.member.get_status_display()
    return f"{label}\n（双重组织生活）" if attendance.dual_life else label


def _kind_summary(meetings: list[Meeting]) -> str:
    counts = Counter(m.kind for m in meetings)
    parts = [f"{kind.label} {counts[kind]} 次" for kind in MeetingKind if counts[kind]]
    return f"本年度召开会议、开展活动共 {len(meetings)} 次：" + "，".join(parts) + "。"


# --- the Word ledger -----------------------------------------------------------------------------------------
ATTENDANCE_HEADERS = ["姓名", "身份", "出席情况", "请假事由", "签到方式与时间"]
ATTENDANCE_WIDTHS = [2.4, 3.2, 2.6, 3.6, 3.8]
INFO_WIDTHS = [2.4, 5.4, 2.4, 5.4]


def write_meeting(document, meeting: Meeting, number: int) -> None:
    """One meeting's section: its facts, agenda, attendance, minutes and decisions."""
    dx.add_styled_paragraph(document, f"{number}．{meeting.get_kind_display()}：{meeting.theme}", "Heading 2")
    dx.key_value_table(
        document,
        [
            ("会议类型", meeting.get_kind_display()),
            ("党组织", meeting.organization.name),
            ("主题*", meeting.theme),
            ("时间*", meeting_time(meeting)),
            ("地点*", meeting.place or "—"),
            ("主持人", meeting.host.name if meeting.host else "—"),
            ("记录人", meeting.recorder.name if meeting.recorder else "—"),
            ("人数*", head_counts(meeting)),
        ],
        widths_cm=INFO_WIDTHS,
    )

    dx.add_styled_paragraph(document, "会议议程", "Heading 3")
    agenda = list(meeting.agenda.all())
    if not agenda:
        dx.add_styled_paragraph(document, "（未列议程）", dx.BODY)
    for n, item in enumerate(agenda, start=1):
        paragraph = dx.add_styled_paragraph(document, style=dx.BODY)
        paragraph.add_run(f"{n}. ")
        if item.is_first_agenda:
            paragraph.add_run("【第一议题】").bold = True
        paragraph.add_run(item.title)
        if item.speaker:
            paragraph.add_run(f"（主讲/发言：{item.speaker}）")
        dx.add_plain_text(document, item.notes)

    dx.add_styled_paragraph(document, "出席情况", "Heading 3")
    rows = [
        [
            a.member.name,
            _identity(a),
            a.get_status_display(),
            a.leave_reason,
            _signin(a, meeting.held_on),
        ]
        for a in meeting.attendances.all()
    ]
    if rows:
        dx.add_table(document, ATTENDANCE_HEADERS, rows, ATTENDANCE_WIDTHS)
    else:
        dx.add_styled_paragraph(document, "（无出席记录）", dx.BODY)

    dx.add_styled_paragraph(document, "会议记录", "Heading 3")
    if not dx.write_html(document, meeting.minutes):
        dx.add_styled_paragraph(document, "（未录入会议记录）", dx.BODY)

    dx.add_styled_paragraph(document, "决议事项", "Heading 3")
    dx.add_plain_text(document, meeting.decisions, empty="（无）")


def build_ledger_docx(report, progress: Progress) -> bytes:
    root, year = report.organization, int(report.params["year"])
    meetings = list(held_meetings(root, year, details=True))
    by_org: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        by_org[meeting.organization_id].append(meeting)
    chapters = [org for org in tree_ordered(root) if by_org.get(org.pk)]

    document = dx.new_document(title=f"{root.name}{year}年度组织生活台账")
    dx.cover_page(
        document,
        organization=root.name,
        title="组织生活台账",
        subtitle=f"（{year}年度）",
        note="本台账根据平台中的会议记录自动生成",
    )

    dx.add_styled_paragraph(document, "台账概览", dx.DOC_TITLE)
    if chapters:
        dx.add_table(
            document,
            ["党组织", "会议活动", "应到人次", "实到人次", "出勤率"],
            [
                [
                    org.name,
                    f"{len(by_org[org.pk])} 次",
                    str(sum(m.expected_count for m in by_org[org.pk])),
                    str(sum(m.present_count for m in by_org[org.pk])),
                    _rate_text(by_org[org.pk]),
                ]
                for org in chapters
            ],
            [6.4, 2.4, 2.2, 2.2, 2.4],
        )
    else:
        dx.add_styled_paragraph(document, f"{year}年度没有已召开的会议活动记录。", dx.BODY)

    done = 0
    for org in chapters:
        heading = dx.add_styled_paragraph(document, org.name, "Heading 1")
        heading.paragraph_format.page_break_before = True
        dx.add_styled_paragraph(document, _kind_summary(by_org[org.pk]), dx.BODY)
        for number, meeting in enumerate(by_org[org.pk], start=1):
            write_meeting(document, meeting, number)
            done += 1
            progress(done, len(meetings))
    return dx.to_bytes(document)


def _rate_text(meetings: list[Meeting]) -> str:
    expected = sum(m.expected_count for m in meetings)
    present = sum(m.present_count for m in meetings)
    return f"{present / expected:.1%}" if expected else "—"


def ledger_docx_filename(report) -> str:
    return f"{report.organization.name}_{report.params['year']}年组织生活台账.docx"


# --- the Excel summary ---------------------------------------------------------------------------------------
def _existed_in(org: Organization, start: datetime.date, end: datetime.date) -> bool:
    """Whether the organisation existed on some day of [start, end)."""
    if org.established_on and org.established_on >= end:
        return False
    return not (org.dissolved_on and org.dissolved_on <= start)


def _month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, month, 1)
    end = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def _header(ws, titles: list[str]) -> None:
    cells = []
    for title in titles:
        cell = WriteOnlyCell(ws, value=title)
        cell.font, cell.fill = XLSX_HEADER_FONT, XLSX_HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cells.append(cell)
    ws.append(cells)


def _rate_cell(ws, present: int, expected: int):
    cell = WriteOnlyCell(ws, value=present / expected if expected else None)
    cell.number_format = "0.0%"
    return cell


SUMMARY_FIXED = ["党组织", "组织类型", "月份"]
SUMMARY_TAIL = ["合计", "应到人次", "实到人次", "请假人次", "缺席人次", "出勤率"]
DETAIL_HEADERS = [
    "日期",
    "时间",
    "党组织",
    "会议类型",
    "主题",
    "地点",
    "主持人",
    "应到",
    "实到",
    "请假",
    "缺席",
    "列席",
    "出勤率",
]


def build_ledger_xlsx(report, progress: Progress) -> bytes:
    root, year = report.organization, int(report.params["year"])
    meetings = list(held_meetings(root, year))
    first, after = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    orgs = [o for o in tree_ordered(root) if _existed_in(o, first, after)]
    cells: dict[tuple[int, int], list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        cells[(meeting.organization_id, meeting.held_on.month)].append(meeting)
    total = len(orgs) * 12 + len(meetings)
    done = 0

    wb = Workbook(write_only=True)
    summary = wb.create_sheet("月度统计")
    summary.freeze_panes = "D2"
    kinds = list(MeetingKind)
    widths = [36, 10, 10] + [max(6, len(k.label) * 2 + 2) for k in kinds] + [8, 10, 10, 10, 10, 10]
    for index, width in enumerate(widths, start=1):
        summary.column_dimensions[get_column_letter(index)].width = width
    _header(summary, SUMMARY_FIXED + [k.label for k in kinds] + SUMMARY_TAIL)
    for org in orgs:
        indent = min(org.depth - root.depth, 15)
        for month in range(1, 13):
            done += 1
            if not _existed_in(org, *_month_bounds(year, month)):
                continue
            rows = cells.get((org.pk, month), [])
            counts = Counter(m.kind for m in rows)
            name = WriteOnlyCell(summary, value=org.name)
            name.alignment = Alignment(indent=indent)
            expected = sum(m.expected_count for m in rows)
            present = sum(m.present_count for m in rows)
            summary.append(
                [name, org.get_kind_display(), f"{year}-{month:02d}"]
                + [counts[k] for k in kinds]
                + [
                    len(rows),
                    expected,
                    present,
                    sum(m.leave_count for m in rows),
                    sum(m.absent_count for m in rows),
                    _rate_cell(summary, present, expected),
                ]
            )
        progress(done, total)

    detail = wb.create_sheet("会议明细")
    detail.freeze_panes = "A2"
    for index, width in enumerate([12, 14, 36, 16, 40, 24, 10, 7, 7, 7, 7, 7, 9], start=1):
        detail.column_dimensions[get_column_letter(index)].width = width
    _header(detail, DETAIL_HEADERS)
    for meeting in meetings:
        day = WriteOnlyCell(detail, value=meeting.held_on)
        day.number_format = "yyyy-mm-dd"
        start, end = _local(meeting.starts_at), _local(meeting.ends_at)
        detail.append(
            [
                day,
                f"{start:%H:%M}—{end:%H:%M}",
                meeting.organization.name,
                meeting.get_kind_display(),
                meeting.theme,
                meeting.place,
                meeting.host.name if meeting.host else "",
                meeting.expected_count,
                meeting.present_count,
                meeting.leave_count,
                meeting.absent_count,
                meeting.observer_count,
                _rate_cell(detail, meeting.present_count, meeting.expected_count),
            ]
        )
        done += 1
        if done % 200 == 0:
            progress(done, total)

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def ledger_xlsx_filename(report) -> str:
    return f"{report.organization.name}_{report.params['year']}年组织生活统计表.xlsx"


LEDGER_DOCX = "ledger_docx"
LEDGER_XLSX = "ledger_xlsx"


def register_kinds() -> None:
    register(
        ReportKind(
            code=LEDGER_DOCX,
            label="组织生活台账（Word）",
            extension="docx",
            build=build_ledger_docx,
            filename=ledger_docx_filename,
            authorize=authorize_ledger,
            on_form=True,
            description="按党组织分章，每次会议一节：基本情况、议程、出席情况、会议记录、决议事项",
        )
    )
    register(
        ReportKind(
            code=LEDGER_XLSX,
            label="组织生活统计表（Excel）",
            extension="xlsx",
            build=build_ledger_xlsx,
            filename=ledger_xlsx_filename,
            authorize=authorize_ledger,
            on_form=True,
            description="各党组织逐月的会议次数与出勤率，另附全部会议明细",
        )
    )
