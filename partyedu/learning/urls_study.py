"""Study time routes, appended to the learning namespace by urls.py; names start with study_."""

from django.urls import path

from . import views_study

urlpatterns = [
    path("materials/<int:pk>/heartbeat/", views_study.heartbeat, name="study_heartbeat"),
    path("study/mine/", views_study.my_study, name="study_mine"),
    path("study/orgs/", views_study.org_study, name="study_orgs"),
    path("study/orgs/<int:pk>/", views_study.org_study_members, name="study_org_members"),
]
