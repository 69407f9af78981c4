from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/suggest/", views.campaign_suggest, name="suggest"),
    path("<int:pk>/close/", views.campaign_close, name="close"),
    path("<int:pk>/branches/<int:branch>/export/", views.branch_export, name="export"),
    path("<int:pk>/branches/<int:branch>/review/", views.review, name="review"),
    path("<int:pk>/branches/<int:branch>/review/rate/", views.review_rate, name="review_rate"),
    path("<int:pk>/branches/<int:branch>/review/docx/", views.review_docx, name="review_docx"),
    path("participants/<int:pk>/", views.participant_detail, name="participant"),
    path("participants/<int:pk>/assess/", views.participant_assess, name="assess"),
    path("participants/<int:pk>/decide/", views.participant_decide, name="decide"),
    path("participants/<int:pk>/tokens/", views.participant_tokens, name="tokens"),
    path("scorecard/", views.scorecard, name="scorecard"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/", views.my_detail, name="my"),
    path("mine/<int:pk>/self/", views.my_self, name="my_self"),
    path("mine/<int:pk>/rate/<int:ratee>/", views.my_rate, name="my_rate"),
    path("r/<str:token>/", views.rate, name="rate"),
]
