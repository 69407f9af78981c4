from django.urls import path

from . import views

app_name = "practice"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("export/", views.item_export, name="export"),
    path("summary/", views.summary, name="summary"),
    path("items/new/", views.item_create, name="create"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="edit"),
    path("items/<int:pk>/start/", views.item_start, name="start"),
    path("items/<int:pk>/progress/", views.item_progress, name="progress"),
    path("items/<int:pk>/evidence/", views.item_evidence, name="evidence"),
    path("items/<int:pk>/complete/", views.item_complete, name="complete"),
    path("items/<int:pk>/cancel/", views.item_cancel, name="cancel"),
    path("items/<int:pk>/links/", views.item_tokens, name="tokens"),
    path("files/<int:pk>/", views.evidence_file, name="file"),
    path("wishes/", views.wish_list, name="wishes"),
    path("wishes/new/", views.wish_create, name="wish_create"),
    path("wishes/<int:pk>/", views.wish_detail, name="wish"),
    path("wishes/<int:pk>/confirm/", views.wish_confirm, name="wish_confirm"),
    path("wishes/<int:pk>/return/", views.wish_return, name="wish_return"),
    path("wishes/<int:pk>/withdraw/", views.wish_withdraw, name="wish_withdraw"),
    path("mine/", views.mine, name="mine"),
    path("mine/wishes/<int:pk>/", views.my_wish, name="my_wish"),
    path("mine/wishes/<int:pk>/claim/", views.my_wish_claim, name="my_wish_claim"),
    path("mine/wishes/<int:pk>/release/", views.my_wish_release, name="my_wish_release"),
    path("mine/wishes/<int:pk>/fulfil/", views.my_wish_fulfil, name="my_wish_fulfil"),
    path("f/<str:token>/", views.feedback, name="feedback"),
]
