"""Session 27, items the last closing note left: an import's refusals name the file's own hint
column and, for a list too long, the first line beyond the limit and what to do; an attestation
prints a commune typed by hand and not yet checked nowhere (it printed « Aubervilier »)."""

import io

import pytest
from pypdf import PdfReader

from seminars import importer
from seminars.services import fix_commune, register_person, set_check_in
from tests.seminars.conftest import make_seminar, person
from union.spreadsheets import ImportRejected

pytestmark = pytest.mark.django_db


def refusal(content: str, name: str = "liste.csv") -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejected) as caught:
        importer.parse(content.encode(), name)
    return [(issue.line, issue.column, issue.message) for issue in caught.value.errors]


def test_an_unknown_departement_is_reported_under_the_files_own_column_title():
    rows = "Nom;Prénom;Commune;Fonction;Dép.\nPetit;Luc;Villepinte;Maire;Seine Saint Denise\n"
    ((line, column, message),) = refusal(rows)
    assert (line, column) == (2, "Dép.")
    assert message.startswith("Département inconnu : « Seine Saint Denise ».")


def test_a_list_too_long_names_its_first_line_beyond_the_limit_and_says_what_to_do(monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    lines = "".join(f"Nom{n};Luc;Bondy;Maire\n" for n in range(5))
    ((line, column, message),) = refusal("Nom;Prénom;Commune;Fonction\n" + lines)
    # Header on line 1, people on lines 2 to 6: line 5 is the fourth, the first one too many.
    assert (line, column) == (5, "")
    assert " ".join(message.split()) == (
        "Le fichier compte 5 lignes d'inscrits ; un import en lit au plus 3. Coupez-le à "
        "partir de cette ligne en fichiers qui reprennent chacun la ligne des titres de colonnes, "
        "et importez-les l'un après l'autre : rien n'a été importé."
    )


def attestation_text(client, registration) -> str:
    url = f"/admin/inscriptions/{registration.seminar_id}/{registration.pk}/attestation/"
    response = client.get(url)
    assert response.status_code == 200
    (page,) = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    return " ".join(page.split())


def test_an_attestation_prints_a_flagged_commune_only_once_it_is_checked(organiser_client):
    seminar = make_seminar("Journée des élus", days_ahead=-2)
    registration, _ = register_person(seminar, person(1, nom="Zola", commune="Aubervilier"))
    assert registration.commune_status == "flagged"
    set_check_in(registration, True)
    text = attestation_text(organiser_client, registration)
    assert "ZOLA" in text and "Maire" in text
    assert "Aubervilier" not in text
    fix_commune(registration, "93001")  # the organiser's « Communes à vérifier »
    assert "Maire – Aubervilliers" in attestation_text(organiser_client, registration)
