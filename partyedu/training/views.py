from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partyedu.accounts.access import Access
from partyedu.hours import selectors as hours_selectors
from partyedu.orgs.models import Organization

from . import certificates, selectors, services
from .forms import AddMemberForm, ClassForm, SessionForm, VerifyForm
from .models import (
    ClassSession,
    ClassStatus,
    Enrolment,
    EnrolmentStatus,
    SessionAttendance,
    SessionAttendanceStatus,
    TestResult,
    TrainingClass,
)

PAGE_SIZE = 30
ENROLMENT_PAGE_SIZE = 50
ATTENDANCE_MARK = {"present": "✓", "leave": "假", "absent": "✗"}


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _class(request, pk: int, *, manage: bool = False) -> TrainingClass:
    cls = get_object_or_404(TrainingClass.objects.select_related("organiser", "target_org"), pk=pk)
    if not selectors.can_view_class(request.user, cls):
        raise Http404("没有找到该培训班")
    if manage and not selectors.can_manage_class(request.user, cls):
        raise PermissionDenied("只有主办组织的党务工作者可以管理该培训班")
    return cls


def _orgs(user):
    return Access.of(user).orgs(selectors.MANAGE).order_by("path")


def _year(value, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2100 else default


# --- classes --------------------------------------------------------------------------------------------------
def class_list(request):
    access = Access.of(request.user)
    qs = selectors.class_list(request.user)
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(year=int(year))
    status = request.GET.get("status", "")
    if status in ClassStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "year": year,
            "status": status,
            "statuses": ClassStatus.choices,
            "can_create": access.has(selectors.MANAGE),
            "is_worker": access.is_worker,
        },
    )


