"""Reading the spreadsheets people upload, and writing the ones they download.

Activity figures, ABS observations and references, seminar registrations: each import reads a CSV
(comma, semicolon or tab; UTF-8 or the Windows-1252 that Excel in French still writes) or an XLSX
file (its first visible sheet), checks the whole file, and reports every bad cell by line and column, in
French, before anything is written. This module does the reading and carries the errors; each
app checks its own columns. Downloads (exports, templates to fill in) share the French-Excel CSV
dialect and the content types.
"""

import codecs
import csv
import datetime
import io
import math
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from openpyxl import load_workbook

from union.formats import french_number

DELIMITERS = (";", ",", "\t")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
NUL_CHARACTER = (
    "Cellule contenant un caractère nul (code 0), qui ne peut pas être enregistré : "
    "retirez-le, ou enregistrez de nouveau le fichier depuis le tableur."
)
MAX_NUL_ISSUES = 20
UNCLOSED_QUOTE = (
    "Un guillemet (\") ouvre une cellule sur cette ligne et n'est jamais refermé : "
    "tout le reste du fichier y tomberait. Retirez-le ou refermez-le, puis renvoyez le fichier."
)
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
    """The file was refused as a whole; nothing was written.

    `unreadable`: the file could not be read at all (format, encoding, damaged workbook), as
    opposed to problems placed on a line and a column.
    """

    def __init__(self, errors: list[ImportIssue], *, unreadable: bool = False):
        self.total = len(errors)  # before reported_issues cuts the list
        self.errors = reported_issues(errors)
        self.unreadable = unreadable
        super().__init__(f"{len(errors)} erreur(s) dans le fichier")


# A wrong file (another export, a text renamed .csv) is wrong on every line: 5 Mo of it made a
# million errors, which the page (a table row each) or the API's JSON took minutes and gigabytes
# to write. The first ones tell what is wrong; the last line says how many more there are.
MAX_REPORTED_ISSUES = 100
MORE_ISSUES = (
    "… et {more} autres erreurs à partir de cette ligne ({total} en tout) : vérifiez que "
    "c'est le bon fichier, corrigez les erreurs ci-dessus, puis renvoyez-le."
)


def reported_issues(errors: list[ImportIssue]) -> list[ImportIssue]:
    """`errors`, cut after MAX_REPORTED_ISSUES with one more line saying how many follow."""
    if len(errors) <= MAX_REPORTED_ISSUES:
        return list(errors)
    more = len(errors) - MAX_REPORTED_ISSUES
    message = MORE_ISSUES.format(more=french_number(more), total=french_number(len(errors)))
    return [
        *errors[:MAX_REPORTED_ISSUES],
        ImportIssue(errors[MAX_REPORTED_ISSUES].line, "", message),
    ]


# Excel shows (and lets people type) 15 significant digits: beyond that a float's digits are
# binary rounding noise, e.g. 0.1 + 0.7 is stored as 0.7999999999999999 and shown 0,8.
EXCEL_DIGITS = 15


def excel_decimal(value: float) -> Decimal:
    """A finite float as Excel holds it for display: 15 significant digits, normalised."""
    return Decimal(format(value, f".{EXCEL_DIGITS}g")).normalize()


def french_cell_number(number: Decimal) -> str:
    """A number of a workbook as French Excel shows it: a whole number as it is, without
    separator or exponent ("12", "2023", "93000": years, postal codes and phone numbers read as
    typed), a decimal one with a decimal comma and its thousands grouped ("12,5", "50 900,5", by
    french_number's narrow no-break space). Every importer reads both ways alike: they all take
    the comma for the decimal separator and drop the spaces between thousands."""
    if not number:  # -0 too
        return "0"
    if number == number.to_integral_value():
        return format(number, "f")  # "f": 1E+3 is 1000
    return french_number(number, -number.as_tuple().exponent)


def cell_text(value) -> str:
    """A cell as the person sees it in their spreadsheet: an XLSX number reads as French Excel
    shows it (15 significant digits, french_cell_number), without exponent or a trailing ".0", so
    that 12.0 reads "12" and 0.7999999999999999 (a sum, shown 0,8) reads "0,8"; a date reads
    "05/01/2026", a boolean "VRAI" or "FAUX", so that the importers' messages quote them so."""
    if value is None:
        return ""
    if isinstance(value, bool):  # before numbers: a bool is an int
        return "VRAI" if value else "FAUX"  # as French Excel writes TRUE and FALSE
    if isinstance(value, datetime.datetime):
        # As a French spreadsheet shows a date cell, never Python's "2026-01-05 00:00:00".
        return f"{value:%d/%m/%Y}" if value.time() == datetime.time() else f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, datetime.time):
        return f"{value:%H:%M}"
    if isinstance(value, float):
        if not math.isfinite(value):  # not in a workbook Excel wrote; read as the importers refuse
            return str(value)
        if value == 0:  # -0.0 too
            return "0"
        return french_cell_number(excel_decimal(value))
    return str(value).strip()


