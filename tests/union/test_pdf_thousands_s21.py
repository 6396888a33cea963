"""A number's thousands never split across two lines of a PDF. union.formats.french_number writes
them with U+202F (narrow no-break space), which reportlab breaks lines at; union.pdf.paragraph,
the one way the PDFs set text, makes it U+00A0, which reportlab keeps whole. Read back with pypdf:
a line's end reads "\\n", either no-break space a plain space."""

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth

from abs_shared.portrait_pdf import MARGIN_CM
from tenants.models import Intercommunality
from union.pdf import FONT, build_pdf, paragraph, pdf_text, stylesheet

EST_ENSEMBLE = "200057875"
POPULATION = "437 530"  # as the PDF reads it back
# A long name, cut to the length that brings the population to the end of the lead's first line.
LONG_NAME = (
    "Établissement public territorial Est Ensemble, Grand Paris, des communes de l'Ourcq, "
    "du canal et des coteaux de Romainville, de Montreuil, de Bagnolet et de Bondy réunies"
)
FRAME_PADDING = 6  # points each side: reportlab's Frame default, inside the page's margins


def lines_of(content: bytes) -> list[str]:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return [re.sub(r"[\u202f\u00a0 ]+", " ", line).strip() for line in text.splitlines()]


def test_pdf_text_makes_narrow_no_break_spaces_plain_no_break_spaces():
    assert pdf_text("12\u202f345,50\u00a0€, 60,1\u202f%") == "12\u00a0345,50\u00a0€, 60,1\u00a0%"
    unchanged = "9\u00a0h\u00a030 à <b>Bondy</b>"  # times already use U+00A0; markup is kept
    assert pdf_text(unchanged) == unchanged
    assert paragraph("1\u202f234 <b>€</b>", stylesheet()["BodyText"]).text == "1\u00a0234 <b>€</b>"


def test_a_paragraph_keeps_its_thousands_on_one_line():
    """A column just too narrow for « Montant : 12 345 € »: the number goes to the next line
    whole, not « 12 » on one and « 345 € » on the next."""
    style = stylesheet()["BodyText"]
    text = "Montant : 12\u202f345\u00a0€"
    width = stringWidth("Montant : 12", FONT, style.fontSize) + 2
    margins = {"leftMargin": 1, "rightMargin": 1, "topMargin": 1, "bottomMargin": 1}
    page = (1 + FRAME_PADDING + width + FRAME_PADDING + 1, 200)
    content = build_pdf([paragraph(text, style)], title="Essai", pagesize=page, **margins)
    assert lines_of(content)[:2] == ["Montant :", "12 345 €"]


@pytest.mark.django_db
def test_the_portrait_pdf_keeps_a_population_on_one_line(portal):
    """The intercommunality portrait's lead, « Intercommunalité <nom> (SIREN …), 437 530
    habitants … », with a name long enough that « 437 » fits at the end of its first line and
    « 437 530 » does not: the population starts the second line."""
    style = stylesheet()["BodyText"]
    room = landscape(A4)[0] - 2 * MARGIN_CM * cm - 2 * FRAME_PADDING

    def width(name: str, end: str) -> float:
        start = f"Intercommunalité {name} (SIREN {EST_ENSEMBLE}), "
        return stringWidth(start + end, FONT, style.fontSize)

    names = (LONG_NAME[:size].rstrip(" ,") for size in range(len(LONG_NAME), 0, -1))
    name = next(
        name for name in names if width(name, "437") < room - 1 and width(name, POPULATION) > room
    )
    Intercommunality.objects.filter(siren=EST_ENSEMBLE).update(nom=name, population=437530)

    response = portal.get(f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/?export=pdf")
    assert response.status_code == 200
    lines = lines_of(response.content)
    (first,) = [n for n, line in enumerate(lines) if line.startswith(f"Intercommunalité {name}")]
    assert lines[first] == f"Intercommunalité {name} (SIREN {EST_ENSEMBLE}),"  # not « …, 437 »
    assert lines[first + 1].startswith(
        f"{POPULATION} habitants (population légale Insee, référentiel"
    )


def test_every_pdf_sets_its_text_through_union_pdf_paragraph():
    """reportlab's Paragraph is called in union/pdf.py only: a new PDF that called it directly
    would split its thousands again."""
    root = Path(__file__).resolve().parents[2]
    direct = [
        str(path.relative_to(root))
        for folder in ("abs_shared", "seminars", "tenants", "union")
        for path in (root / folder).rglob("*.py")
        if "Paragraph(" in path.read_text(encoding="utf-8") and path != root / "union" / "pdf.py"
    ]
    assert direct == []
