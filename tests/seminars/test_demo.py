"""The demo data loads, twice without duplicates, and the calendar shows it."""

import io
from datetime import timedelta

import pytest

from seminars import demo
from seminars.models import (
    AtelierWaiting,
    Evaluation,
    ProceedingsPage,
    Registration,
    SeminarPage,
)

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_browsable(portal, bondy):
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    debut = SeminarPage.objects.get(slug="atelier-debut-de-mandat")
    assert (debut.kind, debut.seats, debut.ateliers.count()) == ("atelier_debut_mandat", 60, 3)
    registrations = Registration.objects.filter(seminar=debut)
    assert registrations.filter(source=Registration.Source.IMPORT).count() == 40
    # One more, by Bondy's CCAS from its space: its dashboard can withdraw her.
    (by_bondy,) = registrations.filter(source=Registration.Source.MEMBER)
    assert (by_bondy.commune_id, by_bondy.email, by_bondy.registered_by) == ("93010", "", bondy)
    # One person in the second morning atelier waits for the first, full (session 41).
    (wait,) = AtelierWaiting.objects.filter(registration__seminar=debut)
    first, second, _third = debut.ateliers.order_by("sort_order")
    assert wait.atelier == first and second in wait.registration.ateliers.all()
    departements = set(
        registrations.exclude(commune=None).values_list("commune__departement", flat=True)
    )
    assert len(departements) >= 4
    assert registrations.filter(commune_status="flagged").exists()
    assert ProceedingsPage.objects.live().count() == 1
    # The past seminar's day happened: most people checked in, so attestations can be shown.
    past = Registration.objects.filter(seminar__slug="seminaire-abs-2026")
    assert past.filter(checked_in_at__isnull=False).count() == 24  # 30, every fifth absent
    # Three in four of them gave their opinion: the organisers' summary has something to show.
    assert Evaluation.objects.filter(registration__in=past).count() == 18
    # Its attestations certify the training time, not 9 h to 17 h with the lunch.
    past_event = SeminarPage.objects.get(slug="seminaire-abs-2026")
    assert past_event.attested_duration == timedelta(hours=6, minutes=30)
    calendar = portal.get("/evenements/").content.decode()
    assert "Atelier début de mandat" in calendar and "sur invitation" not in calendar
    assert portal.get("/evenements/atelier-debut-de-mandat/").status_code == 200
    assert portal.get("/evenements/seminaire-abs-2026/actes/").status_code == 200


def test_the_demo_s_events_fall_on_working_days():
    """Session 36 (audit A20): loaded on 4 December 2026, the « atelier début de mandat » fell on
    Christmas Day and the past séminaire on a Sunday. Each event now falls on the nearest working
    day away from today (Monday to Friday, not a public holiday)."""
    from datetime import date

    from django.utils import timezone

    assert demo.french_public_holidays(2026) >= {
        date(2026, 12, 25),
        date(2026, 4, 6),  # lundi de Pâques
        date(2026, 5, 14),  # Ascension
        date(2026, 5, 25),  # lundi de Pentecôte
    }
    assert len(demo.french_public_holidays(2027)) == 11
    today = timezone.localdate()

    def working(day: date) -> bool:
        return day.weekday() < 5 and day not in demo.french_public_holidays(day.year)

    for days in (*range(-120, 0), *range(1, 120)):
        moved = demo.working_day(days)
        day = today + timedelta(days=moved)
        assert working(day), (days, day)
        # The nearest one, away from today: no working day skipped on the way.
        step = 1 if days > 0 else -1
        skipped = range(days, moved, step)
        assert not any(working(today + timedelta(days=d)) for d in skipped), (days, moved)
    demo.load(io.StringIO())
    for event in SeminarPage.objects.exclude(slug="journee-non-recours-aux-droits"):
        assert working(timezone.localdate(event.start)), event.slug
