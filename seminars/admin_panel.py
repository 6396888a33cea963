"""The organisers' panel on the Wagtail admin home: the coming events with their seats and
waiting lists, the communes left to check, and the events whose registrations close within
CLOSING_SOON. Counts and at most PANEL_ROWS rows each, with links to the organisers' screens."""

from datetime import timedelta

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from seminars.models import Registration, SeminarPage

PANEL_ROWS = 5
CLOSING_SOON = timedelta(days=7)


def _events():
    confirmed = Q(registrations__status=Registration.Status.CONFIRMED)
    return SeminarPage.objects.annotate(
        confirmed=Count("registrations", filter=confirmed),
        waiting=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
        ),
        flagged=Count(
            "registrations",
            filter=Q(registrations__commune_status=Registration.CommuneStatus.FLAGGED)
            & ~Q(registrations__status=Registration.Status.CANCELLED),
        ),
        deadline=Coalesce(F("registration_closes"), F("start")),
    )


def organiser_overview(now=None) -> dict:
    now = now or timezone.now()
    upcoming = _events().filter(end__gte=now).order_by("start", "pk")
    # Every event, past ones too: a commune left unchecked also skews the year's report.
    flagged = _events().filter(flagged__gt=0).order_by("start", "pk")
    closing = (
        _events()
        .filter(deadline__gte=now, deadline__lte=now + CLOSING_SOON)
        .filter(Q(registration_opens__isnull=True) | Q(registration_opens__lte=now))
        .filter(cancelled_at__isnull=True)  # a cancelled event's registrations are closed
        .order_by("deadline", "pk")
    )
    flagged_total = (
        Registration.objects.filter(commune_status=Registration.CommuneStatus.FLAGGED)
        .exclude(status=Registration.Status.CANCELLED)
        .count()
    )
    counts = {
        "upcoming": upcoming.count(),
        "flagged_events": flagged.count(),
        "closing": closing.count(),
    }
    return {
        "upcoming": list(upcoming[:PANEL_ROWS]),
        "flagged": list(flagged[:PANEL_ROWS]),
        "flagged_total": flagged_total,
        "closing": list(closing[:PANEL_ROWS]),
        "closing_days": CLOSING_SOON.days,
        **{f"{key}_count": count for key, count in counts.items()},
        **{f"{key}_more": max(0, count - PANEL_ROWS) for key, count in counts.items()},
    }
