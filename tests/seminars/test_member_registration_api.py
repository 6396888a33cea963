"""The member host's API of seminars: the upcoming events with the people of the member's commune,
and a member CCAS registering someone, under the rules of its web page."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from seminars.models import Registration, Visibility
from seminars.services import register_person
from tests.conftest import PASSWORD, host_client, make_person, member_client
from tests.seminars.conftest import make_seminar, person
from union.models import AuditEntry

pytestmark = pytest.mark.django_db

NOT_OPEN = "Les inscriptions ne sont pas ouvertes pour cet événement."


def post_json(client: Client, url: str, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def body(**fields) -> dict:
    """What a member's software sends for an elected official of its commune (no commune: the
    member's own)."""
    return {"nom": "Durand", "prenom": "Lucie", "fonction": "conseiller_municipal", **fields}


def registrations_url(seminar) -> str:
    return f"/api/v1/seminars/{seminar.pk}/registrations/"


def listed(client: Client) -> dict[int, dict]:
    response = client.get("/api/v1/seminars/")
    assert response.status_code == 200, response.content
    return {event["id"]: event for event in response.json()["results"]}


def token_headers(member, email: str) -> dict:
    """A token obtained on the member host, as an API client does."""
    response = host_client(member.domain_name).post(
        "/api/v1/auth/token/", {"username": email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Token {response.json()['token']}"}


def test_a_director_registers_someone_whom_only_their_member_sees(two_members):
    bondy, montreuil = two_members
    seminar = make_seminar("Atelier début de mandat", ateliers=(("Budget", 1, 2, 10),))
    atelier = seminar.ateliers.get()
    director = make_person(bondy, "direction@bondy.test")
    client = member_client(bondy, director)

    response = post_json(client, registrations_url(seminar), body(ateliers=[atelier.pk]))
    assert response.status_code == 201, response.content
    registration = Registration.objects.get(seminar=seminar)
    assert response.json() == {
        "id": registration.pk,
        "status": "confirmed",
        "created": True,
        "commune_status": "matched",
        "ateliers": [atelier.pk],
        "ateliers_waiting": [],
    }
    assert (registration.source, registration.commune_id, registration.email) == (
        Registration.Source.MEMBER,
        "93010",  # the member's commune, by default
        "",
    )
    assert registration.registered_by == bondy
    assert list(registration.ateliers.all()) == [atelier] and not registration.consent
    assert mail.outbox == []  # no address, no e-mail
    assert AuditEntry.objects.get(action="seminar.registration.added").actor == director

    register_person(seminar, person(2, commune="93048", nom="Mercier"))  # someone of Montreuil
    event = listed(client)[seminar.pk]
    assert event["registration"]["state"] == "open"
    assert (event["title"], event["kind"], event["seats_left"]) == (
        "Atelier début de mandat",
        "seminaire",
        48,
    )
    assert event["url"].endswith("/evenements/atelier-debut-de-mandat/")
    assert [(a["id"], a["title"], a["seats_left"]) for a in event["ateliers"]] == [
        (atelier.pk, "Budget", 9)
    ]
    assert event["registrations"] == [
        {
            "id": registration.pk,
            "nom": "Durand",
            "prenom": "Lucie",
            "commune": {"code": "93010", "nom": "Bondy"},
            "fonction": "conseiller_municipal",
            "fonction_text": "",
            "status": "confirmed",
            "ateliers": [atelier.pk],
            "registered_by_member": True,
        }
    ]

    # Montreuil (its schema's primary keys collide with Bondy's) sees the event, not Bondy's people.
    other = member_client(montreuil, make_person(montreuil, "direction@montreuil.test"))
    response = other.get("/api/v1/seminars/")
    assert "Durand" not in response.content.decode()
    theirs = listed(other)[seminar.pk]["registrations"]
    assert [(r["nom"], r["status"], r["registered_by_member"]) for r in theirs] == [
        ("Mercier", "confirmed", False)
    ]


def test_an_agent_with_a_token_registers_someone_who_gets_the_confirmation(
    bondy, django_capture_on_commit_callbacks
):
    seminar = make_seminar("Séminaire ABS")
    make_person(bondy, "agent@bondy.test", "agent")
    headers = token_headers(bondy, "agent@bondy.test")
    api = host_client(bondy.domain_name)  # no session: the token alone
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(
            api,
            registrations_url(seminar),
            body(email="Lucie.Durand@exemple.fr", fonction="Adjointe au maire", commune="Bondy"),
            **headers,
        )
    assert response.status_code == 201, response.content
    (message,) = mail.outbox
    assert message.to == ["lucie.durand@exemple.fr"]
    assert "L'équipe du CCAS de Bondy vous a inscrit(e) ;" in message.body
    registration = Registration.objects.get(pk=response.json()["id"])
    # A typed fonction is mapped to its code and kept as typed, as the public API does.
    assert (registration.fonction, registration.fonction_text) == (
        "maire_adjoint",
        "Adjointe au maire",
    )
    assert AuditEntry.objects.get(action="seminar.registration.added").actor.email == (
        "agent@bondy.test"
    )

    # The same e-mail again updates that registration: 200, as the public API.
    again = post_json(
        api, registrations_url(seminar), body(email="lucie.durand@exemple.fr"), **headers
    )
    assert again.status_code == 200, again.content
    assert (again.json()["id"], again.json()["created"]) == (registration.pk, False)
    assert Registration.objects.get().fonction == "conseiller_municipal"


def test_who_may_read_and_who_may_register(two_members):
    bondy, montreuil = two_members
    seminar = make_seminar("Séminaire ABS")
    url = registrations_url(seminar)

    viewer = member_client(bondy, make_person(bondy, "lecture@bondy.test", "viewer"))
    assert seminar.pk in listed(viewer)  # any role reads
    refused = post_json(viewer, url, body())
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Réservé aux personnes habilitées de ce CCAS."

    anonymous = host_client(bondy.domain_name)
    assert anonymous.get("/api/v1/seminars/").status_code in (401, 403)
    assert post_json(anonymous, url, body()).status_code in (401, 403)

    # Montreuil's director on Bondy's host, with a session or a token: not theirs.
    make_person(montreuil, "direction@montreuil.test")
    stranger = token_headers(montreuil, "direction@montreuil.test")
    assert anonymous.get("/api/v1/seminars/", **stranger).status_code == 403
    assert post_json(anonymous, url, body(), **stranger).status_code == 403
    assert not Registration.objects.exists()


def test_invitation_only_past_and_unknown_events_are_not_found(bondy):
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    private = make_seminar("Commission sur invitation", visibility=Visibility.INVITATION)
    past = make_seminar("Séminaire passé", days_ahead=-30)
    members_only = make_seminar("Réunion des membres", visibility=Visibility.MEMBERS)
    events = listed(client)
    assert members_only.pk in events
    assert private.pk not in events and past.pk not in events
    for pk in (private.pk, past.pk, members_only.pk + 1000):
        response = post_json(client, f"/api/v1/seminars/{pk}/registrations/", body())
        assert response.status_code == 404, pk
        assert response.json() == {"detail": "Événement introuvable."}
    assert not Registration.objects.exists()


def test_closed_or_not_yet_open_registration_is_refused_in_french(bondy):
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    closed = make_seminar("Journée close", registration_closes=timezone.now())
    later = make_seminar("Journée à venir", registration_opens=timezone.now() + timedelta(days=2))
    events = listed(client)
    assert events[closed.pk]["registration"]["state"] == "closed"
    assert events[later.pk]["registration"]["state"] == "not_yet"
    for seminar in (closed, later):
        response = post_json(client, registrations_url(seminar), body())
        assert response.status_code == 400
        assert response.json() == {"non_field_errors": [NOT_OPEN]}
    assert not Registration.objects.exists()


def test_a_bad_body_gets_french_field_errors_and_saves_nothing(bondy):
    seminar = make_seminar(
        "Séminaire ABS", ateliers=(("Budget", 1, 2, 10), ("Tarifs", 1, 2, 10), ("Bilan", 4, 1, 5))
    )
    budget, tarifs, _bilan = seminar.ateliers.order_by("sort_order")
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    url = registrations_url(seminar)

    response = post_json(client, url, {"prenom": "Lucie", "fonction": "autre"})
    assert response.status_code == 400
    errors = response.json()
    assert errors["nom"] == ["Champ requis."]
    assert errors["fonction_text"] == ["À écrire, puisque la fonction choisie est « Autre »."]

    response = post_json(client, url, body(fonction="", email="pas-une-adresse"))
    assert response.status_code == 400
    assert set(response.json()) == {"fonction", "email"}
    assert response.json()["fonction"] == ["Champ requis."]

    response = post_json(client, url, body(ateliers=[budget.pk, tarifs.pk]))
    assert response.status_code == 400
    assert response.json() == {
        "ateliers": [
            "Les ateliers « Budget » et « Tarifs » ont lieu en même temps : choisissez-en un seul."
        ]
    }

    response = post_json(client, url, ["Durand", "Lucie"])
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Envoyez un objet JSON."]}
    assert not Registration.objects.exists()
    assert not AuditEntry.objects.filter(action="seminar.registration.added").exists()


def test_a_full_event_puts_them_on_the_waiting_list(bondy):
    seminar = make_seminar("Petite commission", seats=1)
    register_person(seminar, person(1))
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    response = post_json(client, registrations_url(seminar), body())
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "waitlisted"
    assert Registration.objects.get(nom="Durand").status == Registration.Status.WAITLISTED
    event = listed(client)[seminar.pk]
    assert event["seats_left"] == 0
    assert [(r["nom"], r["status"]) for r in event["registrations"]] == [
        ("Durand", "waitlisted"),
        ("Nom1", "confirmed"),
    ]


def test_an_unknown_commune_is_kept_as_typed_and_flagged(bondy):
    seminar = make_seminar("Séminaire ABS")
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    response = post_json(client, registrations_url(seminar), body(commune="Aubervillier"))
    assert response.status_code == 201, response.content
    assert response.json()["commune_status"] == "flagged"
    registration = Registration.objects.get()
    assert (registration.commune_id, registration.commune_typed, registration.commune_status) == (
        None,
        "Aubervillier",
        Registration.CommuneStatus.FLAGGED,
    )


def test_the_member_hosts_schema_describes_both_endpoints(bondy):
    schema = host_client(bondy.domain_name).get("/api/schema/?format=json").json()
    listing = schema["paths"]["/api/v1/seminars/"]["get"]
    page = listing["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    components = schema["components"]["schemas"]
    results = components[page.rsplit("/", 1)[1]]["properties"]["results"]["items"]["$ref"]
    event = components[results.rsplit("/", 1)[1]]["properties"]
    assert {"id", "title", "kind", "registration", "seats_left", "ateliers", "url"} <= set(event)
    registrant = components[event["registrations"]["items"]["$ref"].rsplit("/", 1)[1]]
    assert set(registrant["properties"]) == {
        "id",
        "nom",
        "prenom",
        "commune",
        "fonction",
        "fonction_text",
        "status",
        "ateliers",
        "registered_by_member",
    }
    register = schema["paths"]["/api/v1/seminars/{id}/registrations/"]["post"]
    assert {"201", "200", "400", "403", "404"} <= set(register["responses"])
    body = register["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    incoming = components[body.rsplit("/", 1)[1]]
    assert "consent" not in incoming["properties"]
    assert set(incoming["required"]) == {"nom", "prenom", "fonction"}
