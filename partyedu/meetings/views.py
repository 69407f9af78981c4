"""The worker's meeting pages: plan, record and edit a meeting, its attendance and attachments, and the committee
rosters that decide who is expected at 支委会 and 中心组学习. Members have their own pages under /signin/my/."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partyedu.accounts.access import Access, Capability
from partyedu.orgs.models import Organization, subtree_q

from . import committee_services, selectors, services
from .forms import (
    AGENDA_MAX_ROWS,
    CancelForm,
    EndSeatForm,
    MeetingFilterForm,
    MeetingForm,
    ObserverForm,
    SeatForm,
    agenda_from_post,
    agenda_rows,
)
from .models import Attachment, Attendance, AttendanceStatus, CommitteeMember, Meeting, MeetingStatus

PAGE_SIZE = 30
COMMITTEE_PAGE_SIZE = 50
MAX_FILES_PER_UPLOAD = 20


def _messages_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for ms in exc.message_dict.values() for m in ms]
    return exc.messages


def _meeting(request, pk: int, *, record: bool = False) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("organization", "host", "recorder"), pk=pk)
    if not selectors.can_view(request.user, meeting):
        raise Http404("没有找到该会议")
    if record and not selectors.can_record(request.user, meeting):
        raise PermissionDenied("您没有权限进行此操作")
    return meeting


def _recordable_orgs(access: Access):
    return access.orgs(Capability.CHANGE_MEMBERS).filter(dissolved_on__isnull=True).order_by("path")


def _detail_url(meeting: Meeting, anchor: str = "") -> str:
    return reverse("meetings:detail", args=[meeting.pk]) + (f"#{anchor}" if anchor else "")


# --- list ---------------------------------------------------------------------------------------------------
def meeting_list(request):
    access = Access.of(request.user)
    # Plain members hold VIEW_MEMBERS only on themselves; they have their own pages under /signin/my/.
    access.require(Capability.VIEW_MEMBERS)
    orgs = access.orgs(Capability.VIEW_MEMBERS).filter(dissolved_on__isnull=True).order_by("path")
    form = MeetingFilterForm(request.GET or None, orgs=orgs)
    qs = selectors.visible_meetings(request.user).select_related("organization")
    if form.is_bound:
        form.is_valid()  # invalid filters are shown with their error and ignored; the valid ones still apply
        d = form.cleaned_data
        if d.get("org"):
            qs = qs.filter(subtree_q(d["org"].path, "organization__path"))
        if d.get("kind"):
            qs = qs.filter(kind=d["kind"])
        if d.get("status"):
            qs = qs.filter(status=d["status"])
        if d.get("month"):
            qs = qs.filter(held_on__year=d["month"].year, held_on__month=d["month"].month)
        if d.get("date_from"):
            qs = qs.filter(held_on__gte=d["date_from"])
        if d.get("date_to"):
            qs = qs.filter(held_on__lte=d["date_to"])
        if d.get("q"):
            qs = qs.filter(theme__icontains=d["q"].strip())
    page = Paginator(qs.order_by("-starts_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_record": access.has(Capability.CHANGE_MEMBERS),
    }
    template = (
        "meetings/list.html#results"
        if request.htmx and request.htmx.target == "results"
        else "meetings/list.html"
    )
    return render(request, template, context)


# --- create and edit ------------------------------------------------------------------------------------------
def _form_page(request, form, *, mode, agenda, agenda_errors, meeting=None):
    if meeting is not None:
        title = f"编辑会议：{meeting.theme}"
    else:
        title = "补录会议" if mode == "record" else "计划会议"
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "mode": mode,
            "meeting": meeting,
            "title": title,
            "rows": agenda_rows(agenda),
            "agenda_errors": agenda_errors,
        },
    )


def create(request):
    access = Access.of(request.user)
    access.require(Capability.CHANGE_MEMBERS)
    orgs = _recordable_orgs(access)
    params = request.POST if request.method == "POST" else request.GET
    mode = "record" if params.get("mode") == "record" else "plan"
    initial = {"start_date": timezone.localdate(), "start_time": "15:00", "end_time": "17:00"}
    if org_id := request.GET.get("org"):
        initial["organization"] = orgs.filter(pk=org_id).first() if org_id.isdigit() else None
    elif len(roots := access.scope_roots(Capability.CHANGE_MEMBERS)) == 1 and not roots[0].is_dissolved:
        # a branch secretary records for his branch (its groups stay one click away)
        initial["organization"] = roots[0]
    form = MeetingForm(request.POST or None, orgs=orgs, initial=initial)
    # A plan carries the notice; a meeting recorded afterwards carries what was said and decided.
    for name in ("minutes", "decisions") if mode == "plan" else ("notice",):
        del form.fields[name]
    agenda = agenda_from_post(request.POST) if request.method == "POST" else []
    agenda_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(
                organization=form.cleaned_data["organization"],
                held=mode == "record",
                agenda=agenda,
                by=request.user,
                **form.service_fields(),
            )
        except ValidationError as exc:
            agenda_errors = form.add_service_errors(exc)
        else:
            done = "已补录" if mode == "record" else "已计划"
            messages.success(request, f"{done}会议“{meeting.theme}”，应到 {meeting.expected_count} 人")
            return redirect("meetings:detail", meeting.pk)
    return _form_page(request, form, mode=mode, agenda=agenda, agenda_errors=agenda_errors)


def edit(request, pk: int):
    meeting = _meeting(request, pk, record=True)
    form = MeetingForm(request.POST or None, meeting=meeting, initial=MeetingForm.initial_from(meeting))
    if request.method == "POST":
        agenda = agenda_from_post(request.POST)
    else:
        agenda = list(meeting.agenda.values("title", "is_first_agenda", "speaker"))
    agenda_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            # One change: an agenda refused by its rule must not leave the new date saved without it.
            with transaction.atomic():
                services.update_meeting(meeting, by=request.user, **form.service_fields())
                services.set_agenda(meeting, agenda)
        except ValidationError as exc:
            agenda_errors = form.add_service_errors(exc)
            meeting.refresh_from_db()
        else:
            messages.success(request, "已保存")
            return redirect("meetings:detail", meeting.pk)
    mode = "record" if meeting.status == MeetingStatus.HELD else "plan"
    return _form_page(request, form, mode=mode, agenda=agenda, agenda_errors=agenda_errors, meeting=meeting)


def org_fields(request):
    """The fields that depend on the organisation (kinds it holds, its members as host and recorder), reloaded
    by htmx when the organisation changes."""
    access = Access.of(request.user)
    access.require(Capability.CHANGE_MEMBERS)
    g = request.GET
    initial = {name: g.get(name) for name in ("organization", "kind", "host", "recorder")}
    form = MeetingForm(orgs=_recordable_orgs(access), initial=initial)
    return render(request, "meetings/form.html#org_fields", {"form": form})


def agenda_row(request):
    Access.of(request.user).require(Capability.CHANGE_MEMBERS)
    n = request.GET.get("agenda_next", "")
    if not n.isdigit() or int(n) >= AGENDA_MAX_ROWS:
        return HttpResponse(status=204)
    n = int(n)
    row = {"n": n, "title": "", "is_first_agenda": False, "speaker": ""}
    return render(request, "meetings/form.html#agenda_added", {"row": row, "next": n + 1})


# --- one meeting ----------------------------------------------------------------------------------------------
def detail(request, pk: int):
    meeting = _meeting(request, pk)
    can_record = selectors.can_record(request.user, meeting)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "can_record": can_record,
            "can_edit_attendance": can_record and meeting.status != MeetingStatus.CANCELLED,
            "can_mark_held": can_record
            and meeting.status == MeetingStatus.PLANNED
            and meeting.starts_at <= timezone.now(),
            "agenda": meeting.agenda.all(),
            "attachments": meeting.attachments.all(),
            "attendances": meeting.attendances.select_related("member"),
            "cancel_form": CancelForm(),
            "observer_form": ObserverForm(),
        },
    )


@require_POST
def mark_held(request, pk: int):
    meeting = _meeting(request, pk, record=True)
    if meeting.starts_at > timezone.now():
        messages.error(request, "会议尚未开始，不能标记为已召开")
        return redirect(_detail_url(meeting))
    try:
        services.mark_held(meeting, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(_messages_of(exc)))
    else:
        messages.success(request, "已标记为已召开，请补充会议记录和出席情况")
    return redirect(_detail_url(meeting))


@require_POST
def cancel(request, pk: int):
    meeting = _meeting(request, pk, record=True)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "取消原因不超过 200 字")
        return redirect(_detail_url(meeting))
    try:
        services.cancel_meeting(meeting, reason=form.cleaned_data["reason"].strip(), by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(_messages_of(exc)))
    else:
        messages.success(request, "会议已取消")
    return redirect(_detail_url(meeting))


@require_POST
def upload(request, pk: int):
    meeting = _meeting(request, pk, record=True)
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, "请选择要上传的文件")
    elif len(files) > MAX_FILES_PER_UPLOAD:
        messages.error(request, f"一次最多上传 {MAX_FILES_PER_UPLOAD} 个文件")
        files = []
    saved = 0
    for upload in files:
        # Each file on its own: a wrong one is refused with its reason and the others are kept.
        try:
            services.attach_file(meeting, upload, by=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(_messages_of(exc)))
        else:
            saved += 1
    if saved:
        messages.success(request, f"已上传 {saved} 个附件")
    return redirect(_detail_url(meeting, "attachments"))


def attachment(request, pk: int, attachment_pk: int):
    """Attachments are served only through here, after the access check: MEDIA is not public."""
    meeting = _meeting(request, pk)
    item = get_object_or_404(Attachment, pk=attachment_pk, meeting=meeting)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("附件文件不存在") from exc
    response = FileResponse(
        handle, as_attachment=not item.is_image, filename=item.original_name, content_type=item.content_type
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _attendance_response(request, meeting, row, error=""):
    context = {
        "meeting": meeting,
        "a": row,
        "error": error,
        "can_edit_attendance": meeting.status != MeetingStatus.CANCELLED,
        "oob": True,
    }
    html = render_to_string("meetings/detail.html#attendance_row", context, request)
    html += render_to_string("meetings/detail.html#attendance_counts", context, request)
    return HttpResponse(html)


@require_POST
def attendance(request, pk: int, member_pk: int):
    """出席 (补签, recorded as manual) / 请假 (with its reason) / 缺席 for one row; answers the updated row."""
    meeting = _meeting(request, pk, record=True)
    row = get_object_or_404(Attendance.objects.select_related("member"), meeting=meeting, member_id=member_pk)
    status = request.POST.get("status", "")
    error = ""
    if status not in AttendanceStatus.values:
        error = "请选择出席、请假或缺席"
    else:
        try:
            row = services.mark_attendance(
                meeting, row.member, status, reason=request.POST.get("reason", "")[:200], by=request.user
            )
        except ValidationError as exc:
            error = "；".join(_messages_of(exc))
    if not request.htmx:
        if error:
            messages.error(request, f"{row.member.name}：{error}")
        return redirect(_detail_url(meeting, "attendance"))
    return _attendance_response(request, meeting, row, error)


@require_POST
def add_observer(request, pk: int):
    meeting = _meeting(request, pk, record=True)
    form = ObserverForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["who"][0])
        return redirect(_detail_url(meeting, "attendance"))
    found = selectors.find_member_by_id_or_mobile(form.cleaned_data["who"])
    if not found:
        messages.error(request, "没有找到该身份证号或手机号对应的在册人员")
    elif len(found) > 1:
        messages.error(request, "该手机号对应多名人员，请改用身份证号")
    else:
        # Only the name is shown back: the observer may be outside the recorder's scope.
        try:
            services.add_observer(meeting, found[0], by=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(_messages_of(exc)))
        else:
            messages.success(request, f"已添加列席人员：{found[0].name}")
    return redirect(_detail_url(meeting, "attendance"))


# --- committee rosters ----------------------------------------------------------------------------------------
def committee_index(request):
    access = Access.of(request.user)
    access.require(Capability.VIEW_MEMBERS)
    orgs = (
        access.orgs(Capability.VIEW_MEMBERS)
        .filter(kind__in=list(committee_services.BODY_FOR_ORG), dissolved_on__isnull=True)
        .order_by("path")
    )
    q = request.GET.get("q", "").strip()
    if q:
        orgs = orgs.filter(name__contains=q)
    page = Paginator(orgs, COMMITTEE_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.open_seat_counts(list(page.object_list))
    rows = [
        (
            org,
            committee_services.BODY_MEMBERS_LABEL[committee_services.body_for(org)],
            counts.get(org.pk, 0),
        )
        for org in page.object_list
    ]
    return render(request, "meetings/committee_index.html", {"page": page, "rows": rows, "q": q})


def committee(request, org_pk: int):
    access = Access.of(request.user)
    org = access.require_org(get_object_or_404(Organization, pk=org_pk), Capability.VIEW_MEMBERS)
    body = committee_services.body_for(org)
    if body is None:
        raise Http404("该组织没有支委会或中心组名单")
    can_change = access.can_org(Capability.CHANGE_MEMBERS, org) and not org.is_dissolved
    form = SeatForm(request.POST or None, organization=org, initial={"started_on": timezone.localdate()})
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("您没有权限进行此操作")
        if form.is_valid():
            d = form.cleaned_data
            try:
                seat = committee_services.add_committee_member(
                    organization=org,
                    member=d["member"],
                    position=d["position"],
                    started_on=d["started_on"],
                    by=request.user,
                )
            except ValidationError as exc:
                for field, errs in exc.message_dict.items() if hasattr(exc, "error_dict") else []:
                    form.add_error(field if field in form.fields else None, errs)
                if not hasattr(exc, "error_dict"):
                    form.add_error(None, exc.messages)
            else:
                messages.success(request, f"已添加{seat.member.name}（{seat.position or '成员'}）")
                return redirect("meetings:committee", org.pk)
    seats = list(
        CommitteeMember.objects.filter(organization=org, body=body)
        .select_related("member", "member__organization")
        .order_by(F("ended_on").desc(nulls_first=True), "started_on", "pk")
    )
    return render(
        request,
        "meetings/committee.html",
        {
            "org": org,
            "label": committee_services.BODY_MEMBERS_LABEL[body],
            "is_center_group": body == "center_group",
            "current": [s for s in seats if s.ended_on is None],
            "former": [s for s in seats if s.ended_on is not None],
            "form": form,
            "end_form": EndSeatForm(initial={"ended_on": timezone.localdate()}),
            "can_change": can_change,
        },
    )


@require_POST
def committee_end(request, pk: int):
    seat = get_object_or_404(CommitteeMember.objects.select_related("organization", "member"), pk=pk)
    Access.of(request.user).require_org(seat.organization, Capability.CHANGE_MEMBERS)
    form = EndSeatForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["ended_on"][0])
    else:
        try:
            committee_services.end_committee_member(
                seat, ended_on=form.cleaned_data["ended_on"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, "；".join(_messages_of(exc)))
        else:
            messages.success(request, f"{seat.member.name}已卸任")
    return redirect("meetings:committee", seat.organization_id)
