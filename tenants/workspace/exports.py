"""The activity report as CSV (French Excel: semicolons, decimal comma), XLSX and PDF."""

from decimal import Decimal
from xml.sax.saxutils import escape

from tenants.workspace.activity import ActivityReport, Line
from tenants.workspace.templatetags.workspace_tags import signed_percent
from union.formats import french_number
from union.spreadsheets import append_row, csv_bytes, new_sheet, set_widths, workbook_bytes


def _french(value, decimals: int = 0) -> str:
    # A plain no-break space for thousands, as the PDF has always printed them (the CSV strips it).
    return "" if value is None else french_number(value, decimals, thousands="\u00a0")


def _pct(value: Decimal | None) -> str:
    # The report page's « +12,5 % », « −3,0 % » (a minus sign, not a hyphen).
    return "" if value is None else signed_percent(value)


def headers(report: ActivityReport) -> list[str]:
    y, p = report.year, report.previous_year
    return [
        "Pôle",
        "Catégorie",
        f"Nombre {y}",
        f"Nombre {p}",
        "Évolution du nombre (%)",
        f"Montant {y} (€)",
        f"Montant {p} (€)",
        "Évolution du montant (%)",
    ]


def partial_year_notes(report: ActivityReport) -> list[str]:
    """Why some evolutions are left out, in the words of the report page
    (workspace/_partial_year.html), with the missing categories listed."""
    notes = []
    if report.in_progress:
        notes.append(f"{report.year} n'est pas terminée : {report.in_progress_note}")
    if report.missing:
        missing = " ; ".join(
            f"{pole} : {', '.join(categories)}" for pole, categories in report.missing_by_pole
        )
        several = len(report.missing) > 1
        notes.append(
            f"Saisie incomplète : {report.missing_note} Manque{'nt' if several else ''} : {missing}."
        )
        notes.append(report.stopped_activity_help)
    return notes


def _category(line: Line, report: ActivityReport) -> str:
    """A figure's category, or what a pole's summary line is: its total when its categories
    count the same thing, else its key figure (activity.key_figures), never a sum of unlike
    figures. Marked as the report page marks it when some of last year's figures lack."""
    if line.category is not None:
        return line.category
    incomplete = not line.comparable and not report.in_progress
    if line.summed:
        notes = [f"hors {', '.join(line.left_out)}"] if line.left_out else []
        if incomplete:
            notes.append("saisie incomplète")
        # The key figure's name, as the report page says it (« Secours accordés (total) »).
        return line.measure + (f" ({' ; '.join(notes)})" if notes else "")
    text = f"Chiffre clé du pôle : {line.measure}"
    return f"{text} (saisie incomplète)" if incomplete else text


def _cells(line: Line, report: ActivityReport) -> list:
    return [
        line.pole,
        _category(line, report),
        line.count,
        line.previous_count,
        line.count_evolution_pct,
        line.amount,
        line.previous_amount,
        line.amount_evolution_pct,
    ]


def report_lines(report: ActivityReport) -> list[Line]:
    """Each pole's figures followed by its key figure (none for a pole of the member's own whose
    categories may count different things)."""
    lines = []
    for total, figures in report.figures_by_pole():
        lines.extend(figures)
        if total.measure:
            lines.append(total)
    return lines


def _csv_number(value, decimals: int) -> str:
    """A figure as French Excel reads a number from a CSV: decimal comma, no thousands
    separator (« 1400,0 »): with a no-break space, « 1 400,0 » stayed text, neither summed
    nor sorted."""
    return "" if value is None else _french(value, decimals).replace("\u00a0", "")


def to_csv(report: ActivityReport) -> bytes:
    rows = [headers(report)]
    for line in report_lines(report):
        pole, category, count, pcount, cpct, amount, pamount, apct = _cells(line, report)
        rows.append(
            [
                pole,
                category,
                "" if count is None else count,
                "" if pcount is None else pcount,
                _csv_number(cpct, 1),
                _csv_number(amount, 2),
                _csv_number(pamount, 2),
                _csv_number(apct, 1),
            ]
        )
    notes = partial_year_notes(report)
    if notes:
        rows.append([])  # a blank line, so that the notes are not read as figures
        rows.extend([note] for note in notes)
    return csv_bytes(rows)


def to_xlsx(report: ActivityReport, title: str) -> bytes:
    from openpyxl.styles import Font

    workbook, sheet = new_sheet(f"Activité {report.year}", headers(report), title=title)
    for line in report_lines(report):
        cells = _cells(line, report)
        # Percentages as numbers, so that the spreadsheet can sort and chart them.
        # Poles and categories are typed or imported: text, never a formula.
        row_cells = append_row(sheet, [float(v) if isinstance(v, Decimal) else v for v in cells])
        row = row_cells[0].row
        if line.category is None:
            for cell in row_cells:
                cell.font = Font(bold=True)
        for column in ("C", "D"):
            sheet[f"{column}{row}"].number_format = "#,##0"
        for column in ("F", "G"):
            sheet[f"{column}{row}"].number_format = "#,##0.00 €"
        for column in ("E", "H"):
            sheet[f"{column}{row}"].number_format = "+0.0;-0.0;0.0"
    notes = partial_year_notes(report)
    if notes:
        sheet.append([])
        for note in notes:
            # append_row gives the whole row (as wide as the table): the note is its first cell.
            append_row(sheet, [note])[0].font = Font(italic=True)
    set_widths(sheet, (24, 50, 12, 12, 14, 16, 16, 14))
    return workbook_bytes(workbook)


def to_pdf(report: ActivityReport, title: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm
    from reportlab.platypus import Spacer, Table

    from union.pdf import BOLD_FONT, build_pdf, paragraph, stylesheet, table_style

    styles = stylesheet()
    cell_style = styles["BodyText"]
    cell_style.fontSize = 8
    cell_style.leading = 10
    rows = [[paragraph(f"<b>{h}</b>", cell_style) for h in headers(report)]]
    total_rows = []
    for line in report_lines(report):
        pole, category, count, pcount, cpct, amount, pamount, apct = _cells(line, report)
        if line.category is None:
            total_rows.append(len(rows))
        rows.append(
            [
                # Typed labels: reportlab reads its cells as markup ("Logement & énergie").
                paragraph(escape(pole), cell_style),
                paragraph(escape(category), cell_style),
                _french(count),
                _french(pcount),
                _pct(cpct),
                _french(amount, 2),
                _french(pamount, 2),
                _pct(apct),
            ]
        )
    table = Table(rows, repeatRows=1, colWidths=[4 * cm, 6.5 * cm] + [2.6 * cm] * 6)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf4")),
        ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
    ]
    for index in total_rows:
        style += [
            ("BACKGROUND", (0, index), (-1, index), colors.HexColor("#f3f4f6")),
            ("FONTNAME", (2, index), (-1, index), BOLD_FONT),
        ]
    table.setStyle(table_style(style))
    story = [paragraph(escape(title), styles["Title"]), Spacer(1, 0.3 * cm)]
    # Before the table, as on the report page: the reader knows why evolutions are missing.
    for note in partial_year_notes(report):
        story.append(paragraph(escape(note), styles["BodyText"]))
    story += [Spacer(1, 0.3 * cm), table]
    if not report.figures:
        story.append(paragraph("Aucun chiffre saisi pour cette année.", styles["BodyText"]))
    return build_pdf(
        story,
        title=title,
        subject=f"Rapport d'activité {report.year}",
        pagesize=landscape(A4),
        page_numbers=True,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
    )
