from django.urls import path

from . import views_materials

app_name = "learning"
urlpatterns = [
    path("materials/", views_materials.library, name="materials"),
    path("materials/new/", views_materials.create, name="material_create"),
    path("materials/<int:pk>/", views_materials.detail, name="material_detail"),
    path("materials/<int:pk>/edit/", views_materials.edit, name="material_edit"),
    path("materials/<int:pk>/file/", views_materials.file, name="material_file"),
]

from .urls_study import urlpatterns as study_urlpatterns  # noqa: E402

urlpatterns += study_urlpatterns

from .urls_recommend import urlpatterns as recommend_urlpatterns  # noqa: E402

urlpatterns += recommend_urlpatterns
