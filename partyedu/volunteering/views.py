"""志愿服务 and 双报到 pages. Members sign up and see their hours on phones; organisers confirm; workers see
statistics and who has not registered with a community."""

from __future__ import annotations

import datetime
import mimetypes
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.members.models import Member
from partyedu.orgs.models import Organization, OrganizationKind, subtree_q
from partyedu.reports import services as report_services

from . import selectors, services
from .exporting import COMMUNITY_CHECKINS, VOLUNTEER_STATS
from .forms import ActivityForm, CheckInForm, CommunityForm, ReportForm
from .models import CheckInKind, Community, CommunityCheckIn, RecordStatus, VolunteerActivity, VolunteerRecord

PAGE_SIZE = 20


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _me(request) -> Member | None:
    if not request.user.member_id:
        return None
    return Member.objects.select_related("organization").filter(pk=request.user.member_id).first()


def _page(request, qs, size=PAGE_SIZE):
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _year(request) -> int:
    this = timezone.localdate().year
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return this
    return min(max(year, this - 10), this + 1)


def _scope_org(request, cap=C.VIEW_MEMBERS) -> Organization:
    """The organisation a statistics page is about: ?org= within the user's scope, else his first root."""
    access = Access.of(request.user)
    wanted = request.GET.get("org", "")
    if wanted.isdigit():
        org = Organization.objects.filter(pk=int(wanted)).first()
        if org is None or not access.can_org(C.VIEW_ORG, org):
            raise Http404("没有找到该组织")
        access.require_org(org, cap)
        return org
    roots = access.scope_roots(cap)
    if not roots:
        raise PermissionDenied("仅党务工作者可以查看")
    return roots[0]


def _breadcrumb(org: Organization, access) -> list[Organization]:
    paths = [org.path[:i] for i in range(8, len(org.path), 8)]
    return [
        o
        for o in Organization.objects.filter(path__in=paths).order_by("path")
        if access.can_org(C.VIEW_MEMBERS, o)
    ]


# --- activities -------------------------------------------------------------------------------------------------
def activities(request):
    access = Access.of(request.user)
    now = timezone.now()
    when = request.GET.get("when", "upcoming")
    qs = selectors.activities_for(request.user)
    month = None
    if when == "month":
        try:
            month = datetime.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
        except ValueError:
            month = timezone.localdate().replace(day=1)
        nxt = (month + datetime.timedelta(days=32)).replace(day=1)
        qs = qs.filter(starts_at__date__gte=month, starts_at__date__lt=nxt).order_by("starts_at", "pk")
    elif when == "past":
        qs = qs.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
    else:
        when = "upcoming"
        qs = qs.filter(ends_at__gte=now).order_by("starts_at", "pk")
    page = _page(request, qs)
    counts = selectors.signup_counts([a.pk for a in page])
    me = _me(request)
    mine = set()
    if me is not None:
        mine = set(
            VolunteerRecord.objects.filter(member=me, activity_id__in=[a.pk for a in page]).values_list(
                "activity_id", flat=True
            )
        )
    items = [(a, counts.get(a.pk, {}), a.pk in mine) for a in page]
    days = [
        (day, list(group)) for day, group in groupby(items, key=lambda t: timezone.localdate(t[0].starts_at))
    ]
    query = f"when={when}" + (f"&month={month:%Y-%m}" if month else "")
    prev_month = next_month = None
    if month:
        prev_month = (month - datetime.timedelta(days=1)).replace(day=1)
        next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "volunteering/activities.html",
        {
            "page": page,
            "days": days,
            "when": when,
            "month": month,
            "prev_month": prev_month,
            "next_month": next_month,
            "this_month": timezone.localdate().replace(day=1),
            "query": query,
            "can_create": access.has(C.CHANGE_MEMBERS),
        },
    )


def _organiser_orgs(request):
    access = Access.of(request.user)
    return (
        access.orgs(C.CHANGE_MEMBERS)
        .exclude(kind=OrganizationKind.GROUP)
        .filter(dissolved_on__isnull=True)
        .order_by("path")
    )


