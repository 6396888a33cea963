"""Session 26, ABS follow-ups: an indicator's unit is fixed once values exist (pooled, reference
or a member's own); territory codes are read the same way by the reference import and the
member's INSEE import (« 1 » is département 01); a count's indicator page, its exports and a
portrait of counts claim no rank."""

import csv
import io

import pytest
from bs4 import BeautifulSoup

from abs_shared import tabular
from abs_shared.models import Indicator, ReferenceValue
from abs_shared.services import parse_references
from tests.abs_shared.conftest import (
    pool_member,
    pool_value,
    reference,
    upload,
    write_file,
)
from tests.abs_shared.test_admin import NEW_INDICATOR, staff
from tests.abs_shared.test_portrait_pdf import flat, pdf_of, text_of
from union import roles

pytestmark = pytest.mark.django_db

RANK_LEGEND = "Rang : 1 = la situation la plus fragile"
UNIT_LOCKED = "L'unité ne peut plus être changée"


# --- 1. An indicator's unit is fixed once values exist ------------------------------------------


def edit_data(code: str, **changes) -> dict:
    """The admin edit form of an indicator as it stands, with `changes`."""
    indicator = Indicator.objects.get(code=code)
    data = {
        "label": indicator.label,
        "definition": indicator.definition,
        "unit": indicator.unit,
        "decimals": str(indicator.decimals),
        "source": indicator.source,
        "polarity": indicator.polarity,
        "theme": indicator.theme,
        "break_after": ",".join(str(year) for year in indicator.break_after),
        "break_notes": indicator.break_notes,
        "position": str(indicator.position),
    }
    return data | changes


def refused_unit_change(client, code: str, unit: str) -> str:
    before = Indicator.objects.get(code=code).unit
    response = client.post(f"/admin/abs_indicators/edit/{code}/", edit_data(code, unit=unit))
    assert response.status_code == 200, response.status_code
    assert Indicator.objects.get(code=code).unit == before
    page = " ".join(BeautifulSoup(response.content.decode(), "html.parser").get_text().split())
    assert UNIT_LOCKED in page
    assert "créez un nouvel indicateur" in page
    return page


def test_a_pooled_value_fixes_the_unit_other_fields_stay_editable():
    pool_value(pool_member("93010"), "TP60", 2021, 8)
    client = staff(roles.EDITOR)
    page = refused_unit_change(client, "TP60", Indicator.Unit.COUNT)
    assert "valeurs publiées" in page
    # The rest of the indicator stays editable, its unit kept.
    response = client.post(
        "/admin/abs_indicators/edit/TP60/", edit_data("TP60", label="Taux de pauvreté (60 %)")
    )
    assert response.status_code == 302
    assert Indicator.objects.get(code="TP60").label == "Taux de pauvreté (60 %)"


def test_a_reference_value_fixes_the_unit():
    reference(ReferenceValue.Level.FRANCE, "FRM", "TP60", 2021, "14.5")
    page = refused_unit_change(staff(roles.UNION_ADMIN), "TP60", Indicator.Unit.COUNT)
    assert "valeurs de référence" in page


def test_an_unused_indicator_changes_its_unit():
    client = staff(roles.EDITOR)
    assert client.post("/admin/abs_indicators/new/", NEW_INDICATOR).status_code == 302
    response = client.post("/admin/abs_indicators/edit/APA/", edit_data("APA", unit="percent"))
    assert response.status_code == 302
    assert Indicator.objects.get(code="APA").unit == Indicator.Unit.PERCENT


# --- 2. Territory codes without their leading zero -------------------------------------------


@pytest.mark.parametrize(
    ("typed", "width", "read"),
    [
        ("1", 2, "01"),
        (" 1 ", 2, "01"),
        ("93", 2, "93"),
        ("971", 2, "971"),
        ("2a", 2, "2A"),
        ("1004", 5, "01004"),
        ("2A004", 5, "2A004"),
        ("200057875", 9, "200057875"),
        ("FRM", 2, "FRM"),
    ],
)
def test_codes_are_read_one_way(typed, width, read):
    assert tabular.insee_code(typed, width) == read


