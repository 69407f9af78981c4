"""Reading plan pages: the workers' plans of their organisations, and the members' 我的读书计划 (phone first)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.core.cn import normalize_text
from partyedu.learning import materials_selectors
from partyedu.learning.models import Material
from partyedu.members.models import Member
from partyedu.orgs.models import Organization, subtree_q
from partyedu.reports import services as report_services

from . import selectors, services
from .exporting import PLAN_OVERDUE
from .forms import BookItemForm, BookReadForm, ItemOptionsForm, PersonalPlanForm, PlanForm
from .models import AudienceKind, PlanAssignment, PlanStatus, ReadingPlanItem

PAGE_SIZE = 50
SHOW = {"all": "全部", "unfinished": "未完成", "overdue": "逾期未完成", "finished": "已完成"}


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _message(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


def _back(plan):
    if plan.is_personal:
        return redirect("plans:mine_detail", plan.pk)
    return redirect("plans:detail", plan.pk)


def _require_worker(request) -> Access:
    access = Access.of(request.user)
    if not access.has(C.CHANGE_MEMBERS):
        raise PermissionDenied("只有党务工作者可以管理读书计划")
    return access


# --- workers -------------------------------------------------------------------------------------------------
def plan_list(request):
    _require_worker(request)
    plans = selectors.worker_plans(request.user)
    year = request.GET.get("year", "")
    if year.isdigit():
        plans = plans.filter(year=int(year))
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    upper = selectors.upper_plans(request.user)
    if year.isdigit():
        upper = upper.filter(year=int(year))
    return render(
        request,
        "plans/list.html",
        {"page": page, "year": year, "query": urlencode({"year": year}), "upper": list(upper[:50])},
    )


def plan_create(request):
    access = _require_worker(request)
    orgs = access.orgs(C.CHANGE_MEMBERS).filter(dissolved_on__isnull=True).order_by("path")
    form = PlanForm(request.POST or None, organizations=orgs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            plan = services.create_plan(by=request.user, **data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, "计划已保存为草稿，请添加学习内容后发布。")
            if plan.audience == AudienceKind.PICKED:
                return redirect("plans:audience", plan.pk)
            return redirect("plans:detail", plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "plan": None})


def plan_edit(request, pk: int):
    plan = selectors.editable_plan(request.user, pk)
    form_class = PersonalPlanForm if plan.is_personal else PlanForm
    form = form_class(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            plan.refresh_from_db()
            _errors_into(form, exc)
        else:
            messages.success(request, "计划已保存。")
            return _back(plan)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


def plan_detail(request, pk: int):
    plan = selectors.worker_plan(request.user, pk)
    progress = selectors.Progress(plan, timezone.localdate())
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "items": progress.items,
            "totals": progress.totals() if plan.status != PlanStatus.DRAFT else None,
            "picked_count": plan.picked.count() if plan.audience == AudienceKind.PICKED else None,
        },
    )


def audience(request, pk: int):
    plan = selectors.worker_plan(request.user, pk)
    access = Access.of(request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        picked = set(plan.picked.values_list("pk", flat=True))
        try:
            if action == "kind":
                services.update_plan(plan, by=request.user, audience=request.POST.get("audience", ""))
            elif action in {"add", "remove"}:
                member = access.members(C.CHANGE_MEMBERS).filter(pk=request.POST.get("member") or 0).first()
                if member is None:
                    raise Http404("没有找到该党员")
                picked = picked | {member.pk} if action == "add" else picked - {member.pk}
                services.set_picked(plan, Member.objects.filter(pk__in=picked), by=request.user)
        except ValidationError as exc:
            _message(request, exc)
        else:
            messages.success(request, "学习对象已更新。")
        q = request.POST.get("q", "")
        return redirect(request.path + (f"?{urlencode({'q': q})}" if q else ""))
    q = normalize_text(request.GET.get("q", ""))[:40]
    found = []
    if q and plan.audience == AudienceKind.PICKED:
        found = list(
            access.members(C.CHANGE_MEMBERS)
            .current()
            .in_subtree(plan.organization)
            .filter(name__contains=q)
            .select_related("organization")
            .order_by("sort_key")[:30]
        ) or list(
            access.members(C.CHANGE_MEMBERS)
            .current()
            .in_subtree(plan.organization)
            .filter(name_initials__startswith=q.lower())
            .select_related("organization")
            .order_by("sort_key")[:30]
        )
    picked = list(plan.picked.select_related("organization").order_by("sort_key"))
    return render(
        request,
        "plans/audience.html",
        {
            "plan": plan,
            "kinds": AudienceKind.choices,
            "picked": picked,
            "picked_ids": {m.pk for m in picked},
            "found": found,
            "q": q,
        },
    )


def items(request, pk: int):
    """Add items: search the library (what the audience may read), or name a paper book."""
    plan = selectors.editable_plan(request.user, pk)
    book_form = BookItemForm(request.POST if request.POST.get("kind") == "book" else None)
    options = ItemOptionsForm(request.POST if request.POST.get("kind") == "material" else None)
    if request.method == "POST":
        try:
            if request.POST.get("kind") == "book":
                if not book_form.is_valid():
                    raise ValidationError("请填写书名")
                data = dict(book_form.cleaned_data)
                data["title"], data["author"] = data.pop("book_title"), data.pop("book_author")
                services.add_book_item(plan, by=request.user, **data)
                messages.success(request, f"已添加《{book_form.cleaned_data['book_title'].strip('《》')}》。")
            else:
                access = Access.of(request.user)
                material = Material.objects.filter(
                    materials_selectors.visible_q(access), pk=request.POST.get("material") or 0
                ).first()
                if material is None:
                    raise Http404("没有找到该学习资料")
                if not options.is_valid():
                    raise ValidationError("请检查本项期限")
                services.add_material_item(plan, material, by=request.user, **options.cleaned_data)
                messages.success(request, f"已添加“{material.title}”。")
        except ValidationError as exc:
            _message(request, exc)
        q = request.POST.get("q", "")
        return redirect(request.path + (f"?{urlencode({'q': q})}" if q else ""))
    q = request.GET.get("q", "")
    library = materials_selectors.library(
        request.user,
        materials_selectors.LibraryFilter(q=q),
        page=_int(request.GET.get("page"), 1),
        page_size=10,
    )
    listed = set(plan.items.exclude(material=None).values_list("material_id", flat=True))
    for hit in library.hits:
        hit.fits = services.material_fits(plan, hit.material)
        hit.listed = hit.material.pk in listed
    return render(
        request,
        "plans/items.html",
        {
            "plan": plan,
            "library": library,
            "q": q,
            "book_form": book_form,
            "options": ItemOptionsForm(),
            "query": urlencode({"q": q}),
        },
    )


def _int(value, default: int) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


@require_POST
def item_change(request, pk: int):
    item = get_object_or_404(ReadingPlanItem.objects.select_related("plan"), pk=pk)
    plan = selectors.editable_plan(request.user, item.plan_id)
    action = request.POST.get("action")
    try:
        if action == "remove":
            services.remove_item(item, by=request.user)
        elif action in {"up", "down"}:
            services.move_item(item, action == "up", by=request.user)
        elif action in {"required", "optional"}:
            services.set_item_required(item, action == "required", by=request.user)
    except ValidationError as exc:
        _message(request, exc)
    return _back(plan)


@require_POST
def publish(request, pk: int):
    plan = selectors.worker_plan(request.user, pk)
    try:
        result = services.publish(plan, by=request.user)
    except ValidationError as exc:
        _message(request, exc)
    else:
        messages.success(request, f"计划已发布：{result}。")
    return redirect("plans:detail", plan.pk)


@require_POST
def sync(request, pk: int):
    plan = selectors.worker_plan(request.user, pk)
    try:
        result = services.sync_assignments(plan, by=request.user)
    except ValidationError as exc:
        _message(request, exc)
    else:
        messages.success(request, f"已按当前花名册同步学习对象：{result}。")
    return redirect("plans:detail", plan.pk)


@require_POST
def remind(request, pk: int):
    plan = selectors.worker_plan(request.user, pk)
    try:
        services.request_reminder(plan, by=request.user)
    except ValidationError as exc:
        _message(request, exc)
    else:
        messages.success(request, "已向未完成人员发送提醒（同一天内不重复提醒）。")
    return redirect("plans:progress" if request.POST.get("next") == "progress" else "plans:detail", plan.pk)


def progress(request, pk: int):
    plan, base, can_manage = selectors.followed_plan(request.user, pk)
    root = selectors.scope_root(request.user, base, request.GET.get("org"))
    show = request.GET.get("show", "all")
    show = show if show in SHOW else "all"
    p = selectors.Progress(plan, timezone.localdate())
    page = Paginator(p.member_rows(root, show), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    missing = p.overdue_items_of([r.member_id for r in rows]) if p.due else {}
    for r in rows:
        r.finished = r.done >= p.required_count
        r.overdue = bool(missing.get(r.member_id))
        r.missing = missing.get(r.member_id, [])
    return render(
        request,
        "plans/progress.html",
        {
            "plan": plan,
            "root": root,
            "trail": selectors.breadcrumbs(base, root),
            "can_manage": can_manage,
            "totals": p.totals(root),
            "orgs": p.by_child(root),
            "page": page,
            "rows": rows,
            "show": show,
            "shows": SHOW,
            "required_count": p.required_count,
            "query": urlencode({"org": root.pk, "show": show}),
        },
    )


def member_detail(request, pk: int, member_pk: int):
    """One member's items on a plan, for the workers who follow it and may see him."""
    plan, base, _ = selectors.followed_plan(request.user, pk)
    assignment = (
        PlanAssignment.objects.filter(plan=plan, member_id=member_pk)
        .filter(subtree_q(base.path, "member__organization__path"))
        .select_related("member__organization")
        .first()
    )
    if assignment is None or not Access.of(request.user).can_member(C.VIEW_MEMBERS, assignment.member):
        raise Http404("没有找到该党员")
    return render(
        request,
        "plans/member_detail.html",
        {
            "plan": plan,
            "assignment": assignment,
            "member": assignment.member,
            "status": selectors.member_progress(plan, assignment.member),
        },
    )


