"""iCalendar files: one event (e-mail attachment, download) or the feed of public events."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from seminars.links import event_path
from tenants.services import portal_url


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Maillage//Séminaires//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(seminar) -> Event:
    event = Event()
    event.add("uid", f"seminaire-{seminar.pk}@{settings.PLATFORM_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", seminar.start)
    event.add("dtend", seminar.end)
    event.add("summary", seminar.title)
    location = ", ".join(part for part in (seminar.venue_name, seminar.venue_address) if part)
    if location:
        event.add("location", location.replace("\n", ", "))
    if seminar.summary:
        event.add("description", seminar.summary)
    event.add("categories", [seminar.get_kind_display()])
    # With the invitation key for an invitation-only event (never in the public feed).
    event.add("url", portal_url(event_path(seminar)))
    if seminar.organiser_email:
        event.add("organizer", f"mailto:{seminar.organiser_email}")
    return event


def seminar_ics(seminar) -> bytes:
    calendar = _calendar(seminar.title)
    calendar.add_component(_event(seminar))
    return calendar.to_ical()


def feed_ics(seminars) -> bytes:
    calendar = _calendar(f"Événements – {settings.PLATFORM_NAME}")
    for seminar in seminars:
        calendar.add_component(_event(seminar))
    return calendar.to_ical()
