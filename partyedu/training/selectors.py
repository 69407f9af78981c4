"""Reads of the training app: who a class targets, who may see it, and the county's rotation coverage."""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Substr

from partyedu.accounts.access import Access
from partyedu.accounts.access import Capability as C
from partyedu.members.models import Member, MemberStatus
from partyedu.orgs.models import SEGMENT, Organization, subtree_q

from .models import ClassSession, Enrolment, EnrolmentStatus, TargetKind, TrainingClass

# Who counts as a member for the rotation (全员轮训): full and probationary members still on the roster.
ROTATION_STATUSES = (MemberStatus.FULL, MemberStatus.PROBATIONARY)
PIPELINE_STATUSES = (MemberStatus.ACTIVIST, MemberStatus.CANDIDATE)
# Managing a class is the work of its organiser's party workers: secretaries run their branch's classes,
# unit workers their unit's, committee admins the county's.
MANAGE = C.CHANGE_MEMBERS
VIEW = C.VIEW_MEMBERS


def rotation_enrolment_exists(year: int) -> Exists:
    """For annotating or filtering Member querysets: the member is enrolled (not withdrawn) in a rotation class
    (TrainingClass.is_rotation) of `year`. Stable API, used by the left-behind list."""
    return Exists(
        Enrolment.objects.filter(
            member=OuterRef("pk"),
            training_class__is_rotation=True,
            training_class__year=year,
        ).exclude(status=EnrolmentStatus.WITHDRAWN)
    )


def rotation_completed_exists(year: int) -> Exists:
    return Exists(
        Enrolment.objects.filter(
            member=OuterRef("pk"),
            training_class__is_rotation=True,
            training_class__year=year,
            status=EnrolmentStatus.COMPLETED,
        )
    )


# --- who may --------------------------------------------------------------------------------------------------
def can_view_class(user, cls: TrainingClass) -> bool:
    return Access.of(user).can_org(VIEW, cls.organiser)


def can_manage_class(user, cls: TrainingClass) -> bool:
    return Access.of(user).can_org(MANAGE, cls.organiser)


def visible_classes(user):
    """Classes whose organiser lies in the user's worker scope (members see theirs under 我的培训)."""
    return TrainingClass.objects.filter(Access.of(user).org_q(VIEW, "organiser__path"))


def _count(qs):
    """A correlated count per class, so that counting enrolments and sessions does not multiply rows."""
    counted = qs.filter(training_class=OuterRef("pk")).order_by().values("training_class")
    return Coalesce(Subquery(counted.annotate(c=Count("pk")).values("c")[:1], output_field=IntegerField()), 0)


def class_list(user):
    active = Enrolment.objects.exclude(status=EnrolmentStatus.WITHDRAWN)
    return (
        visible_classes(user)
        .select_related("organiser", "target_org")
        .annotate(
            enrolled=_count(active),
            completed=_count(Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED)),
            session_count=_count(ClassSession.objects.all()),
        )
        .order_by("-starts_on", "-pk")
    )


# --- the target group -------------------------------------------------------------------------------------------
def criteria_members(cls: TrainingClass):
    """The members a class's target kind and subtree name (current members only). Custom classes: none."""
    from partyedu.accounts.models import Role, RoleAssignment
    from partyedu.meetings.models import CommitteeBody, CommitteeMember

    base = Member.objects.current().in_subtree(cls.target_org)
    kind = cls.target_kind
    if kind == TargetKind.ROTATION:
        return base.filter(status__in=ROTATION_STATUSES)
    if kind == TargetKind.ACTIVISTS:
        return base.filter(status__in=PIPELINE_STATUSES)
    if kind == TargetKind.SECRETARIES:
        seat = CommitteeMember.objects.filter(
            member=OuterRef("pk"),
            body=CommitteeBody.BRANCH_COMMITTEE,
            ended_on__isnull=True,
            position__contains="书记",
        )
        role = RoleAssignment.objects.filter(
            user__member=OuterRef("pk"), role=Role.SECRETARY, revoked_at__isnull=True
        )
        return base.filter(Q(Exists(seat)) | Q(Exists(role)))
    if kind == TargetKind.PARTY_WORKERS:
        role = RoleAssignment.objects.filter(
            user__member=OuterRef("pk"), role__in=[Role.ORG_ADMIN, Role.SECRETARY], revoked_at__isnull=True
        )
        return base.filter(Exists(role))
    return base.none()


def enrolments_of(cls: TrainingClass):
    return cls.enrolments.select_related("member__organization").order_by(
        "member__organization__path", "member__sort_key", "pk"
    )


def attendance_grid(cls: TrainingClass, enrolments) -> tuple[list, dict]:
    """The sessions and, per enrolment on the page, its status per session: {enrolment_id: [status|None…]}."""
    from .models import SessionAttendance

    sessions = list(cls.sessions.all())
    ids = [e.pk for e in enrolments]
    marks = {
        (a.enrolment_id, a.session_id): a.status
        for a in SessionAttendance.objects.filter(enrolment_id__in=ids).only(
            "enrolment_id", "session_id", "status"
        )
    }
    return sessions, {e: [marks.get((e, s.pk)) for s in sessions] for e in ids}


def my_enrolments(member):
    if member is None:
        return Enrolment.objects.none()
    return (
        Enrolment.objects.filter(member=member)
        .select_related("training_class__organiser")
        .annotate(session_count=Count("training_class__sessions", distinct=True))
        .order_by("-training_class__starts_on", "-pk")
    )


# --- rotation coverage ------------------------------------------------------------------------------------------
def rotation_coverage(org: Organization, year: int) -> list[dict]:
    """Per child organisation of `org` (and `org` itself when it holds members directly): members in the
    rotation's scope, enrolled in a rotation class of `year`, completed one. One grouped query."""
    children = list(org.children.order_by("order", "name", "pk"))
    width = len(org.path) + SEGMENT
    rows = (
        Member.objects.current()
        .filter(status__in=ROTATION_STATUSES)
        .filter(subtree_q(org.path, "organization__path"))
        .annotate(
            prefix=Substr("organization__path", 1, width),
            is_enrolled=rotation_enrolment_exists(year),
            is_completed=rotation_completed_exists(year),
        )
        .values("prefix")
        .annotate(
            total=Count("pk"),
            enrolled=Count("pk", filter=Q(is_enrolled=True)),
            completed=Count("pk", filter=Q(is_completed=True)),
        )
        .order_by()
    )
    by_prefix = {r["prefix"]: r for r in rows}
    empty = {"total": 0, "enrolled": 0, "completed": 0}
    result = []
    own = by_prefix.get(org.path)  # members held by `org` itself: their path is shorter than `width`
    if own:
        result.append({"org": org, "own": True, **{k: own[k] for k in empty}})
    for child in children:
        r = by_prefix.get(child.path, empty)
        result.append({"org": child, "own": False, **{k: r[k] for k in empty}})
    for row in result:
        row["enrolled_pct"] = _pct(row["enrolled"], row["total"])
        row["completed_pct"] = _pct(row["completed"], row["total"])
    return result


def coverage_total(rows: list[dict]) -> dict:
    total = {k: sum(r[k] for r in rows) for k in ("total", "enrolled", "completed")}
    total["enrolled_pct"] = _pct(total["enrolled"], total["total"])
    total["completed_pct"] = _pct(total["completed"], total["total"])
    return total


def _pct(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0