def activity_create(request):
    access = Access.of(request.user)
    access.require(C.CHANGE_MEMBERS)
    orgs = _organiser_orgs(request)
    form = ActivityForm(request.POST or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        access.require_org(data["organizer"], C.CHANGE_MEMBERS)
        access.require_org(data["open_to"], C.CHANGE_MEMBERS)
        try:
            activity = services.create_activity(by=request.user, **data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"已发布志愿服务活动“{activity.title}”。")
            return redirect("volunteering:activity", activity.pk)
    return render(request, "volunteering/activity_form.html", {"form": form})


def activity_edit(request, pk: int):
    """The organiser corrects an activity (time, place...); pending sign-ups follow, confirmed hours stay."""
    activity = _activity(request, pk)
    access = Access.of(request.user)
    access.require_org(activity.organizer, C.CHANGE_MEMBERS)
    fields = [
        "title",
        "theme",
        "organizer",
        "open_to",
        "place",
        "community",
        "starts_at",
        "ends_at",
        "capacity",
        "description",
    ]
    initial = {f: getattr(activity, f) for f in fields}
    initial["starts_at"] = timezone.localtime(activity.starts_at)
    initial["ends_at"] = timezone.localtime(activity.ends_at)
    form = ActivityForm(request.POST or None, orgs=_organiser_orgs(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        access.require_org(data["organizer"], C.CHANGE_MEMBERS)
        access.require_org(data["open_to"], C.CHANGE_MEMBERS)
        try:
            services.update_activity(activity, **data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, "已保存活动信息。")
            return redirect("volunteering:activity", activity.pk)
    return render(request, "volunteering/activity_form.html", {"form": form, "activity": activity})


def _activity(request, pk: int) -> VolunteerActivity:
    activity = selectors.activities_for(request.user).filter(pk=pk).first()
    if activity is None:
        raise Http404("没有找到该活动")
    return activity


def activity_detail(request, pk: int):
    activity = _activity(request, pk)
    access = Access.of(request.user)
    me = _me(request)
    my_record = VolunteerRecord.objects.filter(activity=activity, member=me).first() if me else None
    can_manage = access.can_org(C.CHANGE_MEMBERS, activity.organizer)
    records = []
    if can_manage or access.can_org(C.VIEW_MEMBERS, activity.organizer):
        records = list(
            activity.records.select_related("member", "organization", "reviewed_by").order_by(
                "status", "member__sort_key", "pk"
            )
        )
    counts = selectors.signup_counts([activity.pk]).get(activity.pk, {})
    return render(
        request,
        "volunteering/activity.html",
        {
            "activity": activity,
            "my_record": my_record,
            "can_join": me is not None and services.may_join(activity, me) and not activity.has_started(),
            "full": activity.capacity is not None and counts.get("n", 0) >= activity.capacity,
            "counts": counts,
            "records": records,
            "can_manage": can_manage,
            "started": activity.has_started(),
        },
    )


@require_POST
def signup(request, pk: int):
    activity = _activity(request, pk)
    me = _me(request)
    if me is None:
        raise PermissionDenied("您的账号尚未关联党员档案")
    try:
        services.sign_up(activity, me)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "报名成功！活动结束后由组织单位确认服务时长。")
    return redirect("volunteering:activity", activity.pk)


@require_POST
def withdraw(request, pk: int):
    activity = _activity(request, pk)
    me = _me(request)
    if me is None:
        raise PermissionDenied("您的账号尚未关联党员档案")
    try:
        services.withdraw(activity, me)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已取消报名。")
    return redirect("volunteering:activity", activity.pk)


@require_POST
def confirm_sheet(request, pk: int):
    """The organiser's sheet: for each sign-up, came (with hours) or not (with a reason)."""
    activity = _activity(request, pk)
    Access.of(request.user).require_org(activity.organizer, C.CHANGE_MEMBERS)
    problems, done = [], 0
    for record in activity.records.select_related("member").order_by("pk"):
        decision = request.POST.get(f"d{record.pk}", "")
        try:
            if decision == "confirm":
                services.confirm(record, by=request.user, hours=request.POST.get(f"h{record.pk}") or None)
                done += 1
            elif decision == "reject":
                services.reject(
                    record, reason=request.POST.get(f"r{record.pk}") or "未参加活动", by=request.user
                )
                done += 1
        except ValidationError as exc:
            problems.append(f"{record.member.name}：{'；'.join(exc.messages)}")
    if problems:
        messages.error(request, "以下记录未保存：" + "；".join(problems))
    if done:
        messages.success(request, f"已保存{done}条确认结果。")
    return redirect("volunteering:activity", activity.pk)


@require_POST
def confirm_all(request, pk: int):
    activity = _activity(request, pk)
    Access.of(request.user).require_org(activity.organizer, C.CHANGE_MEMBERS)
    try:
        n = services.confirm_all(activity, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已确认{n}名志愿者的服务时长。")
    return redirect("volunteering:activity", activity.pk)


# --- records ----------------------------------------------------------------------------------------------------
def _record(request, pk: int, cap=C.VIEW_MEMBERS) -> VolunteerRecord:
    record = get_object_or_404(
        VolunteerRecord.objects.select_related("member", "organization", "activity__organizer"), pk=pk
    )
    access = Access.of(request.user)
    deciding_org = record.activity.organizer if record.activity_id else record.organization
    own = access.member_id == record.member_id
    if not (
        own
        or access.can_org(C.VIEW_MEMBERS, deciding_org)
        or access.can_org(C.VIEW_MEMBERS, record.organization)
    ):
        raise Http404("没有找到该记录")
    if cap != C.VIEW_MEMBERS and not access.can_org(cap, deciding_org):
        raise PermissionDenied("只有组织单位可以确认服务时长")
    return record


@require_POST
def record_review(request, pk: int):
    record = _record(request, pk, C.CHANGE_MEMBERS)
    try:
        if request.POST.get("decision") == "reject":
            services.reject(record, reason=request.POST.get("reason", ""), by=request.user)
            messages.success(request, f"已将{record.member.name}的“{record.title}”标为未通过。")
        else:
            confirmed = services.confirm(record, by=request.user, hours=request.POST.get("hours") or None)
            messages.success(request, f"已确认{record.member.name}的“{record.title}”{confirmed.hours}小时。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    if record.activity_id:
        return redirect("volunteering:activity", record.activity_id)
    return redirect("volunteering:reports")


def record_photo(request, pk: int):
    record = _record(request, pk)
    if not record.evidence:
        raise Http404("没有照片")
    content_type = mimetypes.guess_type(record.evidence.name)[0] or "application/octet-stream"
    response = FileResponse(record.evidence.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = (
        "nosniff"  # the type comes from the file's name: never let a browser guess
    )
    return response


def reports(request):
    """Self-reported services of the user's branches: pending first."""
    access = Access.of(request.user)
    access.require(C.CHANGE_MEMBERS)
    status = request.GET.get("status", RecordStatus.PENDING)
    qs = selectors.pending_reports_for(request.user)
    if status in RecordStatus.values:
        qs = qs.filter(status=status)
    page = _page(request, qs)
    return render(
        request,
        "volunteering/reports.html",
        {"page": page, "status": status, "statuses": RecordStatus.choices, "query": f"status={status}"},
    )


def mine(request):
    me = _me(request)
    if me is None:
        raise Http404("您的账号尚未关联党员档案")
    year = _year(request)
    records = (
        VolunteerRecord.objects.filter(member=me).select_related("activity").order_by("-served_on", "-pk")
    )
    page = _page(request, records)
    return render(
        request,
        "volunteering/mine.html",
        {
            "member": me,
            "year": year,
            "total": selectors.year_total(me, year),
            "page": page,
            "query": f"year={year}",
            "upcoming": selectors.activities_for(request.user)
            .filter(ends_at__gte=timezone.now())
            .exclude(records__member=me)
            .order_by("starts_at")[:3],
        },
    )


def report(request):
    me = _me(request)
    if me is None:
        raise Http404("您的账号尚未关联党员档案")
    form = ReportForm(
        request.POST or None, request.FILES or None, initial={"served_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_service(me, **form.cleaned_data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, "已提交，所在党支部确认后计入志愿服务时长。")
            return redirect("volunteering:mine")
    return render(request, "volunteering/report.html", {"form": form})


# --- statistics -------------------------------------------------------------------------------------------------
def stats(request):
    access = Access.of(request.user)
    org = _scope_org(request)
    year = _year(request)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    children = list(
        Organization.objects.filter(parent=org).exclude(kind=OrganizationKind.GROUP).order_by("order", "path")
    )
    rows = selectors.stats_rows([org, *children], start, end)
    return render(
        request,
        "volunteering/stats.html",
        {
            "org": org,
            "year": year,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
            "total": rows[0],
            "rows": rows[1:],
            "themes": selectors.theme_hours(org, start, end),
            "breadcrumb": _breadcrumb(org, access),
        },
    )


@require_POST
def stats_export(request):
    org = _scope_org(request)
    try:
        report_services.request_report(request.user, VOLUNTEER_STATS, org, {"year": request.POST.get("year")})
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(reverse("volunteering:stats") + f"?org={org.pk}")
    messages.success(request, f"已提交生成“{org.name}志愿服务统计表”，完成后可在下方下载。")
    return redirect("reports:list")


# --- communities ------------------------------------------------------------------------------------------------
def communities(request):
    access = Access.of(request.user)
    can_edit = access.has(C.MANAGE_ORG)
    form = CommunityForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("仅党务工作者可以维护社区名单")
        if form.is_valid():
            try:
                community = services.save_community(**form.cleaned_data)
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, f"已添加社区“{community.name}”。")
                return redirect("volunteering:communities")
    qs = Community.objects.order_by("street", "name")
    page = _page(request, qs, 50)
    return render(
        request, "volunteering/communities.html", {"page": page, "form": form, "can_edit": can_edit}
    )


def community_edit(request, pk: int):
    Access.of(request.user).require(C.MANAGE_ORG)
    community = get_object_or_404(Community, pk=pk)
    form = CommunityForm(request.POST or None, instance=community)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_community(
                community=community, **{k: form.cleaned_data[k] for k in CommunityForm.Meta.fields}
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("volunteering:communities")
    return render(request, "volunteering/community_form.html", {"form": form, "community": community})


# --- 双报到 -----------------------------------------------------------------------------------------------------
def checkins(request):
    access = Access.of(request.user)
    org = _scope_org(request)
    qs = (
        Organization.objects.filter(subtree_q(org.path), dissolved_on__isnull=True)
        .exclude(kind=OrganizationKind.GROUP)
        .order_by("path")
    )
    if request.GET.get("missing") == "1":
        missing_orgs = [r.org.pk for r in selectors.checkin_rows(list(qs)) if r.missing or r.checkin is None]
        qs = qs.filter(pk__in=missing_orgs)
    page = _page(request, qs, 30)
    rows = selectors.checkin_rows(list(page))
    totals = selectors.checkin_rows([org])  # the root's own line
    return render(
        request,
        "volunteering/checkins.html",
        {
            "org": org,
            "page": page,
            "rows": rows,
            "root_row": totals[0],
            "missing": request.GET.get("missing") == "1",
            "query": f"org={org.pk}" + ("&missing=1" if request.GET.get("missing") == "1" else ""),
            "breadcrumb": _breadcrumb(org, access),
        },
    )


def _checkin_org(request, pk: int, cap=C.VIEW_MEMBERS) -> Organization:
    org = get_object_or_404(Organization, pk=pk)
    access = Access.of(request.user)
    if not access.can_org(C.VIEW_MEMBERS, org):
        raise Http404("没有找到该组织")
    access.require_org(org, cap)
    return org


def checkin_org(request, pk: int):
    org = _checkin_org(request, pk)
    access = Access.of(request.user)
    own = (
        CommunityCheckIn.objects.filter(kind=CheckInKind.ORGANIZATION, organization=org)
        .select_related("community")
        .first()
    )
    pairs = selectors.member_checkins(org)
    can_change = access.can_org(C.CHANGE_MEMBERS, org)
    return render(
        request,
        "volunteering/checkin_org.html",
        {
            "org": org,
            "own": own,
            "pairs": pairs,
            "missing": sum(1 for _, c in pairs if c is None),
            "can_change": can_change,
            "form": CheckInForm(
                initial={
                    "registered_on": timezone.localdate(),
                    "community": own.community_id if own else None,
                }
            ),
            "communities": Community.objects.filter(active=True).order_by("street", "name"),
            "today": timezone.localdate(),
        },
    )


@require_POST
def checkin_register(request, pk: int):
    org = _checkin_org(request, pk, C.CHANGE_MEMBERS)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择社区并填写正确的报到日期。")
        return redirect("volunteering:checkin_org", org.pk)
    data = form.cleaned_data
    member_id = request.POST.get("member", "")
    try:
        if member_id:
            member = Member.objects.filter(
                pk=member_id if member_id.isdigit() else 0, organization=org
            ).first()
            if member is None:
                raise ValidationError("该党员不在本组织中")
            services.register_member(
                member,
                data["community"],
                registered_on=data["registered_on"],
                note=data["note"],
                by=request.user,
            )
            messages.success(request, f"已登记{member.name}到{data['community']}报到。")
        else:
            services.register_organization(
                org,
                data["community"],
                registered_on=data["registered_on"],
                note=data["note"],
                by=request.user,
            )
            messages.success(request, f"已登记{org.name}到{data['community']}报到。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("volunteering:checkin_org", org.pk)


@require_POST
def checkins_export(request):
    org = _scope_org(request)
    try:
        report_services.request_report(request.user, COMMUNITY_CHECKINS, org, {})
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(reverse("volunteering:checkins") + f"?org={org.pk}")
    messages.success(request, f"已提交生成“{org.name}双报到情况表”，完成后可在下方下载。")
    return redirect("reports:list")


def my_checkin(request):
    me = _me(request)
    if me is None:
        raise Http404("您的账号尚未关联党员档案")
    current = (
        CommunityCheckIn.objects.filter(kind=CheckInKind.MEMBER, member=me)
        .select_related("community")
        .first()
    )
    form = CheckInForm(
        request.POST or None,
        initial={
            "registered_on": timezone.localdate(),
            "community": current.community_id if current else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.register_member(
                me, data["community"], registered_on=data["registered_on"], note=data["note"], by=request.user
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"已到{data['community']}报到。")
            return redirect("volunteering:my_checkin")
    org_checkin = (
        CommunityCheckIn.objects.filter(
            kind=CheckInKind.ORGANIZATION,
            organization__path__in=[
                me.organization.path[:i] for i in range(8, len(me.organization.path) + 1, 8)
            ],
        )
        .select_related("community", "organization")
        .order_by("-organization__path")
        .first()
    )
    return render(
        request,
        "volunteering/my_checkin.html",
        {"member": me, "current": current, "form": form, "org_checkin": org_checkin},
    )
