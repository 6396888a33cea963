"""The glossary explains the words of the trade beside the sigles (session 16): an entry is a
« Sigle » or a « Terme », stored; only sigles are marked up in guides; /glossaire/ lists both in
French alphabetical order with a letter index; the search box finds several words and ignores
accents; the demo brings real terms; the admin shows and filters the kind."""

import html
import importlib

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knowledge_base import demo_glossary
from knowledge_base.models import GlossaryTerm
from knowledge_base.models.snippets import GlossaryKind, looks_like_sigle
from tests.conftest import host_client
from tests.knowledge_base.conftest import make_guide, make_staff
from union import roles

pytestmark = pytest.mark.django_db

SIGLE, TERME = GlossaryKind.SIGLE, GlossaryKind.TERME
ADD = "/admin/snippets/knowledge_base/glossaryterm/add/"
LISTING = "/admin/snippets/knowledge_base/glossaryterm/"


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def entry(text, kind, expansion="", definition="Une définition.") -> GlossaryTerm:
    return GlossaryTerm.objects.create(
        acronym=text, kind=kind, expansion=expansion, definition=definition
    )


@pytest.fixture
def editor():
    return host_client("localhost", make_staff("editrice@union.test", roles.EDITOR))


# --- The kind is stored: the migration classifies existing entries ---------------------------


def test_the_migration_classifies_existing_entries_by_their_writing(db):
    migration = importlib.import_module("knowledge_base.migrations.0006_glossary_terms_and_kinds")
    written = {
        "CCAS": SIGLE,
        "UDCCAS": SIGLE,
        "C.C.A.S.": SIGLE,
        "RSA2": SIGLE,
        "Délégation": TERME,  # a head word typed when entries had 20 characters at most
        "Vice-président(e)": TERME,
        "Aide légale": TERME,
        "Urssaf": TERME,  # a sigle written as a word: the editor switches it
        "115": TERME,
    }
    for text in written:
        GlossaryTerm.objects.create(acronym=text, expansion="x")
    GlossaryTerm.objects.update(kind=TERME)  # the column as the migration adds it

    migration.classify_entries(apps, None)

    assert dict(GlossaryTerm.objects.values_list("acronym", "kind")) == written


def test_an_entry_made_without_kind_gets_the_kind_of_its_writing_and_may_be_long(db):
    long_term = "Règlement d'attribution des aides facultatives du centre communal d'action sociale"
    assert len(long_term) > 20
    assert GlossaryTerm.objects.create(acronym=long_term, definition="…").kind == TERME
    assert GlossaryTerm.objects.create(acronym="CCAS", expansion="centre").kind == SIGLE
    # An explicit kind is kept.
    assert entry("Urssaf", SIGLE, "union de recouvrement").kind == SIGLE


# --- Only sigles are marked up in a guide ----------------------------------------------------


def test_only_sigles_are_marked_up_never_a_capitalised_term(kb_tree, portal):
    guides, _ = kb_tree
    entry("CCAS", SIGLE, "centre communal d'action sociale")
    entry("Domiciliation", TERME, "élection de domicile")
    entry("Aide légale", TERME, "aide sociale légale")
    body = [
        {
            "type": "rich_text",
            "value": "<p>Domiciliation : le CCAS domicilie les personnes sans domicile stable. "
            "Aide légale ou facultative, la domiciliation ouvre des droits.</p>",
        }
    ]
    make_guide(guides, "Domicilier", body=body)
    page = portal.get("/guides/domicilier/").content.decode()
    assert page.count('<abbr title="centre communal d&#x27;action sociale">CCAS</abbr>') == 1
    assert "élection de domicile" not in page and "aide sociale légale" not in page
    assert "<p>Domiciliation : le " in page and "Aide légale ou facultative" in page


# --- /glossaire/ ----------------------------------------------------------------------------


