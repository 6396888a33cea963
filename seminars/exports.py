"""Attendance sheets (feuilles d'émargement) in CSV, XLSX and PDF, and name badges (the counts
for organisers are in seminars.stats)."""

from xml.sax.saxutils import escape

from django.utils import timezone

from seminars.attendance import atelier_people, atelier_waiting_labels, records_ateliers
from seminars.fonctions import typed_fonction
from seminars.models import (
    Atelier,
    Registration,
    SeminarPage,
    atelier_slot,
    slots_need_date,
)
from tenants.matching import fold
from union.formats import french_time, long_date
from union.spreadsheets import (
    append_row,
    ascii_file_name,
    column_letter,
    csv_bytes,
    new_sheet,
    set_widths,
    workbook_bytes,
)

COLUMNS = ["Nom", "Prénom", "Commune", "Fonction"]
# An atelier's sheet only, once presences per atelier were recorded for the event
# (seminars.attendance): filled from them. Before, the sheet is the paper one to sign, as it was.
PRESENT_COLUMN = "Présent(e)"
SIGNATURE = "Signature"
# Lines left empty at the end of a printed sheet, for people who come without being registered.
WALK_IN_ROWS = 5


def attendees(seminar: SeminarPage, atelier: Atelier | None = None) -> list[Registration]:
    """Confirmed people, sorted by name as a reader expects (accents and case ignored). For an
    atelier: those who chose it, and those marked present at it without having chosen it."""
    registrations = seminar.registrations.filter(status=Registration.Status.CONFIRMED)
    if atelier is not None:
        registrations = registrations.filter(atelier_people(atelier.pk)).distinct()
    return sorted(
        registrations.select_related("commune"), key=lambda r: (fold(r.nom), fold(r.prenom))
    )


def attendance_rows(
    seminar: SeminarPage, atelier: Atelier | None = None, *, printed: bool = False
) -> list[list[str]]:
    """The sheet's rows; an atelier's end with « Présent(e) » (« oui, 10:05 » or blank) once
    the event records presences per atelier; « oui, 10 h 05 » on the `printed` (PDF) sheet,
    which people read rather than sort."""
    people = attendees(seminar, atelier)
    if atelier is None or not records_ateliers(seminar):
        return [[r.nom.upper(), r.prenom, r.commune_label, r.fonction_label] for r in people]
    seen = dict(atelier.presences.values_list("registration_id", "checked_in_at"))
    return [
        [
            r.nom.upper(),
            r.prenom,
            r.commune_label,
            r.fonction_label,
            # « oui, 09:12 » in the CSV and XLSX, not « 9 h 12 » (union.formats.french_time):
            # a spreadsheet cell, sorted and filtered as text, where HH:MM sorts in time order.
            _present_at(seen[r.pk], printed) if r.pk in seen else "",
        ]
        for r in people
    ]


def _present_at(moment, printed: bool) -> str:
    local = timezone.localtime(moment)
    return f"oui, {french_time(local)}" if printed else f"oui, {local:%H:%M}"


def sheet_columns(seminar: SeminarPage, atelier: Atelier | None = None) -> list[str]:
    present = atelier is not None and records_ateliers(seminar)
    return COLUMNS + ([PRESENT_COLUMN] if present else []) + [SIGNATURE]


def sheet_title(seminar: SeminarPage, atelier: Atelier | None = None) -> str:
    """The event and its date; for an atelier, its title, time slot and room too: the sheet is
    put on the atelier's door, and several ateliers share a title across days."""
    title = f"{seminar.title} – {long_date(timezone.localtime(seminar.start), weekday=False)}"
    if atelier is None:
        return title
    where = ", ".join(
        part for part in (atelier_slot(atelier, slots_need_date(seminar)), atelier.room) if part
    )
    return f"{title} – {atelier.title}" + (f" ({where})" if where else "")


