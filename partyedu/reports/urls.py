from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_request, name="request"),
    path("<int:pk>/download/", views.download, name="download"),
]
