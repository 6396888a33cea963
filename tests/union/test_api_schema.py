"""The OpenAPI schemas of both hosts generate without warning and validate, publish only the
project's API (never Wagtail's internal admin API) and describe the fields the API returns."""

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import reset_generator_stats

from tests.abs_shared.conftest import pool_member, pool_value, reference


def generate(urlconf: str, tmp_path) -> dict:
    """`manage.py spectacular --urlconf … --validate --fail-on-warn`, as CI would run it."""
    reset_generator_stats()  # warnings of schemas generated earlier in this process
    target = tmp_path / f"{urlconf}.yaml"
    call_command("spectacular", urlconf=urlconf, validate=True, fail_on_warn=True, file=str(target))
    return yaml.safe_load(target.read_text("utf-8"))


@pytest.fixture(scope="module")
def schemas(tmp_path_factory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("schemas")
    return {
        urlconf: generate(urlconf, folder) for urlconf in ("union.urls_public", "union.urls_member")
    }


def component(schema: dict, name: str) -> dict:
    return schema["components"]["schemas"][name]


def ref_name(prop: dict) -> str:
    """The component a property points to (directly, or through allOf when it is read-only)."""
    ref = prop.get("$ref") or prop["allOf"][0]["$ref"]
    return ref.rsplit("/", 1)[1]


@pytest.mark.parametrize("urlconf", ["union.urls_public", "union.urls_member"])
def test_schema_validates_without_warnings_and_holds_only_the_api(schemas, urlconf):
    paths = schemas[urlconf]["paths"]
    assert paths and all(path.startswith("/api/v1/") for path in paths), sorted(paths)
    assert "/api/v1/comparison/" in paths and "/api/v1/series/" in paths


@pytest.mark.django_db
def test_served_portal_schema_leaves_out_the_wagtail_admin_api(portal):
    body = portal.get("/api/schema/").content.decode()
    assert "/admin/api/" not in body and "/api/v1/seminars/" in body
    assert portal.get("/api/docs/").status_code == 200


def test_responses_and_parameters_are_described(schemas):
    portal = schemas["union.urls_public"]
    for name in ("Comparison", "Series"):
        properties = component(portal, name)["properties"]
        assert {"commune", "intercommunality", "subject", "indicator", "references"} <= set(
            properties
        )
    assert {"members", "peers", "secret_count"} <= set(
        component(portal, "Comparison")["properties"]
    )
    assert {"breaks", "points"} <= set(component(portal, "Series")["properties"])
    series = portal["paths"]["/api/v1/series/"]["get"]
    assert "intercommunality" in {p["name"] for p in series["parameters"]}
    assert {"imported", "flagged", "confirmed", "waitlisted"} <= set(
        component(portal, "ImportResult")["properties"]
    )
    member = component(portal, "Member")["properties"]
    assert ref_name(member["commune"]) == "CommuneRef"
    assert ref_name(member["intercommunality"]) == "IntercommunalityRef"
    assert set(component(portal, "CommuneRef")["properties"]) == {"code", "nom", "departement"}
    assert set(component(portal, "IntercommunalityRef")["properties"]) == {"siren", "nom", "kind"}
    experience = component(portal, "Experience")["properties"]
    assert ref_name(experience["commune"]) == "CommuneRef"
    listing = portal["paths"]["/api/v1/seminars/{id}/registrations/"]["get"]
    (status,) = [p for p in listing["parameters"] if p["name"] == "status"]
    assert set(status["schema"]["enum"]) == {"confirmed", "waitlisted", "cancelled"}
    limit = next(
        p for p in portal["paths"]["/api/v1/members/"]["get"]["parameters"] if p["name"] == "limit"
    )
    assert limit["schema"]["maximum"] == 200
    member_host = schemas["union.urls_member"]
    publish = member_host["paths"]["/api/v1/observations/publish"]["post"]["responses"]["200"]
    ref = publish["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(component(member_host, ref)["properties"]) == {"published"}
    # A member's own number published as secret is marked on its host only: documented, optional.
    for name in ("Comparison", "SeriesPoint"):
        described = component(member_host, name)
        assert "secret_in_pool" in described["properties"]
        assert "secret_in_pool" not in described.get("required", [])


def keys_match(data: dict, schema: dict, name: str) -> None:
    """Every key returned is documented, and every required one is returned."""
    properties = component(schema, name)
    assert set(data) <= set(properties["properties"]), set(data) - set(properties["properties"])
    assert set(properties.get("required", [])) <= set(data)


@pytest.mark.django_db
def test_real_comparison_and_series_match_their_schema(schemas, portal):
    schema = schemas["union.urls_public"]
    bondy = pool_member("93010")
    pool_value(bondy, "TP60", 2021, 25)
    reference("france", "FRM", "TP60", 2021, 14.5)
    comparison = portal.get("/api/v1/comparison/?commune=93010&indicator=TP60&year=2021").json()
    keys_match(comparison, schema, "Comparison")
    keys_match(comparison["references"][0], schema, "ComparisonReference")
    keys_match(comparison["members"], schema, "ComparisonMembers")
    keys_match(comparison["subject"], schema, "AbsSubject")
    series = portal.get("/api/v1/series/?commune=93010&indicator=TP60").json()
    keys_match(series, schema, "Series")
    keys_match(series["points"][0], schema, "SeriesPoint")
    keys_match(series["references"][0], schema, "SeriesReference")
    keys_match(series["references"][0]["points"][0], schema, "SeriesReferencePoint")
