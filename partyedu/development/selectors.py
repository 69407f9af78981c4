"""Reads of the development app: where a path stands, which rules are in force, what is due when, the pipeline
board and the cultivation record (培养考察记录)."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.members.models import Member, MemberStatus
from partyedu.orgs.models import Organization, subtree_q

from .dates import add_months, quarter_end, quarter_start
from .models import (
    PROBATION_MONTHS,
    RECURRING,
    SEQUENCE,
    DevelopmentPath,
    DevelopmentStep,
    IntervalRule,
    Outcome,
    PathStatus,
    StepKind,
)

K = StepKind
log = logging.getLogger(__name__)
PIPELINE_STATUSES = [
    MemberStatus.APPLICANT,
    MemberStatus.ACTIVIST,
    MemberStatus.CANDIDATE,
    MemberStatus.PROBATIONARY,
]
REVIEW_MONTHS = 6  # 每半年考察一次 (《细则》第十三条)
PROBATION_REVIEW_MONTHS = 3  # 预备期每季度考察


# --- rules ----------------------------------------------------------------------------------------------------
def rules_in_force(to_kind: str, on: datetime.date) -> list[IntervalRule]:
    return list(
        IntervalRule.objects.filter(to_kind=to_kind, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .order_by("pk")
    )


def current_rules() -> list[IntervalRule]:
    return list(IntervalRule.objects.filter(valid_to__isnull=True).order_by("pk"))


def rule_versions() -> dict:
    """series → versions, newest first, for the rules page."""
    versions = defaultdict(list)
    for rule in IntervalRule.objects.select_related("created_by").order_by("series", "-valid_from"):
        versions[rule.series].append(rule)
    return versions


def can_edit_rules(user) -> bool:
    """The rules are the 工委's: a worker with MANAGE_ORG on a top-level organisation edits them."""
    return any(org.parent_id is None for org in Access.of(user).scope_roots(C.MANAGE_ORG))


class RuleBook:
    """The rules in force on one day, looked up once per page rather than per person."""

    def __init__(self, on: datetime.date):
        self.by_pair = {}
        rules = IntervalRule.objects.filter(valid_from__lte=on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=on)
        )
        for rule in rules:
            self.by_pair[(rule.from_kind, rule.to_kind)] = rule

    def months(self, from_kind: str, to_kind: str, bound: str, default: int) -> int:
        rule = self.by_pair.get((from_kind, to_kind))
        value = getattr(rule, bound, None) if rule else None
        return default if value is None else value


# --- one path -------------------------------------------------------------------------------------------------
class PathState:
    """Where a path stands, from its steps in date order."""

    def __init__(self, path: DevelopmentPath, steps: list[DevelopmentStep], *, replay: bool = False):
        self.path = path
        # replaying a closed path's history judges each step as if the path were still open
        self.is_open = replay or path.status == PathStatus.OPEN
        self.steps = sorted(steps, key=lambda s: (s.on, s.pk or 0))
        self.position = -1
        self.last_one_time: DevelopmentStep | None = None
        for step in self.steps:
            if step.kind in RECURRING:
                continue
            if step.kind == K.FULL_APPROVAL and step.outcome == Outcome.EXTENDED:
                # 延长预备期: the 转正 steps are taken again once the longer probation is over.
                self.position = SEQUENCE.index(K.OATH)
            else:
                self.position = SEQUENCE.index(step.kind)
            self.last_one_time = step

    @property
    def next_kind(self) -> str | None:
        if not self.is_open or self.position + 1 >= len(SEQUENCE):
            return None
        return SEQUENCE[self.position + 1]

    @property
    def next_label(self) -> str:
        return StepKind(self.next_kind).label if self.next_kind else ""

    def last_of(self, kind: str) -> DevelopmentStep | None:
        found = [s for s in self.steps if s.kind == kind]
        return found[-1] if found else None

    def all_of(self, kind: str) -> list[DevelopmentStep]:
        return [s for s in self.steps if s.kind == kind]

    def done(self, kind: str) -> bool:
        return any(
            s.kind == kind and not (s.kind == K.FULL_APPROVAL and s.outcome == Outcome.EXTENDED)
            for s in self.steps
        )

    @property
    def probation_ends_on(self) -> datetime.date | None:
        approval = self.last_of(K.APPROVAL)
        if approval is None:
            return None
        return add_months(approval.on, PROBATION_MONTHS + self.extension_months)

    @property
    def extension_months(self) -> int:
        return sum(
            s.extension_months or 0
            for s in self.steps
            if s.kind == K.FULL_APPROVAL and s.outcome == Outcome.EXTENDED
        )

    def allowed_kinds(self) -> list[str]:
        """What the 'record next step' form offers: the next one-time step and the recurring ones now open."""
        if not self.is_open:
            return []
        kinds = [self.next_kind] if self.next_kind else []
        for kind, (opens, closes) in RECURRING.items():
            if self.done(opens) and not self.done(closes):
                kinds.append(kind)
        return kinds


