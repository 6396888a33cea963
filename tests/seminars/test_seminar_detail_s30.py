"""One event in the API, `GET /api/v1/seminars/{id}/`, and the `Location` of a created event
(session 30).

The event exactly as `GET /api/v1/seminars/` shows it (same serializer, same queryset helper:
seats left, ateliers and `cancelled` agree), to whoever the list shows it: public and
members-only events to anyone (the event page is public too). Unpublished events, events behind a
Wagtail view restriction, and any page that is not an event are a 404 in French for everyone,
never a 403 that would say they exist; invitation-only events too, except for organisers, who
already register people for them through the API without the key (`_seminar_for`). The 201 of
`POST /api/v1/seminars/` carries this URL as `Location`.
"""

import json
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve
from django.utils import timezone
from wagtail.models import PageViewRestriction

from seminars.models import SeminarPage, Visibility
from seminars.services import register_person
from tests.conftest import make_person, member_client
from tests.seminars.conftest import make_index, make_seminar, person
from tests.seminars.test_proceedings import make_proceedings
from tests.union.test_api_schema import generate
from tests.union.test_review_s27_api import check

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Événement introuvable."}


def detail(client: Client, pk: int):
    return client.get(f"/api/v1/seminars/{pk}/")


def listed(client: Client) -> dict[int, dict]:
    response = client.get("/api/v1/seminars/")
    assert response.status_code == 200
    return {event["id"]: event for event in response.json()["results"]}


def test_the_detail_is_the_lists_item_for_the_public_and_organisers(
    portal, staff_api, seminar, bondy
):
    atelier = seminar.ateliers.get(title="Atelier A")
    register_person(seminar, person(1, ateliers=[atelier.pk]))
    register_person(seminar, person(2, ateliers=[atelier.pk]))
    members = make_seminar("Commission seniors", visibility=Visibility.MEMBERS, seats=2)
    register_person(members, person(3))  # Bondy, a member
    for client in (portal, staff_api):
        items = listed(client)
        assert set(items) == {seminar.pk, members.pk}
        for pk, item in items.items():
            response = detail(client, pk)
            assert response.status_code == 200, response.content
            assert response["Content-Type"] == "application/json"
            assert response.json() == item
    event = detail(portal, seminar.pk).json()
    assert (event["seats"], event["seats_left"], event["cancelled"]) == (50, 48, False)
    (a,) = [x for x in event["ateliers"] if x["id"] == atelier.pk]
    assert (a["seats"], a["seats_left"]) == (3, 1)
    # Members-only: marked, and public as on its page and in the list.
    assert detail(portal, members.pk).json()["visibility"] == "members"
    assert detail(portal, members.pk).json()["seats_left"] == 1


def test_what_the_list_does_not_show_is_a_french_404(portal, staff_api, seminar, bondy):
    invitation = make_seminar("Réunion partenaires", visibility=Visibility.INVITATION)
    draft = make_seminar("Brouillon")
    draft.unpublish()
    restricted = make_seminar("Réservé aux connectés")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    proceedings = make_proceedings(seminar)
    not_events = [proceedings.pk, make_index().pk, make_index().get_parent().pk, 99999999]
    for pk in (invitation.pk, draft.pk, restricted.pk, *not_events):
        response = detail(portal, pk)
        assert response.status_code == 404, pk
        assert response["Content-Type"] == "application/json"
        assert response.json() == NOT_FOUND, pk
    # A member's director signed in on the portal is not an organiser.
    director = make_person(bondy, "direction@bondy.test")
    signed_in = Client(HTTP_HOST="localhost")
    signed_in.force_login(director)
    assert detail(signed_in, invitation.pk).json() == NOT_FOUND
    # Organisers: no draft, no restricted page, no page that is not an event either...
    for pk in (draft.pk, restricted.pk, *not_events):
        assert detail(staff_api, pk).json() == NOT_FOUND, pk
    # ... but the invitation-only event they register people for without the key.
    response = detail(staff_api, invitation.pk)
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["visibility"]) == (invitation.pk, "invitation")
    assert "invitation_key" not in response.json()
    # The key only in the .ics link, as everywhere organisers are given it (links.ics_path).
    body = response.json()
    assert invitation.invitation_key in body["ics_url"]
    body.pop("ics_url")
    assert invitation.invitation_key not in json.dumps(body)


