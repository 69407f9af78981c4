"""学时统计 as a spreadsheet: the member list of an organisation's statistics page, built in the background by the
reports app (kind `hours_stats`) and downloaded by whoever asked for it."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from openpyxl import Workbook

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.reports.registry import Progress, ReportKind, register

from . import selectors

HOURS_STATS = "hours_stats"
HEADERS = [
    "姓名",
    "所在党组织",
    "人员类别",
    "年度学时",
    "应达学时",
    "是否达标",
    "培训班",
    "党课与集中学习",
    "自学",
    "送学上门",
]
WIDTHS = [10, 36, 10, 10, 10, 10, 10, 16, 10, 10]
CHUNK = 2000


def authorize_hours_stats(user, organization, params: dict) -> dict:
    access = Access.of(user)
    if not access.can_org(C.VIEW_ORG, organization):
        raise Http404("没有找到该组织")
    access.require_org(organization, C.VIEW_MEMBERS)
    try:
        year = int(params.get("year"))
    except (TypeError, ValueError):
        raise ValidationError({"year": "请选择年度"}) from None
    this_year = timezone.localdate().year
    if not this_year - 10 <= year <= this_year:
        raise ValidationError({"year": "年度不在可统计的范围内"})
    return {"year": year, "short": bool(params.get("short"))}


def build_hours_stats(report, progress: Progress) -> bytes:
    year, short = report.params["year"], report.params.get("short", False)
    qs = (
        selectors.org_members(report.organization, year, short_only=short)
        .select_related("organization")
        .order_by("organization__path", "sort_key", "pk")
    )
    total = qs.count()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"{year}年学时")
    for i, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    sheet.append(HEADERS)
    for done, m in enumerate(qs.iterator(chunk_size=CHUNK), start=1):
        sheet.append(
            [
                m.name,
                m.organization.name,
                m.get_status_display(),
                float(m.hours_total),
                float(m.required),
                "达标" if m.met else "未达标",
                float(m.hours_class),
                float(m.hours_meeting),
                float(m.hours_study),
                float(m.hours_home),
            ]
        )
        if done % CHUNK == 0:
            progress(done, total)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def hours_stats_filename(report) -> str:
    suffix = "（未达标）" if report.params.get("short") else ""
    return f"{report.organization.name}{report.params['year']}年学时统计{suffix}.xlsx"


def register_kinds() -> None:
    register(
        ReportKind(
            code=HOURS_STATS,
            label="学时统计表（Excel）",
            extension="xlsx",
            build=build_hours_stats,
            filename=hours_stats_filename,
            authorize=authorize_hours_stats,
            description="每名党员的年度学时、应达学时与来源",
        )
    )
