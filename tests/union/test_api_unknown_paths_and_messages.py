"""Any path under /api/ that no route knows answers a JSON 404 for every method, on the portal and
on member hosts (a POST got Wagtail's HTML page « La vérification CSRF a échoué »), and the API's
messages never name a Python class or type (« Aucun objet Indicator… », « a reçu list »)."""

import json

import pytest
from django.http import Http404
from django.test import Client
from rest_framework import exceptions

from tests.seminars.conftest import make_seminar
from union.api_errors import french_exception_handler
from union.views import API_NOT_FOUND

pytestmark = pytest.mark.django_db


def csrf_checking(host: str) -> Client:
    """A client that, like a browser or curl, gets no CSRF exemption from the test client."""
    return Client(HTTP_HOST=host, enforce_csrf_checks=True)


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize(
    "path", ["/api/v1/seminars/abc/registrations/", "/api/v1/zzz/", "/api/zzz", "/api/"]
)
def test_an_unknown_api_path_is_a_json_404_whatever_the_method(method, path):
    client = csrf_checking("localhost")
    if method == "get":
        response = client.get(path)
    else:
        response = getattr(client, method)(path, "{}", content_type="application/json")
    assert response.status_code == 404, (method, path, response.content[:200])
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": API_NOT_FOUND}


@pytest.mark.parametrize("method", ["post", "delete"])
def test_an_unknown_api_path_on_a_member_host_is_a_json_404(bondy, method):
    response = getattr(csrf_checking(bondy.domain_name), method)(
        "/api/v1/zzz/", "{}", content_type="application/json"
    )
    assert response.status_code == 404 and response.json() == {"detail": API_NOT_FOUND}


def test_the_real_routes_still_answer_with_csrf_checks(seminar_with_seats):
    client = csrf_checking("localhost")
    response = client.post(
        f"/api/v1/seminars/{seminar_with_seats.pk}/registrations/",
        json.dumps(
            {
                "nom": "Durand",
                "prenom": "Aïcha",
                "email": "aicha@exemple.fr",
                "commune": "93053",
                "fonction": "maire",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert client.get("/api/v1/seminars/").status_code == 200
    assert client.get("/api/schema/").status_code == 200


def test_a_missing_final_slash_is_still_redirected_for_a_get(seminar_with_seats):
    client = csrf_checking("localhost")
    response = client.get("/api/v1/seminars?upcoming=1")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/seminars/?upcoming=1"
    # A POST cannot follow a redirect with its body: its 404 names the address to use.
    posted = client.post(
        f"/api/v1/seminars/{seminar_with_seats.pk}/registrations",
        "{}",
        content_type="application/json",
    )
    assert posted.status_code == 404
    assert posted.json() == {
        "detail": "Adresse inconnue de l'API : voulez-vous dire "
        f"/api/v1/seminars/{seminar_with_seats.pk}/registrations/ ?"
    }


@pytest.fixture
def seminar_with_seats(db):
    return make_seminar(ateliers=(("Atelier A", 1, 2, 3),))


# Messages that named a class or a type ---------------------------------------------------------


def test_a_generic_404_names_the_thing_in_french(portal):
    response = portal.get("/api/v1/indicators/ZZZ/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Indicateur introuvable."}


def test_the_token_endpoint_asks_for_an_object(portal):
    response = portal.post("/api/v1/auth/token/", "[]", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Envoyez un objet JSON."]}


def test_the_handler_rewrites_only_the_generic_messages():
    def detail(exc):
        return french_exception_handler(exc, {}).data

    generic = "Aucun objet {} ne correspond à cette requête."
    assert detail(Http404(generic.format("Atelier"))) == {"detail": "Atelier introuvable."}
    assert detail(Http404(generic.format("Registration"))) == {"detail": "Inscription introuvable."}
    # Every model has a French name (tests/union/test_french_plurals_s23.py), this one since s23.
    assert detail(Http404(generic.format("HandoverLink"))) == {
        "detail": "Lien de passage vers un espace membre introuvable."
    }
    assert detail(Http404(generic.format("PasUnModele"))) == {"detail": "Introuvable."}
    assert detail(Http404("No Atelier matches the given query.")) == {
        "detail": "Atelier introuvable."
    }
    # The views' own messages stay as they are.
    assert detail(Http404("Événement introuvable.")) == {"detail": "Événement introuvable."}
    assert detail(exceptions.NotFound()) == {"detail": exceptions.NotFound.default_detail}

    nested = exceptions.ValidationError(
        {
            "non_field_errors": ["Donnée non valide. Attendait un dictionnaire, a reçu list."],
            "ateliers": ["Attendait une liste d'éléments mais a reçu «\xa0dict\xa0»."],
            "nom": ["Ce champ est obligatoire."],
        }
    )
    assert detail(nested) == {
        "non_field_errors": ["Envoyez un objet JSON."],
        "ateliers": ["Envoyez une liste JSON."],
        "nom": ["Ce champ est obligatoire."],
    }


def test_the_attendance_export_refuses_an_unknown_format_with_a_400(staff_api):
    seminar = make_seminar(ateliers=(("Atelier A", 1, 2, 3),))
    staff = staff_api
    export = f"/api/v1/seminars/{seminar.pk}/registrations/export"

    response = staff.get(export, {"format": "zzz"})
    assert response.status_code == 400
    assert response.json() == {"format": ["Format inconnu « zzz » : csv, xlsx ou pdf."]}

    atelier = staff.get(export, {"format": "csv", "atelier": "999999"})
    assert atelier.status_code == 404
    message = atelier.json()["detail"]
    assert "atelier" in message.lower() and "Aucun objet" not in message

    assert staff.get(export, {"format": "csv"}).status_code == 200
