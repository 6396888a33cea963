"""The ABS side of reading uploaded files (union/spreadsheets.py): header, values, secrecy marks.

Shared by the reference importer (public) and the observation importer (member space): both check
the whole file first and report every bad cell by line and column, in French.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from abs_shared.models import ReferenceValue, ValueStatus
from union.spreadsheets import ImportIssue, ImportRejected, read_rows

MISSING_MARKS = {"", "nd", "n.d.", "n.d", "na", "n/a"}
SECRET_MARKS = {"s", "secret"}
HEADER_SEARCH_ROWS = 10
# Spaces people and spreadsheets put between thousands: space, no-break space, narrow no-break space.
THOUSANDS_SPACES = (" ", "\u00a0", "\u202f")
# What the value fields hold (16 digits, 4 after the point: below 10^12); the numerators and
# denominators of observations (16 digits, 2 after the point) hold more.
_VALUE = ReferenceValue._meta.get_field("value")
LARGEST = Decimal(10) ** (_VALUE.max_digits - _VALUE.decimal_places)


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number, {column: text})

    def columns(self) -> set[str]:
        return set(self.header)


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
    raw_rows = [cells for _line, cells in read_rows(data, name)]
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
    if abs(number) < LARGEST:  # 1E+999999 can't even be rounded
        # Rounding may reach the limit: 999999999999,99999 becomes 10^12.
        number = number.quantize(Decimal("0.0001"))
    if abs(number) >= LARGEST:
        raise ValueError(f"« {text} » est trop grand.")
    return number


def parse_value(text: str, *, blank: str = ValueStatus.MISSING) -> tuple[str, Decimal | None]:
    """A cell of value: a number, "s" for secret, "n.d." for missing, empty for `blank`.

    An empty cell means missing, except in INSEE's files, which leave a value blank when it
    rests on too few households: there the caller passes blank=ValueStatus.SECRET.
    """
    folded = text.strip().lower()
    if not folded:
        return blank, None
    if folded in MISSING_MARKS:
        return ValueStatus.MISSING, None
    if folded in SECRET_MARKS:
        return ValueStatus.SECRET, None
    return ValueStatus.VALUE, parse_decimal(text)


def parse_year(text: str) -> int:
    cleaned = text.strip()
    if not (cleaned.isdecimal() and len(cleaned) == 4 and 1990 <= int(cleaned) <= 2100):
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
