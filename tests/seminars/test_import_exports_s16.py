"""An organiser's review of an event's life (session 16): fonctions read from typed text, import
columns, download names, commune corrections, the message to registrants, attendance sheets.

Real files are written, uploaded through the admin as an organiser and read back."""

import csv
import datetime
import html
import io
import json

import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from seminars.exports import export_attendance
from seminars.fonctions import map_fonction
from seminars.models import atelier_slot
from seminars.services import register_person
from tests.seminars.conftest import confirmed_counts, make_seminar, person
from union.spreadsheets import attachment_header

pytestmark = pytest.mark.django_db


def base(seminar) -> str:
    return f"/admin/inscriptions/{seminar.pk}/"


def page(response) -> str:
    return html.unescape(response.content.decode())


def upload(client, seminar, path, **data):
    with path.open("rb") as handle:
        return client.post(f"{base(seminar)}importer/", {"file": handle, **data}, follow=True)


# The organiser's list of the review, as a French Excel saves a CSV (Windows-1252, semicolons).
MAIRIES = [
    ("NOM", "Prénom", "Ville", "Qualité", "Courriel", "Dép"),
    (
        "DUPONT",
        "Jean-Marc",
        "ST OUEN",
        "Adjoint au maire délégué aux solidarités",
        "jm.dupont@saintouen.test",
        "93",
    ),
    ("BERNARD", "Fatoumata", "AULNAY S/S BOIS", "Directrice du CCAS", "f.bernard@aulnay.test", ""),
    ("PETIT", "Hélène", "Le Pré St Gervais", "Conseillère municipale", "h.petit@pre.test", ""),
    ("ROUX", "Mickaël", "EPINAY SUR SEINE", "Adjoint administratif", "m.roux@epinay.test", ""),
    ("GARCIA", "Inès", "Pierrefite", "Conseiller numérique France Services", "", ""),
    (
        "FOURNIER",
        "Bruno",
        "Noisy",
        "Président de l'association Secours populaire",
        "b.fournier@secourspop.test",
        "",
    ),
    ("LAMBERT", "Claire", "L'Ile St Denis", "Vice-présidente du CCAS", "c.lambert@isd.test", ""),
    ("MERCIER", "Yves", "Bobigy", "DGS", "y.mercier@bobigny.test", ""),
    ("ANDRE", "Nathalie", "Neuilly sur Marne", "Maire", "n.andre@neuilly-marne.test", ""),
]


def mairies_csv(tmp_path):
    path = tmp_path / "inscrits_mairies.csv"
    path.write_bytes("".join(";".join(row) + "\r\n" for row in MAIRIES).encode("cp1252"))
    return path


# 1. Fonctions: whole expressions, or kept as typed --------------------------------------------


# What the review's lists held, and what each must become (one test: every case at once).
TYPED_FONCTIONS = {
    "Adjoint administratif": "autre",  # an agent's grade
    "Conseiller numérique France Services": "autre",
    "Président de l'association Secours populaire": "autre",
    "Adjoint technique principal": "autre",
    "Conseillère départementale": "autre",
    "Directeur": "autre",
    "DGS adjoint": "autre",  # the DGA
    "Maire honoraire": "autre",
    "Adjoint au maire délégué aux solidarités": "maire_adjoint",
    "Maire-adjointe": "maire_adjoint",
    "1er adjoint": "maire_adjoint",
    "2ème adjointe au maire": "maire_adjoint",
    "Conseillère municipale déléguée": "conseiller_municipal",
    "conseiller municipal": "conseiller_municipal",
    "Président du CCAS": "president_ccas",
    "Vice-présidente du CCAS": "vice_president_ccas",
    "DGS": "dgs",
    "Directrice du CCAS": "directeur_ccas",
    "Madame la Maire": "maire",
    "Responsable pôle action sociale": "agent_action_sociale",
}


