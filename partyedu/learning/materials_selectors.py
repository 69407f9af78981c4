"""Reads of the materials library: what a user may see, and the search over it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from partyedu.accounts.access import Access, Capability

from . import search
from .models import Material, SearchToken

PAGE_SIZE = 20


def _reader_paths(access: Access) -> list[str]:
    """The visible_path values this user reads: his organisations' (roles and membership) and their ancestors'."""
    anchors = [org for _, org in access.roles]
    if access.member_id:
        from partyedu.members.models import Member

        anchors += [
            m.organization for m in Member.objects.filter(pk=access.member_id).select_related("organization")
        ]
    return sorted({p for org in anchors for p in [*org.ancestor_paths, org.path]})


def visible_q(access: Access, prefix: str = "") -> Q:
    """A material is seen by members inside its visible subtree, and by the workers managing its publisher."""
    if access.is_superuser:
        return Q()
    paths = _reader_paths(access)
    q = Q(**{f"{prefix}visible_path__in": paths}) if paths else Q(pk__in=[])
    return q | access.org_q(Capability.MANAGE_ORG, f"{prefix}publisher__path")


def index_visible_q(access: Access) -> Q:
    """`visible_q` on the index rows' copy of visible_path: a worker managing a publisher sees its subtree-only
    materials, whose visible_path is the publisher's path, inside his subtree; county-wide ones carry the root's
    path, which is among his ancestors' anyway."""
    if access.is_superuser:
        return Q()
    paths = _reader_paths(access)
    q = Q(visible_path__in=paths) if paths else Q(pk__in=[])
    return q | access.org_q(Capability.MANAGE_ORG, "visible_path")


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
    capped: bool = False  # more matches than COUNT_CAP: the total shows as "1000+"

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

    No per-row queries. Without a query: a count and the page. With one: the tokens' rarity, a capped count,
    the title matches, the rest of the page, and the page's materials.
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

    # Every query token present. The walk starts from the rarest token's index rows (visibility read from the
    # index entry) and probes the others by (token, material); title matches first, then newest first. Counting
    # stops at COUNT_CAP, so a query made of common bigrams costs no more than a page of rare ones.
    counts = _token_counts(tokens)
    if min(counts) == 0:
        return LibraryPage([], 0, 1, 1, searched=True, terms=search.query_terms(f.q))
    rarest = tokens[counts.index(min(counts))]
    vis = index_visible_q(access)
    extra = _filters(f, "material__")
    total = _matching(tokens, rarest, vis, extra).order_by().values("material_id")[: COUNT_CAP + 1].count()
    capped = total > COUNT_CAP
    total = min(total, COUNT_CAP)
    pages = max(1, -(-total // page_size))
    page = min(page, pages)
    offset = (page - 1) * page_size
    title_ids = list(
        _matching(tokens, rarest, vis, extra, title=True)
        .order_by("-material_id")
        .values_list("material_id", flat=True)[:COUNT_CAP]
    )
    ranked = title_ids[offset : offset + page_size]
    need = page_size - len(ranked)
    if need > 0:
        # not a title match: some token (the rarest too) has no title row for this material
        probes = {f"t{i}": _probe(token, title=True) for i, token in enumerate(tokens)}
        everywhere = Q(*[Q(**{f"{name}__isnull": False}) for name in probes])
        start = max(0, offset - len(title_ids))
        ranked += list(
            _matching(tokens, rarest, vis, extra)
            .alias(**probes)
            .exclude(everywhere)
            .order_by("-material_id")
            .values_list("material_id", flat=True)[start : start + need]
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
    return LibraryPage(hits, total, page, pages, searched=True, terms=terms, capped=capped)


COUNT_CAP = 1000
# How far the rarity probe counts each token's index rows: beyond this a token is "common", and which common one
# leads the walk matters little.
RARITY_PROBE = 5000


def _token_counts(tokens: list[str]) -> list[int]:
    """Index rows per query token, each counted up to RARITY_PROBE, in one query (scalar subqueries)."""
    if len(tokens) == 1:
        return [1]
    table = connection.ops.quote_name(SearchToken._meta.db_table)
    parts = ", ".join(
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE token = %s LIMIT {RARITY_PROBE}) AS t{i})"
        for i in range(len(tokens))
    )
    with connection.cursor() as cur:
        cur.execute(f"SELECT {parts}", tokens)  # noqa: S608 - table name and ints only; tokens are parameters
        return list(cur.fetchone())


def _probe(token: str, *, title: bool = False) -> Subquery:
    """The material's row for `token` (title rows only, with `title`), as a correlated scalar subquery: answered
    by one index probe per candidate. Unlike EXISTS, PostgreSQL does not turn it into a join that reads every
    row of a common token; the unique (token, material, …) index makes it at most one row."""
    rows = SearchToken.objects.filter(token=token, material_id=OuterRef("material_id"))
    if title:
        rows = rows.filter(in_title=True)
    return Subquery(rows.values("material_id")[:1])


def _matching(tokens: list[str], rarest: str, vis: Q, extra: Q, *, title: bool = False) -> QuerySet:
    """Index rows of the rarest token whose material holds every other token (in its title, with `title`)."""
    qs = SearchToken.objects.filter(vis, token=rarest)
    if title:
        qs = qs.filter(in_title=True)
    others = [t for t in tokens if t != rarest]
    if others:
        names = {f"p{i}": _probe(token, title=title) for i, token in enumerate(others)}
        qs = qs.alias(**names).filter(**{f"{name}__isnull": False for name in names})
    return qs.filter(extra) if extra else qs