@dataclass(frozen=True)
class FileRows:
    """The lines of an uploaded file (read_rows) and, for a workbook, the name of the sheet
    they were read from (None for a CSV): a missing column names it (sheet_read_note)."""

    rows: list[tuple[int, list[str]]]
    sheet: str | None = None


def read_rows(
    content: bytes, filename: str, *, percent_cells: bool = False
) -> list[tuple[int, list[str]]]:
    """(line number, cells as text) of every line of a CSV or XLSX file, header included.

    Blank lines are kept, so that the numbers match what the person sees in their spreadsheet.
    `percent_cells`: a workbook's number formatted as a percentage reads as Excel shows it,
    « 26,4 % » rather than the stored 0.264 (percent_cell_text), for an import whose values may
    be rates (the ABS); the caller reads the sign. Raises ImportRejected when the file can't be
    read.
    """
    return read_file(content, filename, percent_cells=percent_cells).rows


def read_file(content: bytes, filename: str, *, percent_cells: bool = False) -> FileRows:
    """read_rows, with the name of the sheet read from a workbook."""
    name = (filename or "").lower()
    if "." not in name:  # an upload without a name (API clients): a zip container is a workbook
        is_workbook = content[:2] == b"PK"
        read = _xlsx_rows(content, percent_cells) if is_workbook else FileRows(_csv_rows(content))
    elif name.endswith(".xlsx"):
        read = _xlsx_rows(content, percent_cells)
    elif name.endswith((".csv", ".txt")):
        read = FileRows(_csv_rows(content))
    else:
        raise ImportRejected(
            [ImportIssue(1, "", "Format non pris en charge : envoyez un fichier .csv ou .xlsx.")],
            unreadable=True,
        )
    _refuse_nul_characters(read.rows)
    return read


def sheet_read_note(sheet: str | None) -> str:
    """Said with a missing column when the file is a workbook: which sheet was read. People see
    the titles on the sheet they filled in (after « Consignes », under a hidden « Listes »),
    and were told the column is absent without a word about sheets. "" for a CSV."""
    if sheet is None:
        return ""
    return f"feuille « {sheet} » lue : seule la première feuille visible du classeur est importée"


# How far below the first line column titles are looked for (a title, a date, a blank line
# above them), to say where they are rather than call them absent.
MAX_LINES_ABOVE_HEADER = 10


def header_below_issue(
    rows: list[tuple[int, list[str]]], is_header: Callable[[list[str]], bool], titles: str
) -> ImportIssue | None:
    """For a file whose first line lacks required columns: when one of the next non-blank lines
    has them all (`is_header`), as in a list whose first lines are a title (« Rapport d'activité
    2024 », « Liste des inscrits ») or a date, the issue that refuses it with where the titles
    are and which lines to delete, rather than « Colonne … absente » for columns the person
    sees. `titles` names the first columns as the person reads them (« « Nom », « Prénom »… »).
    Shared by the imports, so that they say it alike; None when no line below has them."""
    below = [(line, cells) for line, cells in rows[1:] if any(cells)]
    for line, cells in below[:MAX_LINES_ABOVE_HEADER]:
        if is_header(cells):
            above = "la ligne 1" if line == 2 else f"les lignes 1 à {line - 1}"
            return ImportIssue(
                line,
                "",
                f"Les titres des colonnes ({titles}) sont ligne {line}, et l'import les lit sur "
                f"la première ligne : supprimez {above} (au-dessus des titres), puis importez de "
                "nouveau le fichier.",
            )
    return None


