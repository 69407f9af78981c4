"""读书会年度文集: at the start of the next year, everything of the year's sessions in one Word document —
"次年年初将所有文稿整理成册存档" (seed 004). Built from the records (approved activity plans, sections, the linked
meetings' minutes, the shared texts) through the reports app, as a background task."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from partyedu.reports import docx_tools as dx
from partyedu.reports.ledger import head_counts, meeting_time
from partyedu.reports.registry import Progress, ReportKind, register

from .models import SECTION_ORDER, MonthStatus, ReadingClubPlan, SharedText
from .permissions import require_plan

ARCHIVE = "reading_club_archive"


def authorize_archive(user, organization, params: dict) -> dict:
    """Compiling the archive is the plan's owner's work: a worker role on the plan's organisation."""
    try:
        plan_id = int(params.get("plan"))
    except (TypeError, ValueError):
        raise Http404("没有找到该读书会计划") from None
    plan = (
        ReadingClubPlan.objects.select_related("organization")
        .filter(pk=plan_id, organization=organization)
        .first()
    )
    if plan is None:
        raise Http404("没有找到该读书会计划")
    require_plan(user, plan, edit=True)
    return {"plan": plan.pk, "year": plan.year}


def _months(plan: ReadingClubPlan):
    return (
        plan.months.select_related("cohost", "meeting", "meeting__host", "meeting__recorder")
        .prefetch_related(
            "sections",
            Prefetch(
                "shared_texts",
                queryset=SharedText.objects.select_related("member__organization").order_by(
                    "submitted_at", "pk"
                ),
            ),
        )
        .order_by("month")
    )


def _byline(text: SharedText) -> str:
    if text.member_id and text.member.organization:
        return f"{text.member.organization.name}　{text.author_name}"
    return text.author_name


def _write_month(document, month) -> None:
    heading = document.add_heading(month.issue_title, level=1)
    heading.paragraph_format.page_break_before = True
    facts = f"{month.plan.year}年{month.month}月"
    if month.cohost:
        facts += f"　协办单位：{month.cohost.name}"
    line = document.add_paragraph(facts, style=dx.BYLINE)
    line.paragraph_format.space_after = Pt(12)

    document.add_paragraph("一、活动方案", style=dx.PART_TITLE)
    if month.status == MonthStatus.APPROVED:
        dx.add_plain_text(document, month.activity_plan, empty="（无）")
    else:
        document.add_paragraph("（活动方案未审定）", style=dx.BODY)

    document.add_paragraph("二、活动内容", style=dx.PART_TITLE)
    sections = sorted(month.sections.all(), key=lambda s: (SECTION_ORDER.get(s.kind, 99), s.created_at, s.pk))
    if not sections:
        document.add_paragraph("（未记录活动板块）", style=dx.BODY)
    for section in sections:
        paragraph = document.add_paragraph(style=dx.BODY)
        paragraph.add_run(f"【{section.get_kind_display()}】").bold = True
        paragraph.add_run(section.title)
        if section.speaker_name:
            paragraph.add_run(f"（{section.speaker_name}）")
        dx.add_plain_text(document, section.summary)

    document.add_paragraph("三、活动记录", style=dx.PART_TITLE)
    meeting = month.meeting
    if meeting is None:
        document.add_paragraph("（本期未关联活动记录）", style=dx.BODY)
    else:
        dx.key_value_table(
            document,
            [
                ("时间*", meeting_time(meeting)),
                ("地点*", meeting.place or "—"),
                ("主持人", meeting.host.name if meeting.host else "—"),
                ("记录人", meeting.recorder.name if meeting.recorder else "—"),
                ("人数*", head_counts(meeting)),
            ],
            widths_cm=[2.4, 5.4, 2.4, 5.4],
        )
        if not dx.write_html(document, meeting.minutes):
            document.add_paragraph("（未录入会议记录）", style=dx.BODY)

    document.add_paragraph("四、交流文稿", style=dx.PART_TITLE)
    texts = list(month.shared_texts.all())
    if not texts:
        document.add_paragraph("（无）", style=dx.BODY)
    for text in texts:
        document.add_heading(text.title, level=2).alignment = WD_ALIGN_PARAGRAPH.CENTER
        document.add_paragraph(_byline(text), style=dx.BYLINE)
        dx.add_plain_text(document, text.body)


def build_archive(report, progress: Progress) -> bytes:
    plan = ReadingClubPlan.objects.select_related("organization").filter(pk=report.params.get("plan")).first()
    if plan is None:
        raise ValidationError("该读书会计划已不存在")
    months = list(_months(plan))
    if not months:
        raise ValidationError("该读书会计划没有任何月份")

    document = dx.new_document(title=f"{plan.title}·读书会年度文集")
    dx.cover_page(
        document,
        organization=plan.organization.name,
        title="读书会年度文集",
        subtitle=f"（{plan.year}年）",
        note=plan.title,
    )
    document.add_paragraph("目　录", style="TOC Heading")
    dx.add_toc(document, "1-2")
    # Readable before Word updates the field (and in viewers that never do): the issues, one a line.
    document.add_paragraph("各期目录", style=dx.PART_TITLE)
    for month in months:
        document.add_paragraph(month.issue_title, style="Normal")
    for n, month in enumerate(months, start=1):
        _write_month(document, month)
        progress(n, len(months))
    return dx.to_bytes(document)


def archive_filename(report) -> str:
    return f"{report.organization.name}_{report.params.get('year')}年读书会年度文集.docx"


def register_kinds() -> None:
    register(
        ReportKind(
            code=ARCHIVE,
            label="读书会年度文集（Word）",
            extension="docx",
            build=build_archive,
            filename=archive_filename,
            authorize=authorize_archive,
            description="各期活动方案、活动板块、会议记录与交流文稿，带目录",
        )
    )
