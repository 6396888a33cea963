"""Portal pages: catalogue, indicator page, portrait, comparison; charts, secrecy, exports."""

import csv
import io

import pytest
from openpyxl import load_workbook

from abs_shared.models import DEMO_SOURCE
from tests.abs_shared.conftest import pool_member, pool_value, reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(db):
    """Five communes published TP60 2020-2021; Saint-Denis' 2021 value is secret."""
    values = {
        "93010": (27, 25),
        "93001": (31, 30),
        "93055": (21, 20),
        "93048": (11, 10),
        "93066": (28, "s"),
    }
    for code, (v2020, v2021) in values.items():
        member = pool_member(code)
        pool_value(member, "TP60", 2020, v2020)
        pool_value(member, "TP60", 2021, v2021)
        pool_value(member, "CHOM", 2021, 15)
    reference("france", "FRM", "TP60", 2021, "14.5")
    reference("departement", "93", "TP60", 2021, "27.6")


def test_catalogue_lists_the_seeded_indicators(portal, pool):
    page = portal.get("/indicateurs/").content.decode()
    assert "Taux de pauvreté au seuil de 60 %" in page
    assert "Élections de domicile actives" in page
    assert 'href="/indicateurs/TP60/"' in page
    assert 'href="/indicateurs/communes/93010/"' in page
    # One section per theme, in catalogue order.
    assert page.count(">Revenus et pauvreté</h2>") == 1
    assert page.index(">Démographie</h2>") < page.index(">Revenus et pauvreté</h2>")
    assert page.index("Taux de pauvreté") < page.index("Médiane du niveau de vie")
    # No CIAS has published: no column of zeros for them.
    assert "Communes ayant publié</th>" in page
    assert "Intercommunalités (CIAS) ayant publié" not in page


def test_indicator_page_sorts_and_never_charts_a_secret(portal, pool):
    response = portal.get("/indicateurs/TP60/?annee=2021")
    page = response.content.decode()
    assert response.status_code == 200
    # Most fragile first for a "more is more fragile" indicator; the secret value last.
    order = [page.index(name) for name in ("Aubervilliers", "Bondy", "Pantin", "Montreuil")]
    assert order == sorted(order)
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert svg.count('class="abs-bar"') == 4  # four numbers, the secret one is not drawn
    assert ">Saint-Denis<" not in svg
    assert "Seine-Saint-Denis" in svg and "France métropolitaine" in svg  # reference lines
    by_name = portal.get("/indicateurs/TP60/?annee=2021&tri=nom&ordre=asc").content.decode()
    assert by_name.index("Aubervilliers") < by_name.index("Bondy") < by_name.index("Montreuil")


