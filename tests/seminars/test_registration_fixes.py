"""Registering again with a known address: the cut-off for changes, organisers' imports, and
which communes count as members (a CIAS covers its whole intercommunality)."""

import datetime
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from seminars.importer import import_registrations
from seminars.links import page_path
from seminars.models import Registration, Visibility
from seminars.services import (
    TOO_LATE_TO_CHANGE,
    RegistrationError,
    cancel_registration,
    member_communes,
    register_person,
)
from tenants.models import Commune, MemberCCAS
from tests.seminars.conftest import confirmed_counts, make_seminar, person

pytestmark = pytest.mark.django_db
CONFIRMED, WAITLISTED = Registration.Status.CONFIRMED, Registration.Status.WAITLISTED
EMAIL = "elue@exemple.fr"
MEMBERS, NON_MEMBERS = "Communes membres de l'union", "Communes non membres"


def past_cut_off(**fields):
    """Registrations still open (the event is in 30 days) but changes closed an hour ago."""
    return make_seminar(
        ateliers=(("Atelier A", 1, 2, 3), ("Atelier C", 4, 2, 10)),
        changes_until=timezone.now() - timedelta(hours=1),
        **fields,
    )


def registered_online(seminar) -> Registration:
    """Someone who chose an atelier, gave their needs and agreed to the published list."""
    atelier = seminar.ateliers.get(title="Atelier A")
    data = person(1, email=EMAIL, nom="Original", ateliers=[atelier.pk])
    data.needs = "Fauteuil roulant"
    registration, _ = register_person(seminar, data, notify=False)
    return registration


def snapshot(registration: Registration) -> tuple:
    registration.refresh_from_db()
    return (
        registration.nom,
        registration.commune_id,
        registration.fonction,
        registration.needs,
        registration.consent,
        registration.status,
        sorted(registration.ateliers.values_list("title", flat=True)),
        registration.updated_at,
    )


def form_data(**overrides) -> dict:
    # The registrant's own name (folded): under another name, the address is refused before the
    # cut-off is looked at, as a shared mailbox's (test_review_s15_public.py).
    data = {
        "nom": "ORIGINAL",
        "prenom": "Prénom1",
        "email": EMAIL,
        "commune": "Montreuil",
        "fonction": "dgs",
        "needs": "",
    }
    data.update(overrides)
    return data


def api_body(**overrides) -> dict:
    body = {**form_data(), "ateliers": [], "consent": False}
    body.update(overrides)
    return body


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


# 1. The cut-off for changes applies to re-registering through the public form and the API.


def test_the_event_form_cannot_rewrite_a_registration_after_the_cut_off(
    portal, mailoutbox, django_capture_on_commit_callbacks
):
    seminar = past_cut_off()
    registration = registered_online(seminar)
    before = snapshot(registration)
    with django_capture_on_commit_callbacks(execute=True):
        response = portal.post(page_path(seminar), form_data())
    assert response.status_code == 400
    assert "les modifications ne sont plus possibles en ligne" in response.content.decode()
    assert snapshot(registration) == before
    assert seminar.registrations.count() == 1
    assert mailoutbox == []


def test_the_api_cannot_rewrite_a_registration_after_the_cut_off(
    portal, mailoutbox, django_capture_on_commit_callbacks
):
    seminar = past_cut_off()
    registration = registered_online(seminar)
    before = snapshot(registration)
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(portal, url, api_body())
    assert response.status_code == 400
    assert response.json() == {"email": [TOO_LATE_TO_CHANGE]}
    assert snapshot(registration) == before
    assert mailoutbox == []
    # A new address still registers after the cut-off for changes.
    other = post_json(portal, url, api_body(email="autre@exemple.fr"))
    assert other.status_code == 201


def test_the_cut_off_message_is_the_one_for_the_person():
    seminar = past_cut_off()
    registered_online(seminar)
    with pytest.raises(RegistrationError) as error:
        register_person(seminar, person(1, email=EMAIL, nom="Original", commune="Pantin"))
    assert error.value.errors == {
        "email": [
            "Cette adresse est déjà inscrite et les modifications ne sont plus possibles en "
            "ligne : contactez l'organisateur de l'événement."
        ]
    }


def test_a_cancelled_address_may_register_again_after_the_cut_off():
    seminar = past_cut_off()
    cancel_registration(registered_online(seminar))
    again, created = register_person(seminar, person(1, email=EMAIL, nom="Revenue"))
    assert not created
    assert (again.nom, again.status) == ("Revenue", CONFIRMED)


