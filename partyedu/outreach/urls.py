from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.index, name="index"),
    path("orgs/<int:pk>/", views.left_behind, name="left_behind"),
    path("orgs/<int:pk>/deliveries/", views.deliveries, name="deliveries"),
    path("members/<int:pk>/", views.member_deliveries, name="member_deliveries"),
    path("members/<int:pk>/deliver/", views.delivery_new, name="delivery_new"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="delivery"),
    path("deliveries/<int:pk>/void/", views.delivery_void, name="delivery_void"),
]
