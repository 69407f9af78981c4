"""意见建议 pages: workers record, assign, reply and close; residents leave a suggestion through an
organisation's QR link on their phones and look up the reply with a receipt code."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.core.qr import qr_svg
from partyedu.members.models import Member
from partyedu.orgs.models import Organization, OrganizationKind, subtree_q
from partyedu.reports import services as report_services

from . import selectors, services
from .exporting import OPINION_STATS
from .forms import AssignForm, OpinionForm, PublicForm, ReplyForm
from .models import Opinion, OpinionBox, OpinionStatus

PAGE_SIZE = 20


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _worker_orgs(request, cap=C.CHANGE_MEMBERS):
    return (
        Access.of(request.user)
        .orgs(cap)
        .exclude(kind=OrganizationKind.GROUP)
        .filter(dissolved_on__isnull=True)
        .order_by("path")
    )


def _scope_org(request) -> Organization:
    access = Access.of(request.user)
    wanted = request.GET.get("org", "")
    if wanted.isdigit():
        org = Organization.objects.filter(pk=int(wanted)).first()
        if org is None or not access.can_org(C.VIEW_ORG, org):
            raise Http404("没有找到该组织")
        access.require_org(org, C.VIEW_MEMBERS)
        return org
    roots = access.scope_roots(C.VIEW_MEMBERS)
    if not roots:
        raise PermissionDenied("仅党务工作者可以查看")
    return roots[0]


def _period(request) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    try:
        start = datetime.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today.replace(month=1, day=1)
    try:
        end = datetime.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    if end < start:
        start, end = end, start
    return start, end


# --- workers ----------------------------------------------------------------------------------------------------
def opinion_list(request):
    access = Access.of(request.user)
    today = timezone.localdate()
    qs = selectors.opinions_for(request.user)
    status = request.GET.get("status", "")
    if status in OpinionStatus.values:
        qs = qs.filter(status=status)
    overdue = request.GET.get("overdue") == "1"
    if overdue:
        qs = qs.filter(replied_at__isnull=True, due_on__lt=today)
    page = Paginator(qs.order_by("-received_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "opinions/list.html",
        {
            "page": page,
            "today": today,
            "status": status,
            "overdue": overdue,
            "statuses": OpinionStatus.choices,
            "query": f"status={status}" + ("&overdue=1" if overdue else ""),
            "can_create": access.has(C.CHANGE_MEMBERS),
            "is_worker": access.is_worker,
            "box_orgs": _worker_orgs(request)[:1],
        },
    )


def opinion_create(request):
    access = Access.of(request.user)
    access.require(C.CHANGE_MEMBERS)
    form = OpinionForm(request.POST or None, orgs=_worker_orgs(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        access.require_org(data["organization"], C.CHANGE_MEMBERS)
        try:
            opinion = services.record_opinion(data.pop("organization"), by=request.user, **data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, "已登记意见建议。")
            return redirect("opinions:detail", opinion.pk)
    return render(request, "opinions/form.html", {"form": form})


def _opinion(request, pk: int) -> Opinion:
    opinion = selectors.opinions_for(request.user).filter(pk=pk).first()
    if opinion is None:
        raise Http404("没有找到该意见建议")
    return opinion


def _assign_form(request, opinion, data=None):
    orgs = _worker_orgs(request)
    members = (
        Member.objects.filter(left_on__isnull=True)
        .filter(Access.of(request.user).member_q(C.CHANGE_MEMBERS))
        .select_related("organization")
    )
    root = opinion.assignee_org or opinion.organization
    members = members.filter(subtree_q(root.path, "organization__path")).order_by("sort_key")[:300]
    return AssignForm(
        data,
        orgs=orgs,
        members=Member.objects.filter(pk__in=[m.pk for m in members]).order_by("sort_key"),
        initial={
            "assignee_org": opinion.assignee_org_id or opinion.organization_id,
            "assignee_member": opinion.assignee_member_id,
            "due_on": opinion.due_on
            or opinion.received_on + datetime.timedelta(days=services.DEFAULT_DUE_DAYS),
        },
    )


def opinion_detail(request, pk: int):
    opinion = _opinion(request, pk)
    access = Access.of(request.user)
    can_assign = access.can_org(C.CHANGE_MEMBERS, opinion.organization) and opinion.status in (
        OpinionStatus.RECEIVED,
        OpinionStatus.ASSIGNED,
    )
    return render(
        request,
        "opinions/detail.html",
        {
            "opinion": opinion,
            "show_contact": selectors.may_see_contact(request.user, opinion),
            "can_assign": can_assign,
            "can_handle": selectors.may_handle(request.user, opinion),
            "assign_form": _assign_form(request, opinion) if can_assign else None,
            "reply_form": ReplyForm(initial={"reply": opinion.reply}),
            "overdue": opinion.is_overdue(),
        },
    )


@require_POST
def opinion_assign(request, pk: int):
    opinion = _opinion(request, pk)
    access = Access.of(request.user)
    access.require_org(opinion.organization, C.CHANGE_MEMBERS)
    form = _assign_form(request, opinion, request.POST)
    if not form.is_valid():
        messages.error(request, "请选择承办组织并填写答复期限。")
        return redirect("opinions:detail", opinion.pk)
    data = form.cleaned_data
    access.require_org(data["assignee_org"], C.CHANGE_MEMBERS)
    try:
        services.assign(opinion, by=request.user, **data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request, f"已交办{data['assignee_org'].name}，请于{data['due_on']:%Y年%m月%d日}前答复。"
        )
    return redirect("opinions:detail", opinion.pk)


@require_POST
def opinion_reply(request, pk: int):
    opinion = _opinion(request, pk)
    if not selectors.may_handle(request.user, opinion):
        raise PermissionDenied("您没有权限答复该意见建议")
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写答复内容（不超过2000字）。")
        return redirect("opinions:detail", opinion.pk)
    try:
        services.reply(opinion, text=form.cleaned_data["reply"], by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已答复。")
    return redirect("opinions:detail", opinion.pk)


@require_POST
def opinion_close(request, pk: int):
    opinion = _opinion(request, pk)
    if not selectors.may_handle(request.user, opinion):
        raise PermissionDenied("您没有权限办结该意见建议")
    try:
        services.close(opinion, note=request.POST.get("note", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已办结。")
    return redirect("opinions:detail", opinion.pk)


def stats(request):
    access = Access.of(request.user)
    org = _scope_org(request)
    start, end = _period(request)
    children = list(
        Organization.objects.filter(parent=org).exclude(kind=OrganizationKind.GROUP).order_by("order", "path")
    )
    figures = selectors.reply_stats([org.pk, *[c.pk for c in children]], start, end)
    paths = [org.path[:i] for i in range(8, len(org.path), 8)]
    return render(
        request,
        "opinions/stats.html",
        {
            "org": org,
            "start": start,
            "end": end,
            "total": figures[org.pk],
            "rows": [(c, figures[c.pk]) for c in children],
            "breadcrumb": [
                o
                for o in Organization.objects.filter(path__in=paths).order_by("path")
                if access.can_org(C.VIEW_MEMBERS, o)
            ],
        },
    )


@require_POST
def stats_export(request):
    org = _scope_org(request)
    try:
        report_services.request_report(
            request.user,
            OPINION_STATS,
            org,
            {"start": request.POST.get("start"), "end": request.POST.get("end")},
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(reverse("opinions:stats") + f"?org={org.pk}")
    messages.success(request, f"已提交生成“{org.name}意见建议办理情况”，完成后可在下方下载。")
    return redirect("reports:list")


def _box_org(request, org: int) -> Organization:
    organization = get_object_or_404(Organization, pk=org)
    access = Access.of(request.user)
    if not access.can_org(C.VIEW_MEMBERS, organization):
        raise Http404("没有找到该组织")
    access.require_org(organization, C.CHANGE_MEMBERS)
    return organization


def box(request, org: int):
    """The organisation's QR code to print and post: residents scan it to leave a suggestion."""
    wanted = request.GET.get("org", "")
    if wanted.isdigit() and int(wanted) != org:
        return redirect("opinions:box", int(wanted))
    organization = _box_org(request, org)
    found = OpinionBox.objects.filter(organization=organization, active=True).first()
    qr, url = "", ""
    if found is not None:
        url = request.build_absolute_uri(reverse("opinions:public_submit", args=[found.token]))
        qr = qr_svg(url)
    return render(
        request,
        "opinions/box.html",
        {"org": organization, "box": found, "qr": qr, "url": url, "orgs": _worker_orgs(request)[:200]},
    )


