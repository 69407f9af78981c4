"""Writes to accounts: users, role grants, API tokens."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partyedu.core.cn import validate_mobile

from .models import ApiToken, Role, RoleAssignment, User, hash_token

TOKEN_PREFIX = "pe_"


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
    assignment.revoked_at = timezone.now()
    assignment.save(update_fields=["revoked_at"])
    return assignment


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
