"""An elected official going to an event finds the place on a map: « Voir l'adresse sur une
carte » after the address on the event's page and the personal page, « voir sur une carte » in
the HTML e-mails, « Sur une carte : » in their text (an OpenStreetMap search for the address,
a link only: no map is embedded). An event without an address has no such link."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from seminars.emails import organiser_message
from seminars.links import manage_path
from seminars.links import page_path as url
from seminars.models import Registration
from tests.seminars.conftest import form_data, make_seminar

pytestmark = pytest.mark.django_db

ADDRESS = "12 rue de la Paix\r\n93140 Bondy\n"


def map_links(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [a["href"] for a in soup.find_all("a") if "carte" in " ".join(a.get_text(" ").split())]


def searched(href: str) -> str:
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.openstreetmap.org", "/search")
    (query,) = parse_qs(parts.query)["query"]
    return query


def test_the_event_page_the_personal_page_and_the_emails_link_to_the_address_on_a_map(
    portal, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_seminar("Journée des élus", venue_address=ADDRESS)
    (on_page,) = map_links(portal.get(url(event)).content.decode())
    assert searched(on_page) == "12 rue de la Paix, 93140 Bondy"

    with django_capture_on_commit_callbacks(execute=True):
        response = portal.post(url(event), form_data(commune="Bondy"))
    assert response.status_code == 302
    registration = Registration.objects.get(seminar=event)
    (on_personal_page,) = map_links(portal.get(manage_path(registration)).content.decode())
    assert on_personal_page == on_page

    (confirmation,) = mailoutbox
    (html,) = [a.content for a in confirmation.alternatives if a.mimetype == "text/html"]
    assert map_links(html) == [on_page]
    assert f"Sur une carte : {on_page}" in confirmation.body.splitlines()
    sent = organiser_message(registration, "Parking", "Le parking est fermé.", to=["a@b.fr"])
    (html,) = [a.content for a in sent.alternatives if a.mimetype == "text/html"]
    assert map_links(html) == [on_page]
    assert f"Sur une carte : {on_page}" in sent.body.splitlines()


def test_an_event_without_an_address_has_no_map_link(portal):
    event = make_seminar("Visioconférence des élus")  # a venue name only
    assert event.map_url == ""
    assert map_links(portal.get(url(event)).content.decode()) == []


def test_the_address_is_read_as_typed_not_as_markup(portal):
    event = make_seminar("Journée", venue_address="Mairie & annexe <b>\n93140 Bondy")
    (on_page,) = map_links(portal.get(url(event)).content.decode())
    assert searched(on_page) == "Mairie & annexe <b>, 93140 Bondy"
