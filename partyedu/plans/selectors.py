"""Reads of reading plans: who may see which plan, and progress per member and per organisation.

Progress is never stored: an item is done for a member when his `StudyRecord` of the material is completed
(verified study, kept by the learning app) or when he marked the book read. Each assignment row is annotated with
two correlated counts (required items done; required items due before today done), so a progress page is a
grouped query over assignments whatever the size of the audience.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Length, Substr
from django.http import Http404
from django.utils import timezone

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.learning.models import StudyRecord
from partyedu.orgs.models import SEGMENT, Organization, OrganizationKind, subtree_q

from .models import BookReading, PlanAssignment, PlanStatus, ReadingPlan, ReadingPlanItem


# --- which plans ---------------------------------------------------------------------------------------------
def worker_plans(user) -> QuerySet[ReadingPlan]:
    """Assigned plans of the organisations where the user has CHANGE_MEMBERS, with their figures."""
    access = Access.of(user)
    active = Q(assignments__left_on__isnull=True)
    return (
        ReadingPlan.objects.filter(
            access.org_q(C.CHANGE_MEMBERS, "organization__path"), organization__isnull=False
        )
        .select_related("organization")
        .annotate(
            assigned=Count("assignments", filter=active, distinct=True),
            item_count=Count("items", distinct=True),
        )
        .order_by("-year", "organization__depth", "organization__path", "-pk")
    )


def worker_plan(user, pk: int) -> ReadingPlan:
    plan = (
        ReadingPlan.objects.select_related("organization").filter(pk=pk, organization__isnull=False).first()
    )
    if plan is None or not Access.of(user).can_org(C.CHANGE_MEMBERS, plan.organization):
        raise Http404("没有找到该读书计划")
    return plan


def upper_plans(user) -> QuerySet[ReadingPlan]:
    """Published plans assigned from above the user's own scope (say the county's 必读书目 for a branch
    secretary): he follows up his own members on them, and manages nothing of them."""
    access = Access.of(user)
    if access.is_superuser:
        return ReadingPlan.objects.none()
    roots = access.scope_roots(C.CHANGE_MEMBERS)
    above = sorted({p for org in roots for p in org.ancestor_paths})
    return (
        ReadingPlan.objects.filter(organization__path__in=above, status=PlanStatus.PUBLISHED)
        .exclude(access.org_q(C.CHANGE_MEMBERS, "organization__path"))
        .select_related("organization")
        .order_by("-year", "-created_at", "-pk")
    )


def followed_plan(user, pk: int) -> tuple[ReadingPlan, Organization, bool]:
    """A plan whose progress the user may follow: (plan, the organisation his view starts from, may manage).

    Its managers see it from the plan's organisation; the workers of an organisation below it see their own
    subtree of a published plan. Anybody else: 404."""
    plan = (
        ReadingPlan.objects.select_related("organization").filter(pk=pk, organization__isnull=False).first()
    )
    if plan is None:
        raise Http404("没有找到该读书计划")
    access = Access.of(user)
    if access.can_org(C.CHANGE_MEMBERS, plan.organization):
        return plan, plan.organization, True
    if plan.status != PlanStatus.DRAFT:
        for org in access.scope_roots(C.CHANGE_MEMBERS):
            if org.is_in_subtree_of(plan.organization):
                return plan, org, False
    raise Http404("没有找到该读书计划")


def editable_plan(user, pk: int) -> ReadingPlan:
    """A plan the user may change: a worker's assigned plan, or his own personal plan."""
    plan = ReadingPlan.objects.select_related("organization", "member__organization").filter(pk=pk).first()
    if plan is None:
        raise Http404("没有找到该读书计划")
    if plan.is_personal:
        if plan.member_id != getattr(user, "member_id", None):
            raise Http404("没有找到该读书计划")
    elif not Access.of(user).can_org(C.CHANGE_MEMBERS, plan.organization):
        raise Http404("没有找到该读书计划")
    return plan


def my_plans(member) -> QuerySet[PlanAssignment]:
    """The plans that apply (or applied) to a member: published assigned plans and his own personal plans."""
    return (
        PlanAssignment.objects.filter(member=member)
        .exclude(plan__status=PlanStatus.DRAFT)
        .select_related("plan__organization")
        .order_by(F("left_on").asc(nulls_first=True), "-plan__year", F("plan__deadline").asc(nulls_last=True))
    )


def my_plan(user, pk: int) -> tuple[ReadingPlan, PlanAssignment]:
    member_id = getattr(user, "member_id", None)
    assignment = (
        PlanAssignment.objects.filter(plan_id=pk, member_id=member_id)
        .exclude(plan__status=PlanStatus.DRAFT)
        .select_related("plan__organization", "plan__member", "member")
        .first()
        if member_id
        else None
    )
    if assignment is None:
        raise Http404("没有找到该读书计划")
    return assignment.plan, assignment


