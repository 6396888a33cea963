"""Activity report: evolution arithmetic, import (CSV/XLSX, errors, decimal comma), exports."""

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django_tenants.utils import schema_context
from pypdf import PdfReader

from tenants.workspace.activity import activity_report, evolution_pct, parse_amount
from tenants.workspace.models import ActivityFigure
from tests.workspace.conftest import add_figures

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "current, previous, expected",
    [
        (110, 100, Decimal("10.0")),
        (90, 100, Decimal("-10.0")),
        (1, 3, Decimal("-66.7")),  # -66.666... rounds to one decimal
        (2, 3, Decimal("-33.3")),
        (7, 8, Decimal("-12.5")),
        (1001, 1000, Decimal("0.1")),
        (10005, 10000, Decimal("0.1")),  # 0.05 rounds half up
        (100, 100, Decimal("0.0")),
        (Decimal("1234.50"), Decimal("1000.00"), Decimal("23.5")),  # 23.45 -> 23.5
        (5, 0, None),  # previous zero
        (5, None, None),  # previous missing
        (None, 5, None),
    ],
)
def test_evolution_percent(current, previous, expected):
    assert evolution_pct(current, previous) == expected


def test_report_beside_previous_year_with_totals(bondy):
    add_figures(
        bondy,
        (2024, "Secours", "Transports", 10, Decimal("500.00")),
        (2024, "Secours", "Obsèques", 2, Decimal("3000.00")),
        (2024, "Accueil", "Appels téléphoniques", 0, None),
        (2025, "Secours", "Transports", 15, Decimal("450.00")),
        (2025, "Secours", "Obsèques", 2, None),
        (2025, "Secours", "Énergie, eau, loyer", 4, Decimal("800.00")),  # new: no previous
        (2025, "Accueil", "Appels téléphoniques", 30, None),  # previous zero
    )
    with schema_context(bondy.schema_name):
        report = activity_report(2025)
    assert (report.year, report.previous_year) == (2025, 2024)
    by_category = {line.category: line for line in report.figures}
    transports = by_category["Transports"]
    assert (transports.previous_count, transports.count_evolution_pct) == (10, Decimal("50.0"))
    assert transports.amount_evolution_pct == Decimal("-10.0")
    assert by_category["Énergie, eau, loyer"].count_evolution_pct is None
    assert by_category["Appels téléphoniques"].count_evolution_pct is None
    assert by_category["Obsèques"].amount_evolution_pct is None  # no amount this year
    # Usual pole order: Accueil before Secours.
    assert [t.pole for t in report.totals] == ["Accueil", "Secours"]
    secours = report.totals[1]
    assert (secours.count, secours.previous_count) == (21, 12)
    assert secours.count_evolution_pct == Decimal("75.0")
    assert (secours.amount, secours.previous_amount) == (Decimal("1250.00"), Decimal("3500.00"))
    assert secours.amount_evolution_pct == Decimal("-64.3")


def test_first_year_has_no_evolution(bondy):
    add_figures(bondy, (2025, "RSA", "Accompagnements RSA", 40, Decimal("12000")))
    with schema_context(bondy.schema_name):
        report = activity_report(2025)
    assert report.figures[0].count_evolution_pct is None
    assert report.totals[0].amount_evolution_pct is None
    assert not report.has_previous


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1234,5", Decimal("1234.50")),
        ("1 234,50", Decimal("1234.50")),
        ("1.234,50", Decimal("1234.50")),
        ("1,234.50", Decimal("1234.50")),
        ("12 €", Decimal("12.00")),
        (1234.5, Decimal("1234.50")),
    ],
)
def test_amount_spellings(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["abc", "-5", "1,234", "12,345"])
def test_bad_or_ambiguous_amounts_are_refused(text):
    # "1,234" would be 1.234 euros: three decimals, refused rather than guessed.
    with pytest.raises(ValueError):
        parse_amount(text)


def upload(client, path):
    with open(path, "rb") as handle:
        return client.post("/api/v1/activity/import", {"file": handle})


