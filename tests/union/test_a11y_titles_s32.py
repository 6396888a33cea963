"""Accessibility audit, session 32 (WCAG 2.4.2, page titled): a page's <title> says what tells it
apart from its neighbours — the month of the calendar's month view, the page of a paginated list,
the year of an ABS comparison; and the API documentation (/api/docs/, Redoc) has a <main> landmark
and a way back to the portal."""

import html
import re

import pytest
from django.core.paginator import Paginator

from knowledge_base.services import ensure_index_pages
from tests.abs_shared.conftest import pool_member, pool_value
from tests.conftest import member_client, plain
from tests.knowledge_base.conftest import make_experience, make_guide
from tests.seminars.conftest import make_index, make_seminar

pytestmark = pytest.mark.django_db


def title(response) -> str:
    assert response.status_code == 200, response.status_code
    found = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    return plain(html.unescape(found[1]))


@pytest.fixture
def kb_tree(db):
    """(guide index, experience index), as tests/knowledge_base/conftest.py's fixture."""
    return ensure_index_pages()


def site_suffix(settings) -> str:
    return f" – {settings.PLATFORM_NAME}"


def test_the_month_view_names_its_month_in_the_title(portal, settings):
    make_index()
    make_seminar("Commission logement", days_ahead=10)
    month = title(portal.get("/evenements/", {"vue": "mois", "mois": "2027-01"}))
    assert month == "Événements de janvier 2027 – Séminaires et ateliers" + site_suffix(settings)
    assert title(portal.get("/evenements/", {"mois": "2026-12"})).startswith(
        "Événements de décembre 2026 – Séminaires et ateliers – "
    )
    # The list keeps its title.
    assert title(portal.get("/evenements/")) == "Séminaires et ateliers" + site_suffix(settings)


def test_search_results_say_their_page(kb_tree, portal, settings, monkeypatch):
    monkeypatch.setattr("knowledge_base.views.SEARCH_PAGE_SIZE", 1)
    guides, _ = kb_tree
    for name in ("Le CCAS et l'épicerie", "Le CCAS et la domiciliation"):
        make_guide(guides, name, summary="Le rôle du CCAS.")
    assert title(portal.get("/recherche/", {"q": "ccas"})) == "Recherche : ccas" + site_suffix(
        settings
    )
    second = portal.get("/recherche/", {"q": "ccas", "page": "2"})
    pages = re.search(r"Page 2 sur (\d+)</li>", second.content.decode())[1]  # the pagination's
    assert int(pages) >= 2
    assert title(second) == f"Recherche : ccas, page 2 sur {pages}" + site_suffix(settings)


def test_guides_and_experiences_say_their_page(kb_tree, bondy, portal, settings):
    settings.KB_LISTING_PAGE_SIZE = 1
    guides, experiences = kb_tree
    make_guide(guides, "Ouvrir une épicerie solidaire")
    make_guide(guides, "Trouver un logement d'urgence")
    make_experience(experiences, bondy, "Un frigo solidaire à Bondy")
    make_experience(experiences, bondy, "Une permanence à la gare")
    for index, path in ((guides, "/guides/"), (experiences, "/experiences/")):
        assert title(portal.get(path)) == index.title + site_suffix(settings)
        assert title(portal.get(path, {"page": "2"})) == (
            f"{index.title}, page 2 sur 2" + site_suffix(settings)
        )
    # A filter to correct keeps « Erreur – » in front.
    wrong = title(portal.get("/guides/", {"sort": "zzz", "page": "1"}))
    assert wrong.startswith("Erreur – " + guides.title)


def test_the_directory_says_its_page(portal, settings, monkeypatch):
    monkeypatch.setattr("tenants.views.Paginator", lambda items, _size: Paginator(items, 2))
    for insee in ("93010", "93048", "93066"):
        pool_member(insee)
    assert title(portal.get("/membres/")) == "Annuaire des membres" + site_suffix(settings)
    assert title(portal.get("/membres/", {"page": "2"})) == (
        "Annuaire des membres, page 2 sur 2" + site_suffix(settings)
    )


def test_an_abs_comparison_names_its_year_in_the_title(portal, settings):
    member = pool_member("93010")
    pool_value(member, "TP60", 2020, 27)
    pool_value(member, "TP60", 2021, 25)
    page = portal.get("/indicateurs/communes/93010/TP60/", {"annee": "2020"})
    h1 = plain(html.unescape(re.search(r"<h1>(.*?)</h1>", page.content.decode(), re.S)[1]))
    assert "2020" in h1
    assert title(page) == h1 + site_suffix(settings)
    assert "2021" in title(portal.get("/indicateurs/communes/93010/TP60/", {"annee": "2021"}))


def test_the_api_docs_have_a_main_landmark_and_a_way_back(portal, bondy, settings):
    page = portal.get("/api/docs/").content.decode()
    assert re.search(r"<main\b[^>]*>\s*<redoc\b", page)
    assert re.search(r"</redoc>\s*</main>", page)
    assert '<a class="skip-link" href="#contenu">' in page and 'id="contenu"' in page
    assert re.search(r'<a href="/">[^<]*' + re.escape(settings.PLATFORM_NAME), page)
    assert re.search(r"<h1[^>]*>Documentation de l'API</h1>", html.unescape(page))
    # On a member's host, the link goes back to the portal, not to the member's space.
    # The accessibility statement says what remains: Redoc's English labels and heading levels.
    statement = plain(html.unescape(portal.get("/accessibilite/").content.decode()))
    assert "elle utilise Redoc, un composant tiers" in statement
    on_member_host = member_client(bondy).get("/api/docs/")
    assert re.search(
        r'<a href="http://' + re.escape(settings.PLATFORM_DOMAIN) + r'(:\d+)?/">',
        on_member_host.content.decode(),
    )
