"""发展党员 pages: the pipeline board, a person's path with 'record the next step', the cultivation record (docx),
the calendar of due and overdue steps (list, month, and an xlsx that the reports app builds in the background),
the interval rules, and a member's own path."""

from __future__ import annotations

import calendar as cal
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.members.models import Member, MemberStatus
from partyedu.orgs.models import Organization, OrganizationKind
from partyedu.reports import services as report_services

from . import selectors, services
from .dates import add_months
from .exporting import CALENDAR_DAYS, DEVELOPMENT_CALENDAR, calendar_rows
from .forms import OpenPathForm, RuleForm, StepForm
from .models import IntervalRule, PathStatus, StepKind

PAGE_SIZE = 30


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            # errors on hidden fields (the step's kind) are shown above the form
            visible = name in form.fields and not form.fields[name].widget.is_hidden
            form.add_error(name if visible else None, errors)
    else:
        form.add_error(None, exc.messages)


def _scope(request, cap=C.VIEW_MEMBERS, data=None) -> Organization:
    """The organisation a board or calendar is about: ?org= (or the posted org) within the user's scope, else
    his outermost one."""
    access = Access.of(request.user)
    wanted = (request.GET if data is None else data).get("org", "")
    if wanted:
        org = Organization.objects.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        if org is None:
            raise Http404("没有找到该组织")
        return access.require_org(org, cap)
    roots = access.scope_roots(cap)
    if not roots:
        raise PermissionDenied("您没有权限查看发展党员工作")
    return roots[0]


def _org_choices(request):
    return (
        Access.of(request.user)
        .orgs(C.VIEW_MEMBERS)
        .exclude(kind=OrganizationKind.GROUP)
        .filter(dissolved_on__isnull=True)
        .order_by("path")
        .only("pk", "name", "path")[:500]
    )


def _member(request, pk: int, cap=C.VIEW_MEMBERS) -> Member:
    member = get_object_or_404(Member.objects.select_related("organization"), pk=pk)
    Access.of(request.user).require_member(member, cap)
    return member


# --- the board ------------------------------------------------------------------------------------------------
def board(request):
    org = _scope(request)
    stage = request.GET.get("stage", "")
    if stage not in {s.value for s in selectors.PIPELINE_STATUSES}:
        stage = ""
    today = timezone.localdate()
    page = Paginator(selectors.pipeline_people(org, stage or None), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "development/board.html",
        {
            "org": org,
            "orgs": _org_choices(request),
            "stages": selectors.stage_columns(org),
            "stage": stage,
            "page": page,
            "rows": selectors.annotate_rows(page.object_list, today),
            "query": query.urlencode(),
        },
    )


# --- one person -----------------------------------------------------------------------------------------------
def _person_context(request, member: Member, *, form=None, open_form=None) -> dict:
    access = Access.of(request.user)
    path = selectors.latest_path_of(member)
    context = {
        "member": member,
        "path": path,
        "can_change": access.can_member(C.CHANGE_MEMBERS, member) and member.pk != access.member_id,
        "open_form": open_form or OpenPathForm(initial={"applied_on": member.applied_on}),
        "today": timezone.localdate(),
    }
    if path is None:
        return context
    path.member = member
    record = selectors.cultivation_record(path)
    state = record["state"]
    allowed = state.allowed_kinds()
    kind = form.kind if form is not None else request.GET.get("kind", "")
    if kind not in allowed:
        kind = allowed[0] if allowed else ""
    if form is None and kind:
        form = StepForm(kind=kind, member=member, trainings=record["trainings"])
    context.update(
        record,
        allowed=[(k, StepKind(k).label) for k in allowed],
        kind=kind,
        form=form,
        due=selectors.due_items(state, context["today"], selectors.RuleBook(context["today"])),
    )
    return context


def person(request, pk: int):
    member = _member(request, pk)
    return render(request, "development/person.html", _person_context(request, member))


@require_POST
def open_path(request, pk: int):
    member = _member(request, pk, C.CHANGE_MEMBERS)
    form = OpenPathForm(request.POST)
    if form.is_valid():
        try:
            services.open_path(member, applied_on=form.cleaned_data["applied_on"], by=request.user)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"已为{member.name}建立发展党员档案")
            return redirect("development:person", member.pk)
    return render(request, "development/person.html", _person_context(request, member, open_form=form))


