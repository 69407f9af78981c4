"""The one place that decides who may see or change what.

Every role is granted on an organisation and holds for its whole subtree. Pages, API routes and selectors ask
`Access` for a filter (`org_q`, `members`) or a yes/no (`can_org`, `can_member`) and never decide on their own.
Not visible means 404 (we do not confirm that another branch's record exists); visible but not changeable, 403.
"""

from __future__ import annotations

from contextlib import suppress
from enum import StrEnum
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from partyedu.orgs.models import Organization, OrganizationKind, subtree_q

from .models import Role


class Capability(StrEnum):
    VIEW_ORG = "view_org"
    MANAGE_ORG = "manage_org"
    VIEW_MEMBERS = "view_members"
    CHANGE_MEMBERS = "change_members"
    IMPORT_ROSTER = "import_roster"
    VIEW_FULL_ID = "view_full_id"
    MANAGE_ROLES = "manage_roles"


C = Capability
ROLE_CAPABILITIES: dict[str, set[Capability]] = {
    Role.COMMITTEE_ADMIN: set(Capability),
    Role.ORG_ADMIN: {
        C.VIEW_ORG,
        C.MANAGE_ORG,
        C.VIEW_MEMBERS,
        C.CHANGE_MEMBERS,
        C.IMPORT_ROSTER,
        C.VIEW_FULL_ID,
        C.MANAGE_ROLES,
    },
    Role.SECRETARY: {C.VIEW_ORG, C.VIEW_MEMBERS, C.CHANGE_MEMBERS},
    Role.MEMBER: {C.VIEW_ORG},
}
# What anybody may do with his own member record.
SELF_CAPABILITIES = {C.VIEW_MEMBERS, C.VIEW_FULL_ID}
WORKER_ROLES = {Role.COMMITTEE_ADMIN, Role.ORG_ADMIN, Role.SECRETARY}
NOTHING = Q(pk__in=[])


def _outermost(paths: set[str]) -> list[str]:
    """Drop paths inside other paths: a role on a unit makes a role on its branch redundant."""
    result: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(p) for p in result):
            result.append(path)
    return sorted(result)


