"""Session 27, the maire's portal, four follow-ups of the morning's review.

1. « aide sociale facultative » typed in the search did not show the glossary's « Aide
   facultative »: an entry's words had to sit side by side in the query. They may now have a
   word or two between them, in order; a one-word query or a sigle finds what it found.
2. The home page counted « 1 communes partagent leurs indicateurs sociaux »: real plural. The
   « 40 CCAS et CIAS membres » of the demo was checked against the directory: 39 communes of the
   Seine-Saint-Denis (COG 2026: Saint-Denis and Pierrefitte merged) and the CIAS, all active,
   none counted twice; a suspended or departed member is counted by neither.
3. A neutral indicator's rank in the ABS portrait read « – » with no word; the comparison page
   said « Indicateur neutre : pas de rang de fragilité. ». The portrait and its PDF say it too.
4. The comparison page listed its years oldest first, the portrait and the indicator page newest
   first: all three now offer the newest first; the evolution table stays oldest → newest.
"""

import pytest
from bs4 import BeautifulSoup

from knowledge_base.glossary import glossary_entries_for
from knowledge_base.models import GlossaryTerm
from knowledge_base.models.snippets import GlossaryKind
from tenants.models import MemberCCAS
from tests.abs_shared.conftest import pool_member, pool_value
from tests.abs_shared.test_portrait_pdf import flat, pdf_of, text_of
from tests.conftest import plain

pytestmark = pytest.mark.django_db

SIGLE, TERME = GlossaryKind.SIGLE, GlossaryKind.TERME
NEUTRAL_NOTE = "Indicateur neutre : pas de rang de fragilité."
PORTRAIT_NOTE = (
    "Rang « – » : indicateur neutre, sans rang de fragilité (Part des ménages locataires "
    "d'un logement social)."
)


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return plain(BeautifulSoup(response.content.decode(), "html.parser").get_text())


# --- 1. The glossary entries above the search results ----------------------------------------


@pytest.fixture
def glossary(db):
    for text, kind, expansion in (
        ("Aide facultative", TERME, "aide extralégale"),
        ("Aide légale", TERME, "aide sociale légale"),
        ("Membre élu", TERME, ""),
        ("Président(e) du CCAS", TERME, ""),
        ("Secours d'urgence", TERME, "aide facultative accordée sans délai"),
        ("CCAS", SIGLE, "centre communal d'action sociale"),
        ("CIAS", SIGLE, "centre intercommunal d'action sociale"),
        ("ABS", SIGLE, "analyse des besoins sociaux"),
    ):
        GlossaryTerm.objects.create(
            acronym=text, kind=kind, expansion=expansion, definition="Une définition."
        )


def named(query: str) -> list[str]:
    return [term.acronym for term, _anchor in glossary_entries_for(query)]


def test_an_entry_whose_words_are_apart_in_the_query_is_shown(glossary, portal):
    assert named("aide sociale facultative") == ["Aide facultative"]
    assert named("Aides sociales facultatives du CCAS") == ["CCAS", "Aide facultative"]
    assert named("membre du conseil élu") == ["Membre élu"]
    assert named("président du conseil d'administration du CCAS") == [
        "CCAS",
        "Président(e) du CCAS",
    ]
    # Over HTTP, above the results.
    box = BeautifulSoup(
        portal.get("/recherche/", {"q": "aide sociale facultative"}).content, "html.parser"
    ).find("aside", class_="kb-glossary-hit")
    assert box is not None and "Aide facultative" in box.get_text()


def test_short_queries_and_sigles_find_what_they_found(glossary):
    assert named("aide") == ["Aide facultative", "Aide légale"]
    assert named("action sociale") == ["CCAS", "CIAS"]
    assert named("CCAS") == ["CCAS", "Président(e) du CCAS"]
    assert named("c.i.a.s.") == ["CIAS"]
    assert named("facultative aide") == []  # in order only
    assert named("besoins sociaux") == ["ABS"]


def test_words_far_apart_do_not_name_an_entry(glossary):
    # « aide » and « légale » six words apart: this query is about something else.
    assert named("aide au transport des enfants handicapés vers école spécialisée légale") == []


# --- 2. The home page counts -----------------------------------------------------------------