def test_the_glossary_lists_sigles_and_terms_in_french_order_with_a_letter_index(portal):
    entry("EPCI", SIGLE, "établissement public de coopération intercommunale")
    entry("Élection de domicile", TERME, definition="Voir Domiciliation.")
    entry("enfance", TERME, definition="Les enfants.")  # typed in lower case
    entry("CCAS", SIGLE, "centre communal d'action sociale", "Établissement public.")
    entry("Délégation de signature", TERME, definition="Arrêté du président (CASF R123-23).")
    entry("ABS", SIGLE, "analyse des besoins sociaux", definition="")
    entry("Aide facultative", TERME, definition="Aide décidée par le CCAS.")

    page = soup(portal.get("/glossaire/"))

    assert page.title.get_text().startswith("Glossaire")
    assert page.h1.get_text(strip=True) == "Glossaire"
    assert [dt.get_text(strip=True) for dt in page.find_all("dt")] == [
        "ABS",
        "Aide facultative",
        "CCAS",
        "Délégation de signature",
        "Élection de domicile",
        "enfance",
        "EPCI",
    ]
    # One section per letter; É is filed under E.
    assert [h2.get_text() for h2 in page.find("main").find_all("h2")] == ["A", "C", "D", "E"]
    nav = page.find("nav", attrs={"aria-label": "Lettres du glossaire"})
    links = nav.find_all("a")
    assert [a.get_text() for a in links] == ["A", "C", "D", "E"]
    for link in links:  # every letter leads to its section
        assert page.find(id=link["href"][1:]).name == "h2"
    # Each entry has its anchor; a sigle shows its expansion, a term is not an abbreviation.
    sigle = page.find("dt", id="ccas")
    assert sigle.abbr["title"] == "centre communal d'action sociale"
    assert "centre communal d'action sociale" in sigle.find_next_sibling("dd").get_text()
    term = page.find("dt", id="delegation-de-signature")
    assert term.abbr is None and term.parent.name == "dl"
    assert term.find_next_sibling("dd").get_text(strip=True) == (
        "Arrêté du président (CASF R123-23)."
    )
    assert page.find("dt", id="election-de-domicile")


# --- The search page's glossary box ----------------------------------------------------------


def glossary_box(portal, query):
    box = soup(portal.get("/recherche/", {"q": query})).find("aside", class_="kb-glossary-hit")
    if box is None:
        return []
    return [p.find(["abbr", "strong"]).get_text() for p in box.find_all("p")]


def test_the_search_box_finds_several_words_and_ignores_accents(kb_tree, portal):
    entry("ABS", SIGLE, "analyse des besoins sociaux")
    entry("Analyse des besoins sociaux", TERME, definition="Le diagnostic du CCAS.")
    entry("Délégation de signature", TERME, definition="Arrêté du président.")
    entry("Délégation de pouvoirs", TERME, definition="Délibération du conseil.")
    entry("CA", SIGLE, "conseil d'administration")
    entry("Domiciliation", TERME, "élection de domicile", "Une adresse administrative.")

    assert glossary_box(portal, "délégation de signature") == ["Délégation de signature"]
    assert glossary_box(portal, "DELEGATION DE SIGNATURE") == ["Délégation de signature"]
    assert glossary_box(portal, "la délégation de signature du maire") == [
        "Délégation de signature"
    ]
    assert glossary_box(portal, "delegation") == [
        "Délégation de pouvoirs",
        "Délégation de signature",
    ]
    assert glossary_box(portal, "besoins sociaux") == ["ABS", "Analyse des besoins sociaux"]
    assert glossary_box(portal, "besoin social") == []
    assert glossary_box(portal, "ça") == []  # « ça » is not the sigle « CA »
    assert glossary_box(portal, "c.a.") == ["CA"]
    # A term with its précision and its definition, linked to its entry.
    box = soup(portal.get("/recherche/", {"q": "domiciliations"})).find("aside")
    assert box.get_text(" ", strip=True) == (
        "Domiciliation (élection de domicile) : Une adresse administrative. — voir le glossaire"
    )
    assert box.a["href"] == "/glossaire/#domiciliation"

    # Cheap: as many queries with fifty more entries.
    def queries(query):
        with CaptureQueriesContext(connection) as captured:
            portal.get("/recherche/", {"q": query})
        return len(captured)

    before = queries("délégation de signature")
    for number in range(50):
        entry(f"Terme numéro {number}", TERME)
    queries("délégation de signature")  # the sigles' cache, emptied by the entries, fills again
    assert queries("délégation de signature") == before


# --- The admin ------------------------------------------------------------------------------


