"""The API keeps its contract with its clients (audit A15 #5 to #9): the CSRF refusal is in
French and says what to send; the observations' selections name no Python type; the schema
offers the anonymous alternative on the public operations, documents the errors each operation
answers with a French error body, and gives a séance's `time` the format the API writes."""

import re
from datetime import date, time

import jsonschema
import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tenants.models import Membership
from tenants.workspace.models import BoardMeeting
from tests.conftest import make_person, member_client
from tests.union.test_api_schema import generate

PORTAL, MEMBER = "union.urls_public", "union.urls_member"


@pytest.fixture(scope="module")
def schemas(tmp_path_factory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("schemas")
    return {urlconf: generate(urlconf, folder) for urlconf in (PORTAL, MEMBER)}


def nullable_as_json_schema(node):
    """OpenAPI 3.0's `nullable: true` as JSON Schema's `null` type, for jsonschema."""
    if isinstance(node, list):
        return [nullable_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: nullable_as_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


def check(data, schema: dict, operation: dict, status: str) -> None:
    """`data` is what `operation`'s schema says a `status` answer holds."""
    body = operation["responses"][status]["content"]["application/json"]["schema"]
    document = nullable_as_json_schema({**body, "components": schema["components"]})
    jsonschema.validate(data, document)


# --- #5 The CSRF refusal -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_session_write_without_the_csrf_token_is_refused_in_french(bondy):
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    client = Client(HTTP_HOST=bondy.domain_name, enforce_csrf_checks=True)
    client.force_login(agent)
    response = client.put("/api/v1/profile/", {"phone": "01"}, content_type="application/json")
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "CSRF Failed" not in detail and "missing" not in detail
    assert "X-CSRFToken" in detail and "Authorization: Token" in detail
    assert detail.startswith("Requête refusée par la protection CSRF")


# --- #6 Selections of observations -------------------------------------------------------------


@pytest.mark.django_db
def test_a_selection_that_is_not_an_object_names_no_python_type(bondy):
    director = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    for action in ("validate", "publish", "retract"):
        response = director.post(
            f"/api/v1/observations/{action}", [], content_type="application/json"
        )
        assert response.status_code == 400
        assert response.json() == {"errors": {"non_field_errors": ["Envoyez un objet JSON."]}}
    response = director.post(
        "/api/v1/observations/validate", {"indicators": "TP60"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"errors": {"indicators": ["Envoyez une liste JSON."]}}


# --- #7 Public operations in the schema --------------------------------------------------------


def test_public_operations_offer_the_anonymous_alternative(schemas):
    portal = schemas[PORTAL]["paths"]
    for path, method in (
        ("/api/v1/auth/token/", "post"),
        ("/api/v1/seminars/", "get"),
        ("/api/v1/seminars/{id}/", "get"),
        ("/api/v1/seminars/{id}/registrations/", "post"),
    ):
        security = portal[path][method]["security"]
        assert {} in security and {"tokenAuth": []} in security, (path, method)
    # The organisers' operations on the same paths, and the member host's own, still need one.
    assert {} not in portal["/api/v1/seminars/"]["post"]["security"]
    assert {} not in portal["/api/v1/seminars/{id}/registrations/"]["get"]["security"]
    member = schemas[MEMBER]["paths"]
    assert {} in member["/api/v1/auth/token/"]["post"]["security"]
    assert {} not in member["/api/v1/seminars/"]["get"]["security"]
    assert {} not in member["/api/v1/seminars/{id}/registrations/"]["post"]["security"]


# --- #8 Error statuses in the schema -----------------------------------------------------------


def test_each_operation_documents_its_errors_with_a_french_body(schemas):
    for schema in schemas.values():
        for path, item in schema["paths"].items():
            for method, operation in item.items():
                responses = operation["responses"]
                assert "400" in responses, (path, method)
                if {} not in operation["security"]:
                    assert {"401", "403"} <= set(responses), (path, method)
                if "{" in path:
                    assert "404" in responses, (path, method)
                for status, response in responses.items():
                    if status.startswith("4"):
                        assert response["content"]["application/json"]["schema"], (path, status)
    member = schemas[MEMBER]
    for path in ("/api/v1/activity/import", "/api/v1/observations/import"):
        bad = member["paths"][path]["post"]["responses"]["400"]
        assert bad["content"]["application/json"]["schema"]["$ref"].endswith("/ImportErrors")
    for path in ("/api/v1/activity/", "/api/v1/board/members/", "/api/v1/board/compliance/"):
        assert "404" in member["paths"][path]["get"]["responses"], path
    assert "401" not in schemas[PORTAL]["paths"]["/api/v1/members/"]["get"]["responses"]
    assert "Erreur" in member["components"]["schemas"]


@pytest.mark.django_db
def test_the_documented_error_bodies_are_what_the_api_answers(schemas, bondy, portal):
    member = schemas[MEMBER]["paths"]
    profile = member["/api/v1/profile/"]["put"]
    anonymous = Client(HTTP_HOST=bondy.domain_name)
    refused = anonymous.put("/api/v1/profile/", {}, content_type="application/json")
    assert refused.status_code == 401
    check(refused.json(), schemas[MEMBER], profile, "401")

    viewer = member_client(bondy, make_person(bondy, "lecture@bondy.test", "viewer"))
    forbidden = viewer.put("/api/v1/profile/", {}, content_type="application/json")
    assert forbidden.status_code == 403
    check(forbidden.json(), schemas[MEMBER], profile, "403")

    agent = member_client(bondy, make_person(bondy, "agent@bondy.test", "agent"))
    fields = agent.put(
        "/api/v1/profile/", {"email": "pas-une-adresse"}, content_type="application/json"
    )
    assert fields.status_code == 400
    check(fields.json(), schemas[MEMBER], profile, "400")
    unreadable = agent.put("/api/v1/profile/", "{", content_type="application/json")
    assert unreadable.status_code == 400
    check(unreadable.json(), schemas[MEMBER], profile, "400")

    no_file = agent.post("/api/v1/activity/import", {})
    assert no_file.status_code == 400
    check(no_file.json(), schemas[MEMBER], member["/api/v1/activity/import"]["post"], "400")

    unknown = portal.get("/api/v1/indicators/ZZZ/")
    assert unknown.status_code == 404
    operation = schemas[PORTAL]["paths"]["/api/v1/indicators/{code}/"]["get"]
    check(unknown.json(), schemas[PORTAL], operation, "404")
    no_query = portal.get("/api/v1/communes/")
    assert no_query.status_code == 400
    check(
        no_query.json(),
        schemas[PORTAL],
        schemas[PORTAL]["paths"]["/api/v1/communes/"]["get"],
        "400",
    )


# --- #9 A séance's time ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_meetings_time_is_what_its_schema_says(schemas, bondy):
    with schema_context(bondy.schema_name):
        BoardMeeting.objects.create(date=date(2026, 3, 12), time=time(18, 30), place="Mairie")
        BoardMeeting.objects.create(date=date(2026, 1, 8), place="Mairie")
    viewer = member_client(bondy, make_person(bondy, "lecture@bondy.test", "viewer"))
    meetings = viewer.get("/api/v1/board/meetings/").json()
    assert [meeting["time"] for meeting in meetings] == ["18:30", None]

    operation = schemas[MEMBER]["paths"]["/api/v1/board/meetings/"]["get"]
    check(meetings, schemas[MEMBER], operation, "200")
    declared = schemas[MEMBER]["components"]["schemas"]["BoardMeeting"]["properties"]["time"]
    assert "format" not in declared  # `format: time` is HH:MM:SS
    assert re.fullmatch(declared["pattern"], "18:30") and not re.search(
        declared["pattern"], "18:30:00"
    )
    assert "HH:MM" in declared["description"]
