"""201 Created answers `Location` where the created thing has a URL of its own in the API, on the
host the request came to (session 30).

A registration for an event on the portal has one: the organisers'
`/api/v1/seminars/{id}/registrations/{registration_id}/`, which reads it (GET) and corrects it
(PATCH). So has an event (`POST /api/v1/seminars/` → `/api/v1/seminars/{id}/`: tests in
tests/seminars/test_seminar_detail_s30.py). A board member and the imports (activity, ABS
values, registrations) have no URL of their own: no `Location`. On a member host, a registration
made by the member has no URL of its own there either (the portal's is the organisers'): no
`Location`, and above all none pointing to another host."""

from urllib.parse import urlsplit

import pytest

from tests.conftest import make_person, member_client
from tests.seminars.conftest import make_seminar
from tests.seminars.test_api import post_json, registration_body
from tests.union.test_api_schema import generate

pytestmark = pytest.mark.django_db


def test_a_registration_answers_its_own_url_which_organisers_read(portal, staff_api):
    seminar = make_seminar()
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    created = post_json(portal, url, registration_body())
    assert created.status_code == 201, created.content
    registration_id = created.json()["id"]
    location = created["Location"]
    assert location == f"http://localhost{url}{registration_id}/"

    path = urlsplit(location).path
    read = staff_api.get(path)
    assert read.status_code == 200, read.content
    assert (read.json()["id"], read.json()["nom"], read.json()["email"]) == (
        registration_id,
        "Durand",
        "aicha@exemple.fr",
    )
    assert read.json()["status"] == "confirmed"
    # Organisers only, as the list of the event's registrations.
    assert portal.get(path).status_code in (401, 403)
    # Another event's URL for that registration is not it.
    other = make_seminar("Autre événement")
    elsewhere = f"/api/v1/seminars/{other.pk}/registrations/{registration_id}/"
    assert staff_api.get(elsewhere).status_code == 404


def test_the_same_address_registering_again_is_an_update_without_location(portal):
    seminar = make_seminar()
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    assert post_json(portal, url, registration_body()).status_code == 201
    again = post_json(portal, url, registration_body(commune="Pantin"))
    assert again.status_code == 200
    assert "Location" not in again


def test_a_members_registration_has_no_url_of_its_own_on_its_host(two_members):
    """Bondy and Montreuil (their primary keys collide): neither answers a Location, so none
    points to the portal's organisers' URL nor to the other member's host."""
    seminar = make_seminar("Atelier début de mandat")
    for number, member in enumerate(two_members):
        director = make_person(member, f"direction{number}@{member.schema_name}.test")
        client = member_client(member, director)
        response = post_json(
            client,
            f"/api/v1/seminars/{seminar.pk}/registrations/",
            {"nom": f"Durand{number}", "prenom": "Lucie", "fonction": "conseiller_municipal"},
        )
        assert response.status_code == 201, response.content
        assert "Location" not in response


def test_the_schema_declares_the_header_and_the_read(tmp_path):
    schema = generate("union.urls_public", tmp_path)
    paths = schema["paths"]
    created = paths["/api/v1/seminars/{id}/registrations/"]["post"]["responses"]
    assert set(created["201"]["headers"]) == {"Location"}
    assert "headers" not in created["200"]  # an update: no Location
    detail = paths["/api/v1/seminars/{id}/registrations/{registration_id}/"]
    assert set(detail) >= {"get", "patch"}
    assert "200" in detail["get"]["responses"]
