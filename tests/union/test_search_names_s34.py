"""Session 34: commune names typed as people type them (no accents, « St », spaces for hyphens,
an INSEE code) in the public member directory, the experiences' commune filter and the ABS
portrait search; and the communes a page lists preferred to the homonyms or former names the
official list also knows (« Épinay » is a former commune, now in Mesnil-en-Ouche (27))."""

import re

import pytest

from knowledge_base.services import ensure_index_pages
from tenants.models import PublicMemberProfile
from tests.abs_shared.conftest import pool_member, pool_value
from tests.conftest import make_member
from tests.knowledge_base.conftest import make_experience

pytestmark = pytest.mark.django_db

EPINAY, SAINT_DENIS, SAINT_OUEN = "93031", "93066", "93070"
NOISY_LE_GRAND, BLANC_MESNIL, PRE_SAINT_GERVAIS = "93051", "93007", "93061"


# --- 1. the public member directory --------------------------------------------------------


def directory_codes(portal, query: str) -> set[str]:
    """The INSEE codes of the communes the directory lists for `query`."""
    page = portal.get("/membres/", {"q": query}).content.decode()
    return set(re.findall(r'<span class="help">\((\d[0-9AB]\d{3})[,)]', page))


def test_the_directory_finds_a_member_however_its_commune_is_typed(portal, two_members):
    for code in (EPINAY, SAINT_DENIS, SAINT_OUEN, NOISY_LE_GRAND, BLANC_MESNIL, PRE_SAINT_GERVAIS):
        make_member(code)
    expected = {
        "epinay": {EPINAY},
        "Epinay-sur-Seine": {EPINAY},
        "saint denis": {SAINT_DENIS},
        "st denis": {SAINT_DENIS},
        "St-Denis": {SAINT_DENIS},
        "Noisy le grand": {NOISY_LE_GRAND},
        "Blanc Mesnil": {BLANC_MESNIL},
        "saint ouen": {SAINT_OUEN},
        "Pré Saint Gervais": {PRE_SAINT_GERVAIS},
        "pre-st-gervais": {PRE_SAINT_GERVAIS},
        "93010": {"93010"},  # Bondy's INSEE code
        "Saint-Denis": {SAINT_DENIS},  # as typed before, still found
    }
    found = {query: directory_codes(portal, query) for query in expected}
    assert found == expected


def test_the_directory_still_finds_a_published_name(portal, two_members):
    bondy, montreuil = two_members
    PublicMemberProfile.objects.create(
        member=bondy,
        name="Centre communal d'action sociale de Bondy",
        published_at="2026-01-05T00:00+01:00",
    )
    assert directory_codes(portal, "centre communal d'action") == {"93010"}
    assert directory_codes(portal, "CENTRE-COMMUNAL") == {"93010"}
    assert directory_codes(portal, "montreuil") == {"93048"}


# --- 2. the experiences' commune filter ----------------------------------------------------


def experience_titles(portal, commune: str) -> set[str]:
    html = portal.get("/experiences/", {"commune": commune}).content.decode()
    assert 'id="id_commune_error"' not in html, commune
    return set(re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html))


@pytest.fixture
def places(bondy):
    _guides, index = ensure_index_pages()
    make_experience(index, make_member(EPINAY), "Une épicerie solidaire à Épinay")
    make_experience(index, make_member(SAINT_OUEN), "Un jardin partagé à Saint-Ouen")
    make_experience(index, bondy, "Un frigo solidaire à Bondy")
    return index


def test_the_commune_filter_prefers_communes_with_experiences(portal, places):
    # « Épinay » is also a former commune, now in Mesnil-en-Ouche (27): not the one meant here.
    for typed in ("epinay", "Epinay", "Épinay"):
        assert experience_titles(portal, typed) == {"Une épicerie solidaire à Épinay"}
    # Saint-Ouen (41) and (80) carry the name; Saint-Ouen-sur-Seine has the experience.
    for typed in ("saint ouen", "St-Ouen"):
        assert experience_titles(portal, typed) == {"Un jardin partagé à Saint-Ouen"}


def test_the_commune_filter_still_asks_when_nothing_listed_is_meant(portal, places):
    html = portal.get("/experiences/", {"commune": "Saint-Denis"}).content.decode()
    error = re.search(r'id="id_commune_error">(.*?)</ul>', html, re.S).group(1)
    assert "Plusieurs communes s&#x27;appellent «\u00a0Saint-Denis\u00a0»" in error
    # Mesnil-en-Ouche typed by its own name is what was asked for: no experience there.
    assert experience_titles(portal, "Mesnil-en-Ouche") == set()


# --- 3. the ABS portrait search -------------------------------------------------------------


def test_a_homonym_that_alone_published_opens_its_portrait(portal, db):
    for code in (SAINT_DENIS, "93048", "93010"):
        pool_value(pool_member(code), "TP60", 2021, 30)
    assert portal.get("/indicateurs/communes/?q=Saint-Denis").url == (
        f"/indicateurs/communes/{SAINT_DENIS}/"
    )
    assert portal.get("/indicateurs/communes/?q=st denis").url == (
        f"/indicateurs/communes/{SAINT_DENIS}/"
    )
    assert portal.get("/indicateurs/communes/?q=Montreuil").url == "/indicateurs/communes/93048/"
    assert portal.get("/indicateurs/communes/?q=Bondy").url == "/indicateurs/communes/93010/"


def test_homonyms_that_both_published_are_offered_first(portal, db):
    for code in (SAINT_DENIS, "97411"):
        pool_value(pool_member(code), "TP60", 2021, 30)
    response = portal.get("/indicateurs/communes/", {"q": "Saint-Denis"})
    assert response.status_code == 200
    offered = re.findall(
        r'<li><a href="/indicateurs/communes/(\w+)/">', response.content.decode().split("<table")[0]
    )
    assert set(offered[:2]) == {SAINT_DENIS, "97411"}


def test_epinay_offers_epinay_sur_seine(portal, db):
    pool_value(pool_member(EPINAY), "TP60", 2021, 31)
    response = portal.get("/indicateurs/communes/", {"q": "Epinay"})
    assert response.status_code == 200
    status = response.content.decode().split('<div role="status">')[1].split("</div>")[0]
    offered = re.findall(r'<li><a href="/indicateurs/communes/(\w+)/">', status)
    assert offered[0] == EPINAY
