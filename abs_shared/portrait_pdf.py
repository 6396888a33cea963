"""The portrait of a commune or an intercommunality as a PDF (`?export=pdf`): a director prints
it or attaches it to the papers of the conseil d'administration, or hands it to the maire.

It lays out what the page shows, from the page's own context (views.portrait_context): the same
tables (presenters.portrait_table, presenters.distribution_table), cut by theme, the same
sentences and notes. Nothing is computed here, so the page's rules hold as they are: a secret
reads « s », a count has no reference, median or rank, a draft of the member space keeps its
« (brouillon) ».

After the tables, charts for a board to read at a glance (abs_shared.pdf_charts, reportlab's own
graphics): each indicator's evolution, from the comparison page's series (comparisons.series,
presenters.series_others: what presenters.series_chart draws), and each indicator's value
beside its reference territories and the members' median, from the portrait table's own
results. A secret or missing value is never drawn; a draft is a hollow point or bar.

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

from abs_shared.comparisons import COMMUNE
from abs_shared.presenters import MIN_PUBLISHERS, Cell, territories_note
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
        # The page's order: the table and its notes, then the members' distribution; the
        # charts (evolution, then position) between them, before the distribution's table.
        story += _indicator_tables(context, styles)
        story += _notes(context, styles)
        story += _evolution_charts(context, styles)
        story += _position_charts(context, styles)
        story += _distribution(context, styles)
        story += _sources(context, styles)
    else:
        story.append(_paragraph(context["nothing_published"], styles["BodyText"]))
        story += _territories(context, styles)
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
    """« Portrait de Bondy, 2021 », as the document's title (metadata and first line)."""
    title = f"Portrait {context['subject'].of_name}"  # « Portrait des Lilas »
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
    """The sources of the values shown, the subject's, the references' then the chosen
    communes' (views.portrait_context), each once."""
    sources = []
    for item in context["items"]:
        result = item["result"]
        sources.append(result["source"])
        sources += [ref["source"] for ref in result["references"]]
        sources += [other["source"] for other in item.get("chosen", [])]
    return [source for source in dict.fromkeys(sources) if source]


def items_by_theme(context: dict) -> dict[str, list[tuple[dict, list[Cell]]]]:
    """The portrait's items with their table row, grouped by the theme of their indicator,
    themes in order of first appearance in the catalogue (one row per item:
    presenters.portrait_table keeps their order)."""
    themes: dict[str, list[tuple[dict, list[Cell]]]] = {}
    for item, row in zip(context["items"], context["table"].rows, strict=True):
        themes.setdefault(item["indicator"].theme or OTHER_THEME, []).append((item, row))
    return themes


def rows_by_theme(context: dict) -> list[tuple[str, list[list[Cell]], list[bool]]]:
    """The portrait table's rows by theme; with each row, whether its value is a draft."""
    return [
        (theme, [row for _item, row in pairs], [item["result"]["draft"] for item, _row in pairs])
        for theme, pairs in items_by_theme(context).items()
    ]


def draft_rows(context: dict) -> int:
    return sum(1 for item in context["items"] if item["result"]["draft"])


# --- the story ------------------------------------------------------------------------------


def _styles():
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    from union.pdf import BOLD_FONT, stylesheet

    styles = stylesheet()
    # Names such as « Seine-Saint-Denis » break at their hyphens, never inside a word.
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
    styles.add(
        ParagraphStyle(
            "ChartTitle", parent=styles["BodyText"], fontName=BOLD_FONT, fontSize=8, leading=9.5
        )
    )
    return styles


NO_BREAK = "\u00a0"
FRENCH_SPACES = re.compile(r"(?<=«) | (?=[»:;!?])")


def french_spacing(text: str) -> str:
    """The spaces inside « » and before « : ; ! ? » made unbreakable, as French typesetting
    wants: a printed line never opens on « » » or « : »."""
    return FRENCH_SPACES.sub(NO_BREAK, text)


