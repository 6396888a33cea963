"""Organisers' screens after a review: someone else's address in a manual add, the reasons of a
404 shown in the admin, import edge cases, the flagged communes page keeping what was typed,
error summaries on the admin forms, an invalid year in the report."""

import datetime
import html
import json

import pytest

from seminars.importer import parse
from seminars.models import Registration
from seminars.services import (
    RegistrationData,
    RegistrationError,
    register_person,
    resolve_commune,
)
from tests.conftest import host_client
from tests.seminars.conftest import make_seminar, organiser, person
from union import roles
from union.spreadsheets import ImportRejected

pytestmark = pytest.mark.django_db
Source = Registration.Source
ADDRESS = "rv2-case@example.org"


def base(seminar) -> str:
    return f"/admin/inscriptions/{seminar.pk}/"


def page(response) -> str:
    return html.unescape(response.content.decode())


def someone(nom: str, prenom: str, commune: str, *, email: str = ADDRESS) -> RegistrationData:
    return RegistrationData(
        nom=nom, prenom=prenom, email=email, commune=resolve_commune(commune), fonction="maire"
    )


def snapshot(registration: Registration) -> tuple:
    registration.refresh_from_db()
    return (
        registration.nom,
        registration.prenom,
        registration.commune_id,
        registration.source,
        registration.updated_at,
    )


# 1. Registering someone else with an address already registered under another name ------------


def test_a_manual_add_with_another_persons_address_is_refused_and_changes_nothing(
    organiser_client, seminar
):
    dupont, _ = register_person(seminar, someone("Dupont", "Case2", "Pantin"), notify=False)
    before = snapshot(dupont)
    response = organiser_client.post(
        f"{base(seminar)}ajouter/",
        {
            "nom": "RvMan",
            "prenom": "C",
            "commune": "ST DENIS",
            "email": "RV2-CASE@example.org",
            "fonction": "maire",
        },
    )
    assert response.status_code == 400
    content = page(response)
    message = (
        "Cette adresse est déjà inscrite au nom de Case2 Dupont (Pantin) : saisissez une autre "
        "adresse ou, s'il s'agit de cette personne, corrigez son inscription avec « Modifier » "
        "dans la liste des inscriptions (ou saisissez son nom et son prénom tels qu'inscrits)."
    )
    assert message in content
    assert 'id="id_email_error"' in content  # on the e-mail field
    assert snapshot(dupont) == before
    assert seminar.registrations.count() == 1


def test_the_same_name_folded_still_updates_the_registration(organiser_client, seminar):
    registration, _ = register_person(
        seminar, someone("Lefèvre-Dupont", "Jean-Pierre", "Pantin"), notify=False
    )
    response = organiser_client.post(
        f"{base(seminar)}ajouter/",
        {
            "nom": "LEFEVRE DUPONT",
            "prenom": "jean pierre",
            "commune": "Bondy",
            "email": ADDRESS,
            "fonction": "dgs",
        },
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.commune_id, registration.fonction) == ("93010", "dgs")
    assert seminar.registrations.count() == 1


def test_a_member_with_another_persons_address_is_refused_without_learning_the_name(seminar, bondy):
    dupont, _ = register_person(seminar, someone("Dupont", "Case2", "Pantin"), notify=False)
    before = snapshot(dupont)
    with pytest.raises(RegistrationError) as refused:
        register_person(
            seminar,
            someone("RvMan", "C", "Bondy"),
            source=Source.MEMBER,
            member=bondy,
            notify=False,
        )
    (message,) = refused.value.errors["email"]
    assert "déjà inscrite" in message and "Dupont" not in message and "Pantin" not in message
    assert snapshot(dupont) == before
    # The same person, who registered themselves: no longer the member's to correct (session
    # 32, tests/seminars/test_audit_s32.py).
    with pytest.raises(RegistrationError):
        register_person(
            seminar,
            someone("DUPONT", "Case2", "Bondy"),
            source=Source.MEMBER,
            member=bondy,
            notify=False,
        )
    assert snapshot(dupont) == before


