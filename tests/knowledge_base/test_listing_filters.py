"""Filters of the listings: communes named unambiguously, bad values reported next to their
filter, the sort shown as applied, and place choices limited to what the visitor can see."""

import re

import pytest
from wagtail.models import PageViewRestriction

from tenants.models import Commune
from tests.conftest import host_client, make_member, make_person
from tests.knowledge_base.conftest import make_experience, make_guide

pytestmark = pytest.mark.django_db


@pytest.fixture
def experiences(kb_tree, two_members):
    guides, index = kb_tree
    bondy, montreuil = two_members
    make_guide(guides, "Trouver un logement d'urgence", summary="Le logement d'urgence.")
    make_experience(index, bondy, "Un frigo solidaire à Bondy", themes=["sante"])
    make_experience(index, montreuil, "Des logements passerelles à Montreuil")
    return index


def titles(html: str) -> set[str]:
    return set(re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html))


def errors_of(html: str, field: str) -> str:
    """Text of the error list rendered next to filter `field` ("" when none)."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


def selected_option(html: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="([^"]*)" selected>', select).group(1)


def datalist(html: str) -> list[str]:
    block = re.search(r'<datalist id="kb-communes">(.*?)</datalist>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]+)">', block)


def test_commune_suggestions_carry_their_departement_and_are_accepted(experiences, portal):
    assert Commune.objects.filter(nom="Montreuil").count() > 1  # the name alone is ambiguous
    suggestions = datalist(portal.get("/experiences/").content.decode())
    assert "Montreuil (93)" in suggestions and "Bondy (93)" in suggestions
    for value in ("Montreuil (93)", "93048", "montreuil (93)"):
        html = portal.get("/experiences/", {"commune": value}).content.decode()
        assert not errors_of(html, "commune"), value
        assert titles(html) == {"Des logements passerelles à Montreuil"}, value
    # A name held by one commune only needs no département.
    html = portal.get("/experiences/", {"commune": "Bondy"}).content.decode()
    assert titles(html) == {"Un frigo solidaire à Bondy"}


def test_ambiguous_commune_lists_the_choices_and_keeps_what_was_typed(experiences, portal):
    # No Saint-Denis has experiences: the name stays ambiguous. (« Montreuil » is not: only
    # the one of the 93 has experiences, it is picked; see test_review_session14.)
    response = portal.get("/experiences/", {"commune": "Saint-Denis"})
    html = response.content.decode()
    error = errors_of(html, "commune")
    assert "Plusieurs communes s&#x27;appellent « Saint-Denis »" in error
    for commune in Commune.objects.filter(nom="Saint-Denis"):
        assert str(commune) in error  # « Saint-Denis (974) », « Saint-Denis (93) »…
    assert 'value="Saint-Denis"' in html  # kept as typed
    assert "<title>Erreur – " in html
    assert titles(portal.get("/experiences/", {"commune": "Montreuil"}).content.decode()) == {
        "Des logements passerelles à Montreuil"
    }
    wrong_departement = portal.get("/experiences/", {"commune": "Bondy (75)"}).content.decode()
    assert "Bondy (93)" in errors_of(wrong_departement, "commune")
    assert not titles(wrong_departement)
    # « (93) » is the département, not the région of the same code (PACA) and its Villeneuve.
    homonyms = errors_of(
        portal.get("/experiences/", {"commune": "Villeneuve (93)"}).content.decode(), "commune"
    )
    assert "Plusieurs communes s&#x27;appellent « Villeneuve »" in homonyms


def test_unknown_filter_values_are_reported_next_to_their_filter(experiences, portal):
    html = portal.get("/guides/?theme=inconnu&audience=elus&sort=pertinence").content.decode()
    assert "Thème inconnu : « inconnu »" in errors_of(html, "theme")
    assert selected_option(html, "audience") == "elus"  # the other filters are kept
    assert "un filtre est à corriger" in html and not titles(html)
    html = portal.get("/guides/?audience=robots").content.decode()
    assert "Public inconnu : « robots »" in errors_of(html, "audience")
    assert 'aria-invalid="true" aria-describedby="id_audience_error"' in html
    html = portal.get("/experiences/?sort=hasard&departement=93").content.decode()
    assert "Tri inconnu : « hasard »" in errors_of(html, "sort")
    assert selected_option(html, "departement") == "93"
    html = portal.get("/experiences/?departement=2A").content.decode()
    assert "« 2A »" in errors_of(html, "departement")


def test_feed_of_an_unknown_theme_is_not_found(experiences, portal):
    assert portal.get("/flux/atom/?theme=inconnu").status_code == 404
    assert portal.get("/flux/rss/?theme=inconnu").status_code == 404
    assert portal.get("/flux/atom/?theme=").status_code == 200
    assert portal.get("/flux/atom/?theme=sante").status_code == 200


def test_sort_select_shows_the_sort_applied(experiences, portal):
    searched = portal.get("/guides/?q=logement").content.decode()
    assert selected_option(searched, "sort") == "pertinence"
    assert selected_option(portal.get("/guides/").content.decode(), "sort") == "date"
    dated = portal.get("/guides/?q=logement&sort=date").content.decode()
    assert selected_option(dated, "sort") == "date"
    # Without words or themes there is nothing to rank by: the list is by date, and says so.
    unranked = portal.get("/guides/?sort=pertinence").content.decode()
    assert selected_option(unranked, "sort") == "date"


def test_place_choices_only_show_experiences_the_visitor_can_see(experiences, portal):
    vincennes, argenteuil = make_member("94080"), make_member("95018")
    private = make_experience(experiences, vincennes, "Une expérience réservée")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    make_experience(experiences, argenteuil, "Une expérience en brouillon", live=False)

    html = portal.get("/experiences/").content.decode()
    assert 'value="94"' not in html and 'value="95"' not in html
    assert set(datalist(html)) == {"Bondy (93)", "Montreuil (93)"}
    assert "« 94 »" in errors_of(
        portal.get("/experiences/?departement=94").content.decode(), "departement"
    )

    member = host_client("localhost", make_person(vincennes, "direction@vincennes.test"))
    html = member.get("/experiences/").content.decode()
    assert "Vincennes (94)" in datalist(html) and 'value="94"' in html
    assert "Argenteuil (95)" not in datalist(html) and 'value="95"' not in html
    assert titles(member.get("/experiences/?departement=94").content.decode()) == {
        "Une expérience réservée"
    }
