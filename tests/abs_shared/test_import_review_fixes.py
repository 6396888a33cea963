"""A reviewer's round on Bondy's ABS pages: years to come, columns named as the person's file
names them, the error summary and « Erreur – » title of the forms, a long source, a stray cell
that hid the other errors, the size limit, publishing nothing, thousands with a point."""

import datetime
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from abs_shared.local.importer import read_observations
from abs_shared.local.services import import_observations
from abs_shared.models import ReferenceValue
from abs_shared.services import parse_references
from abs_shared.tabular import ImportRejected, parse_decimal
from tests.abs_shared.conftest import observations_of, observe, upload, write_file
from tests.conftest import make_person, member_client
from union.spreadsheets import workbook_bytes

THIS_YEAR = timezone.localdate().year
NEXT_YEAR = THIS_YEAR + 1


@pytest.fixture
def director(bondy):
    return make_person(bondy, "direction@bondy.test")


@pytest.fixture
def client(bondy, director):
    return member_client(bondy, director)


def refusal(member, path) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejected) as rejected:
        import_observations(member, upload(path))
    return [(e.line, e.column, e.message) for e in rejected.value.errors]


def title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1)


# --- 1. No value for a year to come -------------------------------------------------------------


def test_the_form_refuses_a_year_to_come_and_keeps_what_was_typed(bondy, client):
    page = client.post(
        "/abs/observations/ajouter/", {"indicator": "TP60", "year": NEXT_YEAR, "value": "12,5"}
    ).content.decode()
    assert (
        f"{NEXT_YEAR} est une année à venir ; la dernière acceptée est l&#x27;année en cours, "
        f"{THIS_YEAR}." in page
    )
    assert 'value="12,5"' in page and f'value="{NEXT_YEAR}"' in page
    assert f'max="{THIS_YEAR}"' in page
    assert observations_of(bondy) == []
    # The current year is fine.
    response = client.post(
        "/abs/observations/ajouter/", {"indicator": "TP60", "year": THIS_YEAR, "value": "12,5"}
    )
    assert response.status_code == 302
    assert [(o.indicator_id, o.year) for o in observations_of(bondy)] == [("TP60", THIS_YEAR)]


def test_the_latest_year_is_the_current_one_in_paris():
    from abs_shared.tabular import latest_year

    # 31 December, 23:30 UTC: already New Year's Day in Paris.
    new_year_eve = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=new_year_eve):
        assert latest_year() == 2027


def test_imports_refuse_a_year_to_come_by_line_and_column(bondy, tmp_path):
    path = write_file(
        tmp_path,
        "abs.csv",
        f"indicateur;année;valeur\nTP60;{THIS_YEAR};12,5\nCHOM;{NEXT_YEAR};12,5\n",
    )
    assert refusal(bondy, path) == [
        (
            3,
            "année",
            f"{NEXT_YEAR} est une année à venir ; la dernière acceptée est l'année en cours, "
            f"{THIS_YEAR}.",
        )
    ]
    # An INSEE file's vintage too: MED99 would be 2099.
    vintage = f"{NEXT_YEAR % 100:02d}"
    insee = write_file(tmp_path, "insee.csv", f"CODGEO;MED21;MED{vintage}\n93010;21000;22000\n")
    assert [(line, column) for line, column, _ in refusal(bondy, insee)] == [(2, f"MED{vintage}")]
    assert observations_of(bondy) == []


@pytest.mark.django_db
def test_reference_import_refuses_a_year_to_come(tmp_path):
    path = write_file(
        tmp_path,
        "refs.csv",
        f"level;code;indicator;year;value\nfrance;FRM;CHOM;{THIS_YEAR};7\n"
        f"france;FRM;CHOM;{NEXT_YEAR};7\n",
    )
    with pytest.raises(ImportRejected) as rejected:
        parse_references(upload(path))
    assert [(e.line, e.column) for e in rejected.value.errors] == [(3, "year")]
    assert str(THIS_YEAR) in rejected.value.errors[0].message


# --- 2. Columns named as the person's file names them, the template in French -------------------


def test_errors_name_the_column_as_the_files_header_writes_it(bondy, tmp_path):
    path = write_file(tmp_path, "abs.csv", "Indicateur;Année;Valeur\nTP60;2019;12\nCHOM;2019;abc\n")
    assert refusal(bondy, path) == [(3, "Valeur", "« abc » n'est pas un nombre.")]
    english = write_file(tmp_path, "en.csv", "indicator;year;value\nCHOM;2019;abc\n")
    assert [(line, column) for line, column, _ in refusal(bondy, english)] == [(2, "value")]


def test_a_missing_column_is_named_in_french(bondy, tmp_path):
    path = write_file(tmp_path, "abs.csv", "indicateur;an;valeur\nTP60;2019;12\n")
    ((line, column, message),) = refusal(bondy, path)
    assert (line, column) == (1, "année")
    assert "« année » absente" in message


