"""« Premiers pas »: what a director who just arrived in a new space has to do first, on the
home page, each step a link and ticked from the space's own data.

Nothing is stored about the steps themselves: a step is done when the data it asks for is there
(a current mandate, a figure, a colleague…), so that a step done through the API, an import or
another person of the direction is ticked too, and a step undone (the only mandate deleted)
comes back. The panel goes once every step is done, or when the director hides it: a cookie of
the member's host (cookies are host-only, so one per space), not a model field, since hiding a
reminder is a matter of one browser's comfort, not the space's data. A cookie rather than the
session: the session ends at sign-out, and the panel would come back at every sign-in.

Every read runs on the connection's schema (the member's) or filters on the member's id
(memberships live in public): one member's progress never ticks another's.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tenants.access import has_member_role
from tenants.journal.models import JournalEntry
from tenants.models import MemberCCAS, Membership
from tenants.workspace.models import ActivityFigure, BoardMandate, Profile

HIDE_COOKIE = "premiers_pas_masques"
HIDE_MAX_AGE = 365 * 24 * 3600  # a year: long after the first steps are behind
HIDE_URL = "/premiers-pas/masquer/"


@dataclass(frozen=True)
class Step:
    label: str
    url: str
    done: bool
    # What is done or still to do, in a few words, under the label.
    hint: str = ""


def _profile_checked() -> bool:
    """The identity card holds what the union and partners need to reach the CCAS: an address
    and a phone number or an e-mail address (the union's data fills only the name and town)."""
    return (
        Profile.objects.exclude(address="")
        .filter(~Q(phone="") | ~Q(email=""))
        .filter(singleton=True)
        .exists()
    )


def _board_entered() -> bool:
    """A running or planned mandate: past boards alone are history, not the current board."""
    today = timezone.localdate()
    return BoardMandate.objects.filter(Q(end__isnull=True) | Q(end__gte=today)).exists()


def _publication_chosen() -> bool:
    """The director chose what the directory shows: her choice is in the journal (publishing
    nothing is a choice too), or something is published (chosen before the journal kept it)."""
    return (
        JournalEntry.objects.filter(action="profile.publication").exists()
        or Profile.objects.filter(singleton=True)
        .filter(Q(publish_name=True) | Q(publish_services=True) | Q(publish_contact=True))
        .exists()
    )


def _has_observation() -> bool:
    from abs_shared.local.models import Observation

    return Observation.objects.exists()


def first_steps(member: MemberCCAS) -> list[Step]:
    """The six first steps of a space, in the order they are best done, each with its state.
    Runs on the member's schema."""
    board = _board_entered()
    colleagues = Membership.objects.filter(member_id=member.pk).count() > 1
    return [
        Step(
            "Vérifier et compléter la fiche d'identité",
            "/profil/modifier/",
            _profile_checked(),
            "Adresse, et téléphone ou adresse électronique.",
        ),
        Step(
            "Saisir le conseil d'administration",
            "/conseil/" if BoardMandate.objects.exists() else "/conseil/mandats/ajouter/",
            board,
            "Au moins la mandature en cours, puis ses membres.",
        ),
        Step(
            "Inviter une ou un collègue",
            "/equipe/",
            colleagues,
            "Un agent pour la saisie, ou une personne en lecture seule.",
        ),
        Step(
            "Saisir les premiers chiffres d'activité",
            "/activite/saisir/",
            ActivityFigure.objects.exists(),
            "Ou importer un fichier (CSV ou XLSX).",
        ),
        Step(
            "Saisir un premier indicateur ABS",
            "/abs/observations/ajouter/",
            _has_observation(),
            "Un brouillon suffit : la direction le valide ensuite.",
        ),
        Step(
            "Choisir ce que l'annuaire des membres publie",
            "/profil/#annuaire",
            _publication_chosen(),
            "Page Profil, partie « Annuaire des membres du portail » : le nom, les services, "
            "les coordonnées, ou rien.",
        ),
    ]


def is_hidden(request) -> bool:
    return request.COOKIES.get(HIDE_COOKIE) == "1"


def first_steps_panel(request) -> dict | None:
    """The home page's « Premiers pas » for a director: the steps and how many are done; None
    for other roles, once every step is done, or when the director hid it."""
    if is_hidden(request) or not has_member_role(request, (Membership.Role.DIRECTOR,)):
        return None
    steps = first_steps(request.tenant)
    done = sum(step.done for step in steps)
    if done == len(steps):
        return None
    return {"steps": steps, "done": done, "total": len(steps), "hide_url": HIDE_URL}


def hide_first_steps(response) -> None:
    """Set the cookie that hides the panel on this browser (the member's host only)."""
    response.set_cookie(
        HIDE_COOKIE,
        "1",
        max_age=HIDE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