@require_POST
def record(request, pk: int):
    member = _member(request, pk, C.CHANGE_MEMBERS)
    if member.pk == Access.of(request.user).member_id:
        raise PermissionDenied("不能记录本人的发展环节")
    path = selectors.latest_path_of(member)
    if path is None or path.status != PathStatus.OPEN:
        raise Http404("没有进行中的发展党员档案")
    kind = request.POST.get("kind", "")
    if kind not in StepKind.values:
        messages.error(request, "请选择发展环节")
        return redirect("development:person", member.pk)
    form = StepForm(request.POST, kind=kind, member=member, trainings=selectors.completed_trainings(member))
    if form.is_valid():
        try:
            step = services.record_step(
                path, kind, form.cleaned_data["on"], by=request.user, **form.step_data()
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(
                request, f"已记录：{member.name}于{step.on:%Y年%-m月%-d日}{step.get_kind_display()}"
            )
            return redirect("development:person", member.pk)
    return render(request, "development/person.html", _person_context(request, member, form=form))


def record_docx(request, pk: int):
    """The printable 培养考察登记 for the person's file."""
    from partyedu.reports import docx_tools as dt

    member = _member(request, pk)
    path = selectors.latest_path_of(member)
    if path is None:
        raise Http404("没有发展党员档案")
    path.member = member
    rec = selectors.cultivation_record(path)
    document = dt.new_document(f"{member.name}培养考察登记")
    dt.cover_line(document, "入党积极分子、发展对象培养考察登记", dt.TITLE_FONT, dt.SIZE_2)
    dt.add_styled_paragraph(
        document,
        f"姓名：{member.name}　性别：{member.get_gender_display()}　出生日期：{member.birth_date:%Y-%m-%d}　"
        f"所在党组织：{member.organization.name}　现阶段：{member.get_status_display()}",
        dt.BODY,
    )
    dt.add_styled_paragraph(document, "一、发展程序", dt.PART_TITLE)
    dt.add_table(
        document,
        ["日期", "环节", "情况"],
        [[dt.cn_date(s.on), s.get_kind_display(), _step_detail(s)] for s in rec["milestones"]],
        [3.5, 5, 7.5],
    )
    dt.add_styled_paragraph(document, "二、培养联系人与入党介绍人", dt.PART_TITLE)
    dt.add_styled_paragraph(
        document,
        f"培养联系人：{'、'.join(p.name for p in rec['contacts']) or '尚未指定'}；"
        f"入党介绍人：{'、'.join(p.name for p in rec['introducers']) or '尚未确定'}",
        dt.BODY,
    )
    dt.add_styled_paragraph(document, "三、培养教育考察、思想汇报", dt.PART_TITLE)
    recurring = rec["reviews"] + rec["reports"] + rec["probation_reviews"]
    recurring.sort(key=lambda s: s.on)
    dt.add_table(
        document,
        ["日期", "事项", "情况"],
        [[dt.cn_date(s.on), s.get_kind_display(), s.note] for s in recurring] or [["—", "—", "尚无记录"]],
        [3.5, 5, 7.5],
    )
    dt.add_styled_paragraph(document, "四、教育培训", dt.PART_TITLE)
    dt.add_table(
        document,
        ["培训班", "主办", "结业日期"],
        [
            [
                e.training_class.title,
                e.training_class.organiser.name,
                f"{e.completed_on or e.training_class.ends_on:%Y-%m-%d}",
            ]
            for e in rec["trainings"]
        ]
        or [["—", "—", "尚无结业记录"]],
        [7, 5, 4],
    )
    dt.add_styled_paragraph(document, "五、志愿服务与社会实践", dt.PART_TITLE)
    rows = [
        [
            f"{r.get('date') or ''}",
            r.get("theme") or "志愿服务",
            r.get("title", ""),
            f"{r.get('hours', '')}小时",
        ]
        for r in rec["volunteering"]
    ] + [
        [
            f"{r.get('date') or ''}",
            r.get("kind_label", "社会实践"),
            r.get("title", ""),
            r.get("status_label", ""),
        ]
        for r in rec["practice"]
    ]
    dt.add_table(
        document,
        ["日期", "类别", "内容", "时长/状态"],
        rows or [["—", "—", "尚无记录", ""]],
        [3, 3.5, 6.5, 3],
    )
    dt.add_styled_paragraph(
        document,
        f"党支部（盖章）：　　　　　　　　　　　　登记日期：{dt.cn_date(timezone.localdate())}",
        dt.BODY,
    )
    response = HttpResponse(
        dt.to_bytes(document),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename=development-{member.pk}.docx"
    return response


def _step_detail(step) -> str:
    parts = []
    if step.first_person_id:
        parts.append(f"{step.first_person.name}、{step.second_person.name}")
    if step.voters_expected is not None:
        parts.append(f"应到{step.voters_expected}人，实到{step.voters_present}人，赞成{step.votes_for}人")
    if step.training_enrolment_id:
        parts.append(step.training_enrolment.training_class.title)
    elif step.training_days or step.training_hours:
        parts.append(f"{step.training_days or '—'}天，{step.training_hours or '—'}学时")
    if step.outcome:
        parts.append(
            step.get_outcome_display() + (f"{step.extension_months}个月" if step.extension_months else "")
        )
    if step.note:
        parts.append(step.note)
    if step.late_reason:
        parts.append(f"逾期说明：{step.late_reason}")
    return "；".join(parts)


# --- the calendar ---------------------------------------------------------------------------------------------
def calendar_list(request):
    org = _scope(request)
    today = timezone.localdate()
    items = calendar_rows(org, today)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "development/calendar.html",
        {
            "org": org,
            "orgs": _org_choices(request),
            "page": page,
            "overdue_count": sum(1 for i in items if i.overdue),
            "days": CALENDAR_DAYS,
            "query": query.urlencode(),
            "today": today,
        },
    )


def _month(request) -> datetime.date:
    raw = request.GET.get("month", "")
    try:
        year, month = (int(x) for x in raw.split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def calendar_month(request):
    org = _scope(request)
    today = timezone.localdate()
    first = _month(request)
    last = add_months(first, 1) - datetime.timedelta(days=1)
    items = selectors.calendar_items(selectors.path_org_q(org), today, start=first, end=last, overdue=False)
    by_day: dict[datetime.date, list] = {}
    for item in items:
        by_day.setdefault(item.due_on, []).append(item)
    weeks = [
        [{"day": d, "in_month": d.month == first.month, "items": by_day.get(d, [])} for d in week]
        for week in cal.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    return render(
        request,
        "development/calendar_month.html",
        {
            "org": org,
            "orgs": _org_choices(request),
            "first": first,
            "weeks": weeks,
            "previous": add_months(first, -1),
            "next": add_months(first, 1),
            "today": today,
            "count": len(items),
        },
    )


@require_POST
def calendar_xlsx(request):
    """The calendar as a spreadsheet, built in the background: the request is queued and the file is
    downloaded from the reports page."""
    org = _scope(request, data=request.POST)
    try:
        report_services.request_report(request.user, DEVELOPMENT_CALENDAR, org, {})
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(reverse("development:calendar") + f"?org={org.pk}")
    messages.success(request, f"已提交生成“{org.name}发展党员待办日历”，完成后可在下方下载。")
    return redirect("reports:list")


# --- rules ----------------------------------------------------------------------------------------------------
def rules(request):
    if not Access.of(request.user).is_worker:
        raise PermissionDenied("您没有权限查看发展党员规则")
    versions = selectors.rule_versions()
    rows = sorted(versions.values(), key=lambda vs: min(v.pk for v in vs))
    return render(
        request,
        "development/rules.html",
        {"series": rows, "can_edit": selectors.can_edit_rules(request.user), "today": timezone.localdate()},
    )


def rule_edit(request, pk: int):
    rule = get_object_or_404(IntervalRule, pk=pk)
    if not selectors.can_edit_rules(request.user):
        raise PermissionDenied("发展党员间隔规则由机关工委管理员调整")
    if rule.valid_to is not None:
        messages.error(request, "这是已停用的历史版本，请修改现行版本")
        return redirect("development:rules")
    form = RuleForm(
        request.POST or None,
        initial={
            "label": rule.label,
            "min_months": rule.min_months,
            "max_months": rule.max_months,
            "basis": rule.basis,
            "valid_from": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.revise_rule(
                rule,
                valid_from=data["valid_from"],
                min_months=data["min_months"],
                max_months=data["max_months"],
                label=data["label"],
                basis=data["basis"],
                by=request.user,
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"规则已修改：{new.label}，自{new.valid_from:%Y-%m-%d}起执行")
            return redirect("development:rules")
    return render(request, "development/rule_form.html", {"rule": rule, "form": form})


# --- the member's own path ------------------------------------------------------------------------------------
def mine(request):
    member = Member.objects.select_related("organization").filter(pk=request.user.member_id).first()
    context = {"member": member, "path": None}
    if member is not None:
        path = selectors.latest_path_of(member)
        if path is not None:
            path.member = member
            record = selectors.cultivation_record(path)
            today = timezone.localdate()
            context.update(
                record,
                path=path,
                due=selectors.due_items(record["state"], today, selectors.RuleBook(today)),
                stages=_stages(member),
            )
    return render(request, "development/mine.html", context)


def _stages(member: Member) -> list[dict]:
    order = [*selectors.PIPELINE_STATUSES, MemberStatus.FULL]
    reached = order.index(member.status) if member.status in order else -1
    return [{"label": s.label, "done": i < reached, "current": i == reached} for i, s in enumerate(order)]
