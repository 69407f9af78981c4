from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from partyedu.accounts.access import Access, Capability
from partyedu.learning import recommend_selectors
from partyedu.members.selectors import member_counts_by_org, status_counts


def home(request):
    access = Access.of(request.user)
    if not access.is_worker:
        member = request.user.member
        return render(
            request,
            "core/member_home.html",
            {"member": member, "recommendations": recommend_selectors.recommendations_for(member)},
        )
    roots = access.scope_roots(Capability.VIEW_ORG)
    members = access.members(Capability.VIEW_MEMBERS).filter(left_on__isnull=True)
    counts = status_counts(members)
    return render(
        request,
        "core/worker_home.html",
        {
            "roots": roots,
            "root_counts": member_counts_by_org(roots),
            "status_counts": counts,
            "total": sum(counts.values()),
            "youth": members.youth().count(),
            "leaders": members.filter(is_leader=True).count(),
            "at_risk": members.filter(needs_home_delivery=True).count()
            + members.filter(is_mobile=True).count(),
            "org_total": access.orgs(Capability.VIEW_ORG).active().count(),
        },
    )


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
