from django.urls import path

from . import views

app_name = "hours"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("members/<int:pk>/", views.member_year, name="member"),
    path("stats/", views.stats_index, name="stats_index"),
    path("orgs/<int:pk>/", views.stats, name="stats"),
    path("orgs/<int:pk>/export/", views.export, name="export"),
]