def test_the_same_column_twice_is_refused(bondy, tmp_path):
    path = write_file(tmp_path, "abs.csv", "indicateur;année;valeur;value\nTP60;2019;12;13\n")
    ((line, column, message),) = refusal(bondy, path)
    assert (line, column) == (1, "value") and "« valeur » et « value »" in message


def test_french_headers_with_or_without_accents_import(bondy, tmp_path):
    path = write_file(
        tmp_path,
        "abs.csv",
        "INDICATEUR;Annee;valeur;numerateur;Dénominateur;source;commentaire\n"
        "TP60;2019;12,5;25;200;Enquête CCAS;à revoir\n",
    )
    assert import_observations(bondy, upload(path)) == 1
    (observation,) = observations_of(bondy)
    assert (observation.numerator, observation.denominator) == (Decimal(25), Decimal(200))
    assert (observation.source, observation.comment) == ("Enquête CCAS", "à revoir")


def test_the_import_page_lists_the_french_columns(client):
    page = client.get("/abs/importer/").content.decode()
    assert "<code>indicateur</code>, <code>année</code>, <code>valeur</code>" in page
    assert "<code>numérateur</code>, <code>dénominateur</code>" in page
    assert "<code>commentaire</code>" in page


@pytest.mark.django_db
def test_reference_errors_name_the_files_own_columns(tmp_path):
    path = write_file(
        tmp_path,
        "refs.csv",
        "Niveau;Code;Indicateur;Année;Valeur\nfrance;FRM;CHOM;2021;abc\nmonde;FRM;CHOM;2021;7\n",
    )
    with pytest.raises(ImportRejected) as rejected:
        parse_references(upload(path))
    assert [(e.line, e.column) for e in rejected.value.errors] == [(2, "Valeur"), (3, "Niveau")]
    missing = write_file(tmp_path, "refs2.csv", "level;code;indicator;value\nfrance;FRM;CHOM;7\n")
    with pytest.raises(ImportRejected) as rejected:
        parse_references(upload(missing))
    assert [(e.line, e.column) for e in rejected.value.errors] == [(1, "year")]


# --- 3. Error summary and « Erreur – » title -----------------------------------------------------


def test_the_observation_form_has_the_error_summary_and_title(bondy, client):
    page = client.post(
        "/abs/observations/ajouter/", {"indicator": "TP60", "year": "2021", "value": "douze"}
    ).content.decode()
    assert title(page).startswith("Erreur – Saisir une valeur")
    assert 'class="error-summary" role="alert"' in page
    assert '<a href="#id_value">Valeur : « douze » n&#x27;est pas un nombre.</a>' in page
    field = re.search(r"<input[^>]*id=\"id_value\"[^>]*>", page).group(0)
    assert 'aria-invalid="true"' in field and 'value="douze"' in field
    assert "id_value_error" in field  # aria-describedby points to the error
    assert title(client.get("/abs/observations/ajouter/").content.decode()).startswith(
        "Saisir une valeur"
    )


def test_an_empty_file_gets_the_error_summary_and_title(client):
    page = client.post(
        "/abs/importer/", {"file": SimpleUploadedFile("vide.csv", b"")}
    ).content.decode()
    assert title(page).startswith("Erreur – Importer des valeurs")
    assert '<a href="#id_file">Fichier CSV ou XLSX : Le fichier soumis est vide.</a>' in page


def test_a_file_refused_for_its_content_announces_how_many_errors(bondy, client, tmp_path):
    path = write_file(tmp_path, "abs.csv", "indicateur;année;valeur\nTP60;2021;abc\nZZZ;2021;1\n")
    with path.open("rb") as handle:
        page = client.post("/abs/importer/", {"file": handle}).content.decode()
    assert title(page).startswith("Erreur – Importer des valeurs")
    assert "Fichier refusé : 2 erreurs, rien n'a été importé</h2>" in page
    assert '<th scope="row" class="num">2</th><td>valeur</td>' in page
    assert '<th scope="row" class="num">3</th><td>indicateur</td>' in page


# --- 5, 6, 7. Unreadable workbook, long source, a stray cell among other errors -----------------


def test_a_text_file_named_xlsx_is_refused_in_french(client, tmp_path):
    path = write_file(tmp_path, "valeurs.xlsx", "indicateur;année;valeur\nTP60;2021;12\n")
    with path.open("rb") as handle:
        page = client.post("/abs/importer/", {"file": handle}).content.decode()
    assert "n&#x27;est pas un classeur Excel (.xlsx) valide" in page
    assert "BadZipFile" not in page


def test_a_source_too_long_is_refused_not_cut(bondy, tmp_path):
    path = write_file(
        tmp_path, "abs.csv", f"indicateur;année;valeur;source\nTP60;2021;12;{'x' * 300}\n"
    )
    assert refusal(bondy, path) == [
        (2, "source", "Source trop longue : 300 caractères, 200 au plus.")
    ]
    assert observations_of(bondy) == []


