"""Every write to the reading club: the yearly plan, the monthly activity plan and its review, the session's
meeting, its sections and the texts shared. Permissions are checked by the views (permissions.py); these
functions keep the record consistent."""

from __future__ import annotations

import datetime
import itertools

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from partyedu.meetings import services as meeting_services
from partyedu.meetings.models import Meeting, MeetingKind, MeetingStatus
from partyedu.members.models import Member
from partyedu.orgs.models import Organization, OrganizationKind

from .models import (
    MonthStatus,
    PlanStatus,
    ReadingClubMonth,
    ReadingClubPlan,
    ReadingClubSection,
    SectionKind,
    SharedText,
)

MONTHS = range(1, 13)
FIRST_YEAR = 2000


# --- co-hosts ------------------------------------------------------------------------------------------------
def cohost_candidates(organization: Organization) -> list[Organization]:
    """Who may co-host a month: the organisations of the subtree that are not dissolved, except 党小组 (too
    small to host), in reading order; the owner itself when it has nobody under it."""
    from partyedu.reports.selectors import tree_ordered

    orgs = [
        o
        for o in tree_ordered(organization)
        if o.pk != organization.pk and o.kind != OrganizationKind.GROUP and o.dissolved_on is None
    ]
    return orgs or [organization]


def rotation(organization: Organization, year: int) -> list[Organization]:
    """Twelve co-hosts in turn (按顺序轮流安排): the organisations directly under the owner, in their order —
    "各单位、科室每月轮流协办" — continuing after last year's December co-host, so nobody hosts twice running
    across the new year while another waits."""
    candidates = cohost_candidates(organization)
    turn = [o for o in candidates if o.parent_id == organization.pk] or candidates
    last = (
        ReadingClubMonth.objects.filter(plan__organization=organization, plan__year=year - 1, month=12)
        .values_list("cohost_id", flat=True)
        .first()
    )
    ids = [o.pk for o in turn]
    start = ids.index(last) + 1 if last in ids else 0
    ring = itertools.cycle(turn[start:] + turn[:start])
    return [next(ring) for _ in MONTHS]


# --- the plan ------------------------------------------------------------------------------------------------
def _clean_months(organization: Organization, months: list[dict]) -> list[dict]:
    """Months: twelve dicts {theme, cohost} in month order."""
    if len(months) != 12:
        raise ValidationError("年度计划须包含 12 个月")
    missing = [str(n) for n, m in enumerate(months, start=1) if not (m.get("theme") or "").strip()]
    if missing:
        raise ValidationError({"months": f"请填写第 {'、'.join(missing)} 月的主题"})
    allowed = {o.pk for o in cohost_candidates(organization)}
    wrong = [
        str(n) for n, m in enumerate(months, start=1) if m.get("cohost") and m["cohost"].pk not in allowed
    ]
    if wrong:
        raise ValidationError({"months": f"第 {'、'.join(wrong)} 月的协办单位不在本组织下属范围内"})
    return [{"theme": m["theme"].strip()[:200], "cohost": m.get("cohost")} for m in months]


@transaction.atomic
def create_plan(
    *, organization: Organization, year: int, title: str, months: list[dict], by=None
) -> ReadingClubPlan:
    """The year's plan with its twelve months, made at once (at year end, for the next year)."""
    if organization.kind == OrganizationKind.GROUP:
        raise ValidationError({"organization": "党小组不能主办读书会"})
    latest = timezone.localdate().year + 1
    if not FIRST_YEAR <= int(year) <= latest:
        raise ValidationError({"year": f"年度须在 {FIRST_YEAR} 年至 {latest} 年之间"})
    months = _clean_months(organization, months)
    if ReadingClubPlan.objects.filter(organization=organization, year=year).exists():
        raise ValidationError({"year": f"“{organization.name}”{year}年度的读书会计划已经存在"})
    try:
        with transaction.atomic():
            plan = ReadingClubPlan.objects.create(
                organization=organization,
                year=year,
                title=(title or "").strip()[:200] or f"{year}年度读书会计划",
                created_by=by,
            )
    except IntegrityError:
        raise ValidationError({"year": f"“{organization.name}”{year}年度的读书会计划已经存在"}) from None
    ReadingClubMonth.objects.bulk_create(
        ReadingClubMonth(plan=plan, month=n, theme=m["theme"], cohost=m["cohost"])
        for n, m in zip(MONTHS, months, strict=True)
    )
    return plan


