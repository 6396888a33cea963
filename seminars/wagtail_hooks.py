"""Organisers' screens in the Wagtail admin (union admins and event organisers)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from seminars import admin_views
from seminars.models import SeminarPage


class OrganiserMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_organise(request.user)


@hooks.register("register_admin_urls")
def register_seminar_admin_urls():
    urls = [
        path("", admin_views.seminar_list, name="list"),
        path("bilan/", admin_views.year_report, name="year_report"),
        path("<int:pk>/", admin_views.registrations, name="registrations"),
        path("<int:pk>/ajouter/", admin_views.add, name="add"),
        path("<int:pk>/importer/", admin_views.import_view, name="import"),
        path("<int:pk>/communes/", admin_views.flagged, name="flagged"),
        path("<int:pk>/export/", admin_views.export, name="export"),
        path("<int:pk>/chiffres/", admin_views.stats, name="stats"),
        path("<int:pk>/badges/", admin_views.badges, name="badges"),
        path("<int:pk>/liste.xlsx", admin_views.export_list, name="export_list"),
        path("<int:pk>/attestations/", admin_views.certificates, name="certificates"),
        path(
            "<int:pk>/attestations/envoyer/",
            admin_views.email_certificates,
            name="email_certificates",
        ),
        path(
            "<int:pk>/<int:registration_pk>/attestation/",
            admin_views.certificate,
            name="certificate",
        ),
        path("emargement/<str:code>/", admin_views.scan, name="scan"),
        path("<int:pk>/avis/", admin_views.evaluations, name="evaluations"),
        path("<int:pk>/avis.xlsx", admin_views.export_evaluations, name="export_evaluations"),
        path("<int:pk>/avis/relancer/", admin_views.remind_evaluations, name="remind_evaluations"),
        path("<int:pk>/ecrire/", admin_views.email, name="email"),
        path("<int:pk>/<int:registration_pk>/emargement/", admin_views.check_in, name="check_in"),
        path("<int:pk>/<int:registration_pk>/annuler/", admin_views.cancel, name="cancel"),
    ]
    return [path("inscriptions/", include((urls, "seminars_admin")))]


@hooks.register("register_admin_menu_item")
def register_seminar_menu_item():
    return OrganiserMenuItem(
        "Inscriptions aux événements",
        reverse("seminars_admin:list"),
        icon_name="date",
        order=260,
    )


@hooks.register("register_page_listing_more_buttons")
@hooks.register("register_page_header_buttons")
def registrations_button(page, user, view_name=None, next_url=None):
    """From an event in the page tree, one click to its registrations."""
    if page.specific_class is SeminarPage and admin_views.can_organise(user):
        yield Button(
            "Inscriptions",
            url=reverse("seminars_admin:registrations", args=[page.pk]),
            icon_name="group",
            priority=5,
        )
