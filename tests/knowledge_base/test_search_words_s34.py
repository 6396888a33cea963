"""The search reads the words as a French visitor types them (audit s34, findings 3, 4, 6, 7).

- « l'ABS », « d'ABS », « l’ABS »: the elided article hid the sigle, its glossary definition,
  its expansion and the « Accès direct » to the ABS indicators.
- The « Accès direct » to the indicators answered three exact strings only; a query that is an
  indicator's code or label (« RSA », « taux de pauvreté ») now leads to its page.
- /guides/?q=<over 200 characters> said « Corrigez le filtre signalé ci-dessus » and showed no
  error beside « Mots-clés ».
- « CAF » typed in capitals found « café » (the French config unaccents before stemming).
Real PostgreSQL, real HTTP through the test client."""

import re

import pytest
from bs4 import BeautifulSoup

from knowledge_base.models.snippets import GlossaryTerm
from knowledge_base.search import ensure_abs_promotions
from tests.knowledge_base.conftest import make_guide

pytestmark = pytest.mark.django_db

ABS = ("Indicateurs de l'analyse des besoins sociaux (ABS)", "http://localhost/indicateurs/")


def search(portal, words: str) -> BeautifulSoup:
    response = portal.get("/recherche/", {"q": words})
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def titles(soup) -> list[str]:
    return [link.get_text(strip=True) for link in soup.select(".kb-search-results h3 a")]


def direct_access(soup) -> list[tuple[str, str]]:
    section = soup.find("section", attrs={"aria-labelledby": "kb-promoted"})
    if section is None:
        return []
    return [(link.get_text(strip=True), link["href"]) for link in section.find_all("a")]


def glossary_box(soup) -> str:
    box = soup.select_one(".kb-glossary-hit")
    return " ".join(box.get_text(" ").split()) if box else ""


@pytest.fixture
def abs_site(kb_tree):
    guides, _ = kb_tree
    make_guide(guides, "Conduire une ABS", summary="Lancer l'ABS avec les partenaires.")
    make_guide(
        guides,
        "Atelier début de mandat",
        summary="Le CCAS, mode d'emploi : l'analyse des besoins sociaux en début de mandat.",
    )
    for acronym, expansion in (
        ("ABS", "analyse des besoins sociaux"),
        ("UDAF", "union départementale des associations familiales"),
        ("EPCI", "établissement public de coopération intercommunale"),
    ):
        GlossaryTerm.objects.create(acronym=acronym, expansion=expansion, kind="sigle")
    ensure_abs_promotions("http://localhost")
    return guides


@pytest.mark.parametrize("typed", ["l'ABS", "d'ABS", "l\u2019ABS", "L'abs", "qu'ABS"])
def test_an_elided_sigle_is_the_sigle(abs_site, portal, typed):
    bare = search(portal, "ABS")
    soup = search(portal, typed)
    assert (
        sorted(titles(soup))
        == sorted(titles(bare))
        == [
            "Atelier début de mandat",
            "Conduire une ABS",
        ]
    )
    assert glossary_box(soup) == glossary_box(bare)
    assert "ABS : analyse des besoins sociaux" in glossary_box(soup)
    assert direct_access(soup) == [ABS]


@pytest.mark.parametrize("typed", ["l'UDAF", "l\u2019EPCI", "d'UDAF"])
def test_an_elided_sigle_gets_its_glossary_definition(abs_site, portal, typed):
    sigle = typed[2:]
    assert glossary_box(search(portal, typed)).startswith(f"{sigle} :")


def test_a_word_with_an_apostrophe_inside_stays_whole():
    from knowledge_base.query import query_words

    assert query_words("aujourd'hui l'ABS d\u2019accueil presqu'île") == [
        "aujourd'hui",
        "ABS",
        "accueil",
        "presqu'île",
    ]


@pytest.mark.parametrize(
    "typed",
    [
        "indicateur",
        "les indicateurs",
        "Indicateurs ABS",
        "l'analyse des besoins sociaux",
        "analyse besoins sociaux",
        "Analyse des besoins sociaux",
        "A.B.S.",
        "ABS 2024",
        "les Indicateurs",
        "INDICATEURS",
    ],
)
def test_the_words_of_the_abs_reach_the_indicators(abs_site, portal, typed):
    assert direct_access(search(portal, typed)) == [ABS]


@pytest.mark.parametrize("typed", ["domiciliation", "absence", "sociaux", "analyse"])
def test_other_words_do_not(abs_site, portal, typed):
    assert direct_access(search(portal, typed)) == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("RSA", ("Foyers allocataires du RSA", "/indicateurs/RSA/")),
        ("rsa", ("Foyers allocataires du RSA", "/indicateurs/RSA/")),
        ("taux de pauvreté", ("Taux de pauvreté au seuil de 60\u00a0%", "/indicateurs/TP60/")),
        ("Taux de pauvrete", ("Taux de pauvreté au seuil de 60\u00a0%", "/indicateurs/TP60/")),
        ("TP60", ("Taux de pauvreté au seuil de 60\u00a0%", "/indicateurs/TP60/")),
        (
            "foyers allocataires du RSA",
            ("Foyers allocataires du RSA", "/indicateurs/RSA/"),
        ),
    ],
)
def test_an_indicator_named_leads_to_its_page(abs_site, portal, typed, expected):
    soup = search(portal, typed)
    title, url = expected
    found = direct_access(soup)
    assert [(t.replace(" ", "\u00a0"), u) for t, u in found] == [
        (title.replace(" ", "\u00a0"), url)
    ]
    assert portal.get(url).status_code == 200


def test_a_single_common_word_of_several_labels_names_no_indicator(abs_site, portal):
    assert direct_access(search(portal, "taux")) == []
    assert direct_access(search(portal, "part")) == []


def test_the_unions_own_promotions_still_work(abs_site, portal):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    guides = abs_site
    page = make_guide(guides, "Diagnostic partagé", summary="Un diagnostic.")
    SearchPromotion.objects.create(query=Query.get("diagnostic"), page=page, sort_order=0)
    expected = [("Diagnostic partagé", "/guides/diagnostic-partage/")]
    assert direct_access(search(portal, "diagnostic")) == expected
    assert direct_access(search(portal, "Diagnostic")) == expected
    assert direct_access(search(portal, "domiciliation")) == []


@pytest.mark.parametrize("listing", ["/guides/", "/experiences/"])
def test_a_keyword_too_long_says_so_beside_the_field(kb_tree, portal, listing):
    response = portal.get(listing, {"q": "domiciliation " * 20})
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert "Corrigez le filtre signalé ci-dessus" in soup.get_text()
    field = soup.find("input", attrs={"name": "q"}).find_parent(class_="field")
    assert "has-error" in field["class"]
    errors = field.select(".errorlist li")
    assert errors and re.search(r"200", errors[0].get_text())
    assert soup.find("input", attrs={"name": "q"})["aria-describedby"] == "id_q_error"


def test_a_keyword_within_bounds_has_no_error(kb_tree, portal):
    soup = BeautifulSoup(portal.get("/guides/", {"q": "domiciliation"}).content, "html.parser")
    field = soup.find("input", attrs={"name": "q"}).find_parent(class_="field")
    assert "has-error" not in field["class"]
    assert not field.select(".errorlist")
    assert not soup.find("input", attrs={"name": "q"}).has_attr("aria-describedby")
