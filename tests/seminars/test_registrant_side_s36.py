"""Session 36 (audit A20 #7, #8): the registrant's side of an event.

#7 « Ajouter à mon agenda » was only a .ics download, which Google Agenda on Android does not
import: the event page and the personal page now also offer « Google Agenda » and « Outlook »
links, built from the event alone (title, times in UTC, place, the page's address), never the
personal link.

#8 « Retrouver mes inscriptions » listed upcoming events only: a maire who came to three
rencontres asked three times for the link that gives her attestation. The e-mail now also lists
her registrations of the last twelve months where she was checked in, each with its link and
what it gives; the past event's page says that « Recevoir mon lien » is how she gets them.

Real HTTP on the portal, real e-mails (the task queue runs on commit)."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from seminars.links import make_token, manage_path, page_path, read_token
from seminars.models import Registration, SeminarPage, Visibility
from seminars.services import register_person
from tests.conftest import plain
from tests.seminars.conftest import make_seminar, person
from tests.seminars.test_proceedings import make_proceedings
from tests.union.test_csp_s18 import assert_strict

pytestmark = pytest.mark.django_db

FIND_URL = "/evenements/mes-inscriptions/"
ADDRESS = "maire@exemple.fr"
OTHER = "adjoint@exemple.fr"
GOOGLE = "Ajouter à Google Agenda"
OUTLOOK = "Ajouter à Outlook.com"
OUTLOOK_365 = "Ajouter à Outlook (Microsoft 365)"


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def calendar_link(soup: BeautifulSoup, name: str):
    """The link whose accessible name (its text, visually hidden parts included) starts with
    `name`, or None."""
    for link in soup.find_all("a"):
        if plain(link.get_text(" ")).startswith(name):
            return link
    return None


def query_of(href: str) -> dict[str, str]:
    values = parse_qs(urlparse(href).query, keep_blank_values=True)
    assert all(len(v) == 1 for v in values.values()), values
    return {key: v[0] for key, v in values.items()}


def utc(moment) -> datetime:
    return moment.astimezone(UTC)


@pytest.fixture
def forum():
    return make_seminar(
        "Forum des solidarités",
        days_ahead=20,
        venue_address="12 rue de la République\n93140 Bondy",
        summary="Une journée pour les élus.",
    )


# #7 « Ajouter à mon agenda »: Google Agenda and Outlook --------------------------------------


def test_the_event_page_offers_google_and_outlook_with_title_times_place_and_address(portal, forum):
    response = portal.get(page_path(forum))
    assert response.status_code == 200
    assert_strict(response)  # plain links: nothing the policy would block
    soup = soup_of(response)
    page_url = f"http://localhost{page_path(forum)}"
    start, end = utc(forum.start), utc(forum.end)

    google = calendar_link(soup, GOOGLE)
    assert google is not None, "pas de lien Google Agenda"
    parts = urlparse(google["href"])
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "calendar.google.com",
        "/calendar/render",
    )
    query = query_of(google["href"])
    assert query["action"] == "TEMPLATE"
    assert query["text"] == "Forum des solidarités"
    assert query["dates"] == f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"
    assert query["location"] == "Salle des fêtes, 12 rue de la République, 93140 Bondy"
    assert page_url in query["details"]

    outlook = calendar_link(soup, OUTLOOK)
    assert outlook is not None, "pas de lien Outlook"
    parts = urlparse(outlook["href"])
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "outlook.live.com",
        "/calendar/0/deeplink/compose",
    )
    query = query_of(outlook["href"])
    assert query["subject"] == "Forum des solidarités"
    assert datetime.fromisoformat(query["startdt"]) == start
    assert datetime.fromisoformat(query["enddt"]) == end
    assert query["startdt"].endswith("Z")
    assert query["location"] == "Salle des fêtes, 12 rue de la République, 93140 Bondy"
    assert page_url in query["body"]

    # A town hall's mailbox is a Microsoft 365 work account, which outlook.live.com refuses: the
    # same form on outlook.office.com, with the same event.
    outlook_365 = calendar_link(soup, OUTLOOK_365)
    assert outlook_365 is not None, "pas de lien Outlook (Microsoft 365)"
    parts = urlparse(outlook_365["href"])
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "outlook.office.com",
        "/calendar/0/deeplink/compose",
    )
    assert query_of(outlook_365["href"]) == query

    for link in (google, outlook, outlook_365):
        assert not link.get("target")  # the same tab
    # Beside the .ics download, which stays.
    ics = soup.find("a", href=re.compile(r"\.ics$"))
    assert ics is not None and ics.parent is google.parent is outlook.parent is outlook_365.parent


def test_the_personal_page_has_the_same_links_without_the_personal_link(portal, forum):
    registration, _ = register_person(forum, person(1, email=ADDRESS), notify=False)
    token = make_token(registration)
    response = portal.get(manage_path(registration))
    assert response.status_code == 200
    assert_strict(response)
    soup = soup_of(response)
    public = soup_of(portal.get(page_path(forum)))
    for name in (GOOGLE, OUTLOOK, OUTLOOK_365):
        link = calendar_link(soup, name)
        assert link is not None, name
        # What a shared agenda shows: the event only, the same as on the public page.
        assert link["href"] == calendar_link(public, name)["href"]
        assert token not in link["href"]
        assert "inscription%2F" not in link["href"] and "/inscription/" not in link["href"]
        assert ADDRESS not in link["href"] and "maire%40" not in link["href"]


def test_an_invitation_only_event_gives_its_key_only_in_the_page_address(portal):
    reunion = make_seminar("Réunion du bureau", visibility=Visibility.INVITATION)
    response = portal.get(page_path(reunion), {"invitation": reunion.invitation_key})
    soup = soup_of(response)
    google = query_of(calendar_link(soup, GOOGLE)["href"])
    outlook = query_of(calendar_link(soup, OUTLOOK)["href"])
    page_url = f"http://localhost{page_path(reunion)}?invitation={reunion.invitation_key}"
    assert page_url in google["details"] and page_url in outlook["body"]
    for query in (google, outlook):
        others = [value for key, value in query.items() if key not in ("details", "body")]
        assert all(reunion.invitation_key not in value for value in others)
        assert sum(value.count(reunion.invitation_key) for value in query.values()) == 1


def test_no_calendar_links_for_a_past_event_nor_someone_waiting(portal):
    past = make_seminar("Séminaire passé", days_ahead=-10)
    assert calendar_link(soup_of(portal.get(page_path(past))), GOOGLE) is None
    full = make_seminar("Atelier complet", seats=1)
    register_person(full, person(1), notify=False)
    waiting, _ = register_person(full, person(2), notify=False)
    soup = soup_of(portal.get(manage_path(waiting)))
    assert calendar_link(soup, GOOGLE) is None and calendar_link(soup, OUTLOOK) is None


# #8 « Retrouver mes inscriptions » lists the past events she came to ----------------------------


def past_event(title: str, days_ago: float) -> SeminarPage:
    return make_seminar(title, days_ahead=-days_ago)


def came(registration: Registration, **fields) -> Registration:
    Registration.objects.filter(pk=registration.pk).update(
        checked_in_at=registration.seminar.start + timedelta(minutes=5), **fields
    )
    registration.refresh_from_db()
    return registration


@pytest.fixture
def history():
    """The maire: one event to come; three past ones she came to (two months ago with its
    proceedings and questionnaire open; five months ago, questionnaire closed; thirteen months
    ago, too old); one she did not come to; one she came to but anonymised (erased at her
    request). The adjoint, same commune, another address: one past event he came to."""
    upcoming = make_seminar("Forum des solidarités", days_ahead=20)
    recent = past_event("Séminaire ABS", 60)
    make_proceedings(recent)
    older = past_event("Atelier début de mandat", 150)
    too_old = past_event("Journée de l'an dernier", 400)
    absent = past_event("Commission accès aux droits", 90)
    erased = past_event("Rencontre effacée", 100)
    registrations = {
        "upcoming": register_person(upcoming, person(1, email=ADDRESS, nom="Martin"))[0],
        "recent": came(register_person(recent, person(1, email=ADDRESS, nom="Martin"))[0]),
        "older": came(register_person(older, person(1, email=ADDRESS, nom="Martin"))[0]),
        "too_old": came(register_person(too_old, person(1, email=ADDRESS, nom="Martin"))[0]),
        "absent": register_person(absent, person(1, email=ADDRESS, nom="Martin"))[0],
        "erased": came(
            register_person(erased, person(1, email=ADDRESS, nom="Martin"))[0],
            anonymised_at=timezone.now(),
        ),
        "adjoint": came(register_person(recent, person(2, email=OTHER, nom="Petit"))[0]),
    }
    return registrations


def ask(client, address, capture):
    with capture(execute=True):
        return client.post(FIND_URL, {"email": address})


def personal_links(body: str) -> list[str]:
    return re.findall(r"https?://\S+/evenements/inscription/[^/\s]+/", body)


def registered(link: str) -> Registration:
    """The registration a personal link opens (its signed token)."""
    return read_token(urlparse(link).path.rstrip("/").rsplit("/", 1)[1])


def test_the_list_gives_the_past_events_she_came_to_with_their_link_and_what_it_gives(
    portal, history, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    ask(portal, ADDRESS, django_capture_on_commit_callbacks)
    (message,) = mailoutbox
    assert message.to == [ADDRESS]
    body = plain(message.body)
    for title in ("Forum des solidarités", "Séminaire ABS", "Atelier début de mandat"):
        assert title in body
    for title in ("Journée de l'an dernier", "Commission accès aux droits", "Rencontre effacée"):
        assert title not in body
    assert "Petit" not in body  # the adjoint's registration, same event, another address
    # Upcoming first, then the past ones.
    assert body.index("Forum des solidarités") < body.index("Séminaire ABS")
    assert body.index("Forum des solidarités") < body.index("Atelier début de mandat")

    # Each with its own link, which opens her registration and its attestation.
    links = personal_links(message.body)
    assert {registered(link).pk for link in links} == {
        history[key].pk for key in ("upcoming", "recent", "older")
    }
    for link in links:
        page = portal.get(urlparse(link).path)
        assert page.status_code == 200
        assert registered(link).seminar.title in plain(soup_of(page).get_text(" "))
        if registered(link).pk == history["recent"].pk:
            attestation = portal.get(urlparse(link).path + "attestation.pdf")
            assert attestation.status_code == 200
            assert attestation.content.startswith(b"%PDF")

    # What the link gives, per event: the proceedings when published, the questionnaire while
    # open (three months).
    # The past ones the latest first (s37: she looks for last month's attestation).
    assert body.index("Séminaire ABS") < body.index("Atelier début de mandat")
    older = body[body.index("Atelier début de mandat") : body.index("Chaque lien")]
    assert "présence enregistrée" in older
    assert "Ce lien vous donne votre attestation de présence (PDF) :" in older
    assert "actes" not in older and "questionnaire" not in older
    recent = body[body.index("Séminaire ABS") : body.index("Atelier début de mandat")]
    assert (
        "votre attestation de présence (PDF), les actes de l'événement et le questionnaire de satisfaction (jusqu'au"
        in recent
    )

    html = message.alternatives[0][0]
    soup = BeautifulSoup(html, "html.parser")
    hrefs = {a["href"] for a in soup.find_all("a") if "/evenements/inscription/" in a["href"]}
    assert hrefs == set(links)
    text = plain(soup.get_text(" "))
    assert "Séminaire ABS" in text and "Rencontre effacée" not in text


def test_two_addresses_are_never_mixed(
    portal, history, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    ask(portal, OTHER, django_capture_on_commit_callbacks)
    (message,) = mailoutbox
    assert message.to == [OTHER]
    body = plain(message.body)
    assert "Prénom2 Petit" in body and "Martin" not in body
    (link,) = personal_links(message.body)
    assert registered(link).pk == history["adjoint"].pk
    assert "Forum des solidarités" not in body and "Atelier début de mandat" not in body


def test_an_address_with_only_past_events_gets_the_same_answer_as_an_unknown_one(
    portal, mailoutbox, django_capture_on_commit_callbacks
):
    recent = past_event("Séminaire ABS", 30)
    came(register_person(recent, person(1, email=ADDRESS))[0])
    mailoutbox.clear()

    def answer(address):
        response = ask(portal, address, django_capture_on_commit_callbacks)
        assert response.status_code == 302
        page = portal.get(response["Location"])
        return plain(soup_of(page).select_one(".messages").get_text(" "))

    known = answer(ADDRESS)
    assert len(mailoutbox) == 1
    assert "Séminaire ABS" in mailoutbox[0].body
    assert answer("inconnue@exemple.fr") == known
    assert len(mailoutbox) == 1
    assert "douze derniers mois" in known


def test_the_past_event_page_says_what_the_personal_link_gives(portal):
    past = past_event("Séminaire ABS", 30)
    soup = soup_of(portal.get(page_path(past)))
    section = soup.find("section", attrs={"aria-labelledby": "lien-perdu"})
    text = plain(section.get_text(" "))
    assert "attestation de présence" in text
    assert "actes" in text and "questionnaire de satisfaction" in text
    assert "Retrouver mes inscriptions" in text and "douze derniers mois" in text


def test_the_find_page_says_past_events_are_listed(portal):
    text = plain(soup_of(portal.get(FIND_URL)).get_text(" "))
    assert "douze derniers mois" in text and "attestation" in text


def test_an_invitation_only_events_proceedings_link_in_an_email_carries_its_key(portal, mailoutbox):
    """Helper H36's finding: « Pas de place libérée » and « Événement annulé » linked an
    invitation-only event's proceedings without the key they open with (404)."""
    from seminars.emails import send_registration_email

    seminar = make_seminar("Réunion fermée", seats=1, visibility=Visibility.INVITATION)
    make_proceedings(seminar)
    waiting, _ = register_person(seminar, person(1), notify=False)
    send_registration_email(waiting, "no_seat")
    (message,) = mailoutbox
    (url,) = [word for word in message.body.split() if "/actes/" in word]
    assert f"invitation={seminar.invitation_key}" in url
    assert portal.get(url.split("localhost", 1)[1]).status_code == 200
