"""The ABS side of reading uploaded files (union/spreadsheets.py): header, values, secrecy marks.

Shared by the reference importer (public) and the observation importer (member space): both check
the whole file first and report every bad cell by line and column, in French.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from abs_shared.models import ReferenceValue, ValueStatus
from union.formats import french_number
from union.spreadsheets import ImportIssue, ImportRejected, column_letter, read_file

MISSING_MARKS = {"", "nd", "n.d.", "n.d", "na", "n/a"}
SECRET_MARKS = {"s", "secret"}
HEADER_SEARCH_ROWS = 10
# Spaces people and spreadsheets put between thousands: space, no-break space, narrow no-break space.
THOUSANDS_SPACES = (" ", "\u00a0", "\u202f")
# What the value fields hold (16 digits, 4 after the point: below 10^12); the numerators and
# denominators of observations (16 digits, 2 after the point) hold more.
_VALUE = ReferenceValue._meta.get_field("value")
LARGEST = Decimal(10) ** (_VALUE.max_digits - _VALUE.decimal_places)
FIRST_YEAR = 1990
# With both separators, the last is the decimal one and the other groups thousands by three:
# "1.234,5" or "1,234.5" (as the activity import reads amounts). A lone separator stays decimal
# ("1,234" is 1,234: values have up to four decimals, unlike euros), and "1.2,5" is refused.
GROUPED = re.compile(r"\d{1,3}(?P<sep>[.,])\d{3}((?P=sep)\d{3})*(?!(?P=sep))[.,]\d+")


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number, {column: text})
    # Cells outside the header's named columns, one issue per line: reported with the rest.
    issues: list[ImportIssue] = field(default_factory=list)
    # The sheet read, for a workbook (its first visible one): a missing column names it.
    sheet: str | None = None
    # Every line of the file as read (line number, cells), blank ones included: an importer
    # whose header is missing looks for it further down (union.spreadsheets.header_below_issue).
    lines: list[tuple[int, list[str]]] = field(default_factory=list)

    def columns(self) -> set[str]:
        return set(self.header)


def _header_index(raw_rows: list[list[str]]) -> int:
    """INSEE's spreadsheets open with a few lines of title: their header is the row with CODGEO."""
    for index, cells in enumerate(raw_rows[:HEADER_SEARCH_ROWS]):
        if any(cell.strip().upper() == "CODGEO" for cell in cells):
            return index
    return 0


def read_table(uploaded, *, lower_header: bool = True) -> Table:
    """Read an uploaded CSV or XLSX file (first visible sheet) into a header and numbered rows.

    Blank lines are skipped but keep their number, so that reported lines match the file. A
    filled cell in a column without a header (beyond the header, or under a blank header cell)
    is not read silently: it becomes an issue of `Table.issues`, which the importers report
    with the other errors of the file (so that one stray cell does not hide them).
    """
    name = getattr(uploaded, "name", "") or ""
    data = uploaded.read()
    if isinstance(data, str):
        data = data.encode()
    if not data.strip():
        raise ImportRejected([ImportIssue(1, "", "Le fichier est vide.")])
    # A percentage cell reads « 26,4 % », as Excel shows it: its stored 0.264 is no rate.
    read = read_file(data, name, percent_cells=True)
    raw_rows = [cells for _line, cells in read.rows]
    if not raw_rows:
        raise ImportRejected([ImportIssue(1, "", "Le fichier est vide.")])
    start = _header_index(raw_rows)
    header = [cell.strip() for cell in raw_rows[start]]
    if lower_header:
        header = [cell.lower() for cell in header]
    named = [(i, column) for i, column in enumerate(header) if column]
    rows, issues = [], []
    for number, cells in enumerate(raw_rows[start + 1 :], start=start + 2):
        if not any(cells):
            continue
        stray = [i for i, cell in enumerate(cells) if cell and (i >= len(header) or not header[i])]
        if stray:
            issues.append(_stray_cells(number, cells, stray, len(named)))
        rows.append((number, {column: (cells[i] if i < len(cells) else "") for i, column in named}))
    return Table(header=header, rows=rows, issues=issues, sheet=read.sheet, lines=read.rows)