def _posted_org(request, base):
    """The organisation the progress page showed (?org=, sent back as a hidden field), else the user's view of
    the plan. Whether he may have its list is the report kind's to decide."""
    wanted = request.POST.get("org", "")
    org = Organization.objects.filter(pk=int(wanted)).first() if wanted.isdigit() else None
    return org or base


@require_POST
def overdue_export(request, pk: int):
    """Queue the overdue list of the organisation on the progress page; the worker builds it, the user
    downloads it from 台账下载."""
    plan, base, _ = selectors.followed_plan(request.user, pk)
    org = _posted_org(request, base)
    try:
        report_services.request_report(request.user, PLAN_OVERDUE, org, {"plan": plan.pk})
    except ValidationError as exc:
        _message(request, exc)
        return redirect(reverse("plans:progress", args=[plan.pk]) + f"?{urlencode({'org': org.pk})}")
    messages.success(request, f"已提交生成“{plan.title}”{org.name}逾期未完成名单，完成后可在下方下载。")
    return redirect("reports:list")


# --- members -------------------------------------------------------------------------------------------------
def mine(request):
    member = request.user.member
    if member is None:
        return render(request, "plans/mine.html", {"member": None})
    assignments = list(selectors.my_plans(member))
    current = [a for a in assignments if a.left_on is None]
    statuses = selectors.member_progress_many([a.plan for a in current], member)
    for a in current:
        a.status = statuses[a.plan_id]
    return render(
        request,
        "plans/mine.html",
        {
            "member": member,
            "current": current,
            "history": [a for a in assignments if a.left_on is not None],
        },
    )