def class_create(request):
    Access.of(request.user).require(selectors.MANAGE)
    today = timezone.localdate()
    form = ClassForm(
        request.POST or None,
        orgs=_orgs(request.user),
        initial={"starts_on": today, "ends_on": today, "completion_fraction": Decimal("0.80")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            cls = services.create_class(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"已创建培训班“{cls.title}”。")
            return redirect("training:detail", cls.pk)
    return render(request, "training/form.html", {"form": form, "cls": None})


def class_edit(request, pk: int):
    cls = _class(request, pk, manage=True)
    form = ClassForm(request.POST or None, instance=cls, orgs=_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_class(cls, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            cls.refresh_from_db()
            _errors_into(form, exc)
        else:
            messages.success(request, "培训班信息已保存。")
            return redirect("training:detail", cls.pk)
    return render(request, "training/form.html", {"form": form, "cls": cls})


@require_POST
def class_status(request, pk: int):
    cls = _class(request, pk, manage=True)
    try:
        services.set_status(cls, request.POST.get("status", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"培训班状态已改为“{cls.get_status_display()}”。")
    return redirect("training:detail", cls.pk)


def class_detail(request, pk: int):
    cls = _class(request, pk)
    enrolments = selectors.enrolments_of(cls)
    show = request.GET.get("show", "")
    if show in EnrolmentStatus.values:
        enrolments = enrolments.filter(status=show)
    page = Paginator(enrolments, ENROLMENT_PAGE_SIZE).get_page(request.GET.get("page"))
    sessions, grid = selectors.attendance_grid(cls, page.object_list)
    for e in page.object_list:
        e.marks = [ATTENDANCE_MARK.get(m, "") for m in grid.get(e.pk, [])]
    counts = cls.enrolments.aggregate(
        active=Count("pk", filter=~Q(status=EnrolmentStatus.WITHDRAWN)),
        completed=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
        not_completed=Count("pk", filter=Q(status=EnrolmentStatus.NOT_COMPLETED)),
        withdrawn=Count("pk", filter=Q(status=EnrolmentStatus.WITHDRAWN)),
    )
    query = request.GET.copy()
    query.pop("page", None)
    can_manage = selectors.can_manage_class(request.user, cls)
    return render(
        request,
        "training/detail.html",
        {
            "cls": cls,
            "page": page,
            "query": query.urlencode(),
            "show": show,
            "sessions": sessions,
            "counts": counts,
            "can_manage": can_manage,
            "session_form": SessionForm(initial={"hours": cls.session_hours}) if can_manage else None,
            "add_form": AddMemberForm() if can_manage else None,
            "today": timezone.localdate(),
            "enrolment_statuses": EnrolmentStatus.choices,
            "status_choices": [(s, label) for s, label in ClassStatus.choices if s != ClassStatus.COMPLETED],
        },
    )


# --- enrolment --------------------------------------------------------------------------------------------------
@require_POST
def enrol_criteria(request, pk: int):
    cls = _class(request, pk, manage=True)
    try:
        n = services.enrol_by_criteria(cls, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已按条件新增 {n} 名学员。" if n else "没有需要新增的学员。")
    return redirect("training:detail", cls.pk)


@require_POST
def enrol_add(request, pk: int):
    cls = _class(request, pk, manage=True)
    form = AddMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请输入党员姓名或身份证号。")
        return redirect("training:detail", cls.pk)
    who = form.cleaned_data["who"].strip()
    candidates = list(
        Access.of(request.user)
        .members(selectors.VIEW)
        .current()
        .in_subtree(cls.organiser)
        .filter(Q(name=who) | Q(citizen_id=who.upper()))
        .select_related("organization")[:3]
    )
    if not candidates:
        messages.error(request, "在主办组织范围内没有找到该党员。")
    elif len(candidates) > 1:
        messages.error(request, "有同名党员，请输入身份证号。")
    else:
        try:
            services.enrol_member(cls, candidates[0], by=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request, f"已添加学员 {candidates[0].name}（{candidates[0].organization.name}）。"
            )
    return redirect("training:detail", cls.pk)


@require_POST
def enrolment_withdraw(request, pk: int):
    enrolment = get_object_or_404(Enrolment.objects.select_related("member"), pk=pk)
    cls = _class(request, enrolment.training_class_id, manage=True)
    enrolment.training_class = cls
    services.withdraw_enrolment(enrolment, by=request.user)
    messages.success(request, f"{enrolment.member.name} 已退出本班。")
    return redirect("training:detail", cls.pk)


# --- sessions and attendance ---------------------------------------------------------------------------------------
@require_POST
def session_add(request, pk: int):
    cls = _class(request, pk, manage=True)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.add_session(cls, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "课次已添加。")
    else:
        messages.error(request, "请完整填写课次的日期、时间和专题。")
    return redirect("training:detail", cls.pk)


def _session(request, pk: int) -> ClassSession:
    session = get_object_or_404(ClassSession, pk=pk)
    session.training_class = _class(request, session.training_class_id, manage=True)
    return session


def session_attendance(request, pk: int):
    session = _session(request, pk)
    cls = session.training_class
    enrolments = list(selectors.enrolments_of(cls).exclude(status=EnrolmentStatus.WITHDRAWN))
    if request.method == "POST":
        marks = {}
        for e in enrolments:
            value = request.POST.get(f"a{e.pk}")
            if value in SessionAttendanceStatus.values:
                marks[e.pk] = value
        try:
            n = services.record_attendance(session, marks, by=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"考勤已保存，更新 {n} 人。")
            return redirect("training:session", session.pk)
    current = dict(SessionAttendance.objects.filter(session=session).values_list("enrolment_id", "status"))
    for e in enrolments:
        e.mark = current.get(e.pk, "")
    return render(
        request,
        "training/session.html",
        {
            "cls": cls,
            "session": session,
            "enrolments": enrolments,
            "choices": SessionAttendanceStatus.choices,
            "held": session.date <= timezone.localdate(),
        },
    )


@require_POST
def session_all_present(request, pk: int):
    session = _session(request, pk)
    try:
        n = services.mark_all_present(session, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已将全部学员登记为出席（更新 {n} 人），学时已计入。")
    return redirect("training:session", session.pk)


# --- results and completion ---------------------------------------------------------------------------------------
def results(request, pk: int):
    cls = _class(request, pk, manage=True)
    enrolments = list(selectors.enrolments_of(cls).exclude(status=EnrolmentStatus.WITHDRAWN))
    if request.method == "POST":
        data, bad = {}, []
        for e in enrolments:
            result = request.POST.get(f"r{e.pk}")
            if result not in TestResult.values:
                continue
            raw = (request.POST.get(f"s{e.pk}") or "").strip()
            try:
                score = Decimal(raw) if raw else None
            except InvalidOperation:
                bad.append(e.member.name)
                continue
            data[e.pk] = (result, score)
        try:
            if bad:
                raise ValidationError(f"成绩格式不正确：{'、'.join(bad)}")
            services.record_results(cls, data, by=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "考试结果已保存。")
            return redirect("training:detail", cls.pk)
    return render(
        request,
        "training/results.html",
        {"cls": cls, "enrolments": enrolments, "choices": TestResult.choices},
    )


@require_POST
def complete(request, pk: int):
    cls = _class(request, pk, manage=True)
    try:
        outcome = services.complete_class(cls, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request, f"已结业：{outcome['completed']} 人结业，{outcome['not_completed']} 人未达到结业条件。"
        )
    return redirect("training:detail", cls.pk)


# --- certificates -----------------------------------------------------------------------------------------------
def certificate(request, pk: int):
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("member", "training_class__organiser"), pk=pk
    )
    own = request.user.member_id is not None and enrolment.member_id == request.user.member_id
    if not own and not selectors.can_view_class(request.user, enrolment.training_class):
        raise Http404("没有找到该证书")
    if enrolment.status != EnrolmentStatus.COMPLETED or not enrolment.certificate_code:
        raise Http404("该学员尚未结业，没有结业证书")
    url = request.build_absolute_uri(reverse("training:verify", args=[enrolment.certificate_code]))
    body = certificates.certificate_docx(enrolment, url)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    filename = f"certificate-{enrolment.certificate_code}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


_NOT_CODE = re.compile(r"[^0-9A-Za-z]")


def verify_form(request):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        code = _NOT_CODE.sub("", form.cleaned_data["code"]).upper()
        if code:
            return redirect("training:verify", code)
    return render(request, "training/verify.html", {"form": form, "facts": None, "searched": False})


def verify(request, code: str):
    code = _NOT_CODE.sub("", code).upper()
    enrolment = (
        Enrolment.objects.select_related("member", "training_class__organiser")
        .filter(certificate_code=code)
        .first()
        if code
        else None
    )
    facts = certificates.certificate_facts(enrolment) if enrolment else None
    return render(
        request,
        "training/verify.html",
        {"form": VerifyForm(initial={"code": code}), "facts": facts, "searched": True, "code": code},
    )


# --- the member's own -----------------------------------------------------------------------------------------
def my_training(request):
    member = request.user.member
    today = timezone.localdate()
    enrolments = list(selectors.my_enrolments(member))
    class_ids = {e.training_class_id for e in enrolments}
    sessions = {}
    for s in ClassSession.objects.filter(training_class_id__in=class_ids).order_by("date", "starts_at"):
        sessions.setdefault(s.training_class_id, []).append(s)
    marks = dict(
        SessionAttendance.objects.filter(enrolment__in=[e.pk for e in enrolments]).values_list(
            "session_id", "status"
        )
    )
    labels = dict(SessionAttendanceStatus.choices)
    for e in enrolments:
        e.session_rows = [
            (s, labels.get(marks.get(s.pk), "—")) for s in sessions.get(e.training_class_id, [])
        ]
    year_row = None
    required = None
    if member is not None:
        year_row = hours_selectors.year_hours([member.pk], today.year).get(member.pk)
        required = hours_selectors.required_hours(member.pk, today.year)
    return render(
        request,
        "training/my.html",
        {
            "member": member,
            "enrolments": enrolments,
            "year": today.year,
            "year_row": year_row,
            "required": required,
        },
    )


# --- rotation coverage ------------------------------------------------------------------------------------------
def coverage(request):
    access = Access.of(request.user)
    access.require(selectors.VIEW)
    today = timezone.localdate()
    year = _year(request.GET.get("year"), today.year)
    roots = access.scope_roots(selectors.VIEW)
    org = None
    if org_id := request.GET.get("org"):
        org = get_object_or_404(Organization, pk=org_id) if str(org_id).isdigit() else None
        if org is None:
            raise Http404("没有找到该组织")
        access.require_org(org, selectors.VIEW)
    elif roots:
        org = roots[0]
    if org is None:
        raise Http404("没有找到该组织")
    rows = selectors.rotation_coverage(org, year)
    return render(
        request,
        "training/coverage.html",
        {
            "org": org,
            "year": year,
            "years": list(range(today.year + 1, today.year - 4, -1)),
            "rows": rows,
            "total": selectors.coverage_total(rows),
            "ancestors": [a for a in org.ancestors() if access.can_org(selectors.VIEW, a)],
            "roots": roots,
        },
    )
