"""Writes on events and registrations (convention 1: verb-named, typed, atomic, mail on commit:
e-mails are queued with the transaction, see union.task_queue.enqueue_with_transaction).

Capacity: every write that can change who holds a seat locks the event row (and the chosen
ateliers) with SELECT ... FOR UPDATE inside one transaction, then counts confirmed registrations.
Two concurrent registrations for the same event therefore run one after the other, and there are
never more confirmed registrations than seats, for the event and for each atelier.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Case, Count, F, Max, Q, QuerySet, When
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify

from seminars.models import (
    PRESENT,
    Atelier,
    AtelierPresence,
    AtelierWaiting,
    Fonction,
    Kind,
    Registration,
    RegistrationsListNotice,
    SeminarIndexPage,
    SeminarPage,
    Visibility,
    atelier_waiting_list_ranks,
    new_invitation_key,
    waiting_queue,
    with_taken,
)
from seminars.tasks import (
    send_address_changed_email,
    send_event_changed_email,
    send_message_task,
    send_registration_email,
    send_registrations_list_email,
)
from tenants.matching import compact, fold, match_in_union
from tenants.models import Commune, MemberCCAS
from union.audit import record_audit
from union.formats import french_list, french_number, french_time, plural
from union.insert import insert_new
from union.services import ensure_section_page
from union.slugs import first_free
from union.stale_edits import check_unchanged
from union.submit_once import check_first_submission
from union.task_queue import enqueue_with_transaction, uses_database_queue

Status = Registration.Status
Source = Registration.Source
# Who registers themselves: bound by the event's cut-off for changes (changes_deadline()).
PUBLIC_SOURCES = {Source.FORM, Source.API}
# Who registers someone without seeing their registration: a member CCAS (its form and API) is
# bound by the cut-off as the person's own link is, and the update e-mails its repeated submits
# cause are spaced as the public ones (queue_public_notice).
UNSEEN_SOURCES = PUBLIC_SOURCES | {Source.MEMBER}
# At most one e-mail per registration in this interval among those that whoever types a registered
# address can cause: without it, re-registering someone's address in a loop fills their mailbox.
PUBLIC_NOTICE_INTERVAL = timedelta(minutes=10)
# Addresses that differ only by a « +… » tag reach one mailbox: a mairie's secretary may register
# a few elected officials so (mairie+maire@…, mairie+adjoint@…), but a script posting the public
# form with victime+1@…, victime+2@… would fill that mailbox, and the seats (review of session 44).
SAME_MAILBOX_LIMIT = 5
SAME_MAILBOX_FULL = (
    f"{SAME_MAILBOX_LIMIT} inscriptions à cet événement arrivent déjà dans cette boîte aux lettres "
    "(adresses qui ne diffèrent que par « +… ») : pour inscrire une autre personne, utilisez sa "
    "propre adresse ou écrivez aux organisateurs."
)
EVENT_CANCELLED = (
    "Cet événement est annulé : les inscriptions sont closes. La page de l'événement dit ce "
    "que proposent les organisateurs."
)
REGISTERED_BY_OTHERS = (
    "Cette personne est déjà inscrite à cet événement, par elle-même, par l'union ou par un "
    "autre membre\u00a0: elle modifie son inscription avec le lien personnel reçu par e-mail, "
    "ou l'organisateur de l'union le fait pour elle."
)
REGISTERED_BY_OTHERS_NO_ADDRESS = (
    "Cette personne est déjà inscrite à cet événement, sans adresse e-mail, par l'union ou par "
    "un autre membre : l'organisateur de l'union peut modifier son inscription."
)
WITHDRAWN_JUST_NOW = (
    "Cette inscription a été annulée il y a moins de dix minutes : attendez un peu avant de la "
    "refaire (chaque inscription et chaque désinscription envoient un e-mail à la personne)."
)
EMAIL_QUOTED = (
    "Adresse e-mail invalide : les guillemets et les barres obliques inverses n'y sont pas "
    "acceptés."
)
TOO_LATE_TO_CHANGE = (
    "Cette adresse est déjà inscrite et les modifications ne sont plus possibles en ligne : "
    "contactez l'organisateur de l'événement."
)


class RegistrationError(Exception):
    """The registration cannot be saved; `errors` maps field names to French messages, worded
    for whoever registers. `reason` names a refusal that another reader words in their own terms
    (the import, for the organiser: seminars.importer.refusal_issues): ATELIER_FULL and SAME_TIME
    are about `ateliers`, OUTSIDE_MEMBERS about `commune` (its INSEE code); "" for the others."""

    ATELIER_FULL = "atelier_full"
    SAME_TIME = "same_time"
    OUTSIDE_MEMBERS = "outside_members"

    def __init__(
        self,
        errors: dict[str, list[str]],
        *,
        reason: str = "",
        ateliers: list[Atelier] | tuple = (),
        commune: str = "",
    ):
        super().__init__(errors)
        self.errors = errors
        self.reason = reason
        self.ateliers = list(ateliers)
        self.commune = commune


@dataclass
class CommuneResolution:
    code: str | None
    status: str  # Registration.CommuneStatus
    typed: str
    suggestions: list[dict] = field(default_factory=list)


@dataclass
class RegistrationData:
    """What a person (or an organiser, or an import line) gives to register."""

    nom: str
    prenom: str
    email: str
    commune: CommuneResolution
    fonction: str
    fonction_text: str = ""
    # None, in an organiser's edit only (update_registration): not sent, kept as they are.
    atelier_ids: list[int] | None = field(default_factory=list)
    # The full ateliers whose own waiting list she joins when registering, if she ends confirmed,
    # or all her lists (an organiser's edit, update_registration): AtelierWaiting, served by
    # give_freed_atelier_seats. None: nothing said, her lists are kept.
    waiting_atelier_ids: list[int] | None = None
    needs: str = ""
    consent: bool = False
    # Normalised by the forms and the import (seminars.phones); "" for none.
    phone: str = ""


def resolve_commune(
    typed: str, hint: str | None = None, level: str | None = None
) -> CommuneResolution:
    """Match a typed commune with the foundation's matcher; keep and flag what does not match.

    `hint`: a département or région as typed (code or name; UnknownArea if it names nothing),
    `level` the column it came from. Without a hint, the union's own département breaks ties
    ("Montreuil" is in six départements).
    """
    result = match_in_union(typed, hint, level)
    if result.status == "matched":
        return CommuneResolution(result.commune.code, Registration.CommuneStatus.MATCHED, typed)
    suggestions = [{"code": c.code, "nom": c.nom} for c in result.suggestions]
    return CommuneResolution(None, Registration.CommuneStatus.FLAGGED, typed, suggestions)


def check_atelier_choice(seminar: SeminarPage, atelier_ids: list[int]) -> list[Atelier]:
    """The chosen ateliers, which must belong to the event and not overlap in time."""
    ids = list(dict.fromkeys(int(pk) for pk in atelier_ids))
    if not ids:
        return []
    ateliers = list(Atelier.objects.filter(page=seminar, pk__in=ids).order_by("starts_at"))
    if len(ateliers) != len(ids):
        raise RegistrationError(
            {"ateliers": ["Un atelier choisi n'appartient pas à cet événement."]}
        )
    for index, atelier in enumerate(ateliers):
        for other in ateliers[index + 1 :]:
            if atelier.overlaps(other):
                # Two groups of one atelier read apart.
                first, second = seminar.atelier_label(atelier), seminar.atelier_label(other)
                raise RegistrationError(
                    {
                        "ateliers": [
                            f"Les ateliers « {first} » et « {second} » ont lieu en "
                            "même temps : choisissez-en un seul."
                        ]
                    },
                    reason=RegistrationError.SAME_TIME,
                    ateliers=[atelier, other],
                )
    return ateliers


def _lock_seminar(seminar: SeminarPage) -> tuple[SeminarPage, int]:
    """Lock the event's row until the end of the transaction; return it with its seats and its
    number of confirmed registrations, both read under the lock.

    Every write on the event's seats waits for this lock, one after the other, so the time it is
    held is what limits how many registrations per second an event takes. Hence one round trip
    for the lock and the count: two statements in one query string. Under READ COMMITTED each
    statement takes its own snapshot, so the count, run after the lock is granted, sees every
    registration committed by the previous holder (a count inside the locking statement would
    use the snapshot taken before waiting, and overbook). The lock is on the event's own row,
    not on Wagtail's page row, so editors are not blocked. Its cancellation is read under the
    lock too (cancel_event takes it): nobody registers or is promoted once it is cancelled. So
    are its start and cut-off (changes_open): a process that kept the event in memory across
    the cut-off (a shell, a task) moves nobody after it (give_freed_atelier_seats).
    """
    page_table = SeminarPage._meta.db_table
    registration_table = Registration._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT 1 FROM "{page_table}" WHERE page_ptr_id = %s FOR UPDATE; '
            f"SELECT seats, cancelled_at, start, changes_until, (SELECT count(*) "
            f'FROM "{registration_table}" WHERE seminar_id = %s AND status = %s) '
            f'FROM "{page_table}" WHERE page_ptr_id = %s',
            [seminar.pk, seminar.pk, Status.CONFIRMED, seminar.pk],
        )
        row = cursor.fetchone()
        seminar.seats, seminar.cancelled_at, seminar.start, seminar.changes_until, confirmed = row
    return seminar, confirmed


def _full_ateliers(ateliers: list[Atelier], exclude: Registration | None) -> list[Atelier]:
    """Ateliers (locked by the caller) with no seat left for one more confirmed person."""
    if not ateliers:
        return []
    ids = [atelier.pk for atelier in ateliers]
    # PostgreSQL refuses FOR UPDATE with GROUP BY: lock first, count next.
    list(Atelier.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    confirmed = Q(registrations__status=Status.CONFIRMED)
    if exclude is not None and exclude.pk:
        confirmed &= ~Q(registrations__pk=exclude.pk)
    counts = Atelier.objects.filter(pk__in=ids).annotate(
        taken=Count("registrations", filter=confirmed)
    )
    return [atelier for atelier in counts if atelier.taken >= atelier.seats]


def _seminar_has_seat(seminar: SeminarPage) -> bool:
    return seminar.registrations.filter(status=Status.CONFIRMED).count() < seminar.seats


def quoted_atelier_labels(seminar: SeminarPage, ateliers) -> str:
    """« « Budget », « Tarifs » »: ateliers named for a sentence, two of the same title told apart
    by their slot (SeminarPage.atelier_label)."""
    return ", ".join(f"« {seminar.atelier_label(atelier)} »" for atelier in ateliers)


def _full_message(seminar: SeminarPage, ateliers: list[Atelier]) -> dict[str, list[str]]:
    names = quoted_atelier_labels(seminar, ateliers)
    return {"ateliers": [f"Plus de place dans l'atelier {names} : choisissez-en un autre."]}


def atelier_full_error(seminar: SeminarPage, ateliers: list[Atelier]) -> RegistrationError:
    """The refusal of full ateliers, as the services raise it and the organisers' form shows it
    beside its other errors (forms.ManualRegistrationForm)."""
    return RegistrationError(
        _full_message(seminar, ateliers), reason=RegistrationError.ATELIER_FULL, ateliers=ateliers
    )


def find_registration(
    seminar: SeminarPage, *, email: str, nom: str, prenom: str, commune_typed: str
) -> Registration | None:
    """The registration that registering this person updates (values as RegistrationData holds
    them: the address lower-cased, the names stripped); also the organisers' add form's, to tell
    its full ateliers before the service does (forms.ManualRegistrationForm)."""
    if email:
        return seminar.registrations.filter(email=email).first()
    # Lists without e-mails: the same person on the same commune is the same registration, so that
    # importing a corrected list again updates rather than duplicates.
    return seminar.registrations.filter(
        email="",
        nom__iexact=nom,
        prenom__iexact=prenom,
        commune_typed__iexact=commune_typed,
    ).first()


def member_communes() -> QuerySet[Commune]:
    """The communes of the union's active members, in one query when evaluated.

    A commune counts when an active member is seated in it (a CCAS's own commune), or when its
    EPCI or its EPT (Métropole du Grand Paris) is the intercommunality covered by an active CIAS.
    """
    active = MemberCCAS.objects.filter(status=MemberCCAS.Status.ACTIVE)
    covered = active.filter(kind=MemberCCAS.Kind.CIAS, intercommunality__isnull=False).values(
        "intercommunality_id"
    )
    # A CIAS's current communes only: a former one (merged) keeps its last groupings.
    by_cias = (Q(epci_id__in=covered) | Q(ept_id__in=covered)) & Q(current=True)
    return Commune.objects.filter(Q(code__in=active.values("commune_id")) | by_cias)


MEMBERS_ONLY = "Cet événement est réservé aux communes membres de l'union."


def members_only_way_forward(seminar: SeminarPage) -> str:
    """What someone registering themselves is told of a members-only event, beside the refusal
    and above the form: where to check their commune, and whom to write to."""
    text = "Vérifiez si votre commune est membre sur la page des membres de l'union (/membres/)"
    if seminar.organiser_email:
        text += f" ; pour toute question, écrivez à {seminar.organiser_email}"
    return f"{text}."


def outside_audience(seminar: SeminarPage, commune_code: str | None) -> bool:
    """Whether a recognised commune is outside a members-only event's audience (not a member
    commune). A flagged commune (no code) is the organiser's to check: never outside."""
    return (
        seminar.visibility == Visibility.MEMBERS
        and bool(commune_code)
        and not member_communes().filter(code=commune_code).exists()
    )


