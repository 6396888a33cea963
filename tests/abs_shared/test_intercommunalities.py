"""A CIAS's values describe its intercommunality: compared with the intercommunality's reference,
its seat's département, région and France, and the other CIAS only; never with the communes, never
taken for its seat commune's. Portal pages and exports of the intercommunalities; secrecy."""

import csv
import io

import pytest
from openpyxl import load_workbook

from abs_shared.comparisons import compare, load_commune, load_intercommunality, series
from abs_shared.models import Indicator
from tenants.models import MemberCCAS
from tests.abs_shared.conftest import pool_member, pool_value, reference

pytestmark = pytest.mark.django_db

CIAS = MemberCCAS.Kind.CIAS
EST_ENSEMBLE = "200057875"  # EPT of Bondy (the seat below), Montreuil, Bobigny…
PLAINE_COMMUNE = "200057867"  # EPT of Saint-Denis
TERRES_ENVOL = "200058097"  # EPT of Aulnay-sous-Bois
PLAINE_DE_L_AIN = "240100883"  # CC of Ambérieu-en-Bugey (Ain)
GRAND_PARIS = "200054781"  # the EPCI of every commune above: Bondy's, not Est Ensemble's


@pytest.fixture
def cias_pool(db):
    """TP60 2021. Communes (CCAS): Bondy 25, Montreuil 10. CIAS: Est Ensemble 40 (seated in
    Bondy), Plaine Commune 30, Paris Terres d'Envol 20, Plaine de l'Ain secret.
    References: Est Ensemble 22, Métropole du Grand Paris 99, 93 27.6, Île-de-France secret,
    France 14.5."""
    bondy = pool_member("93010")
    pool_value(bondy, "TP60", 2021, 25)
    pool_value(bondy, "CHOM", 2021, "18.25")
    pool_value(pool_member("93048"), "TP60", 2021, 10)
    cias = {
        EST_ENSEMBLE: ("93010", 40),
        PLAINE_COMMUNE: ("93066", 30),
        TERRES_ENVOL: ("93005", 20),
        PLAINE_DE_L_AIN: ("01004", "s"),
    }
    for siren, (seat, value) in cias.items():
        pool_value(pool_member(seat, CIAS, siren), "TP60", 2021, value)
    pool_value(MemberCCAS.objects.get(intercommunality=EST_ENSEMBLE), "TP60", 2020, 41)
    reference("epci", EST_ENSEMBLE, "TP60", 2021, 22)
    reference("epci", GRAND_PARIS, "TP60", 2021, 99)
    reference("departement", "93", "TP60", 2021, "27.6")
    reference("region", "11", "TP60", 2021, "s")
    reference("france", "FRM", "TP60", 2021, "14.5")


def tp60():
    return Indicator.objects.get(code="TP60")


def test_an_intercommunality_is_compared_with_its_references_and_the_other_cias(cias_pool):
    result = compare(load_intercommunality(EST_ENSEMBLE), tp60(), 2021)
    assert result["intercommunality"] == {"code": EST_ENSEMBLE, "nom": "Est Ensemble"}
    assert result["subject"]["kind"] == "intercommunality" and "commune" not in result
    assert result["value"] == 40.0  # the CIAS's, not Bondy's CCAS's 25
    assert [(r["level"], r["code"]) for r in result["references"]] == [
        ("epci", EST_ENSEMBLE),
        ("departement", "93"),
        ("region", "11"),
        ("france", "FRM"),
    ]  # the seat's Métropole du Grand Paris (99) is not a line
    assert result["references"][0]["gap"] == 18.0
    assert result["references"][2]["gap"] is None  # secret reference
    # The other CIAS only (20, 30 and its own 40); the communes' 25 and 10 are not in.
    assert result["members"] == {
        "count": 3,
        "min": 20.0,
        "q1": 25.0,
        "median": 30.0,
        "q3": 35.0,
        "max": 40.0,
        "rank": 1,
    }
    assert result["secret_count"] == 1  # Plaine de l'Ain, counted apart
    assert result["peers"] is None and result["population_band"] == ""


def test_the_communes_comparison_is_unchanged_by_the_cias(cias_pool):
    result = compare(load_commune("93010"), tp60(), 2021)
    assert result["value"] == 25.0 and result["members"]["count"] == 2
    assert result["secret_count"] == 0  # the CIAS's secret is not a commune's
    assert result["references"][0]["nom"] == "Est Ensemble"


def test_an_intercommunality_without_a_value_never_gets_its_seat_communes(cias_pool):
    subject = load_intercommunality(EST_ENSEMBLE)
    chom = compare(subject, Indicator.objects.get(code="CHOM"), 2021)
    assert chom["status"] == "missing" and chom["value"] is None  # Bondy's CCAS has 18.25
    assert chom["members"]["count"] == 0 and chom["members"]["median"] is None
    data = series(subject, tp60())
    assert [(p["year"], p["value"]) for p in data["points"]] == [(2020, 41.0), (2021, 40.0)]


