"""Session 45: what the last reviews left. The registrant's own changes are journaled (her
ateliers, her atelier lists, her consent, her cancellation); cancelling twice says so; a consent
cannot be given to a cancelled registration; the waiting list promises only what can happen;
the public API's answer to a known address says no more than the event page."""

import html
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from seminars.links import manage_path, page_path
from seminars.models import Registration
from seminars.services import cancel_registration, register_person
from tests.conftest import make_person, member_client, organiser
from tests.seminars.conftest import form_data, make_seminar, person
from tests.seminars.test_atelier_messages_s25 import register
from union.models import AuditEntry

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def registrants_entries(registration: Registration) -> list[dict]:
    """The journal's lines about `registration` written without an actor, oldest first."""
    entries = AuditEntry.objects.filter(details__registration=registration.pk, actor=None)
    return [{"action": e.action, **e.details} for e in entries.order_by("pk")]


# --- The registrant's own changes in the journal ------------------------------------------------


def test_her_change_of_ateliers_is_journaled_with_the_ateliers_chosen(portal, seminar):
    a, b, c = seminar.ateliers.order_by("sort_order")
    aicha, _ = register_person(seminar, person(1, ateliers=[a.pk]))
    answer = portal.post(manage_path(aicha), {"ateliers": [b.pk, c.pk]}, follow=True)
    assert "Vos ateliers sont enregistrés." in text_of(answer)
    (entry,) = registrants_entries(aicha)
    assert entry["action"] == "seminar.registration.edited"
    assert entry["by"] == "registrant"
    assert entry["fields"] == ["ateliers"]
    assert entry["ateliers"] == sorted([b.pk, c.pk])
    # The same choice again changes nothing and writes nothing.
    portal.post(manage_path(aicha), {"ateliers": [b.pk, c.pk]})
    assert len(registrants_entries(aicha)) == 1


def test_joining_and_leaving_an_atelier_list_herself_is_journaled(portal, full_a):
    seminar, a, b, c, holders, aicha = full_a
    portal.post(manage_path(aicha), {"action": "wait_atelier", "atelier": a.pk})
    portal.post(manage_path(aicha), {"action": "leave_atelier_wait", "atelier": a.pk})
    # Leaving again: nothing left, nothing written.
    portal.post(manage_path(aicha), {"action": "leave_atelier_wait", "atelier": a.pk})
    joined, left = registrants_entries(aicha)
    for entry in (joined, left):
        assert entry["action"] == "seminar.registration.edited"
        assert (entry["by"], entry["fields"], entry["atelier"]) == (
            "registrant",
            ["ateliers_waiting"],
            a.pk,
        )
    assert (joined["joined"], left["joined"]) == (True, False)


def test_her_cancellation_is_journaled_as_hers_and_an_organisers_is_not(portal, seminar):
    aicha, _ = register_person(seminar, person(1))
    bruno, _ = register_person(seminar, person(2))
    portal.post(manage_path(aicha), {"action": "cancel"})
    organiser_user = organiser()
    cancel_registration(bruno, actor=organiser_user)
    hers = AuditEntry.objects.get(
        action="seminar.registration.cancelled", details__registration=aicha.pk
    )
    theirs = AuditEntry.objects.get(
        action="seminar.registration.cancelled", details__registration=bruno.pk
    )
    assert hers.actor is None and hers.details["by"] == "registrant"
    assert theirs.actor == organiser_user and "by" not in theirs.details


def test_her_consent_is_journaled_once_per_change(portal, seminar):
    aicha, _ = register_person(seminar, person(1, consent=False))
    portal.post(manage_path(aicha), {"action": "give_consent"})
    portal.post(manage_path(aicha), {"action": "give_consent"})  # a second tap: no change
    portal.post(manage_path(aicha), {"action": "withdraw_consent"})
    entries = registrants_entries(aicha)
    assert [(e["fields"], e["consent"], e["by"]) for e in entries] == [
        (["consent"], True, "registrant"),
        (["consent"], False, "registrant"),
    ]
    assert Registration.objects.get(pk=aicha.pk).consent is False


# --- A cancelled registration ---------------------------------------------------------------------


def test_cancelling_twice_says_it_is_cancelled_not_that_changes_are_closed(
    portal, seminar, django_capture_on_commit_callbacks
):
    aicha, _ = register_person(seminar, person(1))
    with django_capture_on_commit_callbacks(execute=True):
        first = portal.post(manage_path(aicha), {"action": "cancel"}, follow=True)
    assert "Votre inscription est annulée." in text_of(first)
    assert len(mail.outbox) == 1  # « annulée »
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = portal.post(manage_path(aicha), {"action": "cancel"}, follow=True)
    shown = text_of(again)
    assert "Votre inscription est déjà annulée." in shown
    assert "ne sont plus possibles" not in shown
    assert len(mail.outbox) == 0  # no second « annulée » e-mail
    cancelled = AuditEntry.objects.filter(action="seminar.registration.cancelled")
    assert cancelled.count() == 1