def not_a_member_commune(commune) -> str:
    """The start of what an organiser reads about such a commune (the import's refusal, the
    correction of a flagged commune), each going on with what to do there."""
    return (
        f"{commune} n'est pas une commune membre de l'union, et cet événement est réservé aux "
        "communes membres"
    )


def _check_audience(
    seminar: SeminarPage, commune: CommuneResolution, source: str = Source.MANUAL
) -> None:
    if outside_audience(seminar, commune.code):
        message = MEMBERS_ONLY
        if source in PUBLIC_SOURCES:  # the person themselves: how to go on
            message = f"{message} {members_only_way_forward(seminar)}"
        raise RegistrationError(
            {"commune": [message]}, reason=RegistrationError.OUTSIDE_MEMBERS, commune=commune.code
        )


# Registration.email's column (Django's EmailField): the validator accepts up to 320 characters.
EMAIL_MAX_LENGTH = 254
EMAIL_TOO_LONG = f"Adresse e-mail trop longue : {EMAIL_MAX_LENGTH} caractères au plus."


def normalise(data: RegistrationData) -> RegistrationData:
    data.nom = data.nom.strip()
    data.prenom = data.prenom.strip()
    data.email = (data.email or "").strip().lower()
    errors: dict[str, list[str]] = {}
    if not data.nom:
        errors["nom"] = ["Indiquez votre nom."]
    if not data.prenom:
        errors["prenom"] = ["Indiquez votre prénom."]
    if data.email:
        try:
            validate_email(data.email)
        except ValidationError:
            errors["email"] = ["Adresse e-mail invalide."]
        if len(data.email) > EMAIL_MAX_LENGTH:
            errors["email"] = [EMAIL_TOO_LONG]
        if '"' in data.email or "\\" in data.email:
            # « "victime+6"@… », « v\ictime@… » reach victime@…: counted apart from it, they
            # went past the limit of registrations per mailbox (_check_mailbox_share).
            errors["email"] = [EMAIL_QUOTED]
    if errors:
        raise RegistrationError(errors)
    return data


def register_person(
    seminar: SeminarPage,
    data: RegistrationData,
    *,
    source: str = Registration.Source.FORM,
    actor=None,
    notify: bool = True,
    member: MemberCCAS | None = None,
) -> tuple[Registration, bool]:
    """Register someone, or update their registration if the e-mail is already registered
    under their name (another name is refused: _check_same_person).
    `member`: the member CCAS registering them (source « member »), which may withdraw them;
    an existing registration keeps whoever made it; a cancelled one taken up is made anew by
    whoever takes it up (the person herself, the union or a member).

    Confirmed while the event and each chosen atelier have seats; otherwise on the waiting list
    (event full) or refused with a message (an atelier full while the event is not).
    Returns (registration, created). Raises RegistrationError.
    """
    data = normalise(data)
    # Everything that can be checked without the lock is checked before taking it: the lock is
    # the queue of the event's registrations (see _lock_seminar).
    ateliers = check_atelier_choice(seminar, data.atelier_ids)
    _check_audience(seminar, data.commune, source)
    if data.email:
        # Most e-mails are new: insert without looking first. An e-mail already registered
        # (or registered by a concurrent request) is not inserted (unique constraint on event and
        # e-mail, ON CONFLICT DO NOTHING); that attempt is rolled back and the second one updates
        # the registration.
        try:
            return _register(
                seminar, data, ateliers, source, actor, notify, member, assume_new=True
            )
        except _AlreadyRegistered:
            pass
    return _register(seminar, data, ateliers, source, actor, notify, member, assume_new=False)


class _AlreadyRegistered(Exception):
    """The e-mail is (or may be) registered for the event already: look for that registration
    and update it instead."""


def _register(
    seminar: SeminarPage,
    data: RegistrationData,
    ateliers: list[Atelier],
    source: str,
    actor,
    notify: bool,
    member: MemberCCAS | None,
    *,
    assume_new: bool,
) -> tuple[Registration, bool]:
    with transaction.atomic():
        seminar, confirmed = _lock_seminar(seminar)
        if seminar.is_cancelled:
            raise RegistrationError({"__all__": [EVENT_CANCELLED]})
        registration = None
        if not assume_new:
            registration = find_registration(
                seminar,
                email=data.email,
                nom=data.nom,
                prenom=data.prenom,
                commune_typed=data.commune.typed,
            )
        created = registration is None
        if created or registration.status == Status.CANCELLED:
            try:
                _check_mailbox_share(seminar, data.email, source)
            except RegistrationError:
                if assume_new:
                    raise _AlreadyRegistered from None  # perhaps hers already: look first
                raise
        if created:
            registration = Registration(seminar=seminar, source=source, registered_by=member)
        else:
            # Another person's address is refused first: « too late to change » would tell them
            # of a registration that is not theirs.
            _check_same_person(registration, data, source)
            _check_made_by_member(registration, source, member)
            _check_still_changeable(seminar, registration, source)
            if registration.status == Status.CANCELLED and source == Source.IMPORT:
                # An older list naming someone who has cancelled since: she stays cancelled (she
                # would take a seat and get the reminder without a word to her, since imports
                # send none); the import names her (importer.import_registrations).
                registration.left_cancelled = True
                return registration, False
            if registration.status == Status.CANCELLED:
                # Waits left by the previous version's cancellation (which knew none) do not
                # come back with their old rank.
                registration.atelier_waits.all().delete()
                _forget_previous_holder(registration)
                # A cancelled registration taken up is made anew by whoever takes it up: the
                # person herself (form, API), the union (list, desk, its admin) or a member,
                # who alone may then withdraw it (member_views.withdrawable_by) and whom the
                # confirmation names (« L'équipe du CCAS de … vous a inscrit(e) »).
                registration.source = source
                registration.registered_by = member if source == Source.MEMBER else None
            elif source == Source.MEMBER:
                registration.registered_by = member
        # An imported list has no ateliers, needs or consent columns: someone already registered
        # keeps what they chose online; only the list's own columns are updated.
        keep_choices = source == Source.IMPORT and not created
        if keep_choices:
            ateliers = list(registration.ateliers.all())
        previous = registration.status
        # For the caller's answer (views._registered): a cancelled registration taken up is
        # told as a new one, her status and all.
        registration.taken_up = not created and previous == Status.CANCELLED
        if _keeps_ateliers_held(registration, ateliers, source, created):
            ateliers = list(registration.ateliers.order_by("starts_at"))
        if source == Source.FORM and previous == Status.CONFIRMED:
            ateliers = _with_full_seats_kept(registration, ateliers)
        if previous == Status.CONFIRMED:
            new_ateliers = [a for a in ateliers if a.pk not in _held_atelier_ids(registration)]
            full = _full_ateliers(new_ateliers, registration)
            if full:
                raise atelier_full_error(seminar, full)
            status = Status.CONFIRMED
        elif confirmed < seminar.seats:
            full = _full_ateliers(ateliers, registration)
            # Someone already waiting may wish for a full atelier and keep waiting for it, as on
            # their personal page (change_ateliers) and in the organiser's edit; a kept atelier
            # that is full is waited for too, as promote_waiting does.
            if full and not keep_choices and previous != Status.WAITLISTED:
                if assume_new:
                    raise _AlreadyRegistered  # perhaps someone waiting: look before refusing
                raise atelier_full_error(seminar, full)
            status = Status.WAITLISTED if full else Status.CONFIRMED
        else:
            status = Status.WAITLISTED
        consent_before = registration.consent
        kept = _details_kept_blank(registration, data, source, created=created)
        _fill(registration, data, keep_choices=keep_choices, kept=kept)
        # For the caller's answer (views.registered_again_message): what was left blank and kept.
        registration.kept_details = kept
        registration.keeps_blank_details = (
            source in KEEPS_BLANK_SOURCES and not created and previous != Status.CANCELLED
        )
        if not created:
            registration.consent = _consent_when_registering_again(consent_before, data, source)
        registration.status = status
        registration.cancelled_at = None
        if status == Status.WAITLISTED and previous != Status.WAITLISTED:
            registration.waitlisted_at = timezone.now()
        if created:
            if notify and registration.email:
                # Its confirmation (or waiting-list e-mail) brings the link: counted in the
                # INSERT itself, the hot path's one write (links_sent).
                registration.links_sent = 1
            # The hot path: its INSERT is compiled once (union.insert).
            if not insert_new(registration, unless_conflict=True):
                raise _AlreadyRegistered
        else:
            registration.save()
        if (ateliers or not created) and not keep_choices:
            registration.ateliers.set(ateliers)
        # For the caller's answer (views.registered_again_message): the ateliers with room she
        # ticked a list of, hers at once.
        registration.given_from_lists = []
        if data.waiting_atelier_ids and status == Status.CONFIRMED and seminar.changes_open():
            registration.given_from_lists = _join_waiting_lists(
                seminar, registration, data.waiting_atelier_ids
            )
        if previous == Status.CONFIRMED:
            promote_waiting(seminar)  # an atelier given up may let someone waiting in
        if actor is not None:
            _audit_registration(
                "seminar.registration.added" if created else "seminar.registration.updated",
                seminar,
                registration,
                actor,
            )
        if notify and registration.email:
            if created or previous != status:
                _queue_email(
                    registration,
                    "confirmed" if status == Status.CONFIRMED else "waitlisted",
                    counted=created,
                )
                if previous == Status.CANCELLED:
                    # She registered again on the event as it is now, which her new e-mail and
                    # its .ics say: a change published before would tell her of a date she
                    # already has (audit A30 #8).
                    withdrawn, _ = _queued_change_notices([registration.pk]).delete()
                    if withdrawn:  # never sent: the link it would have brought is not counted
                        Registration.objects.filter(pk=registration.pk).update(
                            links_sent=F("links_sent") - withdrawn
                        )
                        registration.links_sent -= withdrawn
            elif source in UNSEEN_SOURCES:
                queue_public_notice(registration, updated_kind(kept))
            else:
                _queue_email(registration, updated_kind(kept))
    return registration, created


# What a cancelled registration's previous holder was sent or marked: whoever takes it up (a
# colleague at the mairie's shared address, or she herself) starts without them, or the
# reminder would not go, or she would be present already.
PREVIOUS_HOLDERS_MARKS = [
    "checked_in_at",
    "reminder_sent_at",
    "certificate_sent_at",
    "evaluation_reminded_at",
    "no_seat_sent_at",
]


def _forget_previous_holder(registration: Registration) -> None:
    for name in PREVIOUS_HOLDERS_MARKS:
        setattr(registration, name, None)
    registration.atelier_presences.all().delete()


def _audit_registration(
    action: str, seminar: SeminarPage, registration: Registration, actor, **details
) -> None:
    """One audit line about a registration: the event and the person in its target (rewritten
    once the person is anonymised, seminars.retention), the ids in its details."""
    record_audit(
        action,
        actor=actor,
        target=f"{seminar.title} – {registration.prenom} {registration.nom}",
        seminar=seminar.pk,
        registration=registration.pk,
        **details,
    )


def audit_registrants_change(
    seminar: SeminarPage, registration: Registration, fields: list[str], **details
) -> None:
    """A change the registrant made herself (her personal page): `seminar.registration.edited`
    as an organiser's edit, without actor, `by: "registrant"`, the fields' names only (the
    values are personal data), and what else tells it (an atelier's id)."""
    _audit_registration(
        "seminar.registration.edited",
        seminar,
        registration,
        None,
        fields=fields,
        by="registrant",
        **details,
    )


def _check_mailbox_share(seminar: SeminarPage, email: str, source: str) -> None:
    """A new registration from the public form or API, or from a member CCAS (its form, its
    API, a token a script may hold), whose address has a « +… » tag is refused once
    SAME_MAILBOX_LIMIT registrations to the event (not cancelled) reach the same mailbox.
    Under the event's lock, so parallel posts are counted one after the other. An address
    without a tag costs no query (the hot path): the tagged ones count it."""
    local, _, domain = email.rpartition("@")
    if source not in UNSEEN_SOURCES or "+" not in local:
        return
    mailbox = local.split("+", 1)[0]
    same_mailbox = Q()
    for spelling in _domain_spellings(domain):  # « exämple.fr » is « xn--exmple-cua.fr »
        same_mailbox |= Q(email__iexact=f"{mailbox}@{spelling}") | Q(
            email__istartswith=f"{mailbox}+", email__iendswith=f"@{spelling}"
        )
    sharing = Registration.objects.filter(same_mailbox, seminar=seminar).exclude(
        status=Status.CANCELLED
    )
    if sharing.count() >= SAME_MAILBOX_LIMIT:
        raise RegistrationError({"email": [SAME_MAILBOX_FULL]})


def _domain_spellings(domain: str) -> set[str]:
    """A domain as typed, in its ASCII (punycode) form and in its Unicode form: one mailbox."""
    spellings = {domain}
    for convert in (
        lambda name: name.encode("idna").decode("ascii"),
        lambda name: name.encode("ascii").decode("idna"),
    ):
        try:
            spellings.add(convert(domain).lower())
        except UnicodeError:
            pass
    return spellings


