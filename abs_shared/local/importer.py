"""Reading a member's observation file: the Maillage template or an INSEE commune file.

Template: columns `indicateur;année;valeur[;numérateur;dénominateur;source;commentaire]` (the
English names of the first template, `indicator,year,value…`, are still read). Errors name a
column as the file's own header does, or by its French name when it is missing.
INSEE: a `CODGEO` column and indicator columns carrying the vintage (`MED21`, `TP6021`); only the
row of the member's commune is kept (a CIAS's: its intercommunality's SIREN, as in INSEE's EPCI
files; never its seat commune's row). INSEE leaves a value blank when it rests on too few
households, so there a blank cell is secret ("s"), whereas in the template it is missing.
Either way the whole file is checked before anything is written, and every problem is reported by
line and column.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from abs_shared.local.models import Observation
from abs_shared.models import Indicator, ValueStatus
from abs_shared.tabular import (
    ImportIssue,
    ImportRejected,
    Table,
    check_value_range,
    header_key,
    insee_code,
    key_columns,
    parse_decimal,
    parse_value,
    parse_year,
    read_table,
    year_error,
)
from union.spreadsheets import header_below_issue, sheet_read_note

# The fields of a template row (code), and the template's headers (what people read).
FIELDS = ["indicator", "year", "value", "numerator", "denominator", "source", "comment"]
TEMPLATE_COLUMNS = [
    "indicateur",
    "année",
    "valeur",
    "numérateur",
    "dénominateur",
    "source",
    "commentaire",
]
FRENCH_NAMES = dict(zip(FIELDS, TEMPLATE_COLUMNS, strict=True))
REQUIRED_COLUMNS = FIELDS[:3]
# Headers read, compared without case or accents (tabular.header_key): the template's French
# ones, the English ones of the first template, which existing files still carry.
COLUMN_ALIASES = {header_key(name): field for field, name in FRENCH_NAMES.items()} | {
    field: field for field in FIELDS
}
# How the template's column titles are named when they are found below the first line.
TEMPLATE_TITLES = f"« {TEMPLATE_COLUMNS[0]} », « {TEMPLATE_COLUMNS[1]} »…"
MAX_SOURCE = Observation._meta.get_field("source").max_length
INSEE_COLUMN = re.compile(r"(?P<code>[A-Z0-9_]+?)(?P<yy>\d{2})")


@dataclass
class ParsedObservation:
    indicator: Indicator
    year: int
    status: str
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    source: str = ""
    comment: str = ""
    # The column of an INSEE file whose blank cell was read as secret: the import summary says so.
    blank_insee_column: str = ""


def read_observations(uploaded, commune_code: str) -> list[ParsedObservation]:
    """Parse and check a whole file for the member of `commune_code` (INSEE code, or SIREN for a
    CIAS); raise ImportRejected."""
    table = read_table(uploaded, lower_header=False)
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    upper = [column.upper() for column in table.header]
    if "CODGEO" in upper:
        return _read_insee(table, indicators, commune_code)
    return _read_template(table, indicators)


def _is_template_header(cells: list[str]) -> bool:
    fields = {COLUMN_ALIASES.get(header_key(cell)) for cell in cells}
    return all(name in fields for name in REQUIRED_COLUMNS)


def _read_template(table: Table, indicators: dict[str, Indicator]) -> list[ParsedObservation]:
    labels, header_issues = key_columns(table, COLUMN_ALIASES, FRENCH_NAMES)
    # A missing column of a workbook names the sheet read: the person may have filled another.
    note = sheet_read_note(table.sheet)
    missing = [
        ImportIssue(
            1,
            FRENCH_NAMES[name],
            f"Colonne « {FRENCH_NAMES[name]} » absente de la ligne d'en-tête ("
            + (f"{note} ; " if note else "")
            + "le modèle commence par indicateur;année;valeur ; un fichier de l'INSEE a une "
            "colonne CODGEO).",
        )
        for name in REQUIRED_COLUMNS
        if name not in labels
    ]
    # A title (and a blank line) above the column titles: say where they are, not absent.
    if missing and (below := header_below_issue(table.lines, _is_template_header, TEMPLATE_TITLES)):
        raise ImportRejected([below])
    if missing or header_issues:
        raise ImportRejected(header_issues + missing)
    # Every issue names the column as the file's header writes it.
    label = labels.get
    errors: list[ImportIssue] = list(table.issues)
    seen: dict[tuple[str, int], int] = {}
    parsed = []
    for line, row in table.rows:
        if not any(
            row.get(column, "").strip() for column in ("year", "value", "numerator", "denominator")
        ):
            continue  # a row of the template left blank
        row_errors: list[ImportIssue] = []
        indicator = indicators.get(row["indicator"].strip().upper())
        if indicator is None:
            row_errors.append(
                ImportIssue(
                    line,
                    label("indicator"),
                    f"Indicateur « {row['indicator']} » absent du catalogue.",
                )
            )
        year = _cell(row_errors, line, label("year"), parse_year, row["year"])
        status_value = (
            _checked_value(row_errors, line, label("value"), indicator, row["value"])
            if indicator is not None
            else _cell(row_errors, line, label("value"), parse_value, row["value"])
        )
        numbers = {}
        for column in ("numerator", "denominator"):
            text = row.get(column, "").strip()
            numbers[column] = (
                _cell(row_errors, line, label(column), parse_decimal, text) if text else None
            )
            if numbers[column] is not None and numbers[column] < 0:
                row_errors.append(
                    ImportIssue(line, label(column), "Un effectif ne peut pas être négatif.")
                )
        if (
            numbers["numerator"] is not None
            and numbers["denominator"] is not None
            and numbers["numerator"] > numbers["denominator"]
        ):
            row_errors.append(
                ImportIssue(line, label("numerator"), "Le numérateur dépasse le dénominateur.")
            )
        source = row.get("source", "").strip()
        if len(source) > MAX_SOURCE:
            # The form refuses it too: cut, the end of a source (its year, its table) is lost.
            row_errors.append(
                ImportIssue(
                    line,
                    label("source"),
                    f"Source trop longue : {len(source)} caractères, {MAX_SOURCE} au plus.",
                )
            )
        if indicator is not None and year is not None:
            key = (indicator.code, year)
            if key in seen:
                row_errors.append(
                    ImportIssue(
                        line,
                        label("indicator"),
                        f"{indicator.code} {year} figure déjà ligne {seen[key]}.",
                    )
                )
            seen.setdefault(key, line)
        errors.extend(row_errors)
        if not row_errors:
            parsed.append(
                ParsedObservation(
                    indicator=indicator,
                    year=year,
                    status=status_value[0],
                    value=status_value[1],
                    numerator=numbers["numerator"],
                    denominator=numbers["denominator"],
                    source=source or indicator.source,
                    comment=row.get("comment", "").strip(),
                )
            )
    if errors:
        raise ImportRejected(sorted(errors, key=lambda issue: issue.line))
    if not parsed:
        raise ImportRejected([ImportIssue(2, "", "Aucune ligne de données.")])
    return parsed


def _cell(errors: list[ImportIssue], line: int, column: str, parse, *args):
    """Run one cell's parser; on ValueError record the issue and return None."""
    try:
        return parse(*args)
    except ValueError as error:
        errors.append(ImportIssue(line, column, str(error)))
        return None


