"""发展党员待办日历 as a spreadsheet, built in the background by the reports app and downloaded by whoever asked
for it: the overdue steps and those due in the next CALENDAR_DAYS days, as the calendar page lists them."""

from __future__ import annotations

import datetime
import io

from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import Workbook

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.reports.registry import Progress, ReportKind, register

from . import selectors

DEVELOPMENT_CALENDAR = "development_calendar"
CALENDAR_DAYS = 60
PROGRESS_EVERY = 500
HEADER = ["姓名", "所在党组织", "人员类别", "事项", "应完成日期", "状态"]
WIDTHS = (10, 30, 14, 30, 14, 8)


def authorize_calendar(user, organization, params: dict) -> dict:
    """The calendar page's own check: the organisation must be one whose members the user may see. The page
    passes nothing else; the day the list is drawn up for is the day it was asked for, not the day the worker
    gets to it."""
    Access.of(user).require_org(organization, C.VIEW_MEMBERS)
    return {"on": timezone.localdate().isoformat()}


def _on(report) -> datetime.date:
    raw = report.params.get("on")
    try:
        return datetime.date.fromisoformat(raw)
    except (TypeError, ValueError):
        raise ValidationError("日历日期无效，请重新导出") from None


def calendar_rows(organization, today: datetime.date) -> list[selectors.Due]:
    """What the calendar page lists (three queries whatever the number of people)."""
    return selectors.calendar_items(
        selectors.path_org_q(organization),
        today,
        start=today,
        end=today + datetime.timedelta(days=CALENDAR_DAYS),
    )


def build_calendar(report, progress: Progress) -> bytes:
    today = _on(report)
    items = calendar_rows(report.organization, today)
    total = len(items)
    book = Workbook()
    sheet = book.active
    sheet.title = "发展党员日程"
    sheet.append(HEADER)
    for done, item in enumerate(items, start=1):
        sheet.append(
            [
                item.member.name,
                item.member.organization.name,
                item.member.get_status_display(),
                item.label,
                item.due_on,
                "已逾期" if item.overdue else "待办",
            ]
        )
        if done % PROGRESS_EVERY == 0:
            progress(done, total)
    for column, width in zip("ABCDEF", WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    for cell in sheet["E"][1:]:
        cell.number_format = "yyyy-mm-dd"
    progress(total, total)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def calendar_filename(report) -> str:
    return f"{report.organization.name}发展党员待办日历{_on(report):%Y%m%d}.xlsx"


def register_kinds() -> None:
    register(
        ReportKind(
            code=DEVELOPMENT_CALENDAR,
            label="发展党员待办日历（Excel）",
            extension="xlsx",
            build=build_calendar,
            filename=calendar_filename,
            authorize=authorize_calendar,
            description=f"已逾期的事项和今后{CALENDAR_DAYS}天内应办的事项：谈话、考察、思想汇报、审批、转正",
        )
    )
