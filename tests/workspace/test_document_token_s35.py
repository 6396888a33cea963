"""A document's `url` in `GET /api/v1/documents/` fetches the file with the API token too (audit
A15 #1): the client that listed the documents with `Authorization: Token …` got a 302 to the
sign-in page. Same rules as the session: any role of the host member, never another member's
people (ids collide between members), nor the union's team, nor a wrong token."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from rest_framework.authtoken.models import Token

from tenants.models import Membership
from tenants.workspace.models import Document
from tests.conftest import host_client, make_person, member_client

pytestmark = pytest.mark.django_db

BONDY_PDF = b"%PDF-1.4 Bondy " + b"b" * 100
MONTREUIL_PDF = b"%PDF-1.4 Montreuil " + b"m" * 100


def upload(member, content: bytes, name: str) -> int:
    director = make_person(member, f"dir@{member.slug}.test")
    response = member_client(member, director).post(
        "/documents/",
        {"title": name, "category": "budget", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context(member.schema_name):
        return Document.objects.get(title=name).pk


def token_client(member, user) -> object:
    """A client on `member`'s host with no session, only the person's API token."""
    token, _ = Token.objects.get_or_create(user=user)
    return host_client(member.domain_name), {"HTTP_AUTHORIZATION": f"Token {token.key}"}


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def filed(two_members):
    bondy, montreuil = two_members
    pk = upload(bondy, BONDY_PDF, "budget-bondy.pdf")
    assert upload(montreuil, MONTREUIL_PDF, "budget-montreuil.pdf") == pk  # the collision
    return bondy, montreuil, pk


def test_the_listed_url_downloads_the_file_with_the_token(filed):
    bondy, _, pk = filed
    viewer = make_person(bondy, "lecture@bondy.test", Membership.Role.VIEWER)
    client, auth = token_client(bondy, viewer)
    (listed,) = client.get("/api/v1/documents/", **auth).json()["results"]
    assert listed["url"] == f"http://{bondy.domain_name}/documents/{pk}/"

    response = client.get(f"/documents/{pk}/", **auth)
    assert response.status_code == 200, response.get("Location")
    assert response["Content-Type"] == "application/pdf"
    assert body(response) == BONDY_PDF
    # Still private: no shared cache keeps a member's file.
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]
    # The token signs in nobody: the next request without it has no session.
    assert "sessionid" not in response.cookies
    assert client.get(f"/documents/{pk}/").status_code == 302


def test_another_members_token_gets_neither_its_file_nor_the_other(filed):
    bondy, montreuil, pk = filed
    bondy_agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    _, auth = token_client(bondy, bondy_agent)
    on_montreuil = host_client(montreuil.domain_name)
    response = on_montreuil.get(f"/documents/{pk}/", **auth)
    assert response.status_code == 403  # a person known, not one of Montreuil's
    assert not getattr(response, "streaming", False)
    assert MONTREUIL_PDF not in response.content and BONDY_PDF not in response.content

    # Montreuil's own person, on Montreuil's host, gets Montreuil's file under the same id.
    montreuil_agent = make_person(montreuil, "agent@montreuil.test", Membership.Role.AGENT)
    client, auth = token_client(montreuil, montreuil_agent)
    response = client.get(f"/documents/{pk}/", **auth)
    assert response.status_code == 200 and body(response) == MONTREUIL_PDF


def test_a_wrong_token_or_a_write_gets_no_file(filed):
    bondy, _, pk = filed
    client = host_client(bondy.domain_name)
    wrong = client.get(f"/documents/{pk}/", HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert wrong.status_code == 302 and wrong["Location"].startswith("/connexion/")

    # Only the download takes a token: the document's other pages stay the session's.
    director = make_person(bondy, "dir2@bondy.test")
    _, auth = token_client(bondy, director)
    deleted = client.post(f"/documents/{pk}/supprimer/", {"confirm": "1"}, **auth)
    assert deleted.status_code == 302 and deleted["Location"].startswith("/connexion/")
    with schema_context(bondy.schema_name):
        assert Document.objects.filter(pk=pk).exists()