def column_letter(index: int) -> str:
    """The spreadsheet name of the column at `index` (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _refuse_nul_characters(rows: list[tuple[int, list[str]]]) -> None:
    """A NUL character can't be stored (PostgreSQL refuses it in text): say where it is.

    The column is named by the first line's header when it has one there, else by its letter.
    """
    header = rows[0][1] if rows else []
    issues = []
    for line, cells in rows:
        for index, cell in enumerate(cells):
            if "\x00" not in cell:
                continue
            title = header[index] if index < len(header) and line != rows[0][0] else ""
            column = title if title and "\x00" not in title else f"colonne {column_letter(index)}"
            issues.append(ImportIssue(line, column, NUL_CHARACTER))
    if len(issues) > MAX_NUL_ISSUES:  # NULs everywhere: not a text file (a renamed .xls, a PDF…)
        issues = [
            ImportIssue(
                issues[0].line,
                issues[0].column,
                "Le fichier contient des caractères nuls dans de nombreuses cellules : ce n'est "
                "pas un texte CSV. Enregistrez-le depuis le tableur en CSV (UTF-8) ou en XLSX.",
            )
        ]
    if issues:
        raise ImportRejected(issues)


def _csv_rows(content: bytes) -> list[tuple[int, list[str]]]:
    text = _decode(content)
    # The separator is the first line's; or, when a title or a blank line comes first (without
    # any), the first line below that has one: the header, said to be too low (header_below_issue).
    lines = LINE_BREAK.split(text, MAX_LINES_ABOVE_HEADER + 1)[: MAX_LINES_ABOVE_HEADER + 1]
    first_line = next((line for line in lines if any(d in line for d in DELIMITERS)), "")
    counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    # newline=None: lines may end the Windows (\r\n), Unix (\n) or old Mac (\r) way.
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            rows.append((len(rows) + 1, row))
    except csv.Error as error:
        # The line being read when it failed: a quote opened there and never closed swallows
        # the rest of the file into one cell, until the cell is larger than csv allows.
        line = len(rows) + 1
        message = (
            UNCLOSED_QUOTE
            if "field larger than field limit" in str(error)
            else "Ligne illisible : vérifiez les guillemets et les séparateurs de cette ligne."
        )
        raise ImportRejected([ImportIssue(line, "", message)]) from error
    if rows and any("\n" in cell for cell in rows[-1][1]):
        opened = _unclosed_quote_line(text, delimiter)
        if opened:
            raise ImportRejected([ImportIssue(opened, "", UNCLOSED_QUOTE)])
    return [(number, [cell.strip() for cell in row]) for number, row in rows]


def _unclosed_quote_line(text: str, delimiter: str) -> int | None:
    """The line (as csv numbers them) of a quote that opens a cell and is never closed, if any.

    Run only when the last line read holds a line break: either a cell typed on several lines
    (legitimate) or a stray quote that swallowed the end of the file. Follows the csv module's
    own reading: a quote opens a cell only at its start; inside, a doubled quote is a quote.
    """
    record, opened_at = 1, 0
    start, quoted, after_quote = True, False, False
    for char in LINE_BREAK.sub("\n", text):
        if quoted and not after_quote:
            after_quote = char == '"'
            continue
        if after_quote:
            after_quote = False
            if char == '"':  # a doubled quote: a quote inside the cell
                continue
            quoted = False  # the quote closed the cell; what follows is read as it comes
        if char == "\n":
            record += 1
            start = True
        elif start and char == '"':
            quoted, opened_at, start = True, record, False
        else:
            start = char == delimiter
    return opened_at if quoted and not after_quote else None


def _decode(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's « Texte Unicode » (tab-separated) and some other Windows tools write UTF-16.
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportRejected(
                [ImportIssue(1, "", "Encodage du fichier illisible (UTF-16 abîmé).")],
                unreadable=True,
            ) from None
    sample = content[:4096]
    if sample.count(0) * 3 > len(sample):  # no BOM, yet a NUL byte beside every letter: UTF-16
        zeros_first = sample[0::2].count(0) > sample[1::2].count(0)
        try:
            return content.decode("utf-16-be" if zeros_first else "utf-16-le")
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: the NUL bytes are refused with their place
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected(
        [ImportIssue(1, "", "Encodage du fichier illisible (UTF-8 attendu).")], unreadable=True
    )


# The start of an OLE2 compound file: Excel 97-2003 (.xls), or an .xlsx protected by a password
# (Excel then encrypts the workbook inside such a container).
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UNREADABLE_XLSX = (
    "Classeur XLSX illisible : ce fichier n'est pas un classeur Excel (.xlsx) valide. "
    "Ouvrez-le dans votre tableur et enregistrez-le au format .xlsx ou .csv, puis renvoyez-le."
)
OLD_OR_PROTECTED_XLSX = (
    "Ce classeur est au format Excel 97-2003 (.xls) ou protégé par un mot de passe : "
    "ouvrez-le dans votre tableur, retirez le mot de passe s'il y en a un et enregistrez-le "
    "au format .xlsx ou .csv, puis renvoyez-le."
)
NO_SHEET = "Le classeur ne contient aucune feuille de calcul : mettez les données sur la première."
# A workbook is a zip: a few kilobytes can unpack to gigabytes (a « zip bomb »), and a sheet's
# <dimension> (A1:XFD1048576) makes openpyxl pad every row to 16 384 cells. Past these bounds
# the file is refused before it is read, or while its rows are read: a worker that unpacked it
# (or padded its rows) ran out of memory for minutes, for every site. Real imports (activity
# figures, ABS observations, registrations) are hundreds of lines of a dozen columns.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_XLSX_CELLS = 1_000_000
TOO_BIG_XLSX = (
    "Classeur trop volumineux : {what}. Copiez seulement le tableau à importer dans un "
    "nouveau classeur (ou enregistrez-le au format .csv), puis renvoyez-le."
)
XLSX_UNPACKS_TOO_BIG = "une fois décompressé, il dépasserait 100 Mo"
XLSX_TOO_MANY_CELLS = (
    "sa première feuille visible dépasse un million de cellules (lignes × colonnes, cellules vides "
    "comprises)"
)


# What a number format shows literally: quoted text, an escaped character, a [colour] or
# [condition]. A « % » anywhere else makes Excel show the stored number times 100 (0.264: 26,4 %).
FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def is_percent_format(number_format: str | None) -> bool:
    return "%" in FORMAT_LITERALS.sub("", number_format or "")


def percent_cell_text(cell) -> str:
    """cell_text of a workbook cell, except that a number formatted as a percentage reads as
    Excel shows it: « 26,4 % » for a stored 0.264 (its 15 digits first, then times 100)."""
    value = cell.value
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and is_percent_format(getattr(cell, "number_format", None))
    ):
        shown = Decimal(value) if isinstance(value, int) else excel_decimal(value)
        return f"{french_cell_number((shown * 100).normalize())}\u00a0%"
    return cell_text(value)


def _xlsx_rows(content: bytes, percent_cells: bool = False) -> FileRows:
    """The rows of the first visible sheet, and its name. openpyxl raises many kinds of exception
    for a damaged file, while loading or, in read-only mode, while reading the sheet: never named
    to people (their class names mean nothing to them), always the same French sentence."""
    if content.startswith(OLE2_SIGNATURE):
        raise ImportRejected([ImportIssue(1, "", OLD_OR_PROTECTED_XLSX)], unreadable=True)
    _refuse_zip_bomb(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:
        raise ImportRejected([ImportIssue(1, "", UNREADABLE_XLSX)], unreadable=True) from error
    try:
        if not workbook.worksheets:  # only chart sheets
            raise ImportRejected([ImportIssue(1, "", NO_SHEET)], unreadable=True)
        sheet = _sheet_to_read(workbook)
        if percent_cells:  # the cells themselves, for their number format: slower, on demand
            rows = [
                (number, [percent_cell_text(cell) for cell in row])
                for number, row in _bounded_rows(sheet.iter_rows())
            ]
        else:
            rows = [
                (number, [cell_text(value) for value in row])
                for number, row in _bounded_rows(sheet.iter_rows(values_only=True))
            ]
    except ImportRejected:
        raise
    except Exception as error:  # a sheet whose XML is damaged
        raise ImportRejected([ImportIssue(1, "", UNREADABLE_XLSX)], unreadable=True) from error
    finally:
        workbook.close()
    _refuse_formulas_without_values(content, rows)
    return FileRows(rows, sheet.title)


def _sheet_to_read(workbook):
    """The first visible worksheet of a workbook opened read-only, sized by its cells. A
    template's first sheet is often hidden (« Listes », the choices of its drop-down lists).
    Its declared size (`<dimension ref>`) is ignored: WPS Office, R's xlsx and streaming writers
    declare « A1 » or a stale range, and openpyxl's read-only mode stops there, dropping rows
    and columns without a word. _bounded_rows bounds what is read instead."""
    sheets = workbook.worksheets
    sheet = next((sheet for sheet in sheets if sheet.sheet_state == "visible"), sheets[0])
    sheet.reset_dimensions()
    return sheet


def _too_big(what: str) -> ImportRejected:
    return ImportRejected([ImportIssue(1, "", TOO_BIG_XLSX.format(what=what))], unreadable=True)


def _refuse_zip_bomb(content: bytes) -> None:
    """Refuse a workbook whose parts would unpack past MAX_XLSX_UNPACKED_BYTES. The sizes
    are the zip's directory's: zipfile stops reading a part at its declared size, so a part
    cannot unpack past what this adds up."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # load_workbook says the file is unreadable
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise _too_big(XLSX_UNPACKS_TOO_BIG)


