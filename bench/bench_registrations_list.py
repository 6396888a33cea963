"""The organisers' registrations list of a congrès: 400 registrations, 3 ateliers (target < 100 ms
median).

A real request through Django's stack (the test Client, signed in as an event organiser), on the
public site's admin: the full list, the list filtered by status and atelier, and the welcome
desk's layout (`?accueil=1`, what the desk opens from a phone on the event's day). Prints median
and p95 over 30 GETs of each, and the SQL queries of one GET.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.harness import report, timings
from seminars.models import Atelier, AtelierPresence, Fonction, Registration, SeminarPage
from tenants.models import Commune
from union import roles

ROWS = 400
TARGET_MS = 100
Status = Registration.Status


def make_event() -> SeminarPage:
    from seminars.services import ensure_event_index

    start = (timezone.now() + timedelta(days=30)).replace(hour=9, minute=0, second=0)
    page = SeminarPage(
        title="Congrès des CCAS (banc d'essai)",
        slug="banc-essai-congres",
        kind="seminaire",
        start=start,
        end=start + timedelta(hours=8),
        seats=350,
        venue_name="Palais des congrès",
    )
    ensure_event_index().add_child(instance=page)
    page.save_revision().publish()
    for number, (title, offset) in enumerate(
        (("Accès aux droits", 1), ("Logement d'urgence", 1), ("Aide alimentaire", 5))
    ):
        Atelier.objects.create(
            page=page,
            sort_order=number,
            title=title,
            starts_at=start + timedelta(hours=offset),
            ends_at=start + timedelta(hours=offset + 2),
            seats=150,
        )
    return page


def seed(seminar: SeminarPage, count: int) -> None:
    """`count` registrations: confirmed (a third of them checked in, present at their atelier),
    waiting, cancelled; varied communes and fonctions, one in seven commune flagged, needs."""
    communes = list(Commune.objects.filter(code__startswith="93").order_by("code")[:40])
    fonctions = list(Fonction.values)
    ateliers = list(seminar.ateliers.all())
    now = timezone.now()
    rows = []
    for n in range(count):
        status = [Status.CONFIRMED] * 6 + [Status.WAITLISTED, Status.CANCELLED]
        status = status[n % 8]
        flagged = n % 7 == 3
        rows.append(
            Registration(
                seminar=seminar,
                nom=f"Nom{n:04d}",
                prenom=f"Prénom{n}",
                email="" if n % 11 == 5 else f"p{n}@exemple.fr",
                phone="01 48 00 00 00" if n % 4 == 1 else "",
                commune=None if flagged else communes[n % len(communes)],
                commune_typed="Bondi" if flagged else "",
                commune_status="flagged" if flagged else "matched",
                fonction=fonctions[n % len(fonctions)],
                needs="Repas végétarien" if n % 5 == 0 else "",
                status=status,
                waitlisted_at=now - timedelta(minutes=count - n)
                if status == "waitlisted"
                else None,
                checked_in_at=now if status == "confirmed" and n % 3 == 0 else None,
                consent=n % 2 == 0,
            )
        )
    created = Registration.objects.bulk_create(rows)
    through = Registration.ateliers.through
    links, presences = [], []
    for n, registration in enumerate(created):
        if registration.status != Status.CANCELLED:
            atelier = ateliers[n % len(ateliers)]
            links.append(through(registration_id=registration.pk, atelier_id=atelier.pk))
            if registration.checked_in_at:
                presences.append(AtelierPresence(registration=registration, atelier=atelier))
    through.objects.bulk_create(links)
    AtelierPresence.objects.bulk_create(presences)


def run() -> None:
    seminar = make_event()
    seed(seminar, ROWS)
    atelier = seminar.ateliers.order_by("starts_at", "sort_order").first()
    user = get_user_model().objects.create_user(
        "orga-bench@union.test", "orga-bench@union.test", "bench-pass-1"
    )
    user.groups.add(Group.objects.get(name=roles.EVENT_ORGANISER))
    connection.set_schema_to_public()
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    base = f"/admin/inscriptions/{seminar.pk}/"
    pages = [
        (f"registrations list, {ROWS} rows", base, TARGET_MS),
        (
            "registrations list, status=confirmed & atelier",
            f"{base}?status=confirmed&atelier={atelier.pk}",
            None,
        ),
        (f"registrations list, desk layout ?accueil=1, {ROWS} rows", f"{base}?accueil=1", None),
    ]
    print(f"{seminar.registrations.count()} registrations, 3 ateliers", flush=True)
    for name, path, target in pages:

        def fetch(path=path):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            connection.set_schema_to_public()
            return response

        with CaptureQueriesContext(connection) as queries:
            html = fetch().content
        rows = html.count(b'<tr id="r-')
        print(
            f"{path}: {rows} rows, {len(html) // 1024} KiB, {len(queries)} SQL queries", flush=True
        )
        report(name, timings(fetch, repeat=30), target)
