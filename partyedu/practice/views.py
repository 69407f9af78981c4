"""我为群众办实事 and 微心愿 pages. Workers keep the lists of their subtree; members see their own items, the wishes
open to them and their claims; residents answer one-time feedback links without an account."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.core.qr import qr_svg
from partyedu.orgs.models import Organization
from partyedu.reports import services as report_services

from . import selectors, services
from .exporting import FILTERS as EXPORT_FILTERS
from .exporting import PRACTICE_ITEMS
from .forms import (
    CompleteForm,
    EvidenceForm,
    FeedbackForm,
    FulfilForm,
    ItemForm,
    ProgressForm,
    ReasonForm,
    TokensForm,
    WishForm,
)
from .models import Category, Evidence, ItemStatus, ServiceItem, Wish, WishStatus

PAGE_SIZE = 30


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _flash_errors(request, form) -> None:
    messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))


def _worker(request) -> Access:
    access = Access.of(request.user)
    if not access.has(C.VIEW_MEMBERS) or not access.is_worker:
        raise PermissionDenied("仅党务工作者可以查看")
    return access


def _item(request, pk: int, cap=C.VIEW_MEMBERS) -> ServiceItem:
    item = get_object_or_404(ServiceItem.objects.select_related("organization"), pk=pk)
    access = Access.of(request.user)
    if not access.can_org(C.VIEW_MEMBERS, item.organization):
        raise Http404("没有找到该事项")
    access.require_org(item.organization, cap)
    return item


def _year(value) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


def _list_filters(request, access):
    orgs = access.orgs(C.VIEW_MEMBERS).exclude(kind="group").order_by("path")
    wanted = request.GET.get("org", "")
    org = orgs.filter(pk=wanted).first() if wanted.isdigit() else None
    return {
        "status": request.GET.get("status", ""),
        "category": request.GET.get("category", ""),
        "year": _year(request.GET.get("year")),
        "org": org,
        "flag": request.GET.get("flag", ""),
    }, orgs


# --- service items: lists ----------------------------------------------------------------------------------
def item_list(request):
    access = _worker(request)
    filters, orgs = _list_filters(request, access)
    today = timezone.localdate()
    qs = selectors.filtered_items(request.user, today=today, **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.decorate(page.object_list, today)
    query = urlencode({k: (v.pk if k == "org" else v) for k, v in filters.items() if v not in (None, "")})
    return render(
        request,
        "practice/item_list.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "org_choices": orgs[:300],
            "statuses": ItemStatus.choices,
            "categories": Category.choices,
            "years": range(today.year, today.year - 5, -1),
            "can_create": access.has(C.CHANGE_MEMBERS),
        },
    )


def _export_org(access, wanted: str) -> Organization:
    """The organisation the export is about: the list's 组织 filter, or (全部) the worker's first root, which
    names a report that covers his whole scope, as the list does."""
    if wanted:
        org = Organization.objects.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        if org is None:
            raise Http404("没有找到该组织")
        return org
    roots = access.scope_roots(C.VIEW_MEMBERS)
    if not roots:
        raise ValidationError("没有可以导出的党组织")
    return roots[0]


@require_POST
def item_export(request):
    """Queue the list, with the filters it shows, as a spreadsheet built in the background (reports app)."""
    access = _worker(request)
    params = {name: request.POST.get(name, "").strip() for name in EXPORT_FILTERS}
    query = urlencode({k: v for k, v in params.items() if v})
    try:
        org = _export_org(access, params["org"])
        report_services.request_report(request.user, PRACTICE_ITEMS, org, params)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(reverse("practice:list") + (f"?{query}" if query else ""))
    scope = org.name if params["org"] else "管辖范围内"
    messages.success(request, f"已提交生成“{scope}办实事清单”，完成后可在下方下载。")
    return redirect("reports:list")


def summary(request):
    """Per organisation: items, done, overdue, rated, satisfaction — in the tree's order, never ranked by the
    number of items (the field reports warn against doing things for the count)."""
    access = _worker(request)
    orgs = access.orgs(C.VIEW_MEMBERS)
    wanted = request.GET.get("org", "")
    parent = orgs.filter(pk=wanted).first() if wanted.isdigit() else None
    if parent is None:
        roots = access.scope_roots(C.VIEW_MEMBERS)
        parent = roots[0] if roots else None
    if parent is None:
        raise Http404("没有可查看的组织")
    today = timezone.localdate()
    year = _year(request.GET.get("year")) or today.year
    children = list(
        Organization.objects.filter(parent=parent, dissolved_on__isnull=True).order_by("order", "pk")
    )
    numbers = selectors.org_service_summary(
        [parent.pk, *(c.pk for c in children)], datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    )
    rows = [(c, numbers[c.pk]) for c in children]
    return render(
        request,
        "practice/summary.html",
        {
            "parent": parent,
            "total": numbers[parent.pk],
            "rows": rows,
            "year": year,
            "years": range(today.year, today.year - 5, -1),
            "choices": orgs.exclude(kind="group").order_by("path")[:300],
        },
    )


# --- service items: one item --------------------------------------------------------------------------------
def item_create(request):
    access = _worker(request)
    access.require(C.CHANGE_MEMBERS)
    organizations = access.orgs(C.CHANGE_MEMBERS).exclude(kind="group").order_by("path")
    today = timezone.localdate()
    form = ItemForm(
        request.POST or None,
        organizations=organizations,
        initial={"starts_on": today, "deadline": today + datetime.timedelta(days=90)},
    )
    if request.method == "POST" and form.is_valid():
        org = form.cleaned_data["organization"]
        access.require_org(org, C.CHANGE_MEMBERS)
        try:
            item = services.create_item(
                org, responsible=form.cleaned_data["responsible"], by=request.user, **form.item_fields()
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"已添加“{item.title}”。")
            return redirect("practice:item", item.pk)
    return render(request, "practice/item_form.html", {"form": form, "item": None})


def item_edit(request, pk: int):
    item = _item(request, pk, C.CHANGE_MEMBERS)
    access = Access.of(request.user)
    organizations = Organization.objects.filter(pk=item.organization_id)
    initial = {
        "organization": item.organization,
        "responsible_names": "、".join(m.name for m in item.responsible.all()),
        **{f: getattr(item, f) for f in services.ITEM_FIELDS},
    }
    form = ItemForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        access.require_org(item.organization, C.CHANGE_MEMBERS)
        try:
            services.update_item(
                item, responsible=form.cleaned_data["responsible"], by=request.user, **form.item_fields()
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("practice:item", item.pk)
    return render(request, "practice/item_form.html", {"form": form, "item": item})


def item_detail(request, pk: int):
    item = _item(request, pk)
    access = Access.of(request.user)
    today = timezone.localdate()
    item = (
        selectors.with_feedback(ServiceItem.objects.filter(pk=item.pk)).select_related("organization").get()
    )
    selectors.decorate([item], today)
    feedback = list(item.feedback.all())
    progress = list(item.progress.select_related("author"))
    issued = item.feedback_tokens.count()
    used = item.feedback_tokens.filter(used=True).count()
    return render(
        request,
        "practice/item_detail.html",
        {
            "item": item,
            "responsible": list(item.responsible.select_related("organization")),
            "progress": progress,
            "timeline": _timeline(item, progress),
            "evidence": list(item.evidence.all()),
            "feedback": [f for f in feedback if f.comment],
            "issued": issued,
            "used": used,
            "can_change": access.can_org(C.CHANGE_MEMBERS, item.organization),
            "progress_form": ProgressForm(initial={"on": today}),
            "evidence_form": EvidenceForm(),
            "complete_form": CompleteForm(initial={"done_on": today}),
            "reason_form": ReasonForm(),
            "tokens_form": TokensForm(),
            "is_open": item.status in (ItemStatus.PLANNED, ItemStatus.IN_PROGRESS),
            "can_note": item.status != ItemStatus.CANCELLED,
        },
    )


def _timeline(item, progress) -> list[dict]:
    """启动, the progress notes and 办结 in date order: notes after 办结 (回访, the mechanism kept up) follow it."""
    events = [{"on": item.starts_on, "text": "事项启动", "mark": "start"}]
    events += [{"on": n.on, "text": n.text, "author": n.author, "mark": ""} for n in progress]
    if item.done_on:
        events.append({"on": item.done_on, "text": "办结", "mark": "done"})
    order = {"start": 0, "": 1, "done": 2}
    return sorted(events, key=lambda e: (e["on"], order[e["mark"]]))


def _act(request, item, action, success: str, *, back: str = "practice:item"):
    """Run a service call of a button: its refusal or its success as a message, then back to the page."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(back, item.pk)


