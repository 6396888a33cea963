"""Background work of seminars (django.tasks): e-mails to registrants and the reminders."""

from django.db import connection
from django.tasks import task

# These tasks run in the worker already: their e-mails go straight to the mail server, not
# through the queue a second time (union.mail).
from union.mail import delivering_directly


@task
@delivering_directly()
def send_registration_email(registration_id: int, kind: str) -> bool:
    """Confirmation, waiting list, promotion, update, cancellation, reminder, attestation de
    présence or « pas de place libérée » for one person."""
    from seminars.emails import send_registration_email as send
    from seminars.evaluations import evaluation_state
    from seminars.models import Registration

    connection.set_schema_to_public()  # tasks run outside requests: registrations live in public
    registration = (
        Registration.objects.select_related("seminar", "commune").filter(pk=registration_id).first()
    )
    if registration is None or not registration.email:
        return False
    if kind == "certificate" and not registration.certificate_available:
        return False  # the organiser undid the check-in since: nothing to certify
    if kind == "evaluation" and (
        evaluation_state(registration) != "open" or hasattr(registration, "evaluation")
    ):
        return False  # answered (or check-in undone) since the reminder was queued
    if kind in ("waitlisted", "no_seat") and registration.status != "waitlisted":
        return False  # promoted (told « place libérée ») or cancelled meanwhile
    send(registration, kind)
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
@delivering_directly()
def send_message_task(registration_ids: list[int], subject: str, body: str) -> int:
    """An organiser's message, one e-mail per registrant."""
    from seminars.emails import send_organiser_message
    from seminars.models import Registration

    connection.set_schema_to_public()
    registrations = Registration.objects.select_related("seminar").filter(pk__in=registration_ids)
    return send_organiser_message(list(registrations), subject, body)


@task
def send_reminders_task() -> int:
    """Queue the reminders that are due and tell the people still waiting at the start of their
    event that no seat was freed (also run by `manage.py send_seminar_reminders`)."""
    from seminars.services import send_due_reminders, send_no_seat_notices

    connection.set_schema_to_public()
    return send_due_reminders() + send_no_seat_notices()
