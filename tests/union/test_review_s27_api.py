"""Session 27 review of the API as an integrator: real answers checked against the published
OpenAPI schema of their host, and the defects found on the way."""

import copy
from functools import cache

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.conftest import host_client, make_person, member_client, run_committed


@cache
def openapi(urlconf: str) -> dict:
    """The schema `/api/schema/` serves on that kind of host, generated in-process on its own
    connection: generating the member host's on the public schema runs a query that fails (and
    is caught), which would abort the test's transaction."""
    return run_committed(
        lambda: SchemaGenerator(urlconf=urlconf).get_schema(request=None, public=True)
    )


def _json_schema(node):
    """OpenAPI 3.0's dialect as JSON Schema, for a response: `nullable: true` becomes a null
    alternative, and a write-only property (a token request's password) is not required."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    properties = node.get("properties")
    if isinstance(properties, dict) and "required" in node:
        written = {name for name, prop in properties.items() if prop.get("writeOnly")}
        node["required"] = [name for name in node["required"] if name not in written]
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def response_schema(urlconf: str, path: str, method: str, status: int) -> dict:
    schema = openapi(urlconf)
    operation = schema["paths"][path][method.lower()]
    response = operation["responses"][str(status)]
    media = response["content"]["application/json"]["schema"]
    return {
        **_json_schema(copy.deepcopy(media)),
        "components": _json_schema(copy.deepcopy(schema["components"])),
    }


def check(urlconf: str, path: str, method: str, response) -> None:
    """The response's body matches what the schema says of that path, method and status."""
    schema = response_schema(urlconf, path, method, response.status_code)
    jsonschema.validate(
        response.json(), schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


# --- Schema vs answers ----------------------------------------------------------------------


@pytest.mark.django_db
def test_answers_of_both_hosts_match_their_schema(portal, bondy):
    """A client generated from the schema reads the real answers: each matches what the schema
    of its host says of that path, method and status (types, nullability, enums, formats)."""
    director = make_person(bondy, "direction@bondy.test")
    member = member_client(bondy, director)
    for path in ("/api/v1/members/", "/api/v1/indicators/", "/api/v1/seminars/"):
        check("union.urls_public", path, "get", portal.get(path))
    for path in ("/api/v1/documents/", "/api/v1/profile/", "/api/v1/seminars/"):
        check("union.urls_member", path, "get", member.get(path))
    check(
        "union.urls_public",
        "/api/v1/indicators/{code}/",
        "get",
        portal.get("/api/v1/indicators/tp60/"),
    )


# --- Defect 1: ?format= and Accept ----------------------------------------------------------


@pytest.mark.django_db
def test_unknown_format_parameter_is_a_french_400_not_a_404(portal, bondy):
    """`?format=xml` answered 404 « Non trouvé. »: the integrator reads that the endpoint does
    not exist. It is a parameter the API cannot honour: a 400 that says which format it speaks,
    as the export endpoint's `?format=` does."""
    response = portal.get("/api/v1/members/?format=xml")
    assert response.status_code == 400
    assert response.json() == {
        "format": [
            "Format inconnu \u00ab\u00a0xml\u00a0\u00bb\u00a0: l'API répond en JSON (format=json, "
            "ou sans ce paramètre)."
        ]
    }
    member = host_client(bondy.domain_name).get("/api/v1/indicators/?format=csv")
    assert member.status_code == 400 and "\u00ab\u00a0csv\u00a0\u00bb" in member.json()["format"][0]
    # The known ones still work, and a view's own 404 is untouched.
    assert portal.get("/api/v1/members/?format=json").status_code == 200
    assert portal.get("/api/v1/indicators/XYZ/?format=json").json() == {
        "detail": "Indicateur introuvable."
    }


@pytest.mark.django_db
def test_unsatisfiable_accept_header_is_a_correct_french_406(portal):
    """DRF's translation reads « L'en-tête « Accept » n'a pas pu être satisfaite. » (en-tête is
    masculine) and does not say what the API can give."""
    response = portal.get("/api/v1/members/", HTTP_ACCEPT="text/csv")
    assert response.status_code == 406
    assert response.json() == {
        "detail": "Aucun format demandé par l'en-tête \u00ab\u00a0Accept\u00a0\u00bb n'est "
        "disponible\u00a0: l'API répond en JSON (application/json)."
    }


# --- Defect 2: the registration window's dates in UTC -----------------------------------------


@pytest.mark.django_db
def test_registration_window_dates_are_in_paris_time_like_the_other_dates(portal, bondy):
    """`registration.closes` and `opens` came out in UTC (« 2027-03-27T23:30:00Z ») beside
    `start` and `end` in Paris time (« 2027-03-28T00:30:00+01:00 »): a client that shows the
    date part announced the close of registrations on the day before the event."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from tests.seminars.conftest import make_seminar

    seminar = make_seminar("Nuit de l'action sociale", days_ahead=200, hours=2)
    paris = ZoneInfo("Europe/Paris")
    seminar.start = datetime(2027, 3, 28, 0, 30, tzinfo=paris)  # the night of the DST change
    seminar.end = seminar.start + timedelta(hours=2)
    seminar.registration_opens = datetime(2027, 1, 4, 0, 15, tzinfo=paris)
    seminar.save_revision().publish()
    response = portal.get("/api/v1/seminars/")
    (event,) = [e for e in response.json()["results"] if e["id"] == seminar.pk]
    assert event["start"] == "2027-03-28T00:30:00+01:00"
    assert event["registration"]["closes"] == event["start"]
    assert event["registration"]["opens"] == "2027-01-04T00:15:00+01:00"
    check("union.urls_public", "/api/v1/seminars/", "get", response)
    member = member_client(bondy, make_person(bondy, "agent@bondy.test", "agent"))
    (seen,) = [
        e for e in member.get("/api/v1/seminars/").json()["results"] if e["id"] == seminar.pk
    ]
    assert seen["registration"]["closes"] == "2027-03-28T00:30:00+01:00"


@pytest.mark.django_db
def test_a_browser_gets_json_not_drfs_english_browsable_page(portal):
    """Session 27 (lead, from H1's proposal): a browser's Accept header, or ?format=api, served
    DRF's browsable page (« Member List – Django REST framework »)."""
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = portal.get("/api/v1/members/", HTTP_ACCEPT=browser)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    response = portal.get("/api/v1/members/", {"format": "api"})
    assert response.status_code == 400
    assert "Format inconnu" in response.json()["format"][0]
