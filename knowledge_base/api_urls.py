"""API routes of knowledge_base under /api/v1/ on the portal."""

from django.urls import path

from knowledge_base import api

urlpatterns = [
    path("guides/", api.GuideList.as_view(), name="api-guides"),
    path("experiences/", api.ExperienceList.as_view(), name="api-experiences"),
]
