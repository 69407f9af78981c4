"""Who may see and do what in the reading club, in the terms of accounts.access.Access.

- See a plan: everyone who belongs to the plan's organisation's subtree (a role there, or his own member record
  there), and those above it who see that organisation; a draft only its editors.
- Make, edit, publish the plan, approve or return activity plans, link the session's meeting, compile the
  archive: a worker role (secretary, org admin, committee admin) on the plan's organisation.
- Submit the month's activity plan: a worker role on that month's co-host.
- Record sections and enter shared texts for others: the plan's editors and the co-host's workers.
- Submit one's own shared text: a current member of the plan's subtree.

Not visible → 404, visible but not allowed → 403, as everywhere.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from partyedu.accounts.access import NOTHING, WORKER_ROLES, Access, Capability
from partyedu.members.models import Member
from partyedu.orgs.models import Organization, subtree_q

from .models import PlanStatus, ReadingClubMonth, ReadingClubPlan


def _own_member(access: Access) -> Member | None:
    """The user's own current member record (with its organisation), read once per request."""
    if not access.member_id:
        return None
    cache = access.__dict__.setdefault("_readingclub", {})
    if "member" not in cache:
        cache["member"] = (
            Member.objects.current().select_related("organization").filter(pk=access.member_id).first()
        )
    return cache["member"]


def _belonging_paths(access: Access) -> set[str]:
    """The organisations the user belongs to and all their ancestors: a plan of any of them is his club."""
    orgs = [org for _, org in access.roles]
    member = _own_member(access)
    if member:
        orgs.append(member.organization)
    paths: set[str] = set()
    for org in orgs:
        paths.update(org.ancestor_paths)
        paths.add(org.path)
    return paths


def is_worker_on(access: Access, org: Organization | None) -> bool:
    return org is not None and any(access.holds(role, org) for role in WORKER_ROLES)


def _worker_q(access: Access, field: str) -> Q:
    if access.is_superuser:
        return Q()
    parts = [subtree_q(org.path, field) for role, org in access.roles if role in WORKER_ROLES]
    return reduce(or_, parts) if parts else NOTHING


def plan_q(user) -> Q:
    access = Access.of(user)
    if access.is_superuser:
        return Q()
    seen = Q(organization__path__in=_belonging_paths(access)) | access.org_q(
        Capability.VIEW_ORG, "organization__path"
    )
    return seen & (Q(status=PlanStatus.PUBLISHED) | _worker_q(access, "organization__path"))


def visible_plans(user):
    return ReadingClubPlan.objects.filter(plan_q(user))


# --- yes/no on one plan or month -----------------------------------------------------------------------------
def can_edit_plan(user, plan: ReadingClubPlan) -> bool:
    return is_worker_on(Access.of(user), plan.organization)


def can_view_plan(user, plan: ReadingClubPlan) -> bool:
    access = Access.of(user)
    if can_edit_plan(user, plan):
        return True
    if not plan.is_published:
        return False
    return plan.organization.path in _belonging_paths(access) or access.can_org(
        Capability.VIEW_ORG, plan.organization
    )


def can_submit_activity_plan(user, month: ReadingClubMonth) -> bool:
    return is_worker_on(Access.of(user), month.cohost)


def can_record(user, month: ReadingClubMonth) -> bool:
    return can_edit_plan(user, month.plan) or can_submit_activity_plan(user, month)


def own_member_in(user, plan: ReadingClubPlan) -> Member | None:
    """The user's member record if he belongs to the plan's subtree (and may share a text of his own)."""
    member = _own_member(Access.of(user))
    if member and member.organization.is_in_subtree_of(plan.organization):
        return member
    return None


def require_plan(user, plan: ReadingClubPlan, *, edit: bool = False) -> ReadingClubPlan:
    if not can_view_plan(user, plan):
        raise Http404("没有找到该读书会计划")
    if edit and not can_edit_plan(user, plan):
        raise PermissionDenied("只有主办党组织的党务工作者可以进行此操作")
    return plan


def require(allowed: bool, message: str = "您没有权限进行此操作") -> None:
    if not allowed:
        raise PermissionDenied(message)


def plan_owner_choices(user):
    """Organisations for which this user may make a plan: where he holds a worker role, except 党小组."""
    from partyedu.orgs.models import OrganizationKind

    access = Access.of(user)
    return (
        Organization.objects.filter(_worker_q(access, "path"))
        .exclude(kind=OrganizationKind.GROUP)
        .filter(dissolved_on__isnull=True)
        .order_by("path")
    )
