"""API routes of abs_shared under /api/v1/ (portal, and member hosts after the member's own)."""

from django.urls import path

from abs_shared import api

urlpatterns = [
    path("indicators/", api.IndicatorList.as_view(), name="api-abs-indicators"),
    path("indicators/<str:code>/", api.IndicatorDetail.as_view(), name="api-abs-indicator"),
    path("comparison/", api.ComparisonView.as_view(), name="api-abs-comparison"),
    path("series/", api.SeriesView.as_view(), name="api-abs-series"),
]
