"""Review 21: the union's editor and moderator at work (glossary imports, search index kept
up to date without `update_index`, what an editor or a reader trips on)."""

import pytest
from bs4 import BeautifulSoup

from knowledge_base.models import GlossaryTerm
from knowledge_base.services import GlossaryError, save_glossary_term
from tests.knowledge_base.conftest import make_document, make_experience, make_guide

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


# A1. An import says what an entry is --------------------------------------------------------


def test_an_import_files_an_entry_under_the_kind_it_gives(portal):
    # « Urssaf » and « PMI » are read wrongly by the writing rule: the kind given wins.
    urssaf = save_glossary_term(
        "URSSAF", "Union de recouvrement", "Collecte les cotisations.", kind="terme"
    )
    assert urssaf.kind == GlossaryTerm.Kind.TERME
    cias = save_glossary_term("Cias", "centre intercommunal d'action sociale", kind="sigle")
    assert cias.kind == GlossaryTerm.Kind.SIGLE
    # Without a kind, a new entry gets the rule's, and an existing one keeps its own.
    assert save_glossary_term("RSA", "revenu de solidarité active").kind == "sigle"
    assert save_glossary_term("Cias", "centre intercommunal").kind == "sigle"
    # Given again, the kind changes an existing entry.
    assert save_glossary_term("Cias", "centre intercommunal", kind="terme").kind == "terme"
    # The glossary page and the <abbr> markup follow it.
    page = soup(portal.get("/glossaire/")).get_text(" ", strip=True)
    assert "URSSAF" in page and "Collecte les cotisations." in page


def test_an_unknown_kind_is_refused_in_french_and_nothing_is_written():
    with pytest.raises(GlossaryError) as error:
        save_glossary_term("CCAS", "centre communal d'action sociale", kind="acronym")
    assert str(error.value) == (
        "Nature inconnue pour « CCAS » : « acronym » (attendu : « sigle » ou « terme »)."
    )
    assert not GlossaryTerm.objects.exists()


# A2. The search index follows what it holds from outside the page ---------------------------


def test_a_renamed_member_finds_its_experiences_under_its_new_name(
    kb_tree, bondy, montreuil, portal
):
    _, experiences = kb_tree
    make_experience(experiences, bondy, "Une épicerie solidaire", summary="Des paniers.")
    make_experience(experiences, montreuil, "Un jardin partagé", summary="Des légumes.")
    assert "Aucun résultat" in portal.get("/recherche/?q=zanzibar").content.decode()

    bondy.name = "CCAS de Zanzibar-sur-Ourcq"
    bondy.save()

    html = portal.get("/recherche/?q=zanzibar").content.decode()
    assert "1 résultat" in html
    assert "Une épicerie solidaire" in html and "Un jardin partagé" not in html
    # The old name no longer finds it (Montreuil's experience keeps its member's name).
    assert "Une épicerie solidaire" not in portal.get("/recherche/?q=bondy").content.decode()


# B1. Words a reader sees on a guide find it --------------------------------------------------


def test_the_title_of_a_table_finds_its_guide(kb_tree, portal):
    guides, _ = kb_tree
    table = {
        "table_caption": "Barème des secours exceptionnels",
        "first_row_is_table_header": True,
        "first_col_is_header": False,
        "table_header_choice": "row",
        "data": [["Foyer", "Montant"], ["Une personne", "150 €"]],
    }
    make_guide(guides, "Les aides facultatives", body=[{"type": "table", "value": table}])
    # « secours » and « exceptionnels » appear only in the table's title, and plural or not.
    html = portal.get("/recherche/?q=bareme+secours+exceptionnel").content.decode()
    assert "1 résultat" in html and "Les aides facultatives" in html


def test_a_document_offered_under_its_own_title_finds_its_guide_even_once_retitled(kb_tree, portal):
    guides, _ = kb_tree
    document = make_document("Modèle de convention de partenariat")
    block = {"document": document.pk, "title": "", "description": ""}
    make_guide(
        guides, "Travailler avec les associations", body=[{"type": "document", "value": block}]
    )
    html = portal.get("/recherche/?q=convention+partenariat").content.decode()
    assert "1 résultat" in html and "Travailler avec les associations" in html

    # The document is renamed in « Documents »: the guide shows, and is found by, the new title.
    document.title = "Trame de contrat d'objectifs"
    document.save()
    html = portal.get("/recherche/?q=trame+objectifs").content.decode()
    assert "1 résultat" in html and "Travailler avec les associations" in html
    assert "Aucun résultat" in portal.get("/recherche/?q=partenariat").content.decode()