def test_the_admin_shows_and_filters_the_kind(editor):
    entry("PMI", SIGLE, "protection maternelle et infantile")
    entry("Délégation de signature", TERME)
    listing = soup(editor.get(LISTING))
    table = listing.find("table", class_="listing")
    assert "Nature" in [th.get_text(" ", strip=True) for th in table.find_all("th")]
    cells = table.get_text(" ", strip=True)
    assert "Sigle" in cells and "Terme" in cells
    terms = html.unescape(editor.get(LISTING, {"kind": TERME}).content.decode())
    assert "Délégation de signature" in terms and "protection maternelle" not in terms
    sigles = html.unescape(editor.get(LISTING, {"kind": SIGLE}).content.decode())
    assert "protection maternelle" in sigles and "Délégation de signature" not in sigles


def test_the_admin_form_asks_the_kind_and_what_each_kind_needs(editor):
    form = soup(editor.get(ADD))
    radios = form.find_all("input", attrs={"name": "kind"})
    assert [radio["value"] for radio in radios] == [SIGLE, TERME]  # no empty choice

    long_term = "Délégation de signature au directeur ou à la directrice du CCAS"
    response = editor.post(ADD, {"acronym": long_term, "kind": TERME, "definition": "Arrêté."})
    assert response.status_code == 302
    assert GlossaryTerm.objects.get(acronym=long_term).kind == TERME

    def refused(data) -> str:
        response = editor.post(ADD, data)
        assert response.status_code == 200
        page = html.unescape(response.content.decode())
        assert data["acronym"] in page  # what was typed stays
        return page

    page = refused(
        {"acronym": "Aide facultative", "kind": SIGLE, "expansion": "aide", "definition": ""}
    )
    assert "Un sigle s'écrit en un mot court" in page and "choisissez « Terme »" in page
    page = refused(
        {"acronym": "Aide facultative", "kind": TERME, "expansion": "", "definition": ""}
    )
    assert "Saisissez la définition : c'est elle que le glossaire affiche pour un terme." in page
    page = refused({"acronym": "UDAF", "kind": SIGLE, "expansion": "", "definition": ""})
    assert "Saisissez la forme développée du sigle" in page
    page = refused({"acronym": "délégation de signature au directeur ou à la directrice du ccas",
                    "kind": TERME, "definition": "Bis."})  # fmt: skip
    assert f"Ce terme est déjà dans le glossaire sous la forme « {long_term} »" in page
    assert GlossaryTerm.objects.count() == 1


# --- The demo -------------------------------------------------------------------------------


def test_the_demo_glossary_brings_real_terms_idempotently(db):
    # An earlier demo's head word, limited to 20 characters, is renamed in place.
    old = entry("Délégation", TERME, "délégation de signature ou de pouvoirs")
    assert demo_glossary.load_glossary() == len(demo_glossary.GLOSSARY)
    assert demo_glossary.load_glossary() == len(demo_glossary.GLOSSARY)
    assert GlossaryTerm.objects.count() == len(demo_glossary.GLOSSARY)
    assert not GlossaryTerm.objects.filter(acronym="Délégation").exists()
    assert GlossaryTerm.objects.get(pk=old.pk).acronym == "Délégation de signature"

    kinds = dict(GlossaryTerm.objects.values_list("acronym", "kind"))
    terms = {text for text, kind in kinds.items() if kind == TERME}
    assert len(terms) >= 10
    assert {
        "Délégation de signature",
        "Vice-président(e)",
        "Aide facultative",
        "Domiciliation",
        "Conseil d'administration",
        "Analyse des besoins sociaux",
    } <= terms
    assert {"CCAS", "ABS", "CASF", "UDAF"} <= {t for t, kind in kinds.items() if kind == SIGLE}
    # demo.load() writes the same list without a kind: the writing gives the same one.
    for text, kind in kinds.items():
        assert looks_like_sigle(text) == (kind == SIGLE), text
    # Every term is explained, and the legal ones say where the rule is written.
    definitions = dict(GlossaryTerm.objects.values_list("acronym", "definition"))
    assert all(definitions[text] for text in terms)
    assert "R123-23" in definitions["Délégation de signature"]
    assert "L123-6" in definitions["Vice-président(e)"]
    assert "R123-1" in definitions["Analyse des besoins sociaux"]