def _act_with_reason(request, obj, action, success: str, *, missing: str, back: str = "practice:item"):
    """A button whose form asks why (cancel, return, withdraw): without a reason nothing is done."""
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, missing)
        return redirect(back, obj.pk)
    return _act(request, obj, lambda: action(form.cleaned_data["reason"]), success, back=back)


@require_POST
def item_start(request, pk: int):
    item = _item(request, pk, C.CHANGE_MEMBERS)
    return _act(request, item, lambda: services.start_item(item, by=request.user), "事项已开始推进。")


@require_POST
def item_progress(request, pk: int):
    item = _item(request, pk, C.CHANGE_MEMBERS)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect("practice:item", item.pk)
    d = form.cleaned_data
    return _act(
        request,
        item,
        lambda: services.add_progress(item, d["text"], on=d["on"], by=request.user),
        "进展已记录。",
    )


@require_POST
def item_evidence(request, pk: int):
    item = _item(request, pk, C.CHANGE_MEMBERS)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的照片或文档。")
        return redirect("practice:item", item.pk)
    d = form.cleaned_data
    return _act(
        request,
        item,
        lambda: services.add_evidence(d["file"], item=item, caption=d["caption"], by=request.user),
        "材料已上传。",
    )


@require_POST
def item_complete(request, pk: int):
    item = _item(request, pk, C.CHANGE_MEMBERS)
    form = CompleteForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect("practice:item", item.pk)
    d = form.cleaned_data
    return _act(
        request,
        item,
        lambda: services.complete_item(
            item, result_summary=d["result_summary"], done_on=d["done_on"], by=request.user
        ),
        "事项已办结，责任人积分已计入。",
    )


