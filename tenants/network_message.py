"""« Écrire aux membres »: the union writes to its network, the directions (or whole teams) of
its active members, from the Wagtail admin (tenants.network_views).

Who is written to is read from the public schema only (Membership, auth.User, MemberCCAS), as
the rest of the members' admin: the union never enters a member's space. One e-mail per person,
addressed to her alone (the addresses of other members' staff must not leak), greeted by name
with her member's; sent by the task queue (tenants.tasks.send_network_message_task), which reads
the people again when it runs: someone whose account was deactivated or whose access ended
since, or whose member was suspended meanwhile, is no longer written to. The union's audit trail
keeps who wrote, when, the subject, the filters and how many people: never the addresses.
« M'envoyer un test » (send_test_message) sends the first person's e-mail to the sender alone."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tenants.admin_views import pending
from tenants.matching import fold
from tenants.models import (
    Departement,
    Intercommunality,
    MemberCCAS,
    Membership,
    departement_sort_key,
)
from tenants.naming import of_body
from tenants.services import portal_url, union_contact
from union.audit import record_audit
from union.formats import date_span, french_list, long_date, plural
from union.mail import TEST_WITHOUT_ADDRESS, has_own_greeting, templated_message
from union.roles import can_write_to_members, is_union_admin
from union.submit_once import check_first_submission
from union.task_queue import enqueue_with_transaction

AUDIT_ACTION = "network.emailed"
DIRECTIONS = "directions"
TEAMS = "equipes"
WHOM = [(DIRECTIONS, "Directions"), (TEAMS, "Toutes les équipes")]
ROLES = {
    DIRECTIONS: [Membership.Role.DIRECTOR],
    TEAMS: [Membership.Role.DIRECTOR, Membership.Role.AGENT, Membership.Role.VIEWER],
}
EVENT_PARAMETER = "evenement"  # ?evenement=<pk>: the form filled in to announce that event


class NoRecipients(Exception):
    """Nobody left to write to when the message was to be queued (French message)."""


@dataclass(frozen=True)
class Audience:
    """What the form chose: whom in each member, and which active members."""

    whom: str = DIRECTIONS
    departement: str = ""  # a département's code, "" for all
    kind: str = ""  # MemberCCAS.Kind, "" for both
    include_pending: bool = True  # people who never came to their space (invitation waiting)
    intercommunality: str = ""  # an EPCI's or EPT's SIREN, "" for all

    def described(self) -> dict:
        """The filters as the audit trail keeps them (no address, no name)."""
        return {
            "whom": self.whom,
            "departement": self.departement,
            "kind": self.kind,
            "include_pending": self.include_pending,
            "intercommunality": self.intercommunality,
        }


@dataclass
class Person:
    user: object
    memberships: list = field(default_factory=list)

    @property
    def member_names(self) -> list[str]:
        return [membership.member.name for membership in self.memberships]


@dataclass
class Recipients:
    """Who the message goes to, and who was left out and why."""

    people: list[Person]
    members: int  # members at least one person is written to in
    inactive: int  # deactivated accounts: never written to
    without_address: int  # accounts without an e-mail address
    pending_left_out: int  # never came to their space, left out by choice
    pending_included: int  # never came to their space, written to all the same
    unreached_members: list[str]  # active members chosen where nobody can be written to

    @property
    def count(self) -> int:
        return len(self.people)

    @property
    def membership_ids(self) -> list[int]:
        return [m.pk for person in self.people for m in person.memberships]

    def summary(self) -> str:
        """« 5 personnes dans 3 membres »."""
        return (
            f"{plural(self.count, 'personne', 'personnes')} dans "
            f"{plural(self.members, 'membre', 'membres')}"
        )

    def left_out(self) -> list[str]:
        """Who is not written to, in French sentences, for the confirmation step."""
        said = []
        if self.inactive:
            gone = "compte désactivé laissé", "comptes désactivés laissés"
            said.append(
                f"{plural(self.inactive, *gone)} de côté\u00a0: on n'écrit jamais à un compte "
                "désactivé."
            )
        if self.without_address:
            said.append(f"{plural(self.without_address, 'compte', 'comptes')} sans adresse e-mail.")
        if self.pending_left_out:
            said.append(
                f"{_not_yet_accepted(self.pending_left_out)}\u00a0: "
                f"{'laissée' if self.pending_left_out <= 1 else 'laissées'} de côté, comme vous "
                "l'avez choisi."
            )
        if self.unreached_members:
            said.append(
                f"Personne à qui écrire dans {french_list(self.unreached_members)} (aucune "
                "personne concernée avec un compte actif et une adresse e-mail)."
            )
        return said

    def pending_note(self) -> str:
        """How many of the people written to never accepted their invitation, or ""."""
        count = self.pending_included
        if not count:
            return ""
        whom = "lui" if count <= 1 else "leur"
        return f"Dont {_not_yet_accepted(count)}\u00a0: le message {whom} est envoyé aussi."


def _not_yet_accepted(count: int) -> str:
    """« 2 personnes n'ayant pas encore accepté leur invitation (jamais connectées à l'espace) »."""
    people = plural(count, "personne", "personnes")
    if count <= 1:
        return f"{people} n'ayant pas encore accepté son invitation (jamais connectée à l'espace)"
    return f"{people} n'ayant pas encore accepté leur invitation (jamais connectées à l'espace)"


def departements_of_members() -> list[Departement]:
    """The départements where the union has active members (the form's choices), in INSEE
    order (2A and 2B after 19)."""
    return sorted(
        Departement.objects.filter(communes__members__status=MemberCCAS.Status.ACTIVE).distinct(),
        key=lambda found: departement_sort_key(found.code),
    )


def in_intercommunality(siren: str) -> Q:
    """The members of an intercommunality: the CCAS of its communes (EPCI, or EPT in the
    Métropole du Grand Paris) and its own CIAS."""
    return Q(commune__epci_id=siren) | Q(commune__ept_id=siren) | Q(intercommunality_id=siren)


def intercommunalities_of_members() -> list[Intercommunality]:
    """The EPCI and EPT where the union has active members (the form's choices), by name."""
    active = MemberCCAS.objects.filter(status=MemberCCAS.Status.ACTIVE)
    sirens = set()
    for row in active.values_list("commune__epci_id", "commune__ept_id", "intercommunality_id"):
        sirens.update(siren for siren in row if siren)
    return list(Intercommunality.objects.filter(pk__in=sirens).order_by("nom"))


def chosen_members(audience: Audience):
    """The active members the audience names: never a suspended or departed one."""
    members = MemberCCAS.objects.filter(status=MemberCCAS.Status.ACTIVE)
    if audience.intercommunality:
        members = members.filter(in_intercommunality(audience.intercommunality))
    if audience.departement:
        members = members.filter(commune__departement_id=audience.departement)
    if audience.kind:
        members = members.filter(kind=audience.kind)
    return members


def still_written_to(memberships):
    """The accesses a message may still go to: an active account with an address, not of the
    union's team (its access opens nothing: Membership.objects.opening_the_space), in an active
    member. Read when the form is checked and again when the task sends."""
    return (
        memberships.opening_the_space()
        .filter(member__status=MemberCCAS.Status.ACTIVE)
        .exclude(user__email="")
    )


def choose_recipients(audience: Audience) -> Recipients:
    """The people `audience` writes to (one each, whatever the number of members she is in),
    with those left out counted."""
    members = chosen_members(audience)
    chosen = Membership.objects.filter(member__in=members, role__in=ROLES[audience.whom])
    User = get_user_model()
    inactive = User.objects.filter(memberships__in=chosen.filter(user__is_active=False)).distinct()
    without_address = User.objects.filter(
        memberships__in=chosen.filter(user__is_active=True, user__email="")
    ).distinct()
    written = still_written_to(chosen)
    waiting = pending(written)
    if not audience.include_pending:
        written = written.exclude(pk__in=waiting)
    people = _by_person(written.select_related("user", "member"))
    reached = {m.member_id for person in people for m in person.memberships}
    unreached = [member.name for member in members.order_by("name") if member.pk not in reached]
    pending_ids = set(waiting.values_list("pk", flat=True))
    # A person counts as pending when none of her accesses written to was ever used.
    pending_people = sum(
        1 for person in people if all(m.pk in pending_ids for m in person.memberships)
    )
    left_out = 0
    if not audience.include_pending:
        kept_users = {person.user.pk for person in people}
        left_out = waiting.exclude(user_id__in=kept_users).values("user_id").distinct().count()
    return Recipients(
        people=people,
        members=len(reached),
        inactive=inactive.count(),
        without_address=without_address.count(),
        pending_left_out=left_out,
        pending_included=pending_people if audience.include_pending else 0,
        unreached_members=unreached,
    )


def _by_person(memberships) -> list[Person]:
    """One Person per account, her accesses in her members' order: one e-mail each."""
    people: dict[int, Person] = {}
    for membership in memberships.order_by("user__last_name", "user__email", "member__name"):
        people.setdefault(membership.user_id, Person(membership.user)).memberships.append(
            membership
        )
    return list(people.values())


def reply_address(actor) -> list[str]:
    """Replies go to the union's contact address (Paramètres › Identité et coordonnées), as its
    other e-mails name it; without one, to the person who wrote."""
    address = union_contact()["email"] or getattr(actor, "email", "")
    return [address] if address else []


def queue_network_message(
    audience: Audience, subject: str, body: str, *, actor, form_id: str = ""
) -> Recipients:
    """Queue the message to the people `audience` names (chosen again now) and record it in the
    union's trail. `form_id`: the form posted twice queues once (union.submit_once raises
    AlreadySubmitted). Raises NoRecipients when nobody is left to write to."""
    from tenants.tasks import send_network_message_task  # the task imports this module

    recipients = choose_recipients(audience)
    if not recipients.people:
        raise NoRecipients(NO_RECIPIENTS)
    with transaction.atomic():
        check_first_submission(AUDIT_ACTION, form_id)
        record_audit(
            AUDIT_ACTION,
            actor=actor,
            target=subject,
            subject=subject,
            count=recipients.count,
            members=recipients.members,
            left_out_inactive=recipients.inactive,
            form_id=form_id,
            **audience.described(),
        )
        enqueue_with_transaction(
            send_network_message_task,
            recipients.membership_ids,
            subject,
            body,
            reply_address(actor),
        )
    return recipients


NO_RECIPIENTS = (
    "Aucun destinataire\u00a0: aucun membre actif ne correspond à ces critères, ou aucun n'a de "
    "personne à qui écrire (compte actif avec une adresse e-mail). Changez les destinataires."
)


def greeting(user, member_names: list[str]) -> str:
    """« Bonjour Claire Martin (CCAS de Bondy), »: her name, and the member(s) she is written to
    for."""
    name = " ".join(user.get_full_name().split())
    # An account without a name (a direction invited by its address alone): « Bonjour, »; the
    # e-mail's foot names her member.
    return f"Bonjour {name} ({french_list(member_names)})," if name else "Bonjour,"


def network_email(
    person: Person, subject: str, body: str, *, to: list[str], contact: dict, reply_to
):
    """The e-mail `person` reads (not sent): text and HTML (templates/tenants/email/network_message),
    her greeting unless the union's text has its own (union.mail.has_own_greeting), the text with
    its line breaks, why she receives it and the union's contact. Addressed to `to`: her, or the
    sender of a test."""
    names = person.member_names
    return templated_message(
        subject,
        "tenants/email/network_message",
        {
            "greeting": greeting(person.user, names),
            "own_greeting": has_own_greeting(body),
            "body": body,
            "members": french_list([of_body(name) for name in names]),
            "contact": contact,
        },
        to,
        reply_to=reply_to,
    )


def send_network_message(
    membership_ids: list[int], subject: str, body: str, reply_to: list[str]
) -> int:
    """One e-mail to each person among `membership_ids` who may still be written to (read again
    now), as network_email builds it."""
    memberships = still_written_to(Membership.objects.filter(pk__in=membership_ids))
    contact = union_contact()
    sent = 0
    for person in _by_person(memberships.select_related("user", "member")):
        sent += network_email(
            person, subject, body, to=[person.user.email], contact=contact, reply_to=reply_to
        ).send()
    return sent


class UnsentTest(Exception):
    """The test to oneself did not leave (French message)."""


class _StandIn:
    """The person a test greets when its sender may not see who the members' people are."""

    def get_full_name(self) -> str:
        return "Prénom Nom"


def send_test_message(recipients: Recipients, subject: str, body: str, *, actor) -> str:
    """« M'envoyer un test »: the message as the first of `recipients` will read it (her greeting,
    her member's name), to `actor`'s own address only; the address it went to. Nothing goes to
    the members, and nothing is recorded in the union's trail, which keeps what was done to the
    members (one entry per message written to them), not each e-mail: seminars' test is not
    recorded either. Nor does it check or use the form's id (union.submit_once): the real
    sending of the same form, after the test, goes. Raises UnsentTest."""
    address = getattr(actor, "email", "")
    if not address:
        raise UnsentTest(TEST_WITHOUT_ADDRESS)
    first = recipients.people[0]
    if not is_union_admin(actor):
        # An event organiser does not see the members' teams (the members' list is the admins'):
        # her test names a stand-in, not the first person's name.
        first = Person(_StandIn(), first.memberships)
    test = network_email(
        first,
        f"[Test] {subject}",
        body,
        to=[address],
        contact=union_contact(),
        reply_to=reply_address(actor),
    )
    try:
        test.send()
    except OSError as error:  # smtplib's errors are OSErrors: the server refused or is away
        raise UnsentTest(
            f"Le test n'a pas pu partir ({error})\u00a0: réessayez plus tard."
        ) from error
    return address


def still_wanted_reason(membership_ids: list[int], recipients: list[str]) -> str:
    """Why a copy of the message that failed must not be resent (union.mail's `still_wanted`):
    the person's account was deactivated, her access ended or her member is no longer active
    since; "" to resend it."""
    addresses = still_written_to(Membership.objects.filter(pk__in=membership_ids)).values_list(
        "user__email", flat=True
    )
    if not any(address.lower() in recipients for address in addresses):
        return (
            "la personne n'a plus accès à l'espace de son membre, son compte a été désactivé ou "
            "le membre n'est plus actif depuis"
        )
    return ""


# --- announcing an event --------------------------------------------------------------------


def event_announcement(seminar) -> dict:
    """The form filled in to announce `seminar` to the members: its kind and title as the
    subject, its dates in French, venue, registration closing date and its full public address
    (with the invitation key for an invitation-only event: seminars.links.event_path). Only
    filled in: the union reads it over and sends it."""
    from seminars.links import event_path

    kind = seminar.get_kind_display()
    # « Atelier début de mandat : le CCAS… » already says its kind; « Commission « personnes
    # âgées » » already has its quotes: neither is said or quoted twice.
    titled_by_kind = fold(seminar.title).startswith(fold(kind))
    title = seminar.title if "«" in seminar.title else f"«\u00a0{seminar.title}\u00a0»"
    lines = [
        f"Nous vous invitons à {title}" + ("." if titled_by_kind else f" ({kind.lower()})."),
        "",
        f"Date\u00a0: {date_span(seminar.start, seminar.end)}",
    ]
    if seminar.location_line:
        lines.append(f"Lieu\u00a0: {seminar.location_line}")
    closes = long_date(seminar.registration_deadline(), weekday=False, time=True)
    opens = seminar.registration_opens
    if opens and opens > timezone.now():
        opening = long_date(opens, weekday=False, time=True)
        lines.append(f"Inscriptions du {opening} au {closes}")
    else:
        lines.append(f"Inscriptions jusqu'au {closes}")
    lines += ["", "Programme et inscription\u00a0:", portal_url(event_path(seminar))]
    return {
        "subject": seminar.title if titled_by_kind else f"{kind}\u00a0: {seminar.title}",
        "body": "\n".join(lines),
    }


def announcement_url(seminar, user) -> str:
    """The address of « Écrire aux membres » filled in for `seminar`, for those who may write to
    the members (union.roles.can_write_to_members); "" for anyone else, or once the event is
    cancelled or over."""
    if not can_write_to_members(user) or seminar.is_cancelled or seminar.has_ended():
        return ""
    return f"{reverse('tenants_admin:network_message')}?{EVENT_PARAMETER}={seminar.pk}"
