"""A portrait for a chosen year (`?annee=`) and each indicator's change since the previous
published year; secrets never enter a change."""

import csv
import html
import io
import re

import pytest

from tenants.models import MemberCCAS
from tests.abs_shared.conftest import pool_member, pool_value, reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def bondy_pool(db):
    """Bondy: TP60 2019-2021, CHOM 2021 only, RSA (a count) 2020-2021, MED across the Filosofi
    break, DEP100 with a secret 2020; Montreuil for the members' statistics."""
    bondy, montreuil = pool_member("93010"), pool_member("93048")
    for year, value in ((2019, "25.9"), (2020, 26), (2021, "27.1")):
        pool_value(bondy, "TP60", year, value)
        pool_value(montreuil, "TP60", year, 20)
    pool_value(bondy, "CHOM", 2021, 15)
    pool_value(bondy, "RSA", 2020, 1600)
    pool_value(bondy, "RSA", 2021, 1648)
    pool_value(bondy, "MED", 2021, 19000)
    pool_value(bondy, "MED", 2022, 19500)
    pool_value(bondy, "DEP100", 2020, "s")
    pool_value(bondy, "DEP100", 2021, 30)
    reference("departement", "93", "TP60", 2020, "27.6")
    reference("departement", "93", "TP60", 2021, "28.4")


def row_of(page: str, label: str) -> str:
    """The portrait table's row of an indicator (the first table of the page)."""
    start = page.index(f'<th scope="row">{label}')
    return page[start : page.index("</tr>", start)]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_the_portrait_offers_the_years_with_published_values(portal, bondy_pool):
    page = portal.get("/indicateurs/communes/93010/").content.decode()
    assert '<label for="annee">Année</label>' in page
    assert '<option value="" selected>dernière année disponible</option>' in page
    for year in (2022, 2021, 2020, 2019):
        assert f'<option value="{year}">{year}</option>' in page
    assert "<caption>Portrait de Bondy : indicateurs publiés</caption>" in page
    # By default each indicator shows its latest year.
    assert ">2022<" in row_of(page, "Médiane du niveau de vie")
    assert ">2021<" in row_of(page, "Taux de pauvreté")


def test_a_chosen_year_shows_that_years_values_and_comparisons(portal, bondy_pool):
    page = portal.get("/indicateurs/communes/93010/?annee=2020").content.decode()
    assert '<option value="2020" selected>2020</option>' in page
    assert "<caption>Portrait de Bondy : indicateurs publiés, 2020</caption>" in page
    poverty = row_of(page, "Taux de pauvreté")
    assert ">2020<" in poverty and ">26,0<" in poverty and ">27,6<" in poverty  # Bondy, 93
    assert "28,4" not in poverty
    unemployment = row_of(page, "Taux de chômage")  # nothing in 2020
    assert ">2020<" in unemployment and ">n.d.<" in unemployment
    assert 'href="/indicateurs/communes/93010/TP60/?annee=2020"' in page
    assert 'href="?annee=2020&amp;export=csv"' in page

    rows = csv_rows(portal.get("/indicateurs/communes/93010/?annee=2020&export=csv"))
    assert rows[0][0] == "Portrait de Bondy : indicateurs publiés, 2020"
    poverty = next(row for row in rows if row[0].startswith("Taux de pauvreté"))
    assert poverty[1:3] == ["2020", "26,0"]  # as shown
    response = portal.get("/indicateurs/communes/93010/?annee=2020&export=xlsx")
    assert "portrait-93010-2020.xlsx" in response["Content-Disposition"]


@pytest.mark.parametrize("asked", ["1990", "abcd", "2²", "99999", "2021 OR 1=1"])
def test_an_invalid_year_is_ignored_with_a_french_message(portal, bondy_pool, asked):
    response = portal.get("/indicateurs/communes/93010/", {"annee": asked})
    page = response.content.decode()
    assert response.status_code == 200
    assert "ignorée" in page and "années disponibles : 2022, 2021, 2020, 2019" in page
    assert '<option value="" selected>dernière année disponible</option>' in page
    assert ">2021<" in row_of(page, "Taux de pauvreté")
    export = portal.get("/indicateurs/communes/93010/", {"annee": asked, "export": "csv"})
    assert export.status_code == 200
    assert csv_rows(export)[0][0] == "Portrait de Bondy : indicateurs publiés"


def test_an_intercommunality_portrait_takes_a_year_too(portal, db):
    est_ensemble = "200057875"
    cias = pool_member("93048", MemberCCAS.Kind.CIAS, intercommunality=est_ensemble)
    pool_value(cias, "TP60", 2020, 30)
    pool_value(cias, "TP60", 2021, 31)
    page = portal.get(f"/indicateurs/intercommunalites/{est_ensemble}/?annee=2020").content.decode()
    assert ">30,0<" in row_of(page, "Taux de pauvreté") and ">31,0<" not in page


