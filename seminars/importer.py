"""Import of registrations from a CSV or XLSX list typed by an organiser.

All or nothing: every line is checked first; one bad line gives its line, column and reason and
nothing is imported. Communes that cannot be matched are kept as typed and flagged. Besides the
people's columns, a list may carry their needs (« Besoins particuliers ») and their ateliers (one
or several columns whose title starts with « Atelier », as a Google Forms export has « Atelier du
matin » and « Atelier de l'après-midi »); every other column is named in the result, never
dropped without a word.
"""

import dataclasses
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from seminars.fonctions import map_fonction, says_more_than_label
from seminars.models import (
    Atelier,
    Fonction,
    Registration,
    SeminarPage,
    slots_need_date,
    title_key,
    titled_with_slot,
)
from seminars.phones import normalise_phone
from seminars.services import (
    CommuneResolution,
    RegistrationData,
    RegistrationError,
    address_taken_message,
    check_atelier_choice,
    not_a_member_commune,
    register_person,
    resolve_commune,
    same_person,
)
from tenants.matching import (
    INSEE_CODE,
    SUGGESTION_COUNT,
    UnknownArea,
    fold,
    get_index,
    match_commune,
    match_in_union,
    read_area,
)
from tenants.models import Commune
from union.audit import record_audit
from union.formats import french_number, plural
from union.spreadsheets import (
    ImportIssue,
    ImportRejected,
    column_letter,
    header_below_issue,
    read_file,
    sheet_read_note,
)

# Folded header -> field. Organisers' spreadsheets name the same column in many ways.
HEADERS = {
    "nom": "nom",
    "nom de famille": "nom",
    "prenom": "prenom",
    "commune": "commune",
    "ville": "commune",
    # The commune's INSEE code, as the list export writes it beside the name (« Code INSEE »)
    # and INSEE's own files title it (« CODGEO »): it tells homonyms apart (_commune_of_code).
    "code insee": "commune_code",
    "code commune": "commune_code",
    "code insee commune": "commune_code",
    "code insee de la commune": "commune_code",
    "insee": "commune_code",
    "codgeo": "commune_code",
    # « Code postal », « CP »: beside the name it tells homonyms apart (« Chelles » 60350 or
    # 77500); alone, it names the commune when only one has it (_named_commune).
    "code postal": "postal_code",
    "cp": "postal_code",
    "code postal de la commune": "postal_code",
    "fonction": "fonction",
    "qualite": "fonction",
    "email": "email",
    "e mail": "email",
    "mail": "email",
    "courriel": "email",
    "adresse e mail": "email",
    # « Adresse mail », « Adresse électronique », « Mél. » (the administration's abbreviation):
    # ignored, the people were imported without their address, and importing the list again
    # with the column renamed registered each of them a second time.
    "adresse mail": "email",
    "adresse email": "email",
    "adresse electronique": "email",
    "adresse courriel": "email",
    "mel": "email",
    "email professionnel": "email",
    "e mail professionnel": "email",
    "mail professionnel": "email",
    "departement": "departement",
    "code departement": "departement",
    "dep": "departement",
    "region": "region",
    "code region": "region",
    "besoins": "needs",
    "besoins particuliers": "needs",
    "besoins specifiques": "needs",
    "accessibilite": "needs",
    "regime alimentaire": "needs",
    # « Téléphone », « Tél. », « Tel », « Portable »… (fold drops the accents and the dot).
    "telephone": "phone",
    "tel": "phone",
    "n de telephone": "phone",
    "numero de telephone": "phone",
    "telephone portable": "phone",
    "portable": "phone",
    "mobile": "phone",
}
# Columns whose folded title starts so hold ateliers, by title; there may be several.
ATELIER_COLUMN = "atelier"
# What a form writes in an atelier column for « none » (an optional question left so).
NO_ATELIER = {"", "aucun", "aucune", "non", "neant", "sans", "sans objet", "pas d atelier"}
# Several ateliers in one cell (a Google Forms checkbox question): « A, B » or « A; B ».
# The pieces between those separators (a name may hold a comma: _named_ateliers).
ATELIER_PIECE = re.compile(r"[^;,\n]+")
REQUIRED = {"nom": "Nom", "prenom": "Prénom", "commune": "Commune", "fonction": "Fonction"}
# Each column's own gender: « Nom manquant », « Commune manquante ».
MISSING = {
    "nom": "Nom manquant.",
    "prenom": "Prénom manquant.",
    "commune": "Commune manquante.",
    "fonction": "Fonction manquante.",
}
LABELS = {**REQUIRED, "email": "Email", "needs": "Besoins", "phone": "Téléphone"}
# The optional hint columns for the commune matcher: the column says what a bare code is ("11" is
# the Aude as a département and Île-de-France as a région).
HINT_LABELS = {"departement": "Département", "region": "Région"}
COMMUNE_CODE_LABEL = "Code INSEE"
POSTAL_CODE_LABEL = "Code postal"
# The commune is given by any of these columns: its name, its INSEE code or its postal code.
COMMUNE_FIELDS = ("commune", "commune_code", "postal_code")
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
# The needs are limited as on the registration form (seminars.forms.NEEDS_LIMIT).
MAX_LENGTHS["needs"] = 1000
# A phone number is checked by its shape (normalise_phone), whose message says what is expected.
MAX_LENGTHS["phone"] = 1000
MAX_ROWS = 5000


