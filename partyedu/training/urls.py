from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.class_list, name="list"),
    path("new/", views.class_create, name="create"),
    path("mine/", views.my_training, name="my"),
    path("coverage/", views.coverage, name="coverage"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("<int:pk>/", views.class_detail, name="detail"),
    path("<int:pk>/edit/", views.class_edit, name="edit"),
    path("<int:pk>/status/", views.class_status, name="status"),
    path("<int:pk>/enrol/", views.enrol_criteria, name="enrol_criteria"),
    path("<int:pk>/enrol/add/", views.enrol_add, name="enrol_add"),
    path("<int:pk>/sessions/", views.session_add, name="session_add"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("enrolments/<int:pk>/withdraw/", views.enrolment_withdraw, name="enrolment_withdraw"),
    path("enrolments/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("sessions/<int:pk>/", views.session_attendance, name="session"),
    path("sessions/<int:pk>/all-present/", views.session_all_present, name="session_all_present"),
]
