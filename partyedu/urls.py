from django.contrib import admin
from django.urls import include, path

from partyedu.api import api

urlpatterns = [
    # First: a live competition's answers and polls are the busiest requests; resolving them first saves the walk
    # through every other app's patterns.
    path("competitions/", include("partyedu.competitions.urls")),
    path("", include("partyedu.core.urls")),
    path("accounts/", include("partyedu.accounts.urls")),
    path("orgs/", include("partyedu.orgs.urls")),
    path("members/", include("partyedu.members.urls")),
    path("meetings/", include("partyedu.meetings.urls")),
    path("signin/", include("partyedu.meetings.signin_urls")),
    path("compliance/", include("partyedu.compliance.urls")),
    path("notifications/", include("partyedu.notifications.urls")),
    path("reports/", include("partyedu.reports.urls")),
    path("reading-club/", include("partyedu.readingclub.urls")),
    path("learning/", include("partyedu.learning.urls")),
    path("sites/", include("partyedu.sites.urls")),
    path("hours/", include("partyedu.hours.urls")),
    path("training/", include("partyedu.training.urls")),
    path("teachers/", include("partyedu.teachers.urls")),
    path("plans/", include("partyedu.plans.urls")),
    path("outreach/", include("partyedu.outreach.urls")),
    path("quizzes/", include("partyedu.quizzes.urls")),
    path("points/", include("partyedu.points.urls")),
    path("evaluation/", include("partyedu.evaluation.urls")),
    path("reflections/", include("partyedu.reflections.urls")),
    path("practice/", include("partyedu.practice.urls")),
    path("volunteering/", include("partyedu.volunteering.urls")),
    path("opinions/", include("partyedu.opinions.urls")),
    path("development/", include("partyedu.development.urls")),
    path("api/v1/", api.urls),
    path("superuser/", admin.site.urls),
]
