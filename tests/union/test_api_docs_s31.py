"""The API's documentation is French for a partner's developer (session 31): every operation of
both hosts' schemas (/api/schema/) under a domain tag, with a French summary and description, the
security schemes described in French, the token endpoint's 400 and 429 documented, and DRF's
OPTIONS answers (view name and description) French too."""

import re

import pytest

from tests.conftest import host_client, member_client, plain

# Common English words, as whole words; text in backticks (field names, examples) is left out.
ENGLISH = re.compile(r"\b(the|of|and|with|is|are|for|from|its|an)\b", re.IGNORECASE)


def english_words(text: str) -> list[str]:
    return ENGLISH.findall(re.sub(r"`[^`]*`", "", text or ""))


def served_schema(client) -> dict:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def descriptions(schema: dict):
    """(where, text) for every description of the paths, parameters, responses, tags and
    security schemes."""
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            yield where, operation.get("summary", "")
            yield where, operation.get("description", "")
            for parameter in operation.get("parameters", []):
                yield f"{where} ?{parameter['name']}", parameter.get("description", "")
            for status, response in operation.get("responses", {}).items():
                yield f"{where} {status}", response.get("description", "")
    for tag in schema.get("tags", []):
        yield f"tag {tag['name']}", tag.get("description", "")
    for name, scheme in schema["components"].get("securitySchemes", {}).items():
        yield f"security {name}", scheme.get("description", "")


@pytest.fixture
def schemas(bondy) -> dict[str, dict]:
    return {
        "portal": served_schema(host_client("localhost")),
        "member": served_schema(member_client(bondy)),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["portal", "member"])
def test_every_operation_has_a_domain_tag_and_a_french_summary(schemas, host):
    schema = schemas[host]
    operations = [
        (f"{method.upper()} {path}", operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]
    assert len(operations) > 20
    for where, operation in operations:
        assert operation.get("tags") and "v1" not in operation["tags"], where
        summary = operation.get("summary", "")
        assert summary and summary != operation["operationId"], where
        assert not re.fullmatch(r"[a-z0-9_]+", summary), where
        assert operation.get("description"), where
    used = {tag for _, operation in operations for tag in operation["tags"]}
    assert used == {tag["name"] for tag in schema["tags"]}
    assert {"Authentification", "Communes et membres", "Indicateurs ABS"} <= used


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["portal", "member"])
def test_no_description_is_in_english(schemas, host):
    english = {
        where: english_words(text)
        for where, text in descriptions(schemas[host])
        if english_words(text)
    }
    assert english == {}


@pytest.mark.django_db
def test_token_endpoint_and_security_schemes_are_documented_in_french(schemas):
    for schema in schemas.values():
        token = schema["paths"]["/api/v1/auth/token/"]["post"]
        assert token["tags"] == ["Authentification"]
        assert {"200", "400", "429"} <= set(token["responses"])
        assert "Retry-After" in token["responses"]["429"]["description"]
        assert token["responses"]["200"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ApiToken"
        }
        schemes = schema["components"]["securitySchemes"]
        assert "Token-based" not in schemes["tokenAuth"]["description"]
        assert "précédé du mot «\u00a0Token\u00a0»" in schemes["tokenAuth"]["description"]
        assert "Session du site" in schemes["cookieAuth"]["description"]


@pytest.mark.django_db
def test_options_name_and_describe_the_views_in_french(portal, bondy):
    guides = portal.options("/api/v1/guides/").json()
    assert guides["name"] == "Guides pratiques"
    assert plain(guides["description"]).startswith("Les guides pratiques publics publiés")
    seminars = portal.options("/api/v1/seminars/").json()
    assert seminars["name"] == "Événements"
    assert "GET\u00a0: Les événements de l'union" in seminars["description"]
    assert "POST\u00a0: Crée et publie un événement" in seminars["description"]
    indicators = member_client(bondy).options("/api/v1/indicators/").json()
    assert indicators["name"] == "Indicateurs"
    assert not english_words(indicators["description"])