def mine_detail(request, pk: int):
    plan, assignment = selectors.my_plan(request.user, pk)
    status = selectors.member_progress(plan, assignment.member)
    return render(
        request,
        "plans/mine_detail.html",
        {
            "plan": plan,
            "assignment": assignment,
            "status": status,
            "can_edit": plan.is_personal,
            "read_form": BookReadForm(),
        },
    )


def personal_create(request):
    member = request.user.member
    if member is None:
        raise PermissionDenied("您的账号尚未关联党员档案")
    form = PersonalPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_personal_plan(member, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, "个人学习计划已建立，请添加要读的资料或图书。")
            return redirect("plans:items", plan.pk)
    return render(request, "plans/personal_form.html", {"form": form})


@require_POST
def book_read(request, pk: int):
    item = get_object_or_404(ReadingPlanItem.objects.select_related("plan"), pk=pk)
    plan, assignment = selectors.my_plan(request.user, item.plan_id)
    if request.POST.get("action") == "undo":
        services.unmark_book_read(item, assignment.member, by=request.user)
        messages.success(request, "已撤销读完登记。")
        return redirect("plans:mine_detail", plan.pk)
    form = BookReadForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请用一两句话写下读书心得（至少5个字）。")
        return redirect("plans:mine_detail", plan.pk)
    try:
        services.mark_book_read(
            item,
            assignment.member,
            note=form.cleaned_data["note"],
            on=form.cleaned_data["read_on"],
            by=request.user,
        )
    except PermissionDenied:
        raise Http404("没有找到该读书计划") from None
    except ValidationError as exc:
        _message(request, exc)
    else:
        messages.success(request, f"已登记读完{item.title}。")
    return redirect("plans:mine_detail", plan.pk)