def test_import_csv_semicolon_decimal_comma(bondy, clients, tmp_path):
    path = tmp_path / "activite.csv"
    path.write_text(
        "year;pole;category;count;amount\n"
        "2024;Secours;Transports;10;1 234,50\n"
        "2024;SECOURS;obseques;3;\n"
        "2024;Accueil;Personnes reçues à l'accueil;5400;\n"
        "\n"
        "2023;Secours;Transports;;1000,00\n",
        encoding="utf-8",
    )
    response = upload(clients["agent"], path)
    assert response.status_code == 201, response.content
    assert response.json() == {"imported": 4}
    with schema_context(bondy.schema_name):
        figures = {
            (f.year, f.pole, f.category): (f.count, f.amount) for f in ActivityFigure.objects.all()
        }
    assert figures[(2024, "Secours", "Transports")] == (10, Decimal("1234.50"))
    # Spelled as the usual list spells it, so that years line up.
    assert figures[(2024, "Secours", "Obsèques")] == (3, None)
    assert figures[(2023, "Secours", "Transports")] == (None, Decimal("1000.00"))


def test_import_csv_comma_separator_point_decimal_replaces_existing(bondy, clients, tmp_path):
    add_figures(bondy, (2024, "Secours", "Transports", 1, None))
    path = tmp_path / "activite.csv"
    path.write_text(
        'year,pole,category,count,amount\n2024,Secours,Transports,12,"99.5"\n'
        "2024,Seniors,Visites à domicile,80,\n"
    )
    assert upload(clients["director"], path).json() == {"imported": 2}
    with schema_context(bondy.schema_name):
        transports = ActivityFigure.objects.get(year=2024, category="Transports")
        assert (transports.count, transports.amount) == (12, Decimal("99.50"))
        assert ActivityFigure.objects.count() == 2


def test_import_xlsx(bondy, clients, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["année", "pôle", "catégorie", "nombre", "montant"])
    sheet.append([2025, "RSA", "Accompagnements RSA", 42, 15000.5])
    sheet.append([2025, "Réussite éducative", "Enfants suivis", 61, None])
    path = tmp_path / "activite.xlsx"
    workbook.save(path)
    assert upload(clients["agent"], path).json() == {"imported": 2}
    with schema_context(bondy.schema_name):
        rsa = ActivityFigure.objects.get(pole="RSA")
    assert (rsa.count, rsa.amount) == (42, Decimal("15000.50"))


def test_bad_rows_import_nothing_and_say_where(bondy, clients, tmp_path):
    add_figures(bondy, (2020, "Accueil", "Appels téléphoniques", 7, None))
    path = tmp_path / "activite.csv"
    path.write_text(
        "year;pole;category;count;amount\n"
        "2024;Secours;Transports;10;120,00\n"  # good
        "20x4;Secours;Obsèques;3;\n"  # bad year
        "2024;;Obsèques;3;\n"  # no pole
        "2024;Secours;Permis;-2;\n"  # negative count
        "2024;Secours;Énergie;;12,345\n"  # three decimals
        "2024;Secours;Fêtes;;\n"  # neither count nor amount
        "2024;secours;TRANSPORTS;1;\n"  # duplicate of line 2
    )
    response = upload(clients["agent"], path)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["line"], e["column"]) for e in errors] == [
        (3, "year"),
        (4, "pole"),
        (5, "count"),
        (6, "amount"),
        (7, "count"),
        (8, "category"),
    ]
    assert "20x4" in errors[0]["message"] and "ligne 2" in errors[-1]["message"]
    with schema_context(bondy.schema_name):
        assert ActivityFigure.objects.count() == 1  # nothing imported


def test_missing_column_and_wrong_format(bondy, clients, tmp_path):
    path = tmp_path / "activite.csv"
    path.write_text("year;pole;category;count\n2024;Secours;Transports;10\n")
    errors = upload(clients["agent"], path).json()["errors"]
    assert errors == [
        {
            "line": 1,
            "column": "montant",
            "message": "Colonne « montant » absente de la ligne d'en-tête.",
        }
    ]
    odt = tmp_path / "activite.ods"
    odt.write_bytes(b"PK\x03\x04")
    response = upload(clients["agent"], odt)
    assert response.status_code == 400
    assert "csv" in response.json()["errors"][0]["message"]


def test_import_page_shows_errors_and_keeps_nothing(bondy, clients, tmp_path):
    path = tmp_path / "activite.csv"
    path.write_text("year;pole;category;count;amount\n2024;Secours;Transports;dix;\n")
    with open(path, "rb") as handle:
        response = clients["agent"].post("/activite/importer/", {"file": handle})
    page = response.content.decode()
    assert response.status_code == 200
    assert "rien n'a été importé" in page and "« dix »" in page
    with open(path, "w") as handle:
        handle.write("year;pole;category;count;amount\n2024;Secours;Transports;10;5,5\n")
    with open(path, "rb") as handle:
        response = clients["agent"].post("/activite/importer/", {"file": handle})
    assert response.status_code == 302 and response["Location"] == "/activite/?annee=2024"


