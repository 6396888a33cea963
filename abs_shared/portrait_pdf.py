"""The portrait of a commune or an intercommunality as a PDF (`?export=pdf`): a director prints
it or attaches it to the papers of the conseil d'administration, or hands it to the maire.

It lays out what the page shows, from the page's own context (views.portrait_context): the same
tables (presenters.portrait_table, presenters.distribution_table), cut by theme, the same
sentences and notes. Nothing is computed here, so the page's rules hold as they are: a secret
reads « s », a count has no reference, median or rank, a draft of the member space keeps its
« (brouillon) ».

reportlab and union.pdf are imported inside the functions: loading them costs a quarter of a
second that the page and its other exports should not pay (see union.pdf).
"""

import html
import re
from xml.sax.saxutils import escape

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags

from abs_shared.presenters import Cell
from union.formats import long_date

OTHER_THEME = "Autres indicateurs"
HEADER_BACKGROUND = "#e8ecf4"
DRAFT_BACKGROUND = "#fff4d6"
FONT_SIZE = 8
MARGIN_CM = 1.2
CELL_PADDING = 3  # points, each side: reportlab's 6 leave too little of a 2 cm column


def portrait_pdf(context: dict) -> bytes:
    """The PDF of a portrait page's context (after render_portrait added `nothing_published`
    and, in the member space, `member_space`)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm

    from union.pdf import build_pdf

    styles = _styles()
    story = _opening(context, styles)
    if context["items"]:
        # The page's order: the table and its notes, then the members' distribution.
        story += _indicator_tables(context, styles)
        story += _notes(context, styles)
        story += _distribution(context, styles)
        story += _sources(context, styles)
    else:
        story.append(_paragraph(context["nothing_published"], styles["BodyText"]))
    margin = MARGIN_CM * cm
    return build_pdf(
        story,
        title=pdf_title(context),
        subject=pdf_subject(context),
        # Landscape: a commune's table has up to twelve columns.
        pagesize=landscape(A4),
        page_numbers=True,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
    )


def pdf_title(context: dict) -> str:
    """« Portrait de Bondy, 2021 », as the document's title (metadata and first line)."""
    title = f"Portrait de {context['subject'].nom}"
    return f"{title}, {context['year']}" if context["year"] else title


def pdf_subject(context: dict) -> str:
    subject = context["subject"]
    place = (
        f"commune {subject.code}"
        if subject.is_commune
        else f"intercommunalité, SIREN {subject.code}"
    )
    described = f"Indicateurs de l'analyse des besoins sociaux (ABS), {place}"
    if context["drafts"]:
        return f"{described} – document de travail, avec des valeurs non publiées"
    return described


def produced_line() -> str:
    """When and by what the document was produced: a printed copy outlives the page."""
    today = long_date(timezone.localdate(), weekday=False)
    return f"Document produit le {today} sur Maillage – {settings.PLATFORM_NAME}"


def page_text(template: str, context: dict) -> str:
    """The text of one of the page's includes (demo notice, secrecy legend), so that the PDF
    says what the page says, word for word."""
    return " ".join(html.unescape(strip_tags(render_to_string(template, context))).split())


def value_sources(context: dict) -> list[str]:
    """The sources of the values shown, the subject's then the references', each once."""
    sources = []
    for item in context["items"]:
        result = item["result"]
        sources.append(result["source"])
        sources += [ref["source"] for ref in result["references"]]
    return [source for source in dict.fromkeys(sources) if source]


def rows_by_theme(context: dict) -> list[tuple[str, list[list[Cell]], list[bool]]]:
    """The portrait table's rows grouped by the theme of their indicator, themes in order of
    first appearance in the catalogue (one row per item: presenters.portrait_table keeps their
    order); with each row, whether its value is a draft."""
    themes: dict[str, tuple[list[list[Cell]], list[bool]]] = {}
    for item, row in zip(context["items"], context["table"].rows, strict=True):
        rows, drafts = themes.setdefault(item["indicator"].theme or OTHER_THEME, ([], []))
        rows.append(row)
        drafts.append(item["result"]["draft"])
    return [(theme, rows, drafts) for theme, (rows, drafts) in themes.items()]


