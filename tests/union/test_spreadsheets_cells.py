"""XLSX cells read as Excel shows them (no binary rounding noise), and workbooks that can't be read
refused in French, never by an exception's class name: the one reader every import goes through."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django_tenants.utils import schema_context
from openpyxl import Workbook

from tenants.workspace.activity import parse_activity_file
from tenants.workspace.models import ActivityFigure
from tests.conftest import make_person, member_client
from union.spreadsheets import ImportRejected, cell_text, read_rows, workbook_bytes


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.1 + 0.7, "0,8"),  # stored 0.7999999999999999, shown 0,8
        (1.1 + 2.2, "3,3"),
        (12.0, "12"),
        (-0.0, "0"),
        (1234.5, "1\u202f234,5"),  # as French Excel shows it (H14, s31)
        (-3.25, "-3,25"),
        (1e16, "10000000000000000"),  # no exponent for a large number…
        (1.5e-7, "0,00000015"),  # …nor for a small one
        (0.123456789012345678, "0,123456789012346"),  # 15 significant digits, as Excel
        (12, "12"),
        ("  texte ", "texte"),
        (None, ""),
        # A date, a boolean or a time typed where a name was expected reads as the spreadsheet
        # shows it, never as Python writes it ("2026-01-05 00:00:00", "True").
        (datetime.datetime(2026, 1, 5), "05/01/2026"),
        (datetime.datetime(2026, 1, 5, 9, 30), "05/01/2026 09:30"),
        (datetime.date(2026, 1, 5), "05/01/2026"),
        (datetime.time(14, 0), "14:00"),
        (True, "VRAI"),
        (False, "FAUX"),
    ],
)
def test_cell_text_reads_a_number_as_excel_shows_it(value, text):
    assert cell_text(value) == text


def xlsx_file(tmp_path, rows: list[list]) -> bytes:
    """A real workbook, written by openpyxl to disk, as a spreadsheet program would."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / "classeur.xlsx"
    path.write_bytes(workbook_bytes(workbook))
    return path.read_bytes()


def test_an_amount_summed_in_excel_reads_as_shown(tmp_path):
    content = xlsx_file(
        tmp_path,
        [
            ["année", "pôle", "catégorie", "nombre", "montant"],
            [2024, "Secours", "Transports", 3, 0.1 + 0.7],
            [2024, "Secours", "Alimentaire", 2.0, 1234.5],
        ],
    )
    assert read_rows(content, "activite.xlsx")[1] == (
        2,
        ["2024", "Secours", "Transports", "3", "0,8"],
    )
    rows, errors = parse_activity_file("activite.xlsx", content)
    assert errors == []
    assert [(row.category, row.count, row.amount) for row in rows] == [
        ("Transports", 3, Decimal("0.80")),
        ("Alimentaire", 2, Decimal("1234.50")),
    ]


def test_the_activity_page_imports_that_workbook(bondy, tmp_path):
    content = xlsx_file(
        tmp_path,
        [
            ["année", "pôle", "catégorie", "nombre", "montant"],
            [2024, "Secours", "Transports", 3, 0.1 + 0.7],
        ],
    )
    path = tmp_path / "activite.xlsx"
    path.write_bytes(content)
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    with path.open("rb") as handle:
        response = client.post("/activite/importer/", {"file": handle})
    assert response.status_code == 302, response.content.decode()
    with schema_context(bondy.schema_name):
        assert list(ActivityFigure.objects.values_list("amount", flat=True)) == [Decimal("0.80")]


def damaged_sheet() -> bytes:
    """A workbook that opens, whose first sheet's XML is cut short."""
    workbook = Workbook()
    workbook.active.append(["a", "b"])
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes(workbook)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"indicateur;annee;valeur\nTP60;2021;12\n", "n'est pas un classeur Excel (.xlsx) valide"),
        (b"PK\x03\x04 abime", "n'est pas un classeur Excel (.xlsx) valide"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "Excel 97-2003 (.xls) ou protégé par un mot de passe",
        ),
        (damaged_sheet(), "n'est pas un classeur Excel (.xlsx) valide"),
    ],
)
def test_an_unreadable_workbook_is_refused_in_french(content, message):
    with pytest.raises(ImportRejected) as refusal:
        read_rows(content, "valeurs.xlsx")
    (issue,) = refusal.value.errors
    assert refusal.value.unreadable and issue.line == 1
    assert message in issue.message
    assert "Error" not in issue.message and "BadZipFile" not in issue.message
    # The activity import says the same.
    with pytest.raises(ValueError, match="Excel"):
        parse_activity_file("activite.xlsx", content)


def with_cached_values(content: bytes, cached: bytes) -> bytes:
    """The workbook as Excel or LibreOffice would save it: each formula followed by its result
    (openpyxl writes formulas with an empty `<v />`, as scripts do)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v />", b"<v>" + cached + b"</v>")
            target.writestr(item, data)
    return buffer.getvalue()


def summed_workbook(tmp_path) -> bytes:
    return xlsx_file(
        tmp_path,
        [
            ["année", "pôle", "catégorie", "nombre", "montant"],
            [2024, "Secours", "Transports", 3, 12],
            [2024, "Secours", "Alimentaire", "=D2*2", 30],
        ],
    )


def test_a_formula_saved_without_its_result_is_named_not_read_as_empty(tmp_path):
    with pytest.raises(ImportRejected) as refusal:
        read_rows(summed_workbook(tmp_path), "activite.xlsx")
    (issue,) = refusal.value.errors
    assert (issue.line, issue.column) == (3, "D")
    assert "formule (=D2*2)" in issue.message and "enregistrez-le" in issue.message
    assert not refusal.value.unreadable


def test_a_formula_saved_with_its_result_reads_the_result(tmp_path):
    content = with_cached_values(summed_workbook(tmp_path), b"6")
    assert read_rows(content, "activite.xlsx")[2] == (
        3,
        ["2024", "Secours", "Alimentaire", "6", "30"],
    )


def test_the_activity_page_names_the_formula_cell(bondy, tmp_path):
    path = tmp_path / "activite.xlsx"
    path.write_bytes(summed_workbook(tmp_path))
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    with path.open("rb") as handle:
        response = client.post("/activite/importer/", {"file": handle})
    page = BeautifulSoup(response.content.decode(), "html.parser")
    assert page.title.get_text().startswith("Erreur – ")  # the member space's refused pages: 200
    (error,) = page.select("div[role=alert] tbody tr")
    line, column, message = (cell.get_text() for cell in error.find_all(["th", "td"]))
    assert (line, column) == ("3", "D") and "formule (=D2*2)" in message
    with schema_context(bondy.schema_name):
        assert not ActivityFigure.objects.exists()
