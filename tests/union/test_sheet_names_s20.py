"""Worksheet names made from typed text: every export that names a sheet after a label goes
through union.spreadsheets.new_sheet, which makes the name one Excel opens without repairing."""

import io

import pytest
from openpyxl import load_workbook

from union.spreadsheets import new_sheet, sheet_name_from, workbook_bytes


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Mandature 2020/2026", "Mandature 2020-2026"),
        ("Taux : comparaison [2024] ?*", "Taux - comparaison -2024- --"),
        ("'Cité' des arts", "Cité' des arts"),
        ("///", "---"),
        ("   ", "Feuille 1"),
        (
            "Émargement de l'atelier « Accès aux droits et non-recours »",
            "Émargement de l'atelier « Accès",
        ),
    ],
)
def test_sheet_name_from_typed_text(typed, expected):
    assert sheet_name_from(typed) == expected
    assert len(sheet_name_from(typed)) <= 31


def test_new_sheet_accepts_a_typed_label_and_the_file_reads_back():
    workbook, sheet = new_sheet("Mandature 2020/2026", ["Nom"], title="Conseil d'administration")
    sheet.append(["Durand"])
    book = load_workbook(io.BytesIO(workbook_bytes(workbook)))
    assert book.sheetnames == ["Mandature 2020-2026"]
    assert [c.value for c in book.active[3]] == ["Durand"]
