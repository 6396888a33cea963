"""Headings typed in a guide's rich text get ids (unique over the page, the heading blocks' rules),
level-2 ones join the table of contents; a Wagtail report lists the live guides whose tables,
published before the caption and header rule, lack either (with CSV and XLSX exports)."""

import csv
import io
import re

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import host_client
from tests.knowledge_base.conftest import make_guide, make_staff
from union import roles

pytestmark = pytest.mark.django_db


def heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def rich_text(html: str) -> dict:
    return {"type": "rich_text", "value": html}


def test_rich_text_headings_get_unique_ids_and_level_2_ones_join_the_contents(kb_tree, portal):
    guides, _ = kb_tree
    body = [
        heading("Les démarches"),
        rich_text(
            '<h3 data-block-key="a1">Les démarches</h3><p>Première étape.</p>'
            '<h4 data-block-key="a2">Contenu</h4><p>Ce que contient le dossier.</p>'
            '<h2 data-block-key="a3">Pour <b>aller</b> plus loin</h2>'
            '<h3 data-block-key="a4">Logement &amp; énergie</h3>'
            '<h3 data-block-key="a5">?!</h3>'
        ),
        heading("Pour aller plus loin"),
        rich_text('<h3 data-block-key="b1">Les démarches</h3><p>Encore.</p>'),
    ]
    page = make_guide(guides, "Guide aux titres dans le texte", body=body)
    html = portal.get(f"/guides/{page.slug}/").content.decode()
    soup = BeautifulSoup(html, "html.parser")

    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert "" not in ids and len(ids) == len(set(ids)), ids
    in_text = [
        (tag.name, tag["id"], tag.get_text())
        for tag in soup.select(".kb-rich-text h2, .kb-rich-text h3, .kb-rich-text h4")
    ]
    # The heading blocks keep the anchors they had (links already shared still lead there);
    # the rich-text headings take the next free ones, slugged the same way.
    assert in_text == [
        ("h3", "les-demarches-2", "Les démarches"),
        ("h4", "contenu-2", "Contenu"),  # never the skip link's id="contenu"
        ("h2", "pour-aller-plus-loin-2", "Pour aller plus loin"),
        ("h3", "logement-energie", "Logement & énergie"),
        ("h3", "section-7", "?!"),  # nothing to slug: its rank, after the heading blocks
        ("h3", "les-demarches-3", "Les démarches"),
    ]
    assert [tag["id"] for tag in soup.select("h2.kb-heading")] == [
        "les-demarches",
        "pour-aller-plus-loin",
    ]
    # The table of contents lists the level-2 sections in page order, whichever block holds them.
    toc = soup.find("nav", attrs={"aria-labelledby": "kb-toc-title"})
    assert [(a["href"], a.get_text()) for a in toc.find_all("a")] == [
        ("#les-demarches", "Les démarches"),
        ("#pour-aller-plus-loin-2", "Pour aller plus loin"),
        ("#pour-aller-plus-loin", "Pour aller plus loin"),
    ]
    for href in re.findall(r'href="#([^"]+)"', str(toc)):
        assert href in ids


def test_a_rich_text_alone_gives_its_headings_ids(kb_tree, portal):
    """A guide made of rich text only (no heading block) gets a table of contents from its h2."""
    guides, _ = kb_tree
    body = [
        rich_text("<h2>Première partie</h2><p>Texte.</p><h2>Seconde partie</h2><h3>Détail</h3>")
    ]
    page = make_guide(guides, "Guide tout en texte", body=body)
    soup = BeautifulSoup(portal.get(f"/guides/{page.slug}/").content.decode(), "html.parser")
    assert soup.find("h2", string="Première partie")["id"] == "premiere-partie"
    assert soup.find("h3", string="Détail")["id"] == "detail"
    toc = soup.find("nav", attrs={"aria-labelledby": "kb-toc-title"})
    assert [a["href"] for a in toc.find_all("a")] == ["#premiere-partie", "#seconde-partie"]