def filename(seminar: SeminarPage, atelier: Atelier | None, extension: str) -> str:
    """ASCII, whatever the titles (Wagtail's slugs keep accents): see ascii_file_name. An
    atelier's title with its time slot when another atelier has the same (atelier_names)."""
    name = seminar.atelier_labels[atelier.pk] if atelier else ""
    return ascii_file_name("emargement", seminar.slug, name, extension=extension)


def export_attendance(seminar: SeminarPage, fmt: str, atelier: Atelier | None = None) -> bytes:
    rows = attendance_rows(seminar, atelier, printed=fmt == "pdf")
    title = sheet_title(seminar, atelier)
    columns = sheet_columns(seminar, atelier)
    if fmt == "csv":
        # An empty « Signature » column: a CSV opened in a spreadsheet and printed is signed too.
        return csv_bytes([columns, *(row + [""] for row in rows)])
    if fmt == "xlsx":
        return _xlsx(title, rows, columns)
    if fmt == "pdf":
        return _pdf(title, rows, columns)
    raise ValueError(fmt)


def _xlsx(title: str, rows: list[list[str]], columns: list[str]) -> bytes:
    workbook, sheet = new_sheet("Émargement", columns, title=title)
    for row in rows:
        append_row(sheet, row + [""])  # what registrants typed: text, never a formula
    # Narrower names, a wide signature column: with fit-to-width, the page keeps a size one
    # can read and sign.
    present = (14,) if PRESENT_COLUMN in columns else ()
    set_widths(sheet, (22, 18, 22, 30, *present, 36))
    _ready_to_print(sheet, len(rows), len(columns))
    return workbook_bytes(workbook)


def _ready_to_print(sheet, count: int, width: int = len(COLUMNS) + 1) -> None:
    """Print setup of the attendance workbook: A4 landscape, every column on the page's width,
    the title and header rows repeated on each page, grid lines printed, rows high enough to
    sign, and WALK_IN_ROWS empty lines after the names for people who come unregistered (in
    the print area, with no cell written: the sheet's data stays the list of names)."""
    header_rows = sheet.max_row - count  # the title line and the column headers
    last = header_rows + count + WALK_IN_ROWS
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages as the names need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"1:{header_rows}"
    sheet.print_area = f"A1:{column_letter(width - 1)}{last}"
    sheet.print_options.gridLines = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    for row in range(header_rows + 1, last + 1):
        sheet.row_dimensions[row].height = 30  # points: room for a signature
    sheet.oddFooter.center.text = "Page &P / &N"


