"""Reads of the roster that pages, the API, exports and reports share."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.db.models.lookups import Contains
from django.utils import timezone

from partyedu.accounts.access import Access, Capability
from partyedu.core.cn import normalize_text
from partyedu.orgs.models import Organization, subtree_q

from .models import Member, MembershipPeriod, MemberStatus, years_before

AGE_BANDS = {
    "35-": ("35岁及以下", 0, 35),
    "36-45": ("36–45岁", 36, 45),
    "46-55": ("46–55岁", 46, 55),
    "56+": ("56岁及以上", 56, 200),
}
FLAGS = {
    "is_leader": "领导干部",
    "is_retired": "离退休",
    "is_mobile": "流动党员",
    "needs_home_delivery": "需送学上门",
}
SORTS = {
    "name": ("sort_key", "pk"),
    "-name": ("-sort_key", "-pk"),
    "birth": ("birth_date", "pk"),
    "-birth": ("-birth_date", "-pk"),
    "joined": ("joined_on", "pk"),
    "-joined": ("-joined_on", "-pk"),
    "org": ("organization__path", "sort_key", "pk"),
}
_ID_LIKE = re.compile(r"^[0-9]{4,17}[0-9X]?$")
_LATIN = re.compile(r"^[a-z]+$")
# The dots of transliterated names (阿依古丽·买买提) come from different input methods, or are left out or typed as
# a space; a name is found whichever of them is typed, or none.
NAME_SEPARATORS = "·•‧・∙⋅. "


def _without_separators(expression):
    for separator in NAME_SEPARATORS:
        expression = Replace(expression, Value(separator), Value(""))
    return expression


@dataclass
class RosterFilter:
    q: str = ""
    org: Organization | None = None
    status: str = ""
    age_band: str = ""
    flags: tuple[str, ...] = ()
    include_left: bool = False
    sort: str = "name"


def age_band_q(band: str, today: datetime.date | None = None) -> Q:
    today = today or timezone.localdate()
    _, youngest, oldest = AGE_BANDS[band]
    # age ≥ youngest  ⇔ born on/before today-youngest years; age ≤ oldest ⇔ born after today-(oldest+1) years
    return Q(birth_date__lte=years_before(today, youngest), birth_date__gt=years_before(today, oldest + 1))


def search_q(text: str) -> Q:
    """Name, pinyin or its initials (prefix), ID number or mobile (prefix or suffix)."""
    text = normalize_text(text).replace(" ", "")
    if not text:
        return Q()
    upper = text.upper()
    if _ID_LIKE.match(upper):
        return (
            Q(citizen_id__startswith=upper)
            | Q(citizen_id__endswith=upper)
            | Q(mobile__startswith=text)
            | Q(mobile__endswith=text)
        )
    lower = text.lower()
    if _LATIN.match(lower):
        return Q(name_initials__startswith=lower) | Q(name_pinyin__startswith=lower)
    bare = "".join(ch for ch in text if ch not in NAME_SEPARATORS)
    return Q(Contains(_without_separators(F("name")), bare or text))


def roster(user, f: RosterFilter) -> QuerySet[Member]:
    access = Access.of(user)
    qs = access.members(Capability.VIEW_MEMBERS)
    if not f.include_left:
        qs = qs.filter(left_on__isnull=True)
    if f.org is not None:
        qs = qs.filter(subtree_q(f.org.path, "organization__path"))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.age_band in AGE_BANDS:
        qs = qs.filter(age_band_q(f.age_band))
    for flag in f.flags:
        if flag in FLAGS:
            qs = qs.filter(**{flag: True})
    if f.q:
        qs = qs.filter(search_q(f.q))
    return qs.select_related("organization", "group").order_by(*SORTS.get(f.sort, SORTS["name"]))


def current_member_count(org: Organization) -> int:
    """Current members of the organisation, or of the 党小组 when it is one (they belong to its branch)."""
    return Member.objects.filter(Q(organization=org) | Q(group=org), left_on__isnull=True).count()


def member_counts_by_org(orgs: list[Organization]) -> dict[int, int]:
    """Members in each organisation's whole subtree, from one grouped query however many nodes are shown."""
    if not orgs:
        return {}
    direct = dict(
        Member.objects.filter(left_on__isnull=True)
        .filter(Q(*[subtree_q(o.path, "organization__path") for o in orgs], _connector=Q.OR))
        .values_list("organization__path")
        .annotate(n=Count("pk"))
        .values_list("organization__path", "n")
    )
    return {o.pk: sum(n for path, n in direct.items() if path.startswith(o.path)) for o in orgs}


def status_counts(qs: QuerySet[Member]) -> dict[str, int]:
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {status.value: counts.get(status.value, 0) for status in MemberStatus}


def members_of_on(org: Organization, day: datetime.date) -> QuerySet[Member]:
    """Who belonged to this organisation (or its subtree) on a given day, from the membership history."""
    ids = MembershipPeriod.objects.filter(
        subtree_q(org.path, "organization__path"),
        started_on__lte=day,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    return Member.objects.filter(pk__in=ids.values("member_id"))
