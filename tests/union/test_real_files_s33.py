"""Session 33: workbooks as other programs write them, through the three imports' pages and APIs
(activity figures, ABS values, registrations).

1. A sheet whose `<dimension ref>` is wrong (WPS Office, R's xlsx, streaming writers): openpyxl's
   read-only mode stopped at the declared range, so rows were dropped without a word (« A1:E3 »)
   or the header was cut to its first cell (« A1 »).
2. A hidden first sheet (« Listes » of a template) is skipped: the first visible one is read, and
   a missing column names the sheet that was read.
3. A title line (and a blank one) above the column titles: the activity and ABS imports said
   « Colonne … absente » for columns the person sees; they now say where the titles are and which
   lines to delete, as the registrations import does (one helper for the three).
"""

import io
import re
import zipfile
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context
from openpyxl import Workbook

from abs_shared.local.models import Observation
from seminars.models import Registration
from tenants.models import Membership
from tenants.workspace.models import ActivityFigure
from tests.conftest import make_person, member_client
from tests.seminars.conftest import make_seminar
from union.spreadsheets import ImportRejected, read_rows, workbook_bytes

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
ACTIVITY_HEADER = ["année", "pôle", "catégorie", "nombre", "montant"]
ACTIVITY_ROWS = [[1991, "Accueil", f"Cat {n}", 10 + n, None] for n in range(6)]
ABS_HEADER = ["indicateur", "année", "valeur"]
ABS_ROWS = [["TP60", year, 20 + year % 10] for year in range(2015, 2021)]
LIST_HEADER = ["Nom", "Prénom", "Commune", "Fonction"]
LIST_ROWS = [[f"Nom{n}", "Aïcha", "Bondy", "Maire adjoint"] for n in range(6)]
SHEET_NOTE = (
    f"feuille «{NBSP}Consignes{NBSP}» lue{NBSP}: seule la première feuille visible du classeur "
    "est importée"
)


def workbook(*sheets: tuple[str, list[list], str]) -> bytes:
    """A workbook of (title, rows, state) sheets, as a spreadsheet saves it."""
    book = Workbook()
    book.remove(book.active)
    for title, rows, state in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = state
    book.active = next(i for i, (*_, state) in enumerate(sheets) if state == "visible")
    return workbook_bytes(book)