def path_state(path: DevelopmentPath) -> PathState:
    return PathState(
        path,
        list(
            path.steps.select_related("first_person", "second_person", "training_enrolment__training_class")
        ),
    )


def latest_path_of(member: Member) -> DevelopmentPath | None:
    """His latest path (the open one, or the last closed one)."""
    return DevelopmentPath.objects.filter(member=member).order_by("-pk").first()


# --- what is due ----------------------------------------------------------------------------------------------
@dataclass
class Due:
    member: Member
    path: DevelopmentPath
    code: str
    label: str
    due_on: datetime.date
    overdue: bool


def due_items(state: PathState, today: datetime.date, book: RuleBook) -> list[Due]:
    path, member = state.path, state.path.member
    items: list[Due] = []

    def add(code: str, label: str, due_on: datetime.date, can_be_late: bool = True):
        items.append(Due(member, path, code, label, due_on, can_be_late and due_on < today))

    if path.status != PathStatus.OPEN:
        return items
    nxt = state.next_kind
    application = state.last_of(K.APPLICATION)
    if nxt == K.TALK and application:
        months = book.months(K.APPLICATION, K.TALK, "max_months", 1)
        add("talk", "党组织派人谈话", add_months(application.on, months))
    activist = state.last_of(K.ACTIVIST)
    if activist and not state.done(K.BRANCH_VOTE):
        last_review = state.last_of(K.REVIEW)
        base = max(activist.on, last_review.on) if last_review else activist.on
        add("review", "半年考察", add_months(base, REVIEW_MONTHS))
    if activist and not state.done(K.FULL_APPROVAL):
        start = quarter_start(today)
        if not any(s.kind == K.REPORT and s.on >= start for s in state.steps):
            add("report", "本季度思想汇报", quarter_end(today), can_be_late=False)
    if nxt == K.CANDIDATE and activist:
        months = book.months(K.ACTIVIST, K.CANDIDATE, "min_months", 12)
        add("candidate", "可确定为发展对象", add_months(activist.on, months), can_be_late=False)
    vote = state.last_of(K.BRANCH_VOTE)
    if vote and not state.done(K.APPROVAL):
        months = book.months(K.BRANCH_VOTE, K.APPROVAL, "max_months", 3)
        add("approval", "上级党委审批（支部大会后三个月内）", add_months(vote.on, months))
    approval = state.last_of(K.APPROVAL)
    if approval and not state.done(K.FULL_APPROVAL):
        last_review = state.last_of(K.PROBATION_REVIEW)
        base = max(approval.on, last_review.on) if last_review else approval.on
        add("probation_review", "预备期季度考察", add_months(base, PROBATION_REVIEW_MONTHS))
        if nxt in (K.OATH, K.FULL_APPLICATION, K.FULL_VOTE):
            add("full_due", "预备期满，应讨论转正", state.probation_ends_on)
    full_vote = state.last_of(K.FULL_VOTE)
    if nxt == K.FULL_APPROVAL and full_vote:
        months = book.months(K.FULL_VOTE, K.FULL_APPROVAL, "max_months", 3)
        add("full_approval", "上级党委审批转正（三个月内）", add_months(full_vote.on, months))
    return items


def paths_in(org_q: Q):
    return (
        DevelopmentPath.objects.filter(status=PathStatus.OPEN, member__left_on__isnull=True)
        .filter(org_q)
        .select_related("member__organization")
    )


def steps_by_path(path_ids) -> dict[int, list[DevelopmentStep]]:
    grouped: dict[int, list[DevelopmentStep]] = defaultdict(list)
    for step in DevelopmentStep.objects.filter(path_id__in=list(path_ids)).order_by("on", "pk"):
        grouped[step.path_id].append(step)
    return grouped


