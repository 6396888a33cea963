"""Documents: what the upload form announces, the message after it, deletion with confirmation."""

import os

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from tenants.workspace.models import Document
from tests.conftest import make_person, member_client
from union.models import AuditEntry

pytestmark = pytest.mark.django_db


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_upload_form_announces_size_limit_and_formats(clients):
    soup = soup_of(clients["agent"].get("/documents/"))
    file_input = soup.find("input", attrs={"name": "file"})
    help_text = soup.find(id=file_input["aria-describedby"]).get_text()
    # Was « Tous formats acceptés »: since session 15 only office formats are (an .exe or an
    # .html page was stored and served from the member's host).
    assert "20 Mo au plus" in help_text and "Formats acceptés : PDF, ODT" in help_text


def test_upload_says_it_worked(bondy, clients):
    response = clients["agent"].post(
        "/documents/",
        {"title": "Compte rendu CA", "file": SimpleUploadedFile("cr.txt", b"ok")},
        follow=True,
    )
    messages = soup_of(response).find(class_="messages")
    assert messages is not None and messages["role"] == "status"
    assert "Document « Compte rendu CA » déposé." in messages.get_text()


def test_too_big_file_is_refused_next_to_the_field(bondy, clients, monkeypatch):
    monkeypatch.setattr("tenants.workspace.forms.MAX_DOCUMENT_BYTES", 10)
    response = clients["agent"].post(
        "/documents/", {"title": "Gros", "file": SimpleUploadedFile("gros.pdf", b"x" * 11)}
    )
    soup = soup_of(response)
    file_input = soup.find("input", attrs={"name": "file"})
    assert file_input["aria-invalid"] == "true"
    assert "Le fichier dépasse 20 Mo." in soup.find(id="id_file_error").get_text()
    with schema_context(bondy.schema_name):
        assert not Document.objects.exists()


def test_director_deletes_a_document_after_confirming(
    bondy, clients, people, django_capture_on_commit_callbacks
):
    # Filed by the director: since session 15 an agent deletes what she uploaded herself within
    # 24 hours (test_review_s15_documents.py), so an agent's upload would be hers to delete.
    clients["director"].post(
        "/documents/", {"title": "Budget 2025", "file": SimpleUploadedFile("budget.txt", b"ok")}
    )
    with schema_context(bondy.schema_name):
        document = Document.objects.get()
        path = document.file.path
    assert os.path.exists(path)
    listing = clients["director"].get("/documents/").content.decode()
    assert f'href="/documents/{document.pk}/supprimer/"' in listing
    for role in ("agent", "viewer"):
        # No link (the agent's page now says, in words, when she may delete her own uploads).
        assert "/supprimer/" not in clients[role].get("/documents/").content.decode()
        assert clients[role].get(f"/documents/{document.pk}/supprimer/").status_code == 403
        assert clients[role].post(f"/documents/{document.pk}/supprimer/").status_code == 403

    soup = soup_of(clients["director"].get(f"/documents/{document.pk}/supprimer/"))
    assert soup.h1.get_text() == "Supprimer le document « Budget 2025 » ?"
    form = soup.find("main").find("form", method="post")
    assert form.button.get_text() == "Confirmer la suppression"
    assert form.find("a", href="/documents/") is not None
    assert os.path.exists(path)

    with django_capture_on_commit_callbacks(execute=True):
        response = clients["director"].post(f"/documents/{document.pk}/supprimer/", follow=True)
    assert "Document « Budget 2025 » supprimé." in response.content.decode()
    with schema_context(bondy.schema_name):
        assert not Document.objects.exists()
    assert not os.path.exists(path)
    assert AuditEntry.objects.filter(
        action="document.deleted", member=bondy, actor=people["director"]
    ).exists()


def test_document_deletion_stays_in_the_host_member(two_members):
    bondy, montreuil = two_members
    with schema_context(bondy.schema_name):
        a = Document.objects.create(title="Budget Bondy", file=SimpleUploadedFile("b.txt", b"b"))
        extra = Document.objects.create(
            title="Seulement Bondy", file=SimpleUploadedFile("c.txt", b"c")
        )
    with schema_context(montreuil.schema_name):
        b = Document.objects.create(
            title="Budget Montreuil", file=SimpleUploadedFile("m.txt", b"m")
        )
    assert a.pk == b.pk  # the collision this test is about
    bondy_dir = make_person(bondy, "dir@bondy.test")
    montreuil_dir = make_person(montreuil, "dir@montreuil.test")
    m = member_client(montreuil, montreuil_dir)
    assert "Budget Montreuil" in m.get(f"/documents/{b.pk}/supprimer/").content.decode()
    assert m.get(f"/documents/{extra.pk}/supprimer/").status_code == 404
    assert m.post(f"/documents/{extra.pk}/supprimer/").status_code == 404
    assert (
        member_client(montreuil, bondy_dir).post(f"/documents/{b.pk}/supprimer/").status_code == 403
    )
    assert m.post(f"/documents/{b.pk}/supprimer/").status_code == 302
    with schema_context(montreuil.schema_name):
        assert not Document.objects.exists()
    with schema_context(bondy.schema_name):
        assert Document.objects.count() == 2


def test_the_list_gives_each_file_its_format_size_and_who_uploaded_it(bondy, clients, people):
    agent = people["agent"]
    agent.first_name, agent.last_name = "Awa", "Diallo"
    agent.save()
    # Since session 15 the content must match the extension (a PDF's first bytes), a name
    # without extension is refused (test_review_s15_documents.py), and the list has a « Date du
    # document » column before the file's: the columns below moved by one.
    clients["agent"].post(
        "/documents/",
        {
            "title": "Budget 2026",
            "file": SimpleUploadedFile("budget.pdf", b"%PDF-1.4" + b"x" * 2040),
        },
    )
    with schema_context(bondy.schema_name):  # filed before the allow-list, without extension
        Document.objects.create(title="Notes", file=SimpleUploadedFile("notes", b"ok"))
    rows = {
        row.th.get_text(strip=True): [cell.get_text(" ", strip=True) for cell in row("td")]
        for row in soup_of(clients["viewer"].get("/documents/")).select("tbody tr")
    }
    assert rows["Budget 2026"][1] == "PDF, 2,0\xa0Ko"
    assert rows["Budget 2026"][2].endswith("par Awa Diallo")
    assert rows["Notes"][1] == "fichier, 2 octets"

    # A file gone from the storage is said, not a server error.
    with schema_context(bondy.schema_name):
        os.remove(Document.objects.get(title="Notes").file.path)
    response = clients["viewer"].get("/documents/")
    assert response.status_code == 200
    rows = {
        row.th.get_text(strip=True): row("td")[1].get_text()
        for row in soup_of(response).select("tbody tr")
    }
    assert rows["Notes"] == "fichier introuvable"