# --- progress ------------------------------------------------------------------------------------------------
def _count_done(items: list[ReadingPlanItem]):
    """An expression: how many of `items` the assignment's member has done."""
    materials = [i.material_id for i in items if i.material_id]
    books = [i.pk for i in items if not i.material_id]
    expr = Value(0, output_field=IntegerField())
    if materials:
        studied = (
            StudyRecord.objects.filter(
                member_id=OuterRef("member_id"), material_id__in=materials, completed_at__isnull=False
            )
            .order_by()
            .values("member_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        expr = expr + Coalesce(Subquery(studied, output_field=IntegerField()), 0)
    if books:
        read = (
            BookReading.objects.filter(member_id=OuterRef("member_id"), item_id__in=books)
            .order_by()
            .values("member_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        expr = expr + Coalesce(Subquery(read, output_field=IntegerField()), 0)
    return expr


@dataclass
class OrgProgress:
    org: Organization | None
    label: str
    assigned: int = 0
    finished: int = 0
    overdue: int = 0

    @property
    def unfinished(self) -> int:
        return self.assigned - self.finished

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.assigned) if self.assigned else 0


@dataclass
class Progress:
    """The figures of one plan as of `today`: its items, which are required, which are due (overdue if not done)."""

    plan: ReadingPlan
    today: datetime.date
    items: list[ReadingPlanItem] = field(default_factory=list)

    def __post_init__(self):
        if not self.items:
            self.items = list(self.plan.items.select_related("material").order_by("order", "pk"))
        self.required = [i for i in self.items if i.required]
        self.due = [i for i in self.required if i.due(self.plan) and i.due(self.plan) < self.today]

    @property
    def required_count(self) -> int:
        return len(self.required)

    def assignments(self, root: Organization | None = None) -> QuerySet[PlanAssignment]:
        """Active assignments, annotated with `done` (required items done) and `done_due`; inside `root` when
        given (by the member's current organisation: a member transferred out drops out of it at once)."""
        qs = PlanAssignment.objects.filter(plan=self.plan, left_on__isnull=True)
        if root is not None:
            qs = qs.filter(subtree_q(root.path, "member__organization__path"))
        return qs.annotate(done=_count_done(self.required), done_due=_count_done(self.due))

    def finished_q(self) -> Q:
        return Q(done__gte=len(self.required))

    def overdue_q(self) -> Q:
        return Q(done_due__lt=len(self.due)) if self.due else Q(pk__in=[])

    def totals(self, root: Organization | None = None) -> OrgProgress:
        row = self.assignments(root).aggregate(
            assigned=Count("pk"),
            finished=Sum(Case(When(self.finished_q(), then=1), default=0, output_field=IntegerField())),
            overdue=Sum(Case(When(self.overdue_q(), then=1), default=0, output_field=IntegerField())),
        )
        return OrgProgress(root, "合计", row["assigned"], row["finished"] or 0, row["overdue"] or 0)

    def by_child(self, root: Organization) -> list[OrgProgress]:
        """One row per child organisation of `root` (its whole subtree) plus one for root's own members:
        one grouped query, and one for the children's names."""
        width = len(root.path) + SEGMENT
        grouped = (
            self.assignments(root)
            .annotate(branch=Substr("member__organization__path", 1, width))
            .values("branch")
            .annotate(
                assigned=Count("pk"),
                finished=Sum(Case(When(self.finished_q(), then=1), default=0, output_field=IntegerField())),
                overdue=Sum(Case(When(self.overdue_q(), then=1), default=0, output_field=IntegerField())),
            )
            .order_by("branch")
        )
        figures = {g["branch"]: g for g in grouped}
        children = list(
            Organization.objects.filter(parent=root)
            .exclude(kind=OrganizationKind.GROUP)  # members are enrolled in the branch, never in its groups
            .filter(Q(dissolved_on__isnull=True) | Q(path__in=list(figures)))
            .order_by("order", "path")
        )
        rows = []
        own = figures.get(root.path)
        if own:
            rows.append(
                OrgProgress(root, f"{root.name}（本级）", own["assigned"], own["finished"], own["overdue"])
            )
        for child in children:
            g = figures.get(child.path, {})
            rows.append(
                OrgProgress(
                    child, child.name, g.get("assigned", 0), g.get("finished") or 0, g.get("overdue") or 0
                )
            )
        return rows

    def member_rows(self, root: Organization | None = None, show: str = "all") -> QuerySet[PlanAssignment]:
        qs = self.assignments(root).select_related("member__organization")
        if show == "overdue":
            qs = qs.filter(self.overdue_q())
        elif show == "unfinished":
            qs = qs.exclude(self.finished_q())
        elif show == "finished":
            qs = qs.filter(self.finished_q())
        return qs.order_by("member__organization__path", "member__sort_key", "pk")

    def overdue_items_of(self, members: list[int]) -> dict[int, list[ReadingPlanItem]]:
        """For a page (or an export) of members: which due items each has not done. Two queries."""
        done = self.done_by(members, self.due)
        return {m: [i for i in self.due if i.pk not in done.get(m, set())] for m in members}

    def done_by(self, members: list[int], items: list[ReadingPlanItem] | None = None) -> dict[int, set[int]]:
        """member id → the ids of the items (of `items`, default all) he has done."""
        items = self.items if items is None else items
        by_material = {i.material_id: i.pk for i in items if i.material_id}
        books = [i.pk for i in items if not i.material_id]
        done: dict[int, set[int]] = {m: set() for m in members}
        if by_material and members:
            for member_id, material_id in StudyRecord.objects.filter(
                member_id__in=members, material_id__in=list(by_material), completed_at__isnull=False
            ).values_list("member_id", "material_id"):
                done[member_id].add(by_material[material_id])
        if books and members:
            for member_id, item_id in BookReading.objects.filter(
                member_id__in=members, item_id__in=books
            ).values_list("member_id", "item_id"):
                done[member_id].add(item_id)
        return done


@dataclass
class ItemStatus:
    item: ReadingPlanItem
    done: bool
    due: datetime.date | None
    overdue: bool
    record: StudyRecord | None = None
    reading: BookReading | None = None

    @property
    def percent(self) -> int:
        """How far the member's verified study of a library item has come (100 once done)."""
        if self.done:
            return 100
        if self.record is None:
            return 0
        from partyedu.learning import study

        m = self.item.material
        if m.kind in study.MEDIA_KINDS and m.duration_seconds:
            return min(99, round(100 * self.record.watched_fraction))
        need = study.required_seconds(m.kind, m.reading_minutes, m.duration_seconds)
        return min(99, round(100 * self.record.seconds / need)) if need else 0


@dataclass
class MemberProgress:
    items: list[ItemStatus]
    required: int
    done_required: int
    overdue: bool

    @property
    def finished(self) -> bool:
        return self.done_required >= self.required

    @property
    def percent(self) -> int:
        return round(100 * self.done_required / self.required) if self.required else 100


def member_progress(plan: ReadingPlan, member, today: datetime.date | None = None) -> MemberProgress:
    """Each item's status for one member: three queries (items, study records, book readings)."""
    return member_progress_many([plan], member, today)[plan.pk]


def member_progress_many(
    plans: list[ReadingPlan], member, today: datetime.date | None = None
) -> dict[int, MemberProgress]:
    """The member's progress on several plans at once (我的读书计划): three queries whatever their number."""
    today = today or timezone.localdate()
    by_plan: dict[int, list[ReadingPlanItem]] = {p.pk: [] for p in plans}
    for item in (
        ReadingPlanItem.objects.filter(plan__in=[p.pk for p in plans])
        .select_related("material")
        .order_by("plan_id", "order", "pk")
    ):
        by_plan[item.plan_id].append(item)
    materials = {i.material_id for items in by_plan.values() for i in items if i.material_id}
    records = {r.material_id: r for r in StudyRecord.objects.filter(member=member, material_id__in=materials)}
    readings = {
        r.item_id: r for r in BookReading.objects.filter(member=member, item__plan__in=[p.pk for p in plans])
    }
    result = {}
    for plan in plans:
        statuses = []
        for item in by_plan[plan.pk]:
            record = records.get(item.material_id) if item.material_id else None
            reading = readings.get(item.pk)
            done = bool(record and record.completed_at) if item.material_id else reading is not None
            due = item.due(plan)
            overdue = bool(item.required and not done and due and due < today)
            statuses.append(ItemStatus(item, done, due, overdue, record, reading))
        required = [s for s in statuses if s.item.required]
        result[plan.pk] = MemberProgress(
            statuses, len(required), sum(1 for s in required if s.done), any(s.overdue for s in statuses)
        )
    return result


def scope_root(user, base: Organization, org_pk: str | int | None) -> Organization:
    """The organisation whose breakdown a worker looks at: `base`, or one inside it he may see."""
    if org_pk:
        try:
            wanted = Organization.objects.filter(pk=int(org_pk)).first()
        except (TypeError, ValueError):
            wanted = None
        if (
            wanted is not None
            and wanted.is_in_subtree_of(base)
            and Access.of(user).can_org(C.VIEW_MEMBERS, wanted)
        ):
            return wanted
    return base


def breadcrumbs(base: Organization, root: Organization) -> list[Organization]:
    """From `base` down to `root` (one query)."""
    if root.pk == base.pk:
        return [root]
    paths = [p for p in root.ancestor_paths if len(p) >= len(base.path)]
    return [*Organization.objects.filter(path__in=paths).order_by(Length("path")), root]