def _check_made_by_member(
    registration: Registration, source: str, member: MemberCCAS | None
) -> None:
    """A member CCAS updates only the registrations it made, as it withdraws only those
    (member_views.withdrawable_by): typing the name and address of someone who registered
    themselves, or whom the union or another member registered, would otherwise change their
    commune and give their atelier seats up without a word to them (audit of session 32). A
    cancelled registration holds nothing and may be taken up (_register makes it the member's)."""
    if source != Source.MEMBER:
        return
    if registration.status == Status.CANCELLED:
        cancelled_at = registration.cancelled_at
        if cancelled_at and cancelled_at > timezone.now() - PUBLIC_NOTICE_INTERVAL:
            # Registered, withdrawn, registered again…: each turn sent « confirmée » then
            # « annulée » to the address, without limit (review of session 45).
            raise RegistrationError({"email": [WITHDRAWN_JUST_NOW]})
        return
    if registration.registered_by_id != member.pk:
        if not registration.email:
            # Found by name and commune: no address, hence no link to speak of.
            raise RegistrationError({"nom": [REGISTERED_BY_OTHERS_NO_ADDRESS]})
        raise RegistrationError({"email": [REGISTERED_BY_OTHERS]})


def _check_still_changeable(seminar: SeminarPage, registration: Registration, source: str) -> None:
    """After the cut-off for changes, the public form and API and a member CCAS no longer rewrite
    a registration (someone else could type that address; a member withdraws until then only,
    member_views.cancel_for_member); organisers' sources are not limited."""
    if (
        source in UNSEEN_SOURCES
        and registration.status != Status.CANCELLED
        and not seminar.changes_open()
    ):
        raise RegistrationError({"email": [TOO_LATE_TO_CHANGE]})


def _name_key(text: str) -> str:
    """A person's name folded for comparison: « Jean-Pierre », « jean pierre » and « JEANPIERRE »
    (case, accents, spaces, hyphens and apostrophes ignored), as commune names are matched."""
    return compact(fold(text))


def same_person(registration: Registration, data: RegistrationData) -> bool:
    """The name of `data` is the registration's, folded (_name_key)."""
    registered = (_name_key(registration.nom), _name_key(registration.prenom))
    return registered == (_name_key(data.nom), _name_key(data.prenom))


# Anyone can type an address on the public form or API: the refusal names nobody, and says what
# the person can do (another address, or their own personal link if they are the registrant).
ADDRESS_OF_ANOTHER_PERSON = (
    "Cette adresse est déjà utilisée pour une autre personne inscrite à cet événement. Si vous "
    "partagez une adresse (celle de la mairie par exemple), inscrivez-vous avec une autre "
    "adresse. Si c'est votre inscription, gérez-la avec le lien personnel reçu par e-mail "
    "(« Recevoir mon lien » sur la page de l'événement)."
)


def address_taken_message(registration: Registration, source: str) -> str:
    """Why an address registered under another name is refused, for whoever typed it."""
    if source in PUBLIC_SOURCES:
        return ADDRESS_OF_ANOTHER_PERSON
    name = f"{registration.prenom} {registration.nom} ({registration.commune_label})"
    if source == Source.MANUAL:
        return (
            f"Cette adresse est déjà inscrite au nom de {name} : saisissez une autre adresse ou, "
            "s'il s'agit de cette personne, corrigez son inscription avec « Modifier » dans la "
            "liste des inscriptions (ou saisissez son nom et son prénom tels qu'inscrits)."
        )
    if source == Source.IMPORT:
        return (
            f"Cette adresse est déjà inscrite au nom de {name} : corrigez l'adresse dans le "
            "fichier ou, s'il s'agit de cette personne, corrigez son inscription avec « Modifier » "
            "dans la liste des inscriptions (ou son nom dans le fichier)."
        )
    # A member CCAS does not read the registrations of others, nor the desk the addresses
    # (Source.DOOR): the name is not given.
    return (
        "Cette adresse est déjà inscrite à cet événement au nom d'une autre personne : "
        "vérifiez-la, ou inscrivez cette personne sans adresse e-mail."
    )


def _check_same_person(registration: Registration, data: RegistrationData, source: str) -> None:
    """An address already registered under another name is refused, whoever types it, so that
    nobody is renamed and moved without a word: the address may be a colleague's or a shared
    mailbox (a small commune's maire and adjoint often share the mairie's), or a typo in an
    organiser's list. The same name updates (a corrected commune, fonction, ateliers).

    People registering themselves (form, API) may take the address of a cancelled registration:
    one address is one registration per event (one_registration_per_email), so it is the only
    way to use it again, and a cancelled registration holds no seat. Organisers' sources keep
    refusing it: « Modifier » or a new address are theirs to choose."""
    if same_person(registration, data):
        return
    if source in PUBLIC_SOURCES and registration.status == Status.CANCELLED:
        return
    raise RegistrationError({"email": [address_taken_message(registration, source)]})


def _with_full_seats_kept(registration: Registration, ateliers: list[Atelier]) -> list[Atelier]:
    """The ateliers of a confirmed person registering again on the public form, with the seats
    they hold in full ateliers kept. The form knows nobody: it shows a full atelier's box
    disabled (while the event has seats), so that box left empty says nothing, and dropping the
    seat would give it away to someone waiting for good. Changing ateliers is the personal
    page's, where held seats are shown ticked. An atelier ticked at the same time as a kept one
    wins: it is the person's choice for that slot. Called under the event's lock."""
    chosen = {atelier.pk for atelier in ateliers}
    unticked = [atelier for atelier in registration.ateliers.all() if atelier.pk not in chosen]
    kept = [
        atelier
        for atelier in _full_ateliers(unticked, None)
        if not any(atelier.overlaps(other) for other in ateliers)
    ]
    return sorted([*ateliers, *kept], key=lambda atelier: atelier.starts_at)


def _keeps_ateliers_held(
    registration: Registration, ateliers: list[Atelier], source: str, created: bool
) -> bool:
    """Whether someone registering again on the public form with no atelier ticked keeps the
    ateliers of her registration (confirmed or waiting). The form knows nobody and shows every
    box empty: leaving them so says « nothing to change », not « give my seats up » (that is the
    personal page's, where held ateliers are shown ticked; review of session 19). Ticking some
    still replaces them (_with_full_seats_kept aside). A cancelled registration holds nothing,
    and its address may be someone else's now (_check_same_person): it starts without ateliers.
    The API sends its list as is (docs/seminars.md); organisers' sources keep their rules."""
    return (
        source == Source.FORM
        and not created
        and not ateliers
        and registration.status != Status.CANCELLED
    )


def _held_atelier_ids(registration: Registration) -> set[int]:
    if not registration.pk:
        return set()
    return set(registration.ateliers.values_list("pk", flat=True))


def _consent_when_registering_again(before: bool, data: RegistrationData, source: str) -> bool:
    """Appearing in the published list of participants is the person's own choice: given on the
    form that creates her registration or on her personal page (set_consent, behind her signed
    link). Posting the form or the API again with her name and address, which anyone knowing
    both can do, may withdraw it, never give it; a CCAS registering her (its form has no consent
    box) or an imported list leaves it as it was."""
    if source in (Source.FORM, Source.API):
        return before and data.consent
    if source in (Source.MEMBER, Source.IMPORT):
        return before
    return data.consent


# What registering again with a field left blank keeps (_details_kept_blank): the names travel in
# the « Inscription mise à jour » e-mail's kind (updated_kind), as the task takes a string.
KEPT_NEEDS, KEPT_PHONE = "besoins", "telephone"
# Who registers someone again without seeing what is stored: the person (form, API) or a CCAS
# (its form and API have no phone, and do not show the needs). An organiser's manual add sees
# the registration and replaces what it holds, as it replaces the ateliers; an imported list
# keeps both anyway (_register's keep_choices), without a word.
KEEPS_BLANK_SOURCES = {Source.FORM, Source.API, Source.MEMBER}


def _details_kept_blank(
    registration: Registration, data: RegistrationData, source: str, *, created: bool
) -> list[str]:
    """The needs and phone that registering again with those fields left blank keeps
    (KEPT_NEEDS, KEPT_PHONE). No such form shows what is stored (it knows nobody): a blank
    field says « nothing to add », not « erase what I said » (the personal page edits and
    removes them, set_needs and phones.set_phone; organisers edit them with « Modifier »).
    A cancelled registration holds nothing, and its address may be someone else's now
    (_check_same_person): it starts from what is typed, as its ateliers do. A typed value
    replaces the stored one. Called before _fill, on the registration as stored."""
    if created or source not in KEEPS_BLANK_SOURCES or registration.status == Status.CANCELLED:
        return []
    kept = []
    if not data.needs and registration.needs:
        kept.append(KEPT_NEEDS)
    if not data.phone and registration.phone:
        kept.append(KEPT_PHONE)
    return kept


def updated_kind(kept: list[str]) -> str:
    """The « Inscription mise à jour » e-mail's kind, with what was kept: « updated » or
    « updated:besoins,telephone » (emails.send_registration_email reads it back)."""
    return f"updated:{','.join(kept)}" if kept else "updated"


def kept_details_sentence(kept) -> str:
    """What the « Inscription mise à jour » e-mail says of the details kept (_details_kept_blank),
    in one sentence; "" for none."""
    kept = set(kept)
    if kept >= {KEPT_NEEDS, KEPT_PHONE}:
        return (
            "Vos besoins et votre numéro de téléphone indiqués précédemment sont conservés ; "
            "vous pouvez les modifier depuis votre page d'inscription."
        )
    if KEPT_NEEDS in kept:
        return (
            "Vos besoins indiqués précédemment sont conservés ; vous pouvez les modifier depuis "
            "votre page d'inscription."
        )
    if KEPT_PHONE in kept:
        return (
            "Votre numéro de téléphone indiqué précédemment est conservé ; vous pouvez le "
            "modifier depuis votre page d'inscription."
        )
    return ""


def _fill(
    registration: Registration,
    data: RegistrationData,
    *,
    keep_choices: bool,
    kept: list[str] = (),
) -> None:
    """`kept`: the details left blank that stay as stored (_details_kept_blank)."""
    registration.nom = data.nom
    registration.prenom = data.prenom
    registration.email = data.email
    _set_commune(registration, data.commune)
    registration.fonction = data.fonction
    registration.fonction_text = data.fonction_text
    # A list without phones keeps the one registered; so does registering again without one.
    if (data.phone or not keep_choices) and KEPT_PHONE not in kept:
        registration.phone = data.phone
    if not keep_choices:
        if KEPT_NEEDS not in kept:
            registration.needs = data.needs
        registration.consent = data.consent


# The columns of a registration's commune (EDITED_FIELDS["commune"]).
COMMUNE_FIELDS = ["commune_id", "commune_typed", "commune_status", "commune_suggestions"]


def _set_commune(registration: Registration, commune: CommuneResolution) -> None:
    """Put `commune` on the registration (not saved). A recognised one comes without suggestions
    (resolve_commune, confirm_commune): only flagged ones are in « Communes à vérifier »."""
    registration.commune_id = commune.code
    registration.commune_typed = commune.typed
    registration.commune_status = commune.status
    registration.commune_suggestions = commune.suggestions


# The registrant's e-mails that bring their personal link (templates/seminars/email/
# registration.txt); the organisers' message brings it too (email_registrants).
# « atelier »: a seat given in an atelier waited for (give_freed_atelier_seats).
LINK_KINDS = {"confirmed", "waitlisted", "updated", "promoted", "atelier", "link", "reminder"}
LINK_KINDS |= {"certificate"}


def _queue_email(
    registration: Registration,
    kind: str,
    run_after: datetime | None = None,
    *,
    counted: bool = False,
) -> None:
    """Queue one of the registrant's e-mails; one bringing the personal link is counted
    (`links_sent`), unless the caller did it in its own write (`counted`)."""
    enqueue_with_transaction(send_registration_email, registration.pk, kind, run_after=run_after)
    if kind.partition(":")[0] in LINK_KINDS and not counted:  # « updated:besoins » (updated_kind)
        Registration.objects.filter(pk=registration.pk).update(links_sent=F("links_sent") + 1)
        registration.links_sent += 1


def queue_public_notice(registration: Registration, kind: str) -> None:
    """Queue an e-mail that whoever types the address can cause ("updated", "link"), at most one
    per PUBLIC_NOTICE_INTERVAL for the registration. Within the interval the e-mail waits for
    its end and then tells the registration as it is; if one is already due, it will carry this
    change too. Call under the event's lock (_lock_seminar), which orders the writers."""
    now = timezone.now()
    last = registration.public_notice_at
    if last is not None and last > now:
        return  # already due after this change
    if last is None or last <= now - PUBLIC_NOTICE_INTERVAL:
        due = None
        registration.public_notice_at = now
    else:
        due = registration.public_notice_at = last + PUBLIC_NOTICE_INTERVAL
    _queue_email(registration, kind, run_after=due, counted=True)
    Registration.objects.filter(pk=registration.pk).update(
        public_notice_at=registration.public_notice_at, links_sent=F("links_sent") + 1
    )


