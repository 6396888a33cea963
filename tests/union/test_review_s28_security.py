"""Security review s28 (member boundary, accounts, API): private answers are never cached (1);
a workbook cannot exhaust a worker's memory, by its zip or by its sheet's dimension (2)."""

import io
import re
import zipfile

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from openpyxl import Workbook

from tenants.models import Membership
from tenants.workspace.services import add_document
from tests.conftest import host_client, make_person, member_client
from tests.union.test_real_files_s33 import wide_workbook
from union import spreadsheets
from union.spreadsheets import ImportRejected, read_rows

pytestmark = pytest.mark.django_db


def not_cached(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


# --- 1. Private answers are never cached ----------------------------------------------------


def test_a_members_pages_files_exports_and_api_answers_are_not_cached(bondy):
    director = make_person(bondy, "direction@bondy.test")
    with schema_context(bondy.schema_name):
        upload = SimpleUploadedFile("deliberation.pdf", b"%PDF-1.4\n%%EOF\n")
        document = add_document(bondy, "Délibération", upload, actor=director)
    client = member_client(bondy, director)
    for path in (
        "/",
        "/equipe/",
        f"/documents/{document.pk}/",
        "/activite/modele.csv",
        "/activite/",
        "/api/v1/profile/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not_cached(response), (path, response.get("Cache-Control"))
    # The sign-in page of a member host, and its answer to a visitor who is not signed in.
    anonymous = host_client(bondy.domain_name)
    assert not_cached(anonymous.get("/equipe/"))


def test_the_portal_caches_nothing_of_a_signed_in_person_and_keeps_public_pages_cacheable(bondy):
    person = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    signed_in = host_client("localhost", person)
    for path in ("/compte/", "/compte/profil/"):
        response = signed_in.get(path)
        assert response.status_code == 200, path
        assert not_cached(response), (path, response.get("Cache-Control"))
    public = host_client("localhost").get("/donnees-personnelles/")
    assert public.status_code == 200
    assert "no-store" not in public.get("Cache-Control", "")


# --- 2. Workbooks that would exhaust a worker -------------------------------------------------


def stretched_workbook(last_row: int) -> bytes:
    """A few kilobytes: a header, then one cell on `last_row`, the sheet's dimension claiming
    A1:XFD<last_row> (16 384 columns): openpyxl padded every row, gaps included, to that width.
    Since session 33 the dimension is ignored (it is wrong in files from WPS Office or R): the
    gaps still count a cell each (tests/union/test_real_files_s33.py: a cell in XFD on every
    line)."""
    workbook = Workbook()
    workbook.active.append(["année", "pôle", "catégorie", "nombre", "montant"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD%d"/>' % last_row, data
                )
                cell = b'<row r="%d"><c r="A%d" t="n"><v>1</v></c></row>' % (last_row, last_row)
                data = data.replace(b"</sheetData>", cell + b"</sheetData>")
            archive.writestr(info, data)
    return out.getvalue()


def test_a_sheet_stretched_to_millions_of_cells_is_refused_before_it_is_read():
    # 200 rows × 16 384 columns were 3,3 million cells from 5 Ko (the whole sheet, 1 048 576
    # rows, is 17 billion: the worker ran out of memory). The dimension no longer pads a row:
    # 200 lines as written; a million lines, even empty, are still refused.
    content = stretched_workbook(200)
    assert len(content) < 10_000
    rows = read_rows(content, "activite.xlsx")
    assert len(rows) == 200 and max(len(cells) for _line, cells in rows) == 5
    with pytest.raises(ImportRejected) as refused:
        read_rows(stretched_workbook(1_048_576), "activite.xlsx", percent_cells=True)
    assert refused.value.unreadable
    message = refused.value.errors[0].message
    assert message.startswith("Classeur trop volumineux\u00a0: sa première feuille visible dépasse")


def test_the_activity_page_and_the_abs_api_refuse_it_in_french(bondy):
    director = make_person(bondy, "direction@bondy.test")
    client = member_client(bondy, director)
    upload = SimpleUploadedFile("activite.xlsx", wide_workbook(200))
    page = client.post("/activite/importer/", {"file": upload})
    assert page.status_code == 200
    assert "Classeur trop volumineux" in page.content.decode()
    upload = SimpleUploadedFile("abs.xlsx", wide_workbook(200))
    response = client.post("/api/v1/observations/import", {"file": upload})
    assert response.status_code == 400
    assert "Classeur trop volumineux" in response.json()["errors"][0]["message"]


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_opened(monkeypatch):
    workbook = Workbook()
    workbook.active.append(["année", "pôle", "catégorie", "nombre", "montant"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (2 * 1024 * 1024))
    content = buffer.getvalue()
    assert len(content) < 50_000
    monkeypatch.setattr(spreadsheets, "MAX_XLSX_UNPACKED_BYTES", 1024 * 1024, raising=False)
    with pytest.raises(ImportRejected) as refused:
        read_rows(content, "activite.xlsx")
    assert "une fois décompressé, il dépasserait 100\u00a0Mo" in refused.value.errors[0].message


# --- 3. A wrong file's errors are listed up to a hundred -------------------------------------


def wrong_csv(header: str, line: str, lines: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("export.csv", (header + "\n" + line * lines).encode())


def test_the_activity_import_lists_the_first_hundred_errors_and_says_how_many(bondy):
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    client = member_client(bondy, agent)
    upload = wrong_csv("année;pôle;catégorie;nombre;montant", "x;y;z;w;v\n", 400)  # 3 per line
    page = BeautifulSoup(
        client.post("/activite/importer/", {"file": upload}).content, "html.parser"
    )
    table = page.find("table")
    assert table.caption.get_text() == "1\u202f200 erreurs\u00a0: rien n'a été importé"
    cells = [row.get_text(" ", strip=True) for row in table.tbody.find_all("tr")]
    assert len(cells) == 101
    assert cells[-1].startswith("35 – … et 1\u202f100 autres erreurs à partir de cette ligne")
    upload = wrong_csv("année;pôle;catégorie;nombre;montant", "x;y;z;w;v\n", 400)
    errors = client.post("/api/v1/activity/import", {"file": upload}).json()["errors"]
    assert len(errors) == 101
    assert errors[-1]["line"] == 35
    assert "(1\u202f200 en tout)" in errors[-1]["message"]


def test_the_abs_import_lists_the_first_hundred_errors_too(bondy):
    director = make_person(bondy, "direction@bondy.test")
    client = member_client(bondy, director)
    upload = wrong_csv("indicateur;annee;valeur", "INCONNU;2021;12\n", 300)
    response = client.post("/api/v1/observations/import", {"file": upload})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert len(errors) == 101
    assert errors[-1]["message"].startswith("… et 200 autres erreurs")


def test_the_abs_import_page_counts_every_error_not_the_hundred_listed(bondy):
    director = make_person(bondy, "direction@bondy.test")
    client = member_client(bondy, director)
    upload = wrong_csv("indicateur;annee;valeur", "INCONNU;2021;12\n", 1200)
    page = BeautifulSoup(client.post("/abs/importer/", {"file": upload}).content, "html.parser")
    title = page.find(id="import-errors-title").get_text(" ", strip=True)
    assert title == "Fichier refusé\u00a0: 1\u202f200 erreurs, rien n'a été importé"
    assert len(page.find("table").tbody.find_all("tr")) == 101
