"""The board (conseil d'administration) of one mandate as CSV and XLSX: the list a director
sends with a convocation, to the préfecture or to the union, or files away.

Same dialects as the activity report's exports (union.spreadsheets): CSV with semicolons and a
BOM for French Excel, text that a spreadsheet would run made inert; XLSX with real dates.
"""

from datetime import date

from django.utils.text import slugify

from tenants.workspace.compliance import BoardAuthorities, board_authorities
from tenants.workspace.models import BoardMandate, BoardMember
from union.spreadsheets import (
    append_row,
    ascii_slug,
    csv_bytes,
    new_sheet,
    set_widths,
    workbook_bytes,
)

Seat = BoardMember.Seat
HEADERS = [
    "Nom",
    "Prénom",
    "Qualité",
    "Fonction",
    "Association",
    "Catégorie d'association",
    "Début du mandat",
    "Fin du mandat",
    "Adresse électronique",
    # The member's own, as the e-mail address: for the convocations on paper (a mail merge).
    "Adresse postale",
    "Code postal",
    "Commune",
]
# The last columns: how to reach each member, for those who convene the board (direction and
# agents); a « lecture seule » account's export leaves them out, as its board page does.
CONTACT_COLUMNS = 4
WIDTHS = (20, 18, 30, 18, 30, 34, 16, 16, 30, 34, 12, 24)


def headers(*, contacts: bool = True) -> list[str]:
    return HEADERS if contacts else HEADERS[:-CONTACT_COLUMNS]


def qualities(authorities: BoardAuthorities) -> dict[str, str]:
    """What a board list calls each group (CASF L123-6): how the person came to sit. For a
    CIAS, the président of the EPCI and its council stand for the maire and the conseil
    municipal (CASF R123-27)."""
    president = "Président(e) de l'EPCI" if authorities.cias else "Maire"
    return {
        Seat.PRESIDENT: f"{president}, président(e) de droit",
        Seat.ELECTED: f"Élu(e) par le {authorities.council}",
        Seat.APPOINTED: f"Nommé(e) par le {authorities.president}",
    }


def seat_end(seat: BoardMember, mandate: BoardMandate) -> date | None:
    """The last day of a seat: its own end, else its mandate's (a seat without an end sits
    until the end of its mandate; services.seats_outside)."""
    return seat.end or mandate.end


def seat_period(seat: BoardMember, mandate: BoardMandate) -> str:
    """ "du 05/04/2014 au 30/06/2020", or "depuis le 04/07/2020" while no end is known."""
    end = seat_end(seat, mandate)
    if end is None:
        return f"depuis le {seat.start:%d/%m/%Y}"
    return f"du {seat.start:%d/%m/%Y} au {end:%d/%m/%Y}"


def function(seat: BoardMember) -> str:
    if seat.seat == Seat.PRESIDENT:
        return "Président(e)"
    return "Vice-président(e)" if seat.is_vice_president else "Membre"


def rows(
    mandate: BoardMandate,
    members: list[BoardMember],
    authorities: BoardAuthorities | None = None,
    *,
    contacts: bool = True,
) -> list[list]:
    """One row per seat, in the board page's order (président(e), élus, nommés); dates as dates.
    `authorities`: whose board it is, by default the member's whose schema is in use;
    `contacts`: with the e-mail and postal addresses (CONTACT_COLUMNS)."""
    names = qualities(authorities or board_authorities())
    kept = len(headers(contacts=contacts))
    return [
        [
            seat.last_name,
            seat.first_name,
            names.get(seat.seat, seat.seat),
            function(seat),
            seat.association,
            seat.get_category_display() if seat.category else "",
            seat.start,
            seat_end(seat, mandate),
            seat.email,
            "\n".join(seat.street_lines),  # one line of the address per line of the cell
            seat.postal_code,
            seat.city,
        ][:kept]
        for seat in members
    ]


