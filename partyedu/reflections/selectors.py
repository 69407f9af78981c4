"""Reads of the reflections app: lists, the review queue, and the originality report as one viewer may see it."""

from __future__ import annotations

from types import SimpleNamespace

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C

from .models import IndexedText, ReferenceFile, Reflection, ReflectionStatus


def mine(member):
    return Reflection.objects.filter(member=member).order_by("-created_at", "-pk")


def review_queue(user, status: str = ReflectionStatus.SUBMITTED):
    access = Access.of(user)
    qs = Reflection.objects.filter(access.org_q(C.CHANGE_MEMBERS, "organization__path"))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("member", "organization").order_by("submitted_at", "pk")


def can_read(user, reflection: Reflection) -> bool:
    if user.member_id and reflection.member_id == user.member_id:
        return True
    return Access.of(user).can_org(C.VIEW_MEMBERS, reflection.organization)


def can_see_path(user, path: str) -> bool:
    """May `user` read the passages of a reflection written in the organisation at `path`?"""
    if not path:
        return True  # reference corpus: public templates
    access = Access.of(user)
    if access.can_org(C.VIEW_ORG, SimpleNamespace(path=path)):
        return True
    member = getattr(user, "member", None)
    return bool(member and path.startswith(member.organization.path))


def report_for(user, reflection: Reflection) -> list[dict]:
    """The stored matches, each with its passages side by side if the viewer may see the source, or only
    `hidden` if it was written outside his subtree."""
    reflection_ids, reference_ids = [], []
    for m in reflection.report:
        kind, _, pk = m["key"].partition(":")
        (reflection_ids if kind == "reflection" else reference_ids).append(int(pk))
    texts = {}
    for t in IndexedText.objects.filter(reflection_id__in=reflection_ids).only("reflection_id", "text"):
        texts[f"reflection:{t.reflection_id}"] = t.text
    for t in IndexedText.objects.filter(pk__in=reference_ids).only("text"):
        texts[f"reference:{t.pk}"] = t.text
    body = reflection.body
    out = []
    for m in reflection.report:
        visible = can_see_path(user, m.get("path", ""))
        source = texts.get(m["key"], "")
        item = {
            "title": m["title"] if visible else "",
            "percent": m["percent"],
            "is_reference": m["key"].startswith("reference:"),
            "visible": visible,
            "gone": not source,
            "passages": [],
        }
        if visible and source:
            item["passages"] = [
                {"mine": body[p["mine"][0] : p["mine"][1]], "theirs": source[p["theirs"][0] : p["theirs"][1]]}
                for p in m["passages"]
            ]
        out.append(item)
    return out


def body_segments(reflection: Reflection) -> list[dict]:
    """The body cut into runs of {"text", "copied"}: the passages found in any source (visible or not: they are
    the writer's own words either way) marked, so the reader sees where in the whole text they are."""
    body = reflection.body
    ranges = sorted(
        (max(0, p["mine"][0]), min(len(body), p["mine"][1])) for m in reflection.report for p in m["passages"]
    )
    segments, at = [], 0
    for start, end in ranges:
        start = max(start, at)
        if end <= start:
            continue
        if start > at:
            segments.append({"text": body[at:start], "copied": False})
        segments.append({"text": body[start:end], "copied": True})
        at = end
    if at < len(body):
        segments.append({"text": body[at:], "copied": False})
    return segments


def references():
    return ReferenceFile.objects.select_related("uploaded_by").order_by("-uploaded_at", "-pk")


def material_choices(member, limit: int = 40) -> list[tuple[str, str]]:
    from partyedu.learning.models import Material

    org = member.organization
    paths = [*org.ancestor_paths, org.path]
    return [
        (f"material:{pk}", f"学习资料：{title}")
        for pk, title in Material.objects.filter(visible_path__in=paths)
        .order_by("-published_at")
        .values_list("pk", "title")[:limit]
    ]


def meeting_choices(member, limit: int = 20) -> list[tuple[str, str]]:
    from partyedu.meetings.models import Meeting

    return [
        (f"meeting:{pk}", f"会议：{theme}（{held_on:%Y-%m-%d}）")
        for pk, theme, held_on in Meeting.objects.filter(organization=member.organization)
        .order_by("-starts_at")
        .values_list("pk", "theme", "held_on")[:limit]
    ]