def change_ateliers(registration: Registration, atelier_ids: list[int]) -> Registration:
    """The registrant changes their ateliers (signed link), within the seats left. A change is
    confirmed by « Inscription mise à jour » with the new ateliers (and, while a seat is held,
    the personal .ics that puts them in the calendar in place of the former one), spaced as the
    other e-mails a visitor can cause (queue_public_notice); someone waiting who now fits is
    told « Une place s'est libérée » instead."""
    with transaction.atomic():
        seminar, _confirmed = _lock_seminar(registration.seminar)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Status.CANCELLED:
            raise RegistrationError({"ateliers": ["Cette inscription est annulée."]})
        ateliers = check_atelier_choice(seminar, atelier_ids)
        held = _held_atelier_ids(registration)
        if registration.status == Status.CONFIRMED:
            new = [a for a in ateliers if a.pk not in held]
            full = _full_ateliers(new, registration)
            if full:
                raise atelier_full_error(seminar, full)
        registration.ateliers.set(ateliers)
        registration.save(update_fields=["updated_at"])
        chosen = sorted(atelier.pk for atelier in ateliers)
        if set(chosen) != held:
            # « Why am I no longer in B? »: the journal says she left it herself.
            audit_registrants_change(seminar, registration, ["ateliers"], ateliers=chosen)
        # Seats given back in an atelier may let someone waiting in.
        promoted = promote_waiting(seminar)
        if registration in promoted:
            registration.status = Status.CONFIRMED  # and told so by the « promoted » e-mail
        elif registration.email and {atelier.pk for atelier in ateliers} != held:
            queue_public_notice(registration, "updated")
    return registration


CHANGES_CLOSED = "Les modifications ne sont plus possibles pour cet événement."