def _bounded_rows(rows):
    """(number, row) of a sheet's rows, refused once they hold more than MAX_XLSX_CELLS cells
    (an empty row counts as one: a lone `<row r="900000000">` yields every row before it)."""
    cells = 0
    for number, row in enumerate(rows, 1):
        cells += max(len(row), 1)
        if cells > MAX_XLSX_CELLS:
            raise _too_big(XLSX_TOO_MANY_CELLS)
        yield number, row


FORMULA_WITHOUT_VALUE = (
    "Cellule calculée par une formule ({formula}) dont le fichier n'a pas enregistré le résultat "
    "(fichier produit par un programme) : ouvrez-le dans Excel ou LibreOffice, enregistrez-le, "
    "puis importez-le de nouveau."
)
MAX_FORMULA_ISSUES = 20


def _refuse_formulas_without_values(content: bytes, rows: list[tuple[int, list[str]]]) -> None:
    """A formula saved without its result (files written by scripts; Excel and LibreOffice
    always save both) reads as an empty cell: the importers would say « Nom manquant » about a
    cell the person sees filled. Find them by reading the formulas themselves, a second pass
    made only when a sheet has a formula with no cached value at all (rare: cheap to skip)."""
    if not _has_formula_without_value(content):
        return
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    issues = []
    try:
        formulas = _sheet_to_read(workbook).iter_rows(values_only=True)
        for (number, texts), cells in zip(rows, formulas, strict=False):
            for index, cell in enumerate(cells):
                empty = index >= len(texts) or texts[index] == ""
                if empty and isinstance(cell, str) and cell.startswith("="):
                    formula = cell if len(cell) <= 40 else cell[:39] + "…"
                    issues.append(
                        ImportIssue(
                            number,
                            column_letter(index),
                            FORMULA_WITHOUT_VALUE.format(formula=formula),
                        )
                    )
    finally:
        workbook.close()
    if issues:
        raise ImportRejected(issues[:MAX_FORMULA_ISSUES])


