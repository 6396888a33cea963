"""Background work of seminars (django.tasks): e-mails to registrants and the reminders."""

from django.db import connection
from django.tasks import task

# These tasks run in the worker already: their e-mails go straight to the mail server, not
# through the queue a second time; the organiser's message to many queues each of its e-mails,
# in one transaction (union.mail).
from union.mail import delivering_directly, queueing_each_message


def registration_still_wanted(registration_id: int, kind: str, *, recipients: list[str]) -> str:
    """Before an administrator resends this task's message after a mail server outage
    (union.mail.resend_failed_emails): why not any more, in French, or "" to resend it."""
    from seminars.models import Registration

    registration = Registration.objects.filter(pk=registration_id).first()
    if registration is None:
        return "l'inscription a été supprimée depuis"
    if registration.anonymised_at is not None:
        return "l'inscription a été anonymisée depuis (fin de la durée de conservation)"
    if registration.email.lower() not in recipients:
        return "l'adresse de l'inscription a changé depuis"
    if kind == "reminder" and registration.seminar.has_started():
        return "l'événement a commencé depuis\u00a0: le rappel arriverait après lui"
    if not _still_due(registration, kind):
        return "ce message ne correspond plus à l'inscription (elle a changé depuis)"
    return ""


def registrants_still_wanted(
    registration_ids: list[int], subject: str = "", body: str = "", *, recipients: list[str]
) -> str:
    """The same for an organiser's message: the registration it went to still has the
    address."""
    from seminars.models import Registration

    addresses = Registration.objects.filter(
        pk__in=registration_ids, anonymised_at__isnull=True
    ).values_list("email", flat=True)
    if not any(address and address.lower() in recipients for address in addresses):
        return "l'inscription a été anonymisée, supprimée ou a changé d'adresse depuis"
    return ""


def _still_due(registration, kind: str) -> bool:
    """Whether a `kind` message still applies to the registration as it is now."""
    from seminars.emails import atelier_notice_ids
    from seminars.evaluations import evaluation_state

    if kind == "certificate" and not registration.certificate_available:
        return False  # the organiser undid the check-in since: nothing to certify
    if kind == "evaluation" and (
        evaluation_state(registration) != "open" or hasattr(registration, "evaluation")
    ):
        return False  # answered (or check-in undone) since the reminder was queued
    name, _, detail = kind.partition(":")
    if name == "atelier" and not (
        registration.status == "confirmed"
        and not registration.seminar.has_started()
        and registration.ateliers.filter(pk__in=atelier_notice_ids(detail)[:1]).exists()
    ):
        return False  # the seat given in the atelier waited for was left (or all) since
    if name in ("waitlisted", "no_seat") and registration.status != "waitlisted":
        return False  # promoted (told « place libérée ») or cancelled meanwhile
    if kind == "reminder" and (
        registration.status == "cancelled" or registration.seminar.has_started()
    ):
        # Cancelled after the reminders were queued, or held up (a worker stopped, a mail
        # server down, « Renvoyer » days later) until the event began: « Nous vous attendons
        # bientôt » would arrive after it.
        return False
    if kind == "event_changed" and (
        registration.status == "cancelled" or registration.seminar.has_started()
    ):
        return False  # nothing to move in a calendar any more
    if registration.seminar.cancelled_at is not None:
        # The event was called off: only its cancellation, and the person's own, still go (a
        # reminder or a « place libérée » queued before it would announce an event that will
        # not take place). Someone cancelled since is not told twice.
        if kind == "event_cancelled":
            return registration.status != "cancelled"
        return name in ("cancelled", "link")  # « cancelled:<member> »: withdrawn by a member
    return kind != "event_cancelled"  # never tell of a cancellation that is not


@task
@delivering_directly(still_wanted=registration_still_wanted)
def send_registration_email(registration_id: int, kind: str) -> bool:
    """Confirmation, waiting list, promotion, update, cancellation, reminder, attestation de
    présence or « pas de place libérée » for one person."""
    from seminars.emails import send_registration_email as send

    registration = _registration_due(registration_id, kind)
    if registration is None:
        return False
    send(registration, kind)
    return True