@dataclass
class ImportResult:
    imported: int
    flagged: int
    confirmed: int
    waitlisted: int
    # The file's columns that were not read, as titled in the file (« Horodateur »).
    ignored_columns: list[str] = dataclasses.field(default_factory=list)
    # Typed fonctions read as a code: (as typed, the code), once each, for the organiser to check.
    interpreted_fonctions: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    # Typed fonctions no code names with confidence: kept as typed, under « Autre ».
    kept_fonctions: list[str] = dataclasses.field(default_factory=list)
    # People already registered whose ateliers and needs were kept (the file's were not used).
    kept_choices: int = 0
    # Of `imported`, the lines of people already registered: changed by the file, or not. The
    # others are new registrations.
    updated: int = 0
    unchanged: int = 0
    # Lines of people whose registration is cancelled: left so, not counted in `imported`.
    left_cancelled: list[tuple[int, str]] = dataclasses.field(default_factory=list)

    @property
    def new(self) -> int:
        return self.imported - self.updated - self.unchanged


@dataclass
class Columns:
    """Where each known column is: `fields` by name, `ateliers` every atelier column, `ignored`
    the titles of the others."""

    fields: dict[str, int]
    ateliers: list[int] = dataclasses.field(default_factory=list)
    # The needs may be split too (« Accessibilité » and « Régime alimentaire »).
    needs: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    ignored: list[str] = dataclasses.field(default_factory=list)
    # Each field's column as the file titles it (« Ville », « Courriel »), « ateliers » the
    # atelier columns': where a line refused while importing is reported (refusal_issues).
    titles: dict[str, str] = dataclasses.field(default_factory=dict)
    # For each line, the column each of its ateliers was read from (atelier id -> title): a
    # refused atelier is reported in its own cell (« Atelier de l'après-midi »).
    atelier_cells: dict[int, dict[int, str]] = dataclasses.field(default_factory=dict)
    # For each line, the field its commune was read from ("commune_code", "postal_code" or
    # "commune"): a commune refused is reported in that cell, with what to correct there.
    commune_cells: dict[int, str] = dataclasses.field(default_factory=dict)

    def __contains__(self, name: str) -> bool:
        return name in self.fields or (name == "needs" and bool(self.needs))

    def __getitem__(self, name: str) -> int:
        return self.fields[name]


def parse(
    content: bytes, filename: str, hint: str | None = None, seminar: SeminarPage | None = None
) -> list[tuple[int, RegistrationData]]:
    """Check every line; return the data of each or raise ImportRejected with every problem found.

    With `seminar`, a line whose address is registered for it under another name is one of them
    (see _renamed_people), and the atelier columns are read against its ateliers (without it,
    they are ignored)."""
    return read_list(content, filename, hint, seminar)[0]