def _pdf(title: str, rows: list[list[str]], columns: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm
    from reportlab.platypus import Spacer, Table

    from union.pdf import build_pdf, paragraph, signing_sheet_style, stylesheet

    styles = stylesheet()
    cell_style = styles["BodyText"]
    data = (
        [columns]
        + [[paragraph(escape(value), cell_style) for value in row] + [""] for row in rows]
        + [[""] * len(columns)] * WALK_IN_ROWS  # for people who come unregistered
    )
    widths = [5, 4.5, 5, 5.5, 6.5]  # 26.5 cm: the landscape A4's width within its margins
    if PRESENT_COLUMN in columns:
        widths = [4.5, 4, 4.5, 5, 2.5, 6]
    table = Table(
        data,
        colWidths=[width * cm for width in widths],
        repeatRows=1,
        rowHeights=[0.8 * cm] + [1.3 * cm] * (len(rows) + WALK_IN_ROWS),
    )
    table.setStyle(signing_sheet_style())
    story = [
        paragraph("Feuille d'émargement", styles["Title"]),
        paragraph(escape(title), styles["Heading2"]),
        paragraph(
            f"{len(rows)} personne{'s' if len(rows) > 1 else ''} inscrite{'s' if len(rows) > 1 else ''}"
            f" – {WALK_IN_ROWS} lignes libres en fin de liste pour les personnes venues sans "
            "inscription",
            cell_style,
        ),
        Spacer(1, 0.4 * cm),
        table,
    ]
    return build_pdf(
        story,
        title=f"Feuille d'émargement – {title}",
        subject="Feuille d'émargement",
        pagesize=landscape(A4),
        page_numbers=True,  # a sheet of several pages passed round the room
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
    )


LIST_COLUMNS = [
    "Nom",
    "Prénom",
    "E-mail",
    "Commune",
    "Code INSEE",
    "Commune à vérifier",
    "Fonction",
    "Ateliers",
    "Statut",
    "Besoins",
    "Accepte la liste publiée",
    "Source",
    "Inscrit(e) le",
    "Présent(e)",
    # Last, so that the earlier columns keep their places: the text a fonction was read from.
    "Fonction saisie",
    # Organisers only, to call someone on the day; never on the printed attendance sheet.
    "Téléphone",
    "Listes d'attente des ateliers",
]


def registrations_workbook(seminar: SeminarPage, registrations) -> bytes:
    """The organiser's list as shown (filters and order kept), with every column they work with:
    catering and accessibility needs, ateliers, status, consent, check-in."""
    workbook, sheet = new_sheet("Inscriptions", LIST_COLUMNS, title=sheet_title(seminar))
    # Each atelier told from another of the same title by its time slot, which holds a comma:
    # the person's ateliers are separated by « ; ».
    names = seminar.atelier_labels
    waiting = atelier_waiting_labels(seminar)
    for r in registrations:
        append_row(
            sheet,
            [
                r.nom.upper(),
                r.prenom,
                r.email,
                r.commune_label,
                r.commune_id or "",
                "oui" if r.commune_status == Registration.CommuneStatus.FLAGGED else "",
                r.fonction_label,
                " ; ".join(names[atelier.pk] for atelier in r.ateliers.all()),
                r.get_status_display(),
                r.needs,
                "oui" if r.consent else "non",
                r.source_label,
                _local(r.created_at),
                _local(r.checked_in_at) if r.checked_in_at else "",
                typed_fonction(r),
                r.phone,
                " ; ".join(waiting.get(r.pk, [])),
            ],
        )
    set_widths(sheet, (20, 16, 30, 22, 10, 10, 30, 36, 16, 30, 12, 16, 18, 18, 30, 18, 36))
    return workbook_bytes(workbook)


def _local(moment):
    # openpyxl refuses time zones: the organiser reads local time.
    return timezone.localtime(moment).replace(tzinfo=None)


BADGE_COLUMNS = 2  # four rows of 9 x 6.5 cm badges fill an A4 sheet: eight to cut out


def badges_pdf(seminar: SeminarPage) -> bytes:
    """Name badges of the confirmed people, by name: first name, NAME, fonction and commune."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Table

    from seminars.check_in import check_in_flowable
    from union.pdf import build_pdf, paragraph, stylesheet, table_style

    styles = stylesheet()
    small = ParagraphStyle("event", parent=styles["BodyText"], fontSize=8, alignment=1)
    name = ParagraphStyle("name", parent=styles["BodyText"], fontSize=18, leading=22, alignment=1)
    detail = ParagraphStyle("detail", parent=styles["BodyText"], fontSize=10, alignment=1)
    badges = [
        [
            paragraph(escape(seminar.title), small),
            paragraph(f"{escape(r.prenom)}<br/><b>{escape(r.nom.upper())}</b>", name),
            paragraph(escape(r.fonction_label), detail),
            paragraph(escape(r.commune_label), detail),
            # Scanned at the welcome desk: opens the person's check-in screen.
            check_in_flowable(r, 2.3 * cm),
        ]
        for r in attendees(seminar)
    ]
    rows = [
        badges[start : start + BADGE_COLUMNS] + [""] * (start + BADGE_COLUMNS - len(badges))
        for start in range(0, len(badges), BADGE_COLUMNS)
    ] or [["", ""]]
    table = Table(rows, colWidths=[9 * cm] * BADGE_COLUMNS, rowHeights=[6.5 * cm] * len(rows))
    table.setStyle(
        table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.lightgrey),  # cutting guides
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),  # the QR code under the text
            ]
        )
    )
    return build_pdf(
        [table],
        title=f"Badges – {sheet_title(seminar)}",
        subject="Badges nominatifs",
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
    )
