"""Reads of 民主评议: the campaigns a worker may see, a branch's table, and the indicator sheet of 书记抓党建述职评议
and the unit scorecards (each indicator one grouped query over the whole subtree, never one per row)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db.models import Avg, Count, Q

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.members.models import Member
from partyedu.orgs.models import Organization, subtree_q

from .models import Campaign, MassResponse, Participant, PeerRating, ReviewRating


def campaigns_for(user):
    """Campaigns over the user's scope, or whose subtree holds one of his organisations."""
    access = Access.of(user)
    orgs = access.orgs(C.VIEW_ORG)
    ids = Participant.objects.filter(branch__in=orgs).values("campaign_id")
    return (
        Campaign.objects.filter(Q(root__in=orgs) | Q(pk__in=ids))
        .select_related("root")
        .order_by("-year", "-pk")
    )


def branches_of(campaign: Campaign, user, cap=C.VIEW_MEMBERS) -> list[dict]:
    """The campaign's branches this user may see, with their counts (one grouped query)."""
    access = Access.of(user)
    return list(
        Participant.objects.filter(campaign=campaign, branch__in=access.orgs(cap))
        .values("branch_id", "branch__name", "branch__path")
        .annotate(
            people=Count("pk"),
            graded_n=Count("pk", filter=Q(graded=True)),
            self_done=Count("pk", filter=Q(self_submitted_at__isnull=False)),
            decided=Count("pk", filter=~Q(final_grade="")),
            excellent=Count("pk", filter=Q(final_grade="excellent")),
        )
        .order_by("branch__path")
    )


def branch_rows(campaign: Campaign, branch_id: int) -> list[Participant]:
    """A branch's participants with peer and mass averages (three queries whatever the size)."""
    from .models import GRADE_SCORE

    people = list(Participant.objects.filter(campaign=campaign, branch_id=branch_id).select_related("member"))
    ids = [p.pk for p in people]

    def averages(qs):
        sums: dict[int, list[int]] = {}
        for ratee_id, grade in qs.filter(ratee_id__in=ids).values_list("ratee_id", "grade"):
            sums.setdefault(ratee_id, []).append(GRADE_SCORE[grade])
        return {k: (Decimal(sum(v)) / len(v)).quantize(Decimal("0.1")) for k, v in sums.items()}

    peer, mass = averages(PeerRating.objects), averages(MassResponse.objects)
    for p in people:
        p.peer_avg, p.mass_avg = peer.get(p.pk), mass.get(p.pk)
        p.mass_n = None
        comps = p.components or {}
        p.points_raw = comps.get("points", {}).get("raw", "")
        p.attendance_raw = comps.get("attendance", {}).get("raw", "")
        p.hours_raw = comps.get("hours", {}).get("raw", "")
    return people


# --- indicators: 书记抓党建述职评议 and scorecards ---------------------------------------------------------------
@dataclass
class Indicators:
    org: Organization
    members: int = 0
    judged_items: int = 0
    met_items: int = 0
    expected: int = 0
    present: int = 0
    covered: int = 0  # members at or above their statutory 学时
    hours_total: Decimal = Decimal("0")
    studied: int = 0
    tested: int = 0
    # From the 办实事 and volunteering modules when they are there; None (shown "—", not 0) when they are not.
    service: dict | None = None  # items, done, overdue, rated, satisfaction_rate
    volunteer_hours: Decimal | None = None
    extra: dict = field(default_factory=dict)

    def _service(self, key):
        return None if self.service is None else self.service.get(key)

    @property
    def service_items(self):
        return self._service("items")

    @property
    def service_done(self):
        return self._service("done")

    @property
    def service_overdue(self):
        return self._service("overdue")

    @property
    def service_satisfaction(self):
        return self._service("satisfaction_rate")  # percent, None while nobody has answered

    @staticmethod
    def _rate(n, d) -> Decimal | None:
        return (Decimal(n * 100) / d).quantize(Decimal("0.1")) if d else None

    @property
    def compliance_rate(self):
        return self._rate(self.met_items, self.judged_items)

    @property
    def attendance_rate(self):
        return self._rate(self.present, self.expected)

    @property
    def coverage_rate(self):
        return self._rate(self.covered, self.members)

    @property
    def hours_avg(self):
        return (self.hours_total / self.members).quantize(Decimal("0.1")) if self.members else None

    @property
    def study_rate(self):
        return self._rate(self.studied, self.members)

    @property
    def test_rate(self):
        return self._rate(self.tested, self.members)


INDICATOR_LABELS = [
    ("compliance_rate", "组织生活落实率（%）"),
    ("attendance_rate", "组织生活出勤率（%）"),
    ("coverage_rate", "学时达标率（%）"),
    ("hours_avg", "人均学时"),
    ("study_rate", "在线学习参与率（%）"),
    ("test_rate", "测试参与率（%）"),
    ("service_items", "为民办实事项目（件）"),
    ("service_done", "其中办结（件）"),
    ("service_overdue", "逾期未办结（件）"),
    ("service_satisfaction", "服务对象满意率（%）"),
    ("volunteer_hours", "志愿服务时长（小时）"),
]


