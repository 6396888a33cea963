"""Session 29 review of the exports a CCAS director downloads (portal portraits, the member
space's files, the « Toutes nos données » archive), each read back as Excel, LibreOffice or a
PDF reader would: csv module, openpyxl, pypdf."""

import csv
import io
import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader

from abs_shared.models import DEMO_SOURCE, FRANCE_CODE, ReferenceValue
from tests.conftest import plain

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return plain(re.sub(r"[\u202f\u00a0]", " ", "\n".join(p.extract_text() for p in pages)))


# --- a commune whose CCAS is no member: its territories in its files -------------------------


@pytest.fixture
def paris_references(db):
    """Paris's territories' values (Paris's CCAS is no member): France, région, département."""
    for level, code, value in (
        ("france", FRANCE_CODE, "14.5"),
        ("region", "11", "15.6"),
        ("departement", "75", "16.2"),
    ):
        ReferenceValue.objects.create(
            level=level, code=code, indicator_id="TP60", year=2021, value=value, source="INSEE"
        )


def test_a_non_member_communes_csv_carries_its_territories_said_not_its_own(
    portal, paris_references
):
    """The page of Paris shows its territories' values; its CSV held only empty headers."""
    rows = csv_rows(portal.get("/indicateurs/communes/75056/?export=csv"))
    assert plain(rows[0][0]) == (
        "Valeurs de référence des territoires de Paris : ce ne sont pas les valeurs de Paris"
    )
    assert rows[1] == [
        "Indicateur",
        "Année",
        "Paris (département)",
        "Île-de-France (région)",
        "France métropolitaine",
    ]
    assert rows[2] == ["Taux de pauvreté au seuil de 60 % (%)", "2021", "16,2", "15,6", "14,5"]
    assert "Ce ne sont pas les valeurs de Paris" in plain(rows[3][0])


def test_a_non_member_communes_xlsx_has_its_territories_as_numbers(portal, paris_references):
    rows = xlsx_rows(portal.get("/indicateurs/communes/75056/?export=xlsx"))
    assert "ce ne sont pas les valeurs de Paris" in plain(rows[0][0])
    assert rows[2][1:] == (2021, 16.2, 15.6, 14.5)


def test_a_non_member_communes_pdf_carries_its_territories(portal, paris_references):
    text = pdf_text(portal.get("/indicateurs/communes/75056/?export=pdf"))
    assert "ni son CCAS ni un CIAS de son intercommunalité ne sont membres" in text
    assert "Les territoires de Paris" in text
    assert "Ce ne sont pas les valeurs de Paris" in text
    assert "Île-de-France (région)" in text
    assert "16,2" in text and "15,6" in text and "14,5" in text
    assert "Rang" not in text


def test_the_territories_section_links_its_files_and_says_demo_values_are_invented(portal):
    """In the demo, Paris's territories' values are invented (DEMO_SOURCE): its page and its
    files said nothing of it, as they do for a member's invented values."""
    ReferenceValue.objects.create(
        level="departement",
        code="75",
        indicator_id="TP60",
        year=2021,
        value="16.2",
        source=DEMO_SOURCE,
    )
    page = BeautifulSoup(portal.get("/indicateurs/communes/75056/").content, "html.parser")
    assert "Données de démonstration" in plain(page.main.get_text(" "))
    section = page.main.find("section", attrs={"aria-labelledby": "abs-territories"})
    links = [a["href"] for a in section.find_all("a", download=True)]
    assert links == ["?export=csv", "?export=xlsx", "?export=pdf"]
    rows = csv_rows(portal.get("/indicateurs/communes/75056/?export=csv"))
    assert any("chiffres inventés" in row[0] for row in rows)
    assert "Données de démonstration" in pdf_text(
        portal.get("/indicateurs/communes/75056/?export=pdf")
    )


# --- the activity report's CSV: every figure a number French Excel reads --------------------


def test_an_evolution_past_a_thousand_percent_is_a_number_in_the_csv(bondy):
    """From 1 to 15 people (+1 400 %), from 10 € to 2 500 €: the evolution columns kept the
    no-break space that the amount columns drop, and Excel read « 1 400,0 » as text."""
    from tenants.models import Membership
    from tests.conftest import make_person, member_client
    from tests.workspace.conftest import add_figures

    add_figures(
        bondy,
        (2024, "Accueil", "Personnes reçues", 1, Decimal("10")),
        (2025, "Accueil", "Personnes reçues", 15, Decimal("2500")),
    )
    director = make_person(bondy, "direction@bondy.test", Membership.Role.DIRECTOR)
    response = member_client(bondy, director).get("/activite/export.csv?annee=2025")
    header, row, *_rest = csv_rows(response)
    assert row == [
        "Accueil",
        "Personnes reçues",
        "15",
        "1",
        "1400,0",
        "2500,00",
        "10,00",
        "24900,0",
    ]


# --- the board's files: the mandate's years in their name -----------------------------------


def test_a_mandate_typed_with_a_slash_keeps_its_years_apart_in_the_file_name(bondy):
    """« 2020/2026 » (the way the préfecture writes it) made « …-bondy-20202026.xlsx »."""
    from datetime import date

    from django_tenants.utils import schema_context

    from tenants.models import Membership
    from tenants.workspace.models import BoardMandate
    from tests.conftest import make_person, member_client
    from tests.workspace.conftest import compliant_board

    with schema_context(bondy.schema_name):
        mandate = BoardMandate.objects.create(label="2020/2026", start=date(2020, 7, 1))
        for seat in compliant_board(mandate):
            seat.save()
    director = make_person(bondy, "direction@bondy.test", Membership.Role.DIRECTOR)
    client = member_client(bondy, director)
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/conseil/mandats/{mandate.pk}/export.{fmt}")
        assert response.status_code == 200
        expected = f'attachment; filename="conseil-administration-bondy-2020-2026.{fmt}"'
        assert response["Content-Disposition"] == expected
