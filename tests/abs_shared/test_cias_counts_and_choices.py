"""A CIAS's count describes its whole intercommunality: it is shown as secret wherever it would
give a commune's secret count away (pages, exports, API). Counts are compared with no other
member. The comparison form's label, the references summary's « France entière » and the
message for `?avec=` naming the page's own commune."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tenants.models import MemberCCAS
from tests.abs_shared.conftest import pool_member, pool_value, reference, write_file
from tests.abs_shared.test_admin import staff
from union import roles

pytestmark = pytest.mark.django_db

EST_ENSEMBLE = "200057875"  # EPT of Bondy, Montreuil and Pantin
CIAS = MemberCCAS.Kind.CIAS
NNBSP = "\u202f"
COMMUNES_EXPORT = "/indicateurs/RSA/?annee=2021&export=csv"
CIAS_PAGES = (
    f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/",
    f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/?export=csv",
    f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/RSA/?annee=2021",
    f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/RSA/?annee=2021&export=csv",
    f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/RSA/?tableau=serie&export=csv",
    "/indicateurs/RSA/?annee=2021",
    COMMUNES_EXPORT,
    "/indicateurs/RSA/?annee=2021&tableau=intercommunalites&export=csv",
    f"/api/v1/comparison/?intercommunality={EST_ENSEMBLE}&indicator=RSA&year=2021",
    f"/api/v1/series/?intercommunality={EST_ENSEMBLE}&indicator=RSA",
)
XLSX_PAGES = (
    f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/?export=xlsx",
    f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/RSA/?annee=2021&export=xlsx",
    "/indicateurs/RSA/?annee=2021&tableau=intercommunalites&export=xlsx",
)


def rsa_with_cias(pantin) -> None:
    """RSA households 2021: Bondy 500, Montreuil 700, Pantin `pantin`; the CIAS of Est Ensemble
    (seated in Noisy-le-Sec) 1207 in 2021 and 1100 in 2020."""
    pool_value(pool_member("93010"), "RSA", 2021, 500)
    pool_value(pool_member("93048"), "RSA", 2021, 700)
    pool_value(pool_member("93055"), "RSA", 2021, pantin)
    cias = pool_member("93053", CIAS, EST_ENSEMBLE)
    pool_value(cias, "RSA", 2021, 1207)
    pool_value(cias, "RSA", 2020, 1100)


def shown_texts(portal, tmp_path) -> list[str]:
    """Every page, export and API answer where the CIAS's count could appear, as plain text."""
    texts = []
    for url in CIAS_PAGES:
        response = portal.get(url)
        assert response.status_code == 200, url
        texts.append(response.content.decode("utf-8-sig"))
    for index, url in enumerate(XLSX_PAGES):
        path = tmp_path / f"export-{index}.xlsx"
        path.write_bytes(portal.get(url).content)
        sheet = load_workbook(path).active
        texts.append(str([cell.value for row in sheet.iter_rows() for cell in row]))
    return [text.replace(NNBSP, "").replace("\xa0", "").replace(" ", "") for text in texts]


def assert_secret_in_the_api_for_2021_only(portal) -> None:
    """The API's comparison gives the CIAS's 2021 count as secret, without a value, and its
    series keeps 2020's value."""
    api = portal.get(CIAS_PAGES[8]).json()
    assert api["status"] == "secret" and api["value"] is None
    series = portal.get(CIAS_PAGES[9]).json()
    assert [(p["year"], p["status"]) for p in series["points"]] == [
        (2020, "value"),
        (2021, "secret"),
    ]


def test_a_cias_count_that_would_reveal_a_communes_secret_appears_nowhere(portal, tmp_path):
    rsa_with_cias("s")
    for text in shown_texts(portal, tmp_path):
        assert "1207" not in text
    assert_secret_in_the_api_for_2021_only(portal)
    # Never used in an evolution: no change from 1100 in the portrait.
    portrait = list(csv.reader(io.StringIO(shown_texts(portal, tmp_path)[1]), delimiter=";"))
    rsa = next(row for row in portrait if row[0].startswith("Foyers"))
    assert rsa[2] == "s" and rsa[3] in ("–", "-")


