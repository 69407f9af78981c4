"""办实事清单 as a spreadsheet, built in the background by the reports app and downloaded by the worker who asked
for it: the items of the list page with its filters (organisation, status, category, year, flag), every row of
them."""

from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import Workbook

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.orgs.models import OrganizationKind
from partyedu.reports import params as report_params
from partyedu.reports.registry import Progress, ReportKind, register

from . import selectors
from .models import Category, ItemStatus

PRACTICE_ITEMS = "practice_items"
FILTERS = ("org", "status", "category", "year", "flag")
FLAGS = ("overdue", "unrated")
CHUNK = 1000

HEADER = [
    "清单",
    "事项名称",
    "类别",
    "责任党组织",
    "责任人",
    "受益群众",
    "受益人数",
    "开始日期",
    "完成时限",
    "状态",
    "办结日期",
    "是否逾期",
    "评价数",
    "满意率(%)",
    "办结成效",
]


def _year(params: dict) -> int | None:
    year = report_params.integer(params, "year", "请选择正确的年度")
    if year is None:
        return None
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度不在可导出的范围内"})
    return year


def _org(params: dict, organization) -> int | None:
    """The list's 组织 filter: empty for the whole of the worker's scope (as on the list), else the report's own
    organisation (a branch or above, never a 党小组, as the list offers them)."""
    pk = report_params.integer(params, "org", "请选择正确的党组织")
    if pk is None:
        return None
    if pk != organization.pk:
        raise ValidationError({"org": "筛选的党组织与导出的党组织不一致"})
    if organization.kind == OrganizationKind.GROUP:
        raise ValidationError({"org": "请选择党支部或以上的党组织"})
    return pk


def authorize(user, organization, params: dict) -> dict:
    """The list page's own check (党务工作者 who may see members, the organisation within his scope), then the
    list's filters as plain JSON values."""
    access = Access.of(user)
    if not access.has(C.VIEW_MEMBERS) or not access.is_worker:
        raise PermissionDenied("仅党务工作者可以查看")
    access.require_org(organization, C.VIEW_MEMBERS)
    return {
        "org": _org(params, organization),
        "status": report_params.choice(params, "status", ItemStatus.values, "请选择正确的事项状态"),
        "category": report_params.choice(params, "category", Category.values, "请选择正确的事项类别"),
        "year": _year(params),
        "flag": report_params.choice(params, "flag", FLAGS, "请选择正确的提示条件"),
    }


def filename(report) -> str:
    p = report.params
    scope = report.organization.name if p.get("org") else "管辖范围内"
    year = f"{p['year']}年" if p.get("year") else ""
    return f"{scope}{year}办实事清单{timezone.localdate(report.created_at):%Y%m%d}.xlsx"


def _row(item) -> list:
    return [
        item.get_list_kind_display(),
        item.title,
        item.get_category_display(),
        item.organization.name,
        "、".join(m.name for m in item.responsible.all()),
        item.beneficiaries,
        item.beneficiary_count,
        item.starts_on,
        item.deadline,
        item.get_status_display(),
        item.done_on,
        "逾期" if item.overdue else "",
        item.feedback_n,
        float(item.rate) if item.rate is not None else None,
        item.result_summary,
    ]


def build(report, progress: Progress) -> bytes:
    """Every item the requester may see (as he may see them now) under the filters he chose: the list's own
    query, organisation and responsible members fetched a chunk at a time, no query per row."""
    p = report.params
    user = report.requested_by
    access = Access.of(user)
    org = report.organization if p.get("org") else None
    if not access.has(C.VIEW_MEMBERS) or (org is not None and not access.can_org(C.VIEW_MEMBERS, org)):
        raise ValidationError("申请人已没有查看这些事项的权限")
    today = timezone.localdate()
    items = selectors.filtered_items(
        user,
        today=today,
        org=org,
        status=p.get("status") or "",
        category=p.get("category") or "",
        year=p.get("year"),
        flag=p.get("flag") or "",
    )
    total = items.count()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("办实事清单")
    for i, width in enumerate([10, 36, 10, 28, 20, 24, 10, 12, 12, 8, 12, 10, 8, 10, 40]):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.append(HEADER)
    for done, item in enumerate(items.iterator(chunk_size=CHUNK), start=1):
        selectors.decorate([item], today)
        ws.append(_row(item))
        if done % CHUNK == 0:
            progress(done, total)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def register_kinds() -> None:
    register(
        ReportKind(
            code=PRACTICE_ITEMS,
            label="我为群众办实事清单（Excel）",
            extension="xlsx",
            build=build,
            filename=filename,
            authorize=authorize,
            description="实事清单、项目清单中的事项：责任党组织、责任人、完成时限、办结情况与群众评价",
        )
    )