def test_the_change_since_the_previous_published_year(portal, bondy_pool):
    page = portal.get("/indicateurs/communes/93010/").content.decode()
    change_header = "Évolution depuis l'année publiée précédente"
    assert f'<th scope="col" class="num" rowspan="2">{change_header}</th>' in (
        page.replace("&#x27;", "'")
    )
    poverty, rsa = row_of(page, "Taux de pauvreté"), row_of(page, "Foyers allocataires du RSA")
    assert ">hausse\u00a0de\u00a01,1\u202fpt depuis\u00a02020<" in poverty  # 27,1 - 26,0 points
    assert ">hausse\u00a0de\u00a03,0\u202f% depuis\u00a02020<" in rsa  # 1648 / 1600
    assert ">–<" in row_of(page, "Taux de chômage")  # nothing earlier
    assert ">– (rupture de série)<" in row_of(page, "Médiane du niveau de vie")  # Filosofi
    # 2020 is secret: no change from it, and none skipping over it either.
    dep100 = row_of(page, "Part des allocataires dont les ressources")
    assert ">30,0<" in dep100 and "depuis" not in dep100

    earlier = portal.get("/indicateurs/communes/93010/?annee=2020").content.decode()
    assert ">hausse\u00a0de\u00a00,1\u202fpt depuis\u00a02019<" in row_of(
        earlier, "Taux de pauvreté"
    )
    assert "depuis" not in row_of(earlier, "Part des allocataires dont les ressources")  # secret

    rows = csv_rows(portal.get("/indicateurs/communes/93010/?export=csv"))
    poverty = next(row for row in rows if row[0].startswith("Taux de pauvreté"))
    # As text: the year it is measured from stays with the figure (in words: nothing to quote).
    assert poverty[3] == "hausse\u00a0de\u00a01,1\u202fpt depuis\u00a02020"


def test_the_portrait_groups_its_columns_and_its_exports_keep_the_full_headers(portal, bondy_pool):
    """Twelve columns: on the page the territories, the members and the comparable communes
    each head their own columns (« Médiane », « Rang »), so the table fits a laptop's screen;
    the CSV and XLSX, read without the grouping row, keep headers that say it all. The value's
    source is a thirteenth column in the exports, a line under the indicator on the page."""
    page = portal.get("/indicateurs/communes/93010/").content.decode()
    head = page[page.index("<thead>") : page.index("</thead>")]
    top, below = re.findall(r"<tr>(.*?)</tr>", head)
    assert re.findall(r">([^<]+)</th>", top) == [
        "Indicateur",
        "Année",
        "Valeur",
        "Évolution depuis l&#x27;année publiée précédente",
        "Territoires de référence",
        "Membres",
        "Communes comparables",
    ]
    assert '<th scope="col" rowspan="2">Indicateur</th>' in top
    assert '<th scope="colgroup" colspan="4" class="group">Territoires de référence</th>' in top
    assert '<th scope="colgroup" colspan="2" class="group">Membres</th>' in top
    assert re.findall(r">([^<]+)</th>", below) == [
        "Est Ensemble",
        "Seine-Saint-Denis",
        "Île-de-France",
        "France métropolitaine",
        "Médiane",
        "Rang",
        "Médiane",
        "Rang",
    ]
    assert page.count("<colgroup") == 4
    # Each body row has as many cells as the head has columns.
    poverty = row_of(page, "Taux de pauvreté")
    assert poverty.count("<td") + poverty.count("<th") == 12
    assert "<br><small>Source : test</small></th>" in poverty

    header = csv_rows(portal.get("/indicateurs/communes/93010/?export=csv"))[1]
    assert header[3:] == [
        "Évolution depuis l'année publiée précédente",
        "Est Ensemble",
        "Seine-Saint-Denis",
        "Île-de-France",
        "France métropolitaine",
        "Médiane des membres",
        "Rang parmi les membres",
        "Médiane des communes comparables",
        "Rang parmi les communes comparables",
        "Source",
    ]


def test_the_member_space_portrait_takes_a_year_and_marks_a_draft_change(bondy):
    from tests.abs_shared.conftest import observe, observe_and_publish
    from tests.conftest import make_person, member_client

    observe_and_publish(bondy, "TP60", 2020, 26)
    observe(bondy, "TP60", 2021, "27.5")  # a draft
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))

    latest = client.get("/abs/portrait/").content.decode()
    assert ">hausse\u00a0de\u00a01,5\u202fpt depuis\u00a02020 (brouillon)<" in row_of(
        latest, "Taux de pauvreté"
    )
    chosen = client.get("/abs/portrait/?annee=2020").content.decode()
    assert ">26,0<" in row_of(chosen, "Taux de pauvreté") and "27,5" not in chosen
    refused = client.get("/abs/portrait/?annee=2019").content.decode()
    assert "Année « 2019 » ignorée" in refused and "27,5 (brouillon)" in refused


def test_a_year_without_values_is_said_on_the_indicator_and_comparison_pages(bondy_pool, portal):
    page = html.unescape(portal.get("/indicateurs/TP60/?annee=1999").content.decode())
    assert (
        "Année « 1999 » ignorée : aucune valeur publiée pour cet indicateur cette année-là "
        "(années disponibles : 2021, 2020, 2019). Année 2021 affichée." in page
    )
    comparison = html.unescape(
        portal.get("/indicateurs/communes/93010/TP60/?annee=abc").content.decode()
    )
    assert "Année « abc » ignorée : aucune valeur pour Bondy cette année-là" in comparison
    # The year asked, when it has values, and the files, carry no message.
    for quiet in ("/indicateurs/TP60/?annee=2020", "/indicateurs/TP60/?annee=1999&export=csv"):
        assert "ignorée" not in portal.get(quiet).content.decode()
