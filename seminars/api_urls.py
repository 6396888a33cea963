"""API routes of seminars under /api/v1/ on the portal."""

from django.urls import path

from seminars import api

urlpatterns = [
    path("seminars/", api.SeminarList.as_view(), name="api-seminars"),
    path("seminars/report/", api.YearReportView.as_view(), name="api-seminars-report"),
    # Digits only (<int:pk>): report/ and check-in/… above are never read as an event.
    path("seminars/<int:pk>/", api.SeminarDetail.as_view(), name="api-seminar"),
    path(
        "seminars/check-in/<str:code>",
        api.CodeCheckIn.as_view(),
        name="api-seminars-check-in-code",
    ),
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
        "seminars/<int:pk>/registrations/<int:registration_id>/",
        api.RegistrationDetail.as_view(),
        name="api-seminar-registration",
    ),
    path(
        "seminars/<int:pk>/registrations/<int:registration_id>/check-in",
        api.RegistrationCheckIn.as_view(),
        name="api-seminar-registration-check-in",
    ),
    path(
        "seminars/<int:pk>/evaluations/",
        api.EvaluationSummaryView.as_view(),
        name="api-seminar-evaluations",
    ),
    path(
        "seminars/<int:pk>/evaluations/remind",
        api.EvaluationRemind.as_view(),
        name="api-seminar-evaluations-remind",
    ),
]
