"""不让一个党员掉队: the left-behind list of a subtree, and 送学上门 records (list, form, a member's history)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.members.models import Member
from partyedu.orgs.models import Organization

from . import selectors, services
from .forms import DeliveryForm, VoidForm
from .models import HomeDelivery

PAGE_SIZE = 50


def _org(request, pk: int) -> Organization:
    org = get_object_or_404(Organization, pk=pk)
    return Access.of(request.user).require_org(org, C.VIEW_MEMBERS)


def _member(request, pk: int, cap=C.VIEW_MEMBERS) -> Member:
    member = get_object_or_404(Member.objects.select_related("organization"), pk=pk)
    return Access.of(request.user).require_member(member, cap)


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def index(request):
    roots = Access.of(request.user).scope_roots(C.VIEW_MEMBERS)
    if not roots:
        raise PermissionDenied("掉队预警供党务工作者查看")
    return redirect("outreach:left_behind", roots[0].pk)


def _int(value, default: int) -> int:
    return int(value) if str(value or "").isdigit() else default


def left_behind(request, pk: int):
    org = _org(request, pk)
    today = timezone.localdate()
    days = _int(request.GET.get("days"), selectors.DEFAULT_DAYS)
    if days not in selectors.DAY_CHOICES:
        days = selectors.DEFAULT_DAYS
    reason = request.GET.get("reason", "")
    if reason not in selectors.REASON_LABELS:
        reason = ""
    children = list(
        Organization.objects.filter(parent=org, dissolved_on__isnull=True).order_by("order", "path")
    )
    within = None
    raw = request.GET.get("within", "")
    if raw:
        within = next((c for c in children if str(c.pk) == raw), None)
        if within is None:
            raise Http404("没有找到该组织")
    with selectors.planned_without_jit():
        result = selectors.left_behind(org, today=today, days=days, within=within)
        paginator = Paginator(result.rows(reason), PAGE_SIZE)
        paginator.count = result.count(reason)  # known from the counts: no second COUNT query
        page = paginator.get_page(request.GET.get("page"))
        rows = [(m, selectors.reasons_of(m, days), result.required[m.on_committee]) for m in page.object_list]
    base = {"days": days, **({"within": within.pk} if within else {})}
    return render(
        request,
        "outreach/left_behind.html",
        {
            "org": org,
            "result": result,
            "rows": rows,
            "page": page,
            "days": days,
            "day_choices": selectors.DAY_CHOICES,
            "reason": reason,
            "reasons": [
                (code, label, result.counts[code], urlencode({**base, "reason": code}))
                for code, label in selectors.REASON_LABELS.items()
            ],
            "all_query": urlencode(base),
            "children": children,
            "within": within,
            "query": urlencode({**base, **({"reason": reason} if reason else {})}),
            "never": selectors.NEVER,
            "expected_plain": result.expected[False],
            "expected_committee": result.expected[True],
            "can_deliver": Access.of(request.user).has(C.CHANGE_MEMBERS),
        },
    )


def deliveries(request, pk: int):
    org = _org(request, pk)
    qs = (
        selectors.deliveries_in(org)
        .select_related("member", "organization", "delivered_by")
        .order_by("-delivered_on", "-pk")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "outreach/deliveries.html", {"org": org, "page": page, "query": ""})


def member_deliveries(request, pk: int):
    member = _member(request, pk)
    access = Access.of(request.user)
    return render(
        request,
        "outreach/member_deliveries.html",
        {
            "member": member,
            "deliveries": list(selectors.deliveries_of(member)[:200]),
            "can_record": access.can_member(C.CHANGE_MEMBERS, member),
            "own": member.pk == access.member_id,
        },
    )


def delivery_new(request, pk: int):
    member = _member(request, pk, C.CHANGE_MEMBERS)
    access = Access.of(request.user)
    form = DeliveryForm(request.POST or None, access=access, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            delivery = services.record_delivery(member, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"已登记送学上门，计入{member.name} {delivery.hours} 学时。")
            return redirect("outreach:delivery", delivery.pk)
    return render(request, "outreach/delivery_form.html", {"member": member, "form": form})


def _delivery(request, pk: int) -> HomeDelivery:
    delivery = get_object_or_404(
        HomeDelivery.objects.select_related(
            "member__organization", "organization", "delivered_by", "voided_by"
        ),
        pk=pk,
    )
    access = Access.of(request.user)
    if not (
        access.can_member(C.VIEW_MEMBERS, delivery.member)
        or access.can_org(C.VIEW_MEMBERS, delivery.organization)
    ):
        raise Http404("没有找到该记录")
    return delivery


def delivery_detail(request, pk: int):
    delivery = _delivery(request, pk)
    can_void = not delivery.is_void and services.can_record_for(request.user, delivery.member)
    return render(
        request,
        "outreach/delivery.html",
        {
            "d": delivery,
            "materials": list(delivery.materials.all()),
            "can_void": can_void,
            "void_form": VoidForm() if can_void else None,
        },
    )


@require_POST
def delivery_void(request, pk: int):
    delivery = _delivery(request, pk)
    if not services.can_record_for(request.user, delivery.member):
        raise PermissionDenied("您没有权限进行此操作")
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写作废原因。")
        return redirect("outreach:delivery", delivery.pk)
    try:
        services.void_delivery(delivery, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "记录已作废，所计学时已撤销。")
    return redirect("outreach:delivery", delivery.pk)
