"""更多推荐: a member's full list of recommended materials, with the reasons (the top five are on his home)."""

from __future__ import annotations

from django.shortcuts import render

from . import recommend_selectors


def recommendations(request):
    member = request.user.member
    page, items = (
        (None, [])
        if member is None
        else recommend_selectors.recommendation_page(member, request.GET.get("page"))
    )
    return render(
        request,
        "learning/recommendations.html",
        {"member": member, "page": page, "items": items, "query": ""},
    )