def read_list(
    content: bytes, filename: str, hint: str | None = None, seminar: SeminarPage | None = None
) -> tuple[list[tuple[int, RegistrationData]], Columns]:
    """parse(), with the columns found (Columns: the ignored ones to report)."""
    read = read_file(content, filename)
    rows = [(line, cells) for line, cells in read.rows if any(cells)]
    if not rows:
        raise ImportRejected([ImportIssue(1, "", "Le fichier est vide.")])
    header_line, header = rows[0]
    columns, errors = _read_header(header_line, header, with_ateliers=seminar is not None)
    ateliers = _atelier_titles(seminar) if columns.ateliers else {}
    missing = [label for field, label in REQUIRED.items() if not _has_column(columns, field)]
    if missing:
        _refuse_header_below(rows)
    # A workbook is read on its first sheet: a list on another (after « Consignes ») is missed.
    note = sheet_read_note(read.sheet)
    where = f"première ligne ({note})" if note else "première ligne"
    errors += [
        ImportIssue(header_line, label, f"Colonne « {label} » absente de la {where}.")
        for label in missing
    ]
    if len(rows) == 1 and not missing:
        errors.append(
            ImportIssue(header_line + 1, "", "Le fichier ne contient aucune ligne après l'en-tête.")
        )
    if errors:
        raise ImportRejected(errors)
    if len(rows) - 1 > MAX_ROWS:
        raise ImportRejected([_too_many_lines(rows)])
    try:
        read_area(hint)  # the form's or the API's default hint, for every line
    except UnknownArea as error:
        raise ImportRejected([ImportIssue(0, "hint", str(error))]) from error
    parsed, seen_emails = [], {}
    # The same text (a commune, and its typo) comes back on many lines of a mairie's list: read
    # once per file. An unrecognised name is compared with every commune for its suggestions.
    communes_read: dict[tuple, CommuneResolution] = {}
    # A line's error names its column as the file titles it (« Courriel », « Ville »), so that
    # the organiser finds it in the spreadsheet; « Email » or « Commune » were not in the file.
    titled = {field: header[index].strip() for field, index in columns.fields.items()}
    columns.titles = titled | {
        "ateliers": " / ".join(header[position].strip() for position in columns.ateliers)
    }
    for line, cells in rows[1:]:
        cell = _cell_reader(columns, cells)
        for field, label in REQUIRED.items():
            given = [cell(f) for f in COMMUNE_FIELDS] if field == "commune" else [cell(field)]
            if not any(given):
                # Under the file's own commune column, whichever of the three it has.
                fields = COMMUNE_FIELDS if field == "commune" else (field,)
                column = next((titled[f] for f in fields if f in titled), label)
                errors.append(ImportIssue(line, column, MISSING[field]))
        for field in ("nom", "prenom"):
            # A date or a number in a name column (a shifted column, a cell Excel converted):
            # imported, it would print « 05/01/2026 » on the attendance sheet.
            if cell(field) and not any(character.isalpha() for character in cell(field)):
                errors.append(
                    ImportIssue(
                        line,
                        titled.get(field, REQUIRED[field]),
                        f"« {cell(field)} » n'est pas un nom : une date ou un nombre dans cette "
                        "colonne ?",
                    )
                )
        for field, label in LABELS.items():
            limit = MAX_LENGTHS[field]
            if len(cell(field)) > limit:
                errors.append(
                    ImportIssue(
                        line,
                        titled.get(field, label),
                        f"Texte trop long : {len(cell(field))} caractères, {limit} au plus.",
                    )
                )
        email = cell("email").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(
                    ImportIssue(line, titled["email"], f"Adresse e-mail invalide : « {email} ».")
                )
            if email in seen_emails:
                errors.append(
                    ImportIssue(
                        line, titled["email"], f"Adresse déjà présente ligne {seen_emails[email]}."
                    )
                )
            seen_emails.setdefault(email, line)
        phone = _line_phone(cell, columns, header, line, errors)
        line_hint = _line_hint(cell, line, errors, titled) or (hint, None)
        by_code = _commune_of_code(cell, line, errors, titled)
        postal_code = _postal_code(cell, line, errors, titled)
        chosen = _line_ateliers(seminar, ateliers, columns, header, cells, line, errors)
        if errors and errors[-1].line == line:
            continue
        columns.atelier_cells[line] = chosen
        columns.commune_cells[line] = (
            "commune_code" if by_code else "postal_code" if postal_code else "commune"
        )
        code, typed_fonction = map_fonction(cell("fonction"))
        parsed.append(
            (
                line,
                RegistrationData(
                    nom=cell("nom"),
                    prenom=cell("prenom"),
                    email=email,
                    commune=by_code
                    or _read_once(
                        communes_read, _named_commune, cell("commune"), postal_code, line_hint
                    ),
                    fonction=code,
                    fonction_text=typed_fonction,
                    atelier_ids=list(chosen),
                    needs=cell("needs"),
                    phone=phone,
                ),
            )
        )
    if seminar is not None and "email" in columns:
        errors += _renamed_people(seminar, parsed, header[columns["email"]].strip())
    if errors:
        raise ImportRejected(errors)
    return parsed, columns


def _refuse_header_below(rows: list[tuple[int, list[str]]]) -> None:
    """The first line lacks required columns: when a line below has them all (a list whose
    first lines are a title, « Liste des inscrits », or a date), the file is refused with where
    they are and what to delete, rather than with « Colonne « Nom » absente » for a column the
    organiser sees. Said as the other imports say it (union.spreadsheets.header_below_issue)."""

    def has_required(cells: list[str]) -> bool:
        columns, _errors = _read_header(0, cells, with_ateliers=False)
        return all(_has_column(columns, field) for field in REQUIRED)

    if issue := header_below_issue(rows, has_required, "« Nom », « Prénom »…"):
        raise ImportRejected([issue])


