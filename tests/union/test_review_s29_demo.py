"""Session 29, review H4: the demo as the union's director shows it to her board (README's demo
accounts). The desk's account has an event of the day to open, whatever the day the demo is
loaded, with people to check in; a member's experience sent back by the moderator shows
« Modifier et renvoyer » with the moderator's comment; the same figure agrees across pages."""

import html
import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from wagtail.models import WorkflowState

from knowledge_base import demo as kb_demo
from knowledge_base.demo_experiences import MODERATOR_COMMENT, SENT_BACK_PROPOSAL
from knowledge_base.models import ExperiencePage
from knowledge_base.services import experience_status
from seminars import demo as seminars_demo
from seminars.door_access import DOOR_STAFF, events_in_window, in_door_window
from seminars.models import AtelierPresence, Registration, SeminarPage
from tenants.models import Membership
from tests.conftest import host_client, make_member, make_person, member_client, plain
from tests.knowledge_base.conftest import make_staff
from tests.seminars.conftest import organiser

pytestmark = pytest.mark.django_db


def shown(response) -> str:
    return plain(html.unescape(response.content.decode()))


def the_desk_s_event() -> SeminarPage:
    events = list(events_in_window(SeminarPage.objects.live()))
    assert len(events) == 1, f"événements du jour pour l'accueil : {events}"
    return events[0]


def test_the_desk_account_opens_an_event_of_the_day_with_people_to_check_in(bondy):
    """README, « accueil des participants » : the desk opens the events of the day before, the
    day and the day after. The demo had none (all weeks away): its account saw an empty list."""
    seminars_demo.load(io.StringIO())
    event = the_desk_s_event()
    desk = host_client("localhost", organiser(DOOR_STAFF, "accueil@udccas93.demo"))
    day = desk.get("/admin/inscriptions/accueil/")
    assert day.status_code == 200 and plain(event.title) in shown(day)
    door = desk.get(f"/admin/inscriptions/accueil/{event.pk}/")
    assert door.status_code == 200
    to_check_in = event.registrations.filter(
        status=Registration.Status.CONFIRMED, checked_in_at=None
    )
    assert to_check_in.count() >= 10
    page = shown(door)
    assert "Émarger" in page and to_check_in.first().nom in page
    # The ateliers of the day, for « Par atelier », each with people in it.
    assert event.ateliers.count() == 2
    assert all(atelier.registrations.exists() for atelier in event.ateliers.all())
    # The demo's other promises hold (issue 4 §9): the upcoming atelier is untouched.
    debut = SeminarPage.objects.get(slug="atelier-debut-de-mandat")
    assert (debut.seats, debut.ateliers.count()) == (60, 3)
    assert debut.registrations.filter(source=Registration.Source.IMPORT).count() == 40
    assert not in_door_window(debut)


def test_loaded_again_on_a_later_day_the_event_of_the_day_is_today_again(bondy):
    """`make demo` runs `manage.py demo` on the same database each time: the board is shown the
    demo loaded last week. The event of the day comes back to today, ateliers and all, its
    check-ins of last week undone; nothing is duplicated."""
    seminars_demo.load(io.StringIO())
    event = the_desk_s_event()
    registrations = event.registrations.count()
    # As if loaded ten days ago, and checked in that day.
    ago = timedelta(days=10)
    SeminarPage.objects.filter(pk=event.pk).update(start=event.start - ago, end=event.end - ago)
    for atelier in event.ateliers.all():
        type(atelier).objects.filter(pk=atelier.pk).update(
            starts_at=atelier.starts_at - ago, ends_at=atelier.ends_at - ago
        )
    first = event.registrations.order_by("pk").first()
    event.registrations.filter(pk=first.pk).update(checked_in_at=event.start - ago)
    AtelierPresence.objects.create(registration=first, atelier=event.ateliers.first())
    assert not events_in_window(SeminarPage.objects.live()).exists()

    seminars_demo.load(io.StringIO())

    moved = the_desk_s_event()
    assert moved.pk == event.pk and moved.registrations.count() == registrations
    assert (moved.start, moved.end) == (event.start, event.end)  # the same hours, today
    assert not moved.registrations.exclude(checked_in_at=None).exists()
    assert not AtelierPresence.objects.filter(registration__seminar=moved).exists()
    for atelier in moved.ateliers.all():
        assert moved.start <= atelier.starts_at < atelier.ends_at <= moved.end
    # Published as it is: the editor's latest revision says the same.
    revision = moved.get_latest_revision_as_object()
    assert (revision.start, revision.end) == (moved.start, moved.end)
    assert sorted(a.starts_at for a in revision.ateliers.all()) == sorted(
        a.starts_at for a in moved.ateliers.all()
    )
    # Loaded again the same day: nothing changes.
    revisions = moved.revisions.count()
    seminars_demo.load(io.StringIO())
    assert SeminarPage.objects.get(pk=moved.pk).revisions.count() == revisions


