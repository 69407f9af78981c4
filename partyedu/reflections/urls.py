from django.urls import path

from . import views

app_name = "reflections"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/return/", views.return_, name="return"),
    path("review/", views.queue, name="queue"),
    path("references/", views.references, name="references"),
    path("references/<int:pk>/delete/", views.reference_delete, name="reference_delete"),
    path("settings/", views.settings_index, name="settings"),
    path("settings/<int:pk>/", views.setting_edit, name="setting_edit"),
]