def _other_module(module: str, name: str):
    """A selector of a module that may not exist yet (办实事, volunteering): None when it does not, so the sheet
    shows "—" rather than a 0 that would read as "did nothing"."""
    import importlib

    app = module.rsplit(".", 1)[0]
    if not apps.is_installed(app):
        return None
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def service_figures(orgs: list[Organization], year: int) -> tuple[dict | None, dict | None]:
    """(办实事 summary per organisation, volunteer hours per organisation) for `year`, each None if its module is
    missing. Both selectors count each organisation's whole subtree, like the other indicators."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    ids = [o.pk for o in orgs]
    summary = _other_module("partyedu.practice.selectors", "org_service_summary")
    hours = _other_module("partyedu.volunteering.selectors", "volunteer_hours_by_org")
    return (
        summary(ids, start, end) if summary else None,
        hours(ids, start, end) if hours else None,
    )


def indicators(parent: Organization, orgs: list[Organization], year: int) -> dict[int, Indicators]:
    """Each of `orgs` (inside `parent`'s subtree) with its whole subtree's indicators for `year`."""
    from partyedu.compliance.selectors import MET, MISSED, compliance_board
    from partyedu.hours.models import COMMITTEE_HOURS, STATUTORY_HOURS, MemberYearHours
    from partyedu.hours.selectors import committee_member_ids
    from partyedu.learning.models import StudyRecord
    from partyedu.quizzes.models import Attempt, AttemptState

    result = {o.pk: Indicators(org=o) for o in orgs}
    longest_first = sorted(orgs, key=lambda o: -len(o.path))

    def owner(path: str) -> Indicators | None:
        for o in longest_first:
            if path.startswith(o.path):
                return result[o.pk]
        return None

    end = datetime.date(year, 12, 31)
    member_org = {}
    for pk, path in (
        Member.objects.filter(
            subtree_q(parent.path, "organization__path"), status__in=["full", "probationary"]
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=end))
        .values_list("pk", "organization__path")
    ):
        box = owner(path)
        if box is not None:
            member_org[pk] = box
            box.members += 1
    board = compliance_board(parent, year)
    for row in board.rows:
        box = owner(row.org.path)
        if box is None:
            continue
        box.expected += row.expected
        box.present += row.present
        for cell in row.cells:
            for p in cell.periods:
                if p.state in (MET, MISSED):
                    box.judged_items += 1
                    box.met_items += p.state == MET
    in_tree = subtree_q(parent.path, "member__organization__path")
    hours = MemberYearHours.objects.filter(in_tree, year=year).values_list("member_id", "total")
    committee = committee_member_ids(None, year)
    for member_id, total in hours:
        box = member_org.get(member_id)
        if box is None:
            continue
        box.hours_total += total
        if total >= (COMMITTEE_HOURS if member_id in committee else STATUTORY_HOURS):
            box.covered += 1
    studied = (
        StudyRecord.objects.filter(in_tree, last_studied_at__year=year)
        .values_list("member_id", flat=True)
        .distinct()
    )
    for member_id in studied:
        if member_id in member_org:
            member_org[member_id].studied += 1
    tested = (
        Attempt.objects.filter(
            in_tree, state__in=[AttemptState.SUBMITTED, AttemptState.EXPIRED], started_at__year=year
        )
        .values_list("member_id", flat=True)
        .distinct()
    )
    for member_id in tested:
        if member_id in member_org:
            member_org[member_id].tested += 1
    services, hours_by_org = service_figures(orgs, year)
    for pk, box in result.items():
        if services is not None:
            box.service = services.get(pk) or {}
        if hours_by_org is not None:
            box.volunteer_hours = hours_by_org.get(pk, Decimal("0"))
    return result


def indicator_value(ind: Indicators, key: str):
    value = getattr(ind, key)
    return "—" if value is None else value


def review_ratings(campaign: Campaign, branch: Organization):
    qs = ReviewRating.objects.filter(campaign=campaign, branch=branch).select_related("rater")
    return list(qs), qs.aggregate(avg=Avg("score"))["avg"]


def scorecard(parent: Organization, year: int) -> list[tuple[Indicators, Indicators]]:
    """The organisations directly under `parent`, this year and last year beside."""
    children = list(
        Organization.objects.filter(parent=parent, dissolved_on__isnull=True).order_by("order", "path")
    )
    if not children:
        children = [parent]
    now, before = indicators(parent, children, year), indicators(parent, children, year - 1)
    return [(now[c.pk], before[c.pk]) for c in children]
