"""Signed links: a registrant manages their registration without an account."""

from datetime import UTC
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from tenants.services import portal_url, portal_urlconf

SALT = "maillage.seminars.registration"


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def address_digest(email: str) -> str:
    """A keyed digest of the registration's address (HMAC-SHA256 with a key derived from
    SECRET_KEY, first 16 hex digits): the link stops working once the organiser changes the
    address, without the address itself being readable in the link (signing.dumps only signs:
    the payload is base64 that anyone decodes, and the link goes into logs, browser histories
    and the .ics description of shared calendars)."""
    normalised = (email or "").strip().lower()
    return salted_hmac(f"{SALT}.address", normalised, algorithm="sha256").hexdigest()[:16]


def make_token(registration) -> str:
    return signing.dumps(
        {"r": registration.pk, "h": address_digest(registration.email)}, salt=SALT, compress=True
    )


def _registration_of(payload: dict, queryset):
    """The registration a payload names, if its address is still the one the link was made for."""
    registration = queryset.filter(pk=payload.get("r")).first()
    if registration is None:
        return None
    if "h" in payload:
        same = constant_time_compare(str(payload["h"]), address_digest(registration.email))
    else:
        # The former links carried the address itself ({"r", "e"}). Still accepted so that the
        # links already sent keep working until they expire: remove this branch once
        # SEMINAR_LINK_MAX_AGE (180 days) has passed since this change was deployed (December
        # 2026: from June 2027). An expired one then no longer gets « nouveau lien » either.
        same = payload.get("e") is not None and registration.email == payload.get("e")
    return registration if same else None


def read_token(token: str):
    """The registration a token designates; LinkExpired or LinkInvalid otherwise."""
    from seminars.models import Registration

    max_age = settings.SEMINAR_LINK_MAX_AGE
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except signing.BadSignature as error:
        raise LinkInvalid from error
    if not isinstance(payload, dict):
        raise LinkInvalid
    registration = _registration_of(
        payload, Registration.objects.select_related("seminar", "commune")
    )
    if registration is None:
        raise LinkInvalid
    return registration


def read_expired_token(token: str):
    """The registration of a genuine but expired token (to send its owner a fresh link)."""
    from seminars.models import Registration

    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    return _registration_of(payload, Registration.objects.all())


def manage_path(registration) -> str:
    # Explicit urlconf: e-mails are built outside requests, where the member URLconf is the default.
    return reverse(
        "seminars:manage", args=[make_token(registration)], urlconf=settings.PUBLIC_SCHEMA_URLCONF
    )


def page_path(page) -> str:
    """A page's path on the portal, also outside a request (tasks, commands, API on any host),
    where the default URLconf is the member hosts' one and Wagtail's serve view is unknown."""
    with portal_urlconf():
        return page.get_url() or "/"


def invitation_query(seminar) -> str:
    """ "?invitation=<key>" for an invitation-only event (without it, its URLs answer 404), else
    "". Only for people who may have the key: registrants, organisers, invited visitors."""
    if seminar.visibility != "invitation":
        return ""
    return "?" + urlencode({"invitation": seminar.invitation_key})


def event_path(seminar) -> str:
    """The event page's portal path that opens for its reader: with the invitation key when the
    event is invitation-only (e-mails, .ics, personal page, proceedings' back link)."""
    return page_path(seminar) + invitation_query(seminar)


def proceedings_path(seminar, proceedings) -> str:
    """The proceedings' portal path that opens for its reader: with the event's invitation key
    when the event is invitation-only (its proceedings are as private as the event)."""
    return page_path(proceedings) + invitation_query(seminar)


def ics_path(seminar) -> str:
    """The event's .ics download on the portal (explicit URLconf: page previews and tasks run with
    the member URLconf active), with the invitation key when needed."""
    return portal_path("event_ics", seminar.pk) + invitation_query(seminar)


def portal_path(name: str, *args) -> str:
    """A seminars view's path on the portal, whatever URLconf is active."""
    return reverse(f"seminars:{name}", args=args, urlconf=settings.PUBLIC_SCHEMA_URLCONF)


GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"
# The same compose form on Microsoft's two Outlook sites: outlook.live.com opens personal
# (Outlook.com) accounts only, and a town hall's mailbox is a Microsoft 365 work account, which
# opens on outlook.office.com; each refuses the other's accounts, so both are offered.
OUTLOOK_CALENDAR = "https://outlook.live.com/calendar/0/deeplink/compose"
OUTLOOK_365_CALENDAR = "https://outlook.office.com/calendar/0/deeplink/compose"


def calendar_links(seminar, request=None) -> dict[str, str]:
    """« Ajouter à Google Agenda » and « Ajouter à Outlook » (Microsoft 365 and Outlook.com)
    for one event, beside its .ics (Google Agenda on Android does not import a downloaded .ics).
    All open the web calendar's new-event form filled in with the event as anyone may see it: its
    title, its times in UTC, its place and, in the details, its page's address (with the
    invitation key that page needs, nothing more). Never a personal link, even on the personal
    page: a town hall's shared agenda shows the details to every colleague (seminars.ics,
    personal_ics)."""
    start = seminar.start.astimezone(UTC)
    end = seminar.end.astimezone(UTC)
    location = seminar.location_line
    details = f"Page de l'événement\u00a0: {portal_url(event_path(seminar), request)}"
    google = {
        "action": "TEMPLATE",
        "text": seminar.title,
        "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
        "details": details,
        "location": location,
    }
    outlook = {
        # path and rru: what Outlook's own « add event » links carry, without which some
        # accounts open the calendar instead of the new event's form.
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": seminar.title,
        "startdt": f"{start:%Y-%m-%dT%H:%M:%SZ}",
        "enddt": f"{end:%Y-%m-%dT%H:%M:%SZ}",
        "location": location,
        "body": details,
    }
    return {
        "google": f"{GOOGLE_CALENDAR}?{urlencode(google)}",
        "outlook": f"{OUTLOOK_CALENDAR}?{urlencode(outlook)}",
        "outlook_365": f"{OUTLOOK_365_CALENDAR}?{urlencode(outlook)}",
    }
