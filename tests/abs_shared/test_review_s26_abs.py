"""Session 26's review of the ABS as the director of the CCAS of Montreuil preparing her analyse
des besoins sociaux (entry, import, publication, portal figures, secrecy).

1. A percentage given with its numerator but not its denominator was published as a number
   even when the denominator it implies leaves fewer than 11 people out of the rate (96,7 % and
   145 people: 150 in all, 5 by difference), the very case the secrecy rule names.
2. A cell of a workbook formatted as a percentage (Excel stores 26,4 % as 0.264) was imported
   as 0,264 % — a rate a hundred times too small, published as is once validated; « 26,4 % »
   typed in the form was refused as « not a number ».
3. A median income typed « 21.340 » (a thousands point, as many spreadsheets and sites write
   it) was read as 21,34 € and published so, setting the members' minimum and ranks; a count
   written that way was already refused.

Real requests and files on a real PostgreSQL, through the project fixtures."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from abs_shared.local.importer import read_observations
from abs_shared.models import Indicator, PublishedValue, ValueStatus
from abs_shared.services import PublishItem, parse_references, pooled_status
from abs_shared.tabular import ImportRejected
from tests.abs_shared.conftest import observations_of, observe_and_publish
from tests.conftest import make_person, member_client, plain
from union.spreadsheets import workbook_bytes

pytestmark = pytest.mark.django_db

MONTREUIL = "93048"


@pytest.fixture
def director(montreuil):
    return make_person(montreuil, "direction@montreuil.test")


@pytest.fixture
def client(montreuil, director):
    return member_client(montreuil, director)


# --- 1. The rest of a rate given with its numerator only ----------------------------------------


@pytest.mark.parametrize(
    ("value", "numerator", "status"),
    [
        ("96.7", "145", ValueStatus.SECRET),  # 145 / 0,967 = 150 people: 5 live with someone
        ("93.3", "140", ValueStatus.SECRET),  # 150 in all: 10 apart
        ("92", "138", ValueStatus.VALUE),  # 150 in all: 12 apart
        ("40", "60", ValueStatus.VALUE),  # 150 in all: 90 apart
        ("0", "0", ValueStatus.SECRET),  # nobody: the numerator itself is below 11
    ],
)
def test_a_rate_given_with_its_numerator_only_is_secret_when_its_rest_is_below_11(
    db, value, numerator, status
):
    item = PublishItem(
        indicator=Indicator.objects.get(code="P75SEUL"),
        year=2021,
        value=Decimal(value),
        status=ValueStatus.VALUE,
        denominator=None,
        numerator=Decimal(numerator),
        source="test",
    )
    assert pooled_status(item) == status


def test_a_rate_with_its_numerator_only_reaches_the_portal_as_secret(montreuil, portal):
    observe_and_publish(montreuil, "P75SEUL", 2021, "96.7", numerator=Decimal(145))
    pooled = PublishedValue.objects.get(member=montreuil, indicator="P75SEUL", year=2021)
    assert pooled.status == ValueStatus.SECRET and pooled.value is None
    page = portal.get(f"/indicateurs/communes/{MONTREUIL}/?export=csv").content.decode("utf-8-sig")
    assert "96,7" not in page


# --- 2. A percentage cell of a workbook, a percentage typed with its sign -----------------------


def percent_workbook(*rows) -> bytes:
    """A template filled in Excel: (indicator, year, value, number format of the value)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["indicateur", "année", "valeur"])
    for line, (code, year, value, number_format) in enumerate(rows, start=2):
        sheet.append([code, year, value])
        sheet[f"C{line}"].number_format = number_format
    return workbook_bytes(workbook)


def test_a_percentage_cell_is_imported_as_the_rate_excel_shows(montreuil, client):
    content = percent_workbook(
        ("TP60", 2021, 0.264, "0.0%"),  # shown « 26,4 % »
        ("FAMMONO", 2021, 0.1234, "0.00%"),  # a share computed in the sheet, « 12,34 % »
        ("TP60", 2020, 25.8, "General"),  # typed as a number: unchanged
        ("MED", 2021, 21340, '#,##0" %"'),  # a « % » between quotes is text: no scaling
    )
    response = client.post(
        "/abs/importer/", {"file": SimpleUploadedFile("abs.xlsx", content)}, follow=True
    )
    assert response.status_code == 200
    values = {(o.indicator_id, o.year): o.value for o in observations_of(montreuil)}
    assert values == {
        ("TP60", 2021): Decimal("26.4"),
        ("FAMMONO", 2021): Decimal("12.34"),
        ("TP60", 2020): Decimal("25.8"),
        ("MED", 2021): Decimal(21340),
    }