@pytest.fixture
def two_years(bondy):
    add_figures(
        bondy,
        (2024, "Secours", "Transports", 10, Decimal("1000.00")),
        (2025, "Secours", "Transports", 12, Decimal("1234.50")),
        (2025, "Seniors", "Visites à domicile", 80, None),
    )


def test_export_csv(two_years, clients):
    response = clients["viewer"].get("/activite/export.csv?annee=2025")
    assert response.status_code == 200
    assert 'filename="rapport-activite-bondy-2025.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Pôle", "Catégorie", "Nombre 2025", "Nombre 2024"]
    assert rows[1] == ["Secours", "Transports", "12", "10", "20,0", "1234,50", "1000,00", "23,5"]
    assert rows[2][:2] == ["Secours", "Secours accordés (total)"]
    assert rows[3][:5] == ["Seniors", "Visites à domicile", "80", "", ""]


def test_export_xlsx(two_years, clients, tmp_path):
    response = clients["viewer"].get("/activite/export.xlsx?annee=2025")
    path = tmp_path / "export.xlsx"
    path.write_bytes(response.content)
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].value.startswith("Rapport d'activité 2025")
    assert [c.value for c in sheet[3]] == [
        "Secours",
        "Transports",
        12,
        10,
        20.0,
        1234.5,
        1000,
        23.5,
    ]


def test_typed_names_starting_like_formulas_are_text_in_the_xlsx(bondy, clients, tmp_path):
    hyperlink = '=HYPERLINK("http://pirate.example/";"Cliquez")'
    add_figures(bondy, (2025, "@Accueil", hyperlink, 3, None), (2025, "-Secours", "+Bons", 4, None))
    response = clients["viewer"].get("/activite/export.xlsx?annee=2025")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=3) for cell in row if cell.value}
    for typed in ("@Accueil", hyperlink, "-Secours", "+Bons"):
        assert cells[typed].data_type == "s", typed  # shown as typed, never computed
        assert cells[typed].quotePrefix, typed
    assert cells[3].data_type == "n"  # figures stay numbers


def test_export_pdf(two_years, clients, tmp_path):
    response = clients["viewer"].get("/activite/export.pdf?annee=2025")
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "export.pdf"
    path.write_bytes(response.content)
    text = PdfReader(path).pages[0].extract_text()
    assert "Rapport d'activité 2025" in text
    assert "Transports" in text and "+20,0 %" in text and "1 234,50" in text.replace("\xa0", " ")


def test_exports_keep_typed_labels_as_text(bondy, clients, tmp_path):
    add_figures(bondy, (2025, "Logement & énergie", '=HYPERLINK("x") <b>', 3, None))
    pdf = tmp_path / "export.pdf"
    pdf.write_bytes(clients["viewer"].get("/activite/export.pdf?annee=2025").content)
    text = PdfReader(pdf).pages[0].extract_text()
    assert "Logement & énergie" in text and '=HYPERLINK("x") <b>' in text
    csv_text = clients["viewer"].get("/activite/export.csv?annee=2025").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text


def test_report_page_and_api(two_years, clients):
    page = clients["viewer"].get("/activite/?annee=2025").content.decode()
    assert "<caption>Secours</caption>" in page
    assert "+20,0\u00a0%" in page and "Total Secours" in page
    data = clients["viewer"].get("/api/v1/activity/?year=2025").json()
    assert (data["year"], data["previous_year"]) == (2025, 2024)
    transports = data["figures"][0]
    assert transports == {
        "pole": "Secours",
        "category": "Transports",
        "count": 12,
        "amount": "1234.50",
        "previous_count": 10,
        "previous_amount": "1000.00",
        "count_evolution_pct": 20.0,
        "amount_evolution_pct": 23.5,
    }
    assert data["totals"][1]["pole"] == "Seniors"
    assert data["totals"][1]["count_evolution_pct"] is None
    bad = clients["viewer"].get("/api/v1/activity/?year=deux")
    assert bad.status_code == 400


def test_domiciliation_helper(bondy, clients):
    add_figures(
        bondy,
        (2025, "Élection de domicile", "Domiciliations actives au 31 décembre", 412, None),
        (2025, "élection de domicile", "courriers recus", 5230, None),
    )
    page = clients["viewer"].get("/activite/domiciliation/?annee=2025").content.decode()
    assert "31 janvier 2026" in page
    assert "412" in page and "5\u202f230" in page  # French thousands, as in the report
    assert "4 chiffres manquants" in page
    csv_text = clients["viewer"].get("/activite/domiciliation/?annee=2025&format=csv")
    assert "Courriers reçus;5230" in csv_text.content.decode("utf-8-sig")
    # Whose report it is, in the file's name too (it goes to the préfecture with others').
    assert f'filename="domiciliation-{bondy.slug}-2025.csv"' in csv_text["Content-Disposition"]


