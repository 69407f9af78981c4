"""Study time pages: the heartbeat endpoint of the reader, 我的学习, and the organisation's study overview."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from partyedu.accounts.access import Access, Capability
from partyedu.orgs.models import Organization

from . import study, study_selectors, study_services

PAGE_SIZE = 50


def progress_payload(record, material, beat=None) -> dict:
    required = study.required_seconds(material.kind, material.reading_minutes, material.duration_seconds)
    seconds = record.seconds if record else 0
    return {
        "seconds": seconds,
        "seconds_display": study.format_duration(seconds),
        "required": required,
        "required_display": study.format_duration(required),
        "watched_fraction": round(record.watched_fraction, 3) if record else 0,
        "completed": bool(record and record.completed_at),
        "credited": beat.credited if beat else 0,
        "reason": beat.reason if beat else "",
    }


@require_http_methods(["GET", "POST"])
def heartbeat(request, pk: int):
    """POST: one beat of a reader's tab, JSON in, the member's progress out (CSRF applies: X-CSRFToken header).
    GET: where the member stands and how often to beat, for the clock to start from; credits nothing."""
    material = study_selectors.visible_material(request.user, pk)
    member = request.user.member
    if request.method == "GET":
        payload = progress_payload(study_selectors.record_of(member, material), material)
        payload.update(
            member=member is not None,
            interval=study_services.heartbeat_interval(),
            idle=study.IDLE_SECONDS,
        )
        return JsonResponse(payload)
    if member is None:
        raise PermissionDenied("只有关联党员档案的账号才记录学习时长")
    try:
        data = json.loads(request.body or b"{}")
        if not isinstance(data, dict):
            raise ValueError
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "请求格式不正确"}, status=400)
    try:
        beat = study_services.record_heartbeat(
            member,
            material,
            token=data.get("token", ""),
            played=data.get("played"),
            rate=data.get("rate", 1),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except ValueError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse(progress_payload(beat.record, material, beat))


def my_study(request):
    member = request.user.member
    if member is None:
        return render(request, "learning/study_mine.html", {"member": None})
    page = Paginator(study_selectors.my_records(member), PAGE_SIZE).get_page(request.GET.get("page"))
    for record in page.object_list:
        m = record.material
        record.required = study.required_seconds(m.kind, m.reading_minutes, m.duration_seconds)
        record.time_display = study.format_duration(record.seconds)
        record.required_display = study.format_duration(record.required)
        record.percent = min(100, round(100 * record.seconds / record.required)) if record.required else 0
        if m.kind in study.MEDIA_KINDS and m.duration_seconds:
            record.percent = round(100 * record.watched_fraction)
    return render(
        request,
        "learning/study_mine.html",
        {"member": member, "page": page, "totals": study_selectors.my_totals(member)},
    )


def org_study(request):
    Access.of(request.user).require(Capability.VIEW_MEMBERS)
    rows, total = study_selectors.org_study_rows(request.user)
    return render(request, "learning/study_orgs.html", {"rows": rows, "total": total})


def org_study_members(request, pk: int):
    org = get_object_or_404(Organization, pk=pk)
    access = Access.of(request.user)
    if not access.can_org(Capability.VIEW_ORG, org):
        raise Http404("没有找到该组织")
    if not access.can_org(Capability.VIEW_MEMBERS, org):
        raise PermissionDenied("您没有权限查看该组织的学习记录")
    page = Paginator(study_selectors.org_member_rows(org), PAGE_SIZE).get_page(request.GET.get("page"))
    for m in page.object_list:
        m.study_time_display = study.format_duration(m.study_seconds or 0)
    return render(request, "learning/study_org_members.html", {"org": org, "page": page})
