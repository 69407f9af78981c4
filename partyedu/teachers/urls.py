from django.urls import path

from . import views

app_name = "teachers"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("new/", views.teacher_create, name="create"),
    path("<int:pk>/", views.teacher_detail, name="detail"),
    path("<int:pk>/edit/", views.teacher_edit, name="edit"),
    path("<int:pk>/courses/new/", views.course_create, name="course_create"),
    path("courses/", views.course_list, name="courses"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:pk>/request/", views.request_new, name="request_new"),
    path("requests/", views.my_requests, name="my_requests"),
    path("inbox/", views.inbox, name="inbox"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/accept/", views.request_accept, name="request_accept"),
    path("requests/<int:pk>/decline/", views.request_decline, name="request_decline"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("requests/<int:pk>/rate/", views.rate, name="rate"),
    path("ratings/", views.my_ratings, name="my_ratings"),
]
