"""Two members whose primary keys collide never see each other: data, pages, API, files, cache."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tenants.utils import schema_context
from rest_framework.authtoken.models import Token

from tenants.models import Membership
from tenants.workspace.models import Document
from tests.conftest import host_client, make_person, member_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def colliding_documents(two_members):
    """Document id 1 exists in both schemas, with different contents."""
    bondy, montreuil = two_members
    with schema_context(bondy.schema_name):
        a = Document.objects.create(
            title="Budget Bondy", file=SimpleUploadedFile("b.txt", b"secret de Bondy")
        )
    with schema_context(montreuil.schema_name):
        b = Document.objects.create(
            title="Budget Montreuil", file=SimpleUploadedFile("m.txt", b"secret de Montreuil")
        )
    assert a.pk == b.pk  # the collision this test is about
    return bondy, montreuil, a.pk


def test_data_pages_and_files_stay_in_their_member(colliding_documents):
    bondy, montreuil, pk = colliding_documents
    bondy_director = make_person(bondy, "dir@bondy.test")
    montreuil_director = make_person(montreuil, "dir@montreuil.test")

    page = member_client(bondy, bondy_director).get("/documents/").content.decode()
    assert "Budget Bondy" in page and "Budget Montreuil" not in page
    download = member_client(bondy, bondy_director).get(f"/documents/{pk}/")
    assert b"".join(download.streaming_content) == b"secret de Bondy"
    download = member_client(montreuil, montreuil_director).get(f"/documents/{pk}/")
    assert b"".join(download.streaming_content) == b"secret de Montreuil"

    # The same id on the other host, with the other member's account: refused, nothing leaks.
    for path in ("/", "/documents/", f"/documents/{pk}/"):
        response = member_client(montreuil, bondy_director).get(path)
        assert response.status_code == 403
        assert b"Budget Bondy" not in response.content and b"secret" not in response.content


def test_files_are_stored_per_member(colliding_documents):
    bondy, montreuil, pk = colliding_documents
    with schema_context(bondy.schema_name):
        bondy_path = Document.objects.get(pk=pk).file.path
    with schema_context(montreuil.schema_name):
        montreuil_path = Document.objects.get(pk=pk).file.path
    assert bondy_path != montreuil_path
    assert bondy.schema_name in bondy_path and montreuil.schema_name in montreuil_path


def test_api_with_token_sees_only_its_member(colliding_documents):
    bondy, montreuil, pk = colliding_documents
    director = make_person(bondy, "dir@bondy.test")
    token = (
        host_client("localhost")
        .post(
            "/api/v1/auth/token/",
            {"username": "dir@bondy.test", "password": "motdepasse-de-test-42"},
        )
        .json()["token"]
    )
    assert Token.objects.get(user=director).key == token
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    own = host_client(bondy.domain_name).get("/api/v1/documents/", **headers)
    assert own.status_code == 200
    assert [d["title"] for d in own.json()["results"]] == ["Budget Bondy"]
    other = host_client(montreuil.domain_name).get("/api/v1/documents/", **headers)
    assert other.status_code == 403
    assert "Budget" not in other.content.decode()
    anonymous = host_client(montreuil.domain_name).get("/api/v1/documents/")
    assert anonymous.status_code in (401, 403)


def test_cache_keys_carry_the_schema(two_members):
    bondy, montreuil = two_members
    connection.set_schema(bondy.schema_name)
    cache.set("dashboard", "Bondy")
    connection.set_schema(montreuil.schema_name)
    assert cache.get("dashboard") is None
    cache.set("dashboard", "Montreuil")
    connection.set_schema(bondy.schema_name)
    assert cache.get("dashboard") == "Bondy"
    connection.set_schema_to_public()
    assert cache.get("dashboard") is None


def test_viewer_reads_but_cannot_upload(bondy):
    viewer = make_person(bondy, "viewer@bondy.test", Membership.Role.VIEWER)
    client = member_client(bondy, viewer)
    assert client.get("/documents/").status_code == 200
    assert "Déposer un document" not in client.get("/documents/").content.decode()
    client.post("/documents/", {"title": "Intrus", "file": SimpleUploadedFile("x.txt", b"x")})
    with schema_context(bondy.schema_name):
        assert not Document.objects.filter(title="Intrus").exists()


def test_agent_uploads_and_it_is_audited(bondy):
    from union.models import AuditEntry

    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    response = member_client(bondy, agent).post(
        "/documents/", {"title": "Compte rendu CA", "file": SimpleUploadedFile("cr.txt", b"ok")}
    )
    assert response.status_code == 302
    with schema_context(bondy.schema_name):
        assert Document.objects.filter(title="Compte rendu CA").exists()
    assert AuditEntry.objects.filter(action="document.added", member=bondy, actor=agent).exists()