@require_POST
def box_renew(request, org: int):
    organization = _box_org(request, org)
    if OpinionBox.objects.filter(organization=organization, active=True).exists() and request.POST.get(
        "renew"
    ):
        services.renew_box_token(organization)
        messages.success(request, "已更换二维码，原二维码失效。")
    else:
        services.open_box(organization)
        messages.success(request, "已开通意见箱二维码。")
    return redirect("opinions:box", organization.pk)


# --- public (no login) ------------------------------------------------------------------------------------------
def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@never_cache
def public_submit(request, token: str):
    """A resident's phone: no account, no session written; a receipt code to look up the reply."""
    found = services.box_for_token(token)
    if found is None or found.organization.dissolved_on is not None:
        return render(request, "opinions/public.html", {"state": "unknown"}, status=404)
    form = PublicForm(request.POST or None)
    state, opinion = "form", None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if form.cleaned_data.get("website"):
                state = "thanks"  # a robot: pretend, store nothing
            else:
                try:
                    services.check_public_rate(_client_address(request))
                    opinion = services.submit_public(
                        token,
                        content=form.cleaned_data["content"],
                        giver_name=form.cleaned_data["giver_name"],
                        giver_contact=form.cleaned_data["giver_contact"],
                    )
                except services.RateLimited as exc:
                    form.add_error(None, str(exc))
                    status = 429
                except ValidationError as exc:
                    _errors_into(form, exc)
                    status = 400
                else:
                    state = "thanks"
        else:
            status = 400
    return render(
        request,
        "opinions/public.html",
        {"state": state, "form": form, "org": found.organization, "opinion": opinion},
        status=status,
    )


@never_cache
def public_lookup(request):
    code = (request.GET.get("code") or "").strip().upper()
    if code:
        return redirect("opinions:public_receipt", code[:12])
    return render(request, "opinions/receipt.html", {"opinion": None, "asked": False})


@never_cache
def public_receipt(request, code: str):
    code = (code or "").strip().upper()[:12]
    opinion = (
        Opinion.objects.select_related("organization").filter(receipt_code=code).first() if code else None
    )
    return render(
        request,
        "opinions/receipt.html",
        {"opinion": opinion, "asked": True, "code": code},
        status=200 if opinion else 404,
    )
