"""schema.org data of an event's page: search engines show a public event's date, place and
status (cancelled) in their results from it."""

import json

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

# Inside <script>, "</script>" in a title would end the element: the JSON escapes what could.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})


def event_json_ld(event, request) -> SafeString:
    """The event as a schema.org Event, ready for <script type="application/ld+json">; "" for an
    invitation-only event, which is not to be found."""
    if not event.is_listed:
        return mark_safe("")
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        # the union's time with its offset, as the API gives dates.
        "startDate": timezone.localtime(event.start).isoformat(),
        "endDate": timezone.localtime(event.end).isoformat(),
        "eventStatus": "https://schema.org/"
        + ("EventCancelled" if event.is_cancelled else "EventScheduled"),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "url": event.get_full_url(request),
        "organizer": {"@type": "Organization", "name": settings.PLATFORM_NAME},
    }
    if event.summary:
        data["description"] = event.summary
    if event.venue_name or event.venue_address:
        address = event.address_line
        data["location"] = {
            "@type": "Place",
            "name": event.venue_name or address,
            "address": address or event.venue_name,
        }
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE))