def _stray_cells(line: int, cells: list[str], stray: list[int], named: int) -> ImportIssue:
    """The issue of a line with filled cells in columns the header doesn't name, placed at the
    first of them (« colonne D », the letter the spreadsheet shows)."""
    shown = ", ".join(f"« {cells[i]} »" for i in stray[:3]) + (" …" if len(stray) > 3 else "")
    if len(stray) == 1:
        what, fix = "1 cellule remplie", "videz-la, ou nommez sa colonne dans l'en-tête"
    else:
        what = f"{len(stray)} cellules remplies"
        fix = "videz-les, ou nommez leurs colonnes dans l'en-tête"
    return ImportIssue(
        line,
        f"colonne {column_letter(stray[0])}",
        f"{what} hors des {named} colonnes nommées par l'en-tête ({shown}) : {fix}.",
    )


# The width of each level's INSEE code (SIREN for an EPCI or EPT): a spreadsheet reads « 01 » or
# « 01004 » as a number and drops the leading zero (1, 1004).
CODE_WIDTHS = {"region": 2, "departement": 2, "commune": 5, "epci": 9}


def insee_code(text: str, width: int) -> str:
    """A territory code as a file gives it, read as INSEE writes it: trimmed, in capitals
    (« 2a » is 2A, « frm » FRM) and, when it is all digits, with the leading zeros a spreadsheet
    dropped put back (« 1 » of width 2 is 01, « 1004 » of width 5 is 01004). Shared by the
    reference import and the member's INSEE import (`CODGEO`)."""
    code = text.strip().upper()
    return code.zfill(width) if code.isascii() and code.isdigit() else code


def header_key(text: str) -> str:
    """A header cell as the importers compare it: lower case, without accents (« Année » and
    « annee » are the same column)."""
    folded = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in folded if not unicodedata.combining(c))


def key_columns(
    table: Table, aliases: dict[str, str], french_names: dict[str, str]
) -> tuple[dict[str, str], list[ImportIssue]]:
    """Re-key `table.rows` by field (aliases: folded header -> field) and say how the file's
    header names each field, so that every error quotes the person's own column.

    Returns ({field: header cell as written}, issues): a field given twice (« valeur » and
    « value ») is refused, as one of the two would be ignored.
    """
    labels: dict[str, str] = {}
    issues = []
    for column in table.header:
        field_name = aliases.get(header_key(column))
        if field_name is None:
            continue
        if field_name in labels:
            issues.append(
                ImportIssue(
                    1,
                    column,
                    f"Colonne en double : « {labels[field_name]} » et « {column} » désignent "
                    f"toutes deux la colonne {french_names[field_name]}. Gardez-en une.",
                )
            )
            continue
        labels[field_name] = column
    table.rows = [
        (line, {field_name: row.get(column, "") for field_name, column in labels.items()})
        for line, row in table.rows
    ]
    return labels, issues


def parse_decimal(text: str) -> Decimal:
    """A number written the French or the English way: "12,5", "12.5", "21 340". Raises ValueError."""
    cleaned = text.strip()
    for space in THOUSANDS_SPACES:
        cleaned = cleaned.replace(space, "")
    sign = cleaned[:1] if cleaned[:1] in "+-" else ""
    if "," in cleaned and "." in cleaned:
        grouped = GROUPED.fullmatch(cleaned[len(sign) :])
        if grouped is None:
            raise ValueError(
                f"« {text} » : utilisez soit la virgule, soit le point comme séparateur décimal "
                "(un nombre comme 1 234,5 peut aussi s'écrire 1.234,5)."
            )
        cleaned = cleaned.replace(grouped["sep"], "")
    cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"« {text} » n'est pas un nombre.") from None
    if not number.is_finite():
        raise ValueError(f"« {text} » n'est pas un nombre.")
    if abs(number) < LARGEST:  # 1E+999999 can't even be rounded
        # Rounding may reach the limit: 999999999999,99999 becomes 10^12.
        number = number.quantize(Decimal("0.0001"))
    if abs(number) >= LARGEST:
        raise ValueError(f"« {text} » est trop grand.")
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
    # « 26,4 % » typed, or a percentage cell of a workbook: the number; check_value_range
    # refuses the sign for an indicator that is no percentage.
    return ValueStatus.VALUE, parse_decimal(PERCENT_SIGN.sub("", text))


