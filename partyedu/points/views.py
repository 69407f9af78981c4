"""积分 pages: a member's points with every reason, rankings as the 工委's setting allows, rules by versions,
manual awards and corrections, the ranking setting, anomalies."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.accounts.models import Role
from partyedu.members.models import Member
from partyedu.orgs.models import Organization, OrganizationKind

from . import selectors, services
from .forms import CorrectionForm, ManualForm, ReviseForm, RuleForm, VisibilityForm
from .models import EntryKind, PointsEntry, PointsRule, PointsTotal, RankingVisibility

UNIT_KINDS = {OrganizationKind.PARTY_COMMITTEE, OrganizationKind.PARTY_LEADERSHIP_GROUP}


def _committee_root(user) -> Organization | None:
    """The 工委 a committee admin (or a superuser) governs rules and settings for."""
    access = Access.of(user)
    if access.is_superuser:
        return Organization.objects.filter(parent__isnull=True).order_by("order", "pk").first()
    for role, org in access.roles:
        if role == Role.COMMITTEE_ADMIN:
            return org
    return None


def _period(request) -> tuple[str, str]:
    periods = selectors.current_periods()
    window = request.GET.get("window", "year")
    if window not in periods:
        window = "year"
    period = request.GET.get("period") or periods[window]
    if not _valid_period(period):
        period = periods[window]
    return window, period


def _valid_period(period: str) -> bool:
    import re

    return bool(re.fullmatch(r"\d{4}|\d{4}Q[1-4]|\d{4}-(0[1-9]|1[0-2])", period or ""))


def _totals(member) -> dict[str, object]:
    periods = selectors.current_periods()
    kept = dict(
        PointsTotal.objects.filter(member=member, period__in=periods.values()).values_list("period", "total")
    )
    return {window: kept.get(period, 0) for window, period in periods.items()}


def _points_page(request, member, *, own: bool):
    window, period = _period(request)
    entries = selectors.entries_of(member, period)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    access = Access.of(request.user)
    return render(
        request,
        "points/member_points.html",
        {
            "member": member,
            "own": own,
            "totals": _totals(member),
            "period": period,
            "period_label": selectors.period_label(period),
            "window": window,
            "page": page,
            "query": f"window={window}&period={period}",
            "branch_rank": selectors.rank_of(member, member.organization, period)
            if own and selectors.visibility_for(member).member_sees_branch
            else None,
            "can_manage": access.can_member(C.CHANGE_MEMBERS, member) and access.is_worker,
        },
    )


def my_points(request):
    member = request.user.member
    if member is None:
        return render(request, "points/no_member.html")
    return _points_page(request, member, own=True)


def member_points(request, pk: int):
    member = get_object_or_404(Member.objects.select_related("organization"), pk=pk)
    Access.of(request.user).require_member(member, C.VIEW_MEMBERS)
    return _points_page(request, member, own=request.user.member_id == member.pk)


def _ranking_scopes(request) -> list[tuple[str, Organization]]:
    """(label, root) of the member rankings this user may see."""
    access = Access.of(request.user)
    scopes: list[tuple[str, Organization]] = []
    if access.is_worker:
        roots = access.scope_roots(C.VIEW_MEMBERS)
        children = (
            Organization.objects.filter(parent__in=roots, dissolved_on__isnull=True)
            .only("pk", "name", "kind", "path", "parent_id", "depth")
            .order_by("path")
        )
        wanted = request.GET.get("org", "")
        extra = access.orgs(C.VIEW_MEMBERS).filter(pk=wanted) if wanted.isdigit() else []
        return [(org.name, org) for org in [*roots, *children, *extra]]
    member = request.user.member
    if member is None:
        return []
    setting = selectors.visibility_for(member)
    org = member.organization
    chain = list(org.ancestors()) if hasattr(org, "ancestors") else []
    if setting.member_sees_branch:
        scopes.append(("本支部", org))
    if setting.member_sees_unit:
        unit = next((a for a in reversed(chain) if a.kind in UNIT_KINDS), None)
        if unit is not None:
            scopes.append(("本单位", unit))
    if setting.member_sees_county and chain:
        scopes.append(("全县", chain[0]))
    return scopes


def _points_text(value) -> str:
    """As floatformat:"-2": "12" for a whole number, else two decimals."""
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


def rankings(request):
    window, period = _period(request)
    scopes = _ranking_scopes(request)
    access = Access.of(request.user)
    if not scopes:
        return render(
            request, "points/rankings.html", {"hidden": True, "period_label": selectors.period_label(period)}
        )
    by_pk = {str(root.pk): (label, root) for label, root in scopes}
    label, root = by_pk.get(request.GET.get("org", ""), scopes[0])
    member_rows = selectors.member_ranking(root, period, limit=100)
    show_orgs = access.is_worker or (
        request.user.member is not None
        and selectors.visibility_for(request.user.member).member_sees_org_ranking
    )
    by = "participation" if request.GET.get("by") == "participation" else "average"
    org_rows = selectors.org_ranking(root, period, by=by) if show_orgs else []
    # A city's ranking lists hundreds of units: rows built here rather than by the template loop, which took most
    # of the page's time at that size (docs/benchmarks.md).
    org_rows_html = format_html_join(
        "\n",
        '<tr><td>{}</td><td class="num">{}</td><td class="num">{}%</td><td class="num">{}</td></tr>',
        (
            (r.organization.name, r.members, f"{r.participation:.1f}", _points_text(r.average))
            for r in org_rows
        ),
    )
    scope_options_html = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((org.pk, mark_safe(" selected") if org.pk == root.pk else "", label_) for label_, org in scopes),
    )
    return render(
        request,
        "points/rankings.html",
        {
            "scopes": scopes,
            "root": root,
            "label": label,
            "rows": member_rows,
            "org_rows": org_rows,
            "org_rows_html": org_rows_html,
            "scope_options_html": scope_options_html,
            "by": by,
            "window": window,
            "period": period,
            "period_label": selectors.period_label(period),
            "me": request.user.member_id,
        },
    )


def rules(request):
    access = Access.of(request.user)
    if not access.is_worker:
        raise PermissionDenied("只有党务工作者可以查看积分规则")
    today = timezone.localdate()
    all_rules = PointsRule.objects.select_related("scope").order_by("event_kind", "series", "-valid_from")
    return render(
        request,
        "points/rules.html",
        {
            "rules": all_rules,
            "today": today,
            "can_edit": _committee_root(request.user) is not None,
            "form": RuleForm(initial={"valid_from": today}),
        },
    )


def _require_committee(request) -> Organization:
    root = _committee_root(request.user)
    if root is None:
        raise PermissionDenied("只有机关工委管理员可以修改积分规则和设置")
    return root


@require_POST
def rule_create(request):
    root = _require_committee(request)
    form = RuleForm(request.POST)
    if form.is_valid():
        try:
            services.create_rule(by=request.user, scope=root, **form.cleaned_data)
            messages.success(request, "已新增积分规则")
            return redirect("points:rules")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(
            request, "；".join(f"{form.fields[f].label}：{'，'.join(e)}" for f, e in form.errors.items())
        )
    return redirect("points:rules")


def rule_revise(request, pk: int):
    _require_committee(request)
    rule = get_object_or_404(PointsRule, pk=pk)
    initial = {
        "name": rule.name,
        "mode": rule.mode,
        "points": rule.points,
        "daily_cap": rule.daily_cap,
        "yearly_cap": rule.yearly_cap,
        "basis": rule.basis,
        "valid_from": timezone.localdate(),
    }
    form = ReviseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        valid_from = data.pop("valid_from")
        try:
            services.revise_rule(rule, valid_from=valid_from, by=request.user, **data)
            messages.success(request, f"已生成新版本，自{valid_from:%Y年%m月%d日}起生效；此前已得积分不变")
            return redirect("points:rules")
        except ValidationError as exc:
            for field, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
    versions = PointsRule.objects.filter(series=rule.series).order_by("valid_from")
    return render(request, "points/rule_revise.html", {"rule": rule, "form": form, "versions": versions})


@require_POST
def rule_retire(request, pk: int):
    _require_committee(request)
    rule = get_object_or_404(PointsRule, pk=pk)
    try:
        services.retire_rule(rule, on=timezone.localdate() + timezone.timedelta(days=1), by=request.user)
        messages.success(request, f"“{rule.name}”自明日起停用")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("points:rules")


def manual(request, pk: int):
    """加分/扣分 for one member by a worker of his organisation, with a reason that the member will read."""
    member = get_object_or_404(Member.objects.select_related("organization"), pk=pk)
    access = Access.of(request.user)
    access.require_member(member, C.CHANGE_MEMBERS)
    if not access.is_worker:
        raise PermissionDenied
    form = ManualForm(
        request.POST or None, initial={"member_id": member.pk, "occurred_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        when = timezone.make_aware(
            timezone.datetime.combine(data["occurred_on"], timezone.datetime.min.time().replace(hour=12))
        )
        try:
            result = services.award(
                member,
                data["direction"],
                source_key=f"manual:{request.user.pk}:{timezone.now().timestamp():.6f}",
                reason=data["reason"],
                occurred_at=when,
                points=data["points"],
                operator=request.user,
            )
            if result.entry is None:
                form.add_error(None, "当前没有适用的加分/扣分规则，请联系机关工委")
            else:
                messages.success(request, f"已记录：{result.entry.reason}（{result.entry.points:+}分）")
                return redirect("points:member", pk=member.pk)
        except ValidationError as exc:
            form.add_error("points", exc.messages)
    return render(request, "points/manual.html", {"member": member, "form": form})


def correct(request, pk: int):
    entry = get_object_or_404(PointsEntry.objects.select_related("member__organization", "rule"), pk=pk)
    access = Access.of(request.user)
    if not (access.is_worker and access.can_member(C.CHANGE_MEMBERS, entry.member)):
        raise PermissionDenied("只能更正本组织党员的积分")
    if entry.kind != EntryKind.CREDIT:
        return redirect("points:correct", pk=entry.corrects_id)
    net = services.net_of(entry)
    form = CorrectionForm(request.POST or None, initial={"new_points": net})
    if request.method == "POST" and form.is_valid():
        try:
            fix = services.correct(
                entry,
                new_points=form.cleaned_data["new_points"],
                reason=form.cleaned_data["reason"],
                operator=request.user,
            )
            messages.success(request, "已追加更正记录" if fix else "分值未变化，未追加记录")
            return redirect("points:member", pk=entry.member_id)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
    return render(
        request,
        "points/correct.html",
        {
            "entry": entry,
            "net": net,
            "form": form,
            "corrections": entry.corrections.select_related("operator"),
        },
    )


def visibility(request):
    root = _require_committee(request)
    setting, _ = RankingVisibility.objects.get_or_create(root=root)
    form = VisibilityForm(request.POST or None, instance=setting)
    if request.method == "POST" and form.is_valid():
        setting = form.save(commit=False)
        setting.updated_by = request.user
        setting.save()
        messages.success(request, "已保存排名可见范围")
        return redirect("points:visibility")
    return render(request, "points/visibility.html", {"form": form, "root": root, "setting": setting})


def anomalies(request):
    access = Access.of(request.user)
    if not access.is_worker:
        raise PermissionDenied
    roots = access.scope_roots(C.VIEW_MEMBERS)
    if not roots:
        raise PermissionDenied
    since = timezone.localdate() - timezone.timedelta(days=30)
    found = []
    for root in roots:
        found += selectors.anomalies(root, since=since)
    names = dict(
        Member.objects.filter(pk__in={m for a in found for m in a.member_ids}).values_list("pk", "name")
    )
    rows = [(a, [(m, names.get(m, "")) for m in a.member_ids]) for a in found]
    return render(request, "points/anomalies.html", {"rows": rows, "since": since})
