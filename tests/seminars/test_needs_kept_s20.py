"""Registering again keeps the « besoins » and the phone left blank, and the personal page edits
the needs (twentieth session).

The public form and the API know nobody: they show every field empty, so a blank field says
« nothing to add », not « erase what I said » (services._details_kept_blank). The personal page,
behind the signed link, is where the needs are changed or removed (services.set_needs), until the
cut-off for changes; the phone already had its own form there (seminars.phones). A cancelled
registration starts from what is typed, as its ateliers do.

Real HTTP through the test client, real PostgreSQL, e-mails through the queue on commit."""

import pytest
from django.utils import timezone

from seminars.links import manage_path
from seminars.links import page_path as url
from seminars.models import Registration, SeminarPage
from seminars.services import cancel_registration, register_person
from tests.conftest import plain
from tests.seminars.conftest import form_data, make_seminar, person
from tests.seminars.test_api import post_json, registration_body
from tests.seminars.test_review_s19_registrant import (
    html_text,
    section_status,
    soup_of,
    top_messages,
    words,
)
from union.models import AuditEntry

pytestmark = pytest.mark.django_db

NEEDS = "Fauteuil roulant, repas sans gluten"
PHONE = "06 12 34 56 78"
KEPT_NEEDS = (
    "Vos besoins indiqués précédemment sont conservés ; vous pouvez les modifier depuis votre "
    "page d'inscription."
)
KEPT_BOTH = (
    "Vos besoins et votre numéro de téléphone indiqués précédemment sont conservés ; vous "
    "pouvez les modifier depuis votre page d'inscription."
)


def registered(portal, seminar, **fields) -> Registration:
    """Aïcha Durand, registered through the event page with needs and a phone."""
    response = portal.post(url(seminar), form_data(needs=NEEDS, phone=PHONE, **fields))
    assert response.status_code == 302, response.content.decode()[:2000]
    registration = Registration.objects.get()
    assert (registration.needs, registration.phone) == (NEEDS, PHONE)
    return registration


def update_email(mailoutbox, seminar):
    (message,) = [m for m in mailoutbox if m.subject.startswith("Inscription mise à jour")]
    return message


# 1. Registering again with the fields left blank keeps them --------------------------------------