def draft_rows(context: dict) -> int:
    return sum(1 for item in context["items"] if item["result"]["draft"])


# --- the story ------------------------------------------------------------------------------


def _styles():
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    from union.pdf import BOLD_FONT, stylesheet

    styles = stylesheet()
    # Names such as « Seine-Saint-Denis » break at their hyphens, never inside a word.
    cell = ParagraphStyle(
        "Cell", parent=styles["BodyText"], fontSize=FONT_SIZE, leading=10, embeddedHyphenation=1
    )
    styles.add(cell)
    styles.add(ParagraphStyle("NumberCell", parent=cell, alignment=TA_RIGHT))
    styles.add(ParagraphStyle("HeaderCell", parent=cell, fontName=BOLD_FONT))
    styles.add(
        ParagraphStyle("NumberHeaderCell", parent=cell, fontName=BOLD_FONT, alignment=TA_RIGHT)
    )
    styles.add(ParagraphStyle("Note", parent=styles["BodyText"], fontSize=FONT_SIZE, leading=10))
    styles.add(ParagraphStyle("Warning", parent=styles["BodyText"], fontName=BOLD_FONT))
    return styles


NO_BREAK = "\u00a0"
FRENCH_SPACES = re.compile(r"(?<=«) | (?=[»:;!?])")


def french_spacing(text: str) -> str:
    """The spaces inside « » and before « : ; ! ? » made unbreakable, as French typesetting
    wants: a printed line never opens on « » » or « : »."""
    return FRENCH_SPACES.sub(NO_BREAK, text)


def _paragraph(text: str, style):
    from reportlab.platypus import Paragraph

    # Names and sources are typed by people: reportlab would read « & » or « < » as markup.
    return Paragraph(escape(french_spacing(text)), style)


def _heading(text: str, style) -> list:
    """A heading that never ends a page: a new page unless a few rows fit under it. (Not
    keepWithNext: it would move a whole table that does fit on a page to the next one.)"""
    from reportlab.lib.units import cm
    from reportlab.platypus import CondPageBreak

    return [CondPageBreak(4 * cm), _paragraph(text, style)]


def _opening(context: dict, styles) -> list:
    """Title, what is compared with what, which year, the member space's drafts, the demo."""
    from reportlab.platypus import Spacer

    subject = context["subject"]
    year = context["year"]
    story = [
        _paragraph(pdf_title(context), styles["Title"]),
        _paragraph(
            "Indicateurs de l'analyse des besoins sociaux (ABS)"
            + (
                f", valeurs de {year}"
                if year
                else ", dernière année disponible de chaque indicateur"
            ),
            styles["Heading3"],
        ),
        _paragraph(context["lead"], styles["BodyText"]),
    ]
    if year and context["items"]:
        story.append(
            _paragraph(
                f"Valeurs de {year} ; « n.d. » pour un indicateur sans valeur cette année-là.",
                styles["BodyText"],
            )
        )
    if context.get("member_space"):
        story += _member_space_notes(context, styles, "CCAS" if subject.is_commune else "CIAS")
    if context["demo"]:
        story.append(
            _paragraph(
                page_text("abs_shared/includes/demo_notice.html", {"demo": True}),
                styles["Warning"],
            )
        )
    story += [_paragraph(produced_line(), styles["Note"]), Spacer(1, 6)]
    return story