def _lock_for_registrants_change(registration: Registration, seminar, field: str) -> Registration:
    """The registration locked (inside the caller's transaction) for a change its registrant
    makes on their personal page until the cut-off (commune, needs), after the checks they
    share: not cancelled, changes still open. Refusals on `field`, as RegistrationError."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Status.CANCELLED:
        raise RegistrationError({field: ["Cette inscription est annulée."]})
    if not seminar.changes_open():
        raise RegistrationError({field: [CHANGES_CLOSED]})
    return registration


def correct_commune(
    registration: Registration, commune: CommuneResolution
) -> tuple[Registration, bool]:
    """The registrant corrects their commune on their personal page (signed link): a typo the
    matcher did not recognise, or another commune. Until the cut-off for changes, as their other
    changes; not for a cancelled registration.

    `commune` comes from the personal page's form, matched as on the event page: the same
    matcher, and « Vouliez-vous dire : » for a commune close to official ones (CommuneStepForm). A commune recognised clears the flag and its suggestions, so the
    organisers' « Communes à vérifier » no longer lists it; one still not recognised is kept as
    typed and stays flagged, with its suggestions. A members-only event refuses a commune that
    is not a member's, as registering does. Audited as an organiser's edit is
    (`seminar.registration.edited`, the field's name only), by the registrant; no e-mail, the
    page says it. Returns the registration and whether anything changed. Raises
    RegistrationError."""
    seminar = registration.seminar
    if commune.code != registration.commune_id:
        _check_audience(seminar, commune, Source.FORM)
    with transaction.atomic():
        registration = _lock_for_registrants_change(registration, seminar, "commune")
        before = [getattr(registration, name) for name in COMMUNE_FIELDS]
        _set_commune(registration, commune)
        if [getattr(registration, name) for name in COMMUNE_FIELDS] == before:
            return registration, False
        registration.save(update_fields=[*COMMUNE_FIELDS, "updated_at"])
        audit_registrants_change(seminar, registration, ["commune"])
    return registration, True


def set_needs(registration: Registration, needs: str) -> tuple[Registration, bool]:
    """The registrant changes or removes their needs on their personal page (signed link): the
    one place where they do, as registering again with the field blank keeps them
    (_details_kept_blank). Until the cut-off for changes, as their ateliers and commune (the
    organisers plan the rooms and the meals from them by then); not for a cancelled
    registration. Audited as their other changes (`seminar.registration.edited`, the field's
    name only: the value may tell of someone's health); no e-mail, the page says it. Returns the
    registration and whether it changed. Raises RegistrationError."""
    seminar = registration.seminar
    with transaction.atomic():
        registration = _lock_for_registrants_change(registration, seminar, "needs")
        if registration.needs == needs:
            return registration, False
        registration.needs = needs
        registration.save(update_fields=["needs", "updated_at"])
        audit_registrants_change(seminar, registration, ["needs"])
    return registration, True


def edit_refusal(registration: Registration) -> str:
    """Why an organiser may not edit this registration, in French; "" when they may.

    A cancelled registration holds no seat and tells nothing more: bringing the person back is
    adding them again (same address, same name), which the seats and the waiting list rule. An
    anonymised one has nobody left to correct (retention)."""
    if registration.anonymised_at is not None:
        return (
            "Cette inscription a été anonymisée à la fin de la durée de conservation des "
            "données : elle ne peut plus être modifiée."
        )
    if registration.status == Status.CANCELLED:
        return (
            f"L'inscription de {registration.prenom} {registration.nom} est annulée : elle ne "
            "peut plus être modifiée. Pour inscrire de nouveau cette personne, utilisez "
            "« Ajouter une inscription » avec la même adresse et le même nom, puis modifiez-la."
        )
    return ""


# What an organiser's edit may change, by the name the audit trail gives it.
EDITED_FIELDS = {
    "nom": ("nom",),
    "prenom": ("prenom",),
    "email": ("email",),
    "phone": ("phone",),
    "commune": tuple(COMMUNE_FIELDS),
    "fonction": ("fonction", "fonction_text"),
    "needs": ("needs",),
    "consent": ("consent",),
}


def registration_edit_values(registration: Registration) -> dict:
    """A registration as the organiser's edit form shows it (its field names): what it carries
    the version of (union.stale_edits), to refuse a form opened before a change."""
    return {
        "nom": registration.nom,
        "prenom": registration.prenom,
        "email": registration.email,
        "phone": registration.phone,
        "commune": edit_commune_text(registration),
        "fonction": registration.fonction,
        # Only the text of « Autre »: an imported label is kept by update_registration.
        "fonction_autre": registration.fonction_text
        if registration.fonction == Fonction.AUTRE
        else "",
        "ateliers": sorted(registration.ateliers.values_list("pk", flat=True)),
        "ateliers_waiting": sorted(registration.atelier_waits.values_list("atelier_id", flat=True)),
        "needs": registration.needs,
        "consent": registration.consent,
    }


def edit_commune_text(registration: Registration) -> str:
    """The commune as the edit forms show it: the official name once matched, else as typed."""
    return registration.commune.nom if registration.commune_id else registration.commune_typed


def update_registration(
    registration: Registration,
    data: RegistrationData,
    *,
    actor=None,
    notify: bool = True,
    version: str = "",
) -> tuple[Registration, list[str]]:
    """An organiser corrects a registration (admin « Modifier », API PATCH), with the rules of
    registering: the address is no other registration's of the event; ateliers belong to the
    event and do not overlap; a confirmed person takes a new atelier only if it has a seat,
    counted under the event's lock as register_person does. Someone waiting may wish for any
    atelier, as on their personal page: the queue then moves if they now fit.

    The person is e-mailed « Inscription mise à jour », as when an organiser adds a known address
    again (register_person, source manual), at the address now registered: the e-mail's
    personal link is built on it (the former link, signed with the former address, stops
    working; the former address is told that it no longer receives the registration's
    messages). Nothing changed: nothing written, nobody told. Returns the registration and the
    names of what changed (EDITED_FIELDS, "ateliers"). Raises RegistrationError.

    `version`: the edit form's (union.stale_edits), when it carries one: a registration changed
    since the form was shown (the person's ateliers on her personal page, another organiser)
    raises StaleEdit, nothing written."""
    data = normalise(data)
    seminar = registration.seminar
    ateliers = None if data.atelier_ids is None else check_atelier_choice(seminar, data.atelier_ids)
    if data.commune.code != registration.commune_id:
        # A commune left as it was is not checked again: its member may have left the union.
        _check_audience(seminar, data.commune)
    with transaction.atomic():
        seminar, _confirmed = _lock_seminar(seminar)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        refusal = edit_refusal(registration)
        if refusal:  # cancelled since the page was shown
            raise RegistrationError({"__all__": [refusal]})
        check_unchanged(version, registration_edit_values(registration))
        _check_address_free(registration, data.email)
        held = _held_atelier_ids(registration)
        if ateliers is None:
            # Not sent (a PATCH of another field): hers as they are now, under the lock, not as
            # read before it: a seat given to her meanwhile from a waiting list stays hers.
            ateliers = list(registration.ateliers.all())
        if registration.status == Status.CONFIRMED:
            full = _full_ateliers([a for a in ateliers if a.pk not in held], registration)
            if full:
                raise atelier_full_error(seminar, full)
        _check_atelier_waits(seminar, registration, data.waiting_atelier_ids, ateliers)
        data.fonction_text = _kept_fonction_text(registration, data)
        former_email = registration.email
        before = _edited_values(registration)
        _fill(registration, data, keep_choices=False)
        after = _edited_values(registration)
        changed = [name for name in EDITED_FIELDS if before[name] != after[name]]
        if {atelier.pk for atelier in ateliers} != held:
            changed.append("ateliers")
        if data.waiting_atelier_ids is not None and _set_atelier_waits(
            registration, data.waiting_atelier_ids, ateliers
        ):
            changed.append("ateliers_waiting")
        if not changed:
            return registration, changed
        registration.save()
        registration.ateliers.set(ateliers)
        # An atelier given up may let someone in; someone waiting may now fit.
        promoted = promote_waiting(seminar)
        _audit_registration(
            "seminar.registration.edited",
            seminar,
            registration,
            actor,
            fields=changed,  # the names only: the values are personal data
        )
        if registration in promoted:
            registration.status = Status.CONFIRMED  # and told so by the « promoted » e-mail
        elif notify and registration.email:
            _queue_email(registration, "updated")
        if notify and former_email and "email" in changed:
            enqueue_with_transaction(send_address_changed_email, seminar.pk, former_email)
    return registration, changed


def _check_atelier_waits(
    seminar: SeminarPage, registration: Registration, atelier_ids, ateliers: list[Atelier]
) -> None:
    """The lists an organiser's edit may give her (`ateliers`: those she holds after it): a
    confirmed registration's only; after the cut-off, when nobody is moved any more, only those
    she is on already (she may leave); and a new one only for a full atelier. One with room is
    chosen among her ateliers instead: she would otherwise get it at once and two e-mails, « Une
    place s'est libérée » and « Inscription mise à jour » (the admin's form offers full ones only,
    but a seat may free while it is open, and the API takes any)."""
    if not atelier_ids:
        return
    if registration.status != Status.CONFIRMED:
        raise RegistrationError({"ateliers_waiting": [ATELIER_LISTS_FOR_CONFIRMED + "."]})
    joined = set(atelier_ids) - set(registration.atelier_waits.values_list("atelier_id", flat=True))
    joined -= {atelier.pk for atelier in ateliers}
    if joined and not seminar.changes_open():
        raise RegistrationError({"ateliers_waiting": [ATELIER_LISTS_CLOSED]})
    wanted = list(Atelier.objects.filter(page=seminar, pk__in=joined).order_by("starts_at", "pk"))
    full = {atelier.pk for atelier in _full_ateliers(wanted, registration)}
    with_room = [atelier for atelier in wanted if atelier.pk not in full]
    if with_room:
        raise RegistrationError({"ateliers_waiting": [_room_left_message(seminar, with_room)]})


def _room_left_message(seminar: SeminarPage, ateliers: list[Atelier]) -> str:
    names = french_list([f"« {seminar.atelier_label(atelier)} »" for atelier in ateliers])
    if len(ateliers) == 1:
        return (
            f"L'atelier {names} a de la place : ajoutez-le à ses ateliers plutôt que de "
            "l'inscrire sur sa liste d'attente."
        )
    return (
        f"Les ateliers {names} ont de la place : ajoutez-les à ses ateliers plutôt que de "
        "l'inscrire sur leurs listes d'attente."
    )


ATELIER_LISTS_CLOSED = (
    "La date limite des modifications est passée : plus personne ne change d'atelier, une "
    "liste d'attente d'atelier ne se rejoint plus."
)


def _set_atelier_waits(registration: Registration, atelier_ids, ateliers: list[Atelier]) -> bool:
    """The organiser's edit of her waiting lists: those unticked are left, those ticked joined,
    last on their list (give_freed_atelier_seats then gives her one that has room). An atelier
    she holds after the edit is waited for no more. Whether they changed."""
    wanted = set(atelier_ids) - {atelier.pk for atelier in ateliers}
    waits = registration.atelier_waits
    current = set(waits.values_list("atelier_id", flat=True))
    if wanted == current:
        return False
    waits.exclude(atelier_id__in=wanted).delete()
    AtelierWaiting.objects.bulk_create(
        AtelierWaiting(registration=registration, atelier_id=pk) for pk in sorted(wanted - current)
    )
    return True


def _edited_values(registration: Registration) -> dict[str, tuple]:
    return {
        name: tuple(getattr(registration, column) for column in columns)
        for name, columns in EDITED_FIELDS.items()
    }


def _check_address_free(registration: Registration, email: str) -> None:
    """An address is one registration's per event (constraint one_registration_per_email):
    another registration's is refused on the e-mail field, naming whose it is, as the manual add
    does for organisers. Checked under the event's lock, which every registration takes."""
    if not email or email == registration.email:
        return
    other = (
        Registration.objects.select_related("commune")
        .filter(seminar_id=registration.seminar_id, email=email)
        .exclude(pk=registration.pk)
        .first()
    )
    if other is None:
        return
    cancelled = ", annulée" if other.status == Status.CANCELLED else ""
    raise RegistrationError(
        {
            "email": [
                f"Cette adresse est déjà celle de l'inscription de {other.prenom} {other.nom} "
                f"({other.commune_label}{cancelled}) : une adresse ne sert qu'à une inscription "
                "par événement. Saisissez une autre adresse."
            ]
        }
    )


def _kept_fonction_text(registration: Registration, data: RegistrationData) -> str:
    """The typed fonction kept beside its code. An imported label (« 1ère adjointe », the code
    maire_adjoint) stays while the fonction is left as it was, though the edit form shows the
    text only for « Autre »; another fonction drops it, as it described the former one."""
    if data.fonction_text or data.fonction != registration.fonction:
        return data.fonction_text
    return registration.fonction_text


def cancel_registration(
    registration: Registration,
    *,
    actor=None,
    member: MemberCCAS | None = None,
    by_registrant: bool = False,
) -> Registration:
    """Cancel; the seat goes to the first person waiting who fits, who is told by e-mail.
    `by_registrant`: she did it herself, on her personal page (the journal says so).
    `member`: the member CCAS withdrawing someone it registered, whom her e-mail names (« L'équipe
    du CCAS de … vous a désinscrit(e) »), as her confirmation named it."""
    with transaction.atomic():
        seminar, _confirmed = _lock_seminar(registration.seminar)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Status.CANCELLED:
            return registration
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        registration.atelier_waits.all().delete()  # nothing is kept for a cancelled registration
        by = {"by": "registrant"} if by_registrant else {}
        _audit_registration("seminar.registration.cancelled", seminar, registration, actor, **by)
        if registration.email:
            _queue_email(registration, f"cancelled:{member.pk}" if member else "cancelled")
        promote_waiting(seminar)
    return registration


def promote_waiting(seminar: SeminarPage) -> list[Registration]:
    """Confirm people waiting, in order of arrival, while seats are free.

    Call with the event locked. Someone whose chosen atelier is still full keeps their place in
    the queue and the next person is considered. Nobody, for a cancelled event: « une place
    s'est libérée » for an event that will not take place.
    """
    promoted = []
    if seminar.is_cancelled:
        return promoted
    while True:
        for registration in waiting_queue(seminar.pk):
            if not _seminar_has_seat(seminar):
                break
            if _full_ateliers(list(registration.ateliers.all()), registration):
                continue
            registration.status = Status.CONFIRMED
            registration.save(update_fields=["status", "updated_at"])
            promoted.append(registration)
            if registration.email:
                _queue_email(registration, "promoted")
        # The seats people with a seat leave when they move to the atelier they waited for may
        # let in someone waiting for the event: once more, until nothing moves.
        if not give_freed_atelier_seats(seminar):
            return promoted


def give_freed_atelier_seats(seminar: SeminarPage) -> list[AtelierWaiting]:
    """Give a free seat of a full atelier to the first confirmed person on its waiting list
    (AtelierWaiting), who leaves the atelier she held at the same time, if any, and is told by
    e-mail. Call with the event locked (promote_waiting does). Those waiting for the event
    itself come first: one place at a time, and promote_waiting serves its queue again before
    the next (a seat left in the move may be theirs). Nothing once changes are closed (the
    cut-off, the day itself): nobody is moved out of the room she is in. Returns the place
    given, or nothing."""
    waits = AtelierWaiting.objects.filter(atelier__page=seminar)
    # An atelier she holds now (chosen again once it had room, or added by an organiser or the
    # desk after the cut-off) is waited for no more: tidied after the cut-off too, or the desk
    # would see her on the list of an atelier she is in.
    waits.filter(atelier__registrations=F("registration")).delete()
    if not seminar.changes_open():
        return []
    waits = waits.filter(registration__status=Status.CONFIRMED)
    free = _free_ateliers_waited_for(waits)
    if not free:
        return []
    wait = waits.filter(atelier__in=free).select_related("registration", "atelier").first()
    left = _move_to_waited_atelier(wait)
    # In the journal, as an organiser's « Lui donner la place libre »: why she is no longer in
    # the atelier she left, when she asks.
    _audit_registration(
        "seminar.registration.atelier_given",
        seminar,
        wait.registration,
        None,
        atelier=wait.atelier_id,
        left=left,
        by="waiting_list",
    )
    return [wait]


def _free_ateliers_waited_for(waits: QuerySet[AtelierWaiting]) -> list[Atelier]:
    return [
        atelier
        for atelier in with_taken(Atelier.objects.filter(pk__in=waits.values("atelier")))
        if atelier.taken < atelier.seats
    ]


def _move_to_waited_atelier(wait: AtelierWaiting, *, tell: bool = True) -> list[int]:
    """She takes the atelier she waited for and leaves those she held at that time (their ids
    returned); `tell`: « Une place s'est libérée dans l'atelier attendu »."""
    registration, atelier = wait.registration, wait.atelier
    left = [held for held in registration.ateliers.all() if held.overlaps(atelier)]
    registration.ateliers.remove(*left)
    registration.ateliers.add(atelier)
    wait.delete()
    # Her other waits for that time are over too: she has the atelier she waited for first
    # (the personal page says so beforehand, the e-mail names them).
    same_time = registration.atelier_waits.filter(
        atelier__starts_at__lt=atelier.ends_at, atelier__ends_at__gt=atelier.starts_at
    )
    dropped = list(same_time.values_list("atelier_id", flat=True))
    same_time.delete()
    registration.save(update_fields=["updated_at"])
    if tell and registration.email:
        # « atelier:<given>,<left>…,-<dropped>… »: the e-mail names the atelier given, those
        # left and the lists dropped (negative: the previous version's worker, during an upgrade
        # or after a rollback, finds no atelier of that id and names the others as before).
        ids = [atelier.pk, *(held.pk for held in left), *(-pk for pk in dropped)]
        _queue_email(registration, "atelier:" + ",".join(str(pk) for pk in ids))
    return [held.pk for held in left]


ATELIER_LISTS_FOR_CONFIRMED = (
    "Les listes d'attente des ateliers sont pour les personnes dont l'inscription est confirmée"
)


def join_atelier_waiting(registration: Registration, atelier_id: int) -> int:
    """Put a confirmed registrant on the waiting list of a full atelier (her personal page);
    she keeps her ateliers until a seat is hers (give_freed_atelier_seats). Returns her rank on
    that list. Raises RegistrationError (on `atelier`) when that list is not for her."""
    with transaction.atomic():
        seminar, _confirmed = _lock_seminar(registration.seminar)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        atelier = Atelier.objects.filter(page=seminar, pk=atelier_id).first()
        if atelier is None:
            raise RegistrationError({"atelier": ["Cet atelier n'appartient pas à cet événement."]})
        label = seminar.atelier_label(atelier)
        if not seminar.changes_open():  # read under the lock: the page checked it earlier
            refusal = ATELIER_LISTS_CLOSED
        elif registration.status != Status.CONFIRMED:
            refusal = (
                f"{ATELIER_LISTS_FOR_CONFIRMED} : choisissez l'atelier dans « Changer d'ateliers »."
            )
        elif atelier.pk in _held_atelier_ids(registration):
            refusal = f"Vous êtes déjà inscrit(e) à l'atelier « {label} »."
        elif not _full_ateliers([atelier], registration):
            refusal = (
                f"L'atelier « {label} » a de nouveau une place : choisissez-le dans "
                "« Changer d'ateliers »."
            )
        else:
            refusal = ""
        if refusal:
            raise RegistrationError({"atelier": [refusal]})
        _wait, joined = AtelierWaiting.objects.get_or_create(
            registration=registration, atelier=atelier
        )
        if joined:
            audit_registrants_change(
                seminar, registration, ["ateliers_waiting"], atelier=atelier.pk, joined=True
            )
        # Read before the lock is released: a seat freed in that atelier right after would be
        # hers, and her wait gone.
        return atelier_waiting_ranks(registration)[atelier.pk]


def _join_waiting_lists(seminar: SeminarPage, registration: Registration, atelier_ids) -> list[int]:
    """Put a confirmed registration on the waiting lists of these ateliers of the event (the
    portal's form offers the full ones), those she does not hold. One that found room meanwhile
    is hers at once, in place of the one she chose at that time, without « Une place s'est
    libérée »: the e-mail of her registration names her ateliers, and anyone posting the public
    form again with her name and address would otherwise send that e-mail each time, beyond
    the limit on public e-mails (queue_public_notice). Under the lock. Returns the ids of the
    ateliers given so."""
    held = _held_atelier_ids(registration)
    given = []
    for atelier in Atelier.objects.filter(page=seminar, pk__in=atelier_ids).order_by("starts_at"):
        if atelier.pk in held or any(atelier.overlaps(other) for other in given):
            continue
        wait, _ = AtelierWaiting.objects.get_or_create(registration=registration, atelier=atelier)
        if not _full_ateliers([atelier], registration):
            _move_to_waited_atelier(wait, tell=False)
            given.append(atelier)
    if given:
        promote_waiting(seminar)  # the atelier she left may let someone in
    return [atelier.pk for atelier in given]


def leave_atelier_waiting(registration: Registration, atelier_id: int, *, actor=None) -> bool:
    """Take the registrant off an atelier's waiting list; whether she was on it. Under the
    event's lock: a seat being given to her meanwhile is either hers or not, never both.

    `actor`: an organiser taking her off (the filtered list's « Retirer de la liste »): the
    audit log records it, and, for an event still to come, « Inscription mise à jour » tells her,
    since her page showed her rank (the e-mail names that list, emails.list_left_by_organisers)."""
    with transaction.atomic():
        seminar, _confirmed = _lock_seminar(registration.seminar)
        deleted, _ = registration.atelier_waits.filter(atelier_id=atelier_id).delete()
        if deleted and actor is None:
            audit_registrants_change(
                seminar, registration, ["ateliers_waiting"], atelier=atelier_id, joined=False
            )
        elif deleted:
            _audit_registration(
                "seminar.registration.edited",
                seminar,
                registration,
                actor,
                fields=["ateliers_waiting"],
                atelier=atelier_id,  # the list she was taken off
            )
            # « updated:-<atelier> »: the e-mail names the list.
            if registration.email and list_change_told(seminar):
                _queue_email(registration, f"updated:-{atelier_id}")
    return bool(deleted)


def list_change_told(seminar: SeminarPage) -> bool:
    """Whether an organiser's change of someone's atelier lists is e-mailed to her: not for an
    event begun (the worker drops an « atelier » e-mail then) or cancelled, where the organiser
    only tidies the list or seats her at the desk."""
    return not (seminar.is_cancelled or seminar.has_started())


def give_waited_atelier_seat(registration: Registration, atelier_id: int, *, actor) -> Atelier:
    """An organiser gives a free seat of an atelier to someone on its waiting list, whatever her
    rank (« Lui donner la place libre », the filtered list): after the cut-off nobody is moved
    automatically (give_freed_atelier_seats), and the desk seats whom it sees. She leaves the
    atelier she held at the same time, as when a freed seat goes to her, and is told by the same
    e-mail; the seat she leaves goes to the event's queue, as any freed seat (promote_waiting).
    Under the event's lock; raises RegistrationError (on `atelier`) before the cut-off (the
    first on the list gets a freed seat), for a cancelled event, when she is no longer on that
    list or the atelier has no seat left. Returns the atelier."""
    with transaction.atomic():
        seminar, _confirmed = _lock_seminar(registration.seminar)
        label = seminar.atelier_labels.get(atelier_id, "")
        if seminar.is_cancelled:
            raise RegistrationError({"atelier": [EVENT_CANCELLED_NO_SEAT]})
        if seminar.has_ended():  # a page left open: her ateliers are those she attended
            raise RegistrationError({"atelier": [EVENT_ENDED_NO_SEAT]})
        if seminar.changes_open():
            raise RegistrationError(
                {
                    "atelier": [
                        "Jusqu'à la date limite des modifications, une place libérée de l'atelier "
                        f"« {label} » est donnée d'office à la première personne de sa liste "
                        "d'attente : « Placer en tête » choisit qui l'aura."
                    ]
                }
            )
        wait = (
            AtelierWaiting.objects.select_related("registration", "atelier")
            .filter(
                registration=registration,
                atelier_id=atelier_id,
                registration__status=Status.CONFIRMED,
            )
            .first()
        )
        name = f"{registration.prenom} {registration.nom}"
        if atelier_id in _held_atelier_ids(registration):  # a wait left over, or a late click
            refusal = f"{name} est déjà inscrit(e) à l'atelier « {label} »."
        elif wait is None:
            refusal = f"{name} n'est pas (ou plus) sur la liste d'attente de l'atelier « {label} »."
        elif _full_ateliers([wait.atelier], wait.registration):
            refusal = (
                f"L'atelier « {label} » n'a plus de place libre : la place a été prise entre-temps."
            )
        else:
            refusal = ""
        if refusal:
            raise RegistrationError({"atelier": [refusal]})
        left = _move_to_waited_atelier(wait)
        _audit_registration(
            "seminar.registration.atelier_given",
            seminar,
            registration,
            actor,
            atelier=atelier_id,
            left=left,
        )
        promote_waiting(seminar)  # the atelier she left may seat someone waiting for the event
    return wait.atelier


EVENT_CANCELLED_NO_SEAT = "L'événement est annulé : aucune place n'est plus donnée."
EVENT_ENDED_NO_SEAT = "L'événement est terminé : ses ateliers ne changent plus."


def put_first_on_atelier_list(registration: Registration, atelier_id: int, *, actor) -> bool:
    """An organiser puts someone first on an atelier's waiting list (« Placer en tête », the
    filtered list): an elected official the union wants in that atelier gets its next freed seat.
    The list's order is its `joined_at`: hers becomes just before the first's. Under the event's
    lock, as the seats given in that order. Whether she moved (not if first already, or no
    longer on the list); audited. Raises RegistrationError (on `atelier`) for a cancelled event
    or after the cut-off (a page left open): no seat is given in the list's order then."""
    with transaction.atomic():
        seminar, _confirmed = _lock_seminar(registration.seminar)
        if seminar.is_cancelled:
            raise RegistrationError({"atelier": [EVENT_CANCELLED_NO_SEAT]})
        if not seminar.changes_open():
            raise RegistrationError(
                {
                    "atelier": [
                        "La date limite des modifications est passée : une place libérée n'est "
                        "plus donnée d'office dans l'ordre de la liste. Quand l'atelier a une "
                        "place libre, « Lui donner la place libre » choisit qui l'aura."
                    ]
                }
            )
        waits = AtelierWaiting.objects.filter(
            atelier_id=atelier_id, registration__status=Status.CONFIRMED
        )
        first = waits.order_by("joined_at", "pk").first()
        wait = waits.filter(registration=registration).first()
        if wait is None or wait == first:
            return False
        wait.joined_at = first.joined_at - timedelta(microseconds=1)
        wait.save(update_fields=["joined_at"])
        _audit_registration(
            "seminar.registration.atelier_list_first",
            seminar,
            registration,
            actor,
            atelier=atelier_id,
        )
    return True


def atelier_waiting_ranks(registration: Registration) -> dict[int, int]:
    """Her rank (1 for the first) on each atelier's waiting list she is on: atelier id -> rank,
    in the order she joined them (models.atelier_waiting_list_ranks)."""
    return dict(atelier_waiting_list_ranks(registration.seminar_id).get(registration.pk, []))


def promote_after_edit(seminar: SeminarPage) -> list[Registration]:
    """After an organiser publishes the event (more seats, bigger ateliers), confirm the people
    waiting who now fit."""
    with transaction.atomic():
        seminar, _confirmed = _lock_seminar(seminar)
        return promote_waiting(seminar)


def resend_personal_link(registration: Registration, *, actor=None) -> None:
    """An organiser sends the person a fresh personal link (they lost the e-mail, or it went to
    spam). Not limited as the public « lien perdu » is: organisers know whom they write to.
    Raises RegistrationError when there is nobody to write to."""
    refusal = edit_refusal(registration)
    if refusal:
        raise RegistrationError({"__all__": [refusal]})
    if not registration.email:
        raise RegistrationError(
            {
                "email": [
                    f"L'inscription de {registration.prenom} {registration.nom} n'a pas "
                    "d'adresse e-mail : ajoutez-en une avec « Modifier », le lien lui sera envoyé."
                ]
            }
        )
    with transaction.atomic():
        _audit_registration(
            "seminar.registration.link_sent", registration.seminar, registration, actor
        )
        _queue_email(registration, "link")


def send_new_link(seminar: SeminarPage, email: str) -> bool:
    """E-mail a fresh personal link to a registered address. The caller always answers the same
    way, so that nobody learns whether an address is registered."""
    with transaction.atomic():
        _lock_seminar(seminar)
        registration = seminar.registrations.filter(email=(email or "").strip().lower()).first()
        if registration is None or registration.status == Status.CANCELLED:
            return False
        queue_public_notice(registration, "link")
    return True


# How far back « Retrouver mes inscriptions » lists the events a person came to: a year of
# rencontres, whose attestations an élue hands in (within the retention period, see below).
LISTED_PAST = timedelta(days=365)


def listed_registrations(email: str) -> QuerySet:
    """The registrations « Retrouver mes inscriptions » lists for an address, whatever their
    events' visibility (they are the person's own), live events only: confirmed or waiting, to
    events not over yet; then those where she was present (checked in) at an event that ended
    within LISTED_PAST, whose link gives her attestation, the proceedings and the questionnaire.
    Never an anonymised one (retention, erasure): the window also stops at
    SEMINAR_PERSONAL_DATA_KEPT_DAYS, should it be set shorter. Upcoming events first, the next
    one at the top; then the past ones, the latest first (what she looks for there is last
    month's attestation, not last year's)."""
    now = timezone.now()
    kept = timedelta(days=settings.SEMINAR_PERSONAL_DATA_KEPT_DAYS)
    upcoming = Q(status__in=[Status.CONFIRMED, Status.WAITLISTED], seminar__end__gt=now)
    attended = PRESENT & Q(
        seminar__end__lte=now,
        seminar__end__gt=now - min(LISTED_PAST, kept),
        seminar__cancelled_at__isnull=True,
    )
    return (
        Registration.objects.filter(
            upcoming | attended,
            email=(email or "").strip().lower(),
            seminar__live=True,
            anonymised_at__isnull=True,
        )
        .exclude(email="")
        .select_related("seminar")
        .alias(
            past=Q(seminar__end__lte=now),
            upcoming_start=Case(When(seminar__end__gt=now, then=F("seminar__start"))),
            past_start=Case(When(seminar__end__lte=now, then=F("seminar__start"))),
        )
        .order_by(
            "past",
            F("upcoming_start").asc(nulls_last=True),
            F("past_start").desc(nulls_last=True),
            "seminar_id",
        )
    )


def lookup_digest(email: str) -> str:
    """A keyed digest of a typed address (HMAC-SHA256 keyed from SECRET_KEY, apart from the
    personal links' own digest): RegistrationsListNotice remembers an address without it."""
    normalised = (email or "").strip().lower()
    return salted_hmac("maillage.seminars.lookup", normalised, algorithm="sha256").hexdigest()


def forget_list_notices(now: datetime) -> int:
    """Delete the « Retrouver mes inscriptions » notices older than PUBLIC_NOTICE_INTERVAL: each
    request does it, and the daily retention (seminars.retention) for the last one of the day."""
    stale = RegistrationsListNotice.objects.filter(sent_at__lte=now - PUBLIC_NOTICE_INTERVAL)
    return stale.delete()[0]


def send_registrations_list(email: str) -> bool:
    """« Retrouver mes inscriptions »: queue ONE e-mail to `email` listing its registrations
    (listed_registrations: to the events not over yet, and those of the last year where she was
    present), each with a fresh personal link (counted in `links_sent`). Nothing
    when there is nothing to list, nor within PUBLIC_NOTICE_INTERVAL of the last list sent to
    the address (whoever types it causes the e-mail). The caller always answers the same way,
    so that nobody learns whether an address is registered. Whether it was queued."""
    digest = lookup_digest(email)
    with transaction.atomic():
        now = timezone.now()
        forget_list_notices(now)  # first, on every request: only the last interval's are kept
        ids = list(listed_registrations(email).values_list("pk", flat=True))
        if not ids:
            return False
        # The row locked (or inserted, a concurrent insert waiting on the unique index): two
        # requests for one address at the same moment send one e-mail.
        notice, created = RegistrationsListNotice.objects.select_for_update().get_or_create(
            address_digest=digest, defaults={"sent_at": now}
        )
        if not created:
            if notice.sent_at > now - PUBLIC_NOTICE_INTERVAL:
                return False
            notice.sent_at = now
            notice.save(update_fields=["sent_at"])
        Registration.objects.filter(pk__in=ids).update(links_sent=F("links_sent") + 1)
        enqueue_with_transaction(send_registrations_list_email, email.strip().lower(), ids)
    return True


CONSENT_OF_CANCELLED = (
    "Cette inscription est annulée : elle ne figure pas dans la liste des participants."
)


def set_consent(registration: Registration, consent: bool) -> bool:
    """The registrant agrees, or no longer agrees, to appear in the list published with the
    proceedings: at any time, even after the event (a consent can always be withdrawn), but
    given only by someone registered (a cancelled registration is in no list: a page left open
    posted after cancelling). Audited as her other changes, the choice in it (the published list
    answers for it). Returns whether it changed. Raises RegistrationError (on `consent`)."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if consent and registration.status == Status.CANCELLED:
            raise RegistrationError({"consent": [CONSENT_OF_CANCELLED]})
        if registration.consent == consent:
            return False
        registration.consent = consent
        registration.save(update_fields=["consent", "updated_at"])
        audit_registrants_change(registration.seminar, registration, ["consent"], consent=consent)
    return True


def set_check_in(registration: Registration, present: bool, *, actor=None) -> list[str]:
    """Check a person in on the day (or undo it). Undoing it also undoes her presences at the
    ateliers, whose names it returns (SeminarPage.atelier_labels: two of the same title told
    apart by their slot): someone not at the event was in no atelier of it, and an attestation
    must not list them (the check-in was a mistake, another person's row)."""
    undone: list[str] = []
    with transaction.atomic():
        registration.checked_in_at = timezone.now() if present else None
        if not present:
            # Not present after all: an attestation queued but not sent yet is skipped by the
            # task, so a later check-in must queue it again.
            registration.certificate_sent_at = None
            presences = AtelierPresence.objects.filter(registration=registration)
            marked = list(
                presences.order_by("atelier__starts_at").values_list("atelier_id", "atelier__title")
            )
            labels = registration.seminar.atelier_labels if marked else {}
            undone = [labels.get(atelier_id, title) for atelier_id, title in marked]
            presences.delete()
        registration.save(update_fields=["checked_in_at", "certificate_sent_at", "updated_at"])
        details = {"ateliers_undone": undone} if undone else {}
        record_audit(
            "seminar.registration.check_in" if present else "seminar.registration.check_in_undone",
            actor=actor,
            target=f"{registration.prenom} {registration.nom}",
            registration=registration.pk,
            **details,
        )
    return undone


@dataclass
class OverCapacity:
    """What « Confirmer malgré la jauge » did: the person, whether she was confirmed by it (she
    may have been confirmed already), and the seats it goes beyond, for the organiser's message."""

    registration: Registration
    confirmed_now: bool
    confirmed: int  # confirmed people of the event, her included
    seats: int
    full_ateliers: list[str] = field(default_factory=list)  # titles she goes beyond the seats of

    @property
    def beyond(self) -> int:
        return max(0, self.confirmed - self.seats)


NOT_WAITING = "L'inscription de {name} est annulée : ajoutez-la de nouveau pour la confirmer."


def confirm_over_capacity(
    registration: Registration, *, actor, check_in: bool = False
) -> OverCapacity:
    """An organiser confirms this person whatever the seats: someone waiting who turned up at
    the door, a speaker's guest. Only organisers' screens call it; the public form, the API and
    promote_waiting stay bound by the seats (register_person): once over capacity, nobody else
    is confirmed until enough people cancel to come back under it.

    Under the event's lock, as every change of who holds a seat. The person gets the usual
    confirmation e-mail (with the .ics) if she has an address; audited
    `seminar.registration.confirmed_over_capacity` with the counts. `check_in`: checked in at the
    same time (« Confirmer et émarger »). Someone already confirmed is only checked in. Raises
    RegistrationError for a cancelled registration."""
    with transaction.atomic():
        seminar, confirmed = _lock_seminar(registration.seminar)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        name = f"{registration.prenom} {registration.nom}"
        if registration.status == Status.CANCELLED:
            raise RegistrationError({"__all__": [NOT_WAITING.format(name=name)]})
        result = OverCapacity(registration, False, confirmed, seminar.seats)
        if registration.status == Status.WAITLISTED:
            ateliers = list(registration.ateliers.order_by("starts_at"))
            result.full_ateliers = [a.title for a in _full_ateliers(ateliers, registration)]
            registration.status = Status.CONFIRMED
            registration.save(update_fields=["status", "updated_at"])
            result.confirmed_now = True
            result.confirmed = confirmed + 1
            _audit_registration(
                "seminar.registration.confirmed_over_capacity",
                seminar,
                registration,
                actor,
                seats=seminar.seats,
                confirmed=result.confirmed,
                ateliers=result.full_ateliers,
            )
            if registration.email:
                _queue_email(registration, "confirmed")
        if check_in and registration.checked_in_at is None:
            set_check_in(registration, True, actor=actor)
    return result


def register_at_the_door(
    seminar: SeminarPage, data: RegistrationData, *, actor, source: str = Source.MANUAL
) -> tuple[Registration, bool, OverCapacity | None]:
    """The manual add's « présent(e) maintenant »: someone who turns up is registered (or her
    registration updated), confirmed even beyond the seats, and checked in, in one transaction:
    the e-mail of the waiting list that registering alone would send never leaves (the task
    skips someone no longer waiting), only the confirmation. Returns the registration, whether
    it was created, and what the confirmation over capacity did (None when a seat was free).
    `source`: Source.DOOR for the welcome desk's walk-ins (« Ajout à l'accueil »)."""
    with transaction.atomic():
        registration, created = register_person(seminar, data, source=source, actor=actor)
        if registration.status == Status.CONFIRMED:
            if registration.checked_in_at is None:
                set_check_in(registration, True, actor=actor)
            return registration, created, None
        result = confirm_over_capacity(registration, actor=actor, check_in=True)
    return result.registration, created, result


def certificates_to_send(seminar: SeminarPage) -> QuerySet[Registration]:
    """People present with an e-mail address whose attestation has not been queued yet."""
    return seminar.registrations.filter(PRESENT, certificate_sent_at__isnull=True).exclude(email="")


def send_certificates(seminar: SeminarPage, *, actor=None) -> int:
    """Queue the attestation de présence of everyone checked in who has an e-mail and has not
    been sent one yet. Each person gets it once, however often organisers click (the rows are
    marked in the same transaction; a concurrent click skips the locked rows). Nothing before the
    end of the event (see Registration.certificate_available)."""
    if not seminar.has_ended():
        return 0
    return queue_emails_once(
        seminar,
        certificates_to_send(seminar),
        kind="certificate",
        sent_field="certificate_sent_at",
        action="seminar.certificates.sent",
        actor=actor,
    )


def queue_emails_once(
    seminar: SeminarPage,
    due: QuerySet[Registration],
    *,
    kind: str,
    sent_field: str,
    action: str,
    actor,
) -> int:
    """Queue the e-mail `kind` to each registration of `due` and set its `sent_field` in the same
    transaction, so that each person gets it once however often organisers click: a concurrent
    click skips the rows this one has locked. Audited as `action`; returns how many."""
    with transaction.atomic():
        ids = list(
            # of=self: `due` may outer-join a related table, which PostgreSQL cannot lock.
            due.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True)
        )
        marks = {sent_field: timezone.now()}
        if kind in LINK_KINDS:
            marks["links_sent"] = F("links_sent") + 1
        Registration.objects.filter(pk__in=ids).update(**marks)
        for registration_id in ids:
            enqueue_with_transaction(send_registration_email, registration_id, kind)
        record_audit(action, actor=actor, target=seminar.title, seminar=seminar.pk, count=len(ids))
    return len(ids)


def fix_commune(registration: Registration, code: str, *, actor=None) -> Registration:
    """The organiser resolves a flagged commune to an official one."""
    from tenants.models import Commune

    with transaction.atomic():
        commune = Commune.objects.get(code=code)
        registration.commune = commune
        registration.commune_status = Registration.CommuneStatus.MATCHED
        registration.commune_suggestions = []
        registration.save(
            update_fields=["commune", "commune_status", "commune_suggestions", "updated_at"]
        )
        record_audit(
            "seminar.registration.commune_fixed",
            actor=actor,
            target=f"{registration.prenom} {registration.nom}",
            registration=registration.pk,
            typed=registration.commune_typed,
            commune=commune.code,
        )
    return registration


def create_seminar(
    *,
    title: str,
    kind: str,
    start: datetime,
    end: datetime,
    venue: str = "",
    seats: int = 50,
    actor=None,
    **fields,
) -> SeminarPage:
    """Create and publish an event under the calendar page."""
    if kind not in Kind.values:
        raise ValidationError({"kind": "Type d'événement inconnu."})
    if end < start:
        raise ValidationError({"end": "La fin doit suivre le début."})
    with transaction.atomic():
        index = SeminarIndexPage.objects.first()
        if index is None:
            raise ValidationError("Aucune page « Séminaires et ateliers » n'existe encore.")
        page = SeminarPage(
            title=title,
            slug=_free_slug(index, title, start),
            kind=kind,
            start=start,
            end=end,
            venue_name=venue,
            seats=seats,
            **fields,
        )
        index.add_child(instance=page)
        page.save_revision(user=actor).publish(user=actor)
        record_audit("seminar.created", actor=actor, target=title, seminar=page.pk)
    return page


EVENT_INDEX_INTRO = (
    "Séminaires, ateliers des élus, journées d'étude et commissions de l'union\u00a0: "
    "inscrivez-vous en ligne, sans compte."
)


def ensure_event_index() -> SeminarIndexPage:
    """The calendar page (/evenements/), created if missing: the portal's menu links to it and
    events are created under it (create_seminar). setup_platform calls it at every deployment,
    as the demo does."""
    return ensure_section_page(
        SeminarIndexPage,
        slug="evenements",
        title="Séminaires et ateliers",
        intro=f"<p>{EVENT_INDEX_INTRO}</p>",
    )


def _free_slug(index: SeminarIndexPage, title: str, start: datetime) -> str:
    base = slugify(f"{title}-{start:%Y-%m-%d}")[:200] or "evenement"
    return first_free(base, lambda slug: index.get_children().filter(slug=slug).exists())


# The organiser's message's group of the people who came (EmailRegistrantsForm's « Présents »),
# beside the statuses: « les actes sont en ligne », after the event.
PRESENT_GROUP = "present"
# Its group of the people on the atelier waiting lists (« L'atelier B ouvre une seconde séance »).
ATELIER_WAITING_GROUP = "atelier_waiting"


def message_recipients(seminar: SeminarPage, groups: list[str], atelier_id: int | None = None):
    """Whom « Écrire aux inscrits » writes to, with an address or not (the form names those
    without one): the registrations whose status is among `groups`, and with PRESENT_GROUP those
    checked in (models.PRESENT). With `atelier_id`, a status group means the people who chose
    the atelier, « Présents » those marked present at it (attendance.presence_filter: people
    change rooms on the day). With ATELIER_WAITING_GROUP, the confirmed people on the atelier's
    waiting list (on any atelier's without one). The form's list and the e-mails sent read this
    one rule."""
    # Imported here: seminars.attendance imports this module.
    from seminars.attendance import presence_filter

    chosen = Q(status__in=[group for group in groups if group in Status.values])
    if atelier_id:
        chose_it = Registration.ateliers.through.objects.filter(atelier_id=atelier_id)
        chosen &= Q(pk__in=chose_it.values("registration_id"))
    if PRESENT_GROUP in groups:
        # Still confirmed, as every count of presences (attendance.counted_presences).
        chosen |= (PRESENT & presence_filter(atelier_id, True)) if atelier_id else PRESENT
    if ATELIER_WAITING_GROUP in groups:
        waits = AtelierWaiting.objects.filter(atelier__page=seminar)
        if atelier_id:
            waits = waits.filter(atelier_id=atelier_id)
        chosen |= Q(status=Status.CONFIRMED, pk__in=waits.values("registration_id"))
    return seminar.registrations.filter(chosen)


def email_registrants(
    seminar: SeminarPage,
    subject: str,
    body: str,
    *,
    statuses: list[str],
    atelier_id: int | None = None,
    actor=None,
    form_id: str = "",
) -> int:
    """Send one message to every registrant with an e-mail (one e-mail each, no shared list):
    `statuses` are the form's groups, « present » included, `atelier_id` narrows them to an
    atelier (message_recipients). `form_id`: the form's one-time id (union.submit_once): the
    same form posted again sends nothing and raises AlreadySubmitted."""
    registrations = message_recipients(seminar, statuses, atelier_id).exclude(email="")
    with transaction.atomic():
        check_first_submission("seminar.emailed", form_id)
        ids = list(registrations.values_list("pk", flat=True))
        record_audit(
            "seminar.emailed",
            actor=actor,
            target=seminar.title,
            subject=subject,
            count=len(ids),
            form_id=form_id,
        )
        # The message ends with each person's link (organiser_message.txt).
        Registration.objects.filter(pk__in=ids).update(links_sent=F("links_sent") + 1)
        enqueue_with_transaction(send_message_task, ids, subject, body)
    return len(ids)


def reminded_of_this_date() -> Q:
    """Registrations whose reminder went for their event's present date: sent on or after the
    first day on which that date is reminded (one sent earlier was for a date since put off). A
    day more than SEMINAR_REMINDER_DAYS: Monday's reminder of Thursday 23 h 30 is not older than
    Sunday 23 h 30. The daily run (send_due_reminders) and the organiser's page
    (admin_views.reminder_state) read it."""
    days = settings.SEMINAR_REMINDER_DAYS
    return Q(reminder_sent_at__gte=F("seminar__start") - timedelta(days=days + 1))


def send_due_reminders(now: datetime | None = None) -> int:
    """Queue the reminder of every confirmed registration whose event starts within
    SEMINAR_REMINDER_DAYS days, counted in Paris days: the daily run of Monday reminds Thursday's
    events, whatever their hour (72 hours from Monday 7 h left Thursday's 9 h 30 event to
    Tuesday). Each registration is reminded once for its event's date, whoever runs this and
    however often (the row is marked in the same transaction; concurrent runs skip locked rows).
    An event put off after its reminder (5 December to 14 January) is reminded again before its
    new date: the reminder sent is then older than the new date's first day of reminders."""
    now = now or timezone.now()
    days = settings.SEMINAR_REMINDER_DAYS
    # The local midnight after the last day to remind (make_aware: the right offset on DST days).
    last_day = timezone.localdate(now) + timedelta(days=days)
    horizon = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
    # Never reminded, or for an earlier date (reminded_of_this_date).
    not_reminded_of_this_date = Q(reminder_sent_at__isnull=True) | ~reminded_of_this_date()
    with transaction.atomic():
        due = list(
            Registration.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                not_reminded_of_this_date,
                status=Status.CONFIRMED,
                seminar__start__gt=now,
                seminar__start__lt=horizon,
                seminar__live=True,
                seminar__cancelled_at__isnull=True,
            )
            .exclude(email="")
            .values_list("pk", flat=True)
        )
        Registration.objects.filter(pk__in=due).update(
            reminder_sent_at=now, links_sent=F("links_sent") + 1
        )
        for registration_id in due:
            enqueue_with_transaction(send_registration_email, registration_id, "reminder")
    return len(due)


# How long after its start an event's waiting list is still told (a daily run missed for a few
# days catches up); older events never are, such as those held before this e-mail existed.
NO_SEAT_NOTICE_WITHIN = timedelta(days=7)


def send_no_seat_notices(now: datetime | None = None) -> int:
    """Queue « Pas de place libérée » to everyone still waiting, with an address, for an event
    that has started (within NO_SEAT_NOTICE_WITHIN): from its start no seat goes to the waiting
    list any more in practice (the personal links close then, by default), and nobody should be
    left hoping. Once per registration (`no_seat_sent_at`, set in the same transaction); the task
    sends nothing to someone promoted or cancelled meanwhile. Returns how many."""
    now = now or timezone.now()
    waiting = Q(status=Status.WAITLISTED, no_seat_sent_at__isnull=True) & ~Q(email="")
    events = SeminarPage.objects.live().filter(
        start__lte=now,
        start__gt=now - NO_SEAT_NOTICE_WITHIN,
        cancelled_at__isnull=True,  # told of the cancellation instead (cancel_event)
        pk__in=Registration.objects.filter(waiting).values("seminar"),
    )
    return sum(
        queue_emails_once(
            seminar,
            seminar.registrations.filter(waiting),
            kind="no_seat",
            sent_field="no_seat_sent_at",
            action="seminar.no_seat.sent",
            actor=None,
        )
        for seminar in events
    )


class EventNotCancellable(Exception):
    """The event cannot be cancelled (it has started); the French reason is the message."""


@dataclass
class EventCancellation:
    """What cancel_event did: whether this call cancelled the event (False: it already was, a
    second tab or a double click), and how many people it e-mailed."""

    seminar: SeminarPage
    cancelled_now: bool
    emailed: int = 0


def confirmed_or_waiting(seminar: SeminarPage) -> QuerySet[Registration]:
    """Whom a cancelled event concerns: everyone still expected or waiting."""
    return seminar.registrations.filter(status__in=[Status.CONFIRMED, Status.WAITLISTED])


def cancellation_recipients(seminar: SeminarPage) -> QuerySet[Registration]:
    """Who is told that the event is cancelled: those of confirmed_or_waiting with an address
    (the others are named on the confirmation page, to be told otherwise)."""
    return confirmed_or_waiting(seminar).exclude(email="")


def cancel_event(seminar: SeminarPage, *, by, message: str = "") -> EventCancellation:
    """« Annuler l'événement »: an organiser calls off an event still to come (the venue is
    flooded, the speaker ill). Under the event's lock, in one transaction: the event is marked
    cancelled with the organiser's message (registrations close, nobody is promoted, reminders
    and « Pas de place libérée » are not sent: _lock_seminar, promote_waiting,
    send_due_reminders); everyone confirmed or waiting who has an address is e-mailed once
    « Événement annulé » with the calendar's cancellation (.ics, METHOD:CANCEL), after commit;
    audited `seminar.cancelled`. The registrations stay as they are (the history, the year
    report). An event cancelled already is left alone: a second click or tab sends nothing.
    Raises EventNotCancellable once the event has started."""
    message = (message or "").strip()
    with transaction.atomic():
        seminar, _confirmed = _lock_seminar(seminar)
        if seminar.is_cancelled:
            return EventCancellation(seminar, cancelled_now=False)
        if seminar.has_started():
            raise EventNotCancellable(CANNOT_CANCEL_STARTED)
        now = timezone.now()
        SeminarPage.objects.filter(pk=seminar.pk).update(
            cancelled_at=now, cancellation_message=message
        )
        seminar.cancelled_at, seminar.cancellation_message = now, message
        ids = list(cancellation_recipients(seminar).values_list("pk", flat=True))
        for registration_id in ids:
            enqueue_with_transaction(send_registration_email, registration_id, "event_cancelled")
        record_audit(
            "seminar.cancelled",
            actor=by,
            target=seminar.title,
            seminar=seminar.pk,
            count=len(ids),
            message=message,
        )
    return EventCancellation(seminar, cancelled_now=True, emailed=len(ids))


NOT_ON_INVITATION = "Cet événement n'est pas sur invitation : il n'a pas de lien d'invitation."


def renew_invitation_key(seminar: SeminarPage, *, by) -> SeminarPage:
    """« Renouveler le lien d'invitation »: the link was forwarded beyond those invited, or
    published by mistake. A new key, so that the old link opens neither the event's page nor its
    registration form, its calendar file, its proceedings or their files (the visitors who opened
    it with the old key lose them too: models.invitation_mark); revisions keep the new one
    (SeminarPage.PAGE_WIDE_FIELDS). Registrants' personal links are signed apart and still work,
    and lead to the page with the new key. Audited `seminar.invitation_renewed`, without the key.
    Raises ValueError (NOT_ON_INVITATION) for an event that is not on invitation."""
    if seminar.visibility != Visibility.INVITATION:
        raise ValueError(NOT_ON_INVITATION)
    key = new_invitation_key()
    with transaction.atomic():
        SeminarPage.objects.filter(pk=seminar.pk).update(invitation_key=key)
        record_audit(
            "seminar.invitation_renewed", actor=by, target=seminar.title, seminar=seminar.pk
        )
    seminar.invitation_key = key
    return seminar


def event_changes(seminar: SeminarPage, before: dict) -> dict:
    """What moved in a registrant's calendar since `before` (SeminarPage.when_and_where):
    {"date": (former start, former end)} when the start or the end moved, {"venue": the former
    place} when the place did (the place as one line: an address saved again with other line
    ends is the same place), {"ateliers": {id: (former start, former end, former room)}} for
    the ateliers still there whose times or room did. Empty when nothing did."""
    now = seminar.when_and_where()
    former = (datetime.fromisoformat(before["start"]), datetime.fromisoformat(before["end"]))
    # As instants: the page read from its revision and from its row may differ in offset.
    if former != (datetime.fromisoformat(now["start"]), datetime.fromisoformat(now["end"])):
        changes = {"date": former}
    else:
        changes = {}
    if before["venue"] != now["venue"]:
        changes["venue"] = before["venue"]
    moved = {}
    # .get: a task queued before ateliers were compared carries none.
    for atelier_id, (start, end, room) in before.get("ateliers", {}).items():
        if atelier_id not in now["ateliers"]:
            continue  # removed: not a move (the organiser places its people)
        was = (datetime.fromisoformat(start), datetime.fromisoformat(end), room)
        new_start, new_end, new_room = now["ateliers"][atelier_id]
        if was != (datetime.fromisoformat(new_start), datetime.fromisoformat(new_end), new_room):
            moved[int(atelier_id)] = was
    if moved:
        changes["ateliers"] = moved
    return changes


def changes_for(registration: Registration, changes: dict) -> dict:
    """`changes` (event_changes) as they concern one person: an atelier's new time or room
    only if she holds it. Empty when nothing she is registered for moved."""
    if "ateliers" not in changes:
        return changes
    held = set(registration.ateliers.values_list("pk", flat=True))
    mine = {pk: was for pk, was in changes["ateliers"].items() if pk in held}
    concerned = {name: value for name, value in changes.items() if name != "ateliers"}
    if mine:
        concerned["ateliers"] = mine
    return concerned


# Off while the demo moves its own events to stay upcoming (demo._redate): nobody to tell.
_telling_event_changes: ContextVar[bool] = ContextVar("telling_event_changes", default=True)


@contextmanager
def event_changes_untold() -> Iterator[None]:
    """Publish inside it without « Événement modifié » (the demo's own dates moved)."""
    token = _telling_event_changes.set(False)
    try:
        yield
    finally:
        _telling_event_changes.reset(token)


# « Événement modifié » waits this long after a publication, so that the organiser's next
# corrections (a time, then the room) make one e-mail: a person whose e-mail waits still gets
# only that one, which says, when it goes, everything that moved since (its `before` is the
# earliest). Not for an event that starts within CHANGE_NOTICE_UNHELD_WITHIN: sent at once.
CHANGE_NOTICE_WAIT = timedelta(minutes=10)
CHANGE_NOTICE_UNHELD_WITHIN = timedelta(days=1)


def _change_notice_time(seminar: SeminarPage) -> datetime | None:
    now = timezone.now()
    if seminar.start - now < CHANGE_NOTICE_UNHELD_WITHIN:
        return None
    return now + CHANGE_NOTICE_WAIT


def _awaiting_change_notice(registration_ids: list[int]) -> set[int]:
    """Those of the registrations whose « Événement modifié » is queued and not yet sent."""
    if not uses_database_queue():
        return set()  # tasks run at once: nothing waits
    return set(
        _queued_change_notices(registration_ids).values_list("args_kwargs__args__0", flat=True)
    )


def _queued_change_notices(registration_ids):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=send_event_changed_email.module_path,
        status="READY",
        args_kwargs__args__0__in=list(registration_ids),
    )


