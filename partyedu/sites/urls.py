from django.urls import path

from . import views

app_name = "sites"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("new/", views.site_create, name="create"),
    path("stats/", views.stats, name="stats"),
    path("<int:pk>/", views.site_detail, name="detail"),
    path("<int:pk>/edit/", views.site_edit, name="edit"),
    path("<int:pk>/status/", views.site_status, name="status"),
    path("<int:pk>/closures/", views.closure_add, name="closure_add"),
    path("<int:pk>/photos/", views.photo_upload, name="photo_upload"),
    path("<int:pk>/book/", views.book, name="book"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("hosting/", views.host_bookings, name="host_bookings"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking"),
    path("bookings/<int:pk>/confirm/", views.booking_confirm, name="booking_confirm"),
    path("bookings/<int:pk>/decline/", views.booking_decline, name="booking_decline"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/done/", views.booking_done, name="booking_done"),
    path("bookings/<int:pk>/meeting/", views.booking_meeting, name="booking_meeting"),
]
