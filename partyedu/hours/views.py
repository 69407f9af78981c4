"""学时 pages: a member's year (his own, or a worker's view of one of his members) and an organisation's
statistics with its member list and spreadsheet."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.members.models import Member
from partyedu.orgs.models import Organization
from partyedu.reports import services as report_services

from . import selectors
from .exporting import HOURS_STATS
from .models import STATUTORY_HOURS

PAGE_SIZE = 50
YEARS_BACK = 5


def _year(request) -> int:
    this_year = timezone.localdate().year
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else this_year
    return year if this_year - YEARS_BACK <= year <= this_year else this_year


def _years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - YEARS_BACK - 1, -1))


def _member_year(request, member: Member, *, own: bool):
    year = _year(request)
    row = selectors.year_hours([member.pk], year).get(member.pk)
    required = selectors.required_hours(member.pk, year)
    total = row.total if row else Decimal("0")
    by_source = [
        (label, getattr(row, field) if row else 0)
        for label, field in [
            ("培训班", "class_hours"),
            ("党课与集中学习", "meeting_hours"),
            ("自学", "study_hours"),
            ("送学上门", "home_delivery_hours"),
        ]
    ]
    return render(
        request,
        "hours/member_year.html",
        {
            "member": member,
            "own": own,
            "year": year,
            "years": _years(),
            "row": row,
            "total": total,
            "required": required,
            "committee": required != STATUTORY_HOURS,
            "percent": min(100, int(total * 100 / required)) if required else 100,
            "by_source": by_source,
            "missing": max(required - total, 0),
            "items": _with_urls(selectors.items_of(member.pk, year), meetings=not own),
            "today": timezone.localdate(),
        },
    )


def _with_urls(items, *, meetings: bool):
    # A member reads his own deliveries; meeting pages are the workers' (he has 我的会议 for his own).
    for item in items:
        link = item.link
        item.url = ""
        if link and (meetings or link[0] != "meetings:detail"):
            item.url = reverse(link[0], args=[link[1]])
    return items


def mine(request):
    access = Access.of(request.user)
    member_id = access.member_id
    if not member_id:
        return render(request, "hours/no_member.html", {"is_worker": access.is_worker})
    member = get_object_or_404(Member.objects.select_related("organization"), pk=member_id)
    return _member_year(request, member, own=True)


def member_year(request, pk: int):
    member = get_object_or_404(Member.objects.select_related("organization"), pk=pk)
    Access.of(request.user).require_member(member, C.VIEW_MEMBERS)
    return _member_year(request, member, own=member.pk == Access.of(request.user).member_id)


def _org(request, pk: int) -> Organization:
    org = get_object_or_404(Organization, pk=pk)
    return Access.of(request.user).require_org(org, C.VIEW_MEMBERS)


def stats_index(request):
    roots = Access.of(request.user).scope_roots(C.VIEW_MEMBERS)
    if not roots:
        raise PermissionDenied("学时统计供党务工作者查看")
    return redirect("hours:stats", roots[0].pk)


def stats(request, pk: int):
    org = _org(request, pk)
    year = _year(request)
    short = request.GET.get("short") == "1"
    lines, total = selectors.child_stats(org, year)
    members = selectors.org_members(org, year, short_only=short).select_related("organization")
    page = Paginator(members.order_by("organization__path", "sort_key", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "hours/stats.html",
        {
            "org": org,
            "year": year,
            "years": _years(),
            "short": short,
            "lines": lines,
            "total": total,
            "page": page,
            "query": urlencode({"year": year, **({"short": "1"} if short else {})}),
            "ancestors": [] if org.parent_id is None else _visible_ancestors(request, org),
        },
    )


def _visible_ancestors(request, org: Organization) -> list[Organization]:
    access = Access.of(request.user)
    paths = [org.path[:i] for i in range(8, len(org.path), 8)]
    return [
        o
        for o in Organization.objects.filter(path__in=paths).order_by("path")
        if access.can_org(C.VIEW_MEMBERS, o)
    ]


@require_POST
def export(request, pk: int):
    org = _org(request, pk)
    try:
        report_services.request_report(
            request.user,
            HOURS_STATS,
            org,
            {"year": request.POST.get("year"), "short": request.POST.get("short") == "1"},
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("hours:stats", org.pk)
    messages.success(request, f"已提交生成“{org.name}学时统计表”，完成后可在下方下载。")
    return redirect("reports:list")
