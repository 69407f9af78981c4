"""Reads of the materials library: what a user may see, and the search over it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.http import Http404

from partyedu.accounts.access import Access, Capability

from . import search
from .models import Material, SearchToken

PAGE_SIZE = 20


def visible_q(access: Access, prefix: str = "") -> Q:
    """A material is seen by members inside its visible subtree, and by the workers managing its publisher."""
    if access.is_superuser:
        return Q()
    anchors = [org for _, org in access.roles]
    if access.member_id:
        from partyedu.members.models import Member

        anchors += [
            m.organization for m in Member.objects.filter(pk=access.member_id).select_related("organization")
        ]
    paths = {p for org in anchors for p in [*org.ancestor_paths, org.path]}
    q = Q(**{f"{prefix}visible_path__in": sorted(paths)}) if paths else Q(pk__in=[])
    return q | access.org_q(Capability.MANAGE_ORG, f"{prefix}publisher__path")


def visible_material(access: Access, pk: int) -> Material:
    material = Material.objects.filter(visible_q(access), pk=pk).select_related("publisher").first()
    if material is None:
        raise Http404("没有找到该学习资料")
    return material


def can_manage(access: Access, material: Material) -> bool:
    return access.can_org(Capability.MANAGE_ORG, material.publisher)


@dataclass
class LibraryFilter:
    q: str = ""
    category: str = ""
    topic: int | None = None
    kind: str = ""


@dataclass
class Hit:
    material: Material
    title: str
    snippet: str


@dataclass
class LibraryPage:
    hits: list[Hit]
    total: int
    number: int
    pages: int
    searched: bool
    terms: list[str] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def _filters(f: LibraryFilter, prefix: str = "") -> Q:
    q = Q()
    if f.category:
        q &= Q(**{f"{prefix}category": f.category})
    if f.kind:
        q &= Q(**{f"{prefix}kind": f.kind})
    if f.topic:
        q &= Q(**{f"{prefix}topics": f.topic})
    return q


def _page_rows(qs: QuerySet[Material]) -> QuerySet[Material]:
    return qs.select_related("publisher").defer("body")


def library(user, f: LibraryFilter, page: int = 1, page_size: int = PAGE_SIZE) -> LibraryPage:
    """One page of the library; with a query, the page of search results, best first.

    Cost does not depend on the number of rows: a count, one grouped query over the index (or the plain list),
    and one query for the page's materials.
    """
    access = Access.of(user)
    allowed = visible_q(access) & _filters(f)
    tokens = search.query_tokens(f.q)
    page = max(1, page)
    if not tokens:
        qs = Material.objects.filter(allowed)
        total = qs.count()
        pages = max(1, -(-total // page_size))
        page = min(page, pages)
        rows = list(
            _page_rows(qs.order_by("-published_at", "-pk"))[(page - 1) * page_size : page * page_size]
        )
        hits = [Hit(m, m.title, m.summary or m.body_text[:120]) for m in rows]
        return LibraryPage(hits, total, page, pages, searched=False)

    # Every query token present: one grouped query over the index. Title tokens rank first, then recency.
    grouped = (
        SearchToken.objects.filter(token__in=tokens)
        .filter(visible_q(access, "material__") & _filters(f, "material__"))
        .values("material_id")
        .annotate(hits=Count("token"), in_title=Sum(Cast("in_title", IntegerField())))
        .filter(hits=len(tokens))
    )
    total = grouped.count()
    pages = max(1, -(-total // page_size))
    page = min(page, pages)
    ranked = list(
        grouped.order_by("-in_title", "-material__published_at", "-material_id").values_list(
            "material_id", flat=True
        )[(page - 1) * page_size : page * page_size]
    )
    by_pk = _page_rows(Material.objects.filter(pk__in=ranked)).in_bulk()
    terms = search.query_terms(f.q)
    hits = []
    for pk in ranked:
        m = by_pk[pk]
        # The bigrams matched; the phrase may still not be there ("党建…建设" for "党建设"): check the text.
        if not search.matches(terms, m.title, m.summary, m.tags, m.body_text):
            continue
        body = m.body_text if search.matches(terms, m.body_text) else (m.summary or m.body_text)
        hits.append(Hit(m, search.highlight(m.title, terms), search.snippet(body, terms)))
    return LibraryPage(hits, total, page, pages, searched=True, terms=terms)
