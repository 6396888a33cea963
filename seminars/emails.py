"""E-mails to registrants, in French, with the event's .ics attached where a seat is held, and
its cancellation attached when the registration is cancelled."""

from email.message import MIMEPart

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from seminars.certificates import certificate_filename, certificate_pdf
from seminars.evaluations import evaluation_closes, evaluation_state
from seminars.ics import cancellation_ics, personal_ics
from seminars.links import event_path, make_token, manage_path, page_path, portal_path
from seminars.models import with_slots
from tenants.services import portal_url

SUBJECTS = {
    "confirmed": "Inscription confirmée : {title}",
    "waitlisted": "Liste d'attente : {title}",
    "updated": "Inscription mise à jour : {title}",
    "promoted": "Une place s'est libérée : {title}",
    "cancelled": "Inscription annulée : {title}",
    "reminder": "Rappel : {title}",
    "link": "Votre lien d'inscription : {title}",
    "certificate": "Votre attestation de présence : {title}",
    "evaluation": "Votre avis sur la rencontre : {title}",
    "no_seat": "Pas de place libérée : {title}",
}
WITH_CALENDAR = {"confirmed", "promoted", "reminder", "updated"}


def _reply_to(seminar) -> list[str]:
    return [seminar.organiser_email] if seminar.organiser_email else []


def send_registration_email(registration, kind: str) -> None:
    seminar = registration.seminar
    token = make_token(registration)
    context = {
        "registration": registration,
        "seminar": seminar,
        "kind": kind,
        "manage_url": portal_url(portal_path("manage", token)),
        # With the invitation key for an invitation-only event: the page is 404 without it.
        "page_url": portal_url(event_path(seminar)),
        "ateliers": with_slots(registration.ateliers.order_by("starts_at"), seminar),
        "platform_name": settings.PLATFORM_NAME,
    }
    if kind == "no_seat":
        context["calendar_url"] = portal_url(page_path(seminar.get_parent()))
        proceedings = seminar.get_proceedings()
        context["proceedings_url"] = portal_url(page_path(proceedings)) if proceedings else ""
    if kind in ("certificate", "evaluation") and evaluation_state(registration) == "open":
        # The questionnaire de satisfaction goes to the same people at the same moment.
        context["evaluation_url"] = portal_url(portal_path("evaluate", token))
        context["evaluation_closes"] = evaluation_closes(seminar)
    message = EmailMessage(
        subject=SUBJECTS[kind].format(title=seminar.title),
        body=render_to_string("seminars/email/registration.txt", context),
        to=[registration.email],
        reply_to=_reply_to(seminar),
    )
    if kind in WITH_CALENDAR and registration.status == "confirmed":
        message.attach(f"{seminar.slug}.ics", personal_ics(registration), "text/calendar")
    if kind == "cancelled":
        # Also to someone who was waiting: they may have added the event from its page.
        message.attach(_cancellation_part(registration))
    if kind == "certificate":
        pdf = certificate_pdf(seminar, [registration])
        message.attach(certificate_filename(seminar, registration), pdf, "application/pdf")
    message.send()


def _cancellation_part(registration) -> MIMEPart:
    """The cancellation as a text/calendar part with `method=CANCEL` in its Content-Type, the
    parameter by which mail clients (Gmail, Outlook, Apple Mail) offer to remove the event."""
    part = MIMEPart()
    part.set_content(
        cancellation_ics(registration).decode(),
        subtype="calendar",
        charset="utf-8",
        params={"method": "CANCEL"},
        disposition="attachment",
        filename=f"{registration.seminar.slug}-annulation.ics",
    )
    return part


def send_address_changed_notice(seminar, former_email: str) -> None:
    """To the address an organiser replaced: nothing personal (the address may have been a typo,
    someone else's), only that it no longer receives this registration's messages and whom to
    ask if the change was not wanted."""
    EmailMessage(
        subject=f"Adresse de votre inscription modifiée : {seminar.title}",
        body=render_to_string(
            "seminars/email/address_changed.txt",
            {
                "seminar": seminar,
                "page_url": portal_url(event_path(seminar)),
                "platform_name": settings.PLATFORM_NAME,
            },
        ),
        to=[former_email],
        reply_to=_reply_to(seminar),
    ).send()


def send_organiser_message(registrations: list, subject: str, body: str) -> int:
    sent = 0
    for registration in registrations:
        text = render_to_string(
            "seminars/email/organiser_message.txt",
            {
                "registration": registration,
                "body": body,
                "manage_url": portal_url(manage_path(registration)),
                "platform_name": settings.PLATFORM_NAME,
            },
        )
        message = EmailMessage(
            subject=subject,
            body=text,
            to=[registration.email],
            reply_to=_reply_to(registration.seminar),
        )
        sent += message.send()
    return sent