def test_form_entry_french_amount_and_duplicate_spelling(bondy, clients):
    response = clients["agent"].post(
        "/activite/saisir/",
        {"year": 2025, "pole": "secours", "category": "transports", "amount": "1 234,50"},
    )
    assert response.status_code == 302
    with schema_context(bondy.schema_name):
        figure = ActivityFigure.objects.get()
    assert (figure.pole, figure.category, figure.amount) == (
        "Secours",
        "Transports",
        Decimal("1234.50"),
    )
    again = clients["agent"].post(
        "/activite/saisir/",
        {"year": 2025, "pole": "SECOURS", "category": "Transports", "count": "4"},
    )
    page = again.content.decode()
    assert (
        again.status_code == 200 and "Un chiffre existe déjà" in page and 'value="SECOURS"' in page
    )
    edit = clients["agent"].get(f"/activite/{figure.pk}/").content.decode()
    assert 'value="1234,50"' in edit
    bad = clients["agent"].post(
        "/activite/saisir/",
        {"year": 2025, "pole": "Secours", "category": "Obsèques", "amount": "12,345"},
    )
    assert "Montant invalide" in bad.content.decode()


def test_save_and_enter_the_next_keeps_the_whole_pole(clients):
    response = clients["agent"].post(
        "/activite/saisir/",
        {
            "year": 2025,
            "pole": "Logement & énergie",
            "category": "Aides",
            "count": "3",
            "encore": "",
        },
    )
    assert response.status_code == 302
    assert (
        'value="Logement &amp; énergie"'
        in clients["agent"].get(response["Location"]).content.decode()
    )


def test_multi_year_table_and_chart(bondy, clients):
    add_figures(
        bondy,
        (2023, "Seniors", "Visites à domicile", 50, None),
        (2024, "Seniors", "Visites à domicile", 100, None),
        (2024, "Seniors", "Participants aux ateliers", 100, None),
        (2025, "Seniors", "Visites à domicile", 150, None),
    )
    with schema_context(bondy.schema_name):
        from tenants.workspace.activity import pole_trends

        years, trends = pole_trends()
    assert years == [2023, 2024, 2025]
    # Each year's row is the pole's key figure, home visits: it no longer adds the workshops'
    # participants of 2024 to them (200 was visits and participants, two different counts).
    assert trends[0].measure == "Visites à domicile"
    assert (trends[0].values, trends[0].heights) == ([50, 100, 150], [33, 67, 100])
    page = clients["viewer"].get("/activite/?annee=2025").content.decode()
    assert "Chiffre clé de chaque pôle par année (2023–2025)" in page
    assert '<rect x="21" y="0" width="8" height="100">' in page


@pytest.mark.parametrize(
    "today, expected",
    [
        (date(2026, 12, 1), 2026),
        (date(2027, 1, 31), 2026),
        (date(2027, 2, 1), None),
        (date(2026, 11, 30), None),
    ],
)
def test_domiciliation_reminder_in_december_and_january(today, expected):
    from tenants.workspace.activity import domiciliation_reminder, prefect_due_date

    assert domiciliation_reminder(today) == expected
    if expected:
        assert prefect_due_date(expected) == date(expected + 1, 1, 31)


def test_absurd_years_are_refused(bondy, clients):
    assert clients["viewer"].get("/activite/?annee=99999").status_code == 404
    assert clients["viewer"].get("/api/v1/activity/?year=99999").status_code == 400


