"""iCalendar files: one event (e-mail attachment, download) or the feed of public events.

Every file describes an event under one UID, `seminaire-<id>@<PLATFORM_DOMAIN>`: the download,
the feed, the confirmation's attachment and the cancellation's are versions of the same event,
so that a calendar updates or removes the event it already holds instead of adding another.
Which version wins is told by SEQUENCE (RFC 5545: the higher one): the number of seconds from
SEQUENCE_EPOCH to the moment the version was issued. The public files were issued when the event
was last published; the personal files (e-mails) when they are sent, so that a cancellation
outranks the confirmation before it (one more, should both leave within the same second), as
does the file of « Événement modifié » (the event moved), and a registration made again after
it outranks the cancellation.

A cancelled event (« Annuler l'événement », services.cancel_event) stays in the public files
until its date, STATUS:CANCELLED, « Annulé : » before its title and the organisers' message
first in its description, issued when it was cancelled: subscribed calendars update the event
they hold rather than silently losing it.
"""

from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, Event

from seminars.links import event_path, portal_path
from seminars.models import with_slots
from tenants.services import portal_url

SEQUENCE_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
# The personal file's reminder: the day before, time to check the way there.
REMINDER_BEFORE = timedelta(days=1)


def event_uid(seminar) -> str:
    return f"seminaire-{seminar.pk}@{settings.PLATFORM_DOMAIN}"


def sequence_at(moment: datetime) -> int:
    """The SEQUENCE of a version issued at `moment` (seconds since SEQUENCE_EPOCH: a 32-bit
    integer, as some calendars store it, until 2092)."""
    return max(0, int((moment - SEQUENCE_EPOCH).total_seconds()))


def _calendar(name: str | None = None, method: str | None = None) -> Calendar:
    """A VCALENDAR; named (X-WR-CALNAME) only for the feed, a real calendar. A file holding one
    event has no name: Outlook imports a named file into a new calendar of that name (MS-OXCICAL
    2.1.3.1.1.17: « MUST be omitted » for a single appointment), where the event blocks no time
    in the person's own calendar and the later versions (update, cancellation) never reach it."""
    calendar = Calendar()
    calendar.add("prodid", "-//Maillage//Séminaires//FR")
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _event(seminar, *, sequence: int | None = None, description: str | None = None) -> Event:
    event = Event()
    event.add("uid", event_uid(seminar))
    event.add("dtstamp", timezone.now())
    cancelled = seminar.cancelled_at is not None
    if sequence is None:
        # A page never published through Wagtail (built in code) has no date: the lowest one.
        sequence = sequence_at(seminar.last_published_at or SEQUENCE_EPOCH)
        if cancelled:  # above every version sent before (confirmations, the last publication)
            sequence = max(sequence, sequence_at(seminar.cancelled_at) + 1)
    event.add("sequence", sequence)
    event.add("dtstart", seminar.start)
    event.add("dtend", seminar.end)
    event.add("summary", f"Annulé : {seminar.title}" if cancelled else seminar.title)
    if cancelled:
        event.add("status", "CANCELLED")
    location = seminar.location_line
    if location:
        event.add("location", location)
    description = seminar.summary if description is None else description
    if cancelled:
        notice = "Événement annulé."
        if seminar.cancellation_message:
            notice += f"\n{seminar.cancellation_message}"
        description = f"{notice}\n\n{description}" if description else notice
    if description:
        event.add("description", description)
    event.add("categories", [seminar.get_kind_display()])
    # With the invitation key for an invitation-only event (never in the public feed).
    event.add("url", portal_url(event_path(seminar)))
    if seminar.organiser_email:
        event.add("organizer", f"mailto:{seminar.organiser_email}")
    return event


def seminar_ics(seminar) -> bytes:
    """The event as anyone may download it (also the feed's entry)."""
    calendar = _calendar()
    calendar.add_component(_event(seminar))
    return calendar.to_ical()


def personal_ics(registration, *, moved: bool = False) -> bytes:
    """The event as attached to a confirmed person's e-mails: with a reminder the day before and,
    in its description, the person's ateliers with their times and where to find their personal
    link (to change or cancel): not the link, which a shared agenda shows to others. `moved`:
    the file of « Événement modifié », one more than a file of the same second (the
    confirmation may have left in the second the organiser published the new date)."""
    seminar = registration.seminar
    lines = [seminar.summary] if seminar.summary else []
    ateliers = with_slots(registration.ateliers.order_by("starts_at"), seminar)
    if ateliers:
        lines.append(
            "Vos ateliers :\n"
            + "\n".join(
                f"- {atelier.title} ({atelier.slot}{f', {atelier.room}' if atelier.room else ''})"
                for atelier in ateliers
            )
        )
    # Never the personal link itself: a town hall's shared agenda shows this description to
    # every colleague, who could then cancel the registration or read its needs and phone. The
    # link stays in the e-mail's body; the file says where to find it, and URL is the event's.
    changes = "changer d'ateliers, vous désinscrire" if seminar.has_ateliers else "vous désinscrire"
    changes = f" ({changes})" if seminar.changes_open() else ""  # not past the cut-off
    lines.append(
        f"Pour consulter votre inscription{changes} : le lien personnel de vos e-mails "
        "d'inscription (à demander à nouveau sur "
        f"{portal_url(portal_path('find_registrations'))}, « Retrouver mes inscriptions »)."
    )
    sequence = sequence_at(timezone.now()) + (1 if moved else 0)
    event = _event(seminar, sequence=sequence, description="\n\n".join(lines))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Rappel : {seminar.title}")
    alarm.add("trigger", -REMINDER_BEFORE)
    event.add_component(alarm)
    calendar = _calendar()
    calendar.add_component(event)
    return calendar.to_ical()


def cancellation_ics(registration) -> bytes:
    """The event withdrawn from the person's calendar (iTIP CANCEL, RFC 5546): same UID as every
    other version, a higher SEQUENCE, STATUS:CANCELLED. Calendars that imported the event from
    the confirmation or the download remove it or mark it cancelled."""
    seminar = registration.seminar
    event = _event(seminar, sequence=sequence_at(timezone.now()) + 1)
    if "status" not in event:  # _event marks a cancelled event already
        event.add("status", "CANCELLED")
    if "organizer" not in event:  # iTIP wants one: Outlook ignores a CANCEL without it
        event.add("organizer", f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    if registration.email:
        event.add("attendee", f"mailto:{registration.email}")
    calendar = _calendar(method="CANCEL")
    calendar.add_component(event)
    return calendar.to_ical()


def feed_ics(seminars) -> bytes:
    calendar = _calendar(f"Événements – {settings.PLATFORM_NAME}")
    for seminar in seminars:
        calendar.add_component(_event(seminar))
    return calendar.to_ical()