@pytest.mark.django_db
def test_a_reference_source_too_long_is_refused_not_cut(tmp_path):
    path = write_file(
        tmp_path,
        "refs.csv",
        f"level;code;indicator;year;value;source\nfrance;FRM;CHOM;2021;7;{'x' * 201}\n",
    )
    with pytest.raises(ImportRejected) as rejected:
        parse_references(upload(path))
    assert [(e.line, e.column) for e in rejected.value.errors] == [(2, "source")]
    assert not ReferenceValue.objects.exists()


def test_a_stray_cell_is_reported_with_the_other_errors(bondy, tmp_path):
    path = write_file(
        tmp_path,
        "abs.csv",
        "indicateur;année;valeur\n"
        "TP60;2019;150\n"
        "MED;2019;-5\n"
        "CHOM;2019;12\n"
        "SANSDIP;2019;20\n"
        "FAMMONO;2019;10\n"
        "P75SEUL;2019;7;8;3\n",
    )
    errors = refusal(bondy, path)
    assert [(line, column) for line, column, _ in errors] == [
        (2, "valeur"),
        (3, "valeur"),
        (7, "colonne D"),
    ]
    assert "« 8 », « 3 »" in errors[2][2] and "3 colonnes" in errors[2][2]


def test_a_cell_under_a_blank_header_is_not_dropped(bondy, tmp_path):
    path = write_file(tmp_path, "abs.csv", "indicateur;année;valeur;;source\nTP60;2019;12;13;X\n")
    assert [(line, column) for line, column, _ in refusal(bondy, path)] == [(2, "colonne D")]


def test_an_insee_file_reports_stray_cells_on_the_members_line_only(bondy, tmp_path):
    path = write_file(tmp_path, "insee.csv", "CODGEO;MED21\n93048;23000;x\n93010;21000\n")
    assert import_observations(bondy, upload(path)) == 1
    stray = write_file(tmp_path, "insee2.csv", "CODGEO;MED21\n93010;21000;x\n")
    assert [(line, column) for line, column, _ in refusal(bondy, stray)] == [(2, "colonne C")]


# --- 8. Size limit, publishing nothing, thousands with a point ----------------------------------


def test_a_file_over_5_mo_is_refused(bondy, client):
    big = SimpleUploadedFile("gros.csv", b"indicateur;annee;valeur\n" + b" " * (5 * 1024 * 1024))
    page = client.post("/abs/importer/", {"file": big}).content.decode()
    assert title(page).startswith("Erreur – ")
    assert "Le fichier dépasse 5 Mo" in page
    big.seek(0)
    response = client.post("/api/v1/observations/import", {"file": big})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Le fichier dépasse 5 Mo."


def test_publishing_when_nothing_is_validated_is_not_a_success(bondy, client):
    observe(bondy, "TP60", 2021, 12)  # a draft, not validated
    page = client.post("/abs/publier/", {"selection-year": "2021"}, follow=True).content.decode()
    assert "message-success" not in page  # (« 0 valeur publiée » is the page's own count)
    assert 'class="message message-warning">Aucune valeur validée à publier (2021)' in page
    client.post("/abs/valider/", {"selection-year": "2021"})
    page = client.post("/abs/publier/", {"selection-year": "2021"}, follow=True).content.decode()
    assert 'class="message message-success">1 valeur publiée' in page


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("-12.345.678,9", Decimal("-12345678.9")),
        ("1 234,5", Decimal("1234.5")),
        ("1,234", Decimal("1.234")),  # a lone separator is the decimal one (up to 4 decimals)
    ],
)
def test_thousands_then_decimals_read_as_the_activity_import_does(text, number):
    assert parse_decimal(text) == number


@pytest.mark.parametrize("text", ["1.2,5", "1,234,5.6", "12,345.6.7"])
def test_a_point_and_a_comma_that_are_not_thousands_are_refused(text):
    with pytest.raises(ValueError, match="soit la virgule, soit le point"):
        parse_decimal(text)


# --- 4. A spreadsheet's rounding noise, through the importer ------------------------------------


def test_an_xlsx_sum_is_read_as_excel_shows_it(bondy):
    workbook = Workbook()
    workbook.active.append(["indicateur", "année", "valeur", "numérateur", "dénominateur"])
    workbook.active.append(["TP60", 2021, 0.1 + 0.7, 1.1 + 2.2, 100.0])
    parsed = read_observations(
        SimpleUploadedFile("abs.xlsx", workbook_bytes(workbook)), bondy.commune_id
    )
    ((value, numerator, denominator),) = [(p.value, p.numerator, p.denominator) for p in parsed]
    assert (value, numerator, denominator) == (Decimal("0.8"), Decimal("3.3"), Decimal(100))


@pytest.mark.django_db
def test_the_reference_command_names_a_stray_cells_column_once(tmp_path):
    from django.core.management import CommandError, call_command

    path = write_file(
        tmp_path, "refs.csv", "level;code;indicator;year;value\nfrance;FRM;CHOM;2021;7;8\n"
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_references", str(path))
    assert "ligne 2, colonne F : 1 cellule remplie" in str(refused.value)
