"""Public API shapes: indicators, comparison, series; bad parameters."""

import pytest

from tests.abs_shared.conftest import pool_member, pool_value, reference

pytestmark = pytest.mark.django_db


def test_indicators(portal):
    data = portal.get("/api/v1/indicators/").json()
    assert [row["code"] for row in data][:3] == ["POP", "TP60", "MED"]
    tp60 = data[1]
    assert tp60["unit"] == "percent" and tp60["polarity"] == "higher_fragile"
    assert tp60["break_after"] == [2021]
    assert portal.get("/api/v1/indicators/med/").json()["unit"] == "euros_year"


def test_comparison_shape(portal):
    bondy = pool_member("93010")
    pool_value(bondy, "TP60", 2021, 25)
    pool_value(pool_member("93001"), "TP60", 2021, 30)
    reference("france", "FRM", "TP60", 2021, 14.5)
    data = portal.get("/api/v1/comparison/?commune=93010&indicator=TP60&year=2021").json()
    assert data["commune"] == {"code": "93010", "nom": "Bondy"}
    assert data["indicator"] == {
        "code": "TP60",
        "label": "Taux de pauvreté au seuil de 60 %",
        "unit": "percent",
    }
    assert data["year"] == 2021 and data["value"] == 25.0 and data["status"] == "value"
    assert [r["level"] for r in data["references"]] == ["epci", "departement", "region", "france"]
    for ref in data["references"]:
        assert {"level", "code", "nom", "value", "status", "gap", "ratio"} <= set(ref)
    assert (
        data["references"][3] | {} == data["references"][3] and data["references"][3]["gap"] == 10.5
    )
    assert data["references"][1]["status"] == "missing" and data["references"][1]["value"] is None
    keys = {"count", "too_few", "min", "q1", "median", "q3", "max", "rank"}
    assert set(data["members"]) == keys and set(data["peers"]) == keys
    # Two values situate nothing (presenters.MIN_PUBLISHERS): no rank, as on the pages.
    assert data["members"]["count"] == 2 and data["members"]["too_few"] is True
    assert data["members"]["rank"] is None


def test_series_shape(portal):
    member = pool_member("93010")
    pool_value(member, "MED", 2020, 18000)
    pool_value(member, "MED", 2021, 18500)
    data = portal.get("/api/v1/series/?commune=93010&indicator=MED").json()
    assert [p["year"] for p in data["points"]] == [2020, 2021]
    assert data["points"][1] == {"year": 2021, "value": 18500.0, "status": "value", "draft": False}
    assert data["breaks"] == []  # no year after 2021 here: nothing to break
    assert {r["level"] for r in data["references"]} == {"epci", "departement", "region", "france"}


def test_bad_parameters_get_french_errors(portal):
    response = portal.get("/api/v1/comparison/?commune=99999&indicator=XX")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "inconnue" in errors["commune"][0]
    assert "catalogue" in errors["indicator"][0]
    assert "year" in errors


def test_openapi_schemas_render_on_both_hosts(portal, bondy):
    from tests.conftest import member_client

    assert b"/api/v1/comparison/" in portal.get("/api/schema/").content
    member_schema = member_client(bondy).get("/api/schema/").content
    assert b"/api/v1/observations/import" in member_schema