# --- The « Tableaux à compléter » report -----------------------------------------------------

REPORT = "/admin/reports/tableaux-a-completer/"
ROWS = [["Collège", "Minimum"], ["Élus", "4"]]


def table(caption: str, header: str) -> dict:
    """A table as stored before Wagtail 6 and the rule (header booleans only), or after."""
    return {
        "type": "table",
        "value": {
            "table_caption": caption,
            "first_row_is_table_header": header in ("row", "both"),
            "first_col_is_header": header in ("column", "both"),
            "data": ROWS,
        },
    }


@pytest.fixture
def guides_with_tables(kb_tree):
    guides, _ = kb_tree
    return {
        "caption": make_guide(
            guides,
            "Aides facultatives",
            body=[table("Barème", "row"), table("", "row"), table("Plafonds", "neither")],
        ),
        "header": make_guide(guides, "Domiciliation", body=[table("Délais", "neither")]),
        "complete": make_guide(guides, "Conseil d'administration", body=[table("Sièges", "both")]),
        "draft": make_guide(guides, "Brouillon", body=[table("", "neither")], live=False),
        "no_table": make_guide(guides, "Sans tableau"),
    }


@pytest.fixture
def editor_client():
    return host_client("localhost", make_staff("editrice@union.test", roles.EDITOR))


def test_the_report_lists_live_guides_with_incomplete_tables_and_links_to_edit_them(
    guides_with_tables, editor_client
):
    response = editor_client.get(REPORT)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    rows = soup.select("table.listing tbody tr")
    listed = {row.find("a").get_text(" ", strip=True): row for row in rows}
    assert set(listed) == {"Aides facultatives (modifier)", "Domiciliation (modifier)"}
    aides = listed["Aides facultatives (modifier)"]
    assert aides.find("a")["href"] == f"/admin/pages/{guides_with_tables['caption'].pk}/edit/"
    assert [li.get_text() for li in aides.find_all("li")] == [
        "Tableau 2 : sans titre",
        "Tableau 3 (« Plafonds ») : sans en-tête",
    ]
    domiciliation = listed["Domiciliation (modifier)"]
    assert domiciliation.find("li").get_text() == "Tableau 1 (« Délais ») : sans en-tête"
    # The reports menu leads there; the report is for the union's staff only.
    admin = editor_client.get("/admin/").content.decode()
    assert REPORT in admin
    assert host_client("localhost").get(REPORT).status_code == 302  # to the admin's login


def test_the_report_says_when_every_table_is_complete(kb_tree, editor_client):
    make_guide(kb_tree[0], "Conseil d'administration", body=[table("Sièges", "row")])
    response = editor_client.get(REPORT)
    assert response.status_code == 200
    assert "Tous les tableaux des guides publiés ont un titre" in response.content.decode()


def test_csv_and_xlsx_exports(guides_with_tables, editor_client):
    today = timezone.localdate().isoformat()
    edit_url = f"http://localhost/admin/pages/{guides_with_tables['header'].pk}/edit/"

    response = editor_client.get(REPORT, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="tableaux-a-completer-{today}.csv"'
    )
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Titre",
        "Tableaux à compléter",
        "Dernière publication",
        "Statut",
        "Lien pour modifier",
    ]
    assert [row[0] for row in rows[1:]] == ["Aides facultatives", "Domiciliation"]
    assert rows[1][1] == "Tableau 2 : sans titre ; Tableau 3 (« Plafonds ») : sans en-tête"
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", rows[2][2])
    assert rows[2][3] == "publiée" and rows[2][4] == edit_url

    response = editor_client.get(REPORT, {"export": "xlsx"})
    assert response.status_code == 200
    assert f'filename="tableaux-a-completer-{today}.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Titre", "Tableaux à compléter")
    assert rows[2][:2] == ("Domiciliation", "Tableau 1 (« Délais ») : sans en-tête")
    assert rows[2][4] == edit_url
    assert sheet["C3"].number_format == "dd/mm/yyyy hh:mm"