# A formula cell as a sheet's XML stores it: `<c r="B2"><f>SUM(…)</f><v>12</v></c>`; without
# `<v>` the result was never computed (or an empty `<v/>`).
FORMULA_CELL = re.compile(rb"<(?:\w+:)?f[ >/].*?</(?:\w+:)?c>", re.DOTALL)
CACHED_VALUE = re.compile(rb"<(?:\w+:)?v>")


def _has_formula_without_value(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = archive.read(name)
                    if any(
                        not CACHED_VALUE.search(cell.group()) for cell in FORMULA_CELL.finditer(xml)
                    ):
                        return True
    except zipfile.BadZipFile:
        return False
    return False


# What a spreadsheet reads as the start of a formula (or of a DDE command) in a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A signed figure as our exports write them ("-2,6", "+20,0 %", "-3,1 points"): not a formula.
SIGNED_FIGURE = re.compile(
    r"[+-]\d[\d\u202f\u00a0]*([,.]\d+)?([ \u00a0\u202f]?%|[ \u00a0][a-zé]+)?", re.IGNORECASE
)


def csv_cell(value) -> str:
    """A value as a cell of our CSV exports: dates « 21/07/2025 », times « 03/12/2026 14:58 » (as
    given: make an aware one local first), "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return date_format(value, "d/m/Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "d/m/Y")
    return str(value)


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


# Characters a worksheet's name cannot hold (Excel refuses them, openpyxl too).
SHEET_NAME_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
SHEET_NAME_LIMIT = 31  # Excel's limit; openpyxl only warns and Excel then "repairs" the file


def sheet_name_from(text: str) -> str:
    """A worksheet name made from text people typed (an event's or a mandate's label, a table's
    caption): « Mandature 2020/2026 » -> « Mandature 2020-2026 ». Excel refuses \\ / * ? : [ ],
    more than 31 characters and an apostrophe at either end, and asks to repair such a file."""
    name = SHEET_NAME_FORBIDDEN.sub("-", text)[:SHEET_NAME_LIMIT].strip().strip("'")
    return name or "Feuille 1"


def new_sheet(sheet_name: str, headers: list[str], *, title: str | None = None):
    """A workbook whose active sheet has an optional title line (bold, larger), then the column
    headers in bold, frozen below them so that they stay in view. Returns (workbook, sheet).
    `sheet_name` may be typed text: it is made a valid worksheet name."""
    from openpyxl import Workbook

    workbook = Workbook()
    return workbook, _lay_out(workbook.active, sheet_name, headers, title)


def add_sheet(workbook, sheet_name: str, headers: list[str], *, title: str | None = None):
    """Another sheet of `workbook`, laid out as new_sheet lays out its first. Returns it."""
    return _lay_out(workbook.create_sheet(), sheet_name, headers, title)


def _lay_out(sheet, sheet_name: str, headers: list[str], title: str | None):
    from openpyxl.styles import Font

    sheet.title = sheet_name_from(sheet_name)
    if title is not None:
        (title_cell,) = append_row(sheet, [title])
        title_cell.font = Font(bold=True, size=13)
    for cell in append_row(sheet, headers):
        cell.font = Font(bold=True)
    sheet.freeze_panes = f"A{sheet.max_row + 1}"
    return sheet


def printable(value):
    """A text without the control characters a workbook cannot hold (a vertical tab pasted from
    a slide, say): openpyxl refuses them, which would fail the whole export."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def append_row(sheet, values: list) -> tuple:
    """Append a row whose typed texts stay text (keep_as_text) and hold no control character;
    returns its cells, as many as the widest row appended so far (a short note's row is as wide
    as the table, for a style to cover it)."""
    sheet.append([printable(value) for value in values])
    # openpyxl's own row counter and a width kept here: `sheet[sheet.max_row]` scanned every
    # cell written to find the last row and the widest one, for each row (4,000 rows: 7.8 s).
    row = sheet._current_row
    width = sheet._maillage_width = max(len(values), getattr(sheet, "_maillage_width", 0))
    cells = tuple(sheet.cell(row=row, column=column) for column in range(1, width + 1))
    for cell in cells:
        keep_as_text(cell)
    return cells


def keep_as_text(cell) -> None:
    """A typed text stays text, whatever it starts with: openpyxl writes any "=…" as a live
    formula. Text starting like a formula is also flagged the way Excel flags a value typed after
    an apostrophe, so that editing the cell keeps it text."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        cell.quotePrefix = cell.value.startswith(FORMULA_STARTS)


def set_widths(sheet, widths: tuple[int, ...]) -> None:
    """Column widths, in characters, from column A."""
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download_response(content: bytes, fmt: str, filename: str) -> HttpResponse:
    """A file to save (csv, xlsx or pdf), named `filename`."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = attachment_header(filename)
    return response


# Letters NFKD does not decompose into a base letter and an accent: spelt out, not dropped
# (« vœux » would become « vux »).
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def ascii_slug(text: str) -> str:
    """A slug for a file name, in ASCII whatever the title: « Vœux aux élus – Noël » ->
    « voeux-aux-elus-noel » (Django's slugify drops what NFKD leaves as non-ASCII)."""
    return slugify(text.translate(LIGATURES))


def ascii_file_name(*parts: str, extension: str) -> str:
    """A download's name, in ASCII, from its parts (a kind, an event's slug, a person):
    (« attestation-presence », « séminaire-début-de-mandat », « Dupont Élodie »), "pdf" ->
    « attestation-presence-seminaire-debut-de-mandat-dupont-elodie.pdf ». Wagtail's slugs keep
    accents; a file saved with them is mangled by some mail clients and Windows tools, even when
    attachment_header sent them right. Empty parts are left out."""
    stem = "-".join(slug for slug in map(ascii_slug, parts) if slug)
    return f"{stem or 'fichier'}.{extension}"


def attachment_header(filename: str, *, inline: bool = False) -> str:
    """The Content-Disposition of a download named `filename` (RFC 6266). Non-ASCII names go
    as `filename*` (RFC 5987, UTF-8), after an ASCII `filename` for older clients: sent raw,
    as Latin-1 bytes, « émargement-séminaire.pdf » was saved as « download.pdf »."""
    header = content_disposition_header(not inline, filename)
    if "filename*=" not in header:
        return header
    stem, dot, extension = filename.rpartition(".")
    fallback = f"{ascii_slug(stem)}{dot}{ascii_slug(extension)}" if dot else ascii_slug(filename)
    kind, encoded = header.split("; ", 1)
    return f'{kind}; filename="{fallback or "fichier"}"; {encoded}'