def test_a_consent_cannot_be_given_to_a_cancelled_registration(portal, seminar):
    aicha, _ = register_person(seminar, person(1, consent=False))
    cancel_registration(aicha)
    # Her page, left open in another tab before she cancelled, still had the button.
    answer = portal.post(manage_path(aicha), {"action": "give_consent"}, follow=True)
    shown = text_of(answer)
    assert "elle ne figure pas dans la liste des participants" in shown
    assert "Vous figurerez dans la liste" not in shown
    assert Registration.objects.get(pk=aicha.pk).consent is False
    assert not AuditEntry.objects.filter(details__fields=["consent"]).exists()


def test_a_consent_can_still_be_withdrawn_from_a_cancelled_registration(portal, seminar):
    aicha, _ = register_person(seminar, person(1, consent=True))
    cancel_registration(aicha)
    answer = portal.post(manage_path(aicha), {"action": "withdraw_consent"}, follow=True)
    assert "Vous ne figurez plus dans la liste" in text_of(answer)
    assert Registration.objects.get(pk=aicha.pk).consent is False


# --- What the waiting list promises ---------------------------------------------------------------


def full_event_open_after_its_cut_off():
    """Registrations open until the end of the day; the registrants' changes closed an hour ago:
    nobody can withdraw but the organisers."""
    seminar = make_seminar(seats=1, days_ahead=0.5)
    seminar.changes_until = timezone.now() - timedelta(hours=1)
    seminar.registration_closes = seminar.start
    seminar.save_revision().publish()
    register_person(seminar, person(1))
    return seminar


def test_the_waiting_list_after_the_cut_off_does_not_promise_a_seat_freed_by_others(
    portal, django_capture_on_commit_callbacks
):
    seminar = full_event_open_after_its_cut_off()
    with django_capture_on_commit_callbacks(execute=True):
        answer = portal.post(page_path(seminar), form_data(), follow=True)
    shown = text_of(answer)
    assert "vous êtes sur la liste d'attente" in shown
    assert "Les inscrits ne peuvent plus se désinscrire" in shown
    assert "dès qu'une place se libère" not in shown
    (sent,) = [m for m in mail.outbox if "aicha.durand@exemple.fr" in m.to]
    assert "Les inscrits ne peuvent plus se désinscrire" in " ".join(sent.body.split())
    assert "dès qu'une place se libère" not in sent.body


def test_the_waiting_list_before_the_cut_off_still_promises_an_e_mail(portal):
    seminar = make_seminar(seats=1)
    register_person(seminar, person(1))
    answer = portal.post(page_path(seminar), form_data(), follow=True)
    shown = text_of(answer)
    assert "Nous vous écrirons dès qu'une place se libère." in shown
    assert "ne peuvent plus se désinscrire" not in shown


# --- The public API's answer to a known address ---------------------------------------------------


def test_the_public_api_says_no_more_of_a_known_address_than_the_event_page(portal, full_a):
    seminar, a, b, c, holders, _aicha = full_a
    first = register(portal, seminar, ateliers=[b.pk, c.pk], ateliers_waiting=[a.pk])
    assert first.status_code == 201 and first.json()["status"] == "confirmed"
    assert first.json()["ateliers_waiting"] == [a.pk]
    # Anyone who knows her name and address posts again, ticking C only.
    again = register(portal, seminar, ateliers=[c.pk])
    assert again.status_code == 200
    answer = again.json()
    assert set(answer) == {"created", "commune_status", "detail"}
    assert answer["created"] is False and answer["commune_status"] == "matched"
    assert answer["detail"].startswith("Une inscription existait déjà avec cette adresse")
    assert "Vos ateliers : « Atelier C »." in answer["detail"].replace("\xa0", " ")


def test_a_cancelled_registration_taken_up_through_the_api_is_answered_as_a_new_one(
    portal, seminar
):
    aicha = register(portal, seminar).json()
    cancel_registration(Registration.objects.get(pk=aicha["id"]))
    again = register(portal, seminar)
    assert again.status_code == 201
    assert again.json()["created"] is True and again.json()["status"] == "confirmed"
    assert again.json()["id"] == aicha["id"]  # the same row, taken up
    assert again["Location"].endswith(f"/registrations/{aicha['id']}/")


def test_a_member_updating_its_own_registration_still_reads_it_whole(bondy, seminar):
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    body = {"nom": "Durand", "prenom": "Lucie", "email": "lucie@exemple.fr", "fonction": "maire"}
    first = client.post(url, json.dumps(body), content_type="application/json")
    assert first.status_code == 201
    again = client.post(url, json.dumps(body), content_type="application/json")
    assert again.status_code == 200
    assert again.json()["status"] == "confirmed" and again.json()["created"] is False