def _line_phone(cell, columns: Columns, header: list[str], line: int, errors: list) -> str:
    """The line's phone number, normalised (seminars.phones), or "" with the line's error in the
    column as the file titles it. Nine digits are read as a French number whose leading 0 the
    spreadsheet dropped, 33 and nine digits as one whose + it dropped (normalise_phone)."""
    typed = cell("phone").strip()
    if not typed:
        return ""
    try:
        return normalise_phone(typed, spreadsheet=True)
    except ValidationError:
        errors.append(
            ImportIssue(
                line,
                header[columns["phone"]].strip(),
                f"Numéro de téléphone invalide : « {typed} ». Attendu : un numéro français à 10 "
                "chiffres (06 12 34 56 78) ou international commençant par + (+32 2 123 45 67).",
            )
        )
        return ""


def _atelier_titles(seminar: SeminarPage) -> dict[str, list[Atelier]]:
    """The event's ateliers by each name a line may give them, folded (accents, case, spaces and
    punctuation ignored): their title, their name in the exports (Atelier.label: the title with
    its slot when another atelier has the same) and their title with their slot. A title two
    ateliers share names both: the line must say which (_line_ateliers)."""
    ateliers = list(seminar.ateliers.all())
    with_date = slots_need_date(seminar, ateliers)
    found: dict[str, list[Atelier]] = {}
    for atelier in ateliers:
        names = (
            atelier.title,
            atelier.label,
            titled_with_slot(atelier, with_date),
        )
        for key in dict.fromkeys(title_key(name) for name in names):
            found.setdefault(key, []).append(atelier)
    return found


# The most pieces between commas or semicolons one atelier's name is read across (a title with a
# comma, its slot « jeu. 4 décembre, 14 h – 16 h », its room): a long cell stays quick to read.
MAX_NAME_PIECES = 8


def _named_ateliers(value: str, ateliers: dict[str, list[Atelier]]):
    """What a cell names, in order: (the text, the ateliers it names). One name, or several
    separated by commas, semicolons or lines (ATELIER_PIECE); a name may hold a comma
    itself, so the longest run of pieces that names an atelier is read first. A run that names
    none comes back as typed, with no atelier; a title two ateliers share, with both."""
    pieces = [match.span() for match in ATELIER_PIECE.finditer(value) if match[0].strip()]
    named: list[tuple[str, list[Atelier]]] = []
    unknown_from = None
    start = 0
    while start < len(pieces):
        for end in range(min(len(pieces), start + MAX_NAME_PIECES), start, -1):
            text = value[pieces[start][0] : pieces[end - 1][1]].strip()
            found = ateliers.get(title_key(text))
            if found:
                break
        else:
            unknown_from = start if unknown_from is None else unknown_from
            start += 1
            continue
        if unknown_from is not None:
            named.append((value[pieces[unknown_from][0] : pieces[start - 1][1]].strip(), []))
            unknown_from = None
        named.append((text, found))
        start = end
    if unknown_from is not None:
        named.append((value[pieces[unknown_from][0] : pieces[-1][1]].strip(), []))
    return named


def _ambiguous(typed: str, found: list[Atelier]) -> str:
    """The error of a name several ateliers share: which names tell them apart."""
    labels = [atelier.label for atelier in found]
    if len(set(labels)) < len(labels):
        return (
            f"« {typed} » désigne plusieurs ateliers que rien ne distingue (même intitulé, même "
            "créneau, même salle) : changez l'intitulé ou la salle de l'un d'eux dans "
            "l'événement, puis importez de nouveau."
        )
    which = " ou ".join(f"« {label} »" for label in labels)
    return (
        f"« {typed} » désigne plusieurs ateliers de l'événement : précisez lequel avec son "
        f"créneau, comme l'écrit l'export de la liste : {which}."
    )


def _line_ateliers(
    seminar: SeminarPage | None,
    ateliers: dict[str, list[Atelier]],
    columns: Columns,
    header: list[str],
    cells: list[str],
    line: int,
    errors: list[ImportIssue],
) -> dict[int, str]:
    """The ateliers a line names, by title (or by title and slot), in its atelier columns: each
    atelier's id -> the column it was read from. An unknown title, a title two ateliers share,
    or two ateliers at the same time, is the line's error in that column (in both columns, for
    two ateliers read from two): importing the person without it, or in the wrong one, would
    lose what they chose without a word."""
    chosen: dict[int, str] = {}  # atelier id -> the column it came from
    for position in columns.ateliers:
        value = cells[position].strip() if position < len(cells) else ""
        column = header[position].strip()
        if fold(value) in NO_ATELIER:
            continue
        for typed, found in _named_ateliers(value, ateliers):
            if not found:
                event = {a.pk: a for named in ateliers.values() for a in named}
                listed = sorted(event.values(), key=lambda a: (a.sort_order, a.pk))
                known = " ; ".join(f"« {a.label} »" for a in listed)
                errors.append(
                    ImportIssue(
                        line,
                        column,
                        f"Atelier inconnu : « {typed} ». Ateliers de l'événement : "
                        f"{known or 'aucun'}.",
                    )
                )
            elif len(found) > 1:
                errors.append(ImportIssue(line, column, _ambiguous(typed, found)))
            else:
                chosen.setdefault(found[0].pk, column)
    if seminar is None or not chosen or (errors and errors[-1].line == line):
        return chosen
    try:
        check_atelier_choice(seminar, list(chosen))
    except RegistrationError as error:
        errors += refusal_issues(seminar, line, error, columns, chosen)
    return chosen


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