def change_notice_sentence(seminar: SeminarPage) -> str:
    """What the organiser is told after publishing, while « Événement modifié » waits: when
    it goes, to how many, and that a correction published meanwhile joins it. "" when none
    waits (nothing moved, or tasks run at once)."""
    if not uses_database_queue():
        return ""
    ids = list(cancellation_recipients(seminar).values_list("pk", flat=True))
    waiting = _queued_change_notices(ids)
    count = waiting.count()
    if not count:
        return ""
    people = plural(count, "personne inscrite", "personnes inscrites")
    goes = waiting.aggregate(latest=Max("run_after"))["latest"]
    if goes is None or goes <= timezone.now():
        return f"« Événement modifié » part maintenant à {people}."
    return (
        f"« Événement modifié » partira à {french_time(timezone.localtime(goes))} à "
        f"{people} : une correction publiée d'ici là sera dans le même e-mail."
    )


def notify_event_change(seminar: SeminarPage, before: dict, *, actor=None) -> int:
    """An organiser published a change of an event's times or place (`before`: as it was,
    SeminarPage.when_and_where): everyone confirmed or waiting who has an address is e-mailed
    once « Événement modifié : <titre> », saying what changed, before and after, with their
    personal .ics (same UID, a higher SEQUENCE: the calendar moves the event it holds) while a
    seat is held; when only ateliers' times or rooms changed, only those registered for one of
    them. Queued with the publication, sent CHANGE_NOTICE_WAIT later, once for successive
    changes; audited `seminar.change_notified`. A change of anything else (title, programme),
    a cancelled event or one that has started: nobody. Returns how many are concerned, an
    e-mail still waiting included."""
    if not _telling_event_changes.get():
        return 0
    changes = event_changes(seminar, before)
    if not changes or seminar.is_cancelled or seminar.has_started():
        return 0
    recipients = cancellation_recipients(seminar)
    if "date" not in changes and "venue" not in changes:
        # Only ateliers moved: those who hold one of them.
        recipients = recipients.filter(ateliers__in=list(changes["ateliers"])).distinct()
    with transaction.atomic():
        ids = list(recipients.values_list("pk", flat=True))
        if not ids:
            return 0
        waiting = _awaiting_change_notice(ids)
        told = [registration_id for registration_id in ids if registration_id not in waiting]
        # The e-mail brings the personal link (to withdraw, should the new date not suit).
        Registration.objects.filter(pk__in=told).update(links_sent=F("links_sent") + 1)
        run_after = _change_notice_time(seminar)
        if run_after is None and waiting:
            # Moved to within a day: what waits goes now, with this change in it.
            _queued_change_notices(waiting).update(run_after=timezone.now())
        for registration_id in told:
            enqueue_with_transaction(
                send_event_changed_email, registration_id, before, run_after=run_after
            )
        record_audit(
            "seminar.change_notified",
            actor=actor,
            target=seminar.title,
            seminar=seminar.pk,
            changed=sorted(changes),
            count=len(ids),
            already_waiting=len(waiting),
            # The e-mails this publication queued: `count` less those already waiting, which
            # carry this change too. Adding up `queued` over the entries counts each e-mail once.
            queued=len(told),
        )
    return len(ids)