def _paragraph(text: str, style):
    from union.pdf import paragraph

    # Names and sources are typed by people: reportlab would read « & » or « < » as markup.
    return paragraph(escape(french_spacing(text)), style)


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
                f"Valeurs de {year} ; « n.d. » pour un indicateur sans valeur cette année-là.",
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
                    f"Document de travail : 1 valeur de ce portrait n'est pas encore publiée par "
                    f"le {kind} (brouillon ou valeur validée en attente de publication) ; elle "
                    "est marquée « brouillon »."
                    if drafts == 1
                    else f"Document de travail : {drafts} valeurs de ce portrait ne sont pas "
                    f"encore publiées par le {kind} (brouillons ou valeurs validées en attente "
                    "de publication) ; elles sont marquées « brouillon »."
                ),
                styles["Warning"],
            )
        )
    secrets = sum(1 for item in context["items"] if item["result"].get("secret_in_pool"))
    if secrets:
        notes.append(
            _paragraph(
                f"{secrets} valeur(s) de ce portrait publiée(s) comme secrète(s) (moins de 11 "
                "personnes ou ménages) : le portail public montre « s » ; elles sont marquées "
                "« secret sur le portail » et ne comptent dans aucune médiane ni aucun rang.",
                styles["Warning"],
            )
        )
    notes.append(
        _paragraph(
            f"Espace du {kind} : les valeurs non publiées sont incluses et marquées "
            "« brouillon ». Le portail public de l'union ne montre que les valeurs publiées.",
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
                table.page_headers,  # the source after each indicator's name, as on the page
                [table.printed_row(row) for row in rows],
                styles,
                leading_widths=[4.2 * cm, 1.3 * cm, 2.0 * cm, 2.8 * cm],
                drafts=drafts,
            )
        )
    return story


def _territories(context: dict, styles) -> list:
    """A commune whose CCAS is no member: its territories' reference values, as its page shows
    them (views.render_portrait makes them the context's table), said not to be its own."""
    from reportlab.lib.units import cm

    if not context.get("territories") or context["items"]:
        return []
    table = context["table"]
    name = context["subject"].nom
    return [
        *_heading(f"Les territoires de {name}", styles["Heading2"]),
        _paragraph(territories_note(name), styles["BodyText"]),
        _table(
            table.headers,
            table.rows,
            styles,
            leading_widths=[6 * cm, 1.3 * cm],
            drafts=[],
        ),
        *_sources_line(context["territories"].get("sources", []), styles),
    ]


def _distribution(context: dict, styles) -> list:
    """The page's position charts as their table (members' or other CIAS' minimum, quartiles,
    median, maximum): the PDF draws the subject beside its territories and the members' median
    (_position_charts), not these box plots."""
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
        # Its line on ranks as on the page: none for a portrait that ranks nothing (counts only).
        _paragraph(
            page_text("abs_shared/includes/secrecy_legend.html", {"rank": context["table"].ranked}),
            styles["Note"],
        )
    )
    return notes


# --- charts ---------------------------------------------------------------------------------

CHARTS_PER_ROW = 4
EVOLUTION_ROWS_PER_PAGE = 3
POSITION_ROWS_PER_PAGE = 4
PANEL_PADDING = 4
PANEL_BORDER = "#c8c8c8"


def by_theme(context: dict) -> list[dict]:
    """The portrait's items in the order of its tables: theme by theme."""
    return [item for pairs in items_by_theme(context).values() for item, _row in pairs]


def own_label(subject: dict) -> str:
    """How a chart names the subject's series or bar (`subject` as results name it): a CIAS's
    values beside its intercommunality's reference line would both read « Est Ensemble »."""
    return subject["nom"] if subject["kind"] == COMMUNE else f"{subject['nom']} (CIAS)"


def evolution_lines(data: dict) -> list:
    """The series of the comparison page's evolution chart (presenters.series_chart): the
    subject's points (drafts marked), then its territories'; a secret or missing value is None."""
    from abs_shared.pdf_charts import ChartLine, ChartPoint
    from abs_shared.presenters import series_others

    own = ChartLine(
        own_label(data["subject"]),
        # A number published as « s » is a secret: no point, as on the portal.
        [
            ChartPoint(p["year"], None if p.get("secret_in_pool") else p["value"], p["draft"])
            for p in data["points"]
        ],
    )
    return [own] + [
        ChartLine(name, [ChartPoint(p["year"], p["value"]) for p in points])
        for name, points in series_others(data)
    ]


def evolution_charts(context: dict) -> tuple[list[tuple[dict, dict, list]], list[dict]]:
    """(item, series, lines) of each indicator the subject has a number for in two years at
    least, in the tables' order; and the items left without an evolution chart."""
    from abs_shared.comparisons import series

    # In the member space, the member's own values, drafts included; on the portal, None.
    overrides = context["overrides"]
    charted, left_out = [], []
    for item in by_theme(context):
        data = series(context["subject"], item["indicator"], overrides)
        lines = evolution_lines(data)
        if len(lines[0].numbers) >= 2:
            charted.append((item, data, lines))
        else:
            left_out.append(item)
    return charted, left_out


