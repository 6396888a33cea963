"""Organisers' screens in the Wagtail admin (union admins and event organisers)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from seminars import admin_views


class OrganiserMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_organise(request.user)


@hooks.register("register_admin_urls")
def register_seminar_admin_urls():
    urls = [
        path("", admin_views.seminar_list, name="list"),
        path("<int:pk>/", admin_views.registrations, name="registrations"),
        path("<int:pk>/ajouter/", admin_views.add, name="add"),
        path("<int:pk>/importer/", admin_views.import_view, name="import"),
        path("<int:pk>/communes/", admin_views.flagged, name="flagged"),
        path("<int:pk>/export/", admin_views.export, name="export"),
        path("<int:pk>/chiffres/", admin_views.stats, name="stats"),
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
