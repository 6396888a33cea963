"""API routes of seminars under /api/v1/ on the portal."""

from django.urls import path

from seminars import api

urlpatterns = [
    path("seminars/", api.SeminarList.as_view(), name="api-seminars"),
    path(
        "seminars/<int:pk>/registrations/",
        api.RegistrationList.as_view(),
        name="api-seminar-registrations",
    ),
    path(
        "seminars/<int:pk>/registrations/import",
        api.RegistrationImport.as_view(),
        name="api-seminar-registrations-import",
    ),
    path(
        "seminars/<int:pk>/registrations/export",
        api.RegistrationExport.as_view(),
        name="api-seminar-registrations-export",
    ),
    path(
        "seminars/<int:pk>/evaluations/",
        api.EvaluationSummaryView.as_view(),
        name="api-seminar-evaluations",
    ),
]
