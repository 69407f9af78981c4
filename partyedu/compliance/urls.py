from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("", views.board, name="board"),
    path("org/<int:pk>/missed/", views.missed, name="missed"),
    path("org/<int:pk>/rule/<int:rule>/", views.cell, name="cell"),
    path("org/<int:pk>/meetings/", views.meetings, name="meetings"),
    path("org/<int:pk>/absences/", views.absences, name="absences"),
    path("org/<int:pk>/inactive/", views.inactive, name="inactive"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
]
