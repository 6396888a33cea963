"""E-mails to registrants, in French, with the event's .ics attached where a seat is held, and
its cancellation attached when the registration is cancelled.

Each goes as plain text (the body, what the tests and text-only clients read) with an HTML
alternative (elected officials read them on phones), and, while a seat is held, the check-in QR
code as a PNG inside the HTML's multipart/related (union.mail.EmailWithInlineImages), shown
with `cid:`."""

from email.message import MIMEPart
from email.utils import make_msgid
from types import SimpleNamespace

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from seminars.certificates import certificate_filename, certificate_pdf
from seminars.check_in import check_in_png
from seminars.evaluations import evaluation_closes, evaluation_state
from seminars.ics import cancellation_ics, personal_ics
from seminars.links import (
    event_path,
    make_token,
    manage_path,
    page_path,
    portal_path,
    proceedings_path,
)
from seminars.models import atelier_slot, position_label, slots_need_date, with_slots
from seminars.services import (
    KEPT_NEEDS,
    KEPT_PHONE,
    atelier_waiting_ranks,
    kept_details_sentence,
)
from tenants.models import MemberCCAS
from tenants.services import portal_url
from union.formats import french_list, long_date
from union.mail import EmailWithInlineImages, InlineImage, has_own_greeting, send_templated
from union.spreadsheets import ascii_file_name

SUBJECTS = {
    "confirmed": "Inscription confirmée : {title}",
    "waitlisted": "Liste d'attente : {title}",
    "updated": "Inscription mise à jour : {title}",
    "promoted": "Une place s'est libérée : {title}",
    "atelier": "Une place s'est libérée dans l'atelier attendu : {title}",
    "cancelled": "Inscription annulée : {title}",
    "reminder": "Rappel : {title}",
    "link": "Votre lien d'inscription : {title}",
    "certificate": "Votre attestation de présence : {title}",
    "evaluation": "Votre avis sur la rencontre : {title}",
    "no_seat": "Pas de place libérée : {title}",
    "event_cancelled": "Événement annulé : {title}",
    "event_changed": "Événement modifié : {title}",
}
# The e-mails that carry the personal .ics while a seat is held.
WITH_CALENDAR = {"confirmed", "promoted", "atelier", "reminder", "updated", "event_changed"}
# The check-in code goes with the same messages, while a seat is held and until the event ends.
WITH_CHECK_IN = WITH_CALENDAR
CHECK_IN_FILENAME = "code-emargement.png"
# The e-mails that list the atelier waiting lists she is on (emails.waited_ateliers).
TELL_WAITS = {"confirmed", "updated", "promoted", "atelier", "reminder", "link"}
# RFC 3834: the messages the platform writes by itself (confirmations, reminders, cancellations,
# lists, notices) say so, and out-of-office responders do not answer them. Not the organisers'
# « Écrire aux inscrits »: a person wrote it, and a reply to it is for that person.
AUTOMATIC = {"Auto-Submitted": "auto-generated"}
# The registration's field for each detail kept on registering again (services.updated_kind).
KEPT = {KEPT_NEEDS: "needs", KEPT_PHONE: "phone"}


def _reply_to(seminar) -> list[str]:
    return [seminar.organiser_email] if seminar.organiser_email else []


