from django.urls import path

from . import views

app_name = "competitions"
urlpatterns = [
    # the players' answers and polls (served by the phone lane, partyedu/wsgi.py, in production)
    path("live/<int:pk>/answer/", views.answer, name="answer"),
    path("live/<int:pk>/state/", views.state, name="state"),
    # through every middleware, as any page: the benchmark's reference
    path("ping/", views.ping, name="ping"),
    path("", views.competition_list, name="list"),
    path("new/", views.competition_create, name="create"),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join_code, name="join_code"),
    path("<int:pk>/", views.competition_detail, name="detail"),
    path("<int:pk>/close/", views.competition_close, name="close"),
    path("<int:pk>/take/", views.take, name="take"),
    path("<int:pk>/live/", views.session_create, name="session_create"),
    path("live/<int:pk>/host/", views.host, name="host"),
    path("live/<int:pk>/host/<str:action>/", views.host_action, name="host_action"),
    path("live/<int:pk>/screen/", views.screen, name="screen"),
    path("live/<int:pk>/screen/state/", views.screen_state, name="screen_state"),
    path("live/<int:pk>/results/", views.session_results, name="results"),
    path("live/<int:pk>/play/", views.play, name="play"),
]
