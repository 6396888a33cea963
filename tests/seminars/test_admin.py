"""Organisers' screens in the Wagtail admin, through real HTTP on the portal host."""

import io

import pytest
from openpyxl import load_workbook

from seminars.models import Registration
from seminars.services import register_person
from tests.conftest import host_client
from tests.seminars.conftest import organiser, person
from union import roles
from union.models import AuditEntry

pytestmark = pytest.mark.django_db


def base(seminar) -> str:
    return f"/admin/inscriptions/{seminar.pk}/"


def test_only_organisers_and_union_admins_reach_the_screens(seminar):
    editor = host_client("localhost", organiser(roles.EDITOR, "editrice@union.test"))
    assert editor.get("/admin/inscriptions/").status_code in (302, 403)
    assert editor.get(base(seminar)).status_code in (302, 403)
    admin = host_client("localhost", organiser(roles.UNION_ADMIN, "admin@union.test"))
    assert admin.get(base(seminar)).status_code == 200
    anonymous = host_client("localhost")
    assert anonymous.get(base(seminar)).status_code == 302


def test_list_filters_and_check_in(organiser_client, seminar):
    a = seminar.ateliers.get(title="Atelier A")
    first, _ = register_person(seminar, person(1, nom="Zola", ateliers=[a.pk], fonction="dgs"))
    register_person(seminar, person(2, nom="Abel", commune="Aubervillier"))
    listing = organiser_client.get("/admin/inscriptions/").content.decode()
    assert seminar.title in listing and "2 / 50" in listing
    page = organiser_client.get(base(seminar), {"atelier": a.pk}).content.decode()
    assert "ZOLA" in page and "ABEL" not in page
    page = organiser_client.get(base(seminar), {"flagged": "on"}).content.decode()
    assert "ABEL" in page and "ZOLA" not in page
    page = organiser_client.get(base(seminar), {"fonction": "dgs"}).content.decode()
    assert "ZOLA" in page and "ABEL" not in page
    response = organiser_client.post(
        # The event is weeks ahead: checking in now is confirmed (tests/seminars/test_door_s16.py).
        f"{base(seminar)}{first.pk}/emargement/",
        {"present": "1", "confirm": "1", "query": "fonction=dgs"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?fonction=dgs#r-{first.pk}")
    first.refresh_from_db()
    assert first.checked_in_at is not None
    assert AuditEntry.objects.filter(action="seminar.registration.check_in").exists()


def test_manual_add_keeps_typed_values_on_error_then_adds(organiser_client, seminar):
    data = {"nom": "Roux", "prenom": "Anne", "email": "", "commune": "Montreuil", "fonction": ""}
    response = organiser_client.post(f"{base(seminar)}ajouter/", data)
    assert response.status_code == 400
    assert 'value="Montreuil"' in response.content.decode()
    data.update(fonction="maire", hint="Vendé")
    page = organiser_client.post(f"{base(seminar)}ajouter/", data).content.decode()
    assert "Département ou région inconnu : « Vendé »" in page
    assert 'value="Vendé"' in page and not Registration.objects.exists()
    data.update(hint="Vendée")  # a name as well as a code (85)
    assert organiser_client.post(f"{base(seminar)}ajouter/", data).status_code == 302
    added = Registration.objects.get(nom="Roux")
    assert (added.commune_id, added.source, added.email) == ("85148", "manual", "")


def test_import_upload_then_resolve_flagged_commune(organiser_client, seminar, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text("Nom,Prénom,Commune,Fonction\nBenali,Sofia,Aubervillier,Maire\n", "utf-8")
    with path.open("rb") as upload:
        response = organiser_client.post(f"{base(seminar)}importer/", {"file": upload})
    assert response.status_code == 302
    registration = Registration.objects.get(nom="Benali")
    assert registration.commune_status == "flagged"
    page = organiser_client.get(f"{base(seminar)}communes/").content.decode()
    assert "Aubervillier" in page and "Aubervilliers (93001)" in page
    organiser_client.post(
        f"{base(seminar)}communes/", {"registration": registration.pk, "code": "93001"}
    )
    registration.refresh_from_db()
    assert (registration.commune_id, registration.commune_status) == ("93001", "matched")


def test_a_bad_import_lists_line_column_and_reason(organiser_client, seminar, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text("Nom;Prénom;Commune;Fonction\nBenali;;Bondy;Maire\n", "utf-8")
    with path.open("rb") as upload:
        response = organiser_client.post(f"{base(seminar)}importer/", {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "été importé : 1 erreur" in page and "Prénom manquant." in page
    assert Registration.objects.count() == 0


def test_exports_counts_and_message_to_everyone(
    organiser_client, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    register_person(seminar, person(1, nom="Zola"), notify=False)
    abel = person(2, nom="Abel")
    abel.needs = "Repas sans gluten"
    register_person(seminar, abel, notify=False)
    response = organiser_client.get(f"{base(seminar)}export/", {"format": "xlsx"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)] == ["ABEL", "ZOLA"]
    assert organiser_client.get(f"{base(seminar)}export/", {"format": "doc"}).status_code == 400
    stats = organiser_client.get(f"{base(seminar)}chiffres/").content.decode()
    assert "Par fonction" in stats and "Maire</th><td>2" in stats
    assert "Repas sans gluten" in stats
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            f"{base(seminar)}ecrire/",
            {"subject": "Plan d'accès", "body": "Le parking est fermé.", "statuses": ["confirmed"]},
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == ["personne1@exemple.fr", "personne2@exemple.fr"]
    assert "Le parking est fermé." in mailoutbox[0].body
