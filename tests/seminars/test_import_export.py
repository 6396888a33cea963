"""Imports (CSV, XLSX) all or nothing; attendance sheets read back; counts; reminders."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from seminars.exports import export_attendance
from seminars.importer import import_registrations
from seminars.models import Registration
from seminars.services import register_person
from seminars.stats import event_figures
from tests.seminars.conftest import confirmed_counts, make_seminar, person
from tests.union.test_pdf import OUR_FACES, embedded_fonts
from union.spreadsheets import ImportRejected

pytestmark = pytest.mark.django_db

GOOD_CSV = """Nom;Prénom;Commune;Fonction;Email;Département
DUPONT;Jeanne;ST DENIS;Conseillère municipale;jeanne.dupont@exemple.fr;
Martin;Paul;PRE SAINT GERVAIS (LE);Maire;;93
Benali;Sofia;Aubervillier;Directrice du CCAS;sofia.benali@exemple.fr;
Lefèvre;Éric;Montreuil;1er adjoint;;85
"""


def write(tmp_path, name: str, content: str | bytes) -> bytes:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path.read_bytes()


def test_a_good_csv_imports_every_line_and_flags_unmatched_communes(tmp_path, seminar):
    result = import_registrations(seminar, write(tmp_path, "liste.csv", GOOD_CSV), "liste.csv")
    assert (result.imported, result.flagged, result.confirmed) == (4, 1, 4)
    people = {r.nom: r for r in Registration.objects.filter(seminar=seminar)}
    assert people["DUPONT"].commune_id == "93066"
    assert people["DUPONT"].fonction == "conseiller_municipal"
    assert people["DUPONT"].fonction_text == "Conseillère municipale"
    assert people["Martin"].commune_id == "93061"
    assert people["Lefèvre"].commune_id == "85148"  # the line's own hint wins
    flagged = people["Benali"]
    assert (flagged.commune_id, flagged.commune_status, flagged.commune_typed) == (
        None,
        "flagged",
        "Aubervillier",
    )
    assert flagged.commune_suggestions[0] == {"code": "93001", "nom": "Aubervilliers"}
    # The same list again updates, it does not duplicate.
    import_registrations(seminar, write(tmp_path, "liste.csv", GOOD_CSV), "liste.csv")
    assert Registration.objects.filter(seminar=seminar).count() == 4


def test_a_bad_row_gives_line_and_column_and_imports_nothing(tmp_path, seminar):
    bad = (
        GOOD_CSV + "Sans;Commune;;Maire;x@exemple.fr;\nMauvais;Courriel;Bondy;Maire;pas-un-mail;\n"
    )
    with pytest.raises(ImportRejected) as failure:
        import_registrations(seminar, write(tmp_path, "bad.csv", bad), "bad.csv")
    errors = [issue.as_dict() for issue in failure.value.errors]
    assert {"line": 6, "column": "Commune", "message": "Commune manquante."} in errors
    assert errors[-1]["line"] == 7 and errors[-1]["column"] == "Email"
    assert Registration.objects.count() == 0


def test_a_missing_column_is_reported_on_the_header_line(tmp_path, seminar):
    with pytest.raises(ImportRejected) as failure:
        import_registrations(
            seminar, write(tmp_path, "x.csv", "Nom,Prénom,Commune\nA,B,Bondy\n"), "x.csv"
        )
    assert failure.value.errors[0].as_dict() == {
        "line": 1,
        "column": "Fonction",
        "message": "Colonne « Fonction » absente de la première ligne.",
    }


def test_an_xlsx_list_imports_with_a_hint(tmp_path, seminar):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NOM", "PRENOM", "COMMUNE", "FONCTION"])
    sheet.append(["Roux", "Anne", "MONTREUIL", "Maire adjointe"])
    sheet.append(["Petit", "Luc", "VILLEMOMBLE", "Partenaire"])
    path = tmp_path / "liste.xlsx"
    workbook.save(path)
    result = import_registrations(seminar, path.read_bytes(), "liste.xlsx", hint="85")
    assert (result.imported, result.flagged) == (2, 0)
    roux = Registration.objects.get(nom="Roux")
    assert (roux.commune_id, roux.fonction) == ("85148", "maire_adjoint")


def test_an_import_beyond_the_seats_goes_to_the_waiting_list(tmp_path):
    seminar = make_seminar(seats=2)
    result = import_registrations(seminar, write(tmp_path, "l.csv", GOOD_CSV), "l.csv")
    assert (result.confirmed, result.waitlisted) == (2, 2)


def registered(seminar):
    a = seminar.ateliers.get(title="Atelier A")
    register_person(seminar, person(1, nom="Zola", commune="Bondy", ateliers=[a.pk]))
    register_person(seminar, person(2, nom="Étienne", commune="Montreuil", fonction="dgs"))
    register_person(seminar, person(3, nom="abel", commune="Aubervillier", fonction="maire"))
    return a


def test_attendance_sheets_read_back_sorted_by_name(tmp_path, seminar, bondy):
    atelier = registered(seminar)
    csv_path = tmp_path / "e.csv"
    csv_path.write_bytes(export_attendance(seminar, "csv"))
    rows = list(csv.reader(io.StringIO(csv_path.read_text("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Nom", "Prénom", "Commune", "Fonction", "Signature"]
    assert [row[0] for row in rows[1:]] == ["ABEL", "ÉTIENNE", "ZOLA"]
    assert rows[2] == [
        "ÉTIENNE",
        "Prénom2",
        "Montreuil",
        "Directeur(trice) général(e) des services",
        "",
    ]
    assert rows[1][2] == "Aubervillier"  # kept as typed

    xlsx_path = tmp_path / "e.xlsx"
    xlsx_path.write_bytes(export_attendance(seminar, "xlsx"))
    sheet = load_workbook(xlsx_path).active
    values = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values[1] == ["Nom", "Prénom", "Commune", "Fonction", "Signature"]
    assert [row[0] for row in values[2:]] == ["ABEL", "ÉTIENNE", "ZOLA"]

    pdf_path = tmp_path / "e.pdf"
    pdf_path.write_bytes(export_attendance(seminar, "pdf", atelier))
    text = "".join(page.extract_text() for page in PdfReader(pdf_path).pages)
    assert "Feuille d'émargement" in text and "Atelier A" in text and "Signature" in text
    assert "ZOLA" in text and "ÉTIENNE" not in text  # only the atelier's people

    assert event_figures(seminar).confirmed == 3
    counts = confirmed_counts(seminar)
    members = counts["Membres"]
    # Bondy is a member; Montreuil is not; Aubervillier is unknown
    assert members["Communes membres de l'union"] == 1
    assert (members["Communes non membres"], members["Commune à vérifier"]) == (1, 1)
    assert counts["Fonctions"]["Maire"] == 2


def test_reminders_go_once(mailoutbox, django_capture_on_commit_callbacks):
    soon = make_seminar("Bientôt", days_ahead=2)
    later = make_seminar("Plus tard", days_ahead=20)
    register_person(soon, person(1), notify=False)
    register_person(soon, person(2), notify=False)
    register_person(later, person(3), notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_seminar_reminders", stdout=io.StringIO())
    assert sorted(m.to[0] for m in mailoutbox) == ["personne1@exemple.fr", "personne2@exemple.fr"]
    assert all(m.subject == "Rappel : Bientôt" for m in mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_seminar_reminders", stdout=io.StringIO())
    assert len(mailoutbox) == 2
    assert not Registration.objects.filter(seminar=soon, reminder_sent_at__isnull=True).exists()
    assert soon.start - timezone.now() < timedelta(days=3)


def test_the_attendance_sheet_prints_names_beyond_latin1(seminar):
    register_person(seminar, person(1, nom="Wiśniewski", commune="Bondy"))
    register_person(seminar, person(2, nom="Œdipe", commune="Bondy"))
    register_person(seminar, person(3, nom="Nguyễn", commune="Bondy"))
    content = export_attendance(seminar, "pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "WIŚNIEWSKI" in text and "ŒDIPE" in text and "NGUYỄN" in text  # upper-cased, as printed
    assert "SourceSansPro-Regular" in embedded_fonts(content) <= OUR_FACES


def test_a_region_column_reads_its_codes_as_regions_and_a_departement_column_as_departements(
    tmp_path, seminar
):
    """« 11 » is the Aude as a département and Île-de-France as a région: Villepinte is in both."""
    by_region = "Nom;Prénom;Commune;Fonction;Région\nRoux;Anne;Villepinte;Maire;11\n"
    by_departement = "Nom;Prénom;Commune;Fonction;Dép\nPetit;Luc;Villepinte;Maire;11\n"
    by_name = "Nom;Prénom;Commune;Fonction;Département\nSow;Awa;Villepinte;Maire;Aude\n"
    for name, content in (("r.csv", by_region), ("d.csv", by_departement), ("n.csv", by_name)):
        import_registrations(seminar, write(tmp_path, name, content), name)
    communes = dict(Registration.objects.values_list("nom", "commune_id"))
    assert communes == {"Roux": "93078", "Petit": "11434", "Sow": "11434"}


def test_a_hint_that_names_nothing_gives_its_line_and_column_and_imports_nothing(tmp_path, seminar):
    content = (
        "Nom;Prénom;Commune;Fonction;Département\n"
        "Roux;Anne;Villepinte;Maire;Seine-Saint-Denis\n"
        "Petit;Luc;Montreuil;Maire;Seine Saint Denise\n"
    )
    with pytest.raises(ImportRejected) as failure:
        import_registrations(seminar, write(tmp_path, "l.csv", content), "l.csv")
    (issue,) = failure.value.errors
    assert (issue.line, issue.column) == (3, "Département")
    assert issue.message.startswith("Département inconnu : « Seine Saint Denise ».")
    with pytest.raises(ImportRejected) as failure:
        import_registrations(seminar, write(tmp_path, "l.csv", GOOD_CSV), "l.csv", hint="Vendé")
    assert failure.value.errors[0].column == "hint"
    assert Registration.objects.count() == 0
