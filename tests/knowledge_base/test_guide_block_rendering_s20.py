"""A guide's blocks as the portal renders them: the contact card's phone written the French way
(« 01 48 30 12 34 ») with a tel: link, whatever was typed; a table without the empty trailing
rows and columns of the editor's default grid (the stored value untouched), its caption and
header cells kept. Real HTTP through the test client on the portal."""

import pytest
from bs4 import BeautifulSoup

from knowledge_base.models import GuidePage
from tests.knowledge_base.conftest import make_experience, make_guide

pytestmark = pytest.mark.django_db


def contact(phone: str) -> dict:
    return {
        "type": "contact",
        "value": {
            "name": "Pôle ressources",
            "role": "",
            "organisation": "Union",
            "email": "",
            "phone": phone,
        },
    }


def guide_soup(portal, slug: str) -> BeautifulSoup:
    response = portal.get(f"/guides/{slug}/")
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.mark.parametrize(
    ("typed", "shown", "href"),
    [
        ("0148301234", "01 48 30 12 34", "tel:0148301234"),
        ("01.48.30.12.34", "01 48 30 12 34", "tel:0148301234"),
        ("+33 (0)1 48 30 12 34", "01 48 30 12 34", "tel:0148301234"),
        ("+32.2.123.45.67", "+32 2 123 45 67", "tel:+3221234567"),
    ],
)
def test_the_contact_cards_phone_is_written_the_french_way(kb_tree, portal, typed, shown, href):
    guides, _ = kb_tree
    make_guide(guides, "Qui contacter", body=[contact(typed)])
    card = guide_soup(portal, "qui-contacter").find(class_="kb-contact-card")
    link = card.find("a", href=lambda value: value and value.startswith("tel:"))
    assert link.get_text() == shown
    assert link["href"] == href
    # The value stays as it was typed.
    stored = GuidePage.objects.get(slug="qui-contacter").body[0].value["phone"]
    assert stored == typed


def test_an_unreadable_phone_is_shown_as_typed():
    from seminars.phones import display_phone, tel_uri

    assert display_phone(" 01 48 30 12 34 56 ") == "01 48 30 12 34 56"
    assert tel_uri("01 48 30 12 34 56") == ""  # no link that would dial 12 digits
    assert display_phone("") == "" and tel_uri("") == ""


def table(data, **extra) -> dict:
    return {
        "type": "table",
        "value": {
            "table_caption": "Composition du conseil",
            "first_row_is_table_header": True,
            "first_col_is_header": True,
            "table_header_choice": "both",
            "data": data,
            **extra,
        },
    }


def test_a_table_is_shown_without_its_empty_trailing_rows_and_columns(kb_tree, portal):
    guides, _ = kb_tree
    grid = [
        ["Collège", "Minimum", "", None],
        ["Élus", "4", "", ""],
        ["", "", "", ""],
        [None, " ", "", ""],
    ]
    make_guide(guides, "Le conseil", body=[table(grid)])
    shown = guide_soup(portal, "le-conseil").find(class_="kb-table").table
    assert shown.caption.get_text(strip=True) == "Composition du conseil"
    rows = shown.find_all("tr")
    assert [[cell.get_text(strip=True) for cell in row.find_all(["th", "td"])] for row in rows] == [
        ["Collège", "Minimum"],
        ["Élus", "4"],
    ]
    assert [th["scope"] for th in shown.thead.find_all("th")] == ["col", "col"]
    assert shown.tbody.th["scope"] == "row"
    # Rendering only: the stored grid keeps its four rows and columns.
    stored = GuidePage.objects.get(slug="le-conseil").body[0].value["data"]
    assert len(stored) == 4 and all(len(row) == 4 for row in stored)


def test_an_empty_cell_inside_the_table_or_a_merge_is_kept(kb_tree, portal):
    guides, _ = kb_tree
    grid = [
        ["Collège", "Mandat", "", ""],
        ["Élus", "", "6 ans", ""],
        ["", "", "", ""],
    ]
    # « Mandat » spans the two columns after it (the editor hides the cells it covers): the
    # merge is never cut.
    merges = [{"row": 0, "col": 1, "rowspan": 1, "colspan": 3}]
    hidden = [{"row": 0, "col": col, "hidden": True} for col in (2, 3)]
    make_guide(guides, "Les mandats", body=[table(grid, mergeCells=merges, cell=hidden)])
    shown = guide_soup(portal, "les-mandats").find(class_="kb-table").table
    rows = shown.find_all("tr")
    assert len(rows) == 2
    header = rows[0].find_all("th")
    assert [th.get_text(strip=True) for th in header] == ["Collège", "Mandat"]
    assert header[1]["colspan"] == "3"
    assert [cell.get_text(strip=True) for cell in rows[1].find_all(["th", "td"])] == [
        "Élus",
        "",
        "6 ans",
        "",
    ]


@pytest.mark.parametrize(
    ("typed", "shown", "href"),
    [
        ("0148301234", "01 48 30 12 34", "tel:0148301234"),
        ("+33 1 48 30 12 34", "01 48 30 12 34", "tel:0148301234"),
        ("+32 2 123 45 67", "+32 2 123 45 67", "tel:+3221234567"),
        ("01 48 30 12 34 56", "01 48 30 12 34 56", None),
    ],
)
def test_an_experiences_contact_phone_is_written_the_french_way(
    kb_tree, bondy, portal, typed, shown, href
):
    """The experience page's contact, as the guides' contact card: the stored text unchanged."""
    _, experiences = kb_tree
    make_experience(experiences, bondy, "Accueil sans rendez-vous", contact_phone=typed)
    page = BeautifulSoup(
        portal.get("/experiences/accueil-sans-rendez-vous/").content, "html.parser"
    )
    (item,) = [li for li in page.select(".kb-contact li") if "Téléphone" in li.get_text()]
    assert item.get_text(" ", strip=True) == f"Téléphone : {shown}"
    link = item.find("a")
    assert (link["href"] if link else None) == href
