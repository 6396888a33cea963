"""Organisers' screens in the Wagtail admin (union admins and event organisers)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from laces.components import Component
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.pages.unpublish import UnpublishView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.admin.widgets import Button
from wagtail.models import Page

from seminars import admin_views, door_views
from seminars.door_access import can_staff_door, door_only, events_in_window
from seminars.models import SeminarPage
from seminars.services import change_notice_sentence, deletion_refusal, unpublish_refusal


class OrganiserMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_organise(request.user)


class DoorMenuItem(MenuItem):
    """The welcome desk: organisers and the « Accueil des participants » (door_access)."""

    def is_shown(self, request):
        return can_staff_door(request.user)


def _page(route: str, view, name: str):
    """An organiser's screen: a 404 or a bad parameter is an admin page saying why
    (admin_views.explained), never Wagtail's generic « page introuvable »."""
    return path(route, admin_views.explained(view), name=name)


@hooks.register("register_admin_urls")
def register_seminar_admin_urls():
    v = admin_views
    urls = [
        _page("", v.seminar_list, "list"),
        _page("bilan/", v.year_report, "year_report"),
        # RGPD art. 15 and 17: one person's registrations, by address (seminars.retention).
        _page("personne/", v.person_requests, "person_requests"),
        _page("personne/anonymiser/", v.person_erase, "person_erase"),
        _page("<int:pk>/", v.registrations, "registrations"),
        _page("<int:pk>/ajouter/", v.add, "add"),
        _page("<int:pk>/importer/", v.import_view, "import"),
        _page("<int:pk>/communes/", v.flagged, "flagged"),
        _page("<int:pk>/export/", v.export, "export"),
        _page("<int:pk>/chiffres/", v.stats, "stats"),
        _page("<int:pk>/chiffres/telecharger/", v.export_stats, "export_stats"),
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
        _page("<int:pk>/annuler-evenement/", v.cancel_event_view, "cancel_event"),
        _page("<int:pk>/lien-invitation/", v.renew_invitation_view, "renew_invitation"),
        _page("<int:pk>/<int:registration_pk>/emargement/", v.check_in, "check_in"),
        _page("<int:pk>/<int:registration_pk>/annuler/", v.cancel, "cancel"),
        _page("<int:pk>/<int:registration_pk>/modifier/", v.edit, "edit"),
        _page("<int:pk>/<int:registration_pk>/lien/", v.resend_link, "resend_link"),
        _page("<int:pk>/<int:registration_pk>/retirer-nom/", v.erase_name, "erase_name"),
        _page(
            "<int:pk>/<int:registration_pk>/quitter-liste-atelier/",
            v.leave_atelier_list,
            "leave_atelier_list",
        ),
        _page(
            "<int:pk>/<int:registration_pk>/place-atelier/",
            v.give_atelier_seat,
            "give_atelier_seat",
        ),
        _page(
            "<int:pk>/<int:registration_pk>/tete-liste-atelier/",
            v.put_first_on_list,
            "put_first_on_list",
        ),
        # The welcome desk (door_views): organisers and the « Accueil des participants ».
        _page("accueil/", door_views.door_day, "door_day"),
        _page("accueil/<int:pk>/", door_views.door_list, "door_list"),
        _page("accueil/<int:pk>/arrivee/", door_views.door_add, "door_add"),
        _page(
            "accueil/<int:pk>/<int:registration_pk>/emargement/",
            door_views.door_check_in,
            "door_check_in",
        ),
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


@hooks.register("register_admin_menu_item")
def register_person_requests_menu_item():
    """Answering someone registered to the events who asks what the union holds about her, or
    for its erasure (/donnees-personnelles/ invites her to write)."""
    return OrganiserMenuItem(
        "Demandes des personnes (RGPD)",
        reverse("seminars_admin:person_requests"),
        icon_name="user",
        order=262,
    )


@hooks.register("register_admin_menu_item")
def register_door_menu_item():
    return DoorMenuItem(
        "Accueil des participants",
        reverse("seminars_admin:door_day"),
        icon_name="group",
        order=261,
    )


class DoorPanel(Component):
    """The admin home of the « Accueil des participants »: the events of their day window."""

    name = "door_desk"
    template_name = "seminars/admin/door_panel.html"
    order = 40  # first: it is all they do here

    def get_context_data(self, parent_context):
        return {"events": events_in_window(SeminarPage.objects.order_by("start"))}


@hooks.register("construct_homepage_panels")
def add_door_panel(request, panels):
    if door_only(request.user):
        panels.append(DoorPanel())


class OrganiserPanel(Component):
    """The organisers' admin home: coming events (seats, waiting list), communes to check,
    registrations closing soon (seminars.admin_panel)."""

    name = "organiser"
    template_name = "seminars/admin/organiser_panel.html"
    order = 75  # after the federation's and the editors' panels, before Wagtail's own

    def get_context_data(self, parent_context):
        from seminars.admin_panel import organiser_overview

        return organiser_overview()


@hooks.register("construct_homepage_panels")
def add_organiser_panel(request, panels):
    if admin_views.can_organise(request.user):
        panels.append(OrganiserPanel())


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


def _refused(request, page, refusal: str):
    """Back to the page's place in the tree, saying why."""
    messages.error(request, refusal)
    parent = page.get_parent()
    return redirect("wagtailadmin_explore", parent.pk if parent else page.pk)


@hooks.register("before_delete_page")
def keep_events_with_registrations(request, page):
    """Wagtail's « Supprimer » of an event that holds registrations (or of a page above one, the
    calendar) is refused, on its confirmation page already: cancel the event instead."""
    refusal = deletion_refusal([page])
    return _refused(request, page, refusal) if refusal else None


@hooks.register("before_unpublish_page")
def keep_events_with_registrants_published(request, page):
    """Wagtail's « Dépublier » of an event still to come that people are confirmed or waiting for
    (or of a page above one, the calendar, with its children ticked) is refused: they would not
    be told. Wagtail runs this hook on the confirmation's POST only; the event's own
    confirmation page refuses already (EventUnpublishView)."""
    descendants = bool(request.POST.get("include_descendants"))
    refusal = unpublish_refusal([page], descendants=descendants)
    return _refused(request, page, refusal) if refusal else None


class EventUnpublishView(UnpublishView):
    """An event's « Dépublier »: refused on its confirmation page already, as its deletion."""

    def get(self, request, *args, **kwargs):
        refusal = unpublish_refusal([self.object], descendants=False)
        if refusal:
            return _refused(request, self.object, refusal)
        return super().get(request, *args, **kwargs)


class SeminarPageViewSet(PageViewSet):
    """Wagtail's views of an event page, but for its unpublishing (EventUnpublishView)."""

    model = SeminarPage
    unpublish_view_class = EventUnpublishView
    parent_models = ()  # the calendar's listing stays Wagtail's


@hooks.register("register_admin_viewset")
def register_seminar_page_viewset():
    return SeminarPageViewSet("seminar_pages")


@hooks.register("before_bulk_action")
def keep_events_with_registrations_in_bulk(request, action_type, objects, action_class_instance):
    """The same for the page listing's bulk « Supprimer » (nothing is deleted) and « Dépublier »
    (nothing is unpublished; the events under a page count if its children are ticked)."""
    if action_type not in ("delete", "unpublish") or not objects:
        return None
    if not isinstance(objects[0], Page):
        return None
    if action_type == "unpublish":
        form = action_class_instance.cleaned_form.cleaned_data
        refusal = unpublish_refusal(objects, descendants=bool(form.get("include_descendants")))
    else:
        refusal = deletion_refusal(objects)
    if refusal:
        messages.error(request, refusal)
        return redirect(action_class_instance.next_url)
    return None


@hooks.register("after_publish_page")
def say_when_registrants_are_told(request, page):
    """After publishing a new date, time or place: when « Événement modifié » goes, so that
    the organiser neither writes to them meanwhile nor wonders whether they were told."""
    specific = page.specific
    if isinstance(specific, SeminarPage) and (sentence := change_notice_sentence(specific)):
        messages.info(request, sentence)
