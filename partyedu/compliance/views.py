import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from partyedu.accounts.access import Access, Capability
from partyedu.meetings.models import Attendance, AttendanceRole, MeetingStatus
from partyedu.orgs.models import Organization, OrganizationKind

from . import selectors, services
from .forms import RetireForm, ReviseForm, RuleForm
from .models import ComplianceRule

PAGE_SIZE = 50
SHOW_CHOICES = [("", "全部组织"), ("missed", "只看有未达标项的"), ("ok", "只看全部达标的")]


def _org(request, pk) -> Organization:
    org = get_object_or_404(Organization, pk=pk)
    return Access.of(request.user).require_org(org, Capability.VIEW_MEMBERS)


def _window(request) -> tuple[selectors.Span, str]:
    """The window from ?year=&period=, or this year with a Chinese message when they make no sense."""
    this_year = timezone.localdate().year
    try:
        return selectors.parse_window(request.GET.get("year") or this_year, request.GET.get("period")), ""
    except ValueError as exc:
        return selectors.parse_window(this_year), str(exc)


def _query(window: selectors.Span, **extra) -> str:
    params = {"year": window.year}
    if window.param:
        params["period"] = window.param
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(params)


def _root(request) -> Organization:
    raw = (request.GET.get("org") or "").strip()
    if raw:
        if not raw.isdigit():
            raise Http404("没有找到该组织")
        return _org(request, int(raw))
    roots = selectors.board_roots(request.user)
    if not roots:
        raise PermissionDenied("您没有权限查看组织生活落实情况")
    return roots[0]


def _org_choices(user, current) -> list[tuple[int, str]]:
    orgs = list(selectors.board_orgs(user, current).values_list("pk", "name", "depth"))
    top = min((depth for _, _, depth in orgs), default=0)
    return [(pk, "　" * (depth - top) + name) for pk, name, depth in orgs]


def board(request):
    Access.of(request.user).require(Capability.VIEW_MEMBERS)
    root = _root(request)
    window, error = _window(request)
    today = timezone.localdate()
    result = selectors.compliance_board(root, window.year, window.param, today=today)
    show = request.GET.get("show", "")
    rows = result.rows
    if show == "missed":
        rows = [r for r in rows if r.missed]
    elif show == "ok":
        rows = [r for r in rows if r.compliant]
    query = _query(window)
    return render(
        request,
        "compliance/board.html",
        {
            "board": result,
            "root": root,
            "rows": rows,
            "show": show,
            "show_choices": SHOW_CHOICES,
            "error": error,
            "query": query,
            "root_query": _query(window, org=root.pk),
            "cell_url": reverse("compliance:cell", args=[0, 0]).replace("/0/rule/0/", "/ORG/rule/RULE/"),
            "meetings_url": reverse("compliance:meetings", args=[0]).replace("/0/", "/ORG/"),
            "org_choices": _org_choices(request.user, root),
            "years": range(today.year, today.year - 6, -1),
            "period_choices": selectors.window_choices(),
            "can_edit_rules": selectors.can_edit_rules(request.user),
        },
    )


def missed(request, pk: int):
    root = _org(request, pk)
    window, error = _window(request)
    result = selectors.compliance_board(root, window.year, window.param)
    items = [(row, cell, p, _query(p.span)) for row, cell, p in result.missed()]
    page = Paginator(items, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "compliance/missed.html",
        {"root": root, "window": window, "page": page, "query": _query(window), "error": error},
    )


def cell(request, pk: int, rule: int):
    org = _org(request, pk)
    rule = get_object_or_404(ComplianceRule, pk=rule)
    window, error = _window(request)
    result, by_span = selectors.cell_detail(org, rule, window)
    periods = [(p, by_span.get(p.span.key, [])) for p in result.periods] if result else []
    return render(
        request,
        "compliance/cell.html",
        {
            "org": org,
            "rule": rule,
            "window": window,
            "cell": result,
            "periods": periods,
            "query": _query(window),
            "error": error,
            "versions": ComplianceRule.objects.filter(series=rule.series).order_by("valid_from"),
        },
    )


def meetings(request, pk: int):
    """The held meetings behind an attendance rate, with their counts."""
    org = _org(request, pk)
    window, error = _window(request)
    subtree = request.GET.get("subtree") == "1"
    qs = selectors.held_meetings(org, window, subtree=subtree)
    totals = qs.aggregate(n=Count("pk"), expected=Sum("expected_count"), present=Sum("present_count"))
    expected, present = totals["expected"] or 0, totals["present"] or 0
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "compliance/meetings.html",
        {
            "org": org,
            "window": window,
            "subtree": subtree,
            "page": page,
            "total": totals["n"],
            "expected": expected,
            "present": present,
            "rate": present / expected if expected else None,
            "query": _query(window, subtree="1" if subtree else ""),
            "back": _query(window, org=org.pk),
            "error": error,
        },
    )


