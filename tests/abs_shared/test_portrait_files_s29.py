"""Session 29, second round: the ABS portrait's files. Its XLSX has column widths (as the member
space's activity and board workbooks); a territory named as the commune itself (Paris, a
département) says its level in the portrait's headers; the PDF of a commune whose CCAS is no
member names the sources of the reference values it carries."""

import csv
import io
import re

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader

from abs_shared.models import FRANCE_CODE, ReferenceValue
from tests.abs_shared.conftest import pool_member, pool_value, reference
from tests.conftest import plain

pytestmark = pytest.mark.django_db

BONDY = "/indicateurs/communes/93010/"
PARIS = "/indicateurs/communes/75056/"


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def workbook_sheet(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).active


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return plain(re.sub(r"[\u202f\u00a0]", " ", "\n".join(p.extract_text() for p in pages)))


def widths(sheet) -> dict[str, float | None]:
    """Each column of the header line (line 2, after the caption) and the width the file sets
    it (None: none, the spreadsheet's default of some 8 characters). openpyxl reads adjacent
    columns of one width as a single range (min to max)."""
    set_widths = {}
    for dimension in sheet.column_dimensions.values():
        for index in range(dimension.min, dimension.max + 1):
            set_widths[index] = dimension.width
    headers = [cell.value for cell in sheet[2]]
    return {header: set_widths.get(index) for index, header in enumerate(headers, start=1)}


@pytest.fixture
def bondy_pool(db):
    bondy, montreuil = pool_member("93010"), pool_member("93048")
    pool_value(bondy, "TP60", 2021, "27.1")
    pool_value(montreuil, "TP60", 2021, 20)
    pool_value(bondy, "MED", 2021, 19215)
    reference("departement", "93", "TP60", 2021, "28.4")


@pytest.fixture
def paris_references(db):
    """Paris's territories' values: France, région, département (Paris's CCAS is no member)."""
    for level, code, value, source in (
        ("france", FRANCE_CODE, "14.5", "INSEE Filosofi"),
        ("region", "11", "15.6", "INSEE Filosofi"),
        ("departement", "75", "16.2", "INSEE RP"),
    ):
        ReferenceValue.objects.create(
            level=level, code=code, indicator_id="TP60", year=2021, value=value, source=source
        )


# --- 1. the portrait's XLSX has column widths -----------------------------------------------


def test_a_member_portraits_xlsx_sets_every_columns_width(portal, bondy_pool):
    """Opened in Excel, default widths showed « ##### » for 19 215 and cut indicator names."""
    sheet = workbook_sheet(portal.get(f"{BONDY}?export=xlsx"))
    shown = widths(sheet)
    assert None not in shown.values(), shown
    labels = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True) if row[1]]
    assert "Taux de pauvreté au seuil de 60 % (%)" in labels
    assert shown["Indicateur"] >= max(len(label) for label in labels)
    values = [row[2] for row in sheet.iter_rows(min_row=3, values_only=True) if row[1]]
    assert 19215 in values
    assert shown["Valeur"] >= len("19 215") + 2  # a number wider than its column: « ##### »
    # No header cut either (« Évolution depuis l'année publiée précédente », « Rang parmi… »).
    assert all(width >= len(header) for header, width in shown.items()), shown


def test_a_non_member_communes_xlsx_sets_its_territories_widths(portal, paris_references):
    sheet = workbook_sheet(portal.get(f"{PARIS}?export=xlsx"))
    shown = widths(sheet)
    assert None not in shown.values(), shown
    assert shown["Indicateur"] >= len("Taux de pauvreté au seuil de 60 % (%)")
    assert shown["Île-de-France (région)"] >= len("Île-de-France (région)")


# --- 2. « Paris (département) » beside the commune of Paris ---------------------------------


@pytest.fixture
def paris_pool(db, paris_references):
    """Paris's CCAS a member that published its poverty rate, beside a second member's."""
    paris, bondy = pool_member("75056"), pool_member("93010")
    pool_value(paris, "TP60", 2021, "15.1")
    pool_value(bondy, "TP60", 2021, "27.1")


def test_a_member_portraits_departement_named_as_the_commune_says_its_level(portal, paris_pool):
    page = portal.get(PARIS)
    assert page.status_code == 200
    soup = BeautifulSoup(page.content.decode(), "html.parser")
    head = [plain(th.get_text()) for th in soup.find("table").find("thead").find_all("th")]
    assert "Paris (département)" in head
    assert "Paris" not in head
    # Every other territory keeps its name alone.
    assert "Île-de-France" in head and "France métropolitaine" in head

    header = csv_rows(portal.get(f"{PARIS}?export=csv"))[1]
    assert "Paris (département)" in header and "Paris" not in header
    assert "Île-de-France" in header and "Métropole du Grand Paris" in header

    sheet = workbook_sheet(portal.get(f"{PARIS}?export=xlsx"))
    assert "Paris (département)" in [cell.value for cell in sheet[2]]

    assert "Paris (département)" in pdf_text(portal.get(f"{PARIS}?export=pdf"))


def test_a_departement_with_another_name_keeps_its_name_alone(portal, bondy_pool):
    header = csv_rows(portal.get(f"{BONDY}?export=csv"))[1]
    assert "Seine-Saint-Denis" in header
    assert not any("(département)" in name for name in header)


# --- 3. the non-member portrait's PDF names its values' sources -----------------------------


def test_a_non_member_communes_pdf_names_the_sources_of_its_reference_values(
    portal, paris_references
):
    text = pdf_text(portal.get(f"{PARIS}?export=pdf"))
    assert "Sources des valeurs : INSEE RP ; INSEE Filosofi." in text
