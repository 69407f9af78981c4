"""Recommendation routes, appended to the learning namespace by urls.py."""

from django.urls import path

from . import views_recommend

urlpatterns = [
    path("recommended/", views_recommend.recommendations, name="recommendations"),
]
