"""« CAF » typed in capitals no longer finds « café » (left in session 34's notes, A14 #7).

The French search configuration unaccents before stemming: « café » and « CAF » are one lexeme
in the index. A word typed in capitals is read as a sigle: a page found only through a word the
index confuses with it is dropped, and the snippets no longer mark « café ». Real PostgreSQL
(the search index), real HTTP through the test client."""

import pytest
from bs4 import BeautifulSoup

from knowledge_base.models.snippets import GlossaryTerm
from tests.knowledge_base.conftest import make_guide

pytestmark = pytest.mark.django_db


@pytest.fixture
def cafes(kb_tree):
    guides, _ = kb_tree
    make_guide(guides, "Un café des aidants", summary="Un café chaque mois pour les aidants.")
    make_guide(guides, "Une permanence", summary="Un conseiller de la CAF reçoit au CCAS.")
    make_guide(
        guides,
        "Les prestations familiales",
        summary="La Caisse d\u2019allocations familiales verse les prestations.",
    )
    make_guide(
        guides,
        "Un café numérique",
        summary="Autour d'un café : le compte CAF, le compte ameli, les impôts.",
    )
    GlossaryTerm.objects.create(
        acronym="CAF", expansion="caisse d'allocations familiales", kind="sigle"
    )
    return guides


def search(portal, words: str) -> BeautifulSoup:
    response = portal.get("/recherche/", {"q": words})
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def titles(soup) -> set[str]:
    return {link.get_text(strip=True) for link in soup.select(".kb-search-results h3 a")}


def marked(soup) -> list[str]:
    return [mark.get_text() for mark in soup.select(".kb-search-results mark")]


def test_a_sigle_in_capitals_finds_the_sigle_and_its_expansion_never_a_cafe(cafes, portal):
    soup = search(portal, "CAF")
    assert titles(soup) == {
        "Une permanence",
        "Les prestations familiales",  # the glossary's expansion, written in full
        "Un café numérique",  # names the CAF too
    }
    assert "café" not in [word.lower() for word in marked(soup)]
    assert "CAF" in marked(soup)
    # « Aucun résultat » nowhere: the any-word fallback is read the same way.
    assert "Un café des aidants" not in soup.get_text()


def test_the_sigle_after_an_article_is_read_the_same(cafes, portal):
    assert titles(search(portal, "la CAF")) == titles(search(portal, "CAF"))


def test_a_word_typed_in_lower_case_still_finds_every_form(cafes, portal):
    # « café » is a word, not a sigle: the café pages come first, as before.
    assert {"Un café des aidants", "Un café numérique"} <= titles(search(portal, "café"))
    assert "Un café des aidants" in titles(search(portal, "caf"))


def test_asking_for_both_keeps_both(cafes, portal):
    soup = search(portal, "CAF café")
    assert "Un café numérique" in titles(soup)
    assert "café" in [word.lower() for word in marked(soup)]


@pytest.mark.parametrize(
    ("typed", "lower"), [("EPICERIE", "epicerie"), ("SOCIALE", "sociale"), ("CAFE", "cafe")]
)
def test_a_plain_word_in_capitals_finds_what_it_finds_in_lower_case(kb_tree, portal, typed, lower):
    """Audit A24 #2: a word in capitals that is no glossary sigle is a word typed without its
    accents, « EPICERIE » for « épicerie »."""
    guides, _ = kb_tree
    make_guide(guides, "Ouvrir une épicerie solidaire", summary="Une épicerie sociale.")
    make_guide(guides, "Un café des aidants", summary="Un café chaque mois.")
    found = titles(search(portal, lower))
    assert found and titles(search(portal, typed)) == found
