"""Review of session 15, documents: categories, description and date, « Modifier » and
« Remplacer le fichier », PDFs and images opened in the browser, an agent's own recent upload
deleted, an allow-list of office formats checked on the content too, and the warning that the
space holds no client files or health data."""

import io
import os
import zipfile
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import Membership
from tenants.workspace.models import Document
from tests.conftest import make_person, member_client
from union.models import AuditEntry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def field_error(response, name: str) -> str:
    error = soup_of(response).find(id=f"id_{name}_error")
    return error.get_text(" ", strip=True) if error else ""


def messages_of(response) -> str:
    box = soup_of(response).find(class_="messages")
    return box.get_text(" ", strip=True) if box else ""


def office_file(kind: str) -> bytes:
    """A minimal Office Open XML ("docx") or OpenDocument ("odt") archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if kind == "odt":
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            archive.writestr("content.xml", "<office:document-content/>")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(client, name: str, content: bytes, title: str = "Document", **fields):
    return client.post(
        "/documents/", {"title": title, "file": SimpleUploadedFile(name, content), **fields}
    )


def stored(member) -> list[Document]:
    with schema_context(member.schema_name):
        return list(Document.objects.order_by("pk"))


# --- 6. What may be stored -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, error",
    [
        ("programme.exe", b"MZ\x90\x00\x03", "Ce format de fichier n'est pas accepté (« .exe »)"),
        ("page.html", b"<script>alert(1)</script>", "n'est pas accepté (« .html »)"),
        ("dessin.svg", b"<svg onload='alert(1)'/>", "n'est pas accepté (« .svg »)"),
        ("notes", b"ok", "n'est pas accepté (sans extension)"),
        ("budget.pdf", b"MZ\x90\x00 a program", "ne correspond pas à son extension « .pdf »"),
        ("pv.docx", b"PK\x03\x04 but not an archive", "ce n'est pas un document Word"),
        ("pv.odt", office_file("docx"), "ce n'est pas un texte OpenDocument"),
        ("photo.png", b"<html>", "ce n'est pas une image PNG"),
        ("liste.csv", b"nom;prenom\x00\x00\x01", "ce n'est pas un fichier texte"),
        ("vieux.doc", b"{\\rtf1 ...}", "ce n'est pas un document Word"),
    ],
)
def test_files_outside_the_office_formats_are_refused(bondy, clients, name, content, error):
    response = upload(clients["agent"], name, content, title="Intrus")
    assert response.status_code == 200
    assert error in field_error(response, "file")
    assert soup_of(response).title.get_text().startswith("Erreur – Documents")
    assert "Formats acceptés : PDF, ODT" in field_error(response, "file") or (
        "Enregistrez-le à nouveau" in field_error(response, "file")
    )
    assert stored(bondy) == []


@pytest.mark.parametrize(
    "name, content, opens",
    [
        ("pv.pdf", PDF, "inline"),
        ("pv.PDF", PDF, "inline"),
        ("rapport.docx", office_file("docx"), "attachment"),
        ("rapport.odt", office_file("odt"), "attachment"),
        ("photo.png", PNG, "inline"),
        ("photo.jpg", b"\xff\xd8\xff\xe0JFIF", "inline"),
        ("liste.csv", "nom;prénom\nDupont;Zoé\n".encode("cp1252"), "attachment"),
        ("note.txt", b"ok", "attachment"),
        ("note.rtf", b"{\\rtf1\\ansi Bonjour}", "attachment"),
        ("vieux.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16, "attachment"),
    ],
)
def test_office_formats_are_accepted_and_served_under_their_title(
    bondy, clients, name, content, opens
):
    assert upload(clients["agent"], name, content, title="Compte rendu").status_code == 302
    (document,) = stored(bondy)
    response = clients["viewer"].get(f"/documents/{document.pk}/")
    assert b"".join(response.streaming_content) == content
    # PDFs and images open in the browser, the rest downloads; the name is the title's.
    extension = name.rsplit(".", 1)[1].lower()
    assert response["Content-Disposition"] == f'{opens}; filename="Compte rendu.{extension}"'


def test_the_upload_form_lists_the_formats_and_warns_about_client_and_health_data(clients):
    soup = soup_of(clients["agent"].get("/documents/"))
    file_input = soup.find("input", attrs={"name": "file"})
    assert ".pdf" in file_input["accept"] and ".exe" not in file_input["accept"]
    help_text = soup.find(id=file_input["aria-describedby"].split()[0]).get_text()
    assert "20 Mo au plus. Formats acceptés : PDF, ODT, ODS" in help_text
    warning = soup.find(id="documents-privacy")
    text = warning.get_text(" ", strip=True)
    assert "dossiers de personnes accompagnées" in text and "données de santé" in text
    assert warning.find("a", href="http://localhost/donnees-personnelles/") is not None
    # Readers upload nothing, and are not warned about it.
    assert soup_of(clients["viewer"].get("/documents/")).find(id="documents-privacy") is None


# --- 5. Categories, date, description --------------------------------------------------------


def test_documents_are_filed_by_category_with_their_date_and_description(bondy, clients, people):
    people["agent"].first_name, people["agent"].last_name = "Awa", "Diallo"
    people["agent"].save()
    upload(
        clients["agent"],
        "pv.pdf",
        PDF,
        title="PV du CA du 12 mars",
        category="conseil",
        document_date="2026-03-12",
        description="Adoption du règlement des aides.",
    )
    upload(clients["agent"], "bp.pdf", PDF, title="Budget primitif 2026", category="budget")
    upload(clients["director"], "divers.txt", b"ok", title="Divers")  # no category: « Autres »
    page = soup_of(clients["viewer"].get("/documents/"))
    headings = [h.get_text() for h in page.find("main").find_all("h2")]
    assert headings[:3] == [
        "Conseil d'administration (délibérations, procès-verbaux)",
        "Budget et finances",
        "Autres",
    ]
    council = page.find("section", attrs={"aria-labelledby": "categorie-conseil"})
    (row,) = council.tbody("tr")
    cells = [cell.get_text(" ", strip=True) for cell in row("td")]
    assert (
        row.th.get_text(" ", strip=True) == "PV du CA du 12 mars Adoption du règlement des aides."
    )
    assert cells[0] == "12 mars 2026"
    assert cells[1].startswith("PDF, ")
    assert cells[2].endswith("par Awa Diallo")
    nav = page.find("nav", attrs={"aria-label": "Catégories de documents"})
    assert nav.find("a", attrs={"aria-current": "page"}).get_text() == "Toutes les catégories (3)"
    assert nav.find("a", href="/documents/?categorie=budget").get_text() == (
        "Budget et finances (1)"
    )

    budget = soup_of(clients["agent"].get("/documents/?categorie=budget"))
    assert [th.get_text(strip=True) for th in budget.select("tbody th")] == ["Budget primitif 2026"]
    assert (
        budget.find("select", attrs={"name": "category"}).find("option", selected=True)["value"]
        == "budget"
    )  # an upload from this list goes in it
    assert clients["agent"].get("/documents/?categorie=inconnue").status_code == 404
    with schema_context(bondy.schema_name):
        assert Document.objects.get(title="Divers").category == "autres"


# --- 5. Modifier, Remplacer ------------------------------------------------------------------


@pytest.fixture
def colliding(two_members):
    """A document with the same id in Bondy and Montreuil, a director and an agent in each."""
    bondy, montreuil = two_members
    people = {}
    for member in two_members:
        people[member.slug] = {
            "director": make_person(member, f"dir@{member.slug}.test"),
            "agent": make_person(member, f"agent@{member.slug}.test", Membership.Role.AGENT),
        }
        client = member_client(member, people[member.slug]["agent"])
        upload(client, f"{member.slug}.pdf", PDF + member.slug.encode(), title=member.name)
    (a,), (b,) = stored(bondy), stored(montreuil)
    assert a.pk == b.pk
    return bondy, montreuil, a.pk, people


def test_modifier_changes_what_is_said_of_a_document_not_its_file(colliding):
    bondy, montreuil, pk, people = colliding
    client = member_client(bondy, people["bondy"]["agent"])
    page = soup_of(client.get(f"/documents/{pk}/modifier/"))
    assert page.h1.get_text() == "Modifier le document « CCAS de Bondy »"
    assert page.find("input", attrs={"name": "title"})["value"] == "CCAS de Bondy"
    response = client.post(
        f"/documents/{pk}/modifier/",
        {
            "title": "PV du 12 mars",
            "category": "conseil",
            "description": "Séance ordinaire.",
            "document_date": "2026-03-12",
        },
        follow=True,
    )
    assert "Document « PV du 12 mars » mis à jour." in messages_of(response)
    (document,) = stored(bondy)
    assert (document.title, document.category, document.description, document.document_date) == (
        "PV du 12 mars",
        "conseil",
        "Séance ordinaire.",
        date(2026, 3, 12),
    )
    entry = AuditEntry.objects.get(action="document.changed", member=bondy)
    assert entry.actor == people["bondy"]["agent"]
    (untouched,) = stored(montreuil)
    assert (untouched.title, untouched.category) == ("CCAS de Montreuil", "autres")
    refused = client.post(f"/documents/{pk}/modifier/", {"title": "", "category": "conseil"})
    assert refused.status_code == 200 and field_error(refused, "title")

    viewer = make_person(bondy, "lecture@bondy.test", Membership.Role.VIEWER)
    assert member_client(bondy, viewer).get(f"/documents/{pk}/modifier/").status_code == 403
    outsider = member_client(bondy, people["montreuil"]["director"])
    assert outsider.post(f"/documents/{pk}/modifier/", {"title": "X"}).status_code == 403


def test_replacing_the_file_keeps_the_document_and_removes_the_old_file(
    colliding, django_capture_on_commit_callbacks
):
    bondy, montreuil, pk, people = colliding
    client = member_client(bondy, people["bondy"]["agent"])
    (before,) = stored(bondy)
    with schema_context(bondy.schema_name):
        old_path = before.file.path
    (other,) = stored(montreuil)
    with schema_context(montreuil.schema_name):
        other_path = other.file.path

    page = soup_of(client.get(f"/documents/{pk}/remplacer/"))
    assert page.h1.get_text() == "Remplacer le fichier de « CCAS de Bondy »"
    assert page.find("form", enctype="multipart/form-data") is not None
    refused = client.post(
        f"/documents/{pk}/remplacer/", {"file": SimpleUploadedFile("v2.exe", b"MZ")}
    )
    assert "n'est pas accepté" in field_error(refused, "file")
    assert os.path.exists(old_path)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/documents/{pk}/remplacer/",
            {"file": SimpleUploadedFile("pv-v2.pdf", PDF + b"v2")},
            follow=True,
        )
    assert "Nouvelle version de « CCAS de Bondy » déposée" in messages_of(response)
    (after,) = stored(bondy)
    assert (after.pk, after.title, after.uploaded_by_id) == (
        pk,
        "CCAS de Bondy",
        before.uploaded_by_id,
    )
    assert (
        after.file.name.endswith("pv-v2.pdf")
        and after.replaced_by_id == people["bondy"]["agent"].pk
    )
    assert not os.path.exists(old_path)
    download = client.get(f"/documents/{pk}/")
    assert b"".join(download.streaming_content) == PDF + b"v2"
    row = soup_of(client.get("/documents/")).find("tr", id=f"document-{pk}")
    assert "nouvelle version le" in row.get_text()
    entry = AuditEntry.objects.get(action="document.replaced", member=bondy)
    assert entry.actor == people["bondy"]["agent"]
    # Montreuil's document with the same id: untouched, its file still there.
    assert os.path.exists(other_path)
    montreuil_client = member_client(montreuil, people["montreuil"]["agent"])
    assert b"".join(montreuil_client.get(f"/documents/{pk}/").streaming_content) == (
        PDF + b"montreuil"
    )


# --- 5. Opened in the browser or downloaded --------------------------------------------------


def test_pdfs_and_images_open_in_the_browser_other_files_download(two_members):
    bondy, montreuil = two_members
    with schema_context(bondy.schema_name):
        pdf = Document.objects.create(title="PV", file=SimpleUploadedFile("pv.pdf", PDF))
        png = Document.objects.create(title="Plan", file=SimpleUploadedFile("plan.png", PNG))
        docx = Document.objects.create(
            title="Note", file=SimpleUploadedFile("note.docx", office_file("docx"))
        )
        # Kept before the allow-list: downloaded, never shown as a page of the member's host.
        html = Document.objects.create(
            title="Ancien", file=SimpleUploadedFile("ancien.html", b"<script>x</script>")
        )
    with schema_context(montreuil.schema_name):
        theirs = Document.objects.create(
            title="Tableau", file=SimpleUploadedFile("tableau.xlsx", b"PK\x03\x04 Montreuil")
        )
    assert theirs.pk == pdf.pk  # the collision
    client = member_client(bondy, make_person(bondy, "dir@bondy.test"))
    expected = {
        pdf.pk: ("application/pdf", 'inline; filename="PV.pdf"'),
        png.pk: ("image/png", 'inline; filename="Plan.png"'),
        docx.pk: (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            'attachment; filename="Note.docx"',
        ),
        html.pk: ("application/octet-stream", 'attachment; filename="Ancien.html"'),
    }
    for pk, (content_type, disposition) in expected.items():
        response = client.get(f"/documents/{pk}/")
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == disposition
        assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(client.get(f"/documents/{pdf.pk}/").streaming_content) == PDF
    # Named after the title, not the stored name; what file systems refuse becomes a space.
    with schema_context(bondy.schema_name):
        Document.objects.filter(pk=pdf.pk).update(title='PV 12/03: "CA"')
    assert client.get(f"/documents/{pdf.pk}/")["Content-Disposition"] == (
        'inline; filename="PV 12 03 CA.pdf"'
    )
    other = member_client(montreuil, make_person(montreuil, "dir@montreuil.test"))
    response = other.get(f"/documents/{pdf.pk}/")
    assert response["Content-Disposition"] == 'attachment; filename="Tableau.xlsx"'
    assert b"".join(response.streaming_content) == b"PK\x03\x04 Montreuil"


# --- 5. An agent deletes her own mistake -----------------------------------------------------


def test_an_agent_deletes_a_file_she_uploaded_within_24_hours_only(
    bondy, montreuil, clients, people, django_capture_on_commit_callbacks
):
    with schema_context(montreuil.schema_name):  # the id her own document will have in Bondy
        theirs = Document.objects.create(title="Montreuil", file=SimpleUploadedFile("m.pdf", PDF))
        their_path = theirs.file.path
    upload(clients["agent"], "erreur.pdf", PDF, title="Mauvais fichier")
    upload(clients["director"], "budget.pdf", PDF, title="Budget")
    upload(clients["agent"], "ancien.pdf", PDF, title="Ancien dépôt")
    with schema_context(bondy.schema_name):
        mine = Document.objects.get(title="Mauvais fichier")
        directors = Document.objects.get(title="Budget")
        old = Document.objects.get(title="Ancien dépôt")
        Document.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - timedelta(hours=25))
        path = mine.file.path
    assert mine.pk == theirs.pk
    listing = soup_of(clients["agent"].get("/documents/"))
    links = {a["href"] for a in listing.find_all("a", href=True)}
    assert f"/documents/{mine.pk}/supprimer/" in links
    assert f"/documents/{directors.pk}/supprimer/" not in links
    assert f"/documents/{old.pk}/supprimer/" not in links
    assert "pendant 24 heures" in listing.find("main").get_text()

    for pk in (directors.pk, old.pk):
        refused = clients["agent"].get(f"/documents/{pk}/supprimer/")
        assert refused.status_code == 403
        assert "moins de 24 heures" in refused.content.decode()
        assert clients["agent"].post(f"/documents/{pk}/supprimer/").status_code == 403
    assert clients["viewer"].post(f"/documents/{mine.pk}/supprimer/").status_code == 403

    assert clients["agent"].get(f"/documents/{mine.pk}/supprimer/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["agent"].post(f"/documents/{mine.pk}/supprimer/", follow=True)
    assert "Document « Mauvais fichier » supprimé." in messages_of(response)
    assert not os.path.exists(path)
    assert AuditEntry.objects.filter(
        action="document.deleted", member=bondy, actor=people["agent"]
    ).exists()
    # The director still deletes the others, old ones included.
    assert clients["director"].post(f"/documents/{old.pk}/supprimer/").status_code == 302
    assert [d.title for d in stored(bondy)] == ["Budget"]
    # Montreuil's document with the same id, and its file, are untouched.
    assert [d.title for d in stored(montreuil)] == ["Montreuil"]
    assert os.path.exists(their_path)