def absences(request, pk: int):
    root = _org(request, pk)
    qs = (
        selectors.absence_streaks(root)
        .select_related("organization", "life_stats")
        .order_by("-life_stats__consecutive_absences", "organization__path", "sort_key", "pk")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    members = list(page.object_list)
    # their latest meetings, for all of the page in one query: the year before the latest of them
    last = [m.life_stats.last_expected_on for m in members if m.life_stats.last_expected_on]
    since = min(last, default=timezone.localdate()) - datetime.timedelta(days=366)
    recent: dict[int, list[Attendance]] = {m.pk: [] for m in members}
    rows = (
        Attendance.objects.filter(
            member_id__in=recent,
            role=AttendanceRole.ATTENDEE,
            meeting__status=MeetingStatus.HELD,
            meeting__held_on__gte=since,
        )
        .select_related("meeting")
        .order_by("member_id", "-meeting__held_on", "-meeting__starts_at")
    )
    for row in rows:
        if len(recent[row.member_id]) < 5:
            recent[row.member_id].append(row)
    return render(
        request,
        "compliance/absences.html",
        {
            "root": root,
            "page": page,
            "members": [(m, recent[m.pk]) for m in members],
            "streak": selectors.ABSENCE_STREAK,
            "back": _query(selectors.parse_window(timezone.localdate().year), org=root.pk),
        },
    )


def inactive(request, pk: int):
    root = _org(request, pk)
    today = timezone.localdate()
    qs = (
        selectors.inactive_members(root, today)
        .select_related("organization", "life_stats")
        .order_by("organization__path", "sort_key", "pk")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "compliance/inactive.html",
        {
            "root": root,
            "page": page,
            "cutoff": selectors.months_before(today, selectors.INACTIVE_MONTHS),
            "note": services.INACTIVE_NOTE,
            "back": _query(selectors.parse_window(today.year), org=root.pk),
        },
    )


# --- rules --------------------------------------------------------------------------------------------------
def rules(request):
    access = Access.of(request.user)
    if not access.is_worker:
        raise PermissionDenied("您没有权限查看组织生活规则")
    today = timezone.localdate()
    versions = sorted(selectors.rule_versions(), key=selectors.rule_sort_key)
    for v in versions:
        v.is_current = v.in_force_on(today)
        v.is_future = v.valid_from > today
        v.can_edit = v.valid_to is None and selectors.can_edit_rules(request.user, v)
    return render(
        request,
        "compliance/rules.html",
        {"versions": versions, "can_edit": selectors.can_edit_rules(request.user), "today": today},
    )


def _rule_scopes(request):
    return (
        Access.of(request.user)
        .orgs(Capability.MANAGE_ORG)
        .exclude(kind=OrganizationKind.GROUP)
        .filter(dissolved_on__isnull=True)
        .order_by("path")
    )


def _apply_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for name, errs in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


def rule_create(request):
    if not selectors.can_edit_rules(request.user):
        raise PermissionDenied("只有工委管理员可以制定组织生活规则")
    form = RuleForm(request.POST or None, scopes=_rule_scopes(request))
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.create_rule(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已新增规则：{rule.label}，自 {rule.valid_from:%Y-%m-%d} 起执行")
            return redirect("compliance:rules")
    return render(request, "compliance/rule_form.html", {"form": form, "title": "新增规则"})


def rule_edit(request, pk: int):
    rule = get_object_or_404(ComplianceRule.objects.select_related("scope"), pk=pk)
    if not selectors.can_edit_rules(request.user, rule):
        raise PermissionDenied("只有工委管理员可以修改组织生活规则")
    action = request.POST.get("action", "revise")
    initial = {
        "period": rule.period,
        "min_count": rule.min_count,
        "requires_observer": rule.requires_observer,
        "basis": rule.basis,
    }
    data = request.POST if request.method == "POST" else None
    form = ReviseForm(data if action == "revise" else None, initial=initial)
    retire_form = RetireForm(data if action == "retire" else None)
    if request.method == "POST":
        chosen = form if action == "revise" else retire_form
        if chosen.is_valid():
            try:
                if action == "retire":
                    services.retire_rule(rule, on=retire_form.cleaned_data["on"], by=request.user)
                    messages.success(
                        request, f"规则“{rule.label}”自 {retire_form.cleaned_data['on']:%Y-%m-%d} 起停用"
                    )
                else:
                    new = services.revise_rule(rule, by=request.user, **form.cleaned_data)
                    messages.success(request, f"规则已修改：{new.label}，自 {new.valid_from:%Y-%m-%d} 起执行")
            except ValidationError as exc:
                _apply_errors(chosen, exc)
            else:
                return redirect("compliance:rules")
    return render(
        request,
        "compliance/rule_edit.html",
        {
            "rule": rule,
            "form": form,
            "retire_form": retire_form,
            "versions": ComplianceRule.objects.filter(series=rule.series).order_by("valid_from"),
        },
    )
