"""The registration API checks each value's JSON type before the form: a list or an object was
stored as its Python text (« ['Liste', 'X'] » printed on the attendance sheets), a consent
« peut-être » read as a refusal, and an object of ateliers answered with its Python text. The
staff's event creation refuses numbers and lists as text too."""

import json

import pytest

from seminars.models import Registration, SeminarPage
from tests.conftest import make_person, member_client
from tests.seminars.conftest import make_index

pytestmark = pytest.mark.django_db

TEXT = ["Texte attendu."]
BOOLEAN = ["Booléen attendu : true ou false."]
ATELIERS = ["Liste d'identifiants d'ateliers attendue, par exemple [3, 4]."]


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def url(seminar) -> str:
    return f"/api/v1/seminars/{seminar.pk}/registrations/"


def body(**overrides) -> dict:
    return {
        "nom": "Durand",
        "prenom": "Aïcha",
        "email": "aicha@exemple.fr",
        "commune": "93053",
        "fonction": "maire_adjoint",
        "consent": True,
        **overrides,
    }


def test_the_reviewers_body_is_refused_field_by_field_and_nothing_is_saved(portal, seminar):
    response = post_json(
        portal,
        url(seminar),
        body(
            nom=["Liste", "X"],
            prenom={"a": 1},
            needs={"x": True},
            ateliers="3",
            consent="yes",
        ),
    )
    assert response.status_code == 400, response.content
    assert response.json() == {
        "nom": TEXT,
        "prenom": TEXT,
        "needs": TEXT,
        "ateliers": ATELIERS,
        "consent": BOOLEAN,
    }
    assert not Registration.objects.exists()


@pytest.mark.parametrize("name", ["nom", "prenom", "email", "fonction", "fonction_text", "needs"])
@pytest.mark.parametrize("value", [["Liste", "X"], {"a": 1}, 12, 1.5, True])
def test_a_text_field_must_be_a_string(portal, seminar, name, value):
    response = post_json(portal, url(seminar), body(**{name: value}))
    assert response.status_code == 400
    assert response.json() == {name: TEXT}
    assert not Registration.objects.exists()


def test_an_insee_code_sent_as_a_number_is_refused_rather_than_guessed(portal, seminar):
    """01001 as a JSON number is 1001: the code's text is what identifies the commune."""
    response = post_json(portal, url(seminar), body(commune=93053))
    assert response.status_code == 400 and response.json() == {"commune": TEXT}


@pytest.mark.parametrize("consent", ["peut-être", 2, 1, "yes", "true", [], {"x": 1}])
def test_consent_must_be_a_json_boolean(portal, seminar, consent):
    response = post_json(portal, url(seminar), body(consent=consent))
    assert response.status_code == 400
    assert response.json() == {"consent": BOOLEAN}
    assert not Registration.objects.exists()


@pytest.mark.parametrize("ateliers", [{"id": 3}, "3", 3, ["3"], [True], [3.5], [[3]], [None]])
def test_ateliers_must_be_a_list_of_integers(portal, seminar, ateliers):
    response = post_json(portal, url(seminar), body(ateliers=ateliers))
    assert response.status_code == 400
    assert response.json() == {"ateliers": ATELIERS}
    assert not Registration.objects.exists()


def test_well_typed_bodies_register_as_before(portal, seminar):
    c = seminar.ateliers.get(title="Atelier C")
    given = post_json(portal, url(seminar), body(ateliers=[c.pk], needs="Rampe d'accès"))
    assert given.status_code == 201, given.content
    registration = Registration.objects.get(pk=given.json()["id"])
    assert (registration.consent, registration.needs) == (True, "Rampe d'accès")
    assert list(registration.ateliers.all()) == [c]

    # false, and null for what may be left out, are read as their JSON meaning.
    refused = post_json(
        portal,
        url(seminar),
        body(email="autre@exemple.fr", consent=False, needs=None, ateliers=None),
    )
    assert refused.status_code == 201, refused.content
    registration = Registration.objects.get(pk=refused.json()["id"])
    assert (registration.consent, registration.needs) == (False, "")

    # A required text sent as null is missing, as the form says.
    missing = post_json(portal, url(seminar), body(email="trois@exemple.fr", nom=None))
    assert missing.status_code == 400 and missing.json() == {"nom": ["Champ requis."]}


@pytest.mark.parametrize(
    ("consent", "stored"), [("on", True), ("true", True), ("oui", True), ("false", False)]
)
def test_a_form_encoded_body_keeps_its_checkbox_words(portal, seminar, consent, stored):
    c = seminar.ateliers.get(title="Atelier C")
    response = portal.post(url(seminar), {**body(), "consent": consent, "ateliers": [c.pk]})
    assert response.status_code == 201, response.content
    registration = Registration.objects.get(pk=response.json()["id"])
    assert registration.consent is stored
    assert list(registration.ateliers.all()) == [c]


def test_a_form_encoded_body_is_refused_words_it_does_not_know(portal, seminar):
    response = portal.post(url(seminar), {**body(), "consent": "peut-être", "ateliers": ["abc"]})
    assert response.status_code == 400
    assert response.json() == {"consent": BOOLEAN, "ateliers": ATELIERS}
    assert not Registration.objects.exists()


def test_the_member_host_api_checks_the_types_too(bondy, seminar):
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    response = post_json(
        client,
        url(seminar),
        {"nom": ["Liste", "X"], "prenom": "Lucie", "fonction": "maire", "ateliers": {"id": 1}},
    )
    assert response.status_code == 400
    assert response.json() == {"nom": TEXT, "ateliers": ATELIERS}
    assert not Registration.objects.exists()


# The staff's creation of an event --------------------------------------------------------------


def event_body(**overrides) -> dict:
    return {
        "title": "Journée des élus",
        "kind": "seminaire",
        "start": "2030-03-10T09:00:00+01:00",
        "end": "2030-03-10T17:00:00+01:00",
        "venue": "Salle des fêtes",
        "seats": 40,
        **overrides,
    }


def test_event_creation_refuses_numbers_and_lists_as_text(staff_api):
    make_index()
    before = SeminarPage.objects.count()
    response = post_json(
        staff_api, "/api/v1/seminars/", event_body(title=2030, venue={"nom": "Salle"})
    )
    assert response.status_code == 400, response.content
    assert response.json() == {"title": TEXT, "venue": TEXT}

    kind = post_json(staff_api, "/api/v1/seminars/", event_body(kind=["seminaire"]))
    assert kind.status_code == 400
    (message,) = kind.json()["kind"]
    assert message.startswith("Texte attendu. Codes possibles : seminaire, ")
    assert "[" not in message  # no Python text of the list
    assert SeminarPage.objects.count() == before

    created = post_json(staff_api, "/api/v1/seminars/", event_body())
    assert created.status_code == 201, created.content