def _read_header(
    header_line: int, header: list[str], *, with_ateliers: bool = True
) -> tuple[Columns, list[ImportIssue]]:
    """The position of each known column, and an error for each one given twice (« Nom » and
    « Nom », or « Commune » and « Ville »): which of the two to read would be a guess. Atelier
    columns may be several (« Atelier du matin », « Atelier de l'après-midi »); the titles of
    the other columns are kept to be reported as ignored."""
    columns = Columns({})
    errors = []
    for position, title in enumerate(header):
        folded = fold(title)
        field = HEADERS.get(folded)
        if field == "needs":
            columns.needs.append((position, title.strip()))
            continue
        if not field:
            if with_ateliers and folded.startswith(ATELIER_COLUMN):
                columns.ateliers.append(position)
            elif title.strip():
                columns.ignored.append(title.strip())
            continue
        if field in columns:
            first = columns[field]
            label = {
                **LABELS,
                **HINT_LABELS,
                "commune_code": COMMUNE_CODE_LABEL,
                "postal_code": POSTAL_CODE_LABEL,
            }[field]
            errors.append(
                ImportIssue(
                    header_line,
                    label,
                    f"Colonne « {label} » en double : « {header[first].strip()} » (colonne "
                    f"{column_letter(first)}) et « {title.strip()} » (colonne "
                    f"{column_letter(position)}). Gardez-en une seule.",
                )
            )
        else:
            columns.fields[field] = position
    return columns, errors


def _too_many_lines(rows: list[tuple[int, list[str]]]) -> ImportIssue:
    """The refusal of a list longer than MAX_ROWS, at its first line beyond the limit, with
    what to do: line 0 and « Au plus 5000 lignes » left the organiser to count."""
    first_beyond = rows[MAX_ROWS + 1][0]
    return ImportIssue(
        first_beyond,
        "",
        f"Le fichier compte {french_number(len(rows) - 1)} lignes d'inscrits ; un import en "
        f"lit au plus {french_number(MAX_ROWS)}. Coupez-le à partir de cette ligne en fichiers "
        "qui reprennent chacun la ligne des titres de colonnes, et importez-les l'un après "
        "l'autre : rien n'a été importé.",
    )


def _line_hint(
    cell, line: int, errors: list[ImportIssue], titled: dict[str, str]
) -> tuple[str, str] | None:
    """(hint, level) from the line's Département or Région cell, the département first; None
    when both are empty. A cell that names no area is the line's error, under the column as the
    file titles it (« Dép »)."""
    for level, label in HINT_LABELS.items():
        if cell(level):
            try:
                read_area(cell(level), level)
            except UnknownArea as error:
                errors.append(ImportIssue(line, titled.get(level, label), str(error)))
            return cell(level), level
    return None