# A percent sign after a value, with or without a space (a no-break one too).
PERCENT_SIGN = re.compile(r"[\s\u00a0\u202f]*%\s*$")


def has_percent_sign(text: str | None) -> bool:
    return bool(text and PERCENT_SIGN.search(text))


def latest_year() -> int:
    """The latest year a value may describe: the current one, in Paris (a value of a year to
    come is a typing error, and would stand at the end of every series)."""
    return timezone.localdate().year


def year_error(year: int) -> str | None:
    """Why `year` can't be a value's year (French), or None."""
    latest = latest_year()
    if year < FIRST_YEAR:
        return f"{year} est une année trop ancienne ; la première acceptée est {FIRST_YEAR}."
    if year > latest:
        return (
            f"{year} est une année à venir ; la dernière acceptée est l'année en cours, {latest}."
        )
    return None


def parse_year(text: str) -> int:
    cleaned = text.strip()
    if not (cleaned.isdecimal() and cleaned.isascii() and len(cleaned) == 4):
        raise ValueError(
            f"« {text} » n'est pas une année (quatre chiffres, de {FIRST_YEAR} à {latest_year()})."
        )
    error = year_error(int(cleaned))
    if error:
        raise ValueError(error)
    return int(cleaned)


def check_value_range(indicator, value: Decimal | None, text: str | None = None) -> None:
    """Refuse what the unit makes impossible: a share above 100 %, a negative count or income,
    a count with decimals. `text` is the cell as typed, quoted by the message."""
    if value is not None and indicator.unit != indicator.Unit.PERCENT and has_percent_sign(text):
        # A percentage cell (0.264 shown « 26,4 % ») or a typed « % »: not this unit's number.
        raise ValueError(
            f"« {text.strip()} » : cet indicateur ne se mesure pas en pourcentage "
            f"(unité : {indicator.unit_label}) ; écrivez le nombre seul."
        )
    if value is None or indicator.unit == indicator.Unit.INDEX:
        return
    if value < 0:
        raise ValueError("Une valeur négative n'est pas possible pour cet indicateur.")
    if indicator.unit == indicator.Unit.PERCENT and value > 100:
        raise ValueError("Un pourcentage ne peut pas dépasser 100.")
    if indicator.unit == indicator.Unit.COUNT and value != value.to_integral_value():
        raise ValueError(count_error(typed_decimal(value) if text is None else text.strip()))
    if (
        indicator.unit == indicator.Unit.EUROS_YEAR
        and text is not None
        and THREE_DECIMALS.fullmatch(text.strip())
    ):
        # « 21.340 » would be a median income of 21,34 €: a thousands point, as for a count.
        raise ValueError(amount_error(text.strip()))


# One separator followed by three digits: « 1.727 » or « 1,727 », read as 1,727 (values have up
# to four decimals), is most often 1 727 written the English or the German way.
THREE_DECIMALS = re.compile(r"[+-]?\d{1,3}[.,]\d{3}")


def count_error(text: str) -> str:
    """Why a count with decimals is refused, with the whole number it likely meant."""
    message = f"Un effectif est un nombre entier : « {text} »"
    if THREE_DECIMALS.fullmatch(text):
        whole = int(re.sub(r"[.,]", "", text))
        grouped = f"{whole:,}".replace(",", " ")
        return f"{message} ; écrivez {whole} ou {grouped}."
    return f"{message} ; écrivez-le sans décimale."


def amount_error(text: str) -> str:
    """Why « 21.340 » is refused as an amount in euros: a lone separator before three digits
    reads as a decimal one (21,34 €), and no amount has thousandths; most often it groups
    thousands."""
    whole = int(re.sub(r"[.,]", "", text))
    read = french_number(Decimal(text.replace(",", ".")), 2)
    return (
        f"Montant ambigu : « {text} » se lirait {read} € ; pour "
        f"{french_number(whole, 0)} €, écrivez {whole} ou {french_number(whole, 0)}."
    )


def typed_decimal(value: Decimal) -> str:
    """A stored value as a person types it: decimal comma, no trailing zeros, no thousands
    separator (« 27,1 » for 27.1000, « 19214,8 », « 0 »), so that a form shows it as entered."""
    text = format(value.normalize(), "f")  # normalize() alone writes 1000 as 1E+3
    return text.replace(".", ",")
