"""Session 44's second review (a helper session, read-only): the journey of a person who
registers without an account. Each fixed finding with its test."""

import html
import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from seminars.importer import import_registrations
from seminars.links import make_token, manage_path, page_path
from seminars.models import AtelierPresence, Registration, SeminarPage, Visibility
from seminars.services import (
    cancel_registration,
    register_person,
    send_due_reminders,
    set_check_in,
)
from tests.seminars.conftest import form_data, make_seminar, person
from union.spreadsheets import ImportRejected

pytestmark = pytest.mark.django_db

LONG_ADDRESS = "a" * 250 + "@exemple.fr"  # 261 characters: Django's validator takes up to 320


def text_of(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


# --- Finding 3: an address longer than the column answered 500 ---------------------------------


def test_a_too_long_address_is_refused_on_its_field_and_the_form_kept(portal, seminar):
    answer = portal.post(page_path(seminar), form_data(email=LONG_ADDRESS))
    assert answer.status_code == 400
    shown = text_of(answer)
    assert "Adresse e-mail trop longue : 254 caractères au plus." in shown
    assert 'value="Aïcha"' in answer.content.decode()  # what she typed is kept
    assert not Registration.objects.exists()


def test_a_too_long_address_is_refused_by_the_api(portal, seminar):
    body = {
        "nom": "Durand",
        "prenom": "Aïcha",
        "email": LONG_ADDRESS,
        "commune": "Bondy",
        "fonction": "maire",
    }
    answer = portal.post(
        f"/api/v1/seminars/{seminar.pk}/registrations/",
        json.dumps(body),
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert "trop longue" in " ".join(answer.json()["email"])


def test_a_too_long_address_was_already_an_error_of_its_line_in_an_import(seminar, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text(f"Nom;Prénom;Commune;Fonction;Email\nDurand;Aïcha;Bondy;Maire;{LONG_ADDRESS}\n")
    with pytest.raises(ImportRejected) as refused:
        import_registrations(seminar, path.read_bytes(), "liste.csv")
    (issue,) = refused.value.errors  # the import measured its cells already
    assert (issue.line, issue.column) == (2, "Email")
    assert " ".join(issue.message.split()) == "Texte trop long : 261 caractères, 254 au plus."
    assert not Registration.objects.exists()


# --- Finding 2: the cut-off for changes after the event's end -----------------------------------


def test_the_cut_off_for_changes_cannot_follow_the_end(seminar):
    seminar.changes_until = seminar.end + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        seminar.full_clean()
    (message,) = refused.value.message_dict["changes_until"]
    assert message.startswith(
        "La date limite des modifications ne peut pas suivre la fin de l'événement"
    )


def test_after_the_event_nothing_changes_whatever_the_date_saved(portal):
    """A date saved before clean() refused it: the end closes the changes all the same, so the
    participant cannot cancel (and lose her attestation) nor give her seat away."""
    seminar = make_seminar(days_ahead=-2, seats=1)
    present, _ = register_person(seminar, person(1))
    waiting, _ = register_person(seminar, person(2))
    set_check_in(present, True)
    SeminarPage.objects.filter(pk=seminar.pk).update(
        changes_until=timezone.now() + timedelta(days=1)
    )
    seminar.refresh_from_db()
    assert not seminar.changes_open()
    page = text_of(portal.get(manage_path(present)))
    assert "Annuler mon inscription" not in page
    answer = portal.post(manage_path(present), {"action": "cancel"})
    assert answer.status_code in (302, 400)
    present.refresh_from_db()
    waiting.refresh_from_db()
    assert present.status == Registration.Status.CONFIRMED
    assert waiting.status == Registration.Status.WAITLISTED


# --- Finding 4 and 5: a cancelled registration taken up -----------------------------------------


def test_taking_up_a_cancelled_registration_says_its_status(portal, seminar):
    posted = form_data()
    portal.post(page_path(seminar), posted)
    registration = Registration.objects.get()
    cancel_registration(registration)
    answer = portal.post(page_path(seminar), posted, follow=True)
    shown = text_of(answer)
    assert "Votre inscription est confirmée." in shown
    assert f"Un e-mail vous a été envoyé à {posted['email']} : son lien ouvre votre page" in shown
    assert "existait déjà" not in shown
    assert answer.redirect_chain[-1][0] == page_path(seminar)  # not her personal page


def test_taking_up_a_cancelled_registration_when_the_event_filled_says_she_waits(portal):
    seminar = make_seminar(seats=1)
    posted = form_data()
    portal.post(page_path(seminar), posted)
    cancel_registration(Registration.objects.get())
    register_person(seminar, person(1))  # the seat is taken meanwhile
    shown = text_of(portal.post(page_path(seminar), posted, follow=True))
    assert "L'événement est complet : vous êtes sur la liste d'attente." in shown


def test_whoever_takes_up_a_cancelled_registration_starts_afresh(portal, seminar):
    """The maire, reminded on Monday, cancels on Tuesday; the adjoint registers on Wednesday
    with the mairie's address: she is reminded too, and not present already."""
    a = seminar.ateliers.first()
    maire, _ = register_person(seminar, person(1, email="mairie@exemple.fr"))
    Registration.objects.filter(pk=maire.pk).update(
        reminder_sent_at=timezone.now(), checked_in_at=timezone.now()
    )
    AtelierPresence.objects.create(registration=maire, atelier=a)
    cancel_registration(maire)
    adjointe, created = register_person(
        seminar, person(2, email="mairie@exemple.fr", nom="Adjointe")
    )
    assert (adjointe.pk, created) == (maire.pk, False)
    adjointe.refresh_from_db()
    assert adjointe.reminder_sent_at is None and adjointe.checked_in_at is None
    assert not adjointe.atelier_presences.exists()
    SeminarPage.objects.filter(pk=seminar.pk).update(start=timezone.now() + timedelta(days=2))
    assert send_due_reminders() == 1


# --- Findings 6, 8, 10 and 12 -------------------------------------------------------------------


def test_the_replaced_address_gets_no_invitation_key(
    staff_api, mailoutbox, django_capture_on_commit_callbacks
):
    seminar = make_seminar(visibility=Visibility.INVITATION)
    registration, _ = register_person(seminar, person(1))
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff_api.patch(
            f"/api/v1/seminars/{seminar.pk}/registrations/{registration.pk}/",
            json.dumps({"email": "nouvelle@exemple.fr"}),
            content_type="application/json",
        )
    assert answer.status_code == 200
    (told,) = [m for m in mailoutbox if m.to == ["personne1@exemple.fr"]]
    assert told.subject.startswith("Adresse de votre inscription modifiée")
    assert seminar.invitation_key not in told.body
    assert seminar.invitation_key not in told.alternatives[0][0]
    assert page_path(seminar) in told.body


def test_an_expired_link_of_a_cancelled_registration_promises_no_new_link(portal, seminar):
    registration, _ = register_person(seminar, person(1))
    cancel_registration(registration)
    token = make_token(registration)
    with override_settings(SEMINAR_LINK_MAX_AGE=-1):
        page = portal.get(f"/evenements/inscription/{token}/")
        assert page.status_code == 410
        assert "M'envoyer un nouveau lien par e-mail" not in text_of(page)
        posted = portal.post(f"/evenements/inscription/{token}/", follow=True)
    assert "Un nouveau lien est envoyé" not in text_of(posted)


def test_the_personal_page_and_the_attestation_are_not_kept_in_a_cache(portal):
    seminar = make_seminar(days_ahead=-2)
    registration, _ = register_person(seminar, person(1))
    set_check_in(registration, True)
    token = make_token(registration)
    for url in (
        f"/evenements/inscription/{token}/",
        f"/evenements/inscription/{token}/attestation.pdf",
    ):
        answer = portal.get(url)
        assert answer.status_code == 200, url
        assert "no-store" in answer["Cache-Control"], url


def test_someone_waiting_reads_the_ateliers_she_wishes_for(
    mailoutbox, django_capture_on_commit_callbacks
):
    full = make_seminar("Complet", seats=1, ateliers=(("Budget", 1, 2, 10),))
    budget = full.ateliers.get()
    register_person(full, person(1, ateliers=[budget.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        waiting, _ = register_person(full, person(2, ateliers=[budget.pk]))
    assert waiting.status == Registration.Status.WAITLISTED
    (mail,) = [m for m in mailoutbox if m.to == [waiting.email]]
    assert "Ateliers souhaités :" in " ".join(mail.body.split())
    assert "Vos ateliers" not in mail.body
    assert "Ateliers souhaités" in mail.alternatives[0][0]


def test_closed_registrations_give_the_unions_address_without_an_organiser(portal):
    from union.models import UnionSettings

    identity = UnionSettings.load()
    identity.email = "contact@union.test"
    identity.save()
    seminar = make_seminar(registration_closes=timezone.now() - timedelta(hours=1))
    assert seminar.registration_state() == "closed"
    page = BeautifulSoup(portal.get(page_path(seminar)).content, "html.parser")
    status = " ".join(page.select_one("p.event-status").get_text().split())
    assert status.endswith("Pour une demande tardive, écrivez à l'union, contact@union.test.")


# --- Finding 7 (a regression of this session, caught before its commit) ------------------------


def test_registering_again_does_not_name_a_full_atelier_she_holds(portal, full_a):
    """Someone who knows her name and address posts another atelier and ticks the list of the
    full one she holds: the answer names only what was ticked."""
    seminar, a, b, c, holders, aicha = full_a
    first = holders[0]
    posted = form_data(
        nom=first.nom,
        prenom=first.prenom,
        email=first.email,
        commune="Bondy",
        fonction="maire",
        ateliers=[c.pk],
        ateliers_waiting=[a.pk],
    )
    shown = text_of(portal.post(page_path(seminar), posted, follow=True))
    assert "Vos ateliers : « Atelier C »." in shown
    assert "Une place déjà obtenue dans un atelier complet est aussi conservée." in shown
    assert "« Atelier A »" not in shown.split("Une inscription existait déjà")[1]
