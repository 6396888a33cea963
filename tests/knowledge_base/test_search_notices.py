"""The site search says when it widened a search to any word, and when it stopped at 200
results, inside the live region that announces the count."""

import re

import pytest

from tests.knowledge_base.conftest import make_guide

pytestmark = pytest.mark.django_db

ANY_WORD = (
    "Aucun résultat ne contient tous les mots ; voici les pages qui en contiennent au moins un."
)
TOO_MANY = "Plus de 200 résultats : précisez votre recherche."


def live_region(html: str) -> str:
    return re.search(r'<div class="kb-results-status" aria-live="polite">(.*?)</div>', html, re.S)[
        1
    ]


def results_heading(html: str) -> str:
    return re.search(r'<h2 id="kb-results"[^>]*>([^<]*)</h2>', html)[1]


def titles(html: str) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html)


def test_the_fallback_to_any_word_is_said(kb_tree, portal):
    guides, _ = kb_tree
    make_guide(guides, "Ouvrir une épicerie", summary="Une épicerie solidaire au CCAS.")
    make_guide(guides, "La domiciliation", summary="Élire domicile au CCAS.")

    html = portal.get("/recherche/", {"q": "épicerie domiciliation"}).content.decode()
    assert sorted(titles(html)) == ["La domiciliation", "Ouvrir une épicerie"]
    assert ANY_WORD in live_region(html) and TOO_MANY not in html

    # Every word found on one page: no fallback, nothing to say.
    html = portal.get("/recherche/", {"q": "épicerie solidaire"}).content.decode()
    assert titles(html) == ["Ouvrir une épicerie"] and ANY_WORD not in html
    # Nothing at all: « Aucun résultat », no fallback notice either.
    html = portal.get("/recherche/", {"q": "xylophone zanzibar"}).content.decode()
    assert results_heading(html).startswith("Aucun résultat") and ANY_WORD not in html


def test_more_than_200_results_are_said(kb_tree, portal):
    guides, _ = kb_tree
    for number in range(201):
        make_guide(guides, f"Fiche logement {number}", summary="Le logement d'urgence.")

    html = portal.get("/recherche/", {"q": "logement"}).content.decode()
    assert TOO_MANY in live_region(html)
    assert results_heading(html) == "Plus de 200 résultats pour « logement »"
    assert len(titles(html)) == 10  # still paginated
    last = portal.get("/recherche/", {"q": "logement", "page": 20}).content.decode()
    assert len(titles(last)) == 10

    # Exactly 200: counted, nothing to say.
    guides.get_children().last().specific.unpublish()
    html = portal.get("/recherche/", {"q": "logement"}).content.decode()
    assert results_heading(html) == "200 résultats pour « logement »" and TOO_MANY not in html
