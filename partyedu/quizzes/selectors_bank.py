"""Reads of the question bank: whose banks a worker sees and manages, the filtered bank list, mastery per topic.

Banks: every organisation may keep one (Question.owner). A worker sees the banks of his subtree and of its
ancestors (the 工委's bank serves the whole county, as quizzes draw from the owner's and its ancestors' banks);
he changes the banks of organisations he has MANAGE_ORG on. A plain member sees no bank.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.orgs.models import Organization

from .bank_services import stem_key
from .models import AttemptItem, AttemptState, Question

PATH_STEP = 8
# A topic answered fewer times than this tells nothing about the member: it is never called weak.
MIN_ANSWERED = 5
# Below this share of correct answers a topic is weak.
WEAK_BELOW = 0.8
MASTERY_WINDOW_DAYS = 365
FINISHED = (AttemptState.SUBMITTED, AttemptState.EXPIRED)


def ancestor_paths(path: str) -> list[str]:
    """The paths of an organisation and all its ancestors (each id is PATH_STEP digits)."""
    return [path[:i] for i in range(PATH_STEP, len(path) + 1, PATH_STEP)]


# --- who sees which bank ----------------------------------------------------------------------------------
def visible_bank_q(access: Access, field: str = "owner__path") -> Q:
    """Banks a worker may read: his worker subtree (where he has CHANGE_MEMBERS) and its ancestors."""
    if access.is_superuser:
        return Q()
    if not access.is_worker:
        return Q(pk__in=[])
    roots = access.scope_roots(C.CHANGE_MEMBERS)
    if not roots:
        return Q(pk__in=[])
    ancestors = {p for org in roots for p in ancestor_paths(org.path)}
    return access.org_q(C.CHANGE_MEMBERS, field) | Q(**{f"{field}__in": sorted(ancestors)})


def visible_questions(user) -> QuerySet[Question]:
    return Question.objects.filter(visible_bank_q(Access.of(user)))


def bank_orgs(user) -> QuerySet[Organization]:
    """Organisations whose banks the user may read (for the bank filter)."""
    return Organization.objects.filter(visible_bank_q(Access.of(user), "path")).order_by("path")


def manageable_banks(user) -> QuerySet[Organization]:
    """Organisations whose banks the user may change: MANAGE_ORG on the owner."""
    return Access.of(user).orgs(C.MANAGE_ORG).filter(dissolved_on__isnull=True).order_by("path")


def can_manage_bank(user, owner: Organization) -> bool:
    return Access.of(user).can_org(C.MANAGE_ORG, owner)


# --- the bank list ----------------------------------------------------------------------------------------
@dataclass
class BankFilter:
    owner: int | None = None
    qtype: str = ""
    topic: int | None = None
    difficulty: int | None = None
    status: str = ""
    q: str = ""


def bank_list(user, flt: BankFilter) -> QuerySet[Question]:
    """The filtered bank, with everything a list row shows loaded by the query itself (topics prefetched)."""
    qs = visible_questions(user).select_related("current", "owner")
    if flt.owner:
        qs = qs.filter(owner_id=flt.owner)
    if flt.qtype:
        qs = qs.filter(current__qtype=flt.qtype)
    if flt.topic:
        qs = qs.filter(topics=flt.topic)
    if flt.difficulty:
        qs = qs.filter(current__difficulty=flt.difficulty)
    if flt.status:
        qs = qs.filter(status=flt.status)
    if flt.q:
        # stem_key is the normalised stem (no spaces or punctuation, NFKC): a plain contains on it is cheap
        # enough for banks of thousands, and finds "遵义会议" in "遵义 会议，" too.
        key = stem_key(flt.q)
        if key:
            qs = qs.filter(stem_key__contains=key)
    return qs.prefetch_related("topics").order_by("-pk")


# --- mastery ----------------------------------------------------------------------------------------------
def _finished_items(since: datetime.datetime | None):
    qs = AttemptItem.objects.filter(attempt__state__in=FINISHED)
    if since is not None:
        qs = qs.filter(attempt__submitted_at__gte=since)
    return qs


def _window_start(days: int | None) -> datetime.datetime | None:
    return timezone.now() - datetime.timedelta(days=days) if days else None


@dataclass
class TopicRate:
    topic_id: int
    name: str
    answered: int
    correct: int

    @property
    def rate(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    @property
    def percent(self) -> float:
        return round(self.rate * 100, 1)


def member_mastery(member, *, days: int | None = MASTERY_WINDOW_DAYS) -> list[TopicRate]:
    """% correct per topic of one member's finished attempts in the window, one grouped query."""
    rows = (
        _finished_items(_window_start(days))
        .filter(member=member, question__topics__isnull=False)
        .values("question__topics", "question__topics__name")
        .annotate(n=Count("pk"), right=Count("pk", filter=Q(correct=True)))
        .order_by()
    )
    result = [TopicRate(r["question__topics"], r["question__topics__name"], r["n"], r["right"]) for r in rows]
    return sorted(result, key=lambda t: (t.rate, -t.answered, t.name))


