from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/password/", views.change_password, name="password"),
    path("profile/tokens/", views.issue_token, name="token_issue"),
    path("profile/tokens/<int:pk>/revoke/", views.revoke_token, name="token_revoke"),
    path("members/<int:pk>/open/", views.open_member_account, name="member_open"),
    path("members/<int:pk>/reset-password/", views.reset_member_password, name="member_reset_password"),
    path("members/<int:pk>/active/", views.set_member_account_active, name="member_set_active"),
    path("orgs/<int:pk>/roles/", views.grant_role, name="role_grant"),
    path("roles/<int:pk>/revoke/", views.revoke_role, name="role_revoke"),
]