def test_a_cancelled_event_reads_cancelled(portal, seminar):
    SeminarPage.objects.filter(pk=seminar.pk).update(
        cancelled_at=timezone.now(), cancellation_message="Reporté au printemps."
    )
    event = detail(portal, seminar.pk).json()
    assert event["cancelled"] is True and event["registration"]["state"] == "closed"
    assert event["cancellation_message"] == "Reporté au printemps."
    assert event == listed(portal)[seminar.pk]


def test_a_created_event_answers_its_url_which_anyone_reads(staff_api, portal):
    make_index()
    body = {
        "title": "Commission solidarités",
        "kind": "commission",
        "start": "2027-03-04T09:30:00+01:00",
        "end": "2027-03-04T12:00:00+01:00",
        "venue": "Maison des associations",
        "seats": 25,
    }
    created = staff_api.post("/api/v1/seminars/", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created["Location"] == f"http://localhost/api/v1/seminars/{pk}/"
    read = portal.get(urlsplit(created["Location"]).path)
    assert read.status_code == 200
    assert read.json() == created.json()
    assert read.json()["title"] == "Commission solidarités"
    # A refused creation has no Location.
    refused = staff_api.post(
        "/api/v1/seminars/", json.dumps({**body, "seats": 0}), content_type="application/json"
    )
    assert refused.status_code == 400 and "Location" not in refused


def test_the_detail_is_read_only(portal, staff_api, seminar):
    assert portal.delete(f"/api/v1/seminars/{seminar.pk}/").status_code in (401, 403)
    assert staff_api.delete(f"/api/v1/seminars/{seminar.pk}/").status_code == 405
    assert SeminarPage.objects.filter(pk=seminar.pk).exists()


def test_the_routes_beside_it_still_resolve():
    """`<int:pk>` matches digits only: report/ and check-in/… keep their views."""
    urlconf = "union.urls_public"
    assert resolve("/api/v1/seminars/", urlconf).url_name == "api-seminars"
    assert resolve("/api/v1/seminars/42/", urlconf).url_name == "api-seminar"
    assert resolve("/api/v1/seminars/report/", urlconf).url_name == "api-seminars-report"
    check_in = resolve("/api/v1/seminars/check-in/abc123", urlconf)
    assert check_in.url_name == "api-seminars-check-in-code"
    registration = resolve("/api/v1/seminars/42/registrations/7/", urlconf)
    assert registration.url_name == "api-seminar-registration"


def test_a_member_host_has_no_detail_route(bondy, seminar):
    """The member host's API lists the upcoming events with its own people (MemberSeminarList)
    and creates none: no URL for one event there, an unknown API address."""
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    assert client.get("/api/v1/seminars/").status_code == 200
    response = client.get(f"/api/v1/seminars/{seminar.pk}/")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Adresse inconnue de l'API")


def test_the_schema_declares_the_read_and_the_location(tmp_path, portal, seminar):
    paths = generate("union.urls_public", tmp_path)["paths"]
    # The answer as a client generated from the schema reads it.
    check("union.urls_public", "/api/v1/seminars/{id}/", "get", detail(portal, seminar.pk))
    one = paths["/api/v1/seminars/{id}/"]
    assert set(one) == {"get", "parameters"} or set(one) == {"get"}
    assert {"200", "404"} <= set(one["get"]["responses"])
    created = paths["/api/v1/seminars/"]["post"]["responses"]
    assert set(created["201"]["headers"]) == {"Location"}
