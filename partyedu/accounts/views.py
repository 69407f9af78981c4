from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import services
from .forms import TokenForm
from .models import ApiToken


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