class Access:
    def __init__(self, user):
        self.user = user
        self.is_superuser = bool(user and user.is_authenticated and user.is_superuser)
        self.roles: list[tuple[str, Organization]] = []
        self.member_id = None
        if user and user.is_authenticated:
            self.member_id = user.member_id
            self.roles = [
                (a.role, a.organization)
                for a in user.role_assignments.filter(revoked_at__isnull=True)
                .select_related("organization")
                .order_by("organization__path")
            ]
        self._paths: dict[Capability, list[str]] = {}
        for cap in Capability:
            self._paths[cap] = _outermost(
                {org.path for role, org in self.roles if cap in ROLE_CAPABILITIES.get(role, set())}
            )

    @classmethod
    def of(cls, user) -> Access:
        """One Access per user object, so a request asks the database for roles once."""
        cached = getattr(user, "_partyedu_access", None)
        if cached is None:
            cached = cls(user)
            if user is not None:
                with suppress(AttributeError):
                    user._partyedu_access = cached
        return cached

    # --- what kind of user ------------------------------------------------------------------------------
    @property
    def is_worker(self) -> bool:
        return self.is_superuser or any(role in WORKER_ROLES for role, _ in self.roles)

    def has(self, cap: Capability) -> bool:
        return self.is_superuser or bool(self._paths[cap])

    def scope_roots(self, cap: Capability = C.VIEW_ORG) -> list[Organization]:
        if self.is_superuser:
            return list(Organization.objects.filter(parent__isnull=True).order_by("order", "pk"))
        wanted = set(self._paths[cap])
        seen, roots = set(), []
        for _, org in self.roles:
            if org.path in wanted and org.path not in seen:
                seen.add(org.path)
                roots.append(org)
        return roots

    # --- filters ----------------------------------------------------------------------------------------
    def org_q(self, cap: Capability, field: str = "path") -> Q:
        if self.is_superuser:
            return Q()
        paths = self._paths[cap]
        if not paths:
            return NOTHING
        return reduce(or_, (subtree_q(p, field) for p in paths))

    def orgs(self, cap: Capability = C.VIEW_ORG):
        return Organization.objects.filter(self.org_q(cap))

    def member_q(self, cap: Capability, prefix: str = "") -> Q:
        q = self.org_q(cap, f"{prefix}organization__path")
        if self.member_id and cap in SELF_CAPABILITIES and not self.is_superuser:
            q |= Q(**{f"{prefix}pk": self.member_id})
        return q

    def members(self, cap: Capability = C.VIEW_MEMBERS):
        from partyedu.members.models import Member

        return Member.objects.filter(self.member_q(cap))

    # --- yes/no on one object ---------------------------------------------------------------------------
    def can_org(self, cap: Capability, org: Organization) -> bool:
        return self.is_superuser or any(org.path.startswith(p) for p in self._paths[cap])

    def can_member(self, cap: Capability, member) -> bool:
        if self.is_superuser:
            return True
        if self.member_id and member.pk == self.member_id and cap in SELF_CAPABILITIES:
            return True
        return self.can_org(cap, member.organization)

    def require_org(self, org: Organization, cap: Capability = C.VIEW_ORG) -> Organization:
        if not self.can_org(C.VIEW_ORG, org):
            raise Http404("没有找到该组织")
        if not self.can_org(cap, org):
            raise PermissionDenied("您没有权限进行此操作")
        return org

    def require_member(self, member, cap: Capability = C.VIEW_MEMBERS):
        if not self.can_member(C.VIEW_MEMBERS, member):
            raise Http404("没有找到该党员")
        if not self.can_member(cap, member):
            raise PermissionDenied("您没有权限进行此操作")
        return member

    def require(self, cap: Capability) -> None:
        if not self.has(cap):
            raise PermissionDenied("您没有权限进行此操作")

    # --- accounts and roles -----------------------------------------------------------------------------
    def holds(self, role: str, org: Organization) -> bool:
        return self.is_superuser or any(r == role and org.path.startswith(o.path) for r, o in self.roles)

    def grantable_roles(self, org: Organization) -> list[Role]:
        """The roles this user may grant (and revoke) on `org`: only inside his MANAGE_ROLES scope, and the
        committee admin's role only on a working committee and only by a committee admin above it."""
        if not self.can_org(C.MANAGE_ROLES, org):
            return []
        roles = [Role.ORG_ADMIN, Role.SECRETARY, Role.MEMBER]
        if org.kind == OrganizationKind.WORKING_COMMITTEE and self.holds(Role.COMMITTEE_ADMIN, org):
            roles.insert(0, Role.COMMITTEE_ADMIN)
        return roles

    def can_revoke(self, assignment) -> bool:
        # Revoking one's own role is refused so that nobody locks himself out by a stray click.
        if assignment.user_id == getattr(self.user, "pk", None):
            return False
        return assignment.role in self.grantable_roles(assignment.organization)

    def can_open_account(self, member) -> bool:
        return member.left_on is None and self.can_member(C.CHANGE_MEMBERS, member)

    def can_manage_account(self, member, account) -> bool:
        """Reset the password of, or switch off, `account` (the login of `member`).

        Whoever resets a password can log in as that person, so he may do it only to an account that can do
        nothing he cannot do himself: a branch secretary never takes over his unit's party worker or a committee
        admin, and only a superuser touches an account that may open the superuser admin.
        """
        if account is None or account.pk == getattr(self.user, "pk", None):
            return False
        if not (self.can_member(C.CHANGE_MEMBERS, member) or self.can_member(C.MANAGE_ROLES, member)):
            return False
        if account.is_superuser or account.is_staff:
            return self.is_superuser
        if self.is_superuser:
            return True
        return all(
            self.can_org(cap, a.organization)
            for a in account.role_assignments.filter(revoked_at__isnull=True).select_related("organization")
            for cap in ROLE_CAPABILITIES.get(a.role, set())
        )
