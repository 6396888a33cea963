"""Session 35: the API's PATCH of a registration carried no version (session 33's « stale
edits » list): an organiser's script that read a registration, then wrote it after the person
had changed her ateliers on her personal page, took them back. It now reads an `ETag` and may
write with `If-Match`: a registration changed since is not overwritten (412, nothing written)."""

import json

import pytest

from seminars.models import Registration
from seminars.services import change_ateliers, register_person
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