def test_one_publishing_commune_is_singular(portal):
    pool_value(pool_member("93010"), "TP60", 2021, 27)
    text = page_text(portal.get("/"))
    assert "1 commune partage ses indicateurs sociaux." in text
    assert "communes partagent" not in text


def test_several_publishing_communes_are_plural(portal):
    for insee in ("93010", "93048"):
        pool_value(pool_member(insee), "TP60", 2021, 27)
    # A CIAS's values stand for its intercommunality: it is no commune sharing its own.
    cias = pool_member("93051", MemberCCAS.Kind.CIAS, "200058790")
    pool_value(cias, "TP60", 2021, 25)
    assert "2 communes partagent leurs indicateurs sociaux." in page_text(portal.get("/"))


def test_the_member_count_is_the_directorys(portal):
    for insee in ("93010", "93048", "93066"):
        pool_member(insee)
    pool_member("93051", MemberCCAS.Kind.CIAS, "200058790")
    MemberCCAS.objects.filter(commune_id="93048").update(status=MemberCCAS.Status.LEFT)
    MemberCCAS.objects.filter(commune_id="93066").update(status=MemberCCAS.Status.SUSPENDED)
    text = page_text(portal.get("/"))
    assert "2 CCAS et CIAS membres." in text
    assert "Membres de l'union (2)" in page_text(portal.get("/membres/"))
    MemberCCAS.objects.exclude(commune_id="93010").delete()
    assert "1 CCAS ou CIAS membre." in page_text(portal.get("/"))


# --- 3. A neutral indicator's rank in the portrait ---------------------------------------------


@pytest.fixture
def neutral_pool(db):
    """Three communes' share of social-housing tenants (LOCHLM: a rate read neither way)."""
    for insee, value in (("93010", 30.5), ("93048", 25.1), ("93066", 40.2)):
        pool_value(pool_member(insee), "LOCHLM", 2021, value)


def test_the_portrait_says_why_a_neutral_indicator_has_no_rank(portal, neutral_pool):
    page = page_text(portal.get("/indicateurs/communes/93010/"))
    assert PORTRAIT_NOTE in page
    text = flat(text_of(pdf_of(portal.get("/indicateurs/communes/93010/?export=pdf"))))
    assert PORTRAIT_NOTE in text
    # As the comparison page already said.
    assert NEUTRAL_NOTE in page_text(portal.get("/indicateurs/communes/93010/LOCHLM/"))


def test_a_portrait_of_ranked_indicators_says_nothing_of_neutral(portal):
    for insee, value in (("93010", 27), ("93048", 20), ("93066", 31)):
        pool_value(pool_member(insee), "TP60", 2021, value)
    assert "neutre" not in page_text(portal.get("/indicateurs/communes/93010/"))


# --- 4. Years to choose from: newest first -----------------------------------------------------


def offered_years(response) -> list[str]:
    assert response.status_code == 200
    select = BeautifulSoup(response.content, "html.parser").find("select", id="annee")
    return [option["value"] for option in select.find_all("option") if option["value"]]


def test_every_year_list_offers_the_newest_first(portal):
    bondy = pool_member("93010")
    for year, value in ((2019, 25), (2020, 26), (2021, 27)):
        pool_value(bondy, "TP60", year, value)
    newest_first = ["2021", "2020", "2019"]
    response = portal.get("/indicateurs/communes/93010/TP60/")
    assert offered_years(response) == newest_first
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("select", id="annee").find("option", selected=True)["value"] == "2021"
    assert offered_years(portal.get("/indicateurs/communes/93010/")) == newest_first
    assert offered_years(portal.get("/indicateurs/TP60/")) == newest_first
    # The evolution table's time axis stays oldest → newest.
    series = [
        row.find(["th", "td"]).get_text()
        for row in soup.find_all("table")[-1].find("tbody").find_all("tr")
    ]
    assert [label[:4] for label in series] == ["2019", "2020", "2021"]
    # An unknown year is refused with the years newest first, the newest shown.
    page = page_text(portal.get("/indicateurs/communes/93010/TP60/", {"annee": "2018"}))
    assert "années disponibles : 2021, 2020, 2019" in page
    assert "Année 2021 affichée." in page