def _checked_value(
    errors, line, column, indicator: Indicator, text: str, blank: str = ValueStatus.MISSING
):
    """(status, value) of a cell, its range checked against the unit; None after an error."""
    try:
        status, value = parse_value(text, blank=blank)
        check_value_range(indicator, value, text)
    except ValueError as error:
        errors.append(ImportIssue(line, column, str(error)))
        return None
    return status, value


def insee_columns(
    header: list[str], indicators: dict[str, Indicator]
) -> dict[str, tuple[Indicator, int]]:
    """{column: (indicator, year)} for the columns named <code><two-digit vintage>, e.g. TP6021."""
    found = {}
    for column in header:
        match = INSEE_COLUMN.fullmatch(column.strip().upper())
        if match and match["code"].rstrip("_") in indicators:
            found[column] = (indicators[match["code"].rstrip("_")], 2000 + int(match["yy"]))
    return found


def _read_insee(
    table: Table, indicators: dict[str, Indicator], commune_code: str
) -> list[ParsedObservation]:
    codgeo = next(column for column in table.header if column.upper() == "CODGEO")
    columns = insee_columns(table.header, indicators)
    if not columns:
        raise ImportRejected(
            [
                ImportIssue(
                    1, "", "Aucune colonne d'indicateur reconnue (par exemple MED21 ou TP6021)."
                )
            ]
        )
    # Spreadsheets drop the leading zero of codes such as 01004 (read as the reference import
    # reads its codes).
    matches = [
        (line, row)
        for line, row in table.rows
        if insee_code(row[codgeo], len(commune_code)) == commune_code
    ]
    territory = (
        f"La commune {commune_code}"
        if len(commune_code) == 5
        else (f"L'intercommunalité {commune_code}")
    )
    if not matches:
        raise ImportRejected(
            [ImportIssue(1, codgeo, f"{territory} ne figure pas dans le fichier.")]
        )
    if len(matches) > 1:
        raise ImportRejected(
            [ImportIssue(matches[1][0], codgeo, f"{territory} figure plusieurs fois.")]
        )
    line, row = matches[0]
    # Only this line is read: a stray cell on another commune's line loses nothing of ours.
    errors: list[ImportIssue] = [issue for issue in table.issues if issue.line == line]
    parsed = []
    for column, (indicator, year) in columns.items():
        vintage_error = year_error(year)  # MED99 would be 2099
        if vintage_error:
            errors.append(ImportIssue(line, column, vintage_error))
            continue
        # INSEE leaves blank what rests on too few households: secret, not missing.
        status_value = _checked_value(
            errors, line, column, indicator, row[column], blank=ValueStatus.SECRET
        )
        if status_value is None:
            continue
        parsed.append(
            ParsedObservation(
                indicator=indicator,
                year=year,
                status=status_value[0],
                value=status_value[1],
                source=f"{indicator.source} (colonne {column})"[:200],
                blank_insee_column="" if row[column].strip() else column,
            )
        )
    if errors:
        raise ImportRejected(errors)
    return parsed