def test_people_registering_themselves_update_their_registration_under_their_name(portal, seminar):
    # Their own name, folded, updates; another name is now refused to them too (a shared
    # mailbox was taken over without a word: test_review_s15_public.py).
    dupont, _ = register_person(seminar, someone("Dupont", "Case2", "Pantin"), notify=False)
    again, created = register_person(seminar, someone("DUPONT", "case 2", "Bondy"))
    assert (again.pk, created, again.nom, again.commune_id) == (dupont.pk, False, "DUPONT", "93010")
    with pytest.raises(RegistrationError):
        register_person(seminar, someone("Dupond", "Casimir", "Bondy"))
    body = {
        "nom": "Dupont",
        "prenom": "Case2",
        "email": ADDRESS,
        "commune": "Pantin",
        "fonction": "maire",
    }
    response = portal.post(
        f"/api/v1/seminars/{seminar.pk}/registrations/",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 200
    dupont.refresh_from_db()
    assert (dupont.nom, dupont.commune_id) == ("Dupont", "93055")


# 2. The reasons of a 404 reach the organiser -----------------------------------------------------


def test_an_unknown_check_in_code_says_so_in_the_admin(organiser_client):
    response = organiser_client.get("/admin/inscriptions/emargement/zzz/")
    assert response.status_code == 404
    content = page(response)
    assert "Code d'émargement inconnu : cherchez la personne dans la liste." in content
    assert 'href="/admin/inscriptions/"' in content


def test_a_bad_export_parameter_says_so_with_a_link_to_the_list(organiser_client, seminar):
    export = f"{base(seminar)}export/"
    bad_format = organiser_client.get(export, {"format": "zzz"})
    assert bad_format.status_code == 400
    assert "Format inconnu : csv, xlsx ou pdf." in page(bad_format)
    assert f'href="{base(seminar)}"' in page(bad_format)
    for atelier in ("999", "abc"):
        unknown = organiser_client.get(export, {"format": "csv", "atelier": atelier})
        assert unknown.status_code == 404
        assert "Cet atelier n'existe pas ou plus dans cet événement." in page(unknown)
    # The API, which shares the check, still answers 404 with the reason.
    api = organiser_client.get(
        f"/api/v1/seminars/{seminar.pk}/registrations/export", {"format": "csv", "atelier": "999"}
    )
    assert api.status_code == 404
    assert api.json() == {"detail": "Cet atelier n'existe pas ou plus dans cet événement."}


def test_an_unknown_event_or_registration_is_explained_and_others_learn_nothing(
    organiser_client, seminar
):
    response = organiser_client.get("/admin/inscriptions/99999999/")
    assert response.status_code == 404
    assert "Cette page n'existe pas ou plus" in page(response)
    response = organiser_client.get(f"{base(seminar)}99999999/annuler/")
    assert response.status_code == 404 and f'href="{base(seminar)}"' in page(response)
    editor = host_client("localhost", organiser(roles.EDITOR, "editrice@union.test"))
    assert editor.get("/admin/inscriptions/emargement/zzz/").status_code in (302, 403)


# 3. Import edge cases ---------------------------------------------------------------------------


def rejected(content: str) -> list[tuple]:
    with pytest.raises(ImportRejected) as failure:
        parse(content.encode(), "liste.csv")
    return [(e.line, e.column, e.message) for e in failure.value.errors]


def test_a_header_without_lines_is_refused():
    assert rejected("Nom;Prénom;Commune;Fonction\n;;;\n") == [
        (2, "", "Le fichier ne contient aucune ligne après l'en-tête.")
    ]


def test_a_column_given_twice_is_refused_naming_it():
    errors = rejected("Nom,Nom,Prénom,Ville,Commune,Fonction\nA,B,C,Bondy,Bondy,Maire\n")
    assert errors == [
        (
            1,
            "Nom",
            "Colonne « Nom » en double : « Nom » (colonne A) et « Nom » (colonne B). "
            "Gardez-en une seule.",
        ),
        (
            1,
            "Commune",
            "Colonne « Commune » en double : « Ville » (colonne D) et « Commune » (colonne E). "
            "Gardez-en une seule.",
        ),
    ]


def test_missing_cells_are_named_in_each_columns_gender():
    messages = {
        message
        for _line, _column, message in rejected("Nom;Prénom;Commune;Fonction\n;;;x\n;;;\nA;;;")
    }
    assert messages == {
        "Nom manquant.",
        "Prénom manquant.",
        "Commune manquante.",
        "Fonction manquante.",
    }


def test_an_empty_or_header_only_upload_is_a_400_with_a_summary(
    organiser_client, seminar, tmp_path
):
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    with empty.open("rb") as upload:
        response = organiser_client.post(f"{base(seminar)}importer/", {"file": upload})
    assert response.status_code == 400
    content = page(response)
    assert "<title>Erreur – Importer une liste" in content
    assert 'class="error-summary"' in content and 'href="#id_file"' in content
    header_only = tmp_path / "entete.csv"
    header_only.write_text("Nom;Prénom;Commune;Fonction\n", "utf-8")
    with header_only.open("rb") as upload:
        response = organiser_client.post(f"{base(seminar)}importer/", {"file": upload})
    assert response.status_code == 400
    assert "Le fichier ne contient aucune ligne après l'en-tête." in page(response)
    assert not Registration.objects.exists()


# 4. Flagged communes: the error on its row, the typed value kept -------------------------------


def test_an_unknown_insee_code_is_shown_on_the_persons_row_with_what_was_typed(
    organiser_client, seminar
):
    benali, _ = register_person(
        seminar, person(1, nom="Benali", commune="Aubervillier"), notify=False
    )
    other, _ = register_person(seminar, person(2, nom="Roux", commune="Pantn"), notify=False)
    assert {benali.commune_status, other.commune_status} == {"flagged"}
    url = f"{base(seminar)}communes/"
    response = organiser_client.post(
        url, {"registration": benali.pk, "code": "93001", "code_typed": "2a999"}
    )
    assert response.status_code == 400
    content = page(response)
    assert "<title>Erreur – Communes à vérifier" in content
    message = "Code INSEE inconnu pour Prénom1 Benali : « 2A999 »."
    assert f'<a href="#code-{benali.pk}">{message}</a>' in content
    row = content[content.index(f'id="code-{benali.pk}"') - 40 :]
    row = row[: row.index("</form>")]
    assert 'value="2a999"' in row and 'aria-invalid="true"' in row and message in row
    other_row = content[content.index(f'id="code-{other.pk}"') :]
    assert "value=" not in other_row[: other_row.index(">")]
    benali.refresh_from_db()
    assert benali.commune_status == "flagged"

    response = organiser_client.post(url, {"registration": benali.pk})
    assert response.status_code == 400
    assert "Choisissez la commune de Prénom1 Benali ou saisissez son code INSEE." in page(response)


# 5. Admin forms: « Erreur – » in the title, a summary linking to each field, 400 -----------------


def test_writing_to_registrants_without_a_subject_is_a_400_with_a_summary(
    organiser_client, seminar
):
    response = organiser_client.post(
        f"{base(seminar)}ecrire/", {"subject": "", "body": "Bonjour", "statuses": ["confirmed"]}
    )
    assert response.status_code == 400
    content = page(response)
    assert "<title>Erreur – Écrire aux inscrits" in content
    assert '<a href="#id_subject">Objet : Champ requis.</a>' in content
    assert organiser_client.get(f"{base(seminar)}ecrire/").status_code == 200


def test_a_refused_manual_add_has_a_summary(organiser_client, seminar):
    response = organiser_client.post(
        f"{base(seminar)}ajouter/", {"nom": "", "prenom": "Anne", "commune": "Bondy"}
    )
    assert response.status_code == 400
    content = page(response)
    assert "<title>Erreur – Ajouter une inscription" in content
    assert '<a href="#id_nom">Nom : Champ requis.</a>' in content
    assert '<a href="#id_fonction">Fonction : Champ requis.</a>' in content
    assert "<title>Ajouter" in page(organiser_client.get(f"{base(seminar)}ajouter/"))


# 6. The year report -----------------------------------------------------------------------------


def test_a_year_that_is_not_one_is_said_invalid(organiser_client):
    make_seminar(days_ahead=-400)
    response = organiser_client.get("/admin/inscriptions/bilan/", {"annee": "abc"})
    assert response.status_code == 200
    content = page(response)
    assert "Année invalide : « abc »." in content and "Aucun événement" not in content
    default = organiser_client.get("/admin/inscriptions/bilan/")
    caption = page(default).split("<caption>")[1].split("</caption>")[0]
    assert f"<caption>{caption}</caption>" in content


def test_a_date_or_a_number_in_a_name_column_is_refused(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Nom", "Prénom", "Commune", "Fonction"])
    book.active.append([datetime.datetime(2026, 1, 5), "Awa", "Bondy", "Maire"])
    book.active.append(["Diallo", 1234.5, "Bondy", "Maire"])
    book.active.append(["N'Diaye", "Jean-Luc", "Bondy", "Maire"])  # a real name passes
    path = tmp_path / "liste.xlsx"
    book.save(path)
    with pytest.raises(ImportRejected) as failure:
        parse(path.read_bytes(), "liste.xlsx")
    assert [(e.line, e.column, e.message) for e in failure.value.errors] == [
        (2, "Nom", "« 05/01/2026 » n'est pas un nom : une date ou un nombre dans cette colonne ?"),
        (3, "Prénom", "« 1 234,5 » n'est pas un nom : une date ou un nombre dans cette colonne ?"),
    ]
