from django.urls import path

from . import views

app_name = "opinions"
urlpatterns = [
    path("", views.opinion_list, name="list"),
    path("new/", views.opinion_create, name="create"),
    path("<int:pk>/", views.opinion_detail, name="detail"),
    path("<int:pk>/assign/", views.opinion_assign, name="assign"),
    path("<int:pk>/reply/", views.opinion_reply, name="reply"),
    path("<int:pk>/close/", views.opinion_close, name="close"),
    path("stats/", views.stats, name="stats"),
    path("stats/export/", views.stats_export, name="stats_export"),
    path("box/<int:org>/", views.box, name="box"),
    path("box/<int:org>/renew/", views.box_renew, name="box_renew"),
    # public, no login (accounts/middleware.py PUBLIC_PREFIXES)
    path("p/r/", views.public_lookup, name="public_lookup"),
    path("p/r/<str:code>/", views.public_receipt, name="public_receipt"),
    path("p/<str:token>/", views.public_submit, name="public_submit"),
]
