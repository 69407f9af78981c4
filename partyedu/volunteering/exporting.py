"""志愿服务统计 and 双报到情况 as spreadsheets, built in the background by the reports app and downloaded by
whoever asked for them."""

from __future__ import annotations

import datetime
import io

from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import Workbook

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.orgs.models import Organization, OrganizationKind, subtree_q
from partyedu.reports.registry import Progress, ReportKind, register

from . import selectors
from .models import RecordStatus, VolunteerRecord

VOLUNTEER_STATS = "volunteer_stats"
COMMUNITY_CHECKINS = "community_checkins"


def clean_year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"year": "请选择年度"}) from None
    this_year = timezone.localdate().year
    if not this_year - 10 <= year <= this_year + 1:
        raise ValidationError({"year": "年度不在可统计的范围内"})
    return year


def authorize_stats(user, organization, params: dict) -> dict:
    Access.of(user).require_org(organization, C.VIEW_MEMBERS)
    return {"year": clean_year(params.get("year"))}


def authorize_checkins(user, organization, params: dict) -> dict:
    Access.of(user).require_org(organization, C.VIEW_MEMBERS)
    return {}


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _widths(sheet, widths):
    for i, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + i)].width = width


def _pct(value):
    return round(value, 1) if value is not None else ""


def build_stats(report, progress: Progress) -> bytes:
    root, year = report.organization, int(report.params["year"])
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    orgs = [
        root,
        *Organization.objects.filter(parent=root)
        .exclude(kind=OrganizationKind.GROUP)
        .order_by("order", "path"),
    ]
    rows = selectors.stats_rows(orgs, start, end)
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet(f"{year}年志愿服务统计")
    _widths(sheet, [36, 10, 12, 12, 12, 18, 18, 18])
    sheet.append(
        [
            "党组织",
            "人数",
            "参加人数",
            "参与率(%)",
            "服务时长(小时)",
            "申请人/积极分子/发展对象/预备党员",
            "其中参加人数",
            "其中服务时长",
        ]
    )
    for row in rows:
        sheet.append(
            [
                row.org.name,
                row.members,
                row.volunteers,
                _pct(row.participation),
                float(row.hours),
                row.cultivated,
                row.cultivated_volunteers,
                float(row.cultivated_hours),
            ]
        )
    detail = wb.create_sheet("服务记录")
    _widths(detail, [10, 36, 12, 12, 36, 10, 10, 24])
    detail.append(["姓名", "党组织", "人员类别", "服务日期", "服务内容", "主题", "时长", "组织单位"])
    records = (
        VolunteerRecord.objects.filter(
            subtree_q(root.path, "organization__path"),
            status=RecordStatus.CONFIRMED,
            served_on__gte=start,
            served_on__lte=end,
        )
        .select_related("member", "organization", "activity__organizer")
        .order_by("organization__path", "member__sort_key", "served_on", "pk")
    )
    total = records.count()
    for done, r in enumerate(records.iterator(chunk_size=2000), start=1):
        detail.append(
            [
                r.member.name,
                r.organization.name,
                r.member.get_status_display(),
                r.served_on,
                r.title,
                r.get_theme_display(),
                float(r.hours),
                r.activity.organizer.name if r.activity_id else "个人申报",
            ]
        )
        if done % 2000 == 0:
            progress(done, total)
    return _save(wb)


def build_checkins(report, progress: Progress) -> bytes:
    root = report.organization
    orgs = list(
        Organization.objects.filter(subtree_q(root.path), dissolved_on__isnull=True)
        .exclude(kind=OrganizationKind.GROUP)
        .order_by("path")
    )
    wb = Workbook(write_only=True)
    summary = wb.create_sheet("组织报到情况")
    _widths(summary, [36, 28, 12, 10, 10, 10])
    summary.append(["党组织", "报到社区", "报到日期", "党员人数", "已报到", "未报到"])
    for row in selectors.checkin_rows(orgs):
        summary.append(
            [
                row.org.name,
                str(row.checkin.community) if row.checkin else "未报到",
                row.checkin.registered_on if row.checkin else "",
                row.members,
                row.registered,
                row.missing,
            ]
        )
    people = wb.create_sheet("党员报到情况")
    _widths(people, [10, 36, 12, 28, 12])
    people.append(["姓名", "党组织", "人员类别", "居住地社区", "报到日期"])
    by_org = selectors.members_checkins(orgs)
    for i, org in enumerate(orgs, start=1):
        for member, checkin in by_org[org.pk]:
            people.append(
                [
                    member.name,
                    org.name,
                    member.get_status_display(),
                    str(checkin.community) if checkin else "未报到",
                    checkin.registered_on if checkin else "",
                ]
            )
        progress(i, len(orgs))
    return _save(wb)


def register_kinds() -> None:
    register(
        ReportKind(
            code=VOLUNTEER_STATS,
            label="志愿服务统计表（Excel）",
            extension="xlsx",
            build=build_stats,
            filename=lambda r: f"{r.organization.name}{r.params['year']}年志愿服务统计.xlsx",
            authorize=authorize_stats,
            description="各党组织参加人数、服务时长，入党申请人、积极分子、发展对象、预备党员参与情况与服务记录",
        )
    )
    register(
        ReportKind(
            code=COMMUNITY_CHECKINS,
            label="双报到情况表（Excel）",
            extension="xlsx",
            build=build_checkins,
            filename=lambda r: f"{r.organization.name}双报到情况.xlsx",
            authorize=authorize_checkins,
            description="单位党组织和在职党员到社区报到情况，未报到的列出",
        )
    )
