"""民主评议 results of one branch as a spreadsheet, built in the background by the reports app and downloaded by
whoever asked for them."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.http import Http404
from openpyxl import Workbook

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.reports import params as report_params
from partyedu.reports.registry import Progress, ReportKind, register

from . import selectors
from .models import Campaign, Participant

BRANCH_RESULTS = "evaluation_branch"

HEADER = [
    "姓名",
    "是否评定",
    "自评",
    "互评均分",
    "群众评议均分",
    "组织评价",
    "积分",
    "出勤",
    "学时",
    "综合得分",
    "建议等次",
    "说明",
    "评定等次",
    "评定说明",
]
# progress is written every this many rows (and at the end), so a large branch costs a few updates, not one a row
PROGRESS_STEP = 200


def authorize_branch(user, organization, params: dict) -> dict:
    """Whoever sees the campaign and the branch's members (the branch's secretary, the workers above it) may
    have the branch's results — the same rule as the campaign page."""
    campaign_id = report_params.integer(params, "campaign", "请选择民主评议")
    if campaign_id is None:
        raise ValidationError({"campaign": "请选择民主评议"})
    # Not found and not his are the same answer: nobody learns of a campaign over another unit.
    campaign = selectors.campaigns_for(user).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404("没有找到该评议")
    if not Access.of(user).can_org(C.VIEW_MEMBERS, organization):
        raise Http404("没有找到该支部")
    if not organization.path.startswith(campaign.root.path):
        raise ValidationError("该支部不在本次评议的范围内")
    if not Participant.objects.filter(campaign=campaign, branch=organization).exists():
        raise ValidationError("该支部没有参加本次评议的党员")
    return {"campaign": campaign.pk, "year": campaign.year}


def _campaign(report) -> Campaign:
    campaign = Campaign.objects.filter(pk=report.params.get("campaign")).first()
    if campaign is None:
        raise ValidationError("该评议已被删除，无法生成")
    return campaign


def _number(value):
    return float(value) if value is not None else None


def build_branch(report, progress: Progress) -> bytes:
    org, campaign = report.organization, _campaign(report)
    rows = selectors.branch_rows(campaign, org.pk)  # three queries whatever the size
    if not rows:
        raise ValidationError("该支部没有参加本次评议的党员")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("评议结果")
    ws.append([campaign.title, org.name])
    ws.append(HEADER)
    total = len(rows)
    for done, p in enumerate(rows, start=1):
        ws.append(
            [
                p.member.name,
                "是" if p.graded else "否（预备党员）",
                p.get_self_grade_display(),
                _number(p.peer_avg),
                _number(p.mass_avg),
                p.org_score,
                p.points_raw,
                p.attendance_raw,
                p.hours_raw,
                _number(p.composite),
                p.get_suggested_grade_display(),
                p.suggestion_note,
                p.get_final_grade_display(),
                p.final_note,
            ]
        )
        if done % PROGRESS_STEP == 0 or done == total:
            progress(done, total)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def filename(report) -> str:
    return f"{_campaign(report).title}_{report.organization.name}评议结果.xlsx"


def register_kinds() -> None:
    register(
        ReportKind(
            code=BRANCH_RESULTS,
            label="民主评议支部结果（Excel）",
            extension="xlsx",
            build=build_branch,
            filename=filename,
            authorize=authorize_branch,
            description="一个支部参加民主评议的党员的自评、互评、群众评议、组织评价、综合得分、建议等次和评定等次",
        )
    )