def position_bars(context: dict, item: dict) -> list | None:
    """The bars of one indicator for the portrait's year: the subject, its territories with a
    number, the members' median (the portrait table's figures); None where the page draws no
    position chart either (a count, a secret or missing value: views.portrait_context). No
    median bar over fewer than MIN_PUBLISHERS values, as the page has no box then
    (`item["too_few"]`; `position_note` says why under the chart)."""
    from abs_shared.models import ValueStatus
    from abs_shared.pdf_charts import ChartBar

    result, indicator = item["result"], item["indicator"]
    if indicator.is_count or result["status"] != ValueStatus.VALUE or result["value"] is None:
        return None
    if result.get("secret_in_pool"):  # published as « s »: never drawn
        return None
    name = own_label(result["subject"])
    bars = [
        ChartBar(
            f"{name} (brouillon)" if result["draft"] else name,
            result["value"],
            "own",
            result["draft"],
        )
    ]
    bars += [
        ChartBar(ref["nom"], ref["value"])
        for ref in result["references"]
        if ref["value"] is not None
    ]
    members = result["members"]
    if members and members["median"] is not None and not item.get("too_few"):
        bars.append(ChartBar(f"Médiane des {context['words'].group}", members["median"], "median"))
    return bars


def position_note(item: dict) -> str:
    """What a position chart without its median says under it: the page's card, word for
    word (presenters.too_few_card); "" when the median is drawn."""
    return item.get("too_few_note", "") if item.get("too_few") else ""


def _chart_width() -> float:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm

    available = landscape(A4)[0] - 2 * MARGIN_CM * cm
    return available / CHARTS_PER_ROW