@require_POST
def item_cancel(request, pk: int):
    item = _item(request, pk, C.CHANGE_MEMBERS)
    return _act_with_reason(
        request,
        item,
        lambda reason: services.cancel_item(item, reason=reason, by=request.user),
        "事项已取消。",
        missing="请填写取消原因。",
    )


@require_POST
def item_tokens(request, pk: int):
    """Generate one-time feedback links, shown once as a printable sheet of QR codes."""
    item = _item(request, pk, C.CHANGE_MEMBERS)
    form = TokensForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写1到100的份数。")
        return redirect("practice:item", item.pk)
    try:
        raws = services.issue_feedback_tokens(item, form.cleaned_data["count"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("practice:item", item.pk)
    cards = []
    for raw in raws:
        url = request.build_absolute_uri(reverse("practice:feedback", args=[raw]))
        cards.append({"url": url, "svg": qr_svg(url)})
    response = render(request, "practice/qr_sheet.html", {"item": item, "cards": cards})
    response["Cache-Control"] = "no-store"
    return response


# --- evidence files (never served from /media/) ------------------------------------------------------------
def evidence_file(request, pk: int):
    evidence = get_object_or_404(
        Evidence.objects.select_related("item__organization", "wish__organization"), pk=pk
    )
    access = Access.of(request.user)
    owner = evidence.item or evidence.wish
    allowed = access.can_org(C.VIEW_MEMBERS, owner.organization)
    member_id = request.user.member_id
    if not allowed and member_id:
        if evidence.item is not None:
            allowed = evidence.item.responsible.filter(pk=member_id).exists()
        else:
            allowed = evidence.wish.claimed_by_id == member_id
    if not allowed:
        raise Http404("没有找到该文件")
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件已不存在") from exc
    inline = evidence.kind == "photo" or evidence.content_type == "application/pdf"
    response = FileResponse(
        handle, content_type=evidence.content_type, as_attachment=not inline, filename=evidence.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- the people served (no login) ---------------------------------------------------------------------------
@never_cache
def feedback(request, token: str):
    """The public page of a one-time link: writes no session, uses no messages, answers unknown or used links
    with a page saying so; the stored response has no reference to the link."""
    found = services.token_for(token)
    state = "ok"
    if found is None:
        state = "unknown"
    elif found.used:
        state = "used"
    elif found.item.status == ItemStatus.CANCELLED:
        state = "closed"
    form = FeedbackForm(request.POST or None)
    if state == "ok" and request.method == "POST" and form.is_valid():
        try:
            services.submit_feedback(
                token, satisfaction=form.cleaned_data["satisfaction"], comment=form.cleaned_data["comment"]
            )
        except ValidationError:
            state = "used"
        else:
            state = "thanks"
    return render(
        request,
        "practice/feedback.html",
        {"state": state, "form": form, "item": found.item if found else None},
    )


# --- wishes: workers ----------------------------------------------------------------------------------------
def _wish(request, pk: int, cap=C.VIEW_MEMBERS) -> Wish:
    wish = get_object_or_404(Wish.objects.select_related("organization", "claimed_by__organization"), pk=pk)
    access = Access.of(request.user)
    if not access.can_org(C.VIEW_MEMBERS, wish.organization):
        raise Http404("没有找到该心愿")
    access.require_org(wish.organization, cap)
    return wish


def wish_list(request):
    access = _worker(request)
    qs = selectors.wishes_for(request.user)
    counts = selectors.wish_counts(qs)
    status = request.GET.get("status", "")
    if status in WishStatus.values:
        qs = qs.filter(status=status)
    qs = qs.select_related("organization", "claimed_by").order_by("-created_at", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "practice/wish_list.html",
        {
            "page": page,
            "query": urlencode({"status": status}) if status else "",
            "status": status,
            "statuses": WishStatus.choices,
            "counts": [(s, label, counts[s]) for s, label in WishStatus.choices],
            "can_create": access.has(C.CHANGE_MEMBERS),
        },
    )


def wish_create(request):
    access = _worker(request)
    access.require(C.CHANGE_MEMBERS)
    organizations = access.orgs(C.CHANGE_MEMBERS).exclude(kind="group").order_by("path")
    form = WishForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        access.require_org(d["organization"], C.CHANGE_MEMBERS)
        try:
            wish = services.post_wish(
                d["organization"],
                by=request.user,
                **{k: (d[k].strip() if isinstance(d[k], str) else d[k]) for k in services.WISH_FIELDS},
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"已发布微心愿“{wish.title}”。")
            return redirect("practice:wish", wish.pk)
    return render(request, "practice/wish_form.html", {"form": form})


def wish_detail(request, pk: int):
    wish = _wish(request, pk)
    access = Access.of(request.user)
    return render(
        request,
        "practice/wish_detail.html",
        {
            "wish": wish,
            "evidence": list(wish.evidence.all()),
            "can_change": access.can_org(C.CHANGE_MEMBERS, wish.organization),
            "reason_form": ReasonForm(),
        },
    )


def _wish_act(request, wish, action, success: str):
    return _act(request, wish, action, success, back="practice:wish")


@require_POST
def wish_confirm(request, pk: int):
    wish = _wish(request, pk, C.CHANGE_MEMBERS)
    return _wish_act(request, wish, lambda: services.confirm_wish(wish, by=request.user), "已确认完成。")


@require_POST
def wish_return(request, pk: int):
    wish = _wish(request, pk, C.CHANGE_MEMBERS)
    return _act_with_reason(
        request,
        wish,
        lambda reason: services.return_wish(wish, reason=reason, by=request.user),
        "已退回认领人补充。",
        missing="请填写退回原因。",
        back="practice:wish",
    )


@require_POST
def wish_withdraw(request, pk: int):
    wish = _wish(request, pk, C.CHANGE_MEMBERS)
    return _act_with_reason(
        request,
        wish,
        lambda reason: services.withdraw_wish(wish, reason=reason, by=request.user),
        "心愿已撤回。",
        missing="请填写撤回原因。",
        back="practice:wish",
    )


# --- members (phone pages) ----------------------------------------------------------------------------------
def _member(request):
    member = getattr(request.user, "member", None)
    if member is None:
        raise PermissionDenied("只有党员本人可以查看")
    return member


def mine(request):
    member = _member(request)
    items = list(
        selectors.decorate(
            selectors.with_feedback(ServiceItem.objects.filter(responsible=member))
            .select_related("organization")
            .order_by("-starts_on", "-pk")[:50]
        )
    )
    claims = list(
        Wish.objects.filter(claimed_by=member).select_related("organization").order_by("-claimed_at")[:50]
    )
    open_wishes = list(selectors.wishes_open_to(member).order_by("-created_at")[:50])
    return render(
        request,
        "practice/mine.html",
        {"member": member, "items": items, "claims": claims, "open_wishes": open_wishes},
    )


def _my_wish(request, pk: int) -> Wish:
    member = _member(request)
    wish = get_object_or_404(Wish.objects.select_related("organization", "claimed_by"), pk=pk)
    if not selectors.wish_visible_to_member(wish, member):
        raise Http404("没有找到该心愿")
    return wish


def my_wish(request, pk: int):
    wish = _my_wish(request, pk)
    mine = wish.claimed_by_id == request.user.member_id
    return render(
        request,
        "practice/my_wish.html",
        {
            "wish": wish,
            "mine": mine,
            "form": FulfilForm(),
            "evidence": list(wish.evidence.all()) if mine else [],
        },
    )


@require_POST
def my_wish_claim(request, pk: int):
    # Not _my_wish: a member who opened the page while the wish was open must hear that someone else was
    # quicker, not get a 404, so any wish published to him is looked up here.
    member = _member(request)
    wish = get_object_or_404(Wish.objects.select_related("organization"), pk=pk)
    if not services.can_claim(wish, member):
        raise Http404("没有找到该心愿")
    try:
        services.claim_wish(wish, request.user.member)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("practice:mine")
    messages.success(request, f"您已认领“{wish.title}”，请及时与党组织联系并完成心愿。")
    return redirect("practice:my_wish", wish.pk)


@require_POST
def my_wish_release(request, pk: int):
    wish = _my_wish(request, pk)
    try:
        services.release_wish(wish, request.user.member)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("practice:my_wish", wish.pk)
    messages.success(request, "已放弃认领。")
    return redirect("practice:mine")


@require_POST
def my_wish_fulfil(request, pk: int):
    wish = _my_wish(request, pk)
    form = FulfilForm(request.POST, request.FILES)
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect("practice:my_wish", wish.pk)
    try:
        services.fulfil_wish(
            wish,
            request.user.member,
            note=form.cleaned_data["note"],
            photo=form.cleaned_data["photo"],
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已提交完成情况，等待党组织确认。")
    return redirect("practice:my_wish", wish.pk)