def test_the_reference_import_pads_codes_as_the_member_import_does(tmp_path):
    path = write_file(
        tmp_path,
        "refs.csv",
        "level;code;indicator;year;value\n"
        "departement;1;TP60;2021;12,4\n"  # Ain, as a spreadsheet writes 01
        "region;1;TP60;2021;30,1\n"  # Guadeloupe (01)
        "departement;2a;TP60;2021;18,2\n"
        "france;frm;TP60;2021;14,5\n",
    )
    values = parse_references(upload(path))
    assert [(value.level, value.code) for value in values] == [
        ("departement", "01"),
        ("region", "01"),
        ("departement", "2A"),
        ("france", "FRM"),
    ]


# --- 3. Counts claim no rank --------------------------------------------------------------------


@pytest.fixture
def rsa_pool(db):
    """Three communes' RSA households (a count whose catalogue polarity is « more fragile »)."""
    members = {}
    for insee, value in (("93010", 1648), ("93048", 2400), ("93066", 3100)):
        members[insee] = pool_member(insee)
        pool_value(members[insee], "RSA", 2021, value)
    return members


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(BeautifulSoup(response.content.decode(), "html.parser").get_text().split())


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_a_counts_indicator_page_and_its_export_claim_no_rank(portal, rsa_pool):
    text = page_text(portal.get("/indicateurs/RSA/?annee=2021"))
    assert "1 648" in text
    assert RANK_LEGEND not in text
    assert "Rang" not in text
    rows = csv_rows(portal.get("/indicateurs/RSA/?annee=2021&export=csv"))
    assert rows[1] == ["Commune", "Département", "Population", "Valeur", "Source"]
    assert not any("Rang" in cell or "rang" in cell for row in rows for cell in row)
    # Already so on a count's comparison page (checked, not changed).
    assert RANK_LEGEND not in page_text(portal.get("/indicateurs/communes/93010/RSA/?annee=2021"))


def test_a_count_published_twice_is_not_said_too_few_to_rank(portal):
    for insee, value in (("93010", 1648), ("93048", 2400)):
        pool_value(pool_member(insee), "RSA", 2021, value)
    text = page_text(portal.get("/indicateurs/RSA/?annee=2021"))
    assert "Pas de rang" not in text and "rang" not in text.lower()


def test_a_rate_keeps_its_rank_column_and_legend(portal):
    for insee, value in (("93010", 27), ("93048", 20), ("93066", 31)):
        pool_value(pool_member(insee), "TP60", 2021, value)
    text = page_text(portal.get("/indicateurs/TP60/?annee=2021"))
    assert RANK_LEGEND in text and "Rang (1 = le plus fragile)" in text
    rows = csv_rows(portal.get("/indicateurs/TP60/?annee=2021&export=csv"))
    assert "Rang (1 = le plus fragile)" in rows[1]


def test_a_portrait_of_counts_claims_no_rank_in_its_pdf(portal, rsa_pool):
    assert RANK_LEGEND not in page_text(portal.get("/indicateurs/communes/93010/"))
    text = flat(text_of(pdf_of(portal.get("/indicateurs/communes/93010/?export=pdf"))))
    assert "1 648" in text
    assert RANK_LEGEND not in text


def test_a_portrait_with_a_rate_keeps_the_rank_legend_in_its_pdf(portal, rsa_pool):
    for insee, value in (("93010", 27), ("93048", 20), ("93066", 31)):
        pool_value(rsa_pool[insee], "TP60", 2021, value)
    text = flat(text_of(pdf_of(portal.get("/indicateurs/communes/93010/?export=pdf"))))
    assert RANK_LEGEND in text
