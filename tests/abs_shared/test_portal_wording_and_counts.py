"""Portal pages and exports: French numbers and sentences, latest published year, accent-folded
order, exports that always download, captions in exports, DROM territories, counts shown raw."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from abs_shared.services import import_references
from tenants.models import Commune
from tests.abs_shared.conftest import (
    observe,
    observe_and_publish,
    pool_member,
    pool_value,
    reference,
    upload,
    write_file,
)
from tests.conftest import make_person, member_client

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"  # the narrow no-break space union.formats.french_number puts between thousands
EST_ENSEMBLE = "200057875"  # EPT of Bondy, Montreuil and Pantin


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _sheet(response, tmp_path):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    path = tmp_path / "export.xlsx"
    path.write_bytes(response.content)
    return load_workbook(path).active


# --- 1. numbers and wording ---------------------------------------------------------------


def test_the_portrait_writes_the_population_with_a_thousands_separator(portal):
    pool_value(pool_member("93048"), "TP60", 2021, 10)
    population = Commune.objects.get(code="93048").population
    assert population >= 1000
    page = portal.get("/indicateurs/communes/93048/").content.decode()
    grouped = f"{population:,}".replace(",", NNBSP)
    # Said where it comes from: the CCAS's own « Population municipale » may differ.
    assert f"{grouped} habitants (population légale Insee, référentiel géographique 2026)" in page
    assert f"{population} habitants" not in page


def test_a_gap_that_rounds_to_zero_reads_zero_without_a_sign(portal):
    pool_value(pool_member("93010"), "TP60", 2021, "27.58")
    reference("departement", "93", "TP60", 2021, "27.6")  # gap -0.02, shown with one decimal
    page = portal.get("/indicateurs/communes/93010/TP60/?annee=2021").content.decode()
    assert "-0,0" not in page and "+0,0" not in page
    assert ">0,0 point<" in page  # « point » below 2


def test_a_commune_without_values_still_gets_a_complete_sentence(portal):
    # Members that have published nothing yet: their values will be compared (a commune whose
    # CCAS is no member is compared with nobody, tests/knowledge_base/test_portal_followups_s28).
    pool_member("01001")
    pool_member("93010")
    page = portal.get("/indicateurs/communes/01001/").content.decode()  # ~800 inhabitants
    assert "comparée aux communes ." not in page
    assert "comparée aux communes de moins de 5 000 habitants." in page
    bondy = portal.get("/indicateurs/communes/93010/").content.decode()
    assert re.search(r"comparée aux communes de [\d  ]+ à [\d  ]+ habitants\.", bondy)


# --- 2. a year marked « non disponible » does not hide the latest figure ------------------


def test_a_newer_missing_entry_does_not_hide_the_latest_published_value(bondy):
    director = make_person(bondy, "direction@bondy.test")
    observe_and_publish(bondy, "TP60", 2021, 25)
    observe(bondy, "TP60", 2022, None)  # « non disponible »
    page = member_client(bondy, director).get("/abs/portrait/").content.decode()
    assert "2021 : <strong>25,0 %</strong>" in page
    assert "2022 : <strong>n.d.</strong>" not in page


# --- 3. alphabetical order folds accents --------------------------------------------------


def test_communes_sort_alphabetically_whatever_their_accents(portal):
    for code in ("93048", "93031", "93010"):  # Montreuil, Épinay-sur-Seine, Bondy
        pool_value(pool_member(code), "TP60", 2021, 20)

    def in_order(page: str) -> bool:
        places = [page.index(name) for name in ("Bondy", "Épinay-sur-Seine", "Montreuil")]
        return places == sorted(places)

    assert in_order(portal.get("/indicateurs/").content.decode())
    assert in_order(portal.get("/indicateurs/communes/").content.decode())
    by_name = portal.get("/indicateurs/TP60/?annee=2021&tri=nom&ordre=asc")
    assert in_order(by_name.content.decode())
    rows = _csv(portal.get("/indicateurs/TP60/?annee=2021&tri=nom&ordre=asc&export=csv"))
    assert [row[0] for row in rows[2:]] == ["Bondy", "Épinay-sur-Seine", "Montreuil"]


# --- 4. an export link always downloads a file --------------------------------------------


def test_exports_without_values_are_empty_files_with_headers(portal, tmp_path):
    pool_value(pool_member("93010"), "TP60", 2021, 20)  # a commune, no CIAS
    url = "/indicateurs/TP60/?annee=2021&tableau=intercommunalites&export="
    rows = _csv(portal.get(url + "csv"))
    assert rows[1][0] == "Intercommunalité (CIAS)" and len(rows) == 2
    sheet = _sheet(portal.get(url + "xlsx"), tmp_path)
    assert sheet["A2"].value == "Intercommunalité (CIAS)" and sheet.max_row == 2
    # Nothing published at all for MED: the commune table and the comparison are files too.
    assert _csv(portal.get("/indicateurs/MED/?export=csv"))[1][0] == "Commune"
    assert _csv(portal.get("/indicateurs/communes/93010/MED/?export=csv"))[1][0] == "Repère"


# --- 5. exports open on their caption -----------------------------------------------------


def test_exports_open_on_the_caption_naming_indicator_unit_and_year(portal, tmp_path):
    pool_value(pool_member("93010"), "TP60", 2021, 20)
    pool_value(pool_member("93048"), "TP60", 2021, 10)
    caption = "Taux de pauvreté au seuil de 60 % (%), 2021 : communes ayant publié (2)"
    rows = _csv(portal.get("/indicateurs/TP60/?annee=2021&export=csv"))
    assert rows[0] == [caption, "", "", "", "", ""] and rows[1][0] == "Commune"
    sheet = _sheet(portal.get("/indicateurs/TP60/?annee=2021&export=xlsx"), tmp_path)
    assert sheet["A1"].value == caption and sheet["A2"].value == "Commune"
    comparison = _csv(portal.get("/indicateurs/communes/93010/TP60/?annee=2021&export=csv"))
    assert comparison[0][0] == "Bondy – Taux de pauvreté au seuil de 60 % (%), 2021 : comparaison"
    assert f"<caption>{caption}</caption>" in portal.get("/indicateurs/TP60/").content.decode()


# --- 6. DROM communes ---------------------------------------------------------------------


def test_a_drom_commune_has_its_departement_once_and_france_as_nation(portal):
    pool_value(pool_member("97411"), "TP60", 2021, 40)  # Saint-Denis (La Réunion)
    pool_value(pool_member("93010"), "TP60", 2021, 20)
    reference("france", "FRM", "TP60", 2021, "14.5")
    reference("france", "FR", "TP60", 2021, 15)
    reference("departement", "974", "TP60", 2021, 36)
    reference("region", "04", "TP60", 2021, 36)
    page = portal.get("/indicateurs/communes/97411/").content.decode()
    head = page[page.index("<thead>") : page.index("</thead>")]
    assert head.count(">La Réunion<") == 1
    assert '<th scope="col" class="num">France</th>' in head
    assert "France métropolitaine" not in page
    comparison = portal.get("/indicateurs/communes/97411/TP60/?annee=2021").content.decode()
    assert comparison.count('<th scope="row">La Réunion</th>') == 1
    assert '<th scope="row">France</th>' in comparison and "+25,0 points" in comparison
    indicator = portal.get("/indicateurs/TP60/?annee=2021").content.decode()
    references = indicator[indicator.index("Territoires de référence") :].split("</ul>")[0]
    assert references.count("La Réunion :") == 1
    assert "France métropolitaine : 14,5" in references and "France : 15,0" in references
    # A métropole commune keeps France métropolitaine.
    bondy = portal.get("/indicateurs/communes/93010/").content.decode()
    assert '<th scope="col" class="num">France métropolitaine</th>' in bondy


def test_the_reference_import_takes_france_entiere(tmp_path):
    path = write_file(
        tmp_path,
        "references.csv",
        "level;code;indicator;year;value\nfrance;FRM;TP60;2021;14,5\nfrance;FR;TP60;2021;15\n",
    )
    assert import_references(upload(path)) == 2


# --- 7. counts are shown raw --------------------------------------------------------------


@pytest.fixture
def rsa_pool(db):
    """RSA households 2021: Bondy 500, Montreuil 700, Pantin 7 (published as secret). Est
    Ensemble's total is 1207 here: with it, 1207 - 500 - 700 gives Pantin's secret 7 away."""
    pool_value(pool_member("93010"), "RSA", 2021, 500)
    pool_value(pool_member("93048"), "RSA", 2021, 700)
    pool_value(pool_member("93055"), "RSA", 2021, 7)
    reference("epci", EST_ENSEMBLE, "RSA", 2021, 1207)
    reference("departement", "93", "RSA", 2021, 53210)
    reference("france", "FRM", "RSA", 2021, 1834567)


def test_a_count_is_neither_ranked_nor_compared_and_its_totals_are_not_shown(
    portal, rsa_pool, tmp_path
):
    comparison = portal.get("/api/v1/comparison/?commune=93010&indicator=RSA&year=2021").json()
    assert comparison["value"] == 500.0 and comparison["references"] == []
    assert comparison["members"] is None and comparison["peers"] is None
    assert portal.get("/api/v1/series/?commune=93010&indicator=RSA").json()["references"] == []

    page = portal.get("/indicateurs/communes/93010/RSA/?annee=2021").content.decode()
    assert "Effectif : valeur brute seule" in page and "sur 2" not in page
    assert "points" not in page.split("<h2>Évolution</h2>")[0].split("</dl>")[1]
    portrait = portal.get("/indicateurs/communes/93010/").content.decode()
    assert "1 sur 2" not in portrait and "<svg" not in portrait  # no rank, no position chart
    indicator = portal.get("/indicateurs/RSA/?annee=2021").content.decode()
    assert "Territoires de référence" not in indicator and "traits pointillés" not in indicator

    # The secret count cannot be recomputed: no reference total of a count anywhere.
    shown = [
        page,
        portrait,
        indicator,
        str(comparison),
        portal.get("/api/v1/series/?commune=93048&indicator=RSA").content.decode(),
    ]
    for url in (
        "/indicateurs/communes/93010/?export=csv",
        "/indicateurs/communes/93010/RSA/?annee=2021&export=csv",
        "/indicateurs/communes/93010/RSA/?tableau=serie&export=csv",
        "/indicateurs/RSA/?annee=2021&export=csv",
    ):
        shown.append(portal.get(url).content.decode("utf-8-sig"))
    sheet = _sheet(portal.get("/indicateurs/communes/93010/?export=xlsx"), tmp_path)
    shown.append(str([cell.value for row in sheet.iter_rows() for cell in row]))
    for text in shown:
        for total in ("1207", "53210", "1834567"):
            assert total not in text.replace(NNBSP, "").replace(" ", "")


def test_the_directory_names_the_populations_vintage(portal):
    """Session 36 (audit A20 #11): the COG's legal population was shown without a year, beside
    an ABS « Population municipale 2022 »; both pages now name the geography's vintage."""
    pool_member("93048")
    page = portal.get("/membres/").content.decode()
    assert 'Population <span class="help">(légale, Insee, référentiel 2026)</span>' in page