def _member_space_notes(context: dict, styles, kind: str) -> list:
    """The member space's portrait includes the member's own values not yet published, as its
    page does: a director presents their latest figures to the board, and each one not yet
    published says so, so that the board never takes a draft for a published figure."""
    notes = []
    drafts = draft_rows(context)
    if drafts:
        notes.append(
            _paragraph(
                (
                    f"Document de travail : 1 valeur de ce portrait n'est pas encore publiée par "
                    f"le {kind} (brouillon ou valeur validée en attente de publication) ; elle "
                    "est marquée « brouillon »."
                    if drafts == 1
                    else f"Document de travail : {drafts} valeurs de ce portrait ne sont pas "
                    f"encore publiées par le {kind} (brouillons ou valeurs validées en attente "
                    "de publication) ; elles sont marquées « brouillon »."
                ),
                styles["Warning"],
            )
        )
    notes.append(
        _paragraph(
            f"Espace du {kind} : les valeurs non publiées sont incluses et marquées "
            "« brouillon ». Le portail public de l'union ne montre que les valeurs publiées.",
            styles["Note"],
        )
    )
    return notes


def _indicator_tables(context: dict, styles) -> list:
    from reportlab.lib.units import cm

    table = context["table"]
    story = _heading(table.caption, styles["Heading2"])
    for theme, rows, drafts in rows_by_theme(context):
        story += _heading(theme, styles["Heading3"])
        story.append(
            _table(
                table.headers,
                rows,
                styles,
                leading_widths=[4.2 * cm, 1.3 * cm, 2.0 * cm, 2.8 * cm],
                drafts=drafts,
            )
        )
    return story


def _distribution(context: dict, styles) -> list:
    """The position charts' table (members' or other CIAS' minimum, quartiles, median,
    maximum); the PDF has no chart, this is what they show."""
    from reportlab.lib.units import cm

    distribution = context["distribution"]
    if not distribution.rows:  # counts only: not placed among the others
        return []
    drafts = [
        item["result"]["draft"] for item in context["items"] if not item["indicator"].is_count
    ]
    heading = f"Position parmi les {context['words'].group}, indicateur par indicateur"
    return [
        *_heading(heading, styles["Heading2"]),
        _table(
            distribution.headers,
            distribution.rows,
            styles,
            leading_widths=[6 * cm, 1.3 * cm, 3.2 * cm],
            drafts=drafts,
        ),
    ]


def _notes(context: dict, styles) -> list:
    """The page's notes under its table: counts, change, secrecy."""
    from reportlab.platypus import Spacer

    notes = [Spacer(1, 6)]
    notes += [_paragraph(note, styles["Note"]) for note in context["table"].notes]
    notes.append(
        _paragraph(page_text("abs_shared/includes/secrecy_legend.html", {}), styles["Note"])
    )
    return notes


def _sources(context: dict, styles) -> list:
    """Where the figures come from: a board paper names its sources."""
    from reportlab.platypus import Spacer

    sources = value_sources(context)
    if not sources:
        return []
    return [
        Spacer(1, 6),
        _paragraph(f"Sources des valeurs : {' ; '.join(sources)}.", styles["Note"]),
    ]


def _table(headers: list[str], rows: list[list[Cell]], styles, *, leading_widths, drafts):
    """A table as the page shows it: the header row repeated on each page, the first column
    naming the row, figures right-aligned; a draft's row shaded as well as marked."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm
    from reportlab.platypus import Table

    from union.pdf import BOLD_FONT, table_style

    head = [
        _paragraph(header, styles["HeaderCell" if index == 0 else "NumberHeaderCell"])
        for index, header in enumerate(headers)
    ]
    body = [
        [
            _paragraph(
                cell.text,
                styles["NumberCell" if cell.numeric and index else "Cell"],
            )
            for index, cell in enumerate(row)
        ]
        for row in rows
    ]
    available = landscape(A4)[0] - 2 * MARGIN_CM * cm
    rest = len(headers) - len(leading_widths)
    widths = leading_widths + [(available - sum(leading_widths)) / rest] * rest
    table = Table([head, *body], colWidths=widths, repeatRows=1)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_BACKGROUND)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("FONTNAME", (0, 0), (-1, 0), BOLD_FONT),
    ]
    for index, draft in enumerate(drafts, start=1):
        if draft:
            commands.append(
                ("BACKGROUND", (0, index), (-1, index), colors.HexColor(DRAFT_BACKGROUND))
            )
    table.setStyle(table_style(commands))
    return table
