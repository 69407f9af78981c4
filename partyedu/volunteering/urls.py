from django.urls import path

from . import views

app_name = "volunteering"
urlpatterns = [
    path("", views.activities, name="activities"),
    path("new/", views.activity_create, name="activity_create"),
    path("<int:pk>/", views.activity_detail, name="activity"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/signup/", views.signup, name="signup"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/confirm/", views.confirm_sheet, name="confirm_sheet"),
    path("<int:pk>/confirm-all/", views.confirm_all, name="confirm_all"),
    path("records/<int:pk>/review/", views.record_review, name="record_review"),
    path("records/<int:pk>/photo/", views.record_photo, name="record_photo"),
    path("reports/", views.reports, name="reports"),
    path("mine/", views.mine, name="mine"),
    path("mine/report/", views.report, name="report"),
    path("stats/", views.stats, name="stats"),
    path("stats/export/", views.stats_export, name="stats_export"),
    path("communities/", views.communities, name="communities"),
    path("communities/<int:pk>/edit/", views.community_edit, name="community_edit"),
    path("checkins/", views.checkins, name="checkins"),
    path("checkins/export/", views.checkins_export, name="checkins_export"),
    path("checkins/mine/", views.my_checkin, name="my_checkin"),
    path("checkins/<int:pk>/", views.checkin_org, name="checkin_org"),
    path("checkins/<int:pk>/register/", views.checkin_register, name="checkin_register"),
]