def test_a_cias_count_is_shown_when_no_commune_of_it_is_secret(portal, tmp_path):
    rsa_with_cias(50)  # 7 would be published as secret (small count)
    texts = shown_texts(portal, tmp_path)
    for url, text in zip(CIAS_PAGES + XLSX_PAGES, texts, strict=True):
        # The communes' table and its export never hold a CIAS's value.
        assert ("1207" in text) == (url != COMMUNES_EXPORT), url


# --- counts are compared with no other member -----------------------------------------------


def test_a_count_has_no_members_or_peers_distribution_and_no_chosen_communes(portal):
    rsa_with_cias(50)  # 7 would be published as secret (small count)
    commune = portal.get("/api/v1/comparison/?commune=93010&indicator=RSA&year=2021").json()
    assert commune["value"] == 500.0
    assert commune["members"] is None and commune["peers"] is None
    cias = portal.get(CIAS_PAGES[8]).json()
    assert cias["members"] is None and cias["peers"] is None
    page = portal.get("/indicateurs/communes/93010/RSA/?annee=2021&avec=93048").content.decode()
    assert "Comparer avec d'autres communes" not in page and 'name="avec"' not in page
    assert "Montreuil (commune choisie)" not in page
    assert "un effectif ne se compare pas à celui d&#x27;autres communes" in page
    # A rate still offers the choice.
    pool_value(pool_member("93031"), "TP60", 2021, 31)
    pool_value(pool_member("93001"), "TP60", 2021, 30)
    rate = portal.get("/indicateurs/communes/93031/TP60/?annee=2021").content.decode()
    assert "Comparer avec d'autres communes" in rate


# --- the comparison form's label --------------------------------------------------------------


def test_the_comparison_form_is_labelled_by_what_it_chooses(portal):
    pool_value(pool_member("93031"), "TP60", 2021, 31)
    pool_value(pool_member("93001"), "TP60", 2021, 30)
    with_choices = portal.get("/indicateurs/communes/93031/TP60/?annee=2021").content.decode()
    assert 'aria-label="Choisir l\'année et les communes comparées"' in with_choices
    cias = pool_member("93053", CIAS, EST_ENSEMBLE)
    pool_value(cias, "TP60", 2021, 40)
    alone = portal.get(f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/TP60/").content.decode()
    assert 'aria-label="Choisir l\'année"' in alone


# --- « France entière » in the references summary ----------------------------------------------


def test_the_references_summary_names_france_entiere_apart(tmp_path):
    client = staff(roles.EDITOR)
    path = write_file(
        tmp_path,
        "references.csv",
        "level;code;indicator;year;value\nfrance;FRM;TP60;2021;14,5\nfrance;FR;TP60;2021;15\n",
    )
    with path.open("rb") as handle:
        client.post("/admin/abs/references/", {"file": handle})
    page = client.get("/admin/abs/references/").content.decode()
    assert "<td>France entière</td>" in page and "<td>France métropolitaine</td>" in page


# --- `?avec=` naming the page's own commune ----------------------------------------------------


def test_choosing_the_pages_own_commune_gets_its_own_message(portal):
    pool_value(pool_member("93010"), "TP60", 2021, 27)
    pool_value(pool_member("93048"), "TP60", 2021, 20)
    page = portal.get("/indicateurs/communes/93010/TP60/?annee=2021&avec=93010").content.decode()
    assert "93010 est la commune de cette page" in page
    assert "code inconnu" not in page


def test_the_references_summary_keeps_one_line_per_other_level():
    """The summary groups the other levels as before: one line per level and indicator."""
    reference("departement", "93", "TP60", 2021, "27.6")
    reference("departement", "75", "TP60", 2021, "20")
    page = staff(roles.EDITOR).get("/admin/abs/references/").content.decode()
    assert page.count("<td>Département</td>") == 1