@transaction.atomic
def update_plan(plan: ReadingClubPlan, *, title: str, months: list[dict], by=None) -> ReadingClubPlan:
    months = _clean_months(plan.organization, months)
    rows = {m.month: m for m in plan.months.select_for_update()}
    locked = [
        str(n)
        for n, m in zip(MONTHS, months, strict=True)
        if rows[n].status != MonthStatus.NOT_SUBMITTED
        and rows[n].cohost_id != getattr(m["cohost"], "pk", None)
    ]
    if locked:
        raise ValidationError(
            {"months": f"第 {'、'.join(locked)} 月的协办单位已提交活动方案，不能更换协办单位"}
        )
    changed = []
    for n, m in zip(MONTHS, months, strict=True):
        row = rows[n]
        if row.theme != m["theme"] or row.cohost_id != getattr(m["cohost"], "pk", None):
            row.theme, row.cohost = m["theme"], m["cohost"]
            changed.append(row)
    ReadingClubMonth.objects.bulk_update(changed, ["theme", "cohost"])
    plan.title = (title or "").strip()[:200] or plan.title
    plan.save(update_fields=["title", "updated_at"])
    return plan


@transaction.atomic
def publish_plan(plan: ReadingClubPlan, *, by=None) -> ReadingClubPlan:
    if plan.is_published:
        return plan
    no_host = list(plan.months.filter(cohost__isnull=True).values_list("month", flat=True))
    if no_host:
        raise ValidationError(f"第 {'、'.join(map(str, no_host))} 月尚未安排协办单位，请先安排再发布")
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_at", "updated_at"])
    return plan


# --- the monthly activity plan ------------------------------------------------------------------------------
def _lock(month: ReadingClubMonth) -> ReadingClubMonth:
    return ReadingClubMonth.objects.select_for_update().select_related("plan").get(pk=month.pk)


@transaction.atomic
def submit_activity_plan(month: ReadingClubMonth, text: str, *, by=None) -> ReadingClubMonth:
    """The co-host sends its activity plan for review; a returned plan is revised and sent again."""
    row = _lock(month)
    if not row.plan.is_published:
        raise ValidationError("年度计划尚未发布，暂不能提交活动方案")
    if row.status == MonthStatus.APPROVED:
        raise ValidationError("活动方案已审定，不能再修改")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"activity_plan": "请填写活动方案"})
    row.activity_plan = text
    row.status = MonthStatus.SUBMITTED
    row.submitted_by, row.submitted_at = by, timezone.now()
    row.save()
    return row


@transaction.atomic
def approve_activity_plan(month: ReadingClubMonth, *, by=None) -> ReadingClubMonth:
    row = _lock(month)
    if row.status != MonthStatus.SUBMITTED:
        raise ValidationError("只有待审核的活动方案可以审定")
    row.status = MonthStatus.APPROVED
    row.approved_by, row.approved_at = by, timezone.now()
    row.return_comment = ""
    row.save()
    return row


@transaction.atomic
def return_activity_plan(month: ReadingClubMonth, comment: str, *, by=None) -> ReadingClubMonth:
    row = _lock(month)
    if row.status != MonthStatus.SUBMITTED:
        raise ValidationError("只有待审核的活动方案可以退回")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "退回时请填写修改意见"})
    row.status = MonthStatus.RETURNED
    row.returned_by, row.returned_at = by, timezone.now()
    row.return_comment = comment
    row.save()
    return row


