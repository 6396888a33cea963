"""union.pdf: the four PDFs of the platform (attendance sheet, badges, attestation, activity
report) carry the same metadata and embed the same font, one that prints names beyond Latin-1.
PDFs are read back with pypdf."""

import io
from decimal import Decimal

import pytest
from django.conf import settings
from pypdf import PdfReader

from seminars.certificates import certificate_pdf
from seminars.exports import badges_pdf, export_attendance, sheet_title
from seminars.services import register_person, set_check_in
from tenants.workspace.activity import ActivityReport, Line
from tenants.workspace.exports import to_pdf
from tests.seminars.conftest import make_seminar, person

# Polish, Romanian (comma below), Vietnamese, Turkish (cedilla) and French Œ: none is in Latin-1.
NAMES = "Łukasz Wiśniewski, Ștefan Nguyễn Thị, Şahin, Œdipe"
OUR_FACES = {
    "SourceSansPro-Regular",
    "SourceSansPro-Bold",
    "SourceSansPro-It",
    "SourceSansPro-BoldIt",
}


def read_pdf(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in read_pdf(content).pages)


def embedded_fonts(content: bytes) -> set[str]:
    """The fonts the pages use, without the subset prefix ("AAAAAA+SourceSansPro-Bold")."""
    names = set()
    for page in read_pdf(content).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


def assert_platform_pdf(content: bytes, title: str, subject: str) -> None:
    reader = read_pdf(content)
    assert reader.metadata.title == title
    assert reader.metadata.author == settings.PLATFORM_NAME
    assert reader.metadata.subject == subject
    assert reader.metadata.creator == "Maillage"
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    fonts = embedded_fonts(content)
    assert fonts and fonts <= OUR_FACES, fonts  # no Helvetica left, not even in a table cell


def test_the_builder_sets_the_metadata_and_prints_names_beyond_latin1():
    from reportlab.platypus import Paragraph, Table

    from union.pdf import build_pdf, register_fonts, stylesheet, table_style

    register_fonts()  # already done on import: a second call changes nothing
    styles = stylesheet()
    table = Table([["Şahin Œdipe (cellule)"]])
    table.setStyle(table_style([]))
    content = build_pdf(
        [
            Paragraph("Titre", styles["Title"]),
            Paragraph(NAMES, styles["BodyText"]),
            Paragraph(f"<b>{NAMES.upper()}</b>", styles["BodyText"]),
            table,
        ],
        title="Essai – Œdipe",
        subject="Essai",
    )
    assert_platform_pdf(content, "Essai – Œdipe", "Essai")
    text = pdf_text(content)
    assert NAMES in text and NAMES.upper() in text and "Şahin Œdipe (cellule)" in text
    assert {"SourceSansPro-Regular", "SourceSansPro-Bold"} <= embedded_fonts(content)


@pytest.mark.django_db
def test_the_attendance_sheet_and_the_badges_carry_the_platform_metadata():
    seminar = make_seminar("Journée des élus")
    register_person(seminar, person(1, nom="Wiśniewski"))
    title = sheet_title(seminar)
    assert_platform_pdf(
        export_attendance(seminar, "pdf"),
        f"Feuille d'émargement – {title}",
        "Feuille d'émargement",
    )
    assert_platform_pdf(badges_pdf(seminar), f"Badges – {title}", "Badges nominatifs")


@pytest.mark.django_db
def test_the_attestation_carries_the_platform_metadata():
    seminar = make_seminar("Journée des élus", days_ahead=-2)
    someone, _ = register_person(seminar, person(1, nom="Nguyễn"))
    set_check_in(someone, True)
    assert_platform_pdf(
        certificate_pdf(seminar, [someone]),
        "Attestation de présence – Journée des élus – Prénom1 Nguyễn",
        "Attestation de présence",
    )


def test_the_activity_report_carries_the_platform_metadata():
    figures = [Line("Secours", "Transports", 12, Decimal("1234.50"), 10, Decimal("1000.00"))]
    totals = [Line("Secours", None, 12, Decimal("1234.50"), 10, Decimal("1000.00"))]
    title = "Rapport d'activité 2025 – CCAS de Bondy"
    content = to_pdf(ActivityReport(2025, 2024, figures, totals), title)
    assert_platform_pdf(content, title, "Rapport d'activité 2025")
    assert "SourceSansPro-Bold" in embedded_fonts(content)  # the pole's total, in bold


def test_page_numbers_at_the_foot_of_each_page():
    from reportlab.platypus import PageBreak, Paragraph

    from union.pdf import build_pdf, stylesheet

    styles = stylesheet()

    def story():  # reportlab consumes the list it builds
        return [
            Paragraph("Première", styles["BodyText"]),
            PageBreak(),
            Paragraph("Deuxième", styles["BodyText"]),
            PageBreak(),
            Paragraph("Troisième", styles["BodyText"]),
        ]

    numbered = PdfReader(io.BytesIO(build_pdf(story(), title="Liste", page_numbers=True)))
    texts = [page.extract_text() for page in numbered.pages]
    assert len(texts) == 3
    assert "Liste · page 1 / 3" in texts[0] and "Troisième" in texts[2]
    assert "Liste · page 3 / 3" in texts[2]
    plain = PdfReader(io.BytesIO(build_pdf(story(), title="Liste")))
    assert "page 1" not in plain.pages[0].extract_text()


def test_a_long_title_is_shortened_so_that_the_page_number_stays_on_the_sheet():
    from reportlab.platypus import Paragraph

    from union.pdf import build_pdf, stylesheet

    title = "Feuille d'émargement – " + "Séminaire très long " * 20
    content = build_pdf(
        [Paragraph("Texte", stylesheet()["BodyText"])], title=title, page_numbers=True
    )
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "… · page 1 / 1" in text
    assert "Séminaire très long " * 20 not in text
