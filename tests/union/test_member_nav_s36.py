"""Session 36 (audit A20 #1): the member space's menu leads to the union's portal, its guides,
experiences, events and search (another host), not only its footer's glossary."""

from io import StringIO
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from tests.conftest import make_person, member_client

pytestmark = pytest.mark.django_db


def test_the_member_menu_leads_to_the_portals_guides_experiences_and_search(bondy, portal):
    call_command("setup_platform", stdout=StringIO(), stderr=StringIO())  # the portal's sections
    director = make_person(bondy, "direction@bondy.test")
    page = member_client(bondy, director).get("/")
    assert page.status_code == 200
    nav = BeautifulSoup(page.content, "html.parser").find(
        "nav", attrs={"aria-label": "Navigation principale"}
    )
    links = {a.get_text(strip=True): a["href"] for a in nav.select(".nav-portal a")}
    assert set(links) == {
        "Guides pratiques",
        "Expériences des CCAS",
        "Séminaires et ateliers",
        "Rechercher",
    }
    # The portal's host, not the member's own « /experiences/ » (its own experiences).
    for href in links.values():
        address = urlsplit(href)
        assert address.hostname == "localhost", href
        assert portal.get(address.path).status_code == 200, href
