"""Member pages under /abs/ and the member-host API: roles, forms, import, publication, drafts."""

import csv
import io

import pytest
from openpyxl import load_workbook

from abs_shared.models import PublishedValue
from tests.abs_shared.conftest import observations_of, observe, write_file
from tests.conftest import make_person, member_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(bondy):
    return make_person(bondy, "direction@bondy.test")


@pytest.fixture
def agent(bondy):
    return make_person(bondy, "agent@bondy.test", role="agent")


def test_agent_enters_a_value_with_a_decimal_comma_and_bad_input_is_kept(bondy, agent):
    client = member_client(bondy, agent)
    response = client.post(
        "/abs/observations/ajouter/", {"indicator": "TP60", "year": "2021", "value": "12,5,3"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "n&#x27;est pas un nombre" in page
    assert 'value="12,5,3"' in page  # what was typed is kept
    response = client.post(
        "/abs/observations/ajouter/",
        {"indicator": "TP60", "year": "2021", "value": "26,5", "denominator": "20000"},
    )
    assert response.status_code == 302
    (observation,) = observations_of(bondy)
    assert str(observation.value) == "26.5000" and observation.is_draft
    # An agent may not validate or publish.
    assert client.post("/abs/valider/", {}).status_code == 403
    assert client.post("/abs/publier/", {}).status_code == 403


def test_director_imports_validates_publishes_and_retracts_through_the_pages(
    bondy, director, tmp_path
):
    client = member_client(bondy, director)
    path = write_file(tmp_path, "abs.csv", "indicator;year;value\nTP60;2021;26,5\nCHOM;2021;18\n")
    with path.open("rb") as handle:
        assert client.post("/abs/importer/", {"file": handle}).status_code == 302
    assert (
        client.post(
            "/abs/valider/", {"selection-year": "2021", "selection-indicators": ["TP60"]}
        ).status_code
        == 302
    )
    client.post("/abs/publier/", {"selection-year": "2021"})
    assert list(PublishedValue.objects.values_list("indicator_id", flat=True)) == ["TP60"]
    page = client.get("/abs/").content.decode()
    assert "Publiée le" in page and "Brouillon" in page
    # The selection form: every field labelled, the checkboxes grouped under a legend.
    assert '<label for="id_selection-year">' in page
    assert '<label for="id_selection-indicators_1">' in page and "<legend>" in page
    client.post("/abs/retirer/", {"selection-year": "2021"})
    assert not PublishedValue.objects.exists()


def test_import_page_lists_errors_by_line_and_column(bondy, director, tmp_path):
    path = write_file(tmp_path, "abs.csv", "indicator,year,value\nTP60,2021,abc\nZZZ,2021,1\n")
    with path.open("rb") as handle:
        page = (
            member_client(bondy, director).post("/abs/importer/", {"file": handle}).content.decode()
        )
    assert "rien n'a été importé" in page
    assert '<th scope="row" class="num">2</th><td>value</td>' in page
    assert '<th scope="row" class="num">3</th><td>indicator</td>' in page
    assert observations_of(bondy) == []


def test_templates_download(bondy, agent, tmp_path):
    client = member_client(bondy, agent)
    rows = list(
        csv.reader(
            io.StringIO(client.get("/abs/modele.csv").content.decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0] == [
        "indicateur",
        "année",
        "valeur",
        "numérateur",
        "dénominateur",
        "source",
        "commentaire",
    ]
    assert [row[0] for row in rows[1:]][:2] == ["POP", "TP60"]
    path = tmp_path / "modele.xlsx"
    path.write_bytes(client.get("/abs/modele.xlsx").content)
    assert load_workbook(path).active["A1"].value == "indicateur"
    # The template as downloaded imports (blank rows skipped) once a row is filled in.
    rows[2][1:3] = ["2021", "26,5"]
    filled = write_file(tmp_path, "rempli.csv", "\n".join(";".join(row) for row in rows))
    with filled.open("rb") as handle:
        assert (
            member_client(bondy, make_person(bondy, "d@bondy.test"))
            .post("/abs/importer/", {"file": handle})
            .status_code
            == 302
        )
    assert [(o.indicator_id, o.year) for o in observations_of(bondy)] == [("TP60", 2021)]


def test_member_comparison_shows_own_drafts_marked(bondy, director):
    observe(bondy, "TP60", 2021, 26.5)
    client = member_client(bondy, director)
    page = client.get("/abs/comparaison/TP60/?annee=2021").content.decode()
    assert "26,5 (brouillon)" in page
    portrait = client.get("/abs/portrait/").content.decode()
    assert "Portrait de Bondy" in portrait and "brouillon" in portrait
    for export in ("/abs/portrait/?export=csv", "/abs/comparaison/TP60/?annee=2021&export=csv"):
        assert "26,5 (brouillon)" in client.get(export).content.decode("utf-8-sig"), export
    api = client.get("/api/v1/comparison/?commune=93010&indicator=TP60&year=2021").json()
    assert api["value"] == 26.5 and api["draft"] is True


def test_member_api_import_validate_publish_retract(bondy, director, agent, tmp_path):
    client = member_client(bondy, director)
    bad = write_file(tmp_path, "bad.csv", "indicator,year,value\nTP60,2021,x\n")
    with bad.open("rb") as handle:
        response = client.post("/api/v1/observations/import", {"file": handle})
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"line": 2, "column": "value", "message": "« x » n'est pas un nombre."}]
    }
    good = write_file(tmp_path, "good.csv", "indicator,year,value\nTP60,2021,26.5\nTP60,2020,27\n")
    with good.open("rb") as handle:
        response = client.post("/api/v1/observations/import", {"file": handle})
    assert response.status_code == 201
    assert response.json() == {"imported": 2, "blank_insee_columns": []}
    assert client.post(
        "/api/v1/observations/validate", {"year": 2021}, content_type="application/json"
    ).json() == {"validated": 1}
    response = client.post(
        "/api/v1/observations/publish",
        {"year": 2021, "indicators": ["TP60"]},
        content_type="application/json",
    )
    assert response.json() == {"published": 1}
    response = client.post(
        "/api/v1/observations/publish", {"indicators": ["NOPE"]}, content_type="application/json"
    )
    assert response.status_code == 400 and "NOPE" in str(response.json())
    # A year no value can have gets the entry form's words, not a silent « 0 » or DRF's English.
    response = client.post(
        "/api/v1/observations/publish", {"year": 2099}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "2099 est une année à venir" in response.json()["errors"]["year"][0]
    assert client.post(
        "/api/v1/observations/retract", {"year": 2021}, content_type="application/json"
    ).json() == {"retracted": 1}
    listing = client.get("/api/v1/observations/").json()
    assert listing["count"] == 2
    # Agents import drafts, as on the page; they neither validate nor publish.
    agent_client = member_client(bondy, agent)
    with good.open("rb") as handle:
        assert agent_client.post("/api/v1/observations/import", {"file": handle}).status_code == 201
    assert agent_client.post(
        "/api/v1/observations/validate", {"year": 2021}, content_type="application/json"
    ).json() == {"detail": "Réservé à la direction de ce CCAS."}
    viewer = make_person(bondy, "lecture@bondy.test", role="viewer")
    with good.open("rb") as handle:
        refused = member_client(bondy, viewer).post("/api/v1/observations/import", {"file": handle})
    assert refused.status_code == 403
    assert member_client(bondy).post(
        "/api/v1/observations/publish", {}, content_type="application/json"
    ).status_code in (401, 403)


def test_dashboard_panel_counts(bondy, director, rf):
    from abs_shared.local.dashboard import panel

    observe(bondy, "TP60", 2021, 26.5)
    observe(bondy, "CHOM", 2021, 18)
    from abs_shared.local.services import validate_observations

    validate_observations(bondy, indicators=["CHOM"])
    request = rf.get("/", HTTP_HOST=bondy.domain_name)
    request.tenant, request.user = bondy, director
    result = panel(request)
    assert result["context"]["counts"] == {"drafts": 1, "validated": 1, "published": 0}
