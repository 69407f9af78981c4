"""Reads of accounts and roles shared by pages of several apps."""

from __future__ import annotations

from .models import Role, RoleAssignment, User


def account_of(member) -> User | None:
    return User.objects.filter(member=member).first()


def live_roles(user: User):
    return (
        user.role_assignments.filter(revoked_at__isnull=True)
        .select_related("organization")
        .order_by("organization__path", "role")
    )


def role_assignments_on(org):
    return (
        RoleAssignment.objects.filter(organization=org, revoked_at__isnull=True)
        .select_related("user", "user__member", "granted_by", "organization")
        .order_by("role", "granted_at", "pk")
    )


def roles_left_behind(member) -> list[RoleAssignment]:
    """Worker roles a member holds on organisations he is no longer in, e.g. his old branch after a transfer."""
    account = account_of(member)
    if account is None:
        return []
    return [
        a
        for a in live_roles(account).exclude(role=Role.MEMBER)
        if not member.organization.is_in_subtree_of(a.organization)
    ]
