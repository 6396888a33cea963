"""Builders of events and registrations for the seminars tests."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.text import slugify

from seminars.models import Atelier, Kind, SeminarIndexPage, SeminarPage
from seminars.services import RegistrationData, register_person, resolve_commune
from tests.conftest import host_client, organiser
from union.models import HomePage


def make_index() -> SeminarIndexPage:
    index = SeminarIndexPage.objects.first()
    if index is None:
        index = SeminarIndexPage(title="Séminaires et ateliers", slug="evenements")
        HomePage.objects.first().add_child(instance=index)
    return index


def within_one_day(start, hours: float):
    """`start`, moved earlier just enough for the event to end the same local day: made « now »
    during an evening run, a 7-hour event ran past midnight, and its pages, e-mails and
    attestation gave two dates where the tests read one (the suite must pass at any hour)."""
    local = timezone.localtime(start)
    last_minute = local.replace(hour=23, minute=59, second=0)
    end = local + timedelta(hours=hours)
    if hours < 23 and end > last_minute:
        return start - (end - last_minute)
    return start


def make_seminar(
    title: str = "Séminaire de test",
    *,
    seats: int = 50,
    ateliers: tuple = (),
    days_ahead: float = 30,
    hours: float = 7,
    **fields,
) -> SeminarPage:
    """An event `days_ahead` from now; ateliers as (title, start offset in hours, duration, seats)."""
    start = (timezone.now() + timedelta(days=days_ahead)).replace(microsecond=0)
    if abs(days_ahead) >= 1:
        start = within_one_day(start, hours)
    fields.setdefault("kind", Kind.SEMINAIRE)
    page = SeminarPage(
        title=title,
        slug=slugify(title),
        start=start,
        end=start + timedelta(hours=hours),
        seats=seats,
        venue_name="Salle des fêtes",
        **fields,
    )
    make_index().add_child(instance=page)
    for number, (atelier_title, offset, duration, atelier_seats) in enumerate(ateliers):
        Atelier.objects.create(
            page=page,
            sort_order=number,
            title=atelier_title,
            starts_at=start + timedelta(hours=offset),
            ends_at=start + timedelta(hours=offset + duration),
            seats=atelier_seats,
        )
    return page


def person(
    number: int | str = 1,
    *,
    email: str | None = None,
    commune: str = "Bondy",
    fonction: str = "maire",
    ateliers: list[int] | None = None,
    nom: str | None = None,
    consent: bool = True,
) -> RegistrationData:
    return RegistrationData(
        nom=nom or f"Nom{number}",
        prenom=f"Prénom{number}",
        email=email if email is not None else f"personne{number}@exemple.fr",
        commune=resolve_commune(commune),
        fonction=fonction,
        atelier_ids=ateliers or [],
        consent=consent,
    )


@pytest.fixture
def organiser_client(db):
    return host_client("localhost", organiser())


@pytest.fixture
def seminar(db) -> SeminarPage:
    """50 seats, two ateliers in parallel in the morning (3 seats each), one in the afternoon."""
    return make_seminar(
        ateliers=(("Atelier A", 1, 2, 3), ("Atelier B", 1, 2, 3), ("Atelier C", 4, 2, 10))
    )


@pytest.fixture
def full_a(seminar):
    """Atelier A (3 seats, morning) full with persons 1 to 3; B (same slot) has person 10, who
    also holds C: the atelier waiting lists' tests (sessions 41 and 42)."""
    a, b, c = seminar.ateliers.order_by("sort_order")
    holders = [register_person(seminar, person(n, ateliers=[a.pk]))[0] for n in (1, 2, 3)]
    aicha, _ = register_person(seminar, person(10, ateliers=[b.pk, c.pk]))
    return seminar, a, b, c, holders, aicha


def form_data(**overrides) -> dict:
    """The fields of an event page's registration form, as a person fills them in."""
    data = {
        "nom": "Durand",
        "prenom": "Aïcha",
        "email": "aicha.durand@exemple.fr",
        "commune": "NOISY LE SEC",
        "fonction": "conseiller_municipal",
        "needs": "Repas végétarien",
        "consent": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def event():
    """Two seats: Zola (with an atelier) and Abel confirmed, Roux waiting."""
    seminar = make_seminar("Journée des élus", seats=2, ateliers=(("Budget", 1, 2, 10),))
    atelier = seminar.ateliers.get()
    zola, _ = register_person(seminar, person(1, nom="Zola", ateliers=[atelier.pk]))
    abel, _ = register_person(seminar, person(2, nom="Abel"))
    roux, _ = register_person(seminar, person(3, nom="Roux"))
    assert (zola.status, roux.status) == ("confirmed", "waitlisted")
    return seminar, zola, abel, roux


def confirmed_counts(seminar) -> dict[str, dict[str, int]]:
    """« Chiffres »' confirmed people (seminars.stats.event_figures), by table: its sheet name
    (« Membres », « Fonctions », « Communes », « Ateliers ») → {line: people}."""
    from seminars.stats import event_figures

    return {
        table.sheet: {line.label: line.confirmed for line in table.lines}
        for table in event_figures(seminar).tables
    }


# One atelier given on two days at the same hour, and another: for an event of hours=32.
TWO_DAYS_ATELIERS = (
    ("Accès aux droits", 5, 2, 12),  # the first day
    ("Accès aux droits", 29, 2, 8),  # the next day, same time
    ("Budget", 1, 2, 10),
)


@pytest.fixture
def two_days(organiser_client):
    """« Accès aux droits » on Thursday 4 and Friday 5 December 2025 at 14 h, « Budget » once;
    Zola chose Thursday's and came, Abel chose Friday's and did not come, Martin chose Friday's
    and Budget and came to both."""
    # Helpers of the « Chiffres » tests, which use this fixture too (test_atelier_labels_s24).
    from tests.seminars.test_stats_ateliers_s24 import at, set_times
    from tests.seminars.test_stats_attendance_s23 import check_in

    seminar = make_seminar(
        "Rencontres de décembre",
        hours=32,
        ateliers=TWO_DAYS_ATELIERS,
    )
    thursday, friday, budget = seminar.ateliers.order_by("sort_order")
    zola, _ = register_person(seminar, person(1, nom="Zola", ateliers=[thursday.pk]), notify=False)
    register_person(seminar, person(2, nom="Abel", ateliers=[friday.pk]), notify=False)
    martin, _ = register_person(
        seminar, person(3, nom="Martin", ateliers=[friday.pk, budget.pk]), notify=False
    )
    set_times(
        seminar,
        at(4, 9),
        at(5, 17),
        {0: (at(4, 14), at(4, 16)), 1: (at(5, 14), at(5, 16)), 2: (at(4, 10), at(4, 12))},
    )
    check_in(organiser_client, seminar, zola, atelier=thursday)
    check_in(organiser_client, seminar, martin, atelier=friday)
    check_in(organiser_client, seminar, martin, atelier=budget)
    return seminar
