"""A visitor sets up to five other publishing communes beside a commune's value (`?avec=`):
extra rows in the comparison table, its export and its chart; a secret is shown « s », never
charted; unknown or unpublished codes are ignored with a French message."""

import csv
import io

import pytest

from tenants.models import MemberCCAS
from tests.abs_shared.conftest import pool_member, pool_value

pytestmark = pytest.mark.django_db

PAGE = "/indicateurs/communes/93010/TP60/"


@pytest.fixture
def pool(db):
    """TP60 2021: Bondy 27, Montreuil 20, Épinay-sur-Seine 31, Saint-Denis secret, Pantin 2020
    only, Aubervilliers, Bobigny, Drancy and Livry-Gargan; a CIAS seated in Noisy-le-Sec."""
    values = {
        "93010": 27,  # Bondy
        "93048": 20,  # Montreuil
        "93031": 31,  # Épinay-sur-Seine
        "93066": "s",  # Saint-Denis
        "93001": 30,  # Aubervilliers
        "93008": 22,  # Bobigny
        "93029": 24,  # Drancy
        "93046": 18,  # Livry-Gargan
    }
    for code, value in values.items():
        pool_value(pool_member(code), "TP60", 2021, value)
    pool_value(pool_member("93055"), "TP60", 2020, 21)  # Pantin
    pool_value(pool_member("93053", MemberCCAS.Kind.CIAS, "200057875"), "TP60", 2021, 40)


def comparison_rows(page: str) -> list[str]:
    table = page[page.index("<caption>Bondy") : page.index("</table>")]
    return table.split("<tr>")[2:]  # after the headers


def test_the_form_lists_the_other_publishing_communes_by_name(portal, pool):
    page = portal.get(PAGE + "?annee=2021").content.decode()
    assert "<legend>Comparer avec d'autres communes ayant publié cet indicateur" in page
    listed = page[page.index('class="abs-checkboxes"') : page.index("</fieldset>")]
    assert 'for="avec-93010"' not in listed  # not Bondy itself
    assert 'for="avec-93053"' not in listed  # not the CIAS' seat: its values are not a commune's
    names = ["Aubervilliers", "Bobigny", "Drancy", "Épinay-sur-Seine", "Livry-Gargan"]
    names += ["Montreuil", "Pantin", "Saint-Denis"]
    positions = [listed.index(f">{name} (") for name in names]
    assert positions == sorted(positions)  # « Épinay » among the E, not after Z
    assert '<input type="checkbox" id="avec-93048" name="avec" value="93048">' in listed
    # An intercommunality is compared with the other CIAS only: no commune to choose.
    cias = portal.get("/indicateurs/intercommunalites/200057875/TP60/?annee=2021&avec=93048")
    assert "abs-checkboxes" not in cias.content.decode()
    assert "commune choisie" not in cias.content.decode()


def test_chosen_communes_are_rows_of_the_table_its_export_and_its_chart(portal, pool):
    query = "?annee=2021&avec=93048&avec=93066&avec=93055"
    page = portal.get(PAGE + query).content.decode()
    rows = comparison_rows(page)
    assert rows[0].startswith('<th scope="row">Bondy (commune)')
    montreuil, saint_denis, pantin = rows[1:4]
    assert "Montreuil (commune choisie)" in montreuil and ">20,0<" in montreuil
    assert ">+7,0 points<" in montreuil and ">1,35<" in montreuil  # Bondy - Montreuil, ratio
    assert "Saint-Denis (commune choisie)" in saint_denis and ">s<" in saint_denis
    assert "points" not in saint_denis  # no gap from a secret
    assert "Pantin (commune choisie)" in pantin and ">n.d.<" in pantin  # nothing in 2021
    assert 'value="93048" checked' in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "Montreuil : 20,0" in svg and svg.count('class="abs-other-dot"') == 1
    assert "Saint-Denis" not in svg and "Pantin" not in svg
    assert 'href="?annee=2021&amp;avec=93048&amp;avec=93066&amp;avec=93055&amp;export=csv"' in page

    export = portal.get(PAGE + query + "&export=csv").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(export), delimiter=";"))
    assert lines[3][:2] == ["Montreuil (commune choisie)", "20,0"]  # as shown
    assert lines[4][:2] == ["Saint-Denis (commune choisie)", "s"]


def test_unknown_unpublished_and_surplus_codes_are_ignored_with_a_message(portal, pool):
    asked = ["99999", "93053", "75056", "<b>x</b>", "93048", "93031", "93001", "93008"]
    asked += ["93029", "93046"]
    response = portal.get(PAGE, {"annee": "2021", "avec": asked})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Commune(s) ignorée(s) : 99999, 93053, 75056, &lt;b&gt;x&lt;/b&gt;" in page
    assert "5 communes au plus" in page
    rows = comparison_rows(page)
    chosen = [row for row in rows if "(commune choisie)" in row]
    assert len(chosen) == 5 and "Livry-Gargan" not in "".join(chosen)
