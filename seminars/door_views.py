"""The welcome desk's screens (« Accueil des participants »), for organisers and for the people
the union lends to the door (seminars.door_access): the events of the day window, an event's
door list (search, presence, per-atelier view and presence), check-in and walk-in.

What a volunteer sees of a person is what the desk needs: name, commune, fonction, status and
ateliers; never an e-mail address, a phone number or the needs. Every write goes through the
organisers' services and is audited the same way (set_check_in, set_atelier_presence,
register_at_the_door, confirm_over_capacity)."""

from django import forms
from django.contrib import messages
from django.contrib.postgres.lookups import Unaccent
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, Q, Value
from django.db.models.functions import Concat, Lower
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from seminars.admin_views import (
    _render,
    check_in_as_posted,
    in_list_order,
    over_capacity_message,
    present_now_refusal,
    row_urls,
)
from seminars.attendance import atelier_counts, mark_rows
from seminars.door_access import (
    check_door_access,
    door_only,
    door_window,
    events_in_window,
)
from seminars.forms import (
    ManualRegistrationForm,
    RegistrationFilterForm,
    containing_every_word,
    search_words,
)
from seminars.models import PRESENT, Registration, SeminarPage, position_label, waiting_positions
from seminars.services import RegistrationError, register_at_the_door, same_person
from union.formats import with_de

Status = Registration.Status


def door_list_url(seminar: SeminarPage, query: str = "", row: Registration | None = None) -> str:
    """The door list with its filters (`query`, re-encoded: parameters only), back at `row`."""
    url = reverse("seminars_admin:door_list", args=[seminar.pk])
    query = QueryDict(query or "").urlencode()
    url = f"{url}?{query}" if query else url
    return f"{url}#r-{row.pk}" if row is not None else url


def _event(request, pk: int) -> SeminarPage:
    check_door_access(request.user)  # before the lookup: a stranger learns nothing of the ids
    seminar = get_object_or_404(SeminarPage, pk=pk)
    check_door_access(request.user, seminar)
    return seminar


def door_day(request):
    """The events of the day before, the day and the day after, each with its door list."""
    check_door_access(request.user)
    first, last = door_window()
    events = list(
        events_in_window(SeminarPage.objects.all())
        .annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED)),
            present=Count(
                "registrations",
                filter=Q(
                    registrations__status=Status.CONFIRMED,
                    registrations__checked_in_at__isnull=False,
                ),
            ),
        )
        .order_by("start", "pk")
    )
    return _render(
        request,
        "door_day.html",
        None,
        "Accueil des participants",
        events=events,
        first=first,
        last=last,
        today=timezone.localdate(),
        organiser=not door_only(request.user),
    )


