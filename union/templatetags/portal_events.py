"""What a visitor must know of an event before clicking it, wherever the portal names one (home
page, search results): its date, and whether one can still register.

`{% event_facts page as facts %}` gives None for a page that is neither an event nor its
proceedings, else an EventFacts. Statuses are read from SeminarPage's own methods
(registration_state, seats_left, get_proceedings), never recomputed."""

from dataclasses import dataclass
from datetime import datetime

from django import template
from django.utils import timezone

from union.formats import long_date

register = template.Library()

OPEN = "open"
FULL = "full"
NOT_YET = "not_yet"
CLOSED = "closed"
ONGOING = "ongoing"
PAST = "past"
PROCEEDINGS = "proceedings"  # past, proceedings published

# The badge's colour: green when one can register, orange when only the waiting list is left.
BADGES = {OPEN: "badge badge-ok", FULL: "badge badge-warn"}


@dataclass(frozen=True)
class EventFacts:
    start: datetime
    end: datetime
    code: str
    label: str
    members_only: bool
    # Where to register (the event's form), when registering is still possible.
    register_url: str = ""
    proceedings_url: str = ""
    # For the proceedings page found by a search: its event, not itself.
    is_proceedings: bool = False

    @property
    def badge_class(self) -> str:
        return BADGES.get(self.code, "badge")

    @property
    def can_register(self) -> bool:
        return self.code in (OPEN, FULL)


def event_status(event, now=None, has_proceedings: bool | None = None) -> tuple[str, str]:
    """(code, label) of `event` for a visitor, at `now`. `has_proceedings`: whether its
    proceedings are published, if the caller knows (else looked up, for a past event only)."""
    now = now or timezone.now()
    if event.has_ended(now):
        if has_proceedings is None:
            has_proceedings = event.get_proceedings() is not None
        if has_proceedings:
            return PROCEEDINGS, "Passé – actes disponibles"
        return PAST, "Passé"
    if event.start <= now:
        return ONGOING, "En cours"
    state = event.registration_state(now)
    if state == "not_yet":
        opens = timezone.localtime(event.registration_opens)
        return NOT_YET, f"Inscriptions à partir du {long_date(opens, weekday=False)}"
    if state == "closed":
        return CLOSED, "Inscriptions closes"
    if not event.seats_left():
        return FULL, "Complet – liste d'attente"
    return OPEN, "Inscriptions ouvertes"


def facts_of(page, request=None, now=None) -> EventFacts | None:
    from seminars.models import ProceedingsPage, SeminarPage, Visibility

    is_proceedings = isinstance(page, ProceedingsPage)
    event = page.get_parent().specific if is_proceedings else page
    if not isinstance(event, SeminarPage):
        return None
    now = now or timezone.now()
    proceedings = None
    if event.has_ended(now):
        proceedings = page if is_proceedings else event.get_proceedings()
    code, label = event_status(event, now, has_proceedings=proceedings is not None)
    url = event.get_url(request) or ""
    proceedings_url = (proceedings.get_url(request) or "") if proceedings else ""
    return EventFacts(
        start=event.start,
        end=event.end,
        code=code,
        label=label,
        members_only=event.visibility == Visibility.MEMBERS,
        register_url=f"{url}#inscription" if url and code in (OPEN, FULL) else "",
        proceedings_url=proceedings_url,
        is_proceedings=is_proceedings,
    )


@register.simple_tag(takes_context=True)
def event_facts(context, page) -> EventFacts | None:
    return facts_of(page, context.get("request"))