def test_registering_again_with_needs_and_phone_blank_keeps_them_and_says_so(
    portal, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    registration = registered(portal, seminar)
    with django_capture_on_commit_callbacks(execute=True):
        again = portal.post(url(seminar), form_data(needs="", phone=""))
    assert again.status_code == 302 and again["Location"] == url(seminar)
    registration.refresh_from_db()
    assert (registration.needs, registration.phone) == (NEEDS, PHONE)

    # The page says what a blank field does, without telling whoever typed the address that
    # needs were stored (« s'il y en a »): the needs may tell of someone's health.
    said = section_status(portal.get(url(seminar)), "inscription")
    assert (
        "Besoins particuliers et téléphone laissés vides : ceux indiqués précédemment, s'il y en "
        "a, sont conservés ; vous pouvez les modifier depuis votre page d'inscription (lien de "
        "l'e-mail)." in said
    )
    assert NEEDS not in said and PHONE not in said

    # The e-mail, to the address only, says they were kept, in text and in HTML.
    message = update_email(mailoutbox, seminar)
    assert f"a été mise à jour (confirmée). {KEPT_BOTH}\n" in message.body
    assert plain(KEPT_BOTH) in html_text(message)
    assert NEEDS not in message.body


def test_only_the_needs_blank_says_the_needs_sentence_and_a_typed_phone_replaces(
    portal, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    registration = registered(portal, seminar)
    with django_capture_on_commit_callbacks(execute=True):
        portal.post(url(seminar), form_data(needs="", phone="07 00 00 00 01"))
    registration.refresh_from_db()
    assert (registration.needs, registration.phone) == (NEEDS, "07 00 00 00 01")
    message = update_email(mailoutbox, seminar)
    assert KEPT_NEEDS in message.body and plain(KEPT_NEEDS) in html_text(message)
    assert "téléphone indiqué" not in message.body
    said = section_status(portal.get(url(seminar)), "inscription")
    assert "Besoins particuliers laissés vides : ceux indiqués précédemment, s'il y en a" in said
    assert "Téléphone laissé vide" not in said


def test_typed_needs_replace_the_stored_ones_without_a_kept_sentence(
    portal, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    registration = registered(portal, seminar)
    with django_capture_on_commit_callbacks(execute=True):
        portal.post(url(seminar), form_data(needs="Boucle magnétique", phone=PHONE))
    registration.refresh_from_db()
    assert registration.needs == "Boucle magnétique"
    message = update_email(mailoutbox, seminar)
    assert "conservé" not in message.body and "conservé" not in html_text(message)
    assert "laissés vides" not in section_status(portal.get(url(seminar)), "inscription")


def test_the_api_registering_again_keeps_them_too(
    portal, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    api = f"/api/v1/seminars/{seminar.pk}/registrations/"
    body = registration_body(needs=NEEDS, phone=PHONE)
    assert post_json(portal, api, body).status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        again = post_json(portal, api, registration_body(needs=""))  # and no phone at all
    assert again.status_code == 200 and again.json()["created"] is False
    registration = Registration.objects.get()
    assert (registration.needs, registration.phone) == (NEEDS, PHONE)
    assert KEPT_BOTH in update_email(mailoutbox, seminar).body
    # A typed value still replaces.
    post_json(portal, api, registration_body(needs="Interprète LSF"))
    registration.refresh_from_db()
    assert registration.needs == "Interprète LSF"


def test_a_cancelled_registration_registered_again_starts_from_what_is_typed(portal, seminar):
    registration = registered(portal, seminar)
    cancel_registration(registration)
    portal.post(url(seminar), form_data(needs="", phone=""))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert (registration.needs, registration.phone) == ("", "")
    # Nothing said about kept details: nothing was.
    assert "laissés vides" not in section_status(portal.get(url(seminar)), "inscription")


# 2. The personal page edits the needs ------------------------------------------------------------


def test_the_personal_page_edits_and_removes_the_needs_and_the_organiser_sees_them(
    portal, seminar, organiser_client
):
    registration = registered(portal, seminar)
    page_url = manage_path(registration)
    shown = soup_of(portal.get(page_url))
    section = shown.find("section", attrs={"aria-labelledby": "mes-besoins"})
    box = section.find("textarea", attrs={"name": "needs"})
    assert box.get_text().strip() == NEEDS  # what is stored, to edit
    assert section.find("label", attrs={"for": box["id"]}) is not None
    assert box.find_parent("form")["action"] == "#mes-besoins"

    response = portal.post(page_url, {"action": "needs", "needs": "Place près de la porte"})
    assert response.status_code == 302 and response["Location"] == page_url
    registration.refresh_from_db()
    assert registration.needs == "Place près de la porte"
    assert registration.phone == PHONE
    said = section_status(portal.get(page_url), "mes-besoins")
    assert said == "Vos besoins particuliers sont enregistrés : les organisateurs les verront."
    entry = AuditEntry.objects.filter(action="seminar.registration.edited").latest("pk")
    assert entry.details["fields"] == ["needs"] and entry.details["by"] == "registrant"
    assert "Place près de la porte" not in str(entry.details)  # the field's name only
    listing = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/").content.decode()
    assert "Place près de la porte" in listing

    portal.post(page_url, {"action": "needs", "needs": ""})
    registration.refresh_from_db()
    assert registration.needs == ""
    assert section_status(portal.get(page_url), "mes-besoins") == (
        "Vos besoins particuliers sont retirés."
    )


def test_needs_too_long_are_refused_in_french_and_kept_as_typed(portal, seminar):
    registration = registered(portal, seminar)
    typed = "x" * 1001
    response = portal.post(manage_path(registration), {"action": "needs", "needs": typed})
    assert response.status_code == 400
    section = soup_of(response).find("section", attrs={"aria-labelledby": "mes-besoins"})
    summary = words(section.find(class_="error-summary"))
    assert "Vos besoins ne sont pas enregistrés" in summary
    assert "Au plus 1 000 caractères" in summary
    assert section.find("textarea", attrs={"name": "needs"}).get_text().strip() == typed
    registration.refresh_from_db()
    assert registration.needs == NEEDS


def test_after_the_cut_off_the_needs_are_no_longer_edited(portal, seminar):
    registration = registered(portal, seminar)
    page_url = manage_path(registration)
    before = soup_of(portal.get(page_url))
    assert before.find("section", attrs={"aria-labelledby": "mes-besoins"}) is not None
    SeminarPage.objects.filter(pk=seminar.pk).update(
        changes_until=timezone.now() - timezone.timedelta(minutes=1)
    )
    shown = soup_of(portal.get(page_url))
    assert shown.find("section", attrs={"aria-labelledby": "mes-besoins"}) is None
    response = portal.post(page_url, {"action": "needs", "needs": "Autre chose"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.needs == NEEDS
    assert "Les modifications ne sont plus possibles" in top_messages(portal.get(page_url))


def test_a_tampered_link_edits_nothing(portal, seminar):
    registration = registered(portal, seminar)
    page_url = manage_path(registration)
    tampered = page_url[:-3] + ("A" if page_url[-3] != "A" else "B") + page_url[-2:]
    response = portal.post(tampered, {"action": "needs", "needs": "Autre chose"})
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.needs == NEEDS


def test_a_cancelled_registration_has_no_needs_form(portal):
    seminar = make_seminar("Journée")
    registration = registered(portal, seminar)
    cancel_registration(registration)
    page_url = manage_path(registration)
    assert soup_of(portal.get(page_url)).find("textarea", attrs={"name": "needs"}) is None
    portal.post(page_url, {"action": "needs", "needs": "Autre chose"})
    registration.refresh_from_db()
    assert registration.needs == NEEDS


def test_a_ccas_registering_someone_again_keeps_them_an_organisers_manual_add_replaces(
    seminar, bondy
):
    data = person(1)
    data.needs, data.phone = NEEDS, PHONE
    # Registered by the CCAS (a member updates only its own: test_audit_s32.py), needs and
    # phone given to the union afterwards.
    registration, _ = register_person(
        seminar, data, source=Registration.Source.MEMBER, member=bondy, notify=False
    )
    # The CCAS's form and API have no phone and do not show the needs.
    register_person(seminar, person(1), source=Registration.Source.MEMBER, member=bondy)
    registration.refresh_from_db()
    assert (registration.needs, registration.phone) == (NEEDS, PHONE)
    # An organiser's « Ajouter » sees the registration: what it sends replaces, as before.
    register_person(seminar, person(1), source=Registration.Source.MANUAL, notify=False)
    registration.refresh_from_db()
    assert (registration.needs, registration.phone) == ("", "")