def send_registration_email(registration, kind: str, *, changes: dict | None = None) -> None:
    """One of the registrant's e-mails (SUBJECTS). For « event_changed », `changes` is what
    moved (services.event_changes): the former times and place, said beside the new ones."""
    # « updated:besoins,telephone »: what registering again left blank and kept (services.
    # updated_kind); the e-mail says it in one sentence, if still so when it goes. « atelier:
    # 12,9 »: the atelier given to someone on its waiting list, then those she left for it.
    kind, _, detail = kind.partition(":")
    kept = detail if kind == "updated" else ""
    seminar = registration.seminar
    token = make_token(registration)
    confirmed = registration.status == "confirmed"
    with_check_in = kind in WITH_CHECK_IN and confirmed and not seminar.has_ended()
    subject = SUBJECTS[kind].format(title=seminar.title)
    context = {
        "registration": registration,
        "seminar": seminar,
        "kind": kind,
        "subject": subject,
        "venue": seminar.location_line,
        "manage_url": portal_url(portal_path("manage", token)),
        # With the invitation key for an invitation-only event: the page is 404 without it.
        "page_url": portal_url(event_path(seminar)),
        "ateliers": with_slots(registration.ateliers.order_by("starts_at"), seminar),
        # The full ateliers whose own waiting list she is on, with her rank, while a seat held
        # may still move (not in an attestation's e-mail, nor after the cut-off).
        "waiting_ateliers": waited_ateliers(registration)
        if confirmed and kind in TELL_WAITS and seminar.changes_open()
        else [],
        "platform_name": settings.PLATFORM_NAME,
        "with_calendar": kind in WITH_CALENDAR and confirmed,
        "with_check_in": with_check_in,
        "kept_details": kept_details_sentence(
            [name for name in kept.split(",") if getattr(registration, KEPT.get(name, ""), "")]
        ),
        "list_left": list_left_by_organisers(registration, kept),
    }
    if kind == "atelier":
        context.update(waited_atelier_context(seminar, detail))
    if kind == "cancelled" and detail:  # « cancelled:<member id> »: who withdrew her
        withdrawn_by = MemberCCAS.objects.filter(pk=detail).first()
        context["withdrawn_by"] = withdrawn_by.name if withdrawn_by else ""
    if changes:
        context["former_dates"] = changes.get("date")
        context["venue_changed"] = "venue" in changes
        context["former_venue"] = changes.get("venue", "")
        context["moved_ateliers"] = mark_moved_ateliers(
            context["ateliers"], changes.get("ateliers", {}), seminar
        )
    if with_check_in:
        check_in_image = check_in_png(registration)
        # Unique across messages: a client keeps images of several messages side by side.
        context["check_in_cid"] = make_msgid("emargement", domain=settings.PLATFORM_DOMAIN)[1:-1]
        # The PNG's own width (IHDR), shown at 1:1: a QR code must not be resampled.
        context["check_in_size"] = int.from_bytes(check_in_image[16:20], "big")
    if kind in ("no_seat", "event_cancelled"):
        context["calendar_url"] = portal_url(page_path(seminar.get_parent()))
        proceedings = seminar.get_proceedings()
        # With the invitation key: an invitation-only event's proceedings open only with it.
        context["proceedings_url"] = (
            portal_url(proceedings_path(seminar, proceedings)) if proceedings else ""
        )
    if kind in ("certificate", "evaluation") and evaluation_state(registration) == "open":
        # The questionnaire de satisfaction goes to the same people at the same moment.
        context["evaluation_url"] = portal_url(portal_path("evaluate", token))
        context["evaluation_closes"] = evaluation_closes(seminar)
    message = EmailWithInlineImages(
        subject=subject,
        body=render_to_string("seminars/email/registration.txt", context),
        to=[registration.email],
        reply_to=_reply_to(seminar),
        headers=dict(AUTOMATIC),  # a copy: a message may add its own headers
    )
    message.attach_alternative(
        render_to_string("seminars/email/registration.html", context), "text/html"
    )
    # The .ics or the certificate first: attachments[0] is what people (and tests) look for.
    if context["with_calendar"]:
        message.attach(
            ascii_file_name(seminar.slug, extension="ics"),
            personal_ics(registration, moved=kind == "event_changed"),
            "text/calendar",
        )
    if kind in ("cancelled", "event_cancelled"):
        # Also to someone who was waiting: they may have added the event from its page.
        message.attach(_cancellation_part(registration))
    if kind == "certificate":
        pdf = certificate_pdf(seminar, [registration])
        message.attach(certificate_filename(seminar, registration), pdf, "application/pdf")
    if with_check_in:
        message.inline_images.append(
            InlineImage(context["check_in_cid"], check_in_image, "image/png", CHECK_IN_FILENAME)
        )
    message.send()


def waited_ateliers(registration) -> list[tuple[str, str]]:
    """(name, rank) of each full atelier whose waiting list she is on, in the order she joined:
    « Budget », « 2e »."""
    labels = registration.seminar.atelier_labels
    ranks = atelier_waiting_ranks(registration)
    return [(labels.get(pk, ""), position_label(rank)) for pk, rank in ranks.items()]


