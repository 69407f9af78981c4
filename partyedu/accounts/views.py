from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from partyedu.members.models import Member
from partyedu.orgs.models import Organization

from . import selectors, services
from .access import Access, Capability
from .forms import GrantRoleForm, TokenForm
from .models import ApiToken, Role, RoleAssignment


def profile(request):
    return render(
        request,
        "accounts/profile.html",
        {
            "roles": request.user.role_assignments.filter(revoked_at__isnull=True).select_related(
                "organization"
            ),
            "tokens": request.user.api_tokens.all(),
            "token_form": TokenForm(),
            "password_form": PasswordChangeForm(request.user),
        },
    )


@require_POST
def issue_token(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        token, raw = services.issue_api_token(request.user, form.cleaned_data["name"])
        return render(request, "accounts/token_issued.html", {"token": token, "raw": raw})
    messages.error(request, "请填写令牌用途")
    return redirect("accounts:profile")


@require_POST
def revoke_token(request, pk: int):
    # Only one's own tokens are found: another user's id answers 404.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(token)
    messages.success(request, f"令牌“{token.name}”已作废")
    return redirect("accounts:profile")


def change_password(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, "密码已修改")
        return redirect("accounts:profile")
    return render(request, "accounts/password.html", {"form": form})


# --- accounts for members and roles on organisations ------------------------------------------------------
def _password_page(request, *, account, password, title, back, note=""):
    # A POST answer that is never cached: the password exists only on this page, never in the database or a
    # later request, so the worker must hand it over now.
    return render(
        request,
        "accounts/password_issued.html",
        {"account": account, "password": password, "title": title, "back": back, "note": note},
    )


def _member_with_account(request, pk: int):
    member = get_object_or_404(Member.objects.select_related("organization"), pk=pk)
    access = Access.of(request.user)
    access.require_member(member)
    account = selectors.account_of(member)
    if account is None:
        raise PermissionDenied("该党员尚未开通账号")
    if not access.can_manage_account(member, account):
        raise PermissionDenied("您没有权限管理该账号")
    return member, account


@require_POST
@never_cache
def open_member_account(request, pk: int):
    member = get_object_or_404(Member.objects.select_related("organization"), pk=pk)
    Access.of(request.user).require_member(member, Capability.CHANGE_MEMBERS)
    try:
        account, password = services.open_member_account(member, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("members:detail", member.pk)
    return _password_page(
        request, account=account, password=password, title="账号已开通", back=("members:detail", member.pk)
    )


@require_POST
@never_cache
def reset_member_password(request, pk: int):
    member, account = _member_with_account(request, pk)
    password = services.reset_password(account)
    return _password_page(
        request,
        account=account,
        password=password,
        title="密码已重置",
        back=("members:detail", member.pk),
        note="原密码已失效，已登录的设备需要用新密码重新登录。",
    )


@require_POST
def set_member_account_active(request, pk: int):
    member, account = _member_with_account(request, pk)
    active = request.POST.get("active") == "1"
    services.set_account_active(account, active)
    messages.success(request, f"{member.name}的账号已{'启用' if active else '停用'}")
    return redirect("members:detail", member.pk)


@require_POST
@never_cache
def grant_role(request, pk: int):
    org = get_object_or_404(Organization, pk=pk)
    access = Access.of(request.user)
    access.require_org(org, Capability.MANAGE_ROLES)
    form = GrantRoleForm(request.POST, organization=org, roles=access.grantable_roles(org))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
        return redirect("orgs:detail", org.pk)
    member, role = form.cleaned_data["member"], Role(form.cleaned_data["role"])
    if not access.can_member(Capability.CHANGE_MEMBERS, member):
        raise PermissionDenied("您没有权限为该党员开通账号")
    try:
        assignment, password = services.grant_member_role(member, org, role, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("orgs:detail", org.pk)
    done = f"已授予{member.name}“{org.name}”的{role.label}角色"
    if password is None:
        messages.success(request, done)
        if not assignment.user.is_active:
            messages.warning(request, f"{member.name}的账号已停用，启用后角色才生效")
        return redirect("orgs:detail", org.pk)
    return _password_page(
        request,
        account=assignment.user,
        password=password,
        title="账号已开通",
        back=("orgs:detail", org.pk),
        note=f"{done}。该党员此前没有账号，已同时为其开通。",
    )


@require_POST
def revoke_role(request, pk: int):
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("organization", "user"), pk=pk, revoked_at__isnull=True
    )
    access = Access.of(request.user)
    access.require_org(assignment.organization, Capability.MANAGE_ROLES)
    if not access.can_revoke(assignment):
        raise PermissionDenied("您没有权限撤销该角色")
    services.revoke_role(assignment)
    messages.success(
        request,
        f"已撤销{assignment.user}在“{assignment.organization.name}”的{assignment.get_role_display()}角色",
    )
    return redirect("orgs:detail", assignment.organization_id)
