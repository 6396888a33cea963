"""Two ways a search for the right thing found nothing.

- A sigle typed, its expansion written: the glossary box above the results said « RSA : revenu
  de solidarité active », and below it « Aucun résultat », though a guide spoke of the « revenu
  de solidarité active » all along. A sigle of the glossary now also finds its expansion.
- One letter missed (« domiciliaton »): « Aucun résultat » and nothing more. The page now offers
  the closest words the pages use, « Vouliez-vous dire « domiciliation » ? », only when that
  finds something, and never from a page the visitor could not open."""

import re

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from knowledge_base.models.snippets import GlossaryTerm
from tests.knowledge_base.conftest import make_guide

pytestmark = pytest.mark.django_db


def titles(html: str) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html)


def suggestion(html: str) -> tuple[str, str] | None:
    """(text, link) of « Vouliez-vous dire … ? », or None."""
    found = BeautifulSoup(html, "html.parser").select_one(".kb-suggestion")
    if found is None:
        return None
    return " ".join(found.get_text(" ").split()), found.a["href"]


@pytest.fixture
def guides(kb_tree):
    index, _ = kb_tree
    make_guide(
        index,
        "Accompagner les allocataires",
        summary="Le revenu de solidarité active et la prime d'activité : qui fait quoi.",
    )
    make_guide(index, "Mettre en place la domiciliation", summary="Élire domicile au CCAS.")
    make_guide(index, "Ouvrir une épicerie solidaire", summary="Une aide alimentaire digne.")
    GlossaryTerm.objects.create(
        acronym="RSA", expansion="revenu de solidarité active", kind="sigle"
    )
    return index


@pytest.mark.parametrize("typed", ["RSA", "rsa", "R.S.A.", "le RSA"])
def test_a_sigle_finds_the_guide_that_writes_it_out(guides, portal, typed):
    html = portal.get("/recherche/", {"q": typed}).content.decode()
    assert titles(html) == ["Accompagner les allocataires"]
    # The snippet marks the words of the expansion, as it marks the words typed.
    snippet = BeautifulSoup(html, "html.parser").select_one(".kb-snippet")
    assert [mark.get_text() for mark in snippet.find_all("mark")][:2] == ["revenu", "solidarité"]


def test_a_sigle_finds_its_expansion_in_the_guides_filter_too(guides, portal):
    html = portal.get("/guides/", {"q": "RSA"}).content.decode()
    assert "Accompagner les allocataires" in html
    assert "Ouvrir une épicerie solidaire" not in html


def test_a_word_that_is_no_sigle_finds_only_itself(guides, portal):
    html = portal.get("/recherche/", {"q": "allocataires"}).content.decode()
    assert titles(html) == ["Accompagner les allocataires"]
    html = portal.get("/recherche/", {"q": "prime"}).content.decode()
    assert titles(html) == ["Accompagner les allocataires"]


def test_a_missed_letter_gets_the_closest_words_of_the_pages(guides, portal):
    html = portal.get("/recherche/", {"q": "domiciliaton"}).content.decode()
    assert titles(html) == []
    text, link = suggestion(html)
    assert text == "Vouliez-vous dire « domiciliation » ?"
    followed = portal.get(link).content.decode()
    assert titles(followed) == ["Mettre en place la domiciliation"]

    text, link = suggestion(portal.get("/recherche/", {"q": "epicrie solidare"}).content.decode())
    assert text == "Vouliez-vous dire « épicerie solidaire » ?"
    assert titles(portal.get(link).content.decode()) == ["Ouvrir une épicerie solidaire"]


def test_nothing_is_offered_when_nothing_is_close_or_when_results_exist(guides, portal):
    assert suggestion(portal.get("/recherche/", {"q": "xylophone"}).content.decode()) is None
    assert suggestion(portal.get("/recherche/", {"q": "domiciliation"}).content.decode()) is None


def test_a_word_only_the_glossary_uses_is_not_offered_as_it_would_find_nothing(guides, portal):
    GlossaryTerm.objects.create(acronym="URSSAF", expansion="recouvrement des cotisations")
    html = portal.get("/recherche/", {"q": "recouvremant"}).content.decode()
    assert titles(html) == [] and suggestion(html) is None


def test_a_restricted_pages_words_are_never_offered(guides, portal):
    hidden = make_guide(guides, "Télétravail des agents", summary="Réservé à l'équipe.")
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    html = portal.get("/recherche/", {"q": "teletravial"}).content.decode()
    assert titles(html) == [] and suggestion(html) is None
    assert "télétravail" not in html.lower()
