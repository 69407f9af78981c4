from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    # workers
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/audience/", views.audience, name="audience"),
    path("<int:pk>/items/", views.items, name="items"),
    path("items/<int:pk>/change/", views.item_change, name="item_change"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/sync/", views.sync, name="sync"),
    path("<int:pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/members/<int:member_pk>/", views.member_detail, name="member_detail"),
    path("<int:pk>/overdue/export/", views.overdue_export, name="overdue_export"),
    # members
    path("mine/", views.mine, name="mine"),
    path("mine/new/", views.personal_create, name="personal_create"),
    path("mine/<int:pk>/", views.mine_detail, name="mine_detail"),
    path("mine/items/<int:pk>/read/", views.book_read, name="book_read"),
]
