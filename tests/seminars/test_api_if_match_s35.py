"""Session 35: the API's PATCH of a registration carried no version (session 33's « stale
edits » list): an organiser's script that read a registration, then wrote it after the person
had changed her ateliers on her personal page, took them back. It now reads an `ETag` and may
write with `If-Match`: a registration changed since is not overwritten (412, nothing written)."""

import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from seminars.models import Registration
from seminars.services import change_ateliers, register_person
from tenants.models import Membership
from tests.conftest import make_person
from tests.seminars.conftest import organiser, person
from tests.seminars.test_registration_edit import api_url, atelier, patch, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_api(db):
    return token_client(organiser())


@pytest.fixture
def zola(seminar):
    """Confirmed in Atelier A (the seminars' `seminar` has ateliers A, B and C)."""
    data = person(1, nom="Zola", ateliers=[atelier(seminar, "Atelier A").pk])
    return register_person(seminar, data, notify=False)[0]


def patch_if_match(client, url, body, etag):
    return client.patch(url, json.dumps(body), content_type="application/json", HTTP_IF_MATCH=etag)


def test_a_registration_read_then_changed_elsewhere_is_not_overwritten(staff_api, seminar, zola):
    read = staff_api.get(api_url(zola))
    assert read.status_code == 200
    etag = read["ETag"]
    assert etag.startswith('"') and etag.endswith('"')

    # Meanwhile the person moves to Atelier B on her personal page (the same service).
    other = atelier(seminar, "Atelier B")
    change_ateliers(Registration.objects.get(pk=zola.pk), [other.pk])

    response = patch_if_match(staff_api, api_url(zola), {"nom": "Zola-Martin"}, etag)
    assert response.status_code == 412
    detail = response.json()["detail"]
    assert detail.startswith("Cette inscription a été modifiée depuis votre lecture (ateliers)")
    assert detail.endswith(
        "Relisez (GET, nouvel ETag), puis renvoyez vos changements avec ce nouvel If-Match."
    )
    zola.refresh_from_db()
    assert zola.nom == "Zola"  # nothing written
    assert list(zola.ateliers.values_list("pk", flat=True)) == [other.pk]

    # Read again, written with the new tag: saved, and a new tag answered.
    fresh = staff_api.get(api_url(zola))["ETag"]
    assert fresh != etag
    saved = patch_if_match(staff_api, api_url(zola), {"nom": "Zola-Martin"}, fresh)
    assert saved.status_code == 200
    assert saved.json()["nom"] == "Zola-Martin"
    assert saved["ETag"] not in (etag, fresh)


def test_without_if_match_or_with_a_star_the_write_is_not_checked(staff_api, seminar, zola):
    etag = staff_api.get(api_url(zola))["ETag"]
    Registration.objects.filter(pk=zola.pk).update(needs="Autre besoin")
    assert patch(staff_api, api_url(zola), {"nom": "Zola-Martin"}).status_code == 200
    response = patch_if_match(staff_api, api_url(zola), {"prenom": "Émile"}, "*")
    assert response.status_code == 200
    # The tag read before both writes is refused now.
    stale = patch_if_match(staff_api, api_url(zola), {"prenom": "Léa"}, etag)
    assert stale.status_code == 412


# --- The member's profile: PUT /api/v1/profile/ -------------------------------------------------


def token_on(member, user) -> Client:
    token = Token.objects.get_or_create(user=user)[0]
    return Client(HTTP_HOST=member.domain_name, HTTP_AUTHORIZATION=f"Token {token.key}")


def put_json(client, body, **headers):
    body = {"legal_name": "CCAS de Bondy"} | body  # the one field a PUT must give
    return client.put(
        "/api/v1/profile/", json.dumps(body), content_type="application/json", **headers
    )


def test_a_profile_changed_by_a_colleague_is_not_overwritten(two_members):
    """As the profile page refuses a form opened before a colleague's save; both members'
    profiles are row 1 of their own schema: Montreuil's version never stands for Bondy's."""
    bondy, montreuil = two_members
    director = token_on(bondy, make_person(bondy, "direction@bondy.test"))
    colleague = token_on(bondy, make_person(bondy, "agent@bondy.test", Membership.Role.AGENT))
    elsewhere = token_on(montreuil, make_person(montreuil, "direction@montreuil.test"))
    for client, name in ((director, "CCAS de Bondy"), (elsewhere, "CCAS de Montreuil")):
        assert put_json(client, {"legal_name": name}).status_code == 200
    read = director.get("/api/v1/profile/")
    assert read.status_code == 200
    etag = read["ETag"]
    changed = put_json(colleague, {"phone": "01 48 00 00 00"})
    assert changed.status_code == 200, changed.content.decode()

    refused = put_json(director, {"phone": "01 48 11 11 11"}, HTTP_IF_MATCH=etag)
    assert refused.status_code == 412
    assert refused.json()["detail"].startswith(
        "Le profil a été modifié depuis votre lecture (phone)"
    )
    assert director.get("/api/v1/profile/").json()["phone"] == "01 48 00 00 00"

    # Montreuil's tag names Montreuil's profile: refused on Bondy's host.
    theirs = elsewhere.get("/api/v1/profile/")["ETag"]
    assert put_json(director, {"phone": "01 48 22 22 22"}, HTTP_IF_MATCH=theirs).status_code == 412
    fresh = director.get("/api/v1/profile/")["ETag"]
    saved = put_json(director, {"phone": "01 48 22 22 22"}, HTTP_IF_MATCH=fresh)
    assert saved.status_code == 200 and saved.json()["phone"] == "01 48 22 22 22"
    assert elsewhere.get("/api/v1/profile/").json()["phone"] != "01 48 22 22 22"