CANNOT_CANCEL_STARTED = (
    "Cet événement a commencé : il ne peut plus être annulé. Écrivez aux inscrits pour les "
    "prévenir d'un changement."
)


def _events_under(pages, *, descendants: bool = True) -> QuerySet[SeminarPage]:
    """The events among these pages and, with `descendants`, under them (the calendar's)."""
    where = Q()
    for page in pages:
        where |= Q(path__startswith=page.path) if descendants else Q(pk=page.pk)
    return SeminarPage.objects.filter(where) if where else SeminarPage.objects.none()


def _cancel_instead(one: bool) -> str:
    """The way out of a refused deletion or unpublishing: « Annuler l'événement »."""
    return (
        f"Pour qu'il n'ait pas lieu, annulez-{'le' if one else 'les'} plutôt (« Annuler "
        "l'événement » dans ses inscriptions) : les inscrits sont prévenus et leurs "
        "inscriptions conservées."
    )


def deletion_refusal(pages) -> str:
    """Why these pages may not be deleted, in French, or "": an event holding registrations
    (itself, or under a page being deleted: the calendar) would take them with it
    (Registration.seminar cascades), with the check-ins, the attestations and the year
    report's figures. Such an event is cancelled instead; one without registrations may go."""
    held = list(
        _events_under(pages)
        .annotate(held=Count("registrations"))
        .filter(held__gt=0)
        .order_by("start")
        .values_list("title", "held", "cancelled_at")
    )
    if not held:
        return ""
    one = len(held) == 1
    way = _cancel_instead(one)
    if all(cancelled for _title, _count, cancelled in held):
        way = "Annulé, il reste dans le calendrier, marqué « Annulé »."
    if one:
        title, count, _cancelled = held[0]
        return (
            f"« {title} » a {plural(count, 'inscription', 'inscriptions')} : un événement qui "
            "a des inscriptions ne se supprime pas (elles seraient perdues, avec les émargements, "
            f"les attestations et les chiffres du bilan de l'année). {way}"
        )
    named = ", ".join(f"« {title} » ({count})" for title, count, _cancelled in held)
    return (
        f"Ces événements ont des inscriptions : {named}. Un événement qui a des inscriptions ne "
        "se supprime pas (elles seraient perdues, avec les émargements, les attestations et les "
        f"chiffres du bilan de l'année). {way}"
    )


