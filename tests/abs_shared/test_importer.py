"""Observation and reference imports: template, INSEE layout, decimal comma, bad rows, secret."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from abs_shared.local.services import import_observations
from abs_shared.models import ReferenceValue, ValueStatus
from abs_shared.services import import_references
from abs_shared.tabular import ImportRejected
from tenants.models import Commune
from tests.abs_shared.conftest import observations_of, observe, upload, write_file

pytestmark = pytest.mark.django_db


def test_template_with_semicolons_and_decimal_comma(bondy, tmp_path):
    path = write_file(
        tmp_path,
        "abs.csv",
        "indicator;year;value;numerator;denominator;source;comment\n"
        "TP60;2021;28,4;;;INSEE Filosofi;\n"
        "MED;2021;18 240;;;;\n"
        "RSA;2022;s;;;CAF;petit effectif\n"
        "SUROCC;2020;;;;;non disponible\n"
        "DOMIC;2023;412;;;;\n",
    )
    assert import_observations(bondy, upload(path)) == 5
    found = {(o.indicator_id, o.year): o for o in observations_of(bondy)}
    assert found[("TP60", 2021)].value == Decimal("28.4")
    assert found[("MED", 2021)].value == Decimal("18240")
    assert found[("MED", 2021)].source == "INSEE Filosofi"  # the catalogue's source by default
    assert found[("RSA", 2022)].status == ValueStatus.SECRET and found[("RSA", 2022)].value is None
    assert found[("RSA", 2022)].comment == "petit effectif"
    assert found[("SUROCC", 2020)].status == ValueStatus.MISSING
    assert all(o.state == "draft" for o in found.values())


def test_template_xlsx_with_french_headers(bondy, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Indicateur", "Année", "Valeur", "Numérateur", "Dénominateur"])
    sheet.append(["tp60", 2022, 27.5, 5500, 20000])
    sheet.append(["CHOM", 2022, "18,2", None, None])
    path = tmp_path / "abs.xlsx"
    book.save(path)
    assert import_observations(bondy, upload(path)) == 2
    found = {(o.indicator_id, o.year): o for o in observations_of(bondy)}
    assert found[("TP60", 2022)].value == Decimal("27.5")
    assert found[("TP60", 2022)].denominator == Decimal("20000")
    assert found[("CHOM", 2022)].value == Decimal("18.2")


def test_insee_layout_keeps_only_this_members_commune(bondy, tmp_path):
    path = write_file(
        tmp_path,
        "filosofi.csv",
        "CODGEO,LIBGEO,MED21,TP6021,D9D121,NBMENFISC21\n"
        '93008,Bobigny,"16740,0","33,0","3,6",19000\n'
        '93010,Bondy,"19 030","26,5",s,22000\n'
        "93048,Montreuil,23000,24,4,41000\n",
    )
    assert import_observations(bondy, upload(path)) == 3
    found = {(o.indicator_id, o.year): o for o in observations_of(bondy)}
    assert set(found) == {("MED", 2021), ("TP60", 2021), ("D9D1", 2021)}
    assert found[("MED", 2021)].value == Decimal("19030")
    assert found[("TP60", 2021)].value == Decimal("26.5")
    assert found[("D9D1", 2021)].status == ValueStatus.SECRET
    assert "MED21" in found[("MED", 2021)].source


def test_insee_spreadsheet_with_title_lines_and_lost_leading_zeros(tmp_path):
    from tests.conftest import make_member

    member = make_member("01004")  # Ambérieu-en-Bugey: a code spreadsheets turn into 1004
    book = Workbook()
    sheet = book.active
    sheet.append(["Revenus, pauvreté et niveau de vie en 2021 (Filosofi)"])
    sheet.append(["Source : Insee-DGFiP-Cnaf-Cnav-CCMSA, Fichier localisé social et fiscal"])
    sheet.append([])
    sheet.append(["CODGEO", "LIBGEO", "MED21", "TP6021"])
    sheet.append([1001, "L'Abergement-Clémenciat", 24000.5, None])
    sheet.append([1004, "Ambérieu-en-Bugey", 21030, 15.2])
    path = tmp_path / "base-cc-filosofi-2021-COM.xlsx"
    book.save(path)
    assert import_observations(member, upload(path)) == 2
    found = {(o.indicator_id, o.year): o.value for o in observations_of(member)}
    assert found == {("MED", 2021): Decimal("21030"), ("TP60", 2021): Decimal("15.2")}


def test_insee_file_without_the_commune_is_refused(bondy, tmp_path):
    path = write_file(tmp_path, "f.csv", "CODGEO;MED21\n93048;23000\n")
    with pytest.raises(ImportRejected) as rejected:
        import_observations(bondy, upload(path))
    assert rejected.value.errors[0].column == "CODGEO"
    assert "93010" in rejected.value.errors[0].message


def test_bad_rows_are_reported_with_line_and_column_and_nothing_is_imported(bondy, tmp_path):
    observe(bondy, "CHOM", 2021, 17)
    path = write_file(
        tmp_path,
        "abs.csv",
        "indicator,year,value,numerator,denominator\n"
        "CHOM,2021,12.5,,\n"  # fine, but the file as a whole is refused
        "XYZ,2021,3,,\n"
        "TP60,20x1,3,,\n"
        "\n"
        "TP60,2021,112,,\n"
        'FAMMONO,2021,"1.23,5",,\n'
        "FAMMONO,2022,20,30,20\n"
        "CHOM,2021,13,,\n",
    )
    with pytest.raises(ImportRejected) as rejected:
        import_observations(bondy, upload(path))
    errors = [(e.line, e.column) for e in rejected.value.errors]
    assert (3, "indicator") in errors
    assert (4, "year") in errors
    assert (6, "value") in errors  # blank line 5 keeps the numbering of the file
    assert (7, "value") in errors  # a point and a comma, not thousands then decimals
    assert (8, "numerator") in errors
    assert (9, "indicator") in errors  # CHOM 2021 twice
    assert all(e.message for e in rejected.value.errors)
    # Nothing written: the earlier CHOM 2021 draft is untouched.
    assert [(o.indicator_id, o.value) for o in observations_of(bondy)] == [("CHOM", Decimal("17"))]


def test_missing_columns_and_empty_file(bondy, tmp_path):
    with pytest.raises(ImportRejected) as rejected:
        import_observations(
            bondy, upload(write_file(tmp_path, "a.csv", "indicator,annee\nTP60,2021\n"))
        )
    # A missing column is named in French, as the template names it.
    assert {e.column for e in rejected.value.errors} == {"valeur"}
    with pytest.raises(ImportRejected):
        import_observations(bondy, upload(write_file(tmp_path, "b.csv", "")))


def test_import_replaces_a_validated_value_as_a_draft(bondy, tmp_path):
    from abs_shared.local.services import validate_observations

    observe(bondy, "CHOM", 2021, 17)
    validate_observations(bondy, year=2021)
    import_observations(
        bondy, upload(write_file(tmp_path, "a.csv", "indicator,year,value\nCHOM,2021,18\n"))
    )
    (observation,) = observations_of(bondy)
    assert observation.value == Decimal("18") and observation.state == "draft"


def test_reference_import_command(tmp_path):
    ept = Commune.objects.get(code="93010").ept_id
    path = write_file(
        tmp_path,
        "refs.csv",
        "level,code,indicator,year,value\n"
        'france,FRM,TP60,2021,"14,5"\n'
        "region,11,TP60,2021,15.6\n"
        "departement,93,TP60,2021,s\n"
        f"epci,{ept},TP60,2021,\n",
    )
    call_command("import_references", str(path), stdout=open(tmp_path / "out.txt", "w"))
    values = {r.level: r for r in ReferenceValue.objects.filter(indicator_id="TP60", year=2021)}
    assert values["france"].value == Decimal("14.5")
    assert values["region"].value == Decimal("15.6")
    assert (
        values["departement"].status == ValueStatus.SECRET and values["departement"].value is None
    )
    assert values["epci"].status == ValueStatus.MISSING
    # Re-importing replaces rather than duplicates.
    call_command("import_references", str(path), stdout=open(tmp_path / "out.txt", "w"))
    assert ReferenceValue.objects.filter(indicator_id="TP60", year=2021).count() == 4


def test_reference_import_reports_bad_rows_and_writes_nothing(tmp_path):
    path = write_file(
        tmp_path,
        "refs.csv",
        "level;code;indicator;year;value\n"
        "france;FRM;TP60;2021;14,5\n"
        "pays;FR;TP60;2021;14\n"
        "departement;999;TP60;2021;14\n"
        "region;11;TP60;2021;abc\n",
    )
    with pytest.raises(ImportRejected) as rejected:
        import_references(upload(path))
    assert [(e.line, e.column) for e in rejected.value.errors] == [
        (3, "level"),
        (4, "code"),
        (5, "value"),
    ]
    assert not ReferenceValue.objects.exists()
    with pytest.raises(CommandError, match="ligne 3, colonne level"):
        call_command("import_references", str(path))
