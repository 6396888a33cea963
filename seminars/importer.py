"""Import of registrations from a CSV or XLSX list typed by an organiser.

All or nothing: every line is checked first; one bad line gives its line, column and reason and
nothing is imported. Communes that cannot be matched are kept as typed and flagged.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from seminars.fonctions import map_fonction
from seminars.models import Registration, SeminarPage
from seminars.services import (
    RegistrationData,
    RegistrationError,
    address_taken_message,
    register_person,
    resolve_commune,
    same_person,
)
from tenants.matching import UnknownArea, fold, read_area
from union.audit import record_audit
from union.spreadsheets import ImportIssue, ImportRejected, column_letter, read_rows

# Folded header -> field. Organisers' spreadsheets name the same column in many ways.
HEADERS = {
    "nom": "nom",
    "nom de famille": "nom",
    "prenom": "prenom",
    "commune": "commune",
    "ville": "commune",
    "fonction": "fonction",
    "qualite": "fonction",
    "email": "email",
    "e mail": "email",
    "mail": "email",
    "courriel": "email",
    "adresse e mail": "email",
    "departement": "departement",
    "code departement": "departement",
    "dep": "departement",
    "region": "region",
    "code region": "region",
}
REQUIRED = {"nom": "Nom", "prenom": "Prénom", "commune": "Commune", "fonction": "Fonction"}
# Each column's own gender: « Nom manquant », « Commune manquante ».
MISSING = {
    "nom": "Nom manquant.",
    "prenom": "Prénom manquant.",
    "commune": "Commune manquante.",
    "fonction": "Fonction manquante.",
}
LABELS = {**REQUIRED, "email": "Email"}
# The optional hint columns for the commune matcher: the column says what a bare code is ("11" is
# the Aude as a département and Île-de-France as a région).
HINT_LABELS = {"departement": "Département", "region": "Région"}
# The longest text each column may hold, read from the field it is stored in: the commune and the
# fonction are kept as typed (commune_typed, fonction_text).
MAX_LENGTHS = {
    column: Registration._meta.get_field(field).max_length
    for column, field in {
        "nom": "nom",
        "prenom": "prenom",
        "commune": "commune_typed",
        "fonction": "fonction_text",
        "email": "email",
    }.items()
}
MAX_ROWS = 5000


@dataclass
class ImportResult:
    imported: int
    flagged: int
    confirmed: int
    waitlisted: int


def parse(
    content: bytes, filename: str, hint: str | None = None, seminar: SeminarPage | None = None
) -> list[tuple[int, RegistrationData]]:
    """Check every line; return the data of each or raise ImportRejected with every problem found.

    With `seminar`, a line whose address is registered for it under another name is one of them
    (see _renamed_people)."""
    rows = [(line, cells) for line, cells in read_rows(content, filename) if any(cells)]
    if not rows:
        raise ImportRejected([ImportIssue(1, "", "Le fichier est vide.")])
    header_line, header = rows[0]
    columns, errors = _read_header(header_line, header)
    errors += [
        ImportIssue(header_line, label, f"Colonne « {label} » absente de la première ligne.")
        for field, label in REQUIRED.items()
        if field not in columns
    ]
    if len(rows) == 1:
        errors.append(
            ImportIssue(header_line + 1, "", "Le fichier ne contient aucune ligne après l'en-tête.")
        )
    if errors:
        raise ImportRejected(errors)
    if len(rows) - 1 > MAX_ROWS:
        raise ImportRejected([ImportIssue(0, "", f"Au plus {MAX_ROWS} lignes par import.")])
    try:
        read_area(hint)  # the form's or the API's default hint, for every line
    except UnknownArea as error:
        raise ImportRejected([ImportIssue(0, "hint", str(error))]) from error
    parsed, seen_emails = [], {}
    for line, cells in rows[1:]:
        cell = _cell_reader(columns, cells)
        for field, label in REQUIRED.items():
            if not cell(field):
                errors.append(ImportIssue(line, label, MISSING[field]))
        for field in ("nom", "prenom"):
            # A date or a number in a name column (a shifted column, a cell Excel converted):
            # imported, it would print « 05/01/2026 » on the attendance sheet.
            if cell(field) and not any(character.isalpha() for character in cell(field)):
                errors.append(
                    ImportIssue(
                        line,
                        REQUIRED[field],
                        f"« {cell(field)} » n'est pas un nom : une date ou un nombre dans cette "
                        "colonne ?",
                    )
                )
        for field, label in LABELS.items():
            limit = MAX_LENGTHS[field]
            if len(cell(field)) > limit:
                errors.append(
                    ImportIssue(
                        line,
                        label,
                        f"Texte trop long : {len(cell(field))} caractères, {limit} au plus.",
                    )
                )
        email = cell("email").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(ImportIssue(line, "Email", f"Adresse e-mail invalide : « {email} »."))
            if email in seen_emails:
                errors.append(
                    ImportIssue(line, "Email", f"Adresse déjà présente ligne {seen_emails[email]}.")
                )
            seen_emails.setdefault(email, line)
        line_hint = _line_hint(cell, line, errors) or (hint, None)
        if errors and errors[-1].line == line:
            continue
        code, typed_fonction = map_fonction(cell("fonction"))
        parsed.append(
            (
                line,
                RegistrationData(
                    nom=cell("nom"),
                    prenom=cell("prenom"),
                    email=email,
                    commune=resolve_commune(cell("commune"), *line_hint),
                    fonction=code,
                    fonction_text=typed_fonction,
                ),
            )
        )
    if seminar is not None and "email" in columns:
        errors += _renamed_people(seminar, parsed, header[columns["email"]].strip())
    if errors:
        raise ImportRejected(errors)
    return parsed


def _renamed_people(
    seminar: SeminarPage, parsed: list[tuple[int, RegistrationData]], email_column: str
) -> list[ImportIssue]:
    """The lines whose address is registered for the event under another name (folded as
    register_person compares them), in the e-mail column as the file names it. Importing them
    renamed that registration without a word; all are reported at once, and register_person
    still refuses one registered meanwhile (under the event's lock)."""
    lines = {data.email: (line, data) for line, data in parsed if data.email}
    known = seminar.registrations.select_related("commune").filter(email__in=list(lines))
    issues = []
    for registration in known:
        line, data = lines[registration.email]
        if not same_person(registration, data):
            message = address_taken_message(registration, Registration.Source.IMPORT)
            issues.append(ImportIssue(line, email_column, message))
    return sorted(issues, key=lambda issue: issue.line)


def _read_header(header_line: int, header: list[str]) -> tuple[dict[str, int], list[ImportIssue]]:
    """The position of each known column, and an error for each one given twice (« Nom » and
    « Nom », or « Commune » and « Ville »): which of the two to read would be a guess."""
    columns: dict[str, int] = {}
    errors = []
    for position, title in enumerate(header):
        field = HEADERS.get(fold(title))
        if not field:
            continue
        if field in columns:
            first = columns[field]
            label = {**LABELS, **HINT_LABELS}[field]
            errors.append(
                ImportIssue(
                    header_line,
                    label,
                    f"Colonne « {label} » en double : « {header[first].strip()} » (colonne "
                    f"{column_letter(first)}) et « {title.strip()} » (colonne "
                    f"{column_letter(position)}). Gardez-en une seule.",
                )
            )
        else:
            columns[field] = position
    return columns, errors


def _line_hint(cell, line: int, errors: list[ImportIssue]) -> tuple[str, str] | None:
    """(hint, level) from the line's Département or Région cell, the département first; None
    when both are empty. A cell that names no area is the line's error."""
    for level, label in HINT_LABELS.items():
        if cell(level):
            try:
                read_area(cell(level), level)
            except UnknownArea as error:
                errors.append(ImportIssue(line, label, str(error)))
            return cell(level), level
    return None


def _cell_reader(columns: dict[str, int], cells: list[str]):
    def cell(field: str) -> str:
        position = columns.get(field)
        return cells[position] if position is not None and position < len(cells) else ""

    return cell


def import_registrations(
    seminar: SeminarPage, content: bytes, filename: str, *, hint: str | None = None, actor=None
) -> ImportResult:
    """Import a list into an event: all lines or none. Seats and the waiting list apply as for
    anyone registering; imported people get no e-mail (the organiser writes to them if needed).
    A known address updates its registration only under the same name (folded): another name
    is refused, never a silent rename."""
    parsed = parse(content, filename, hint, seminar)
    result = ImportResult(0, 0, 0, 0)
    with transaction.atomic():
        for line, data in parsed:
            try:
                registration, _created = register_person(
                    seminar, data, source=Registration.Source.IMPORT, notify=False
                )
            except RegistrationError as error:
                column, messages = next(iter(error.errors.items()))
                raise ImportRejected(
                    [ImportIssue(line, column.capitalize(), messages[0])]
                ) from error
            result.imported += 1
            result.flagged += registration.commune_status == Registration.CommuneStatus.FLAGGED
            result.confirmed += registration.status == Registration.Status.CONFIRMED
            result.waitlisted += registration.status == Registration.Status.WAITLISTED
        record_audit(
            "seminar.registrations.imported",
            actor=actor,
            target=seminar.title,
            file=filename,
            imported=result.imported,
            flagged=result.flagged,
        )
    return result
