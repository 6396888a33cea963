"""A new union's empty sections (audit A22 #2): /guides/ and /experiences/ with nothing
published said « Essayez avec moins de filtres » to a visitor who had set none. Real HTTP."""

import pytest
from bs4 import BeautifulSoup

from tests.knowledge_base.conftest import make_guide

pytestmark = pytest.mark.django_db


def results_section(portal, path: str, **params) -> str:
    response = portal.get(path, params)
    assert response.status_code == 200
    section = BeautifulSoup(response.content.decode(), "html.parser").find(
        "section", attrs={"aria-labelledby": "kb-results"}
    )
    return " ".join(section.get_text(" ").split())


def test_an_empty_section_says_nothing_is_published_yet(kb_tree, portal):
    for path in ("/guides/", "/experiences/"):
        text = results_section(portal, path)
        assert text.startswith("Rien n'est encore publié ici")
        assert "Les premières publications de l'union paraîtront ici" in text
        assert "filtres" not in text


def test_a_search_that_finds_nothing_still_speaks_of_the_filters(kb_tree, portal):
    guides, _ = kb_tree
    make_guide(guides, "Conduire une ABS")
    text = results_section(portal, "/guides/", q="domiciliation")
    assert text.startswith("Aucun résultat")
    assert "Essayez avec moins de filtres" in text
    # Unfiltered, the published guide is listed.
    assert "1 résultat" in results_section(portal, "/guides/")