@pytest.fixture
def saint_denis(db):
    return make_member("93066")


def test_the_demo_has_an_experience_sent_back_to_correct(
    two_members, saint_denis, django_capture_on_commit_callbacks
):
    """README, espace membre `/experiences/` : a proposal « à modifier avec le message du
    modérateur », with « Modifier et renvoyer ». The demo had only a proposal waiting: the
    link could not be shown."""
    director = make_person(saint_denis, SENT_BACK_PROPOSAL["author"])
    make_person(two_members[1], "direction@ccas-montreuil.demo")
    make_staff("moderateur@udccas93.demo")
    with django_capture_on_commit_callbacks(execute=True):
        kb_demo.load(io.StringIO())
        kb_demo.load(io.StringIO())  # twice: nothing duplicated
    page = ExperiencePage.objects.get(title=SENT_BACK_PROPOSAL["title"])
    assert not page.live and page.member == saint_denis and page.proposed_by == director
    # Sent back the real way: a finished task state with the moderator's comment.
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.finished_by.email == "moderateur@udccas93.demo"
    status = experience_status(page)
    assert (status.code, status.comment) == ("rejected", MODERATOR_COMMENT)

    client = member_client(saint_denis, director)
    listing = shown(client.get("/experiences/"))
    assert "À modifier" in listing and plain(MODERATOR_COMMENT) in listing
    assert "Modifier et renvoyer" in listing
    form = client.get(f"/experiences/{page.pk}/modifier/")
    assert form.status_code == 200 and plain(MODERATOR_COMMENT) in shown(form)
    # Montreuil's proposal still waits for moderation, and is still the first one unpublished.
    pending = ExperiencePage.objects.filter(live=False).order_by("pk").first()
    assert experience_status(pending).code == "pending"
    assert pending.member == two_members[1]


def test_a_reader_of_saint_denis_sees_the_comment_without_the_link(
    saint_denis, django_capture_on_commit_callbacks
):
    """Read-only members see the state, not the action they cannot take."""
    make_person(saint_denis, SENT_BACK_PROPOSAL["author"])
    reader = make_person(saint_denis, "lecture@ccas-saint-denis.test", Membership.Role.VIEWER)
    make_staff("moderateur@udccas93.demo")
    from knowledge_base.services import ensure_index_pages

    ensure_index_pages()
    with django_capture_on_commit_callbacks(execute=True):
        assert kb_demo.load_sent_back_proposal()
    listing = shown(member_client(saint_denis, reader).get("/experiences/"))
    assert "À modifier" in listing and "Modifier et renvoyer" not in listing