def with_dimension(content: bytes, ref: str) -> bytes:
    """`content` whose first sheet declares `<dimension ref="…">` as another program wrote it."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(
                    rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), data
                )
                assert count == 1
            archive.writestr(info, data)
    return out.getvalue()


def upload(client, path: str, tmp_path, name: str, content: bytes):
    """POST a real file from disk, as a browser or an API client sends it."""
    file = tmp_path / name
    file.write_bytes(content)
    with file.open("rb") as handle:
        return client.post(path, {"file": handle})


@pytest.fixture
def bondy_agent(bondy):
    return member_client(bondy, make_person(bondy, "agent@bondy.test", Membership.Role.AGENT))


def figures(member) -> list[str]:
    with schema_context(member.schema_name):
        return sorted(ActivityFigure.objects.values_list("category", flat=True))


def observations(member) -> dict[int, Decimal]:
    with schema_context(member.schema_name):
        return dict(Observation.objects.values_list("year", "value"))


# --- 1. A wrong <dimension>: every row and column is read ---------------------------------------


@pytest.mark.parametrize("ref", ["A1:E3", "A1"])
def test_the_activity_page_reads_every_row_whatever_the_dimension(
    bondy, bondy_agent, ref, tmp_path
):
    content = with_dimension(
        workbook(("Données", [ACTIVITY_HEADER, *ACTIVITY_ROWS], "visible")), ref
    )
    response = upload(bondy_agent, "/activite/importer/", tmp_path, "activite.xlsx", content)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert figures(bondy) == [f"Cat {n}" for n in range(6)]


@pytest.mark.parametrize("ref", ["A1:E3", "A1"])
def test_the_abs_page_reads_every_row_whatever_the_dimension(bondy, bondy_agent, ref, tmp_path):
    content = with_dimension(workbook(("Valeurs", [ABS_HEADER, *ABS_ROWS], "visible")), ref)
    response = upload(bondy_agent, "/abs/importer/", tmp_path, "abs.xlsx", content)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert observations(bondy) == {year: Decimal(20 + year % 10) for year in range(2015, 2021)}


@pytest.mark.parametrize("ref", ["A1:E3", "A1"])
def test_the_registrations_api_reads_every_row_whatever_the_dimension(staff_api, ref, tmp_path):
    seminar = make_seminar()
    content = with_dimension(workbook(("Inscrits", [LIST_HEADER, *LIST_ROWS], "visible")), ref)
    path = f"/api/v1/seminars/{seminar.pk}/registrations/import"
    response = upload(staff_api, path, tmp_path, "liste.xlsx", content)
    assert response.status_code == 200, response.content
    assert response.json()["imported"] == 6
    assert sorted(Registration.objects.values_list("nom", flat=True)) == [
        f"Nom{n}" for n in range(6)
    ]


def wide_workbook(rows: int) -> bytes:
    """A few kilobytes whose every line has a cell in the last column (XFD): `rows` × 16 384
    cells once read, whatever its dimension says (here « A1 »)."""
    content = with_dimension(workbook(("Feuil1", [ACTIVITY_HEADER], "visible")), "A1")
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                cells = b"".join(
                    b'<row r="%d"><c r="XFD%d" t="n"><v>1</v></c></row>' % (n, n)
                    for n in range(2, rows + 1)
                )
                data = data.replace(b"</sheetData>", cells + b"</sheetData>")
            archive.writestr(info, data)
    return out.getvalue()


def test_the_cell_limit_still_counts_the_cells_read_without_the_dimension():
    content = wide_workbook(200)  # 3,3 million cells from a few kilobytes
    assert len(content) < 10_000
    for percent_cells in (False, True):
        with pytest.raises(ImportRejected) as refused:
            read_rows(content, "activite.xlsx", percent_cells=percent_cells)
        assert refused.value.unreadable
        assert refused.value.errors[0].message.startswith(f"Classeur trop volumineux{NBSP}:")
    assert len(read_rows(wide_workbook(50), "activite.xlsx")) == 50  # 819 200 cells: read


# --- 2. The first visible sheet is read, and named when a column is missing ---------------------


def test_a_hidden_first_sheet_is_skipped_by_the_three_imports(
    bondy, bondy_agent, staff_api, tmp_path
):
    lists = ("Listes", [["Accueil"], ["Aides facultatives"]], "hidden")
    content = workbook(lists, ("Données", [ACTIVITY_HEADER, *ACTIVITY_ROWS], "visible"))
    response = upload(bondy_agent, "/api/v1/activity/import", tmp_path, "activite.xlsx", content)
    assert response.status_code == 201, response.content
    assert figures(bondy) == [f"Cat {n}" for n in range(6)]

    content = workbook(lists, ("Valeurs", [ABS_HEADER, *ABS_ROWS], "visible"))
    response = upload(bondy_agent, "/api/v1/observations/import", tmp_path, "abs.xlsx", content)
    assert response.status_code == 201, response.content
    assert len(observations(bondy)) == 6

    seminar = make_seminar()
    content = workbook(lists, ("Inscrits", [LIST_HEADER, *LIST_ROWS], "visible"))
    path = f"/api/v1/seminars/{seminar.pk}/registrations/import"
    response = upload(staff_api, path, tmp_path, "liste.xlsx", content)
    assert response.status_code == 200, response.content
    assert Registration.objects.count() == 6


def test_a_very_hidden_first_sheet_is_skipped_too():
    content = workbook(
        ("Listes", [["Accueil"]], "veryHidden"),
        ("Données", [ACTIVITY_HEADER, *ACTIVITY_ROWS], "visible"),
    )
    assert read_rows(content, "activite.xlsx")[0] == (1, ACTIVITY_HEADER)


def test_the_activity_import_names_the_sheet_it_read(bondy, bondy_agent, tmp_path):
    content = workbook(
        ("Consignes", [["Remplissez la feuille « Données »."]], "visible"),
        ("Données", [ACTIVITY_HEADER, *ACTIVITY_ROWS], "visible"),
    )
    response = upload(bondy_agent, "/api/v1/activity/import", tmp_path, "activite.xlsx", content)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "line": 1,
            "column": name,
            "message": f"Colonne «{NBSP}{name}{NBSP}» absente de la ligne d'en-tête ({SHEET_NOTE}).",
        }
        for name in ACTIVITY_HEADER
    ]
    page = upload(bondy_agent, "/activite/importer/", tmp_path, "activite.xlsx", content)
    assert page.status_code == 200 and SHEET_NOTE in page.content.decode()
    assert figures(bondy) == []


def test_the_abs_import_names_the_sheet_it_read(bondy, bondy_agent, tmp_path):
    content = workbook(
        ("Consignes", [["Remplissez la feuille « Valeurs »."]], "visible"),
        ("Valeurs", [ABS_HEADER, *ABS_ROWS], "visible"),
    )
    response = upload(bondy_agent, "/api/v1/observations/import", tmp_path, "abs.xlsx", content)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "line": 1,
            "column": name,
            "message": (
                f"Colonne «{NBSP}{name}{NBSP}» absente de la ligne d'en-tête ({SHEET_NOTE}{NBSP}; "
                f"le modèle commence par indicateur;année;valeur{NBSP}; un fichier de l'INSEE a "
                "une colonne CODGEO)."
            ),
        }
        for name in ABS_HEADER
    ]
    assert observations(bondy) == {}


def test_a_csv_names_no_sheet(bondy, bondy_agent, tmp_path):
    content = b"Consignes\nRemplissez le tableau\n"
    response = upload(bondy_agent, "/api/v1/activity/import", tmp_path, "activite.csv", content)
    assert response.status_code == 400
    first = response.json()["errors"][0]["message"]
    assert first == f"Colonne «{NBSP}année{NBSP}» absente de la ligne d'en-tête."


# --- 3. Column titles below a title line -------------------------------------------------------


def titles_below(titles: str) -> str:
    return (
        f"Les titres des colonnes ({titles}) sont ligne 3, et l'import les lit sur la première "
        f"ligne{NBSP}: supprimez les lignes 1 à 2 (au-dessus des titres), puis importez de nouveau "
        "le fichier."
    )


def test_the_activity_import_says_where_the_titles_are(bondy, bondy_agent, tmp_path):
    rows = [["Rapport d'activité 1991 – CCAS de Bondy"], [], ACTIVITY_HEADER, *ACTIVITY_ROWS]
    content = workbook(("Rapport", rows, "visible"))
    response = upload(bondy_agent, "/api/v1/activity/import", tmp_path, "activite.xlsx", content)
    assert response.status_code == 400
    titles = f"«{NBSP}année{NBSP}», «{NBSP}pôle{NBSP}»…"
    assert response.json()["errors"] == [{"line": 3, "column": "", "message": titles_below(titles)}]
    page = upload(bondy_agent, "/activite/importer/", tmp_path, "activite.xlsx", content)
    assert page.status_code == 200 and "supprimez les lignes 1 à 2" in page.content.decode()
    assert figures(bondy) == []


@pytest.mark.parametrize(
    ("above", "line", "delete"),
    [("\n", 2, "la ligne 1"), ("Rapport d'activité 1991\n\n", 3, "les lignes 1 à 2")],
)
def test_the_activity_import_says_so_of_a_csv(bondy_agent, tmp_path, above, line, delete):
    """A CSV's separator was taken from its first line: a title or a blank line there, and the
    header below was not even split into columns."""
    content = (above + ";".join(ACTIVITY_HEADER) + "\n1991;Accueil;Cat 0;10;\n").encode()
    response = upload(bondy_agent, "/api/v1/activity/import", tmp_path, "activite.csv", content)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (
        error["line"] == line and f"supprimez {delete} (au-dessus des titres)" in error["message"]
    )


def test_the_abs_import_says_where_the_titles_are(bondy, bondy_agent, tmp_path):
    rows = [["Indicateurs ABS – CCAS de Bondy"], [], ABS_HEADER, *ABS_ROWS]
    content = workbook(("ABS", rows, "visible"))
    response = upload(bondy_agent, "/api/v1/observations/import", tmp_path, "abs.xlsx", content)
    assert response.status_code == 400
    titles = f"«{NBSP}indicateur{NBSP}», «{NBSP}année{NBSP}»…"
    assert response.json()["errors"] == [{"line": 3, "column": "", "message": titles_below(titles)}]
    page = upload(bondy_agent, "/abs/importer/", tmp_path, "abs.xlsx", content)
    assert page.status_code == 200 and "supprimez les lignes 1 à 2" in page.content.decode()
    assert observations(bondy) == {}


def test_the_registrations_import_says_it_with_the_same_helper(staff_api, tmp_path):
    seminar = make_seminar()
    rows = [["Liste des inscrits – mairie de Bondy"], [], LIST_HEADER, *LIST_ROWS]
    path = f"/api/v1/seminars/{seminar.pk}/registrations/import"
    response = upload(staff_api, path, tmp_path, "liste.xlsx", workbook(("Liste", rows, "visible")))
    assert response.status_code == 400
    titles = f"«{NBSP}Nom{NBSP}», «{NBSP}Prénom{NBSP}»…"
    assert response.json()["errors"] == [{"line": 3, "column": "", "message": titles_below(titles)}]
