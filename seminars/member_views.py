"""Member-host pages of seminars: a member CCAS registers people (its elected officials, its
staff) for the union's events, as an organiser adds someone, and unregisters those it registered
until the event's cut-off for changes."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from seminars.dashboard import territory_label
from seminars.forms import MemberRegistrationForm
from seminars.links import page_path
from seminars.models import Fonction, Registration
from seminars.services import RegistrationError, cancel_registration, register_person
from seminars.views import find_upcoming_event
from tenants.access import WRITE_ROLES, member_role_required
from tenants.matching import fold
from tenants.services import portal_url
from tenants.workspace.meetings import members_in_office
from tenants.workspace.models import BoardMember


def board_in_office() -> list[BoardMember]:
    """The member's board today (this schema's), by name: whom « Inscrire quelqu'un » offers
    to fill in from the board instead of typing them again."""
    return sorted(
        members_in_office(timezone.localdate()),
        key=lambda person: (fold(person.last_name), fold(person.first_name)),
    )


def board_member_initial(board: list[BoardMember], asked: str | None, member) -> dict:
    """The form's first values for the board member `asked` (?membre=<id>, one of `board`):
    names, the fonction of the seat and the address kept for the convocations. {} for an id not
    in the board."""
    person = next((p for p in board if str(p.pk) == (asked or "")), None)
    if person is None:
        return {}
    if person.seat == BoardMember.Seat.PRESIDENT:
        # A CCAS's president is the maire; a CIAS's, the EPCI's president.
        fonction = Fonction.PRESIDENT_CCAS if member.is_cias else Fonction.MAIRE
    elif person.is_vice_president:
        fonction = Fonction.VICE_PRESIDENT_CCAS
    else:
        fonction = Fonction.MEMBRE_CA
    initial = {"nom": person.last_name, "prenom": person.first_name, "fonction": fonction}
    if person.email:
        initial["email"] = person.email  # the address kept on the board page, if any
    return initial


@member_role_required(*WRITE_ROLES)
def register_for_member(request, pk: int):
    """A director or an agent registers someone for an upcoming event the union lists: anyone,
    or a member of the board in office, whose names and fonction `?membre=<id>` fills in."""
    seminar = find_upcoming_event(pk)
    state = seminar.registration_state()
    form = None
    board = board_in_office()
    if state == "open":
        form = MemberRegistrationForm(
            request.POST if request.method == "POST" else None,  # an empty POST is an error
            seminar=seminar,
            disable_full=True,
            initial={
                "commune": request.tenant.commune.nom,
                **board_member_initial(board, request.GET.get("membre"), request.tenant),
            },
        )
        if form.is_valid():  # never for an unbound form (a GET)
            try:
                registration, _created = register_person(
                    seminar,
                    form.to_data(),
                    source=Registration.Source.MEMBER,
                    actor=request.user,
                    member=request.tenant,
                )
            except RegistrationError as error:
                form.add_registration_errors(error)
            else:
                waiting = registration.status == Registration.Status.WAITLISTED
                flagged = registration.commune_status == Registration.CommuneStatus.FLAGGED
                messages.success(
                    request,
                    f"{registration.prenom} {registration.nom} est inscrit(e) à "
                    f"« {seminar.title} »"
                    + (" en liste d'attente." if waiting else ".")
                    # Kept as typed, as everywhere: the organisers resolve it.
                    + (
                        f" La commune « {registration.commune_typed} » n'est pas reconnue : "
                        "l'union la vérifiera."
                        if flagged
                        else ""
                    ),
                )
                return HttpResponseRedirect("/")
    status = 400 if form is not None and form.errors else 200
    context = {
        "seminar": seminar,
        "form": form,
        "page_url": portal_url(page_path(seminar)),
        "seats_left": seminar.seats_left(),
        "territory": territory_label(request.tenant),
        "state": state,
        "board": board,
    }
    return render(request, "seminars/member_register.html", context, status=status)


def withdrawable_by(member, *, include_cancelled: bool = False):
    """The registrations a member may withdraw: those it made, whatever the person's commune,
    not cancelled. Never one a person made themselves, the union added or another member made."""
    made = Registration.objects.filter(registered_by=member)
    return made if include_cancelled else made.exclude(status=Registration.Status.CANCELLED)


@member_role_required(*WRITE_ROLES)
def cancel_for_member(request, pk: int, registration_pk: int):
    """A director or an agent unregisters someone the member registered (confirmation page)."""
    seminar = find_upcoming_event(pk)
    registration = get_object_or_404(
        withdrawable_by(request.tenant).filter(seminar=seminar), pk=registration_pk
    )
    open_ = seminar.changes_open()  # as the person's own link
    if request.method == "POST" and open_:
        cancel_registration(registration, actor=request.user, member=request.tenant)
        messages.success(
            request,
            f"{registration.prenom} {registration.nom} est désinscrit(e) de « {seminar.title} ».",
        )
        return HttpResponseRedirect("/")
    context = {
        "seminar": seminar,
        "registration": registration,
        # Its ateliers as the person's page lists them, two of the same title told apart by
        # their slot (Atelier.label, read through the event: one query for them all).
        "ateliers": [
            atelier.label
            for atelier in seminar.ateliers.filter(registrations=registration).order_by(
                "starts_at", "sort_order"
            )
        ],
        "open": open_,
        "page_url": portal_url(page_path(seminar)),
    }
    status = 400 if request.method == "POST" else 200  # POSTed after the cut-off
    return render(request, "seminars/member_cancel.html", context, status=status)
