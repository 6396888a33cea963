"""Session 39 (audit A29): a ratio is rounded once, from the exact values, half up as every
figure; an indicator page's export writes a rank with its total (« 3 sur 4 »).

Aubervilliers' unemployment 20,0 against Plaine Commune's 18,1 is 1,10497…: the page read
« 1,11 » (the API's 1,1050 rounded again); 18,0 against 12,8 is exactly 1,40625, which the API
gave as 1,4062 (half to even)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tenants.models import Commune
from tests.abs_shared.conftest import pool_member, pool_value, reference

pytestmark = pytest.mark.django_db

AUBERVILLIERS = "93001"
PAGE = f"/indicateurs/communes/{AUBERVILLIERS}/TP60/"


@pytest.fixture
def pool(db):
    """TP60: Aubervilliers 20,0 in 2021 and 18,0 in 2022, beside three other members; its EPT
    18,1 (2021), its département 12,8 (2022)."""
    aubervilliers = pool_member(AUBERVILLIERS)
    pool_value(aubervilliers, "TP60", 2021, "20.0")
    pool_value(aubervilliers, "TP60", 2022, "18.0")
    for code, value in {"93010": 27, "93048": 22, "93008": 31}.items():
        pool_value(pool_member(code), "TP60", 2021, value)
    ept = Commune.objects.get(code=AUBERVILLIERS).ept_id
    reference("epci", ept, "TP60", 2021, "18.1")
    reference("departement", "93", "TP60", 2022, "12.8")


def reference_row(rows: list[list[str]], name: str) -> list[str]:
    return next(row for row in rows if row and name in row[0])


def test_a_ratio_is_rounded_once_on_the_page_and_in_its_exports(portal, pool, tmp_path):
    page = portal.get(PAGE + "?annee=2021").content.decode()
    table = page[page.index("<caption>Aubervilliers") :]
    plaine = table[table.index("Plaine Commune") :].split("</tr>")[0]
    assert ">1,10<" in plaine and "1,11" not in plaine

    exported = portal.get(PAGE + "?annee=2021&export=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported), delimiter=";"))
    assert reference_row(rows, "Plaine Commune")[3] == "1,10"

    path = tmp_path / "comparaison.xlsx"
    path.write_bytes(portal.get(PAGE + "?annee=2021&export=xlsx").content)
    sheet = load_workbook(path).active
    (ratio,) = [row[3].value for row in sheet.iter_rows() if "Plaine Commune" in str(row[0].value)]
    assert float(ratio) == 1.1


def test_the_api_rounds_half_up_as_the_pages_do(portal, pool):
    def ratios(year):
        data = portal.get(
            f"/api/v1/comparison/?commune={AUBERVILLIERS}&indicator=TP60&year={year}"
        ).json()
        return {ref["level"]: ref["ratio"] for ref in data["references"]}

    assert ratios(2022)["departement"] == 1.4063  # 18 / 12,8 = 1,40625
    assert ratios(2021)["epci"] == 1.105  # 1,10497… to 4 decimals


def test_an_indicator_pages_export_writes_each_rank_with_its_total(portal, pool, tmp_path):
    page = portal.get("/indicateurs/TP60/?annee=2021").content.decode()
    assert ">1 sur 4<" in page  # Bobigny, 31,0: the most fragile

    exported = portal.get("/indicateurs/TP60/?annee=2021&export=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported), delimiter=";"))
    ranks = {row[0]: row[4] for row in rows[2:] if len(row) > 4}
    assert ranks == {
        "Aubervilliers": "4 sur 4",
        "Bobigny": "1 sur 4",
        "Bondy": "2 sur 4",
        "Montreuil": "3 sur 4",
    }
    path = tmp_path / "indicateur.xlsx"
    path.write_bytes(portal.get("/indicateurs/TP60/?annee=2021&export=xlsx").content)
    sheet = load_workbook(path).active
    assert {sheet.cell(row, 5).value for row in range(3, 7)} == {
        "1 sur 4",
        "2 sur 4",
        "3 sur 4",
        "4 sur 4",
    }


def test_a_change_since_the_previous_year_is_rounded_once(portal, db):
    """Audit A30: 1 007 -> 1 079 is +7,14995 %; rounded to 4 decimals first (7,1500), the
    portrait read « hausse de 7,2 % »."""
    aubervilliers = pool_member(AUBERVILLIERS)
    pool_value(aubervilliers, "MED", 2020, 1007)
    pool_value(aubervilliers, "MED", 2021, 1079)
    page = portal.get(f"/indicateurs/communes/{AUBERVILLIERS}/?annee=2021").content.decode()
    assert "hausse\u00a0de\u00a07,1\u202f%" in page
    assert "7,2\u202f%" not in page