def test_with_few_other_cias_the_statistics_behave_as_for_communes(db):
    pool_value(pool_member("93066", CIAS, PLAINE_COMMUNE), "TP60", 2021, 30)
    alone = compare(load_intercommunality(PLAINE_COMMUNE), tp60(), 2021)
    assert alone["members"] == {
        "count": 1,
        "min": 30.0,
        "q1": 30.0,
        "median": 30.0,
        "q3": 30.0,
        "max": 30.0,
        "rank": 1,
    }
    # An intercommunality whose CIAS is no member: seated in its most populous commune.
    other = compare(load_intercommunality(EST_ENSEMBLE), tp60(), 2021)
    assert other["status"] == "missing" and other["members"]["rank"] is None
    assert other["references"][1]["code"] == "93"


def test_the_intercommunality_line_is_the_cias_own_whatever_its_seats_grouping(db):
    """After a redrawing of the map (the COG changes every 1 January), a seat may lie in another
    intercommunality than its CIAS's: the lines are the CIAS's intercommunality, then the seat's
    département, région and France; never the seat's own EPT or EPCI."""
    pool_value(pool_member("93010", CIAS, PLAINE_COMMUNE), "TP60", 2021, 30)  # Bondy: Est Ensemble
    result = compare(load_intercommunality(PLAINE_COMMUNE), tp60(), 2021)
    assert [(r["code"], r["nom"]) for r in result["references"]] == [
        (PLAINE_COMMUNE, "Plaine Commune"),
        ("93", "Seine-Saint-Denis"),
        ("11", "Île-de-France"),
        ("FRM", "France métropolitaine"),
    ]
    assert result["value"] == 30.0


def _csv(response) -> list[list[str]]:
    """The exported table, from its headers on: the first line is its caption."""
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] and not any(rows[0][1:])  # the caption, alone on its line
    return rows[1:]