def test_organisers_update_after_the_cut_off(organiser_client, tmp_path):
    seminar = past_cut_off()
    registration = registered_online(seminar)
    # The same person (an address under another name is refused: test_admin_review_fixes.py).
    response = organiser_client.post(
        f"/admin/inscriptions/{seminar.pk}/ajouter/",
        {
            "nom": "ORIGINAL",
            "prenom": "Prénom1",
            "email": EMAIL,
            "commune": "Montreuil",
            "fonction": "maire",
        },
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.nom, registration.commune_id) == ("ORIGINAL", "93048")
    # The same name, folded (an import never renames: test_registration_edit.py).
    content = f"Nom;Prénom;Commune;Fonction;Email\noriginal;Prénom1;Bondy;Maire;{EMAIL}\n"
    import_registrations(seminar, content.encode(), "liste.csv")
    registration.refresh_from_db()
    assert (registration.nom, registration.commune_id) == ("original", "93010")
    assert seminar.registrations.count() == 1


def test_before_the_cut_off_the_same_address_updates_and_the_person_is_told(
    portal, mailoutbox, django_capture_on_commit_callbacks
):
    seminar = make_seminar(
        ateliers=(("Atelier A", 1, 2, 3),), changes_until=timezone.now() + timedelta(days=1)
    )
    registration = registered_online(seminar)
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(portal, url, api_body(commune="Pantin"))
    assert response.status_code == 200 and response.json()["created"] is False
    with django_capture_on_commit_callbacks(execute=True):
        page = portal.post(page_path(seminar), form_data(nom="original", commune="Bondy"))
    assert page.status_code == 302
    registration.refresh_from_db()
    assert (registration.nom, registration.commune_id) == ("original", "93010")
    assert seminar.registrations.count() == 1
    # Whoever typed the address, its owner learns of each change, with the event's .ics.
    assert [m.to for m in mailoutbox] == [[EMAIL], [EMAIL]]
    assert all(m.subject == f"Inscription mise à jour : {seminar.title}" for m in mailoutbox)
    assert all(m.attachments[0][2] == "text/calendar" for m in mailoutbox)


def test_a_new_address_is_inserted_without_looking_it_up_first():
    """The hot path (bench/bench_seminars.py): no query for the cut-off on a new e-mail."""
    seminar = past_cut_off()
    with CaptureQueriesContext(connection) as queries:
        register_person(seminar, person(5), notify=False)
    looked_up = [q["sql"] for q in queries if "personne5@exemple.fr" in q["sql"]]
    assert len(looked_up) == 1 and looked_up[0].lstrip().startswith("INSERT")
    assert len(queries) == 4  # savepoint, lock and count, insert, release


# 2. Importing a list keeps what people chose online.


def test_importing_a_known_address_keeps_ateliers_needs_and_consent(tmp_path):
    seminar = make_seminar(ateliers=(("Atelier A", 1, 2, 3), ("Atelier C", 4, 2, 10)))
    registration = registered_online(seminar)
    # The same person (another name is refused: test_registration_edit.py).
    content = f"Nom;Prénom;Commune;Fonction;Email\nORIGINAL;prénom1;Montreuil;DGS;{EMAIL}\n"
    result = import_registrations(seminar, content.encode(), "liste.csv")
    assert (result.imported, result.confirmed) == (1, 1)
    registration.refresh_from_db()
    # The list's columns are updated…
    assert (registration.nom, registration.prenom, registration.commune_id) == (
        "ORIGINAL",
        "prénom1",
        "93048",
    )
    assert (registration.fonction, registration.fonction_text) == ("dgs", "DGS")
    # …what only the person could give is kept.
    assert list(registration.ateliers.values_list("title", flat=True)) == ["Atelier A"]
    assert (registration.needs, registration.consent) == ("Fauteuil roulant", True)
    assert (registration.status, registration.source) == (CONFIRMED, "form")
    assert seminar.registrations.count() == 1


