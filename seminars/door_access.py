"""Who may work the welcome desk (« accueil ») of the union's events, and on which events.

Organisers (and union admins) run the desk of any event. The group « Accueil des participants »
is for the people the union lends to the door for a day (volunteers, staff of the host commune):
they open the events of the day before, the day and the day after (`door_window`), their door
list, the QR scan page and the walk-in form, and see of each person what the desk needs (name,
commune, fonction, ateliers, status), never an e-mail address, a phone number, the needs, the
exports, imports, messages or page editing.

No module of this one imports the admin's views: admin_views and door_views both import it.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from union import roles
from union.formats import date_span

# The group's name, created by the migration seminars 0011 (and ensure_door_group, idempotent).
DOOR_STAFF = "Accueil des participants"
# The days, around today, whose events a door volunteer may open: an event set up the evening
# before, a desk still typing in its paper sheet the morning after.
DOOR_DAYS_BEFORE = 1
DOOR_DAYS_AFTER = 1
OUTSIDE_WINDOW = (
    "L'accueil des participants n'ouvre que les événements de la veille, du jour et du lendemain."
)
NOT_DOOR_STAFF = "Réservé à l'accueil des participants et aux organisateurs d'événements."


class DoorRefusal(PermissionDenied):
    """A refusal the desk's volunteer must read, with its `title` and `message`, where Wagtail's
    admin turns a plain PermissionDenied into its home page's generic « pas les autorisations »
    (admin_views.explained shows it as a 403 page)."""

    title = ""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class OutsideDoorDays(DoorRefusal):
    """The desk opening an event outside its days (OUTSIDE_WINDOW)."""

    title = "Hors des jours de l'accueil"

    def __init__(self):
        super().__init__(OUTSIDE_WINDOW)


class CancelledForDoor(DoorRefusal):
    """The desk opening a cancelled event (left out of its window, as by `events_in_window`),
    say from an old link: « annulé », with the date it was, not OUTSIDE_WINDOW, which would be
    wrong on the event's day."""

    title = "Événement annulé"

    def __init__(self, seminar):
        super().__init__(cancelled_message(seminar))


def cancelled_message(seminar) -> str:
    """« Cet événement est annulé : « Titre » était prévu le mardi 22 décembre 2026, de 9 h
    à 17 h. » (or « du … au … » over several days)."""
    when = date_span(seminar.start, seminar.end)
    if not when.startswith("du "):
        when = f"le {when}"
    return f"Cet événement est annulé : « {seminar.title} » était prévu {when}."


def can_organise(user) -> bool:
    return roles.has_union_role(user, roles.UNION_ADMIN, roles.EVENT_ORGANISER)


def can_staff_door(user) -> bool:
    """Organisers, union admins (superusers included) and the « Accueil des participants »."""
    return roles.has_union_role(user, roles.UNION_ADMIN, roles.EVENT_ORGANISER, DOOR_STAFF)


def door_only(user) -> bool:
    """At the desk without being an organiser: the restricted screens and the day window."""
    return can_staff_door(user) and not can_organise(user)


def door_window(today=None) -> tuple:
    """The first and last local dates whose events a door volunteer may open."""
    today = today or timezone.localdate()
    return today - timedelta(days=DOOR_DAYS_BEFORE), today + timedelta(days=DOOR_DAYS_AFTER)


def _local_midnight(day):
    from datetime import datetime, time

    return timezone.make_aware(datetime.combine(day, time.min))


def events_in_window(events: QuerySet, today=None) -> QuerySet:
    """The events (a SeminarPage queryset) with a local day in door_window: started before the
    day after its last day, not ended before its first day."""
    first, last = door_window(today)
    return events.filter(
        Q(start__lt=_local_midnight(last + timedelta(days=1))) & Q(end__gte=_local_midnight(first)),
        cancelled_at__isnull=True,  # a cancelled event has nobody to welcome
    )


def in_door_window(seminar, today=None) -> bool:
    first, last = door_window(today)
    if seminar.is_cancelled:
        return False
    return timezone.localdate(seminar.start) <= last and timezone.localdate(seminar.end) >= first


def check_door_access(user, seminar=None) -> None:
    """PermissionDenied unless `user` may work the desk of `seminar` (any event for organisers,
    those of the day window for the « Accueil des participants »)."""
    if not can_staff_door(user):
        raise PermissionDenied(NOT_DOOR_STAFF)
    if seminar is not None and door_only(user) and not in_door_window(seminar):
        if seminar.is_cancelled:
            raise CancelledForDoor(seminar)
        raise OutsideDoorDays


def ensure_door_group():
    """The group with access to the Wagtail admin and nothing else (no page, image or document
    permission: the desk's screens check the group themselves). Idempotent; the migration
    creates it, `setup_platform` may call this again."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=DOOR_STAFF)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group
