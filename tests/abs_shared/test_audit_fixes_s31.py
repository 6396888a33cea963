"""Session 31: an auditor's round on a member's ABS pages and the spreadsheet reader.

1. « Corrigez ces erreurs » when a refused file has several (the member's import and the admin's
   references import share the include). 2. A number of a workbook is quoted as French Excel shows
   it (« 12,5 », « 50 900,5 »), its parsing unchanged. 3. « enregistrée comme brouillon » (une
   valeur). 4. The domiciliation note calls a published value « publiée ». 5. A director's import
   is « à valider », an agent's « à faire valider par la direction ».
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context
from openpyxl import Workbook

from abs_shared.local.services import validate_observations
from tenants.models import Membership
from tenants.workspace.models import ActivityFigure
from tests.abs_shared.conftest import observations_of, observe, observe_and_publish, write_file
from tests.conftest import PASSWORD, host_client, make_person, member_client, plain
from tests.workspace.conftest import add_figures
from union import roles
from union.spreadsheets import cell_text, read_rows

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"  # french_number's thousands separator


@pytest.fixture
def director(bondy):
    return make_person(bondy, "direction@bondy.test")


@pytest.fixture
def agent(bondy):
    return make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)


def workbook_file(tmp_path, name: str, rows: list[list]):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def post_file(client, url: str, path, **data):
    with path.open("rb") as handle:
        return client.post(url, {"file": handle, **data}, follow=True)


# --- 1. « ces erreurs » / « cette erreur » ------------------------------------------------------


def test_two_errors_ask_to_correct_them(bondy, director, tmp_path):
    client = member_client(bondy, director)
    two = write_file(
        tmp_path, "abs.csv", "indicateur;année;valeur\nTP60;2023;127\nFAMMONO;2027;30\n"
    )
    page = plain(post_file(client, "/abs/importer/", two).content.decode())
    assert "Fichier refusé : 2 erreurs, rien n'a été importé" in page
    assert "Corrigez ces erreurs dans votre fichier" in page
    assert "cette erreur" not in page
    one = write_file(tmp_path, "un.csv", "indicateur;année;valeur\nTP60;2023;12\nFAMMONO;2027;3\n")
    page = plain(post_file(client, "/abs/importer/", one).content.decode())
    assert "Fichier refusé : 1 erreur, rien n'a été importé" in page
    assert "Corrigez cette erreur dans votre fichier" in page
    assert observations_of(bondy) == []


def test_the_admin_references_import_says_the_same(tmp_path):
    email = "admin@union.test"
    user = get_user_model().objects.create_user(email, email, PASSWORD)
    user.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    client = host_client("localhost", user)
    bad = write_file(
        tmp_path,
        "refs.csv",
        "level;code;indicator;year;value\nfrance;FRM;CHOM;deux;12\nfrance;FRM;CHOM;2021;abc\n",
    )
    with bad.open("rb") as handle:
        page = plain(client.post("/admin/abs/references/", {"file": handle}).content.decode())
    assert "Fichier refusé : 2 erreurs, rien n'a été importé" in page
    assert "Corrigez ces erreurs dans votre fichier" in page


# --- 2. Numbers of a workbook quoted the French way, parsed as before ---------------------------


def test_cell_text_writes_a_decimal_number_the_french_way():
    assert cell_text(12.5) == "12,5"
    assert cell_text(50900.5) == f"50{NNBSP}900,5"
    assert cell_text(-3.25) == "-3,25"
    assert cell_text(0.1 + 0.7) == "0,8"
    # Whole numbers as General shows them, no separator: years, postal codes, phone numbers.
    assert cell_text(2023.0) == "2023" and cell_text(93000) == "93000"
    assert cell_text(1e16) == "10000000000000000"


def test_the_activity_import_quotes_a_decimal_count_as_excel_shows_it(bondy, director, tmp_path):
    path = workbook_file(
        tmp_path,
        "activite.xlsx",
        [
            ["année", "pôle", "catégorie", "nombre", "montant"],
            [2024, "Secours", "Transports", 12.5, None],
            [2024, "Secours", "Alimentaire", 2, 1234.567],
        ],
    )
    response = post_file(member_client(bondy, director), "/activite/importer/", path)
    page = response.content.decode()
    assert "Nombre invalide\u00a0: «\u00a012,5\u00a0»" in page
    assert f"Montant invalide\u00a0: «\u00a01{NNBSP}234,567\u00a0»" in page
    assert "12.5" not in page and "1234.567" not in page


def test_the_activity_import_still_reads_decimal_amounts(bondy, director, tmp_path):
    path = workbook_file(
        tmp_path,
        "activite.xlsx",
        [
            ["année", "pôle", "catégorie", "nombre", "montant"],
            [2024.0, "Secours", "Transports", 3.0, 1234.5],
            [2024, "Secours", "Alimentaire", 1200, 0.1 + 0.7],
        ],
    )
    response = post_file(member_client(bondy, director), "/activite/importer/", path)
    assert response.status_code == 200 and response.redirect_chain
    with schema_context(bondy.schema_name):
        figures = set(ActivityFigure.objects.values_list("category", "count", "amount"))
    assert figures == {
        ("Transports", 3, Decimal("1234.50")),
        ("Alimentaire", 1200, Decimal("0.80")),
    }


def test_the_abs_import_quotes_a_decimal_count_as_excel_shows_it(bondy, director, tmp_path):
    path = workbook_file(
        tmp_path,
        "abs.xlsx",
        [["indicateur", "année", "valeur"], ["POP", 2022, 50900.5], ["TP60", 2022, 27.5]],
    )
    page = post_file(member_client(bondy, director), "/abs/importer/", path).content.decode()
    assert f"Un effectif est un nombre entier\u00a0: «\u00a050{NNBSP}900,5\u00a0»" in page
    assert "50900.5" not in page
    assert observations_of(bondy) == []


def test_the_abs_import_still_reads_workbook_numbers(bondy, director, tmp_path):
    path = workbook_file(
        tmp_path,
        "abs.xlsx",
        [
            ["indicateur", "année", "valeur", "numérateur", "dénominateur"],
            ["TP60", 2022.0, 27.5, 5500.25, 20000],
            ["MED", 2021, 19030.4, None, None],
            ["POP", 2022, 50900.0, None, None],
        ],
    )
    post_file(member_client(bondy, director), "/abs/importer/", path)
    found = {(o.indicator_id, o.year): o for o in observations_of(bondy)}
    assert found[("TP60", 2022)].value == Decimal("27.5")
    assert found[("TP60", 2022)].numerator == Decimal("5500.25")
    assert found[("MED", 2021)].value == Decimal("19030.4")
    assert found[("POP", 2022)].value == Decimal("50900")


def test_a_percentage_cell_reads_the_french_way(tmp_path):
    book = Workbook()
    book.active.append(["indicateur", "année", "valeur"])
    book.active.append(["TP60", 2022, 0.264])
    book.active["C2"].number_format = "0.0%"
    path = tmp_path / "abs.xlsx"
    book.save(path)
    rows = read_rows(path.read_bytes(), "abs.xlsx", percent_cells=True)
    assert rows[1] == (2, ["TP60", "2022", "26,4\u00a0%"])


# --- 3. « enregistrée comme brouillon » ---------------------------------------------------------


def test_a_saved_value_is_enregistree(bondy, director):
    response = member_client(bondy, director).post(
        "/abs/observations/ajouter/",
        {"indicator": "POP", "year": "2022", "value": "50900", "source": "", "comment": ""},
        follow=True,
    )
    page = plain(response.content.decode())
    assert "Population municipale, 2022 : enregistrée comme brouillon." in page


# --- 4. The domiciliation note: « publiée » or « validée » --------------------------------------


DOMICILIATION = "Élection de domicile"
ACTIVE = "Domiciliations actives au 31 décembre"


def test_the_domiciliation_note_says_published_or_validated(bondy, director):
    add_figures(
        bondy,
        (2020, DOMICILIATION, ACTIVE, 400, None),
        (2021, DOMICILIATION, ACTIVE, 410, None),
    )
    observe_and_publish(bondy, "DOMIC", 2020, 395)
    observe(bondy, "DOMIC", 2021, 405)
    validate_observations(bondy, year=2021, indicators=["DOMIC"])
    client = member_client(bondy, director)
    for path in ("/abs/", "/"):
        page = plain(client.get(path).content.decode())
        assert (
            "Élections de domicile actives 2020 : 395 dans les indicateurs ABS (valeur publiée)"
            in page
        )
        assert (
            "Élections de domicile actives 2021 : 405 dans les indicateurs ABS (valeur validée)"
            in page
        )


# --- 5a. A director's import is « à valider » ---------------------------------------------------


def test_an_import_says_who_validates(bondy, director, agent, tmp_path):
    path = write_file(tmp_path, "abs.csv", "indicateur;année;valeur\nTP60;2021;12\nMED;2021;1\n")
    page = plain(post_file(member_client(bondy, director), "/abs/importer/", path).content.decode())
    assert "2 valeurs importées comme brouillons, à valider." in page
    assert "faire valider par la direction" not in page
    # Other values: the same file again changes nothing (test_import_replaced_s33).
    other = write_file(tmp_path, "abs2.csv", "indicateur;année;valeur\nTP60;2022;12\nMED;2022;1\n")
    page = plain(post_file(member_client(bondy, agent), "/abs/importer/", other).content.decode())
    assert "2 valeurs importées comme brouillons, à faire valider par la direction." in page
    one = write_file(tmp_path, "un.csv", "indicateur;année;valeur\nTP60;2020;12\n")
    page = plain(post_file(member_client(bondy, director), "/abs/importer/", one).content.decode())
    assert "1 valeur importée comme brouillon, à valider." in page