def test_a_reimported_person_waiting_for_a_full_atelier_keeps_waiting_for_it():
    seminar = make_seminar(seats=2, ateliers=(("Petit atelier", 1, 1, 1),))
    atelier = seminar.ateliers.get()
    register_person(seminar, person(1, ateliers=[atelier.pk]))
    other, _ = register_person(seminar, person(2))
    waiting, _ = register_person(seminar, person(3, ateliers=[atelier.pk]))
    cancel_registration(other)  # a seat is free, but not in the atelier
    waiting.refresh_from_db()
    assert waiting.status == WAITLISTED
    content = "Nom;Prénom;Commune;Fonction;Email\nNom3;Prénom3;Bondy;Maire;personne3@exemple.fr\n"
    import_registrations(seminar, content.encode(), "liste.csv")
    waiting.refresh_from_db()
    assert waiting.status == WAITLISTED
    assert list(waiting.ateliers.all()) == [atelier]


def test_a_manual_add_by_an_organiser_still_replaces_the_choices():
    seminar = make_seminar(ateliers=(("Atelier A", 1, 2, 3), ("Atelier C", 4, 2, 10)))
    registration = registered_online(seminar)
    register_person(
        seminar,
        person(1, email=EMAIL, nom="Original", consent=False),
        source=Registration.Source.MANUAL,
        notify=False,
    )
    registration.refresh_from_db()
    assert (registration.needs, registration.consent, registration.ateliers.count()) == (
        "",
        False,
        0,
    )


# 4. Communes covered by a member CIAS are member communes.


def cias_member(seat: str, intercommunality, status=MemberCCAS.Status.ACTIVE) -> MemberCCAS:
    """A CIAS row without a schema (as tests/abs_shared/conftest.py::pool_member)."""
    (member,) = MemberCCAS.objects.bulk_create(
        [
            MemberCCAS(
                schema_name=f"cias_{seat}",
                name=f"CIAS {intercommunality.nom}",
                slug=f"cias-{seat}",
                kind=MemberCCAS.Kind.CIAS,
                commune_id=seat,
                intercommunality=intercommunality,
                status=status,
                joined_on=datetime.date(2024, 1, 1),
            )
        ]
    )
    return member


def test_a_cias_on_an_ept_opens_members_only_events_to_its_communes():
    bondy = Commune.objects.select_related("ept").get(code="93010")
    montreuil = Commune.objects.get(code="93048")
    saint_denis = Commune.objects.get(code="93066")
    assert bondy.ept is not None and montreuil.ept_id == bondy.ept_id != saint_denis.ept_id
    cias_member("93010", bondy.ept)
    seminar = make_seminar(visibility=Visibility.MEMBERS)
    registration, _ = register_person(seminar, person(1, commune="93048"))
    assert registration.commune_id == "93048"
    with pytest.raises(RegistrationError) as error:
        register_person(seminar, person(2, commune="93066"))
    assert "réservé aux communes membres" in error.value.errors["commune"][0]
    counts = confirmed_counts(seminar)["Membres"]
    assert (counts[MEMBERS], counts[NON_MEMBERS]) == (1, 0)


def test_a_cias_on_an_epci_covers_its_communes_while_active():
    seat = (
        Commune.objects.filter(epci__isnull=False, ept__isnull=True, epci__kind__in=["CA", "CC"])
        .select_related("epci")
        .order_by("code")
        .first()
    )
    neighbour = (
        Commune.objects.filter(epci=seat.epci).exclude(code=seat.code).order_by("code").first()
    )
    outside = Commune.objects.exclude(epci=seat.epci).filter(ept__isnull=True).first()
    member = cias_member(seat.code, seat.epci)
    codes = set(member_communes().values_list("code", flat=True))
    assert {seat.code, neighbour.code} <= codes and outside.code not in codes
    members_only = make_seminar("Commission", visibility=Visibility.MEMBERS)
    register_person(members_only, person(1, commune=neighbour.code))
    seminar = make_seminar()
    register_person(seminar, person(1, commune=neighbour.code))
    register_person(seminar, person(2, commune=outside.code))
    counts = confirmed_counts(seminar)["Membres"]
    assert (counts[MEMBERS], counts[NON_MEMBERS]) == (1, 1)
    MemberCCAS.objects.filter(pk=member.pk).update(status=MemberCCAS.Status.LEFT)
    with pytest.raises(RegistrationError):
        register_person(members_only, person(3, commune=neighbour.code))
    assert confirmed_counts(seminar)["Membres"][MEMBERS] == 0


def test_member_communes_is_one_query(bondy):
    with CaptureQueriesContext(connection) as queries:
        codes = set(member_communes().values_list("code", flat=True))
    selects = [q["sql"] for q in queries if not q["sql"].startswith("SET search_path")]
    assert "93010" in codes and len(selects) == 1