def _grid(panels: list[tuple]) -> object:
    """Panels (title, drawing[, note]) four to a row, each framed; the drawings of a row aligned
    under titles of one or two lines; a note, if any, under its drawing."""
    from reportlab.lib import colors
    from reportlab.platypus import Spacer, Table

    from union.pdf import table_style

    inner = _chart_width() - 2 * PANEL_PADDING
    rows = []
    for start in range(0, len(panels), CHARTS_PER_ROW):
        row = panels[start : start + CHARTS_PER_ROW]
        heights = [title.wrap(inner, 1000)[1] for title, _drawing, *_note in row]
        cells = [
            [title, Spacer(1, max(heights) - height), drawing, *note]
            for (title, drawing, *note), height in zip(row, heights, strict=True)
        ]
        rows.append(cells + [""] * (CHARTS_PER_ROW - len(cells)))
    table = Table(rows, colWidths=[_chart_width()] * CHARTS_PER_ROW)
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PANEL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PANEL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), PANEL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PANEL_PADDING),
    ]
    for index in range(len(panels)):
        cell = (index % CHARTS_PER_ROW, index // CHARTS_PER_ROW)
        commands.append(("BOX", cell, cell, 0.4, colors.HexColor(PANEL_BORDER)))
    table.setStyle(table_style(commands))
    return table


def _pages_of_panels(opening: list, panels: list[tuple], rows_per_page: int, repeated=None) -> list:
    """The panels in blocks of a page each, kept whole (a chart is never cut by a page break);
    `opening` (heading, explanation) before the first, `repeated(start, end)` (the legend of
    the panels start:end) before each."""
    from reportlab.platypus import KeepTogether, Spacer

    story = []
    size = CHARTS_PER_ROW * rows_per_page
    for start in range(0, len(panels), size):
        block = (opening if start == 0 else []) + (
            repeated(start, start + size) if repeated else []
        )
        story.append(KeepTogether([*block, _grid(panels[start : start + size]), Spacer(1, 6)]))
    return story


def _chart_opening(heading: str, explanation: str, left_out_lead: str, left_out, styles) -> list:
    """A chart section's heading and explanation, then the indicators it has no chart for."""
    opening = [_paragraph(heading, styles["Heading2"]), _paragraph(explanation, styles["Note"])]
    if left_out:
        labels = " ; ".join(item["indicator"].label for item in left_out)
        opening.append(_paragraph(f"{left_out_lead} : {labels}.", styles["Note"]))
    return opening


def _evolution_charts(context: dict, styles) -> list:
    """One small line chart per indicator with two years or more: the subject and its
    territories over the years, one legend for all (the same series in each chart)."""
    from abs_shared.charts import ZERO_BASED_UNITS
    from abs_shared.pdf_charts import legend_drawing, line_drawing
    from abs_shared.presenters import titled

    charted, left_out = evolution_charts(context)
    if not charted:
        return []
    subject = context["subject"]
    inner = _chart_width() - 2 * PANEL_PADDING
    panels, drafts, breaks = [], False, False
    for item, data, lines in charted:
        years = [point.year for point in lines[0].points]
        panels.append(
            (
                _paragraph(
                    f"{titled(item['indicator'])}, de {years[0]} à {years[-1]}",
                    styles["ChartTitle"],
                ),
                line_drawing(
                    lines,
                    data["breaks"],
                    inner,
                    from_zero=item["indicator"].unit in ZERO_BASED_UNITS,
                ),
            )
        )
        drafts = drafts or any(point.draft for point in lines[0].numbers)
        breaks = breaks or bool(data["breaks"])

    def legend(start: int, end: int) -> list:
        """The legend of the panels start:end (a page): the series drawn there only, by index:
        each keeps its index's style in every chart (the subject first, then its territories
        in their order); a page of counts draws the subject alone."""
        page = charted[start:end]
        drawn = {
            index: line.name
            for _item, _data, lines in page
            for index, line in enumerate(lines)
            if line.numbers
        }
        width = _chart_width() * CHARTS_PER_ROW
        return [
            legend_drawing(
                sorted(drawn.items()),
                width,
                draft=any(point.draft for _i, _d, lines in page for point in lines[0].numbers),
                series_break=any(data["breaks"] for _i, data, _l in page),
            )
        ]

    explanation = (
        f"Valeurs {subject.of_name} et de ses territoires de référence pour chaque année publiée "
        "(les séries du tableau d'évolution de chaque indicateur), chaque série avec sa forme de "
        "point et son trait. Une valeur secrète (« s ») ou non disponible n'est pas tracée : la "
        "ligne s'interrompt ; un effectif est montré seul. Les axes partent de zéro, sauf pour "
        "un rapport ou un indice, dont l'axe est ajusté aux valeurs et marqué « axe ne partant "
        "pas de zéro »."
    )
    if drafts:
        kind = "CCAS" if subject.is_commune else "CIAS"
        explanation += (
            f" Point vide : valeur du {kind} non encore publiée (brouillon ou valeur validée en "
            "attente de publication)."
        )
    opening = _chart_opening(
        f"Évolution des indicateurs {subject.at_name}",
        explanation,
        "Sans graphique d'évolution (moins de deux années avec une valeur représentable)",
        left_out,
        styles,
    )
    return _pages_of_panels(opening, panels, EVOLUTION_ROWS_PER_PAGE, legend)


def _position_charts(context: dict, styles) -> list:
    """One small bar chart per indicator the page draws a position chart for: the subject's
    value for the portrait's year beside its territories' and the members' median."""
    from abs_shared.pdf_charts import bar_drawing
    from abs_shared.presenters import formatter, titled

    subject, said = context["subject"], context["words"]
    inner = _chart_width() - 2 * PANEL_PADDING
    panels, left_out, drafts = [], [], False
    for item in by_theme(context):
        bars = position_bars(context, item)
        if bars is None:
            left_out.append(item)
            continue
        drafts = drafts or bars[0].draft
        indicator = item["indicator"]
        panel = (
            _paragraph(titled(indicator, item["result"]["year"]), styles["ChartTitle"]),
            bar_drawing(bars, formatter(indicator), inner),
        )
        note = position_note(item)
        panels.append((*panel, _paragraph(note, styles["Note"])) if note else panel)
    if not panels:
        return []
    explanation = (
        f"Pour l'année de chaque indicateur dans le tableau : la valeur {subject.of_name} (barre "
        f"foncée), celles de ses territoires de référence (barres claires) et la médiane des "
        f"{said.group} ayant publié (barre blanche), quand au moins {MIN_PUBLISHERS} ont "
        "publié : en deçà, une médiane ne situe rien, et une note le dit sous le graphique. "
        "Une valeur secrète (« s ») ou non disponible n'est pas représentée (voir le tableau)."
    )
    if drafts:
        explanation += " Barre vide en pointillés : valeur non publiée (brouillon)."
    opening = _chart_opening(
        f"{subject.nom} face à ses territoires de référence",
        explanation,
        "Sans graphique (effectif, ni comparé ni classé ; valeur secrète ou non disponible)",
        left_out,
        styles,
    )
    return _pages_of_panels(opening, panels, POSITION_ROWS_PER_PAGE)


def _sources(context: dict, styles) -> list:
    """Where the figures come from: a board paper names its sources."""
    return _sources_line(value_sources(context), styles)


def _sources_line(sources: list[str], styles) -> list:
    """The line « Sources des valeurs » under a portrait's tables, naming each once."""
    from reportlab.platypus import Spacer

    if not sources:
        return []
    return [
        Spacer(1, 6),
        _paragraph(f"Sources des valeurs : {' ; '.join(sources)}.", styles["Note"]),
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
