"""Reading the files people upload (CSV with comma or semicolon, XLSX) and the values in them.

Shared by the reference importer (public) and the observation importer (member space): both check
the whole file first and report every bad cell by line and column, in French.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from openpyxl import load_workbook

from abs_shared.models import ValueStatus

MISSING_MARKS = {"", "nd", "n.d.", "n.d", "na", "n/a"}
SECRET_MARKS = {"s", "secret"}
# Spaces people and spreadsheets put between thousands: space, no-break space, narrow no-break space.
HEADER_SEARCH_ROWS = 10
THOUSANDS_SPACES = (" ", "\u00a0", "\u202f")


@dataclass(frozen=True)
class ImportIssue:
    """One bad cell: its line in the file (the header is line 1), its column and why."""

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


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number, {column: text})

    def columns(self) -> set[str]:
        return set(self.header)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected([ImportIssue(1, "", "Encodage du fichier illisible (UTF-8 attendu).")])


def _sniff_delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _header_index(raw_rows: list[list[str]]) -> int:
    """INSEE's spreadsheets open with a few lines of title: their header is the row with CODGEO."""
    for index, cells in enumerate(raw_rows[:HEADER_SEARCH_ROWS]):
        if any(cell.strip().upper() == "CODGEO" for cell in cells):
            return index
    return 0


def read_table(uploaded, *, lower_header: bool = True) -> Table:
    """Read an uploaded CSV or XLSX file (first sheet) into a header and numbered rows.

    Blank lines are skipped but keep their number, so that reported lines match the file.
    """
    name = getattr(uploaded, "name", "") or ""
    data = uploaded.read()
    if isinstance(data, str):
        data = data.encode()
    if not data.strip():
        raise ImportRejected([ImportIssue(1, "", "Le fichier est vide.")])
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ImportRejected(
                [ImportIssue(1, "", f"Classeur XLSX illisible ({error.__class__.__name__}).")]
            ) from error
        raw_rows = [[_cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    else:
        text = _decode(data)
        delimiter = _sniff_delimiter(text.splitlines()[0] if text else "")
        raw_rows = [
            [cell.strip() for cell in row]
            for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    if not raw_rows:
        raise ImportRejected([ImportIssue(1, "", "Le fichier est vide.")])
    start = _header_index(raw_rows)
    header = [cell.strip() for cell in raw_rows[start]]
    if lower_header:
        header = [cell.lower() for cell in header]
    rows = []
    for number, cells in enumerate(raw_rows[start + 1 :], start=start + 2):
        if not any(cells):
            continue
        if len(cells) > len(header) and any(cells[len(header) :]):
            raise ImportRejected(
                [ImportIssue(number, "", "Plus de cellules que de colonnes dans l'en-tête.")]
            )
        rows.append(
            (
                number,
                {column: (cells[i] if i < len(cells) else "") for i, column in enumerate(header)},
            )
        )
    return Table(header=header, rows=rows)


def parse_decimal(text: str) -> Decimal:
    """A number written the French or the English way: "12,5", "12.5", "21 340". Raises ValueError."""
    cleaned = text.strip()
    for space in THOUSANDS_SPACES:
        cleaned = cleaned.replace(space, "")
    if "," in cleaned and "." in cleaned:
        raise ValueError(
            f"« {text} » : utilisez soit la virgule, soit le point comme séparateur décimal."
        )
    cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"« {text} » n'est pas un nombre.") from None
    if not number.is_finite():
        raise ValueError(f"« {text} » n'est pas un nombre.")
    if abs(number) >= Decimal("1e12"):
        raise ValueError(f"« {text} » est trop grand.")
    return number.quantize(Decimal("0.0001"))


def parse_value(text: str) -> tuple[str, Decimal | None]:
    """A cell of value: a number, "s" for secret, empty (or "n.d.") for missing."""
    folded = text.strip().lower()
    if folded in MISSING_MARKS:
        return ValueStatus.MISSING, None
    if folded in SECRET_MARKS:
        return ValueStatus.SECRET, None
    return ValueStatus.VALUE, parse_decimal(text)


def parse_year(text: str) -> int:
    cleaned = text.strip()
    if not cleaned.isdigit() or not 1990 <= int(cleaned) <= 2100:
        raise ValueError(f"« {text} » n'est pas une année (entre 1990 et 2100).")
    return int(cleaned)


def check_value_range(indicator, value: Decimal | None) -> None:
    """Refuse what the unit makes impossible: a share above 100 %, a negative count or income."""
    if value is None or indicator.unit == indicator.Unit.INDEX:
        return
    if value < 0:
        raise ValueError("Une valeur négative n'est pas possible pour cet indicateur.")
    if indicator.unit == indicator.Unit.PERCENT and value > 100:
        raise ValueError("Un pourcentage ne peut pas dépasser 100.")