def _commune_of_code(
    cell, line: int, errors: list[ImportIssue], titled: dict[str, str]
) -> CommuneResolution | None:
    """The line's commune by its INSEE code, None when the line gives none (its name is then read
    with the line's hint) or one that names no commune. Read by its name alone, the list an
    organiser exported put Chelles (77) back in Chelles (60) or flagged it, and a Montreuil of
    another département in the union's. The code goes through the matcher as the correction of
    a flagged commune reads it (a former commune's leads to the one it joined, an
    arrondissement's to its city); the typed name is kept as typed.

    A code the name contradicts, or that names no commune, is the line's error in the code's
    column rather than a commune flagged to check: the file is refused whole, so nobody is
    registered in a commune that may be wrong (a shifted column, a code copied from the line
    above), counted in the wrong département or let into a members-only event, and the
    organiser corrects one cell and imports again instead of fixing each person afterwards."""
    typed, code = cell("commune"), cell("commune_code").strip().upper()
    if not code:
        return None
    if re.fullmatch(r"\d{4}", code):
        code = "0" + code  # 01004 that a spreadsheet read as the number 1004
    column = titled.get("commune_code", COMMUNE_CODE_LABEL)
    by_code = match_in_union(code) if INSEE_CODE.match(code) else None
    if by_code is None or by_code.status != "matched":
        errors.append(
            ImportIssue(
                line,
                column,
                f"Code INSEE inconnu : « {cell('commune_code').strip()} ». Indiquez le code "
                "INSEE de la commune, à 5 caractères (93010 pour Bondy), ou videz la cellule "
                "pour que la commune soit lue par son nom.",
            )
        )
        return None
    commune = by_code.commune
    # The name read in the code's département: a homonym elsewhere is no contradiction
    # (« Montreuil » with 62588 is the Pas-de-Calais's), a name that leads to another commune
    # is, and a name the matcher does not know (a typo, « Montreuil-sous-Bois ») leaves the
    # code to decide.
    by_name = match_commune(typed, commune.departement, "departement") if typed.strip() else None
    if by_name is not None and by_name.status != "unknown" and commune not in by_name.suggestions:
        named = f" ({by_name.commune.code})" if by_name.status == "matched" else ""
        errors.append(
            ImportIssue(
                line,
                column,
                f"Le code INSEE {code} ({commune.nom}, {commune.departement}) ne correspond pas "
                f"à la commune « {typed.strip()} »{named} : corrigez le code ou la commune, ou "
                "videz la cellule du code pour que la commune soit lue par son nom.",
            )
        )
    # A line with the code alone (an INSEE extract): the commune's name stands for the typed one.
    return CommuneResolution(commune.code, Registration.CommuneStatus.MATCHED, typed or commune.nom)


def _has_column(columns: Columns, field: str) -> bool:
    """Whether the file has the required `field`'s column; the commune's may be its code's."""
    if field == "commune":
        return any(name in columns for name in COMMUNE_FIELDS)
    return field in columns


def _postal_code(cell, line: int, errors: list[ImportIssue], titled: dict[str, str]) -> str:
    """The line's postal code, five digits ("" when the cell is empty); another shape is the
    line's error under the column as the file titles it."""
    typed = cell("postal_code").strip()
    code = typed.replace(" ", "")
    if re.fullmatch(r"\d{4}", code):
        code = "0" + code  # 01000 that a spreadsheet read as the number 1000
    if typed and not re.fullmatch(r"\d{5}", code):
        errors.append(
            ImportIssue(
                line,
                titled.get("postal_code", POSTAL_CODE_LABEL),
                f"Code postal invalide : « {typed} ». Indiquez ses cinq chiffres (93140 pour "
                "Bondy), ou videz la cellule pour que la commune soit lue par son nom.",
            )
        )
        return ""
    return code


def _read_once(read: dict, reader, *key) -> CommuneResolution:
    """reader(*key), remembered in `read` for the rest of the file; each line its own copy."""
    if key not in read:
        read[key] = reader(*key)
    found = read[key]
    return dataclasses.replace(found, suggestions=list(found.suggestions))


def _named_commune(typed: str, postal_code: str, line_hint: tuple) -> CommuneResolution:
    """The line's commune by its name, and by its postal code when the file gives one: the name
    is read in the postal code's département, and must be one of the communes that have it
    (« Chelles » with 60350 is the Oise's, with 77500 the Seine-et-Marne's); a postal code alone
    names its one commune. A name the postal code contradicts, or a postal code several
    communes share, is flagged with those communes as suggestions; an unknown postal code (a
    CEDEX's) leaves the name to decide. The name stays as typed."""
    # The matcher's index: current communes only, and no query per line of the file.
    having = sorted(get_index().communes_of_postal_code(postal_code), key=lambda c: fold(c.nom))
    if not having:
        return resolve_commune(typed or postal_code, *line_hint)
    typed = typed.strip()
    departements = {commune.departement for commune in having}
    hint = (departements.pop(), "departement") if len(departements) == 1 else line_hint
    found = resolve_commune(typed, *hint) if typed else None
    codes = {commune.code for commune in having}
    if found is not None and found.code in codes:
        return found
    if found is None and len(having) == 1:
        return CommuneResolution(having[0].code, Registration.CommuneStatus.MATCHED, postal_code)
    suggestions = [{"code": c.code, "nom": c.nom} for c in having[:SUGGESTION_COUNT]]
    return CommuneResolution(
        None, Registration.CommuneStatus.FLAGGED, typed or postal_code, suggestions
    )


def _cell_reader(columns: Columns, cells: list[str]):
    def at(position: int | None) -> str:
        return cells[position] if position is not None and position < len(cells) else ""

    def cell(field: str) -> str:
        if field == "needs":
            # Several needs columns: each answer after its column's title.
            given = [(title, at(position).strip()) for position, title in columns.needs]
            given = [(title, value) for title, value in given if value]
            if len(columns.needs) == 1:
                return given[0][1] if given else ""
            return "\n".join(f"{title} : {value}" for title, value in given)
        return at(columns.fields.get(field))

    return cell


