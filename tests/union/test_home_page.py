"""The portal's home page: what is coming up and what is new, public content only."""

import pytest
from bs4 import BeautifulSoup

from knowledge_base.services import ensure_index_pages
from seminars.models import Visibility
from tests.conftest import host_client
from tests.knowledge_base.conftest import make_guide
from tests.seminars.conftest import make_seminar
from union.services import index_home_page

pytestmark = pytest.mark.django_db


def test_home_lists_upcoming_listed_events_and_latest_guides():
    make_seminar("Atelier début de mandat à Bondy", days_ahead=10)
    make_seminar("Séminaire de l'an passé", days_ahead=-300)
    make_seminar("Commission réservée", days_ahead=12, visibility=Visibility.MEMBERS)
    make_seminar("Réunion sur invitation", days_ahead=14, visibility=Visibility.INVITATION)
    guides, _experiences = ensure_index_pages()
    make_guide(guides, "Conduire une analyse des besoins sociaux")
    make_guide(guides, "Guide en préparation", live=False)

    html = host_client("localhost").get("/").content.decode()

    assert "Atelier début de mandat à Bondy" in html
    # Members-only events are listed, as the calendar lists them, and marked (review 15).
    assert "Commission réservée" in html and "Réservé aux communes membres" in html
    for hidden in ("Séminaire de l'an passé", "Réunion sur invitation"):
        assert hidden not in html
    assert "Conduire une analyse des besoins sociaux" in html
    assert "Guide en préparation" not in html


def test_home_without_events_says_so():
    html = host_client("localhost").get("/").content.decode()
    assert "Aucun événement public n'est annoncé pour le moment." in html


def test_home_page_text_is_found_by_the_search_once_indexed():
    portal = host_client("localhost")
    assert "Union départementale des CCAS" not in search_results(portal, "mutualise")
    index_home_page()  # what setup_platform does at every deployment
    assert "Union départementale des CCAS" in search_results(portal, "mutualise")


def search_results(portal, query: str) -> str:
    html = portal.get("/recherche/", {"q": query}).content.decode()
    return html.split("<main", 1)[-1]


def test_a_section_card_without_search_description_shows_its_introduction():
    """The events' index page created by editors has an introduction, no search description."""
    from tests.seminars.conftest import make_index

    index = make_index()
    index.intro = "<p>Les <b>rencontres</b> de l'union : inscrivez-vous en ligne.</p>"
    index.search_description = ""
    index.save()
    page = BeautifulSoup(host_client("localhost").get("/").content, "html.parser")
    cards = {
        card.h3.get_text(strip=True): card.p.get_text() if card.p else ""
        for card in page.select("section[aria-labelledby=rubriques] .card")
    }
    assert cards["Séminaires et ateliers"] == "Les rencontres de l'union : inscrivez-vous en ligne."
