"""Session 27, review at scale (H3): a union of 300 members after five years, events of 60 to
400 registrations. Each list page keeps the same number of queries whether it lists a handful of
rows or ten times more (one bound for both sizes), and the public calendar's past events stay
reachable once there are more than its page shows."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from seminars.links import page_path
from seminars.models import AtelierPresence, Fonction, Registration
from tenants.models import Commune
from tests.conftest import host_client, make_person, member_client, plain
from tests.seminars.conftest import make_seminar, organiser
from union import roles

Status = Registration.Status
# Room above today's counts: a query per row would exceed it at the larger size.
SLACK = 2


def seed_registrations(seminar, count: int, *, member=None) -> None:
    """`count` registrations of every kind: confirmed (some checked in, some in ateliers and
    present there), waiting, cancelled, flagged communes, needs, registered by a member."""
    communes = list(Commune.objects.filter(code__startswith="93").order_by("code")[:20])
    fonctions = list(Fonction.values)
    ateliers = list(seminar.ateliers.all())
    now = timezone.now()
    rows = []
    for n in range(count):
        status = [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED, Status.CANCELLED][n % 4]
        flagged = n % 7 == 3
        rows.append(
            Registration(
                seminar=seminar,
                nom=f"Nom{n:04d}",
                prenom=f"Prénom{n}",
                email=f"p{n}@exemple.fr",
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
                registered_by=member if member is not None and n % 6 == 0 else None,
                source="member" if member is not None and n % 6 == 0 else "form",
                consent=n % 2 == 0,
            )
        )
    created = Registration.objects.bulk_create(rows)
    through = Registration.ateliers.through
    links, presences = [], []
    for n, registration in enumerate(created):
        if ateliers and registration.status != Status.CANCELLED:
            atelier = ateliers[n % len(ateliers)]
            links.append(through(registration_id=registration.pk, atelier_id=atelier.pk))
            if registration.checked_in_at:
                presences.append(AtelierPresence(registration=registration, atelier=atelier))
    through.objects.bulk_create(links)
    AtelierPresence.objects.bulk_create(presences)


def seed_member_space(member, size: int) -> None:
    from datetime import date

    from django.core.files.base import ContentFile
    from django_tenants.utils import schema_context

    from tenants.journal.models import JournalEntry
    from tenants.workspace.models import ActivityFigure, BoardMandate, BoardMember, Document

    with schema_context(member.schema_name):
        for m in range(size):
            mandate = BoardMandate.objects.create(
                label=f"{2020 - 6 * m}-{2026 - 6 * m}",
                start=date(2020 - 6 * m, 7, 1),
                end=None if m == 0 else date(2026 - 6 * m, 6, 30),
            )
            BoardMember.objects.bulk_create(
                BoardMember(
                    mandate=mandate,
                    first_name=f"P{i}",
                    last_name=f"N{i}",
                    seat=["president", "elected", "appointed"][min(i, 1) if i < 8 else 2],
                    category="family" if i >= 8 else "",
                    start=mandate.start,
                )
                for i in range(4 * size)
            )
        ActivityFigure.objects.bulk_create(
            ActivityFigure(year=2021 + y, pole=f"Pôle {p}", category=f"Cat {c}", count=10 + c)
            for y in range(min(size, 5))
            for p in range(size)
            for c in range(3)
        )
        for d in range(size):
            doc = Document(title=f"Document {d}", category="conseil")
            doc.file.save(f"doc{d}.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
            doc.save()
        JournalEntry.objects.bulk_create(
            JournalEntry(action="document.added", target=f"Doc {j}") for j in range(10 * size)
        )


# The organisers' screens of one event: (url suffix, query bound). Measured on the event's day.
EVENT_PAGES = [
    ("", 40),
    ("?accueil=1", 40),
    ("?atelier={atelier}", 43),
    ("?status=confirmed&q=nom", 40),
    ("communes/", 26),
    ("chiffres/", 32),
    ("chiffres/telecharger/?format=csv", 15),
    ("chiffres/telecharger/?format=xlsx", 15),
    ("export/?format=csv", 11),
    ("export/?format=xlsx", 11),
    ("export/?format=pdf", 11),
    ("export/?format=csv&atelier={atelier}", 17),
    ("liste.xlsx", 14),
    ("badges/", 11),
    ("ecrire/", 26),
    ("avis/", 33),
]


@pytest.fixture
def big_day(db):
    """An event today with three ateliers, and its organiser's client: begun an hour ago, the
    event's day at any hour (starting in a quarter of an hour, it is tomorrow's after 23 h 45 in
    Paris)."""
    seminar = make_seminar(
        "Journée à grande échelle",
        seats=400,
        days_ahead=-1 / 24,
        hours=8,
        ateliers=(("Atelier A", 1, 2, 100), ("Atelier B", 1, 2, 100), ("Atelier C", 4, 2, 100)),
    )
    return seminar, host_client("localhost", organiser())


@pytest.mark.parametrize("size", [3, 30])
def test_event_screens_do_not_query_per_registration(big_day, size, django_assert_max_num_queries):
    seminar, client = big_day
    seed_registrations(seminar, size)
    atelier = seminar.ateliers.first()
    client.get("/admin/inscriptions/")  # the session and the site, read once
    for suffix, bound in EVENT_PAGES:
        url = f"/admin/inscriptions/{seminar.pk}/" + suffix.format(atelier=atelier.pk)
        with django_assert_max_num_queries(bound + SLACK):
            assert client.get(url).status_code == 200, url
    for url, bound in [
        ("/admin/inscriptions/accueil/", 25),
        (f"/admin/inscriptions/accueil/{seminar.pk}/", 40),
        (f"/admin/inscriptions/accueil/{seminar.pk}/?atelier={atelier.pk}", 43),
    ]:
        with django_assert_max_num_queries(bound + SLACK):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("size", [2, 8])
def test_union_wide_pages_do_not_query_per_event(db, size, django_assert_max_num_queries):
    """The organisers' list and year report, the public calendar (list, month) and an event's
    page, with more events."""
    events = []
    for n in range(size):
        seminar = make_seminar(
            f"Rencontre {n}",
            seats=400,
            days_ahead=-200 + 50 * n,
            ateliers=(("Atelier A", 1, 2, 100), ("Atelier B", 4, 2, 100)),
        )
        seed_registrations(seminar, 12)
        events.append(seminar)
    client = host_client("localhost", organiser())
    public = host_client("localhost")
    index = page_path(events[0].get_parent())
    year = timezone.localdate().year
    client.get("/admin/inscriptions/")
    public.get(index)
    for who, url, bound in [
        (client, "/admin/inscriptions/", 24),
        (client, f"/admin/inscriptions/bilan/?annee={year}", 31),
        (client, f"/admin/inscriptions/bilan/?annee={year}&format=xlsx", 16),
        (public, index, 15),
        (public, index + "?vue=mois", 12),
        (public, page_path(events[-1]), 17),
        (public, page_path(events[0]), 17),
        (public, "/evenements/calendrier.ics", 3),
    ]:
        with django_assert_max_num_queries(bound + SLACK):
            assert who.get(url).status_code == 200, url


@pytest.mark.parametrize("size", [1, 6])
def test_member_space_and_union_admin_pages_do_not_grow(bondy, size, django_assert_max_num_queries):
    """A member space's home, board, activity, ABS, documents and journal, and the union's
    members list and member page, with more mandates, seats, figures, documents, journal lines
    and registrants."""
    seed_member_space(bondy, size)
    seminar = make_seminar("Journée des CCAS", seats=400, days_ahead=10)
    seed_registrations(seminar, 10 * size, member=bondy)
    director = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    director.get("/")
    for url, bound in [
        ("/", 41),  # + the next séance of the board (session 34)
        ("/conseil/", 14),  # + the board's last and next séances (session 34)
        ("/conseil/export.xlsx", 8),
        ("/activite/", 14),
        ("/activite/?annee=2022", 14),
        ("/documents/", 9),  # + the counts per category of its pages of 50 (session 36)
        ("/journal/", 9),
        ("/abs/", 19),
    ]:
        with django_assert_max_num_queries(bound + SLACK):
            assert director.get(url).status_code == 200, url
    admin = organiser(email="admin@union.test")
    admin.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    union = host_client("localhost", admin)
    union.get("/admin/")
    for url, bound in [("/admin/membres/", 21), (f"/admin/membres/{bondy.pk}/", 24)]:
        with django_assert_max_num_queries(bound + SLACK):
            assert union.get(url).status_code == 200, url


def test_calendar_reaches_past_events_beyond_its_first_page(db):
    """Five years of events (120 a year): the list view showed the twelve latest past events
    under « Événements passés », with no way to the older ones nor to their proceedings; they
    now follow, twelve by twelve (« Événements plus anciens »), the type filter kept."""
    titles = [f"Rencontre passée {n:02d}" for n in range(14)]
    for n, title in enumerate(titles):
        make_seminar(title, days_ahead=-400 + 10 * n)  # the oldest first
    public = host_client("localhost")
    index = page_path(make_seminar("Rencontre à venir").get_parent())
    first = plain(public.get(index).content.decode())
    assert titles[-1] in first and titles[2] in first
    assert titles[0] not in first and titles[1] not in first
    assert "Événements plus anciens" in first
    older = public.get(index + "?passes=2&type=seminaire")
    assert older.status_code == 200
    text = plain(older.content.decode())
    assert titles[0] in text and titles[1] in text
    assert titles[2] not in text
    assert "Événements plus récents" in text
    assert "Page 2 sur 2" in text
    assert "Rencontre à venir" in text  # the upcoming ones stay on every page
    assert "?passes=1&amp;type=seminaire" in older.content.decode() or (
        "?type=seminaire&amp;passes=1" in older.content.decode()
    )