def import_registrations(
    seminar: SeminarPage, content: bytes, filename: str, *, hint: str | None = None, actor=None
) -> ImportResult:
    """Import a list into an event: all lines or none. Seats and the waiting list apply as for
    anyone registering; imported people get no e-mail (the organiser writes to them if needed).
    A known address updates its registration only under the same name (folded): another name
    is refused, never a silent rename; it keeps the ateliers and needs it has (register_person),
    which the result counts (`kept_choices`). The result also names the columns not read and
    the fonctions read from typed text, for the organiser to check."""
    parsed, columns = read_list(content, filename, hint, seminar)
    result = ImportResult(0, 0, 0, 0, ignored_columns=columns.ignored)
    interpreted: dict[str, str] = {}
    for _line, data in parsed:
        if data.fonction_text:
            interpreted.setdefault(data.fonction_text, data.fonction)
    result.interpreted_fonctions = [
        (typed, code) for typed, code in interpreted.items() if says_more_than_label(typed, code)
    ]
    result.kept_fonctions = [typed for typed, code in interpreted.items() if code == Fonction.AUTRE]
    refused: list[ImportIssue] = []
    with transaction.atomic():
        before = _as_written(seminar)
        for line, data in parsed:
            try:
                registration, created = register_person(
                    seminar, data, source=Registration.Source.IMPORT, notify=False
                )
            except RegistrationError as error:
                # Every line refused is said at once (an atelier with no seat left for it, a
                # commune outside a members-only event), then nothing is kept: each line is
                # registered in its own savepoint, the next ones are tried as they would be.
                refused += refusal_issues(seminar, line, error, columns)
                continue
            if getattr(registration, "left_cancelled", False):
                result.left_cancelled.append((line, f"{registration.prenom} {registration.nom}"))
                continue
            result.imported += 1
            if not created:
                written = tuple(getattr(registration, name) for name in IMPORT_WRITES)
                if before.get(registration.pk) == written:
                    result.unchanged += 1
                else:
                    result.updated += 1
            result.kept_choices += not created and bool(data.atelier_ids or data.needs)
            result.flagged += registration.commune_status == Registration.CommuneStatus.FLAGGED
            result.confirmed += registration.status == Registration.Status.CONFIRMED
            result.waitlisted += registration.status == Registration.Status.WAITLISTED
        if refused:
            raise ImportRejected(refused)  # leaves the transaction: nothing is written
        record_audit(
            "seminar.registrations.imported",
            actor=actor,
            target=seminar.title,
            file=filename,
            imported=result.imported,
            flagged=result.flagged,
        )
    return result


# What an import can change on a registration already there (services._fill, its status).
IMPORT_WRITES = [
    "nom",
    "prenom",
    "email",
    "commune_id",
    "commune_typed",
    "commune_status",
    "commune_suggestions",
    "fonction",
    "fonction_text",
    "phone",
    "status",
]


def _as_written(seminar: SeminarPage) -> dict[int, tuple]:
    """The event's registrations before an import, by id: what it may change (IMPORT_WRITES),
    to tell the people it updated from those it left as they were."""
    rows = Registration.objects.filter(seminar=seminar).values_list("pk", *IMPORT_WRITES)
    return {pk: tuple(values) for pk, *values in rows}


# What to correct when a line's commune is not the one meant, by the cell it was read from.
OTHER_COMMUNE_ADVICE = {
    "commune": "donnez son département dans une colonne « Département »",
    "commune_code": "corrigez son code INSEE",
    "postal_code": "corrigez son code postal ou le nom de la commune",
}


def refusal_issues(
    seminar: SeminarPage,
    line: int,
    error: RegistrationError,
    columns: Columns,
    chosen: dict[int, str] | None = None,
) -> list[ImportIssue]:
    """What register_person refused on a line, in the column the file titles (« Ville », « Atelier
    du matin »), not under the field's name (« Commune », « Ateliers »), which the file may not
    have; an atelier's refusal in the column that atelier was read from on this line (`chosen`,
    else Columns.atelier_cells). The refusals a registrant reads in their own terms (« choisissez-en
    un autre ») are said for the organiser: what to change in the file or in the event."""
    chosen = columns.atelier_cells.get(line, {}) if chosen is None else chosen
    if error.reason == RegistrationError.ATELIER_FULL:
        return [
            ImportIssue(line, _atelier_column(atelier, columns, chosen), _full(seminar, atelier))
            for atelier in error.ateliers
        ]
    if error.reason == RegistrationError.SAME_TIME:
        column = " / ".join(
            dict.fromkeys(_atelier_column(atelier, columns, chosen) for atelier in error.ateliers)
        )
        return [ImportIssue(line, column, message) for message in error.errors["ateliers"]]
    if error.reason == RegistrationError.OUTSIDE_MEMBERS:
        commune = Commune.objects.filter(code=error.commune).first() or error.commune
        read_from = columns.commune_cells.get(line, "commune")
        return [
            ImportIssue(
                line,
                columns.titles.get(read_from) or LABELS["commune"],
                f"{not_a_member_commune(commune)} : retirez cette ligne du fichier. Si ce n'est "
                f"pas la commune voulue, {OTHER_COMMUNE_ADVICE[read_from]}.",
            )
        ]
    return [
        ImportIssue(
            line,
            columns.titles.get(field)
            or LABELS.get(field)
            or ("" if field == "__all__" else field.capitalize()),
            message,
        )
        for field, messages in error.errors.items()
        for message in messages
    ]


