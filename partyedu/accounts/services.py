"""Writes to accounts: users, role grants, API tokens."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from partyedu.core.cn import validate_mobile
from partyedu.orgs.models import OrganizationKind

from .models import ApiToken, Role, RoleAssignment, User, hash_token

TOKEN_PREFIX = "pe_"
# Read aloud, copied onto paper and typed on a phone: lower case and digits only, without 0/o, 1/l/i.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_LENGTH = 12


@transaction.atomic
def create_user(
    *, username: str, password: str, display_name: str = "", phone: str = "", member=None
) -> User:
    if phone:
        try:
            phone = validate_mobile(phone)
        except ValueError as exc:
            raise ValidationError({"phone": str(exc)}) from exc
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "用户名已存在"})
    if phone and User.objects.filter(phone=phone).exists():
        raise ValidationError({"phone": "该手机号已绑定其他账号"})
    user = User(
        username=username, display_name=display_name or (member.name if member else ""), member=member
    )
    user.phone = phone or None
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def grant_role(user: User, organization, role: str, *, by: User | None = None) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError(f"未知角色：{role}")
    existing = RoleAssignment.objects.filter(
        user=user, organization=organization, role=role, revoked_at__isnull=True
    ).first()
    if existing:
        return existing
    return RoleAssignment.objects.create(user=user, organization=organization, role=role, granted_by=by)


@transaction.atomic
def revoke_role(assignment: RoleAssignment) -> RoleAssignment:
    # Revoking twice keeps the first date: that is when the role really ended.
    if assignment.revoked_at is None:
        assignment.revoked_at = timezone.now()
        assignment.save(update_fields=["revoked_at"])
    return assignment


# --- accounts for members ---------------------------------------------------------------------------------
def generate_password() -> str:
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))
        # Some people are told "letters and digits" and will doubt a password that has only one kind.
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def _login_name_taken(name: str) -> bool:
    # The login form accepts a username or a phone number, so a name is free only if it is neither.
    return User.objects.filter(Q(username__iexact=name) | Q(phone=name)).exists()


def _username_for(member) -> str:
    if member.mobile and not _login_name_taken(member.mobile):
        return member.mobile
    base = candidate = f"m{member.pk}"
    suffix = 1
    while _login_name_taken(candidate):
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


@transaction.atomic
def open_member_account(member, *, by: User | None = None) -> tuple[User, str]:
    """An account for a member on the roster, with the role `member` on his organisation.

    Returns the account and its initial password, which is shown once to the worker and never stored.
    """
    from partyedu.members.models import Member

    member = Member.objects.select_for_update().select_related("organization").get(pk=member.pk)
    if User.objects.filter(member=member).exists():
        raise ValidationError("该党员已有账号")
    if member.left_on is not None:
        raise ValidationError("该党员已离开，不能开通账号")
    username = _username_for(member)
    phone = member.mobile if username == member.mobile else ""
    password = generate_password()
    user = create_user(username=username, password=password, phone=phone, member=member)
    grant_role(user, member.organization, Role.MEMBER, by=by)
    return user, password


@transaction.atomic
def grant_member_role(member, organization, role: str, *, by: User | None = None):
    """Give `role` on `organization` to a member of its subtree, opening his account first if he has none.

    Returns (assignment, initial password or None when he already had an account).
    """
    if role not in Role.values:
        raise ValidationError(f"未知角色：{role}")
    if organization.is_dissolved:
        raise ValidationError(f"“{organization.name}”已撤销，不能再授予角色")
    if role == Role.COMMITTEE_ADMIN and organization.kind != OrganizationKind.WORKING_COMMITTEE:
        raise ValidationError("工委管理员只能授予在机关工委上")
    if member.left_on is not None or not member.organization.is_in_subtree_of(organization):
        raise ValidationError(f"{member.name}不在“{organization.name}”的在册党员中")
    user, password = User.objects.filter(member=member).first(), None
    if user is None:
        user, password = open_member_account(member, by=by)
    return grant_role(user, organization, role, by=by), password


@transaction.atomic
def reset_password(user: User) -> str:
    """A new random password, shown once. Changing it also ends the sessions the old one opened."""
    password = generate_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    return password


@transaction.atomic
def set_account_active(user: User, active: bool) -> User:
    # A switched-off account keeps its roles, so switching it back on restores exactly what it had.
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def follow_member_transfer(member, *, by: User | None = None) -> None:
    """Move a transferred member's `member` role to his new organisation.

    Called by `members.services.transfer_member`. Roles he holds as a worker (secretary, party worker) stay
    where they are: a transfer does not make him secretary elsewhere, and whether he keeps the old post is for
    a person to decide (see `selectors.roles_left_behind`).
    """
    user = User.objects.filter(member=member).first()
    if user is None:
        return
    here = member.organization
    for assignment in user.role_assignments.filter(role=Role.MEMBER, revoked_at__isnull=True).select_related(
        "organization"
    ):
        if not here.is_in_subtree_of(assignment.organization):
            revoke_role(assignment)
    grant_role(user, here, Role.MEMBER, by=by)


def issue_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its secret; the secret is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写令牌用途"})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:60], prefix=raw[:10], token_hash=hash_token(raw))
    return token, raw


def revoke_api_token(token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_for_api_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw or ""), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Writing on every call would make each API request a write; once a minute is enough to see use.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