def atelier_notice_ids(detail: str) -> list[int]:
    """The ids of « atelier:12,9,-14 » (services._move_to_waited_atelier): the atelier given,
    then those she left for it, then, negative, the waiting lists she left with them; [] for
    none."""
    return [int(pk) for pk in detail.split(",") if pk]


def list_left_by_organisers(registration, detail: str) -> str:
    """For « updated:-14 » (services.leave_atelier_waiting, an organiser's « Retirer de la liste
    d'attente »): the name of the atelier whose list she was taken off, if she is still not on
    it when the e-mail goes; "". (The previous version's worker reads « -14 » as a detail kept
    that the registration does not have, and says nothing of it.)"""
    ids = [
        int(token) for token in detail.split(",") if token.startswith("-") and token[1:].isdigit()
    ]
    if not ids:
        return ""
    atelier_id = -ids[0]
    if registration.atelier_waits.filter(atelier_id=atelier_id).exists():
        return ""
    return registration.seminar.atelier_labels.get(atelier_id, "")


def waited_atelier_context(seminar, detail: str) -> dict:
    """For « atelier:12,9,-14 » (services.give_freed_atelier_seats): the name of the atelier
    given, the names of those she left for it and of the other lists for that time she is no
    longer on, as the e-mail says them."""
    given, *others = atelier_notice_ids(detail) or [None]
    names = seminar.atelier_labels
    left_names = [f"« {names[pk]} »" for pk in others if pk in names]
    dropped_names = [f"« {names[-pk]} »" for pk in others if -pk in names]
    return {
        "given_atelier": names.get(given, ""),
        "left_ateliers": french_list(left_names) if left_names else "",
        "left_count": len(left_names),
        "dropped_waits": french_list(dropped_names) if dropped_names else "",
        "dropped_count": len(dropped_names),
    }


def mark_moved_ateliers(ateliers: list, moved: dict, seminar) -> list:
    """The person's ateliers (with_slots) whose times or room changed (`moved`: id → former
    start, end and room, services.event_changes), each given `former_slot` (as « 10 h – 12 h,
    salle A »), said beside the new one. Returns them."""
    with_date = slots_need_date(seminar)
    marked = []
    for atelier in ateliers:
        if atelier.pk not in moved:
            continue
        starts_at, ends_at, room = moved[atelier.pk]
        former = SimpleNamespace(starts_at=starts_at, ends_at=ends_at)
        atelier.former_slot = atelier_slot(former, with_date) + (f", {room}" if room else "")
        marked.append(atelier)
    return marked


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
        filename=ascii_file_name(registration.seminar.slug, "annulation", extension="ics"),
    )
    return part


def send_address_changed_notice(seminar, former_email: str) -> None:
    """To the address an organiser replaced: nothing personal (the address may have been a typo,
    someone else's), only that it no longer receives this registration's messages and whom to
    ask if the change was not wanted."""
    send_templated(
        f"Adresse de votre inscription modifiée : {seminar.title}",
        "seminars/email/address_changed",
        # Without the invitation key: that address may be a typo, someone else's (the page
        # without it still gives the event's contact).
        {"seminar": seminar, "page_url": portal_url(page_path(seminar))},
        [former_email],
        reply_to=_reply_to(seminar),
        headers=AUTOMATIC,
    )


REGISTRATIONS_LIST_SUBJECT = "Vos inscriptions aux événements"


def status_phrase(registration) -> str:
    """« confirmée », « en liste d'attente, 2e position », « présence enregistrée »: a
    registration's status in the list of « Retrouver mes inscriptions »."""
    if registration.seminar.cancelled_at is not None:
        return "événement annulé"
    if registration.seminar.has_ended():  # listed only if she was checked in
        return "présence enregistrée"
    if registration.status == "waitlisted":
        position = registration.waiting_position_label
        return f"en liste d'attente, {position} position" if position else "en liste d'attente"
    return "confirmée"