def test_a_fonction_is_a_code_only_when_a_whole_expression_names_it():
    read = {typed: map_fonction(typed) for typed in TYPED_FONCTIONS}
    assert read == {typed: (code, typed) for typed, code in TYPED_FONCTIONS.items()}


def test_imported_fonctions_are_never_guessed_and_the_organiser_is_told_what_was_read(
    organiser_client, seminar, tmp_path
):
    response = upload(organiser_client, seminar, mairies_csv(tmp_path))
    assert response.status_code == 200
    people = {r.nom: r for r in seminar.registrations.all()}
    assert len(people) == 9
    assert (people["ROUX"].fonction, people["ROUX"].fonction_text) == (
        "autre",
        "Adjoint administratif",
    )
    assert people["GARCIA"].fonction == people["FOURNIER"].fonction == "autre"
    assert people["ROUX"].fonction_label == "Adjoint administratif"  # on badges and sheets
    assert people["DUPONT"].fonction == "maire_adjoint"
    assert people["LAMBERT"].fonction == "vice_president_ccas"
    assert (people["PETIT"].fonction, people["PETIT"].fonction_text) == (
        "conseiller_municipal",
        "Conseillère municipale",
    )
    content = page(response)
    assert (
        "Fonctions interprétées, à vérifier : « Adjoint au maire délégué aux solidarités » → "
        "Maire adjoint(e) / adjoint(e) au maire ; « Directrice du CCAS » → Directeur(trice) de "
        "CCAS ; « Conseillère municipale » → Conseiller(ère) municipal(e) ; "
        "« Vice-présidente du CCAS » → Vice-président(e) de CCAS ; « DGS » → Directeur(trice) "
        "général(e) des services." in content
    )
    assert (
        "Fonctions gardées telles que saisies (« Autre ») : « Adjoint administratif », "
        "« Conseiller numérique France Services », « Président de l'association Secours "
        "populaire »." in content
    )
    # Nobody counted among the élus for a word they share with them.
    counts = confirmed_counts(seminar)["Fonctions"]
    assert counts["Maire adjoint(e) / adjoint(e) au maire"] == 1
    assert counts["Autre"] == 3
    assert "Président(e) de CCAS" not in counts and "Conseiller(ère) municipal(e)" in counts