def test_indicator_export_is_what_is_shown(portal, pool, tmp_path):
    response = portal.get("/indicateurs/TP60/?annee=2021&export=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "Commune" and len(rows) == 7  # after the caption
    assert rows[2][0] == "Aubervilliers" and rows[2][3] == "30,0"  # as shown
    assert rows[6][0] == "Saint-Denis" and rows[6][3] == "s" and rows[6][4] == "–"
    xlsx = portal.get("/indicateurs/TP60/?annee=2021&export=xlsx")
    path = tmp_path / "export.xlsx"
    path.write_bytes(xlsx.content)
    sheet = load_workbook(path).active
    assert sheet["A3"].value == "Aubervilliers" and sheet["D3"].value == 30


def test_portrait_and_comparison_pages(portal, pool):
    page = portal.get("/indicateurs/communes/93010/").content.decode()
    assert "Portrait de Bondy" in page
    assert "Taux de chômage" in page and "Taux de pauvreté" in page
    assert "2 sur 4" in page  # TP60 2021 rank among the four numbers
    # The position charts' data as a table: TP60 2021 among 10, 20, 25 and 30.
    distribution = page[page.index("les graphiques en tableau") :]
    row = distribution[distribution.index("Taux de pauvreté") :].split("</tr>")[0]
    for shown in ("10,0", "17,5", "22,5", "26,3", "30,0"):  # min, Q1, median, Q3, max
        assert f">{shown}<" in row, shown
    comparison = portal.get("/indicateurs/communes/93010/TP60/?annee=2021").content.decode()
    assert "Seine-Saint-Denis" in comparison and "\u22122,6 points" in comparison
    assert "Rupture de série" not in comparison.split("<h2>Évolution</h2>")[0]
    rows = list(
        csv.reader(
            io.StringIO(
                portal.get(
                    "/indicateurs/communes/93010/TP60/?annee=2021&tableau=serie&export=csv"
                ).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert [row[0] for row in rows[2:4]] == ["2020", "2021"]  # caption, headers, years
    assert portal.get("/indicateurs/communes/99999/").status_code == 404
    assert portal.get("/indicateurs/NOPE/").status_code == 404


def test_demo_values_say_so_on_pages_and_exports(portal, db):
    from abs_shared.models import Indicator
    from abs_shared.services import PublishItem, publish_values

    publish_values(
        pool_member("93010"),
        [PublishItem(Indicator.objects.get(code="CHOM"), 2021, 18, "value", None, DEMO_SOURCE)],
    )
    page = portal.get("/indicateurs/communes/93010/").content.decode()
    assert "Données de démonstration" in page
    export = portal.get("/indicateurs/communes/93010/?export=csv").content.decode("utf-8-sig")
    assert "Données de démonstration" in export


def test_a_secret_value_gets_no_chart_in_the_portrait(portal, pool):
    page = portal.get("/indicateurs/communes/93066/").content.decode()
    # Saint-Denis: TP60 2021 secret, CHOM 2021 a number: one position chart only.
    assert page.count("<svg") == 1
    assert "<strong>s</strong> (secret statistique)" in page and "Valeur non représentée" in page


def test_commune_search_is_tolerant(portal, pool):
    assert portal.get("/indicateurs/communes/?q=BONDY").url == "/indicateurs/communes/93010/"
    assert portal.get("/indicateurs/communes/?q=93048").url == "/indicateurs/communes/93048/"
    page = portal.get("/indicateurs/communes/?q=Aubervillers").content.decode()
    assert 'href="/indicateurs/communes/93001/"' in page  # a suggestion despite the typo
    listing = portal.get("/indicateurs/communes/").content.decode()
    assert "Pantin" in listing and "(5)" in listing


def test_indicator_table_headers_sort(portal, pool):
    page = portal.get("/indicateurs/TP60/?annee=2021&tri=population&ordre=asc").content.decode()
    assert 'aria-sort="ascending"' in page
    assert 'href="?annee=2021&amp;tri=population&amp;ordre=desc"' in page  # reverses
    assert 'href="?annee=2021&amp;tri=nom&amp;ordre=asc"' in page
    populations = [page.index(name) for name in ("Bondy", "Pantin", "Aubervilliers", "Montreuil")]
    assert populations == sorted(populations)  # smallest first


def test_halves_round_up_and_a_missing_reference_is_not_shown_as_secret(portal, pool):
    from abs_shared.models import ReferenceValue, ValueStatus

    pool_value(pool_member("93008"), "TP60", 2021, "14.35")  # Bobigny
    reference("region", "11", "TP60", 2021, "27.25")
    ReferenceValue.objects.create(
        level="france", code="FRM", indicator_id="TP60", year=2020, status=ValueStatus.MISSING
    )
    page_2021 = portal.get("/indicateurs/TP60/?annee=2021").content.decode()
    assert "14,4" in page_2021 and "14,3" not in page_2021  # 14.35 is not read as 14.3499…
    assert "Île-de-France : 27,3" in page_2021
    page_2020 = portal.get("/indicateurs/TP60/?annee=2020").content.decode()
    assert "France métropolitaine : n.d." in page_2020


def test_a_cias_is_not_listed_as_a_publishing_commune(portal, pool):
    from tenants.models import MemberCCAS

    pool_value(pool_member("93008", MemberCCAS.Kind.CIAS), "TP60", 2021, 12)  # seated in Bobigny
    catalogue = portal.get("/indicateurs/").content.decode()
    communes = portal.get("/indicateurs/communes/").content.decode()
    assert "/indicateurs/communes/93008/" not in catalogue + communes
    assert (
        "/indicateurs/communes/93010/" in catalogue and "/indicateurs/communes/93010/" in communes
    )
