from django.contrib import admin
from django.urls import include, path

from partyedu.api import api

urlpatterns = [
    path("", include("partyedu.core.urls")),
    path("accounts/", include("partyedu.accounts.urls")),
    path("orgs/", include("partyedu.orgs.urls")),
    path("members/", include("partyedu.members.urls")),
    path("api/v1/", api.urls),
    path("superuser/", admin.site.urls),
]
