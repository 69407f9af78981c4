"""The overdue list of a plan (逾期未完成名单) as an xlsx workbook, built in the background by the reports app and
downloaded by the worker who asked for it from the plan's progress page.

Write-only workbook, members read in chunks with their missing items fetched per chunk: a county-wide list
stays small in memory and costs a few queries whatever its length.
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from partyedu.orgs.models import Organization
from partyedu.reports import params as report_params
from partyedu.reports.registry import Progress as Reporter
from partyedu.reports.registry import ReportKind, register

from . import selectors
from .models import ReadingPlan
from .selectors import Progress

PLAN_OVERDUE = "plan_overdue"
HEADERS = ["序号", "所在党组织", "姓名", "职务/岗位", "必读完成", "逾期未完成内容", "最早期限"]
CHUNK = 500


def overdue_workbook(progress: Progress, root: Organization, report: Reporter | None = None) -> bytes:
    """The members of `root`'s subtree with a required item past its deadline, and which ones. `report(done,
    total)` is told after each chunk."""
    plan = progress.plan
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("逾期未完成名单")
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["F"].width = 60
    title = WriteOnlyCell(
        ws, value=f"{plan.title} 逾期未完成名单（{root.name}，截至 {progress.today:%Y-%m-%d}）"
    )
    title.font = Font(bold=True, size=13)
    ws.append([title])
    bold = Font(bold=True)
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    overdue = progress.member_rows(root, show="overdue")
    total = overdue.count() if report else 0
    rows = overdue.values_list(
        "member_id", "member__name", "member__post", "member__organization__name", "done"
    )
    n = 0
    batch: list[tuple] = []

    def flush():
        nonlocal n
        missing = progress.overdue_items_of([r[0] for r in batch])
        for member_id, name, post, org_name, done in batch:
            items = missing.get(member_id, [])
            n += 1
            first_due = min((i.due(plan) for i in items), default=None)
            ws.append(
                [
                    n,
                    org_name,
                    name,
                    post,
                    f"{done}/{progress.required_count}",
                    "、".join(i.title for i in items),
                    first_due,
                ]
            )
        batch.clear()
        if report:
            report(n, total)

    for row in rows.iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) >= CHUNK:
            flush()
    if batch:
        flush()
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- the report kind -----------------------------------------------------------------------------------------
def _plan_id(params: dict) -> int:
    plan_id = report_params.integer(params, "plan", "请选择读书计划")
    if plan_id is None:
        raise ValidationError({"plan": "请选择读书计划"})
    return plan_id


def authorize_overdue(user, organization, params: dict) -> dict:
    """The same rule as the progress page: the plan's managers, and the workers below its organisation who
    follow a published plan for their own subtree (404 for anybody else); `organization` is the one the page
    shows, inside the user's view of the plan and among the organisations whose members he may see."""
    plan_id = _plan_id(params)
    if not ReadingPlan.objects.filter(pk=plan_id, organization__isnull=False).exists():
        raise ValidationError({"plan": "没有找到该读书计划"})
    _, base, _ = selectors.followed_plan(user, plan_id)
    if organization is None or selectors.scope_root(user, base, organization.pk).pk != organization.pk:
        raise ValidationError({"organization": "只能导出您可查看的党组织的逾期名单"})
    return {"plan": plan_id}


def _plan_of(report) -> ReadingPlan:
    plan = (
        ReadingPlan.objects.select_related("organization")
        .filter(pk=report.params.get("plan"), organization__isnull=False)
        .first()
    )
    if plan is None:
        raise ValidationError("该读书计划已被删除，无法生成逾期名单")
    return plan


def build_overdue(report, progress: Reporter) -> bytes:
    plan = _plan_of(report)
    root = report.organization
    if not root.is_in_subtree_of(plan.organization):
        raise ValidationError("该党组织不在此读书计划的范围内")
    return overdue_workbook(Progress(plan, timezone.localdate()), root, progress)


def overdue_filename(report) -> str:
    title = ReadingPlan.objects.filter(pk=report.params.get("plan")).values_list("title", flat=True).first()
    return (
        f"{title or '读书计划'}-{report.organization.name}逾期未完成名单-{timezone.localdate():%Y%m%d}.xlsx"
    )


def register_kinds() -> None:
    register(
        ReportKind(
            code=PLAN_OVERDUE,
            label="学习计划逾期名单（Excel）",
            extension="xlsx",
            build=build_overdue,
            filename=overdue_filename,
            authorize=authorize_overdue,
            description="读书计划中必读内容逾期未完成的党员及其未完成的内容",
        )
    )
