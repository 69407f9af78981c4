"""意见建议办理情况 as a spreadsheet, built in the background by the reports app."""

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
from .models import Opinion

OPINION_STATS = "opinion_stats"


def _day(value, field):
    try:
        return datetime.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ValidationError({field: "日期格式不正确"}) from None


def authorize(user, organization, params: dict) -> dict:
    Access.of(user).require_org(organization, C.VIEW_MEMBERS)
    start, end = _day(params.get("start"), "start"), _day(params.get("end"), "end")
    if end < start:
        raise ValidationError({"end": "结束日期不能早于开始日期"})
    return {"start": start.isoformat(), "end": end.isoformat()}


def build(report, progress: Progress) -> bytes:
    root = report.organization
    start, end = (
        datetime.date.fromisoformat(report.params["start"]),
        datetime.date.fromisoformat(report.params["end"]),
    )
    orgs = [
        root,
        *Organization.objects.filter(parent=root)
        .exclude(kind=OrganizationKind.GROUP)
        .order_by("order", "path"),
    ]
    stats = selectors.reply_stats([o.pk for o in orgs], start, end)
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("答复情况")
    for i, w in enumerate([36, 10, 10, 12, 14, 12, 12]):
        sheet.column_dimensions[chr(ord("A") + i)].width = w
    sheet.append(["党组织", "收到", "已答复", "答复率(%)", "平均答复天数", "按期答复", "逾期未答复"])
    for o in orgs:
        s = stats[o.pk]
        sheet.append(
            [
                o.name,
                s["received"],
                s["replied"],
                s["reply_rate"] if s["reply_rate"] is not None else "",
                s["avg_reply_days"] if s["avg_reply_days"] is not None else "",
                s["on_time"],
                s["overdue"],
            ]
        )
    detail = wb.create_sheet("意见建议")
    for i, w in enumerate([12, 30, 10, 60, 30, 12, 12, 10, 60]):
        detail.column_dimensions[chr(ord("A") + i)].width = w
    detail.append(
        ["收到日期", "收集单位", "渠道", "内容", "承办组织", "答复期限", "答复日期", "状态", "答复内容"]
    )
    today = timezone.localdate()
    rows = (
        Opinion.objects.filter(
            subtree_q(root.path, "organization__path"), received_on__gte=start, received_on__lte=end
        )
        .select_related("organization", "assignee_org")
        .order_by("received_on", "pk")
    )
    total = rows.count()
    for done, op in enumerate(rows.iterator(chunk_size=2000), start=1):
        state = op.get_status_display() + ("（逾期）" if op.is_overdue(today) else "")
        detail.append(
            [
                op.received_on,
                op.organization.name,
                op.get_channel_display(),
                op.content,
                op.assignee_org.name if op.assignee_org_id else "",
                op.due_on or "",
                timezone.localdate(op.replied_at) if op.replied_at else "",
                state,
                op.reply,
            ]
        )
        if done % 2000 == 0:
            progress(done, total)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def register_kinds() -> None:
    register(
        ReportKind(
            code=OPINION_STATS,
            label="意见建议办理情况（Excel）",
            extension="xlsx",
            build=build,
            filename=lambda r: (
                f"{r.organization.name}意见建议办理情况{r.params['start']}至{r.params['end']}.xlsx"
            ),
            authorize=authorize,
            description="各党组织收到、答复、逾期的意见建议数与答复率、平均答复天数，及每条意见建议",
        )
    )
