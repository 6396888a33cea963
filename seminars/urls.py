"""Portal pages of seminars (public URLconf). The calendar and event pages are Wagtail pages."""

from django.urls import path

from seminars import views

app_name = "seminars"
urlpatterns = [
    path("evenements/calendrier.ics", views.ics_feed, name="ics_feed"),
    path("evenements/ics/<int:pk>.ics", views.event_ics, name="event_ics"),
    path("evenements/inscription/<str:token>/", views.manage_registration, name="manage"),
    path(
        "evenements/inscription/<str:token>/attestation.pdf",
        views.download_certificate,
        name="certificate",
    ),
    path("evenements/inscription/<str:token>/avis/", views.evaluate, name="evaluate"),
    path(
        "evenements/inscription/<str:token>/agenda.ics",
        views.download_personal_ics,
        name="personal_ics",
    ),
    path("evenements/<int:pk>/nouveau-lien/", views.resend_link, name="resend_link"),
    path("evenements/mes-inscriptions/", views.find_registrations, name="find_registrations"),
]