def test_a_percentage_cell_for_an_indicator_that_is_no_rate_is_refused(montreuil):
    content = percent_workbook(("MED", 2021, 213.4, "0%"))  # shown « 21340 % »
    with pytest.raises(ImportRejected) as rejected:
        read_observations(SimpleUploadedFile("abs.xlsx", content), MONTREUIL)
    ((line, column, message),) = [(e.line, e.column, e.message) for e in rejected.value.errors]
    assert (line, column) == (2, "valeur")
    assert message == (
        "«\u00a021340\u00a0%\u00a0»\u00a0: cet indicateur ne se mesure pas en pourcentage "
        "(unité\u00a0: euros par an)\u00a0; écrivez le nombre seul."
    )


def test_a_percentage_typed_with_its_sign_is_taken_by_the_form(montreuil, client):
    response = client.post(
        "/abs/observations/ajouter/",
        {"indicator": "TP60", "year": "2021", "value": "26,4\u00a0%", "denominator": "1 500"},
    )
    assert response.status_code == 302
    (observation,) = observations_of(montreuil)
    assert observation.value == Decimal("26.4")
    refused = client.post(
        "/abs/observations/ajouter/", {"indicator": "MED", "year": "2021", "value": "21 340 %"}
    ).content.decode()
    assert "ne se mesure pas en pourcentage" in refused and 'value="21 340 %"' in refused


def test_a_reference_file_reads_a_percentage_cell_as_excel_shows_it(db):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["level", "code", "indicator", "year", "value"])
    sheet.append(["france", "FRM", "TP60", 2021, 0.145])
    sheet["E2"].number_format = "0.0%"
    (parsed,) = parse_references(SimpleUploadedFile("ref.xlsx", workbook_bytes(workbook)))
    assert parsed.value == Decimal("14.5")


# --- 3. An amount in euros written with a thousands point ---------------------------------------


def test_an_amount_with_a_thousands_point_is_refused_by_the_form_with_the_number_it_meant(
    montreuil, client
):
    page = client.post(
        "/abs/observations/ajouter/", {"indicator": "MED", "year": "2021", "value": "21.340"}
    ).content.decode()
    assert observations_of(montreuil) == []
    assert (
        "Montant ambigu : « 21.340 » se lirait 21,34 € ; pour 21 340 €, écrivez 21340 ou 21 340."
        in plain(page.replace("\u202f", " "))
    )
    assert 'value="21.340"' in page
    # Written plainly, or with decimals that are cents, it is taken.
    for typed, stored in (("21 340", "21340"), ("21340,5", "21340.5"), ("21.34", "21.34")):
        observations = client.post(
            "/abs/observations/ajouter/", {"indicator": "MED", "year": "2020", "value": typed}
        )
        assert observations.status_code == 302, typed
        (observation,) = observations_of(montreuil)
        assert observation.value == Decimal(stored)
        client.post(f"/abs/observations/{observation.pk}/supprimer/")


def test_an_amount_with_a_thousands_point_is_refused_by_the_import_and_the_references(montreuil):
    template = SimpleUploadedFile(
        "abs.csv", "indicateur;année;valeur\nMED;2021;21.340\nD9D1;2021;3.456\n".encode()
    )
    with pytest.raises(ImportRejected) as rejected:
        read_observations(template, MONTREUIL)
    assert [(e.line, e.column) for e in rejected.value.errors] == [(2, "valeur")]  # not D9D1
    references = SimpleUploadedFile(
        "ref.csv", b"level;code;indicator;year;value\nfrance;FRM;MED;2021;23.160\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        parse_references(references)
    ((issue,),) = [rejected.value.errors]
    assert issue.message.startswith("Montant ambigu")
