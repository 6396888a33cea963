"""Reading a member's observation file: the Maillage template or an INSEE commune file.

Template: columns `indicator,year,value[,numerator,denominator,source,comment]`.
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

from abs_shared.models import Indicator, ValueStatus
from abs_shared.tabular import (
    ImportIssue,
    ImportRejected,
    Table,
    check_value_range,
    parse_decimal,
    parse_value,
    parse_year,
    read_table,
)

TEMPLATE_COLUMNS = ["indicator", "year", "value", "numerator", "denominator", "source", "comment"]
REQUIRED_COLUMNS = TEMPLATE_COLUMNS[:3]
# French headers people type in their own files.
COLUMN_ALIASES = {
    "indicateur": "indicator",
    "annee": "year",
    "année": "year",
    "valeur": "value",
    "numerateur": "numerator",
    "numérateur": "numerator",
    "denominateur": "denominator",
    "dénominateur": "denominator",
    "commentaire": "comment",
}
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
    table.header = [COLUMN_ALIASES.get(column.lower(), column.lower()) for column in table.header]
    table.rows = [
        (line, {COLUMN_ALIASES.get(k.lower(), k.lower()): v for k, v in row.items()})
        for line, row in table.rows
    ]
    return _read_template(table, indicators)


def _read_template(table: Table, indicators: dict[str, Indicator]) -> list[ParsedObservation]:
    missing = [column for column in REQUIRED_COLUMNS if column not in table.columns()]
    if missing:
        raise ImportRejected(
            [
                ImportIssue(
                    1, column, "Colonne obligatoire absente (ou colonne CODGEO d'un fichier INSEE)."
                )
                for column in missing
            ]
        )
    errors: list[ImportIssue] = []
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
                    line, "indicator", f"Indicateur « {row['indicator']} » absent du catalogue."
                )
            )
        year = _cell(row_errors, line, "year", parse_year, row["year"])
        status_value = (
            _checked_value(row_errors, line, "value", indicator, row["value"])
            if indicator is not None
            else _cell(row_errors, line, "value", parse_value, row["value"])
        )
        numbers = {}
        for column in ("numerator", "denominator"):
            text = row.get(column, "").strip()
            numbers[column] = _cell(row_errors, line, column, parse_decimal, text) if text else None
            if numbers[column] is not None and numbers[column] < 0:
                row_errors.append(
                    ImportIssue(line, column, "Un effectif ne peut pas être négatif.")
                )
        if (
            numbers["numerator"] is not None
            and numbers["denominator"] is not None
            and numbers["numerator"] > numbers["denominator"]
        ):
            row_errors.append(
                ImportIssue(line, "numerator", "Le numérateur dépasse le dénominateur.")
            )
        if indicator is not None and year is not None:
            key = (indicator.code, year)
            if key in seen:
                row_errors.append(
                    ImportIssue(
                        line, "indicator", f"{indicator.code} {year} figure déjà ligne {seen[key]}."
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
                    source=row.get("source", "").strip()[:200] or indicator.source,
                    comment=row.get("comment", "").strip(),
                )
            )
    if errors:
        raise ImportRejected(errors)
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
        check_value_range(indicator, value)
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
    # Spreadsheets drop the leading zero of codes such as 01004.
    matches = [
        (line, row) for line, row in table.rows if row[codgeo].strip().zfill(5) == commune_code
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
    errors: list[ImportIssue] = []
    parsed = []
    for column, (indicator, year) in columns.items():
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
