"""Session 27: append_row finds its row without scanning the sheet (it read `sheet.max_row` and
the widest row for each row, so a 4,000-line workbook took 7.8 s). What callers rely on stays:
the cells of the row just written, as wide as the widest row so far, after an empty row too."""

from openpyxl import Workbook, load_workbook

from union.spreadsheets import append_row, workbook_bytes


def test_append_row_gives_the_cells_of_its_own_row_as_wide_as_the_table(tmp_path):
    sheet = Workbook().active
    header = append_row(sheet, ["Nom", "Prénom", "Commune"])
    assert [cell.coordinate for cell in header] == ["A1", "B1", "C1"]
    sheet.append([])  # a blank line before the notes, as the activity workbook writes it
    (note, *rest) = append_row(sheet, ["Source : CCAS"])
    assert note.coordinate == "A3" and [cell.coordinate for cell in rest] == ["B3", "C3"]
    formula = append_row(sheet, ["=1+1", 3])
    assert [cell.coordinate for cell in formula] == ["A4", "B4", "C4"]
    path = tmp_path / "lignes.xlsx"
    path.write_bytes(workbook_bytes(sheet.parent))
    read = load_workbook(path).active
    assert [[cell.value for cell in row] for row in read.iter_rows()] == [
        ["Nom", "Prénom", "Commune"],
        [None, None, None],
        ["Source : CCAS", None, None],
        ["=1+1", 3, None],
    ]
    assert read["A4"].data_type == "s"  # typed text, never a live formula
