"""ABS portal, session 7: a DROM CIAS's introduction names no région; the commune list's filter
folds accents and case; the change column exports as words, with no quote; the communes chosen
beside a commune (`?avec=`) are series of the evolution chart and its table; the member space's
comparison offers the same choice; the demo loads no reference value for a count."""

import csv
import html
import io
import re

import pytest
from django.db import connection
from openpyxl import load_workbook

from abs_shared import demo
from abs_shared.models import Indicator, ReferenceValue
from tenants.models import Commune, MemberCCAS
from tests.abs_shared.conftest import observe, observe_and_publish, pool_member, pool_value
from tests.conftest import make_member, make_person, member_client

pytestmark = pytest.mark.django_db

CIAS = MemberCCAS.Kind.CIAS
CINOR = "249740119"  # CA Intercommunale du Nord de la Réunion, EPCI of Saint-Denis (97411)
EST_ENSEMBLE = "200057875"  # EPT of Bondy, Montreuil and Pantin
GRAND_ORLY = "200058014"  # Grand-Orly Seine Bièvre, EPT of Vitry-sur-Seine (94081)


def lead(page: str) -> str:
    """The introduction of a page, as read (entities decoded)."""
    return html.unescape(page.split('<p class="lead">', 1)[1].split("</p>", 1)[0])


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def sheet_of(response, tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes(response.content)
    return load_workbook(path).active


def series_chart(page: str) -> str:
    """The SVG under the « Évolution » heading."""
    after = page[page.index("<h2>Évolution</h2>") :]
    return after[after.index("<svg") : after.index("</svg>")]


def series_table(page: str) -> str:
    after = page[page.index("<h2>Évolution</h2>") :]
    return after[after.index("<table") : after.index("</table>")]


def legend_index(svg: str, name: str) -> int:
    """The index of the series named `name` in the chart's legend."""
    found = re.search(
        rf'<g class="abs-legend-item" data-series="(\d+)">(?:(?!</g>).)*>{re.escape(name)}</text>',
        svg,
    )
    assert found, name
    return int(found[1])


def markers_of(svg: str, index: int) -> int:
    """How many points the index-th series has on the plot (its legend sample apart)."""
    plot = re.sub(r'<g class="abs-legend-item".*?</g>', "", svg)
    return len(re.findall(rf'abs-marker-[a-z-]+ abs-series-{index}"', plot))


# --- 1. a CIAS seated in a DROM: no région ------------------------------------------------


def test_a_drom_cias_introduction_names_its_territories_and_no_region(portal, db):
    pool_value(pool_member("97411", CIAS, CINOR), "TP60", 2021, 40)
    portrait = lead(portal.get(f"/indicateurs/intercommunalites/{CINOR}/").content.decode())
    assert "région" not in portrait and "France métropolitaine" not in portrait
    assert (
        "comparées à celles de l'intercommunalité, du département (La Réunion), de la France "
        "et des autres CIAS membres" in portrait
    )
    comparison = portal.get(f"/indicateurs/intercommunalites/{CINOR}/TP60/?annee=2021")
    said = lead(comparison.content.decode())
    assert "région" not in said and "à la France et aux autres CIAS" in said
    assert "au département (La Réunion)" in said

    # A CIAS of the métropole keeps its région and France métropolitaine.
    pool_value(pool_member("93010", CIAS, EST_ENSEMBLE), "TP60", 2021, 30)
    metropole = lead(portal.get(f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/").content.decode())
    assert (
        "de l'intercommunalité, du département (Seine-Saint-Denis), de la région (Île-de-France), "
        "de la France métropolitaine et des autres CIAS membres" in metropole
    )


# --- 2. the commune list folds accents and case -------------------------------------------


def listed_communes(page: str) -> str:
    start = page.index("<caption>Communes ayant publié")
    return page[start : page.index("</table>", start)]


def listed_intercommunalities(page: str) -> str:
    start = page.index("<caption>Intercommunalités dont le CIAS")
    return page[start : page.index("</table>", start)]


@pytest.mark.parametrize("typed", ["epinay", "EPINAY-SUR", "Épinay sur", "pinay"])
def test_the_commune_filter_ignores_accents_case_and_hyphens(portal, db, typed):
    pool_value(pool_member("93031"), "TP60", 2021, 31)  # Épinay-sur-Seine
    pool_value(pool_member("93010"), "TP60", 2021, 27)  # Bondy
    response = portal.get("/indicateurs/communes/", {"q": typed})
    assert response.status_code == 200
    listed = listed_communes(response.content.decode())
    assert "(1)</caption>" in listed
    assert 'href="/indicateurs/communes/93031/">Épinay-sur-Seine</a>' in listed
    assert "Bondy" not in listed


def test_the_intercommunality_filter_ignores_accents_too(portal, db):
    pool_value(pool_member("94081", CIAS, GRAND_ORLY), "TP60", 2021, 25)
    pool_value(pool_member("93010", CIAS, EST_ENSEMBLE), "TP60", 2021, 30)
    page = portal.get("/indicateurs/communes/", {"q": "bievre"}).content.decode()
    listed = listed_intercommunalities(page)
    assert "(1)</caption>" in listed and "Grand-Orly Seine Bièvre" in listed
    assert "Est Ensemble" not in listed
    # The lists answer: no « nothing matches » status over tables that hold a match.
    assert '<p role="status">Aucune commune ne correspond' not in page


# --- 3. the change column exports as words, nothing quoted --------------------------------


def test_the_change_exports_in_words_without_a_quote(portal, bondy, tmp_path):
    for year, rate, households, ratio in ((2020, 26, 1600, "4.5"), (2021, "27.1", 1552, "4.52")):
        observe_and_publish(bondy, "TP60", year, rate)
        observe_and_publish(bondy, "RSA", year, households)
        observe_and_publish(bondy, "D9D1", year, ratio)
    # The guard stays for what people type: a source that a spreadsheet would run.
    formula = '=HYPERLINK("http://exemple.test","clic")'
    observe_and_publish(bondy, "CHOM", 2021, "18.2", source=formula)
    page = portal.get("/indicateurs/communes/93010/").content.decode()
    assert ">hausse\u00a0de\u00a01,1\u202fpt depuis\u00a02020<" in page
    assert ">baisse\u00a0de\u00a03,0\u202f% depuis\u00a02020<" in page  # 1552 / 1600
    assert ">stable\u00a0(0,0) depuis\u00a02020<" in page  # 4,52 - 4,5 at one decimal

    rows = csv_rows(portal.get("/indicateurs/communes/93010/?export=csv"))
    changes = {row[0].split(" (")[0]: row[3] for row in rows[2:] if len(row) > 3}
    assert (
        changes["Taux de pauvreté au seuil de 60 %"]
        == "hausse\u00a0de\u00a01,1\u202fpt depuis\u00a02020"
    )
    assert (
        changes["Foyers allocataires du RSA"] == "baisse\u00a0de\u00a03,0\u202f% depuis\u00a02020"
    )
    assert (
        changes["Rapport interdécile D9/D1 du niveau de vie"]
        == "stable\u00a0(0,0) depuis\u00a02020"
    )
    # The change never needs the guard; the typed source (the portrait's Source column) does.
    assert [cell for row in rows for cell in row if cell.startswith("'")] == [f"'{formula}"]
    chosen = csv_rows(portal.get("/indicateurs/communes/93010/CHOM/?annee=2021&export=csv"))
    assert chosen[2][0] == "Bondy (commune)" and chosen[2][4] == f"'{formula}"

    sheet = sheet_of(portal.get("/indicateurs/communes/93010/?export=xlsx"), tmp_path)
    cells = {row[0].value.split(" (")[0]: row[3] for row in sheet.iter_rows(min_row=3)}
    poverty = cells["Taux de pauvreté au seuil de 60 %"]
    assert (
        poverty.value == "hausse\u00a0de\u00a01,1\u202fpt depuis\u00a02020"
        and poverty.data_type == "s"
    )
    assert not poverty.quotePrefix
    sheet = sheet_of(
        portal.get("/indicateurs/communes/93010/CHOM/?annee=2021&export=xlsx"), tmp_path
    )
    source = sheet["E3"]
    assert source.value == formula and source.data_type == "s" and source.quotePrefix


# --- 4. chosen communes on the evolution chart --------------------------------------------


@pytest.fixture
def series_pool(db):
    """TP60: Bondy 26 (2020), 27 (2021); Montreuil 19 (2019), 20 (2020), 21 (2021);
    Saint-Denis 30 (2020) and secret in 2021."""
    bondy, montreuil, saint_denis = (pool_member(c) for c in ("93010", "93048", "93066"))
    for year, value in ((2020, 26), (2021, 27)):
        pool_value(bondy, "TP60", year, value)
    for year, value in ((2019, 19), (2020, 20), (2021, 21)):
        pool_value(montreuil, "TP60", year, value)
    pool_value(saint_denis, "TP60", 2020, 30)
    pool_value(saint_denis, "TP60", 2021, "s")


PAGE = "/indicateurs/communes/93010/TP60/"
CHOSEN = "?annee=2021&avec=93048&avec=93066"


def test_chosen_communes_are_series_of_the_evolution_chart(portal, series_pool):
    page = portal.get(PAGE + CHOSEN).content.decode()
    svg = series_chart(page)
    montreuil = legend_index(svg, "Montreuil (commune choisie)")
    saint_denis = legend_index(svg, "Saint-Denis (commune choisie)")
    assert legend_index(svg, "Bondy") == 0 and {montreuil, saint_denis} == {1, 2}
    assert markers_of(svg, montreuil) == 3  # 2019, 2020, 2021: its whole course
    assert markers_of(svg, saint_denis) == 1  # 2020 only: a secret is never charted
    # Each with its own marker and dash, said in the description too.
    desc = svg[svg.index("<desc") : svg.index("</desc>")]
    assert "Montreuil (commune choisie) : carré, tirets" in desc
    assert "Saint-Denis (commune choisie) : triangle, pointillés" in desc

    table = series_table(page)
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)
    assert headers[:4] == [
        "Année",
        "Bondy",
        "Montreuil (commune choisie)",
        "Saint-Denis (commune choisie)",
    ]
    rows = table.split("<tr>")[2:]
    assert rows[0].startswith('<th scope="row">2019</th>') and ">19,0<" in rows[0]
    assert ">n.d.<" in rows[0]  # Bondy had nothing in 2019
    assert ">21,0<" in rows[2] and ">s<" in rows[2]
    # The series export keeps the choice, and holds the same columns.
    assert 'href="?annee=2021&amp;avec=93048&amp;avec=93066&amp;tableau=serie&amp;export=csv"' in (
        page
    )
    export = csv_rows(portal.get(PAGE + CHOSEN + "&tableau=serie&export=csv"))
    assert export[1][:4] == headers[:4]
    assert export[2][:4] == ["2019", "n.d.", "19,0", "n.d."]  # as shown
    assert export[4][:4] == ["2021", "27,0", "21,0", "s"]

    # Without a choice, the chart and the API's series stay as they were.
    svg = series_chart(portal.get(PAGE + "?annee=2021").content.decode())
    assert "commune choisie" not in svg and "Montreuil" not in svg
    api = portal.get("/api/v1/series/?commune=93010&indicator=TP60").json()
    assert "chosen" not in api and [p["year"] for p in api["points"]] == [2020, 2021]


# --- 5. the member space's comparison offers the same choice -----------------------------


def test_the_member_space_comparison_sets_published_communes_beside_its_own(two_members):
    bondy, montreuil = two_members  # schemas cloned from one template: their ids collide
    observe_and_publish(montreuil, "TP60", 2021, 20)
    observe(montreuil, "TP60", 2020, 99)  # Montreuil's draft: never in Bondy's space
    observe(bondy, "TP60", 2021, 27)  # Bondy's own draft, compared in its space
    pool_value(pool_member("93031"), "TP60", 2021, 31)  # Épinay-sur-Seine
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))

    page = client.get("/abs/comparaison/TP60/?annee=2021").content.decode()
    listed = page[page.index('class="abs-checkboxes"') : page.index("</fieldset>")]
    assert 'for="avec-93048"' in listed and 'for="avec-93031"' in listed
    assert 'for="avec-93010"' not in listed

    page = client.get("/abs/comparaison/TP60/?annee=2021&avec=93048").content.decode()
    table = page[page.index("<caption>Bondy") : page.index("</table>")]
    rows = table.split("<tr>")[2:]
    assert "Bondy (commune)" in rows[0] and "27,0 (brouillon)" in rows[0]
    assert "Montreuil (commune choisie)" in rows[1] and ">20,0<" in rows[1]
    assert ">+7,0 points<" in rows[1]  # Bondy's own value minus Montreuil's published one
    svg = series_chart(page)
    assert markers_of(svg, legend_index(svg, "Montreuil (commune choisie)")) == 1
    assert "99" not in series_table(page)
    assert 'value="93048" checked' in page

    rows = csv_rows(client.get("/abs/comparaison/TP60/?annee=2021&avec=93048&export=csv"))
    assert rows[3][:3] == ["Montreuil (commune choisie)", "20,0", "7,0"]
    serie = csv_rows(
        client.get("/abs/comparaison/TP60/?annee=2021&avec=93048&tableau=serie&export=csv")
    )
    assert serie[1][:3] == ["Année", "Bondy", "Montreuil (commune choisie)"]
    assert [row[:3] for row in serie[2:]] == [["2021", "27,0 (brouillon)", "20,0"]]

    # In Montreuil's space, Bondy's drafts are nothing to choose: Bondy published nothing.
    other = member_client(montreuil, make_person(montreuil, "direction@montreuil.test"))
    refused = other.get("/abs/comparaison/TP60/?annee=2021&avec=93010").content.decode()
    assert "Commune(s) ignorée(s) : 93010" in refused and "27,0" not in refused

    # A CIAS (seated in Bondy, its ids colliding too) is compared with the other CIAS only.
    connection.set_schema_to_public()  # a member host's request left the connection there
    cias = make_member("93010", kind=CIAS, epci_siren=EST_ENSEMBLE)
    observe(cias, "TP60", 2021, 30)
    client = member_client(cias, make_person(cias, "direction@cias.test"))
    page = client.get("/abs/comparaison/TP60/?annee=2021&avec=93048").content.decode()
    assert "abs-checkboxes" not in page and "commune choisie" not in page


# --- 6. the demo loads no reference value for a count -------------------------------------


def test_the_demo_loads_no_reference_value_for_a_count(portal):
    members = [make_member(code) for code in ("93010", "93048")]
    # A code of the demo's reference table that the catalogue (edited by the union) says is a
    # count: its reference total would be loaded for nothing, as RSA's or DOMIC's would. (The
    # references only: the demo's observations of LOCHLM have decimals, which a count refuses;
    # the whole demo, with the real catalogue, loads in test_demo.py.)
    Indicator.objects.filter(code="LOCHLM").update(unit=Indicator.Unit.COUNT)
    demo.load_references(members, io.StringIO())
    counts = Indicator.objects.filter(unit=Indicator.Unit.COUNT)
    assert ReferenceValue.objects.exists()
    assert not ReferenceValue.objects.filter(indicator__in=counts).exists()
    assert ReferenceValue.objects.filter(indicator_id="TP60").exists()
    assert Commune.objects.filter(code="93010").exists()
