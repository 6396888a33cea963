"""Whom a member sees of the union's events and whom it may withdraw: the people of the communes it
serves (every commune of its intercommunality for a CIAS) and those it registered itself,
whatever their commune; it withdraws only the latter, never another member's."""

import importlib
import io

import pytest
from django.apps import apps
from openpyxl import load_workbook

from seminars.models import Registration
from seminars.services import register_person
from tenants.models import MemberCCAS
from tests.conftest import make_member, make_person, member_client
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db


def cancel_url(registration: Registration) -> str:
    return f"/evenements/{registration.seminar_id}/inscriptions/{registration.pk}/desinscrire/"


def listed_names(client, seminar) -> dict[str, dict]:
    response = client.get("/api/v1/seminars/")
    assert response.status_code == 200, response.content
    (event,) = [e for e in response.json()["results"] if e["id"] == seminar.pk]
    return {r["nom"]: r for r in event["registrations"]}


def test_a_member_withdraws_someone_of_another_commune_it_registered(two_members):
    bondy, montreuil = two_members
    seminar = make_seminar("Commission seniors")
    # Bondy's CCAS registers a partner who lives and works in Montreuil.
    partner, _ = register_person(
        seminar,
        person(1, commune="Montreuil", nom="Partenaire", fonction="partenaire"),
        source=Registration.Source.MEMBER,
        member=bondy,
    )
    bondy_client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    montreuil_client = member_client(montreuil, make_person(montreuil, "direction@montreuil.test"))

    bondys = bondy_client.get("/").content.decode()
    assert "Prénom1 Partenaire (Partenaire, Montreuil)" in bondys  # not of Bondy: its commune said
    assert f'href="{cancel_url(partner)}">désinscrire' in bondys
    # Montreuil sees someone of its commune, but did not register them: no link, no withdrawal.
    montreuils = montreuil_client.get("/").content.decode()
    assert "Prénom1 Partenaire (Partenaire)" in montreuils
    assert cancel_url(partner) not in montreuils
    assert montreuil_client.post(cancel_url(partner)).status_code == 404
    assert listed_names(montreuil_client, seminar)["Partenaire"]["registered_by_member"] is False
    assert listed_names(bondy_client, seminar)["Partenaire"] == {
        "id": partner.pk,
        "nom": "Partenaire",
        "prenom": "Prénom1",
        "commune": {"code": "93048", "nom": "Montreuil"},
        "fonction": "partenaire",
        "fonction_text": "",
        "status": "confirmed",
        "ateliers": [],
        "registered_by_member": True,
    }

    assert bondy_client.post(cancel_url(partner)).status_code == 302
    partner.refresh_from_db()
    assert partner.status == Registration.Status.CANCELLED


def test_a_cias_sees_the_people_of_every_commune_of_its_intercommunality(montreuil):
    # The CIAS of Est Ensemble (Bondy, Montreuil, Pantin…), seated in Bondy; Saint-Denis is in
    # Plaine Commune. Montreuil's CCAS is a member too: its schema's keys collide with the CIAS's.
    cias = make_member("93010", kind=MemberCCAS.Kind.CIAS)
    assert cias.intercommunality.nom == "Est Ensemble"
    seminar = make_seminar("Séminaire ABS")
    for number, commune in enumerate(("Bondy", "Pantin", "Montreuil", "Saint-Denis"), start=1):
        register_person(seminar, person(number, commune=commune, nom=commune.replace("-", "")))
    client = member_client(cias, make_person(cias, "direction@cias.test"))

    dashboard = client.get("/").content.decode()
    assert "personnes de votre intercommunalité inscrites" in dashboard
    assert "Prénom1 Bondy (Maire)" in dashboard  # its seat: no commune said
    assert "Prénom2 Pantin (Maire, Pantin)" in dashboard
    assert "Prénom3 Montreuil (Maire, Montreuil)" in dashboard
    assert "SaintDenis" not in dashboard
    assert set(listed_names(client, seminar)) == {"Bondy", "Pantin", "Montreuil"}
    # Montreuil's CCAS sees its own commune's people only.
    montreuil_client = member_client(montreuil, make_person(montreuil, "direction@montreuil.test"))
    assert set(listed_names(montreuil_client, seminar)) == {"Montreuil"}
    assert "personnes de votre commune inscrites" in montreuil_client.get("/").content.decode()


def test_the_organisers_list_and_workbook_name_the_member_that_registered(bondy, organiser_client):
    seminar = make_seminar("Commission seniors")
    register_person(
        seminar, person(1, nom="Parbondy"), source=Registration.Source.MEMBER, member=bondy
    )
    register_person(seminar, person(2, nom="Enligne"))

    listing = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/").content.decode()
    assert "Inscription par un membre : CCAS de Bondy" in listing
    assert "Formulaire" in listing
    response = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/liste.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    sources = {row[0]: row[11] for row in rows if row[0] in ("PARBONDY", "ENLIGNE")}
    assert sources == {
        "PARBONDY": "Inscription par un membre : CCAS de Bondy",
        "ENLIGNE": "Formulaire",
    }


def test_the_migration_credits_earlier_registrations_to_the_ccas_of_their_commune(two_members):
    bondy, montreuil = two_members
    seminar = make_seminar()
    earlier, _ = register_person(seminar, person(1), source=Registration.Source.MEMBER)
    no_member, _ = register_person(
        seminar, person(2, commune="Pantin"), source=Registration.Source.MEMBER
    )
    self_made, _ = register_person(seminar, person(3, commune="Montreuil"))
    assert earlier.registered_by is None  # as before the field existed

    migration = importlib.import_module("seminars.migrations.0008_registration_registered_by")
    migration.credit_members(apps, None)

    by = dict(Registration.objects.values_list("pk", "registered_by"))
    assert by == {earlier.pk: bondy.pk, no_member.pk: None, self_made.pk: None}