def test_portal_intercommunality_portrait_and_exports(portal, cias_pool, tmp_path):
    response = portal.get(f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Portrait d&#x27;Est Ensemble</h1>" in page  # elided, as French writes it
    assert "<caption>Portrait d&#x27;Est Ensemble : indicateurs publiés</caption>" in page
    assert '<th scope="colgroup" colspan="2" class="group">CIAS</th>' in page
    assert '<th scope="col" class="num">Médiane</th>' in page
    assert '<th scope="row">Taux de pauvreté au seuil de 60 % (%)</th>' in page
    assert "communes comparables" not in page and "Métropole du Grand Paris" not in page
    assert "Chômage" not in page and "18,3" not in page  # Bondy's CCAS value is not its own
    assert page.count("<svg") == 1  # one position chart: TP60
    assert f'href="/indicateurs/intercommunalites/{EST_ENSEMBLE}/TP60/?annee=2021"' in page
    rows = _csv(portal.get(f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/?export=csv"))
    assert rows[0] == [
        "Indicateur",
        "Année",
        "Valeur",
        "Évolution depuis l'année publiée précédente",
        "Est Ensemble – territoire de référence",
        "Seine-Saint-Denis",
        "Île-de-France",
        "France métropolitaine",
        "Médiane des CIAS",
        "Rang parmi les CIAS",
        "Source",
    ]
    # 41 in 2020; the change in words, which no spreadsheet reads as a formula.
    change = "baisse\u00a0de\u00a01,0\u202fpt depuis\u00a02020"
    # Rounded as shown, the rank out of how many.
    assert rows[1][2:] == ["40,0", change, "22,0", "27,6", "s", "14,5", "30,0", "1 sur 3", "test"]
    xlsx = portal.get(f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/?export=xlsx")
    path = tmp_path / "portrait.xlsx"
    path.write_bytes(xlsx.content)
    sheet = load_workbook(path).active
    assert sheet["C3"].value == 40 and sheet["I2"].value == "Médiane des CIAS"

    comparison = portal.get(f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/TP60/?annee=2021")
    text = comparison.content.decode()
    assert "Est Ensemble – valeurs du CIAS" in text and "+18,0 points" in text
    assert "CIAS ayant publié (3)" in text and "Membres ayant publié" not in text
    rows = _csv(
        portal.get(f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/TP60/?annee=2021&export=csv")
    )
    assert rows[1][:2] == ["Est Ensemble – valeurs du CIAS", "40,0"]
    assert ["CIAS ayant publié (3) : médiane", "30,0", "–", "–", ""] in rows
    series_rows = _csv(
        portal.get(f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/TP60/?tableau=serie&export=csv")
    )
    assert series_rows[0][:3] == [
        "Année",
        "Est Ensemble – valeurs du CIAS",
        "Est Ensemble – territoire de référence",
    ]
    assert [row[:2] for row in series_rows[1:3]] == [["2020", "41,0"], ["2021", "40,0"]]
    assert portal.get("/indicateurs/intercommunalites/999999999/").status_code == 404


def test_portal_lists_the_intercommunalities_apart_from_the_communes(portal, cias_pool):
    listing = portal.get("/indicateurs/communes/").content.decode()
    communes, intercommunalities = listing.split('id="intercommunalites"')
    assert f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/" in intercommunalities
    assert "/indicateurs/intercommunalites/" not in communes
    assert "Intercommunalités dont le CIAS a publié des indicateurs (4)</caption>" in listing
    assert portal.get("/indicateurs/intercommunalites/").url.endswith("#intercommunalites")
    assert portal.get("/indicateurs/communes/?q=PLAINE COMMUNE").url == (
        f"/indicateurs/intercommunalites/{PLAINE_COMMUNE}/"
    )
    assert portal.get(f"/indicateurs/communes/?q={TERRES_ENVOL}").url.endswith(f"{TERRES_ENVOL}/")
    catalogue = portal.get("/indicateurs/").content.decode()
    assert f'href="/indicateurs/intercommunalites/{PLAINE_COMMUNE}/"' in catalogue
    assert "Intercommunalités (CIAS) ayant publié</th>" in catalogue

    page = portal.get("/indicateurs/TP60/?annee=2021").content.decode()
    communes_part, cias_part = page.split('id="intercommunalites"')
    svg = communes_part[communes_part.index("<svg") : communes_part.index("</svg>")]
    assert svg.count('class="abs-bar"') == 2  # Bondy and Montreuil; no CIAS bar
    assert "communes ayant publié (2)</caption>" in communes_part
    assert "intercommunalités dont le CIAS a publié (4)</caption>" in cias_part
    assert (
        '<th scope="col"><a href="?annee=2021&amp;tri=nom&amp;ordre=asc">Intercommunalité (CIAS)<'
        in cias_part
    )
    rows = _csv(portal.get("/indicateurs/TP60/?annee=2021&tableau=intercommunalites&export=csv"))
    assert [row[0] for row in rows[1:]] == [
        "Est Ensemble",
        "Plaine Commune",
        "Paris Terres d'Envol",
        "CC de la Plaine de l'Ain",
    ]
    assert [row[4] for row in rows[1:]] == ["1 sur 3", "2 sur 3", "3 sur 3", "–"]  # among the CIAS
    assert rows[4][3] == "s"
    assert [row[0] for row in _csv(portal.get("/indicateurs/TP60/?annee=2021&export=csv"))[1:]] == [
        "Bondy",
        "Montreuil",
        # Two communes: neither is ranked (presenters.MIN_PUBLISHERS).
        "Pas de rang : trop peu de valeurs publiées (2 ; il en faut au moins 3 pour les classer).",
    ]


def test_a_secret_cias_value_is_neither_charted_nor_ranked(portal, cias_pool):
    page = portal.get(f"/indicateurs/intercommunalites/{PLAINE_DE_L_AIN}/").content.decode()
    assert "<svg" not in page and "<strong>s</strong> (secret statistique)" in page
    result = portal.get(
        f"/api/v1/comparison/?intercommunality={PLAINE_DE_L_AIN}&indicator=TP60&year=2021"
    ).json()
    assert result["status"] == "secret" and result["members"]["rank"] is None
    assert result["members"]["count"] == 3 and result["secret_count"] == 1
    assert all(r["gap"] is None for r in result["references"])
    # Its seat's département and région, and its own reference line.
    assert [r["code"] for r in result["references"]] == [PLAINE_DE_L_AIN, "01", "84", "FRM"]


def test_public_api_reads_an_intercommunality(portal, cias_pool):
    data = portal.get(
        f"/api/v1/comparison/?intercommunality={EST_ENSEMBLE}&indicator=TP60&year=2021"
    ).json()
    assert data["value"] == 40.0 and data["peers"] is None and data["members"]["count"] == 3
    series_data = portal.get(
        f"/api/v1/series/?intercommunality={EST_ENSEMBLE}&indicator=TP60"
    ).json()
    assert series_data["intercommunality"]["nom"] == "Est Ensemble"
    assert [p["value"] for p in series_data["points"]] == [41.0, 40.0]
    both = portal.get(
        f"/api/v1/comparison/?commune=93010&intercommunality={EST_ENSEMBLE}&indicator=TP60&year=2021"
    )
    neither = portal.get("/api/v1/comparison/?indicator=TP60&year=2021")
    assert both.status_code == neither.status_code == 400
    assert "intercommunality" in both.json()["errors"]["commune"][0]
    unknown = portal.get("/api/v1/series/?intercommunality=123&indicator=TP60")
    assert "inconnue" in unknown.json()["errors"]["intercommunality"][0]
