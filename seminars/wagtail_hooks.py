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


def _page(route: str, view, name: str):
    """An organiser's screen: a 404 or a bad parameter is an admin page saying why
    (admin_views.explained), never Wagtail's generic « page introuvable »."""
    return path(route, admin_views.explained(view), name=name)


@hooks.register("register_admin_urls")
def register_seminar_admin_urls():
    v = admin_views
    urls = [
        _page("", v.seminar_list, "list"),
        _page("bilan/", v.year_report, "year_report"),
        _page("<int:pk>/", v.registrations, "registrations"),
        _page("<int:pk>/ajouter/", v.add, "add"),
        _page("<int:pk>/importer/", v.import_view, "import"),
        _page("<int:pk>/communes/", v.flagged, "flagged"),
        _page("<int:pk>/export/", v.export, "export"),
        _page("<int:pk>/chiffres/", v.stats, "stats"),
        _page("<int:pk>/badges/", v.badges, "badges"),
        _page("<int:pk>/liste.xlsx", v.export_list, "export_list"),
        _page("<int:pk>/attestations/", v.certificates, "certificates"),
        _page("<int:pk>/attestations/envoyer/", v.email_certificates, "email_certificates"),
        _page("<int:pk>/<int:registration_pk>/attestation/", v.certificate, "certificate"),
        _page("emargement/<str:code>/", v.scan, "scan"),
        _page("<int:pk>/avis/", v.evaluations, "evaluations"),
        _page("<int:pk>/avis.xlsx", v.export_evaluations, "export_evaluations"),
        _page("<int:pk>/avis/relancer/", v.remind_evaluations, "remind_evaluations"),
        _page("<int:pk>/ecrire/", v.email, "email"),
        _page("<int:pk>/<int:registration_pk>/emargement/", v.check_in, "check_in"),
        _page("<int:pk>/<int:registration_pk>/annuler/", v.cancel, "cancel"),
        _page("<int:pk>/<int:registration_pk>/modifier/", v.edit, "edit"),
        _page("<int:pk>/<int:registration_pk>/lien/", v.resend_link, "resend_link"),
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