def test_the_typed_fonction_is_shown_in_the_list_workbook_and_the_edit_form(
    organiser_client, seminar
):
    data = person(1, nom="Kaci", fonction="maire_adjoint")
    data.fonction_text = "1er adjoint"
    kaci, _ = register_person(seminar, data, notify=False)
    exact = person(2, nom="Andre", fonction="maire")
    exact.fonction_text = "Maire"
    register_person(seminar, exact, notify=False)

    response = organiser_client.get(f"{base(seminar)}liste.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    column = rows[1].index("Fonction saisie")
    by_name = {row[0]: row for row in rows[2:]}
    assert by_name["KACI"][column] == "1er adjoint"
    assert by_name["KACI"][rows[1].index("Fonction")] == "Maire adjoint(e) / adjoint(e) au maire"
    assert by_name["ANDRE"][column] is None  # the label itself: nothing more to say

    form = page(organiser_client.get(f"{base(seminar)}{kaci.pk}/modifier/"))
    assert "Fonction saisie : « 1er adjoint »" in form


def test_the_api_keeps_mapping_labels_and_keeps_unsure_ones_as_typed(portal, seminar):
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    for number, fonction in enumerate(["Conseillère municipale", "Adjoint administratif"]):
        body = {
            "nom": f"Nom{number}",
            "prenom": "Anne",
            "email": f"api{number}@exemple.fr",
            "commune": "Bondy",
            "fonction": fonction,
        }
        response = portal.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 201, response.content
    saved = dict(seminar.registrations.values_list("fonction_text", "fonction"))
    assert saved == {
        "Conseillère municipale": "conseiller_municipal",
        "Adjoint administratif": "autre",
    }


# 2. Import: needs and ateliers read, other columns named ---------------------------------------

MORNING_1 = "Chèque énergie : l'accès aux droits"
MORNING_2 = "FSL et impayés d'énergie"
AFTERNOON = "Aides facultatives : construire un règlement"


@pytest.fixture
def energy_day():
    return make_seminar(
        "Journée énergie",
        ateliers=((MORNING_1, 1, 2, 20), (MORNING_2, 1, 2, 20), (AFTERNOON, 4, 2, 20)),
    )


def google_forms(tmp_path, lines, name="reponses_formulaire.xlsx"):
    """A Google Forms export: a timestamp, the answers, a phone number nobody asked us for."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Réponses au formulaire 1"
    sheet.append(
        [
            "Horodateur",
            "Adresse e-mail",
            "Nom",
            "Prénom",
            "Commune",
            "Fonction",
            "Atelier du matin",
            "Atelier de l'après-midi",
            "Besoins particuliers",
            "Téléphone",
        ]
    )
    for line in lines:
        sheet.append([datetime.datetime(2026, 11, 20, 10, 15), *line])
    path = tmp_path / name
    workbook.save(path)
    return path


FORM_ANSWERS = [
    ("mehdi.kaci@drancy.test", "Kaci", "Mehdi", "Drancy", "1er adjoint", MORNING_1, AFTERNOON, "")
    + ("06 11 22 33 44",),
    (
        "s.leroy@bondy.test",
        "Leroy",
        "Sandrine",
        "BONDY",
        "Responsable pôle action sociale",
        "fsl et impayes d'energie",  # accents and case as someone typed them
        "",
        "Repas végétarien",
        "06 22 33 44 55",
    ),
    ("t.henry@villemomble.test", "Henry", "Thomas", "Villemomble", "Membre du CA", "", AFTERNOON)
    + ("", ""),
]


def test_a_google_forms_export_keeps_ateliers_and_needs_and_names_the_ignored_columns(
    organiser_client, energy_day, tmp_path
):
    response = upload(organiser_client, energy_day, google_forms(tmp_path, FORM_ANSWERS))
    assert response.status_code == 200
    content = page(response)
    assert "3 inscriptions importées" in content
    assert "Colonnes ignorées : Horodateur." in content  # Téléphone is read since session 17
    people = {r.nom: r for r in energy_day.registrations.prefetch_related("ateliers")}
    assert sorted(a.title for a in people["Kaci"].ateliers.all()) == [AFTERNOON, MORNING_1]
    assert [a.title for a in people["Leroy"].ateliers.all()] == [MORNING_2]
    assert people["Leroy"].needs == "Repas végétarien"
    assert [a.title for a in people["Henry"].ateliers.all()] == [AFTERNOON]


def test_an_unknown_atelier_or_two_at_once_is_a_line_error_and_nothing_is_imported(
    organiser_client, energy_day, tmp_path
):
    unknown = [
        FORM_ANSWERS[0],
        ("a@b.test", "Colin", "Agnès", "Tremblay-en-France", "DGS", "Atelier inconnu", "")
        + ("", ""),
    ]
    response = upload(organiser_client, energy_day, google_forms(tmp_path, unknown))
    assert response.status_code == 400
    content = page(response)
    assert "Rien n'a été importé" in content
    assert (
        '<th scope="row">3</th><td>Atelier du matin</td><td>Atelier inconnu : « Atelier '
        "inconnu ». Ateliers de l'événement :" in content
    )
    both = [
        ("a@b.test", "Colin", "Agnès", "Tremblay-en-France", "DGS", f"{MORNING_1}, {MORNING_2}")
        + ("", "", ""),
    ]
    response = upload(organiser_client, energy_day, google_forms(tmp_path, both, "deux.xlsx"))
    assert response.status_code == 400
    assert "ont lieu en même temps : choisissez-en un seul." in page(response)
    assert not energy_day.registrations.exists()


def test_the_api_import_names_the_ignored_columns_and_the_fonctions_read(
    energy_day, tmp_path, staff_api
):
    api = staff_api
    path = google_forms(tmp_path, FORM_ANSWERS)
    with path.open("rb") as handle:
        response = api.post(
            f"/api/v1/seminars/{energy_day.pk}/registrations/import", {"file": handle}
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["imported"] == 3
    assert body["ignored_columns"] == ["Horodateur"]
    assert {"typed": "1er adjoint", "fonction": "maire_adjoint"} in body["interpreted_fonctions"]


# 3. Downloads keep their names -----------------------------------------------------------------


def test_downloads_of_an_accented_event_have_an_ascii_name_and_an_encoded_one(
    organiser_client, portal
):
    seminar = make_seminar("Vœux aux élus")
    seminar.slug = "vœux-aux-élus"  # Wagtail keeps accents in slugs
    seminar.save()
    register_person(seminar, person(1), notify=False)
    response = organiser_client.get(f"{base(seminar)}export/", {"format": "pdf"})
    assert response["Content-Disposition"] == (
        'attachment; filename="emargement-voeux-aux-elus.pdf"'
    )
    response = organiser_client.get(f"{base(seminar)}liste.xlsx")
    assert (
        response["Content-Disposition"] == 'attachment; filename="inscriptions-voeux-aux-elus.xlsx"'
    )
    # Every name in ASCII (union.spreadsheets.ascii_file_name): no `filename*` with accents.
    response = organiser_client.get(f"{base(seminar)}badges/")
    assert response["Content-Disposition"] == 'attachment; filename="badges-voeux-aux-elus.pdf"'
    response = portal.get(f"/evenements/ics/{seminar.pk}.ics")
    assert response.status_code == 200
    assert 'filename="voeux-aux-elus.ics"' in response["Content-Disposition"]
    assert attachment_header('a "b".pdf') == 'attachment; filename="a \\"b\\".pdf"'


# 4. Communes: former communes, « s/s », a correction by name -----------------------------------


def test_the_organisers_list_finds_the_unions_former_communes_and_s_s(
    organiser_client, seminar, tmp_path
):
    upload(organiser_client, seminar, mairies_csv(tmp_path))
    people = {r.nom: r for r in seminar.registrations.all()}
    assert people["BERNARD"].commune_id == "93005"  # AULNAY S/S BOIS
    garcia = people["GARCIA"]  # « Pierrefite »: Pierrefitte-sur-Seine, in Saint-Denis since 2025
    assert garcia.commune_status == "flagged"
    assert garcia.commune_suggestions[0] == {"code": "93066", "nom": "Saint-Denis"}


def test_a_flagged_commune_is_corrected_by_name_or_former_code_and_nothing_is_pre_checked(
    organiser_client, seminar
):
    garcia, _ = register_person(seminar, person(1, nom="Garcia", commune="Pierrefite"))
    other, _ = register_person(seminar, person(2, nom="Roux", commune="Pantn"))
    url = f"{base(seminar)}communes/"
    content = page(organiser_client.get(url))
    assert " checked" not in content  # a click on « Corriger » saves nothing unasked
    assert 'maxlength="5"' not in content

    response = organiser_client.post(
        url, {"registration": garcia.pk, "code_typed": "Pierrefitte-sur-Seine"}, follow=True
    )
    assert "Commune de Prénom1 Garcia corrigée : Saint-Denis (93)." in page(response)
    garcia.refresh_from_db()
    assert (garcia.commune_id, garcia.commune_status) == ("93066", "matched")

    response = organiser_client.post(url, {"registration": other.pk, "code_typed": "Villeneuve"})
    assert response.status_code == 400
    assert "Plusieurs communes s'appellent « Villeneuve » : " in page(response)
    assert 'value="Villeneuve"' in page(response)
    response = organiser_client.post(url, {"registration": other.pk, "code_typed": "93059"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.commune_id == "93066"


# 5. Writing to registrants ---------------------------------------------------------------------


def test_the_message_greets_once_by_a_name_in_normal_case(
    organiser_client, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    data = person(1, nom="ROUX")
    data.prenom = "Mickaël"
    register_person(seminar, data, notify=False)
    url = f"{base(seminar)}ecrire/"
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(
            url, {"subject": "Accès", "body": "Le parking est fermé.", "statuses": ["confirmed"]}
        )
        organiser_client.post(
            url,
            {
                "subject": "Salle",
                "body": "Bonjour à toutes et à tous,\n\nSalle 2.",
                "statuses": ["confirmed"],
            },
        )
    first, second = mailoutbox
    assert first.body.startswith("Bonjour Mickaël Roux,\n\nLe parking est fermé.")
    assert (
        second.body.startswith("Bonjour à toutes et à tous,") and second.body.count("Bonjour") == 1
    )
    assert "écrivez le message sans formule d'appel" in page(organiser_client.get(url))


def test_a_message_to_one_ateliers_people_a_test_first_and_who_has_no_address(
    organiser_client, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    a = seminar.ateliers.get(title="Atelier A")
    register_person(seminar, person(1, nom="Zola", ateliers=[a.pk]), notify=False)
    register_person(seminar, person(2, nom="Abel"), notify=False)
    register_person(seminar, person(3, nom="Garcia", email="", ateliers=[a.pk]), notify=False)
    url = f"{base(seminar)}ecrire/"
    message = {"subject": "Salle", "body": "L'atelier change de salle.", "statuses": ["confirmed"]}

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(url, {**message, "atelier": a.pk, "test": "on"})
    assert response.status_code == 200
    assert [(m.to, m.subject) for m in mailoutbox] == [(["orga@union.test"], "[Test] Salle")]
    assert "Bonjour Prénom1 Zola," in mailoutbox[0].body
    content = page(response)
    assert "Test en route vers orga@union.test, d'ordinaire reçu dans la minute" in content
    assert 'value="Salle"' in content and 'name="test"' in content
    assert 'name="test" checked' not in content and 'id="id_test" checked' not in content

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(url, {**message, "atelier": a.pk}, follow=True)
    assert [m.to for m in mailoutbox] == [["personne1@exemple.fr"]]
    assert (
        "Message en cours d'envoi à 1 personne. 1 personne confirmée n'a pas d'adresse e-mail : "
        "Prénom3 Garcia." in page(response)
    )


# 6. Attendance sheets for the door -------------------------------------------------------------


def test_attendance_sheets_print_on_a4_with_room_to_sign_and_lines_for_walk_ins(tmp_path, seminar):
    a = seminar.ateliers.get(title="Atelier A")
    a.room = "Salle Jaurès"
    a.save()
    register_person(seminar, person(1, nom="Zola", ateliers=[a.pk]), notify=False)
    register_person(seminar, person(2, nom="Abel"), notify=False)

    path = tmp_path / "emargement.xlsx"
    path.write_bytes(export_attendance(seminar, "xlsx", a))
    sheet = load_workbook(path).active
    slot = atelier_slot(a, False)
    assert sheet["A1"].value.endswith(f"– Atelier A ({slot}, Salle Jaurès)")
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$1:$2"
    # The header, one name, five blank lines to sign.
    assert sheet.print_area == "'Émargement'!$A$1:$E$8"
    assert sheet.print_options.gridLines
    assert sheet.column_dimensions["E"].width >= 30
    assert sheet.row_dimensions[8].height >= 25

    path = tmp_path / "emargement.pdf"
    path.write_bytes(export_attendance(seminar, "pdf"))
    text = "".join(p.extract_text() for p in PdfReader(path).pages)
    assert "2 personnes inscrites" in text
    assert "5 lignes libres en fin de liste pour les personnes venues sans inscription" in text

    path = tmp_path / "emargement.csv"
    path.write_bytes(export_attendance(seminar, "csv"))
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Nom", "Prénom", "Commune", "Fonction", "Signature"]
    assert rows[1] == ["ABEL", "Prénom2", "Bondy", "Maire", ""]
