"""Session 38 (audit A26): documents when the server cannot write, or lost a file.

1. An upload or a replacement whose file the storage cannot write (rights, full disk, read-only
   mount) answered the generic 500 and lost what was typed. It now comes back as the form (503:
   the server's fault, not hers), what was typed kept, a French error on the file field saying to
   choose it again, the failure logged with the schema and the path, and nothing saved.
2. A document whose file is gone from the disk: its address answered the generic 404 (« mal
   recopiée »). It now says the file is no longer on the server, with « Remplacer le fichier »
   for whoever may replace it and whom to ask for the others."""

import errno
import logging
import os
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import Membership
from tenants.workspace.models import Document
from tests.conftest import make_person, member_client, plain
from union.models import AuditEntry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
SECRET = b"%PDF-1.4\n% Deliberation 2025-07: confidential words\n%%EOF\n"
NOT_STORED = "Le fichier « pv-juin.pdf » n'a pas pu être enregistré sur le serveur"


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def field_error(response, name: str) -> str:
    error = soup_of(response).find(id=f"id_{name}_error")
    return plain(error.get_text(" ", strip=True)) if error else ""


def documents_folder(member) -> Path:
    """The member's own documents folder under the test MEDIA_ROOT (created if need be)."""
    with schema_context(member.schema_name):
        folder = Path(Document._meta.get_field("file").storage.path("documents"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def unwritable(member, monkeypatch):
    """The member's documents folder refuses new files. A real read-only folder (0o500) when
    the tests run as an ordinary user; as root, chmod changes nothing (root writes anywhere), so
    the storage's _save raises what a full disk raises (ENOSPC), for that folder only."""
    folder = documents_folder(member)
    if os.geteuid() != 0:
        os.chmod(folder, 0o500)
        try:
            yield folder
        finally:
            os.chmod(folder, 0o700)
        return
    real_save = FileSystemStorage._save

    def full_disk(storage, name, content):
        if Path(storage.path(name)).parent == folder:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_save(storage, name, content)

    storage = type(Document._meta.get_field("file").storage)
    with monkeypatch.context() as patch:
        patch.setattr(storage, "_save", full_disk)
        yield folder


def file_document(member, title: str, content: bytes, name: str = "pv.pdf") -> Document:
    with schema_context(member.schema_name):
        return Document.objects.create(title=title, file=SimpleUploadedFile(name, content))


def client_of(member, email: str, role=Membership.Role.DIRECTOR):
    client = member_client(member, make_person(member, email, role))
    client.raise_request_exception = False  # the old code's 500 is an answer to assert on
    return client


# --- 1. The storage refuses the file --------------------------------------------------------


def test_an_upload_the_server_cannot_write_keeps_what_was_typed(two_members, monkeypatch, caplog):
    bondy, montreuil = two_members
    client = client_of(bondy, "dir@bondy.test")
    typed = {
        "title": "PV du conseil de juin",
        "category": Document.Category.BOARD,
        "description": "Séance du 12 juin, budget supplémentaire",
        "document_date": "2025-06-12",
    }
    with caplog.at_level(logging.ERROR), unwritable(bondy, monkeypatch) as folder:
        files_before = set(folder.iterdir())  # the session's earlier tests share MEDIA_ROOT
        response = client.post(
            "/documents/", {**typed, "file": SimpleUploadedFile("pv-juin.pdf", SECRET)}
        )
        # The other member's folder is not the one that fails: its uploads go on.
        other = client_of(montreuil, "dir@montreuil.test").post(
            "/documents/", {"title": "Budget", "file": SimpleUploadedFile("b.pdf", PDF)}
        )
    assert response.status_code == 503
    error = field_error(response, "file")
    assert error.startswith(NOT_STORED)
    assert "Rien n'a été enregistré" in error and "choisissez de nouveau le fichier" in error
    form = soup_of(response).find("form", enctype="multipart/form-data")
    assert form.find("input", attrs={"name": "title"})["value"] == typed["title"]
    assert (
        form.find("textarea", attrs={"name": "description"}).get_text().strip()
        == typed["description"]
    )
    assert form.find("input", attrs={"name": "document_date"})["value"] == "2025-06-12"
    assert form.find("option", selected=True)["value"] == Document.Category.BOARD
    assert soup_of(response).title.get_text().startswith("Erreur")
    summary = plain(soup_of(response).find(id="error-summary-title").get_text())
    assert summary == "Le document n'est pas déposé : le serveur n'a pas pu enregistrer le fichier"
    # Nothing saved: no document, no journal entry, no file.
    with schema_context(bondy.schema_name):
        assert not Document.objects.exists()
    assert not AuditEntry.objects.filter(action="document.added", member=bondy).exists()
    assert set(folder.iterdir()) == files_before
    # Logged for whoever runs the server: the space and the folder, never the file's content.
    (record,) = [r for r in caplog.records if "pv-juin.pdf" in r.getMessage()]
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert bondy.schema_name in record.getMessage() and str(folder) in record.getMessage()
    assert "confidential" not in caplog.text
    assert other.status_code == 302
    with schema_context(montreuil.schema_name):
        assert Document.objects.get().title == "Budget"
    # Once the server can write again, the same upload goes through.
    response = client.post("/documents/", {**typed, "file": SimpleUploadedFile("pv-juin.pdf", PDF)})
    assert response.status_code == 302
    with schema_context(bondy.schema_name):
        assert Document.objects.get().title == typed["title"]


def test_a_replacement_the_server_cannot_write_keeps_the_old_file(
    two_members, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    bondy, _ = two_members
    document = file_document(bondy, "PV de juin", PDF + b"v1")
    with schema_context(bondy.schema_name):
        old_name, old_path = document.file.name, document.file.path
    client = client_of(bondy, "dir@bondy.test")
    with (
        caplog.at_level(logging.ERROR),
        unwritable(bondy, monkeypatch),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            f"/documents/{document.pk}/remplacer/",
            {"file": SimpleUploadedFile("pv-juin.pdf", PDF + b"v2")},
        )
    assert response.status_code == 503
    error = field_error(response, "file")
    assert error.startswith(NOT_STORED) and "choisissez de nouveau le fichier" in error
    summary = plain(soup_of(response).find(id="error-summary-title").get_text())
    assert summary == "Rien n'est enregistré : le serveur n'a pas pu enregistrer le fichier"
    assert plain(soup_of(response).h1.get_text()) == "Remplacer le fichier de « PV de juin »"
    with schema_context(bondy.schema_name):
        document.refresh_from_db()
        assert (document.file.name, document.replaced_at) == (old_name, None)
    assert Path(old_path).read_bytes() == PDF + b"v1"  # the old file is kept
    assert not AuditEntry.objects.filter(action="document.replaced", member=bondy).exists()
    assert any(bondy.schema_name in r.getMessage() for r in caplog.records)
    download = client.get(f"/documents/{document.pk}/")
    assert b"".join(download.streaming_content) == PDF + b"v1"


# --- 2. A file gone from the disk -----------------------------------------------------------

MISSING = "Le fichier de ce document n'est plus sur le serveur."


def test_a_missing_file_says_so_and_the_same_pk_elsewhere_still_downloads(two_members):
    bondy, montreuil = two_members
    lost = file_document(bondy, "PV perdu", PDF + b"bondy")
    kept = file_document(montreuil, "PV gardé", PDF + b"montreuil")
    assert lost.pk == kept.pk  # the collision
    with schema_context(bondy.schema_name):
        os.remove(lost.file.path)  # Bondy's file only

    director = client_of(bondy, "dir@bondy.test")
    response = director.get(f"/documents/{lost.pk}/")
    assert response.status_code == 404
    page = soup_of(response)
    text = plain(page.get_text(" "))
    assert MISSING in text and "PV perdu" in text
    assert "mal recopiée" not in text  # not the generic « Page introuvable »
    assert page.find("a", href=f"/documents/{lost.pk}/remplacer/").get_text() == (
        "Remplacer le fichier"
    )
    # The list leads there: it says the file is missing and links the same address.
    listing = soup_of(director.get("/documents/"))
    row = listing.find(id=f"document-{lost.pk}")
    assert "introuvable" in row.get_text() and row.find("a", href=f"/documents/{lost.pk}/")

    # Montreuil's document of the same pk is there, and downloads on Montreuil's host.
    other = client_of(montreuil, "dir@montreuil.test").get(f"/documents/{kept.pk}/")
    assert other.status_code == 200
    assert b"".join(other.streaming_content) == PDF + b"montreuil"


def test_who_may_not_replace_the_file_is_told_whom_to_ask(two_members):
    bondy, _ = two_members
    uploader = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    with schema_context(bondy.schema_name):
        lost = Document.objects.create(
            title="Règlement", file=SimpleUploadedFile("r.pdf", PDF), uploaded_by=uploader
        )
        os.remove(lost.file.path)
    replace = f"/documents/{lost.pk}/remplacer/"

    # The agent who uploaded it less than 24 hours ago may replace it herself.
    own = soup_of(member_client(bondy, uploader).get(f"/documents/{lost.pk}/"))
    assert own.find("a", href=replace) is not None

    # Later, or another agent, or a reader: no link, the direction is named.
    with schema_context(bondy.schema_name):
        Document.objects.filter(pk=lost.pk).update(uploaded_at=timezone.now() - timedelta(days=2))
    for email, role in (
        ("agent@bondy.test", None),
        ("autre@bondy.test", Membership.Role.AGENT),
        ("lecture@bondy.test", Membership.Role.VIEWER),
    ):
        client = member_client(bondy, uploader) if role is None else client_of(bondy, email, role)
        response = client.get(f"/documents/{lost.pk}/")
        page = soup_of(response)
        text = plain(page.get_text(" "))
        assert response.status_code == 404 and MISSING in text, email
        assert page.find("a", href=replace) is None, email
        assert "demandez à la direction du CCAS" in text, email
