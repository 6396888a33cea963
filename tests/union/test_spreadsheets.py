"""The one reader of uploaded spreadsheets, on real files."""

import io

import pytest
from openpyxl import Workbook

from union.spreadsheets import ImportRejected, csv_bytes, read_rows


def test_csv_from_excel_in_french_semicolons_and_windows_1252():
    content = "Nom;Commune\r\nLefèvre;Épinay-sur-Seine\r\n\r\nDurand;Bondy\r\n".encode("cp1252")
    assert read_rows(content, "inscrits.csv") == [
        (1, ["Nom", "Commune"]),
        (2, ["Lefèvre", "Épinay-sur-Seine"]),
        (3, []),  # a blank line keeps its number, so that later lines match the spreadsheet
        (4, ["Durand", "Bondy"]),
    ]


def test_csv_with_commas_and_a_bom():
    content = "\ufeffyear,value\n2024, 12,5\n".encode()
    assert read_rows(content, "valeurs.csv")[0] == (1, ["year", "value"])


def test_xlsx_first_sheet_numbers_as_typed():
    workbook = Workbook()
    workbook.active.append(["year", "count", "amount"])
    workbook.active.append([2024, 12.0, 1234.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = read_rows(buffer.getvalue(), "activite.xlsx")
    assert rows == [(1, ["year", "count", "amount"]), (2, ["2024", "12", "1\u202f234,5"])]
    assert read_rows(buffer.getvalue(), "") == rows  # no name: recognised by its content


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"PK\x03\x04", "classeur.ods", "Format non pris en charge"),
        (b"PK\x03\x04 abime", "classeur.xlsx", "Classeur XLSX illisible"),
    ],
)
def test_unreadable_files_are_refused_in_french(content, filename, message):
    with pytest.raises(ImportRejected) as refusal:
        read_rows(content, filename)
    assert message in refusal.value.errors[0].message
    assert refusal.value.errors[0].line == 1


def test_csv_downloads_never_carry_a_live_formula():
    content = csv_bytes(
        [
            ['=HYPERLINK("http://exemple.test";"Cliquez")', "@SUM(A1)", "-2+3+cmd|' /C calc'!A0"],
            ["-2,6", "+20,0 %", "-3,1 points", "-", 12],  # our own figures stay as they are
        ]
    )
    first, second = (row for _number, row in read_rows(content, "export.csv"))
    assert all(cell.startswith("'") for cell in first)
    assert second == ["-2,6", "+20,0 %", "-3,1 points", "-", "12"]


def test_csv_downloads_open_in_french_excel_and_read_back():
    content = csv_bytes([["Nom", "Commune"], ["Lefèvre", "Saint-Denis; quartier Pleyel"]])
    assert content.startswith("\ufeff".encode())  # Excel reads the accents as UTF-8
    assert read_rows(content, "export.csv") == [
        (1, ["Nom", "Commune"]),
        (2, ["Lefèvre", "Saint-Denis; quartier Pleyel"]),  # a semicolon in a cell stays inside it
    ]
