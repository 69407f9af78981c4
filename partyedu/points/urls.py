from django.urls import path

from . import views

app_name = "points"
urlpatterns = [
    path("mine/", views.my_points, name="mine"),
    path("members/<int:pk>/", views.member_points, name="member"),
    path("members/<int:pk>/manual/", views.manual, name="manual"),
    path("entries/<int:pk>/correct/", views.correct, name="correct"),
    path("rankings/", views.rankings, name="rankings"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:pk>/revise/", views.rule_revise, name="rule_revise"),
    path("rules/<int:pk>/retire/", views.rule_retire, name="rule_retire"),
    path("settings/", views.visibility, name="visibility"),
    path("anomalies/", views.anomalies, name="anomalies"),
]