class DoorFilterForm(RegistrationFilterForm):
    """The desk's filters: a name, who came or not, an atelier. The search reads names only: a
    volunteer does not see the addresses, and should not find people by them either."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("status", "commune", "fonction", "flagged", "atelier_waiting"):
            del self.fields[name]
        self.fields["q"].label = "Rechercher (nom, prénom)"
        if len(self.fields["atelier"].choices) == 1:  # no atelier: « Tous » alone
            del self.fields["atelier"]

    def filter(self, queryset):
        if not self.is_bound:
            return queryset
        self.is_valid()
        typed = self.cleaned_data.pop("q", "")  # the base class would search the e-mails too
        for name in ("status", "commune", "fonction", "flagged", "atelier", "atelier_waiting"):
            self.cleaned_data.setdefault(name, None)  # the fields removed: not applied
        queryset = super().filter(queryset)
        if typed:
            names = Unaccent(Lower(Concat("nom", Value(" "), "prenom", output_field=CharField())))
            queryset = containing_every_word(queryset, "door_search", names, search_words(typed))
        return queryset


def door_list(request, pk: int):
    seminar = _event(request, pk)
    filters = DoorFilterForm(request.GET or None, seminar=seminar)
    rows = list(
        in_list_order(
            filters.filter(
                seminar.registrations.select_related("commune").prefetch_related("ateliers")
            )
        )
    )
    positions = waiting_positions(seminar.pk)
    for registration in rows:
        registration.position = position_label(positions.get(registration.pk))
    atelier_id = filters.cleaned_data.get("atelier") if filters.is_bound else None
    shown_atelier = seminar.ateliers.filter(pk=atelier_id).first() if atelier_id else None
    mark_rows(seminar, rows, shown_atelier=shown_atelier)
    row_urls(rows, seminar, check_in="seminars_admin:door_check_in")
    return _render(
        request,
        "door.html",
        seminar,
        f"Accueil – {seminar.title}",
        filters=filters,
        registrations=rows,
        ateliers=seminar.ateliers.order_by("starts_at", "sort_order"),
        shown_atelier=shown_atelier,
        atelier_counts=atelier_counts(shown_atelier) if shown_atelier else None,
        present_count=seminar.registrations.filter(PRESENT).count(),
        confirmed_count=seminar.confirmed_count(),
        event_day=seminar.is_event_day(),
        organiser=not door_only(request.user),
    )


@require_POST
def door_check_in(request, pk: int, registration_pk: int):
    """« Émarger », « Annuler l'émargement », « Présent(e) à l'atelier » and « Confirmer et
    émarger » of the door list, as the organisers' list does them (check_in_as_posted, which
    asks first outside the event's days). A volunteer may confirm someone waiting only to check
    her in: she is at the door, as a walk-in would be."""
    seminar = _event(request, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, seminar=seminar)
    if door_only(request.user) and request.POST.get("seat") == "1":
        if request.POST.get("present") != "1":
            raise PermissionDenied("« Confirmer malgré la jauge » est réservé aux organisateurs.")
    query = request.POST.get("query", "")
    back = door_list_url(seminar, query, registration)
    here = reverse("seminars_admin:door_check_in", args=[pk, registration_pk])
    question = check_in_as_posted(request, registration, here, back)
    return question or redirect(back)


class WalkInForm(ManualRegistrationForm):
    """Someone who turns up unregistered, added at the desk: confirmed and checked in at once
    (register_at_the_door). Without the needs, which the desk does not handle (an organiser adds
    them), nor the phone number, nor the check box: this form is only for people present. Nor
    the atelier waiting lists: on the day nobody is moved (give_freed_atelier_seats)."""

    offers_waiting_lists = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["present_now"]
        self.fields.pop("needs", None)
        self.fields.pop("phone", None)  # an organiser adds it: the desk handles no numbers
        if self.is_bound and self.data.get("homonym"):
            self.offer_homonym()

    def offer_homonym(self) -> None:
        """« C'est une autre personne (homonyme) », offered once someone of the same name was
        found registered (same_name_registrations): ticked, the walk-in is added all the same."""
        self.fields.setdefault("homonym", forms.BooleanField(label=HOMONYM, required=False))

    def homonym(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("homonym"))


HOMONYM = "C'est une autre personne (homonyme)"


def same_name_registrations(seminar: SeminarPage, form: WalkInForm) -> list[Registration]:
    """The registrations of the event under the name typed (nom and prénom, whatever the case,
    the accents, the spaces and the hyphens: services.same_person), unless cancelled. The desk
    sees no address: the person may be there already, registered with another one (or one
    mistyped), and adding her again would take a second seat and send a confirmation to the
    wrong address."""
    data = form.to_data()
    registrations = (
        seminar.registrations.exclude(status=Status.CANCELLED)
        .select_related("commune")
        .only("pk", "nom", "prenom", "status", "checked_in_at", "commune_typed", "commune__nom")
        .order_by("nom", "prenom", "pk")
    )
    return [registration for registration in registrations if same_person(registration, data)]


def already_here(seminar: SeminarPage, registrations: list[Registration]) -> list:
    """The people of the same name, for the walk-in page: each with the address of her row in
    the door list (searched by her name as registered), and the check-in button's address and
    the search it comes back to."""
    row_urls(registrations, seminar, check_in="seminars_admin:door_check_in")
    for registration in registrations:
        query = QueryDict(mutable=True)
        query["q"] = f"{registration.nom} {registration.prenom}"
        registration.query = query.urlencode()
        registration.row_url = door_list_url(seminar, registration.query, registration)
    return registrations


def existing_registration(seminar: SeminarPage, form: WalkInForm) -> Registration | None:
    """A registration of the event that the walk-in would update (the same address, or without
    one the same name and commune, as register_person finds it), unless cancelled: the desk
    checks the person in from the list instead of rewriting her registration. Someone of the
    same name at another address is asked about next (same_name_registrations)."""
    data = form.cleaned_data
    registrations = seminar.registrations.exclude(status=Status.CANCELLED)
    if data.get("email"):
        return registrations.filter(email=data["email"].strip().lower()).first()
    return registrations.filter(
        email="",
        nom__iexact=data["nom"].strip(),
        prenom__iexact=data["prenom"].strip(),
        commune_typed__iexact=form.commune_resolution.typed,
    ).first()


def door_add(request, pk: int):
    """« Présent(e) maintenant » at the desk: register and check in someone who turns up."""
    seminar = _event(request, pk)
    form = WalkInForm(request.POST or None, seminar=seminar)
    back = door_list_url(seminar)
    already = []
    if request.method == "POST" and form.is_valid():
        if not seminar.check_in_expected():
            form.add_error(None, present_now_refusal(seminar))
        elif existing_registration(seminar, form) is not None:
            form.add_error(
                None,
                "Cette personne est déjà inscrite à cet événement : cherchez-la par son nom dans "
                "la liste de l'accueil pour l'émarger.",
            )
        elif not form.homonym() and (same_name := same_name_registrations(seminar, form)):
            name = f"{same_name[0].prenom} {same_name[0].nom}"  # as registered
            already = already_here(seminar, same_name)
            form.offer_homonym()
            form.add_error(
                None,
                f"{name} est déjà inscrit(e) à cet événement : émargez cette inscription "
                f"ci-dessous si c'est la même personne, ou cochez « {HOMONYM} » pour l'ajouter.",
            )
        else:
            try:
                registration, created, beyond = register_at_the_door(
                    seminar, form.to_data(), actor=request.user, source=Registration.Source.DOOR
                )
            except RegistrationError as error:
                form.add_registration_errors(error)
            else:
                verb = "ajoutée" if created else "mise à jour"
                name = f"{registration.prenom} {registration.nom}"
                if beyond is not None and beyond.confirmed_now:
                    text = over_capacity_message(beyond, added=verb)
                else:
                    text = f"Inscription {with_de(name)} {verb} (confirmée) et présence émargée."
                messages.success(request, text)
                return redirect(door_list_url(seminar, row=registration))
    return _render(
        request,
        "form.html",
        seminar,
        f"Personne arrivée sans inscription – {seminar.title}",
        form=form,
        submit="Ajouter et émarger",
        summary_title="La personne n'est pas ajoutée : des informations sont à corriger",
        back_url=back,
        already=already,
        event_day=seminar.is_event_day(),
        status=400 if form.errors else 200,
    )