def calendar_items(
    org_q: Q,
    today: datetime.date,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    overdue: bool = True,
) -> list[Due]:
    """Items due between `start` and `end` (inclusive), and, with `overdue`, every overdue one; by due date."""
    paths = list(paths_in(org_q))
    steps = steps_by_path(p.pk for p in paths)
    book = RuleBook(today)
    items = []
    for path in paths:
        for item in due_items(PathState(path, steps[path.pk]), today, book):
            in_range = (start is None or item.due_on >= start) and (end is None or item.due_on <= end)
            if in_range or (overdue and item.overdue):
                items.append(item)
    items.sort(key=lambda d: (d.due_on, d.member.sort_key))
    return items


def path_org_q(org: Organization) -> Q:
    return subtree_q(org.path, "member__organization__path")


# --- the board ------------------------------------------------------------------------------------------------
def stage_counts(org: Organization) -> list[dict]:
    counts = dict(
        Member.objects.current()
        .in_subtree(org)
        .filter(status__in=PIPELINE_STATUSES)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return [{"status": s, "label": s.label, "count": counts.get(s, 0)} for s in PIPELINE_STATUSES]


def stage_columns(org: Organization, per_stage: int = 8) -> list[dict]:
    """The board's columns: for each stage its count and the first people (one query per stage)."""
    columns = stage_counts(org)
    for column in columns:
        column["people"] = list(
            Member.objects.current()
            .in_subtree(org)
            .filter(status=column["status"])
            .order_by("sort_key")
            .only("pk", "name", "sort_key")[:per_stage]
        )
    return columns


def pipeline_people(org: Organization, status: str | None):
    qs = (
        Member.objects.current()
        .in_subtree(org)
        .filter(status__in=[status] if status else PIPELINE_STATUSES)
        .select_related("organization")
        .order_by("status", "sort_key")
    )
    return qs


def annotate_rows(members, today: datetime.date) -> list[dict]:
    """Board rows for one page of members: his open path's next step and nearest due item, in three queries."""
    members = list(members)
    paths = {
        p.member_id: p
        for p in DevelopmentPath.objects.filter(member_id__in=[m.pk for m in members], status=PathStatus.OPEN)
    }
    steps = steps_by_path(p.pk for p in paths.values())
    book = RuleBook(today)
    rows = []
    for member in members:
        path = paths.get(member.pk)
        row = {"member": member, "path": path, "next": "", "due": None}
        if path is not None:
            path.member = member
            state = PathState(path, steps[path.pk])
            row["next"] = state.next_label
            items = due_items(state, today, book)
            overdue = [i for i in items if i.overdue]
            row["due"] = overdue[0] if overdue else (min(items, key=lambda i: i.due_on) if items else None)
        rows.append(row)
    return rows


# --- the cultivation record -----------------------------------------------------------------------------------
def _optional_record(module: str, function: str, member) -> list:
    """Volunteer service and practice records come from apps written alongside this one; while they are missing
    the record shows none rather than failing."""
    import importlib

    try:
        reader = getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError):
        return []
    try:
        return list(reader(member) or [])
    except Exception:  # another app's bug must not take the cultivation record down with it
        log.exception("%s.%s failed", module, function)
        return []


def volunteer_record(member) -> list:
    return _optional_record("partyedu.volunteering.selectors", "member_volunteer_record", member)


def practice_record(member) -> list:
    return _optional_record("partyedu.practice.selectors", "member_practice_record", member)


def completed_trainings(member) -> list:
    from partyedu.training.models import EnrolmentStatus
    from partyedu.training.selectors import my_enrolments

    return [e for e in my_enrolments(member) if e.status == EnrolmentStatus.COMPLETED]


def cultivation_record(path: DevelopmentPath) -> dict:
    state = path_state(path)
    member = path.member
    contacts = state.last_of(K.CONTACTS)
    introducers = state.last_of(K.INTRODUCERS)
    return {
        "path": path,
        "member": member,
        "state": state,
        "milestones": [s for s in state.steps if s.kind not in RECURRING],
        "reviews": state.all_of(K.REVIEW),
        "reports": state.all_of(K.REPORT),
        "probation_reviews": state.all_of(K.PROBATION_REVIEW),
        "contacts": [contacts.first_person, contacts.second_person] if contacts else [],
        "introducers": [introducers.first_person, introducers.second_person] if introducers else [],
        "trainings": completed_trainings(member),
        "volunteering": volunteer_record(member),
        "practice": practice_record(member),
    }