def title(mandate: BoardMandate, member_name: str) -> str:
    period = f"du {mandate.start:%d/%m/%Y}"
    if mandate.end:
        period += f" au {mandate.end:%d/%m/%Y}"
    return f"{member_name} – Conseil d'administration, mandature {mandate.label} ({period})"


def file_name(member, mandate: BoardMandate, fmt: str) -> str:
    """Named after the member and the mandate: a list sent among others' says whose it is. A
    label typed « 2020/2026 » keeps its years apart (« …-2020-2026.csv »): slugify drops the
    slash, and glued them into « 20202026 »."""
    label = ascii_slug(mandate.label.replace("/", "-").replace("\\", "-"))
    return f"conseil-administration-{slugify(member.slug)}-{label}.{fmt}"


def to_csv(
    mandate: BoardMandate,
    members: list[BoardMember],
    authorities: BoardAuthorities | None = None,
    *,
    contacts: bool = True,
) -> bytes:
    lines = [headers(contacts=contacts)]
    for row in rows(mandate, members, authorities, contacts=contacts):
        lines.append([f"{v:%d/%m/%Y}" if isinstance(v, date) else (v or "") for v in row])
    return csv_bytes(lines)


def to_xlsx(
    mandate: BoardMandate,
    members: list[BoardMember],
    member_name: str,
    authorities: BoardAuthorities | None = None,
    *,
    contacts: bool = True,
) -> bytes:
    # A label is typed (« 2020/2026 »): new_sheet makes it a valid sheet name.
    columns = headers(contacts=contacts)
    workbook, sheet = new_sheet(
        f"Mandature {mandate.label}", columns, title=title(mandate, member_name)
    )
    for row in rows(mandate, members, authorities, contacts=contacts):
        # Empty cells stay empty (not an empty text); names are typed: append_row keeps them
        # text, never a formula.
        for cell in append_row(sheet, [None if value == "" else value for value in row])[6:]:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    set_widths(sheet, WIDTHS[: len(columns)])
    return workbook_bytes(workbook)


def meeting_sheet_name(member, meeting) -> str:
    return f"feuille-de-presence-{slugify(member.slug)}-{meeting.date:%Y-%m-%d}.pdf"


def meeting_sheet_pdf(
    member_name: str,
    heading: str,
    place: str,
    rows: list[list[str]],
    condition: str,
    warning: str = "",
) -> bytes:
    """The séance's attendance sheet: one row per member in office (name, how they sit, a box
    to sign, and whom a member prevented gave a proxy to), for the séance's minutes.
    `condition`: when it deliberates (meetings.Quorum.condition). `warning`:
    printed above the table (meetings.overdue_board_warning), so that a sheet of a board that
    should have been replaced is not signed unawares."""
    from xml.sax.saxutils import escape

    from reportlab.lib.units import cm
    from reportlab.platypus import Spacer, Table

    from union.pdf import build_pdf, paragraph, signing_sheet_style, stylesheet

    styles = stylesheet()
    cell = styles["BodyText"]
    columns = ["Nom", "Qualité", "Signature", "Pouvoir donné à"]
    data = [columns] + [
        [paragraph(escape(value), cell) for value in row] + ["", ""] for row in rows
    ]
    table = Table(
        data,
        colWidths=[cm * width for width in (5, 5.5, 4, 3.5)],
        repeatRows=1,
        rowHeights=[0.8 * cm] + [1.3 * cm] * len(rows),
    )
    table.setStyle(signing_sheet_style())
    story = [
        paragraph("Feuille de présence du conseil d'administration", styles["Title"]),
        paragraph(escape(member_name), styles["Heading2"]),
        paragraph(escape(heading + (f" – {place}" if place else "")), cell),
        paragraph(f"{len(rows)} membres en exercice ; {condition}.", cell),
    ]
    if warning:
        story.append(paragraph(f"<b>{escape(warning)}</b>", cell))
    story += [Spacer(1, 0.4 * cm), table]
    return build_pdf(
        story,
        title=f"Feuille de présence – {heading}",
        subject="Feuille de présence du conseil d'administration",
        page_numbers=True,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
    )
