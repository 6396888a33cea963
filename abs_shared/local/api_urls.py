"""Member-host API routes of the ABS under /api/v1/ (before the public ones, which they refine)."""

from django.urls import path

from abs_shared.local import api

urlpatterns = [
    path("observations/", api.ObservationList.as_view(), name="api-abs-observations"),
    path("observations/import", api.ObservationImport.as_view(), name="api-abs-import"),
    path("observations/validate", api.ObservationValidate.as_view(), name="api-abs-validate"),
    path("observations/publish", api.ObservationPublish.as_view(), name="api-abs-publish"),
    path("observations/retract", api.ObservationRetract.as_view(), name="api-abs-retract"),
    path("comparison/", api.MemberComparisonView.as_view(), name="api-abs-member-comparison"),
    path("series/", api.MemberSeriesView.as_view(), name="api-abs-member-series"),
]