def link_gives(registration) -> str:
    """What the personal link of a past event she came to gives, for the list of « Retrouver
    mes inscriptions »: her attestation, the proceedings once published, the questionnaire
    while it is open (as the personal page shows them)."""
    seminar = registration.seminar
    gives = ["votre attestation de présence (PDF)"]
    if seminar.get_proceedings() is not None:
        gives.append("les actes de l'événement")
    if evaluation_state(registration) == "open":
        closes = long_date(timezone.localtime(evaluation_closes(seminar)))
        gives.append(f"le questionnaire de satisfaction (jusqu'au {closes})")
    return french_list(gives)


def send_registrations_list(registrations: list) -> None:
    """« Retrouver mes inscriptions »: one e-mail to the registrations' address (they share it)
    listing each event with its date, its place, the registration's status and a fresh personal
    link: the events to come first, then the past ones she came to, each saying what its link
    gives (link_gives). Each card names its registrant: a mairie's shared mailbox may hold the
    maire's and an adjoint's. A reply reaches the organiser when every listed event has the same
    one (events with different organisers: no address would be the right one)."""
    entries = [
        {
            "registration": registration,
            "seminar": registration.seminar,
            "venue": registration.seminar.location_line,
            "status": status_phrase(registration),
            "manage_url": portal_url(portal_path("manage", make_token(registration))),
            "page_url": portal_url(event_path(registration.seminar)),
            "past": registration.seminar.has_ended(),
            "gives": link_gives(registration) if registration.seminar.has_ended() else "",
        }
        for registration in registrations
    ]
    send_templated(
        REGISTRATIONS_LIST_SUBJECT,
        "seminars/email/find_registrations",
        {
            "upcoming": [entry for entry in entries if not entry["past"]],
            "past": [entry for entry in entries if entry["past"]],
            "find_url": portal_url(portal_path("find_registrations")),
        },
        [registrations[0].email],
        reply_to=_shared_reply_to([registration.seminar for registration in registrations]),
        headers=AUTOMATIC,
    )


def _shared_reply_to(seminars: list) -> list[str]:
    """The organiser's address when all `seminars` have the same one, else none."""
    addresses = {seminar.organiser_email for seminar in seminars}
    return _reply_to(seminars[0]) if len(addresses) == 1 else []


def organiser_message(
    registration,
    subject: str,
    body: str,
    *,
    to: list[str],
    manage_url: str = "",
    reply_to: list[str] | None = None,
) -> EmailWithInlineImages:
    """An organiser's message as `registration` reads it: the greeting, the organiser's text, the
    event's date and place, the personal link and whom to contact, as text (the body) and as
    HTML (the same layout as the registrants' other e-mails). Without `manage_url` (the
    organiser's test), a placeholder stands for the personal link, which is not sent."""
    seminar = registration.seminar
    context = {
        "registration": registration,
        "seminar": seminar,
        "subject": subject,
        "body": body,
        # A message that opens with its own « Madame, Monsieur, » is not greeted by name too.
        "own_greeting": has_own_greeting(body),
        "venue": seminar.location_line,
        "manage_url": manage_url or "[le lien personnel de chaque personne]",
        "manage_is_link": bool(manage_url),
        "page_url": portal_url(event_path(seminar)),
        "platform_name": settings.PLATFORM_NAME,
    }
    message = EmailWithInlineImages(
        subject=subject,
        body=render_to_string("seminars/email/organiser_message.txt", context),
        to=to,
        reply_to=reply_to or [],
    )
    message.attach_alternative(
        render_to_string("seminars/email/organiser_message.html", context), "text/html"
    )
    return message


def send_organiser_message(registrations: list, subject: str, body: str) -> int:
    """One e-mail to each of `registrations` (as « Écrire aux inscrits » chose them), read again
    when the message goes: someone who cancelled since is no longer written to."""
    sent = 0
    for registration in registrations:
        if registration.status == "cancelled":
            continue
        message = organiser_message(
            registration,
            subject,
            body,
            to=[registration.email],
            manage_url=portal_url(manage_path(registration)),
            reply_to=_reply_to(registration.seminar),
        )
        sent += message.send()
    return sent