def _atelier_column(atelier: Atelier, columns: Columns, chosen: dict[int, str]) -> str:
    return chosen.get(atelier.pk) or columns.titles.get("ateliers") or "Ateliers"


def _full(seminar: SeminarPage, atelier: Atelier) -> str:
    """A full atelier, for the organiser importing: its seats are taken by the people registered
    and the file's lines above (one import is one transaction), and what to change."""
    taken = (
        "sa place est prise" if atelier.seats == 1 else f"ses {atelier.seats} places sont prises"
    )
    return (
        f"Plus de place dans l'atelier « {seminar.atelier_label(atelier)} » : {taken} (inscrits "
        "et lignes précédentes du fichier). Retirez cet atelier de la ligne, ou augmentez ses "
        "places dans la page de l'événement (section « Ateliers »), puis importez de nouveau "
        "le fichier."
    )


def left_cancelled_sentence(lines: list[tuple[int, str]]) -> str:
    """« 1 personne avait annulé son inscription : … », the people of the file whose cancelled
    registration the import left so, with their lines."""
    named = ", ".join(f"{name}, ligne {line}" for line, name in lines)
    if len(lines) == 1:
        return (
            f"1 personne du fichier avait annulé son inscription : elle n'est pas réinscrite "
            f"({named}). Si elle le demande, réinscrivez-la avec « Ajouter »."
        )
    return (
        f"{len(lines)} personnes du fichier avaient annulé leur inscription : elles ne sont pas "
        f"réinscrites ({named}). Si elles le demandent, réinscrivez-les avec « Ajouter »."
    )


def result_messages(result: ImportResult) -> list[str]:
    """What an import did, in French, for the organiser: the counts and the columns not read
    first, then what to check (fonctions read from typed text, choices kept)."""
    already = [
        plural(count, f"personne déjà inscrite, {one}", f"personnes déjà inscrites, {many}")
        for count, one, many in (
            (result.updated, "mise à jour", "mises à jour"),
            (result.unchanged, "inchangée", "inchangées"),
        )
        if count
    ]
    if already:
        # The same list again: say who was added, not that every line was imported.
        said_new = (
            plural(result.new, "nouvelle inscription", "nouvelles inscriptions")
            if result.new
            else "Aucune nouvelle inscription"
        )
        opening = f"{' ; '.join([said_new, *already])}. Inscriptions de ce fichier : "
    else:
        opening = f"{plural(result.imported, 'inscription importée', 'inscriptions importées')} : "
    summary = (
        opening + f"{plural(result.confirmed, 'confirmée', 'confirmées')}, "
        f"{result.waitlisted} en liste d'attente, "
        f"{plural(result.flagged, 'commune à vérifier', 'communes à vérifier')}."
    )
    if result.ignored_columns:
        summary += f" Colonnes ignorées : {', '.join(result.ignored_columns)}."
    said = [summary]
    if result.interpreted_fonctions:
        said.append(
            "Fonctions interprétées, à vérifier : "
            + " ; ".join(
                f"« {typed} » → {Fonction(code).label}"
                for typed, code in result.interpreted_fonctions
            )
            + "."
        )
    if result.kept_fonctions:
        said.append(
            "Fonctions gardées telles que saisies (« Autre ») : "
            + ", ".join(f"« {typed} »" for typed in result.kept_fonctions)
            + "."
        )
    if result.left_cancelled:
        said.append(left_cancelled_sentence(result.left_cancelled))
    if result.kept_choices:
        one = result.kept_choices == 1
        said.append(
            f"{plural(result.kept_choices, 'personne déjà inscrite', 'personnes déjà inscrites')}"
            f" : {'ses' if one else 'leurs'} ateliers et besoins enregistrés sont gardés, ceux du "
            "fichier ne sont pas repris (corrigez-les avec « Modifier » dans la liste)."
        )
    return said