# --- One mailbox behind many « +… » addresses -----------------------------------------------------


def test_a_mailbox_behind_tagged_addresses_gets_at_most_five_registrations(
    portal, seminar, django_capture_on_commit_callbacks
):
    addresses = ["mairie@exemple.fr"] + [f"mairie+elu{n}@exemple.fr" for n in range(1, 5)]
    with django_capture_on_commit_callbacks(execute=True):
        for n, address in enumerate(addresses):
            answer = portal.post(page_path(seminar), form_data(email=address, nom=f"Élu{n}"))
            assert answer.status_code == 302, address
        refused = portal.post(
            page_path(seminar), form_data(email="Mairie+elu5@exemple.fr", nom="Élu5")
        )
    assert refused.status_code == 400
    shown = text_of(refused)
    assert "5 inscriptions à cet événement arrivent déjà dans cette boîte aux lettres" in shown
    assert 'value="Élu5"' in refused.content.decode()  # what was typed is kept
    assert Registration.objects.count() == 5
    assert len(mail.outbox) == 5
    # The API refuses it on its field too.
    answer = register(portal, seminar, email="mairie+elu6@exemple.fr", nom="Élu6")
    assert answer.status_code == 400 and "boîte aux lettres" in answer.json()["email"][0]


def test_the_mailbox_limit_counts_neither_cancelled_nor_other_mailboxes_nor_organisers(
    portal, seminar
):
    for n in range(1, 6):
        register_person(seminar, person(n, email=f"mairie+elu{n}@exemple.fr"))
    # Another mailbox of the same domain, the same name at another domain: not the same box.
    for address in ("mairie2+elu@exemple.fr", "mairie+elu@autre.fr"):
        assert portal.post(page_path(seminar), form_data(email=address)).status_code == 302
    # A cancelled registration gives its share back.
    cancel_registration(Registration.objects.get(email="mairie+elu1@exemple.fr"))
    answer = portal.post(page_path(seminar), form_data(email="mairie+elu9@exemple.fr"))
    assert answer.status_code == 302
    # The organisers add whom they want (their own source).
    registration, created = register_person(
        seminar, person(10, email="mairie+elu10@exemple.fr"), source=Registration.Source.MANUAL
    )
    assert created and registration.status == "confirmed"


def test_a_registrant_of_a_shared_mailbox_may_still_register_again(portal, seminar):
    """Session 45's third review: her own row was counted among the five, and she was refused
    an update of her own registration."""
    for n in range(1, 6):
        form = form_data(email=f"mairie+elu{n}@exemple.fr", nom=f"Elu{n}")
        assert portal.post(page_path(seminar), form).status_code == 302
    again = portal.post(
        page_path(seminar),
        form_data(email="mairie+elu3@exemple.fr", nom="Elu3", needs="Fauteuil roulant"),
    )
    assert again.status_code == 302
    assert Registration.objects.get(email="mairie+elu3@exemple.fr").needs == "Fauteuil roulant"
    # A cancelled one taken up counts as a new one: five are active already.
    sixth, _ = register_person(
        seminar, person(6, email="mairie+elu6@exemple.fr"), source=Registration.Source.MANUAL
    )
    cancel_registration(sixth)
    Registration.objects.filter(email="mairie+elu3@exemple.fr").update(status="confirmed")
    refused = portal.post(
        page_path(seminar), form_data(email="mairie+elu6@exemple.fr", nom="Nom6", prenom="Prénom6")
    )
    assert refused.status_code == 400
    assert Registration.objects.get(pk=sixth.pk).status == "cancelled"


def test_quoted_or_escaped_addresses_are_refused(portal, seminar):
    # Django's validator takes both (a quoted local part); mail servers deliver them to victime@.
    for address in ('"victime+6"@exemple.fr', '"v\\ictime"@exemple.fr'):
        answer = portal.post(page_path(seminar), form_data(email=address))
        assert answer.status_code == 400, address
        assert "les guillemets et les barres obliques inverses" in text_of(answer)
    assert not Registration.objects.exists()


def test_a_domain_in_unicode_and_in_punycode_is_one_mailbox(portal, seminar):
    for n in range(3):
        form = form_data(email=f"victime+{n}@exämple.fr", nom=f"Nom{n}")
        assert portal.post(page_path(seminar), form).status_code == 302
    for n in range(3, 5):
        form = form_data(email=f"victime+{n}@xn--exmple-cua.fr", nom=f"Nom{n}")
        assert portal.post(page_path(seminar), form).status_code == 302
    refused = portal.post(
        page_path(seminar), form_data(email="victime+5@xn--exmple-cua.fr", nom="Nom5")
    )
    assert refused.status_code == 400