def _registration_due(registration_id: int, kind: str):
    """The registration a `kind` e-mail is for, if it still has an address and the message
    still applies to it (_still_due); else None."""
    from seminars.models import Registration

    connection.set_schema_to_public()  # tasks run outside requests: registrations live in public
    registration = (
        Registration.objects.select_related("seminar", "commune").filter(pk=registration_id).first()
    )
    if registration is None or not registration.email or not _still_due(registration, kind):
        return None
    return registration


def event_change_still_wanted(registration_id: int, before: dict, *, recipients: list[str]) -> str:
    """Before « Événement modifié » is resent after a mail server outage: as for the other
    registrant e-mails, and the event is still not where and when it was."""
    from seminars.models import Registration
    from seminars.services import changes_for, event_changes

    reason = registration_still_wanted(registration_id, "event_changed", recipients=recipients)
    if reason:
        return reason
    registration = Registration.objects.select_related("seminar").get(pk=registration_id)
    if not changes_for(registration, event_changes(registration.seminar, before)):
        return "l'événement a retrouvé depuis sa date, son lieu et ses ateliers d'avant"
    return ""


@task
@delivering_directly(still_wanted=event_change_still_wanted)
def send_event_changed_email(registration_id: int, before: dict) -> bool:
    """« Événement modifié »: the event someone is registered for moved (its times, its place,
    `before`: as it was); what changed, as it is when the e-mail goes, with the personal .ics."""
    from seminars.emails import send_registration_email as send
    from seminars.services import changes_for, event_changes

    registration = _registration_due(registration_id, "event_changed")
    if registration is None:
        return False
    # Her ateliers only: another atelier's move (or hers moved back since) is none of hers.
    changes = changes_for(registration, event_changes(registration.seminar, before))
    if not changes:  # moved back since: the calendar holds the event as it is
        return False
    send(registration, "event_changed", changes=changes)
    return True


@task
@delivering_directly()
def send_address_changed_email(seminar_id: int, former_email: str) -> bool:
    """Tell an address an organiser replaced that it no longer receives the registration's
    messages (its personal link stopped working)."""
    from seminars.emails import send_address_changed_notice
    from seminars.models import SeminarPage

    connection.set_schema_to_public()
    seminar = SeminarPage.objects.filter(pk=seminar_id).first()
    if seminar is None:
        return False
    send_address_changed_notice(seminar, former_email)
    return True


@task
@queueing_each_message(still_wanted=registrants_still_wanted)
def send_message_task(registration_ids: list[int], subject: str, body: str) -> int:
    """An organiser's message, one e-mail per registrant."""
    from seminars.emails import send_organiser_message
    from seminars.models import Registration

    connection.set_schema_to_public()
    registrations = Registration.objects.select_related("seminar").filter(pk__in=registration_ids)
    return send_organiser_message(list(registrations), subject, body)


def registrations_list_still_wanted(
    email: str, registration_ids: list[int], *, recipients: list[str]
) -> str:
    """Before « Retrouver mes inscriptions »'s e-mail is resent after a mail server outage: one
    of its registrations is still to list at that address."""
    from seminars.services import listed_registrations

    if not listed_registrations(email).filter(pk__in=registration_ids).exists():
        return "aucune de ces inscriptions n'est plus à lister à cette adresse"
    return ""


@task
@delivering_directly(still_wanted=registrations_list_still_wanted)
def send_registrations_list_email(email: str, registration_ids: list[int]) -> bool:
    """« Retrouver mes inscriptions »: one e-mail listing an address's registrations to come and
    its past ones where she was present (services.listed_registrations), each with a fresh
    personal link, read again as they are when it goes (one cancelled, moved to another address
    or no longer listed since is left out; nothing goes if none is left)."""
    from seminars.emails import send_registrations_list
    from seminars.services import listed_registrations

    connection.set_schema_to_public()
    registrations = list(listed_registrations(email).filter(pk__in=registration_ids))
    if not registrations:
        return False
    send_registrations_list(registrations)
    return True


@task
def send_reminders_task() -> int:
    """Queue the reminders that are due and tell the people still waiting at the start of their
    event that no seat was freed (also run by `manage.py send_seminar_reminders`)."""
    from seminars.services import send_due_reminders, send_no_seat_notices

    connection.set_schema_to_public()
    return send_due_reminders() + send_no_seat_notices()