def test_figure_without_count_nor_amount_says_so_once_in_french(bondy, clients):
    response = clients["agent"].post(
        "/activite/saisir/", {"year": 2025, "pole": "Secours", "category": "Transports"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Indiquez un nombre, un montant ou les deux.") == 1
    assert "contrainte" not in page and "figure_has_count_or_amount" not in page
    assert 'value="Transports"' in page  # what was typed stays
    with schema_context(bondy.schema_name):
        assert not ActivityFigure.objects.exists()
    # With another error on the form, still once.
    response = clients["agent"].post(
        "/activite/saisir/", {"year": 1800, "pole": "Secours", "category": "Transports"}
    )
    page = response.content.decode()
    assert page.count("Indiquez un nombre, un montant ou les deux.") == 1
    assert "Année entre 1990" in page and "contrainte" not in page


def test_template_has_french_headers_and_imports_back_as_is(bondy, clients, tmp_path):
    template = clients["agent"].get("/activite/modele.csv")
    rows = list(csv.reader(io.StringIO(template.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["année", "pôle", "catégorie", "nombre", "montant"]
    year, pole, category = rows[1][:3]
    rows[1][3], rows[2][4] = "12", "1 500,00"
    path = tmp_path / "modele.csv"
    path.write_text("\ufeff" + "\n".join(";".join(row) for row in rows[:3]), encoding="utf-8")
    with open(path, "rb") as handle:
        response = clients["agent"].post("/activite/importer/", {"file": handle})
    assert response.status_code == 302, response.content.decode()
    with schema_context(bondy.schema_name):
        assert ActivityFigure.objects.get(pole=pole, category=category).count == 12
        assert ActivityFigure.objects.count() == 2
    page = clients["agent"].get("/activite/importer/").content.decode()
    assert "<code>année</code>" in page and "Colonnes : année, pôle, catégorie" in page


def test_import_errors_name_the_column_as_the_file_does(bondy, clients, tmp_path):
    path = tmp_path / "activite.csv"
    path.write_text(
        "Année;Pôle;Catégorie;Nombre;Montant\n"
        "2024;Secours;Transports;dix;\n"
        "2024;Secours;Obsèques;;12,345\n"
        "2024;;Permis;1;\n"
    )
    with open(path, "rb") as handle:
        response = clients["agent"].post("/activite/importer/", {"file": handle})
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    errors = [
        [cell.get_text() for cell in row.find_all(["th", "td"])]
        for row in soup.select("div[role=alert] tbody tr")
    ]
    assert [(line, column) for line, column, _ in errors] == [
        ("2", "Nombre"),
        ("3", "Montant"),
        ("4", "Pôle"),
    ]
    for english in ("count", "amount", "pole"):
        assert english not in {column for _, column, _ in errors}
    missing = tmp_path / "manque.csv"
    missing.write_text("année;pôle;catégorie;nombre\n2024;Secours;Transports;10\n")
    with open(missing, "rb") as handle:
        page = clients["agent"].post("/activite/importer/", {"file": handle}).content.decode()
    assert "Colonne « montant » absente" in page


def test_report_table_headers_name_their_year_and_quantity(two_years, clients):
    soup = BeautifulSoup(
        clients["viewer"].get("/activite/?annee=2025").content.decode(), "html.parser"
    )
    table = soup.find("caption", string="Secours").find_parent("table")
    headers = [th.get_text() for th in table.select("thead th")]
    assert headers == [
        "Catégorie",
        "Nombre 2025",
        "Nombre 2024",
        "Évolution du nombre",
        "Montant 2025",
        "Montant 2024",
        "Évolution du montant",
    ]
    assert all(th["scope"] == "col" for th in table.select("thead th"))


def test_deleting_a_figure_asks_for_confirmation_first(two_years, bondy, clients):
    with schema_context(bondy.schema_name):
        figure = ActivityFigure.objects.get(year=2025, category="Transports")
    report = clients["agent"].get("/activite/?annee=2025").content.decode()
    assert f'<a href="/activite/{figure.pk}/supprimer/">Supprimer' in report
    assert f'action="/activite/{figure.pk}/supprimer/"' not in report
    confirm = clients["agent"].get(f"/activite/{figure.pk}/supprimer/")
    soup = BeautifulSoup(confirm.content.decode(), "html.parser")
    assert soup.h1.get_text() == "Supprimer ce chiffre d'activité ?"
    facts = {dt.get_text(): dt.find_next_sibling("dd").get_text() for dt in soup.select("dl dt")}
    assert facts == {
        "Année": "2025",
        "Pôle": "Secours",
        "Catégorie": "Transports",
        "Nombre": "12",
        "Montant": "1\u202f234,50\u00a0€",
    }
    form = soup.find("main").find("form", method="post")
    assert form.button.get_text() == "Confirmer la suppression"
    assert form.find("a", href="/activite/?annee=2025") is not None
    with schema_context(bondy.schema_name):
        assert ActivityFigure.objects.filter(pk=figure.pk).exists()
    assert clients["viewer"].get(f"/activite/{figure.pk}/supprimer/").status_code == 403
    response = clients["agent"].post(f"/activite/{figure.pk}/supprimer/")
    assert response.status_code == 302 and response["Location"] == "/activite/?annee=2025"
    with schema_context(bondy.schema_name):
        assert not ActivityFigure.objects.filter(pk=figure.pk).exists()