def test_the_upcoming_atelier_s_seats_agree_on_every_page(bondy):
    """One figure, five places: the event's page, the calendar, the organisers' list, the API,
    and Bondy's dashboard say the same seats left (« 60 places », 41 confirmed)."""
    import re

    seminars_demo.load(io.StringIO())
    debut = SeminarPage.objects.get(slug="atelier-debut-de-mandat")
    confirmed = debut.registrations.filter(status=Registration.Status.CONFIRMED).count()
    left = debut.seats - confirmed
    assert left > 0
    portal = host_client("localhost")
    assert f"60 – {left} disponibles" in shown(portal.get("/evenements/atelier-debut-de-mandat/"))
    assert f"{left} places disponibles" in shown(portal.get("/evenements/"))
    organisers = host_client("localhost", organiser())
    listing = shown(organisers.get(f"/admin/inscriptions/{debut.pk}/"))
    assert f"60 places, {left} libres" in listing
    api = portal.get("/api/v1/seminars/?upcoming=1").json()
    rows = api["results"] if isinstance(api, dict) else api
    [row] = [row for row in rows if row["id"] == debut.pk]
    assert (row["seats"], row["seats_left"]) == (60, left)
    for atelier in row["ateliers"]:
        taken = debut.registrations.filter(
            status=Registration.Status.CONFIRMED, ateliers__pk=atelier["id"]
        ).count()
        assert atelier["seats_left"] == atelier["seats"] - taken
    director = make_person(bondy, "direction@ccas-bondy.demo")
    dashboard = shown(member_client(bondy, director).get("/"))
    assert re.search(rf"{re.escape(plain(debut.title))}.*?{left} libres", dashboard)


def test_loaded_again_weeks_later_the_upcoming_events_are_still_to_come(bondy):
    """README: « un Atelier début de mandat à venir ». Loaded a month ago and reloaded by
    `make demo` today, it was past: the calendar, the home page and the API showed a past date
    for the board's « à venir », and its registration form was closed."""
    seminars_demo.load(io.StringIO())
    debut = SeminarPage.objects.get(slug="atelier-debut-de-mandat")
    before = {
        "start": debut.start,
        "closes": debut.registration_closes,
        "ateliers": sorted(a.starts_at for a in debut.ateliers.all()),
        "registrations": debut.registrations.count(),
    }
    ago = timedelta(days=30)
    for slug in ("atelier-debut-de-mandat", "commission-seniors", "reunion-partenaires-caf"):
        event = SeminarPage.objects.get(slug=slug)
        SeminarPage.objects.filter(pk=event.pk).update(
            start=event.start - ago,
            end=event.end - ago,
            registration_closes=event.registration_closes and event.registration_closes - ago,
        )
        for atelier in event.ateliers.all():
            type(atelier).objects.filter(pk=atelier.pk).update(
                starts_at=atelier.starts_at - ago, ends_at=atelier.ends_at - ago
            )

    seminars_demo.load(io.StringIO())

    for slug in ("atelier-debut-de-mandat", "commission-seniors", "reunion-partenaires-caf"):
        event = SeminarPage.objects.get(slug=slug)
        assert event.registration_state() == "open", slug
        assert not event.is_past, slug
    debut = SeminarPage.objects.get(slug="atelier-debut-de-mandat")
    assert debut.start == before["start"] and debut.registration_closes == before["closes"]
    assert sorted(a.starts_at for a in debut.ateliers.all()) == before["ateliers"]
    assert debut.registrations.count() == before["registrations"]
    # Their entries in the public calendar (the invitation-only meeting is not listed there; the
    # desk's event of the day, once started, is closed: not one of these).
    calendar = BeautifulSoup(host_client("localhost").get("/evenements/").content, "html.parser")
    for slug in ("atelier-debut-de-mandat", "commission-seniors"):
        title = SeminarPage.objects.get(slug=slug).title
        (entry,) = [li for li in calendar.find_all("li") if li.h3 and title in li.h3.get_text()]
        assert "Inscriptions closes" not in entry.get_text(), slug
    # The past seminar stays past, with its proceedings.
    assert SeminarPage.objects.get(slug="seminaire-abs-2026").is_past
