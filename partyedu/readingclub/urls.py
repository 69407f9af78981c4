from django.urls import path

from . import views

app_name = "readingclub"
urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("new/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("<int:pk>/archive/", views.plan_archive, name="plan_archive"),
    path("months/<int:pk>/", views.month_detail, name="month"),
    path("months/<int:pk>/activity-plan/", views.month_activity_plan, name="month_activity_plan"),
    path("months/<int:pk>/review/", views.month_review, name="month_review"),
    path("months/<int:pk>/meeting/", views.month_meeting, name="month_meeting"),
    path("months/<int:pk>/sections/", views.section_add, name="section_add"),
    path("sections/<int:pk>/delete/", views.section_delete, name="section_delete"),
    path("months/<int:pk>/texts/", views.text_add, name="text_add"),
    path("texts/<int:pk>/delete/", views.text_delete, name="text_delete"),
]
