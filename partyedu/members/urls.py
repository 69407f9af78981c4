from django.urls import path

from . import import_views, views

app_name = "members"
urlpatterns = [
    path("", views.roster, name="roster"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/transfer/", views.transfer, name="transfer"),
    path("export/", import_views.export_start, name="export"),
    path("exports/<int:pk>/", import_views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", import_views.export_download, name="export_download"),
    path("import/", import_views.upload, name="import"),
    path("import/template.xlsx", import_views.template, name="import_template"),
    path("import/<int:pk>/", import_views.report, name="import_report"),
    path("import/<int:pk>/errors.xlsx", import_views.error_report, name="import_errors"),
    path("import/<int:pk>/commit/", import_views.commit, name="import_commit"),
    path("import/<int:pk>/discard/", import_views.discard, name="import_discard"),
]