# --- the session --------------------------------------------------------------------------------------------
def linkable_meetings(month: ReadingClubMonth):
    """读书会 meetings of the plan's organisation in the plan's year that no other month holds."""
    plan = month.plan
    return (
        Meeting.objects.filter(
            organization=plan.organization,
            kind=MeetingKind.READING_CLUB,
            held_on__gte=datetime.date(plan.year, 1, 1),
            held_on__lt=datetime.date(plan.year + 1, 1, 1),
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(reading_club_months__isnull=False)
        .order_by("held_on", "pk")
    )


@transaction.atomic
def link_meeting(month: ReadingClubMonth, meeting: Meeting | None, *, by=None) -> ReadingClubMonth:
    row = _lock(month)
    if meeting is not None:
        if meeting.kind != MeetingKind.READING_CLUB or meeting.organization_id != row.plan.organization_id:
            raise ValidationError({"meeting": "只能关联本组织的读书会活动"})
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError({"meeting": "该活动已取消"})
        other = ReadingClubMonth.objects.filter(meeting=meeting).exclude(pk=row.pk).first()
        if other:
            raise ValidationError({"meeting": f"该活动已关联到第{other.month}期"})
    row.meeting = meeting
    row.save(update_fields=["meeting", "updated_at"])
    return row


@transaction.atomic
def create_session_meeting(
    month: ReadingClubMonth,
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    held: bool = False,
    by=None,
) -> Meeting:
    """Create the month's session as a 读书会 meeting of the plan's organisation (its attendance, sign-in and
    minutes are then kept there) and link it; the agenda follows the four sections."""
    row = _lock(month)
    if row.meeting_id:
        raise ValidationError("本期已关联活动记录")
    meeting = meeting_services.create_meeting(
        organization=row.plan.organization,
        kind=MeetingKind.READING_CLUB,
        theme=f"读书会第{row.month}期：{row.theme}"[:200],
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        held=held,
        notice=row.activity_plan if row.status == MonthStatus.APPROVED else "",
        agenda=[{"title": kind.label} for kind in SectionKind],
        by=by,
    )
    row.meeting = meeting
    row.save(update_fields=["meeting", "updated_at"])
    return meeting


@transaction.atomic
def add_section(
    month: ReadingClubMonth, *, kind: str, title: str, speaker_name: str = "", summary: str = "", by=None
) -> ReadingClubSection:
    if kind not in SectionKind.values:
        raise ValidationError({"kind": "请选择板块"})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "请填写题目"})
    return ReadingClubSection.objects.create(
        month=month,
        kind=kind,
        title=title[:200],
        speaker_name=(speaker_name or "").strip()[:100],
        summary=(summary or "").strip(),
        created_by=by,
    )


@transaction.atomic
def delete_section(section: ReadingClubSection, *, by=None) -> None:
    section.delete()


@transaction.atomic
def submit_text(
    month: ReadingClubMonth,
    *,
    title: str,
    body: str,
    member: Member | None = None,
    author_name: str = "",
    by=None,
) -> SharedText:
    """A shared text: a member's own, or entered by a worker for a member or a guest. A byline typed by a
    worker that names exactly one current member of the subtree is linked to him."""
    if not month.plan.is_published:
        raise ValidationError("年度计划尚未发布")
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = "请填写题目"
    if not body:
        errors["body"] = "请填写正文"
    author_name = (author_name or "").strip()[:100]
    if member is None:
        if not author_name:
            errors["author_name"] = "请填写作者"
        else:
            namesakes = list(
                Member.objects.current().in_subtree(month.plan.organization).filter(name=author_name)[:2]
            )
            member = namesakes[0] if len(namesakes) == 1 else None
    if errors:
        raise ValidationError(errors)
    return SharedText.objects.create(
        month=month,
        member=member,
        author_name=author_name or member.name,
        title=title[:200],
        body=body,
        submitted_by=by,
    )


@transaction.atomic
def delete_text(text: SharedText, *, by=None) -> None:
    text.delete()
