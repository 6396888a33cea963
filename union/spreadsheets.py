"""Reading the spreadsheets people upload, and writing the ones they download.

Activity figures, ABS observations and references, seminar registrations: each import reads a CSV
(comma, semicolon or tab; UTF-8 or the Windows-1252 that Excel in French still writes) or an XLSX
file (first sheet), checks the whole file, and reports every bad cell by line and column, in
French, before anything is written. This module does the reading and carries the errors; each
app checks its own columns. Downloads (exports, templates to fill in) share the French-Excel CSV
dialect and the content types.
"""

import csv
import io
import re
from dataclasses import dataclass

from django.http import HttpResponse
from openpyxl import load_workbook

DELIMITERS = (";", ",", "\t")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class ImportIssue:
    """One problem in a file: its line (the header is line 1), its column and why, in French."""

    line: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


class ImportRejected(Exception):
    """The file was refused as a whole; nothing was written."""

    def __init__(self, errors: list[ImportIssue]):
        self.errors = errors
        super().__init__(f"{len(errors)} erreur(s) dans le fichier")


def cell_text(value) -> str:
    """A cell as the person typed it: XLSX numbers such as 12.0 come back as "12"."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def read_rows(content: bytes, filename: str) -> list[tuple[int, list[str]]]:
    """(line number, cells as text) of every line of a CSV or XLSX file, header included.

    Blank lines are kept, so that the numbers match what the person sees in their spreadsheet.
    Raises ImportRejected when the file can't be read.
    """
    name = (filename or "").lower()
    if "." not in name:  # an upload without a name (API clients): a zip container is a workbook
        return _xlsx_rows(content) if content[:2] == b"PK" else _csv_rows(content)
    if name.endswith(".xlsx"):
        return _xlsx_rows(content)
    if name.endswith((".csv", ".txt")):
        return _csv_rows(content)
    raise ImportRejected(
        [ImportIssue(1, "", "Format non pris en charge : envoyez un fichier .csv ou .xlsx.")]
    )


def _csv_rows(content: bytes) -> list[tuple[int, list[str]]]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [(number, [cell.strip() for cell in row]) for number, row in enumerate(reader, 1)]


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected([ImportIssue(1, "", "Encodage du fichier illisible (UTF-8 attendu).")])


def _xlsx_rows(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportRejected(
            [ImportIssue(1, "", f"Classeur XLSX illisible ({error.__class__.__name__}).")]
        ) from error
    rows = [
        (number, [cell_text(value) for value in row])
        for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1)
    ]
    workbook.close()
    return rows


# What a spreadsheet reads as the start of a formula (or of a DDE command) in a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A signed figure as our exports write them ("-2,6", "+20,0 %", "-3,1 points"): not a formula.
SIGNED_FIGURE = re.compile(
    r"[+-]\d[\d\u202f\u00a0]*([,.]\d+)?([ \u00a0\u202f]?%|[ \u00a0][a-zé]+)?", re.IGNORECASE
)


def inert(value):
    """A text cell that a spreadsheet opening the CSV shows as text, never runs: an apostrophe
    before a formula's first sign ("=HYPERLINK(…)" typed in a form or an import)."""
    if not isinstance(value, str) or len(value) < 2 or not value.startswith(FORMULA_STARTS):
        return value  # a lone "-" is a dash
    return value if SIGNED_FIGURE.fullmatch(value) else f"'{value}"


def csv_bytes(rows) -> bytes:
    """Rows as CSV the way Excel in French opens it: semicolons, UTF-8 with a BOM for the accents.
    Text that a spreadsheet would run as a formula is made inert."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([inert(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def download_response(content: bytes, fmt: str, filename: str) -> HttpResponse:
    """A file to save (csv, xlsx or pdf), named `filename`."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
