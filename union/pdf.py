"""The platform's PDFs (attendance sheets, badges, attestations, activity reports): one builder so
that each carries the same metadata (title, author, subject, French as its language) and the same
embedded font.

The font is Source Sans Pro, from the `font-source-sans-pro` package: reportlab's Helvetica only
knows Latin-1, so « Łukasz Wiśniewski », « Ștefan », « Nguyễn Thị » or « Œdipe » printed as black
boxes; Source Sans Pro covers Latin Extended and Vietnamese, and comes with the code rather than
from the machine (servers and CI have no system fonts).

Text goes onto a page through `paragraph` (never reportlab's Paragraph directly): it keeps the
thousands of a number (« 12 345 € ») on one line (see pdf_text).

Import this module inside the functions that build a PDF, as they import reportlab: loading
reportlab and parsing the fonts takes a quarter of a second that no other request should pay.
"""

import io
from pathlib import Path

import font_source_sans_pro
from django.conf import settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import StyleSheet1, getSampleStyleSheet
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, TableStyle

FONT = "SourceSansPro"
BOLD_FONT = "SourceSansPro-Bold"
ITALIC_FONT = "SourceSansPro-Italic"
BOLD_ITALIC_FONT = "SourceSansPro-BoldItalic"
FONT_FILES = {
    FONT: "SourceSansPro-Regular.ttf",
    BOLD_FONT: "SourceSansPro-Bold.ttf",
    ITALIC_FONT: "SourceSansPro-It.ttf",  # the sample headings 3 and 4 are bold italic
    BOLD_ITALIC_FONT: "SourceSansPro-BoldIt.ttf",
}
# reportlab's sample styles name the standard fonts; each becomes the same face of ours.
REPLACEMENTS = {
    "Helvetica": FONT,
    "Helvetica-Bold": BOLD_FONT,
    "Helvetica-Oblique": ITALIC_FONT,
    "Helvetica-BoldOblique": BOLD_ITALIC_FONT,
}
CREATOR = "Maillage"


def register_fonts() -> None:
    """Registers the four faces and their family (so that <b> and <i> in a paragraph find them).
    Idempotent: reportlab keeps one registry per process."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(font_source_sans_pro.font_directory)
    for name, filename in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, folder / filename))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=BOLD_FONT, italic=ITALIC_FONT, boldItalic=BOLD_ITALIC_FONT
    )


register_fonts()


def stylesheet() -> StyleSheet1:
    """reportlab's sample styles (a new set each call: callers adjust them), in our font."""
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        for attribute in ("fontName", "bulletFontName"):
            current = getattr(style, attribute, None)
            if current in REPLACEMENTS:
                setattr(style, attribute, REPLACEMENTS[current])
    return styles


# union.formats.french_number separates thousands with U+202F, the narrow no-break space, right
# on a web page; but reportlab breaks lines at U+202F (its paragraph.py lists it among the spaces
# it splits words at, `_wsc`) while it keeps U+00A0 whole, so « 12 345 » or « 60,1 % » could end
# one line and start the next. French typesetting allows either no-break space there.
UNBROKEN_SPACES = str.maketrans({"\u202f": "\u00a0"})


def pdf_text(text: str) -> str:
    """`text` as a PDF sets it: its narrow no-break spaces made plain no-break spaces (see
    UNBROKEN_SPACES), so that a number or a unit never splits at a line end."""
    return text.translate(UNBROKEN_SPACES)


def paragraph(text: str, style) -> Paragraph:
    """reportlab's Paragraph of `text` (reportlab's markup: escape typed text first) in `style`,
    through pdf_text: the one way the platform's PDFs set text that may wrap."""
    return Paragraph(pdf_text(text), style)


def table_style(commands: list) -> TableStyle:
    """A TableStyle whose plain-text cells use our font (reportlab's default is Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


def signing_sheet_style() -> TableStyle:
    """A sheet passed round to sign (attendance of an event, of a board's séance): ruled, its
    header row shaded and bold, each cell's text in the middle of its row."""
    from reportlab.lib import colors

    return table_style(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf4")),
            ("FONTNAME", (0, 0), (-1, 0), BOLD_FONT),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )


FOOTER_SIZE = 8
FOOTER_SIDE = 42  # points kept blank on each side of the footer (1.5 cm)


def shorten(text: str, width: float) -> str:
    """`text` cut with « … » to fit `width` points in the footer's font: a long event title must
    not push « page n / N » off the sheet."""
    if stringWidth(text, FONT, FOOTER_SIZE) <= width:
        return text
    while text and stringWidth(text + "…", FONT, FOOTER_SIZE) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def numbered_canvas(footer: str):
    """A canvas class that writes « footer · page n / N » at the foot of every page: N is only
    known at the end, so pages are kept until then (reportlab's documented two-pass pattern)."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 – reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(FONT, FOOTER_SIZE)
                self.setFillGray(0.35)
                width = self._pagesize[0]
                pages = f" · page {number} / {total}"
                room = width - 2 * FOOTER_SIDE - stringWidth(pages, FONT, FOOTER_SIZE)
                text = shorten(footer, room)
                self.drawCentredString(width / 2, 20, text + pages)
                super().showPage()
            super().save()

    return NumberedCanvas


def build_pdf(
    story: list,
    *,
    title: str,
    subject: str = "",
    pagesize=A4,
    page_numbers: bool = False,
    **margins,
) -> bytes:
    """The PDF of `story` with the platform's metadata; `margins` as SimpleDocTemplate takes them
    (leftMargin=…, topMargin=…). `page_numbers`: « title · page n / N » at the foot of each page,
    for documents read as a whole (not for sheets cut or handed out one by one)."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        title=title,
        author=settings.PLATFORM_NAME,
        subject=subject,
        creator=CREATOR,
        lang="fr",
        initialFontName=FONT,
        **margins,
    )
    if page_numbers:
        document.build(story, canvasmaker=numbered_canvas(title))
    else:
        document.build(story)
    return buffer.getvalue()
