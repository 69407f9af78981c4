from django.urls import path

from . import signin_views as views

app_name = "signin"
urlpatterns = [
    path("display/<int:meeting_id>/", views.display, name="display"),
    path("display/<int:meeting_id>/rotate/", views.rotate, name="rotate"),
    path("sheet/<int:meeting_id>/", views.sheet, name="sheet"),
    path("my/", views.my_meetings, name="my_meetings"),
    path("my/history/", views.my_history, name="my_history"),
    path("my/leave/<int:meeting_id>/", views.leave, name="leave"),
    # Last: any other text after /signin/ is a scanned code, and a mangled one gets "签到码无效", not a 404.
    path("<str:token>/", views.scan, name="scan"),
]