def _expected(confirmed: int, waiting: int) -> str:
    """ "4 personnes inscrites (3 confirmées, 1 en liste d'attente)", "1 personne inscrite",
    "2 personnes en liste d'attente": whom an event still expects."""
    if not waiting:
        return plural(confirmed, "personne inscrite", "personnes inscrites")
    if not confirmed:
        return plural(waiting, "personne en liste d'attente", "personnes en liste d'attente")
    return (
        f"{plural(confirmed + waiting, 'personne inscrite', 'personnes inscrites')} "
        f"({plural(confirmed, 'confirmée', 'confirmées')}, "
        f"{french_number(waiting)} en liste d'attente)"
    )


def unpublish_refusal(pages, *, descendants: bool = True, now: datetime | None = None) -> str:
    """Why these pages may not be unpublished, in French, or "": a published event still to come
    (not ended, not cancelled) that people are confirmed or waiting for (itself, or, with
    `descendants`, under a page being unpublished with its children: the calendar) would vanish
    without a word to them: they would still expect it, and its page, their personal links and
    their calendars' links would lead nowhere. Such an event is cancelled instead (they are
    told), or its registrations are cancelled first. A past, cancelled or draft event may go,
    and one whose registrations are all cancelled."""
    now = now or timezone.now()
    held = list(
        _events_under(pages, descendants=descendants)
        .filter(live=True, end__gt=now, cancelled_at__isnull=True)
        .annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED)),
            waiting=Count("registrations", filter=Q(registrations__status=Status.WAITLISTED)),
        )
        .filter(Q(confirmed__gt=0) | Q(waiting__gt=0))
        .order_by("start")
        .values_list("title", "confirmed", "waiting")
    )
    if not held:
        return ""
    one = len(held) == 1
    why = (
        "ne se dépublie pas (ils ne seraient pas prévenus et l'attendraient encore, mais sa "
        "page et leurs liens ne mèneraient plus nulle part)."
    )
    way = f"{_cancel_instead(one)} Ou annulez d'abord leurs inscriptions."
    if one:
        title, confirmed, waiting = held[0]
        return (
            f"« {title} » a {_expected(confirmed, waiting)} : un événement à venir qui a des "
            f"inscrits {why} {way}"
        )
    named = ", ".join(
        f"« {title} » ({_expected(confirmed, waiting)})" for title, confirmed, waiting in held
    )
    return (
        f"Ces événements à venir ont des inscrits : {named}. Un événement à venir qui a des "
        f"inscrits {why} {way}"
    )