def weak_topics(
    member,
    limit: int = 3,
    *,
    min_answered: int = MIN_ANSWERED,
    below: float = WEAK_BELOW,
    days=MASTERY_WINDOW_DAYS,
) -> list[tuple[int, str, float, int]]:
    """The member's weakest topics for recommendations: (topic_id, topic_name, rate 0–1, answered), weakest
    first. Only topics answered at least `min_answered` times in the window and below `below` correct."""
    return [
        (t.topic_id, t.name, t.rate, t.answered)
        for t in member_mastery(member, days=days)
        if t.answered >= min_answered and t.rate < below
    ][:limit]


@dataclass
class MasteryTable:
    org: Organization
    topics: list[tuple[int, str]]
    rows: list[tuple[Organization, dict[int, TopicRate]]]  # child subtrees (and the org's own members)
    total: dict[int, TopicRate]


def org_mastery(org: Organization, *, days: int | None = MASTERY_WINDOW_DAYS) -> MasteryTable:
    """% correct per topic for the members of `org`'s subtree, split by its direct children: one grouped query
    (members are grouped by the prefix of their organisation's path that names the child)."""
    from partyedu.orgs.models import subtree_q

    width = len(org.path) + PATH_STEP
    rows = (
        _finished_items(_window_start(days))
        .filter(subtree_q(org.path, "member__organization__path"), question__topics__isnull=False)
        .annotate(child=Substr("member__organization__path", 1, width))
        .values("child", "question__topics", "question__topics__name")
        .annotate(n=Count("pk"), right=Count("pk", filter=Q(correct=True)))
        .order_by()
    )
    topics: dict[int, str] = {}
    by_child: dict[str, dict[int, TopicRate]] = {}
    total: dict[int, TopicRate] = {}
    for r in rows:
        tid, name = r["question__topics"], r["question__topics__name"]
        topics[tid] = name
        child = r["child"] if len(r["child"]) == width else org.path
        cell = by_child.setdefault(child, {}).setdefault(tid, TopicRate(tid, name, 0, 0))
        cell.answered += r["n"]
        cell.correct += r["right"]
        t = total.setdefault(tid, TopicRate(tid, name, 0, 0))
        t.answered += r["n"]
        t.correct += r["right"]
    orgs = {o.path: o for o in Organization.objects.filter(path__in=list(by_child))}
    table_rows = [(orgs[p], by_child[p]) for p in sorted(by_child) if p in orgs]
    return MasteryTable(
        org=org,
        topics=sorted(topics.items(), key=lambda kv: kv[1]),
        rows=table_rows,
        total=total,
    )


def mastery_orgs(user) -> QuerySet[Organization]:
    """Organisations whose members' mastery the user may read."""
    return Access.of(user).orgs(C.VIEW_MEMBERS).filter(dissolved_on__isnull=True).order_by("path")
