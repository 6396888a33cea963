"""Personal registration links no longer carry the person's address (security review s17, 6):
a keyed digest of it instead, so that a changed address still voids the link; the links sent
before keep working until they expire."""

import base64
import json
import zlib

import pytest
from django.core import signing

from seminars.links import SALT, manage_path, read_expired_token, read_token
from seminars.models import Registration
from seminars.services import register_person
from tests.seminars.conftest import person

pytestmark = pytest.mark.django_db


def payload_of(token: str) -> dict:
    """What anyone reads in a link without the key: signing.dumps only signs its base64."""
    data = token.split(":", 1)[0]
    compressed = data.startswith(".")
    raw = base64.urlsafe_b64decode(data.lstrip(".") + "=" * (-len(data.lstrip(".")) % 4))
    return json.loads(zlib.decompress(raw) if compressed else raw)


def token_of(registration) -> str:
    return manage_path(registration).rstrip("/").rsplit("/", 1)[1]


def old_form_token(registration) -> str:
    """A link as sent before this change: the address in clear."""
    return signing.dumps({"r": registration.pk, "e": registration.email}, salt=SALT, compress=True)


def test_the_link_does_not_contain_the_address(seminar):
    registration, _ = register_person(seminar, person(1, email="aicha.durand@exemple.fr"))
    token = token_of(registration)
    payload = payload_of(token)
    assert "aicha" not in json.dumps(payload) and "exemple.fr" not in json.dumps(payload)
    assert set(payload) == {"r", "h"} and len(payload["h"]) == 16
    assert read_token(token) == registration


def test_the_personal_page_opens_with_the_new_link_and_with_one_sent_before(portal, seminar):
    registration, _ = register_person(seminar, person(1), notify=False)
    for token in (token_of(registration), old_form_token(registration)):
        response = portal.get(f"/evenements/inscription/{token}/")
        assert response.status_code == 200, token
        assert registration.nom in response.content.decode()
    assert read_expired_token(old_form_token(registration)) == registration


def test_a_link_stops_working_once_the_address_changed(portal, seminar):
    registration, _ = register_person(seminar, person(1), notify=False)
    new, old = token_of(registration), old_form_token(registration)
    Registration.objects.filter(pk=registration.pk).update(email="autre.adresse@exemple.fr")
    for token in (new, old):
        response = portal.get(f"/evenements/inscription/{token}/")
        assert registration.nom not in response.content.decode(), token
        assert read_expired_token(token) is None
    # A digest of another registration's address does not open this one either.
    other, _ = register_person(seminar, person(2), notify=False)
    forged = signing.dumps(
        {"r": registration.pk, "h": payload_of(token_of(other))["h"]}, salt=SALT, compress=True
    )
    assert registration.nom not in portal.get(f"/evenements/inscription/{forged}/").content.decode()
