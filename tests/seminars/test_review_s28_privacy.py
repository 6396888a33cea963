"""Session 28 review, the data protection officer's side: what the privacy page and the
registration form promise about registrants' personal data is what the code does."""

from datetime import timedelta

import pytest
from django.utils import timezone

from seminars.links import page_path
from seminars.models import ProceedingsPage, Registration, SeminarPage
from seminars.retention import ANONYMISED_NAME, apply_retention
from seminars.services import cancel_registration, register_person
from seminars.tasks import send_message_task
from tests.seminars.conftest import make_seminar, person
from tests.seminars.test_proceedings import make_proceedings

pytestmark = pytest.mark.django_db


def _ended_long_ago(seminar: SeminarPage) -> None:
    end = timezone.now() - timedelta(days=10 * 365)
    SeminarPage.objects.filter(pk=seminar.pk).update(start=end - timedelta(hours=7), end=end)


def _names(seminar: SeminarPage) -> set[tuple[str, str, bool]]:
    return set(Registration.objects.filter(seminar=seminar).values_list("nom", "prenom", "consent"))


# --- anonymisation: a name is kept only where it is published ---------------------------------


def test_a_consenting_name_is_erased_when_the_event_publishes_no_list():
    """/donnees-personnelles/: « l'inscription est anonymisée : … sauf si vous figurez dans la
    liste publiée avec les actes, vos nom et prénom aussi ». An event without proceedings (most
    ateliers and commissions), or whose proceedings do not list the participants, publishes no
    list: the name of someone who ticked the box must go like the others', not stay for ever."""
    without_proceedings = make_seminar("Commission sans actes")
    register_person(without_proceedings, person(1))
    unlisted = make_seminar("Séminaire à liste masquée")
    register_person(unlisted, person(2))
    proceedings = make_proceedings(unlisted)
    ProceedingsPage.objects.filter(pk=proceedings.pk).update(show_participants=False)
    draft = make_seminar("Séminaire aux actes en brouillon")
    register_person(draft, person(3))
    make_proceedings(draft).unpublish()
    listed = make_seminar("Séminaire aux actes publiés")
    register_person(listed, person(4))
    make_proceedings(listed)
    for seminar in (without_proceedings, unlisted, draft, listed):
        _ended_long_ago(seminar)

    assert apply_retention().anonymised == 4

    # Anonymised, the consent goes too: a list published later has no « (ANONYMISÉ) » line.
    for seminar in (without_proceedings, unlisted, draft):
        assert _names(seminar) == {(ANONYMISED_NAME, "", False)}
    assert _names(listed) == {("Nom4", "Prénom4", True)}


# --- the phone number serves the day itself -----------------------------------------------------


def test_the_phone_number_goes_with_the_needs_not_three_years_later(portal):
    """The form asks for a number « pour que l'équipe de l'union puisse vous joindre le jour de
    l'événement » (a delay, a room changed): that purpose ends with the event, as the needs'
    does. It was kept until the anonymisation, three years by default."""
    past = make_seminar("Séminaire passé")
    data = person(1)
    data.phone = "06 12 34 56 78"
    register_person(past, data)
    recent = make_seminar("Commission récente")
    data = person(2)
    data.phone = "+32 2 123 45 67"
    register_person(recent, data)
    end = timezone.now() - timedelta(days=31)  # SEMINAR_NEEDS_KEPT_DAYS (30) later
    SeminarPage.objects.filter(pk=past.pk).update(start=end - timedelta(hours=7), end=end)
    end = timezone.now() - timedelta(days=10)
    SeminarPage.objects.filter(pk=recent.pk).update(start=end - timedelta(hours=7), end=end)

    result = apply_retention()

    assert dict(Registration.objects.values_list("nom", "phone")) == {
        "Nom1": "",
        "Nom2": "+32 2 123 45 67",
    }
    assert (result.phones_erased, result.anonymised) == (1, 0)
    # The rest of the registration stays until the anonymisation.
    assert Registration.objects.get(nom="Nom1").email == "personne1@exemple.fr"
    # The registration form says so.
    form_page = " ".join(portal.get(page_path(make_seminar("À venir"))).content.decode().split())
    assert "besoins particuliers et votre numéro de téléphone sont effacés 30 jours" in form_page


# --- « Écrire aux inscrits » ---------------------------------------------------------------------


def test_someone_who_cancelled_before_the_message_went_does_not_receive_it(mailoutbox):
    """The screen writes to the confirmed people and/or those waiting; the message goes from the
    task queue, later when the worker is busy (a 200-person message, a mail server retry). A
    person who cancelled meanwhile (her page says « Votre inscription est annulée ») got the
    organiser's message all the same, with her personal link; each message still goes alone."""
    seminar = make_seminar("Séminaire écrit")
    staying, _ = register_person(seminar, person(1), notify=False)
    leaving, _ = register_person(seminar, person(2), notify=False)
    ids = [staying.pk, leaving.pk]  # as email_registrants queued them
    cancel_registration(leaving)

    assert send_message_task.call(ids, "Changement de salle", "Salle B, au 2e étage.") == 1

    assert [message.to for message in mailoutbox] == [["personne1@exemple.fr"]]
    assert not mailoutbox[0].cc and not mailoutbox[0].bcc


# --- a name kept for the published list can still be withdrawn --------------------------------


def test_an_organiser_takes_an_anonymised_name_off_the_published_list(portal, organiser_client):
    """« que vous pouvez retirer à tout moment »: once anonymised, the person has no e-mail,
    so no personal link; she asks the union, whose organiser removes her name from the list."""
    from union.models import AuditEntry

    listed = make_seminar("Séminaire aux actes publiés")
    kept, _ = register_person(listed, person(4))
    other, _ = register_person(listed, person(5))
    proceedings = make_proceedings(listed)
    _ended_long_ago(listed)
    apply_retention()
    assert "NOM4" in portal.get(page_path(proceedings)).content.decode().upper()

    page = organiser_client.get(f"/admin/inscriptions/{listed.pk}/").content.decode()
    action = f"/admin/inscriptions/{listed.pk}/{kept.pk}/retirer-nom/"
    assert f'action="{action}"' in page
    assert organiser_client.get(action).status_code == 405  # POST only
    response = organiser_client.post(action, {"query": ""})
    assert response.status_code == 302
    kept.refresh_from_db()
    assert (kept.nom, kept.prenom, kept.consent) == (ANONYMISED_NAME, "", False)
    other.refresh_from_db()
    assert (other.nom, other.consent) == ("Nom5", True)
    published = portal.get(page_path(proceedings)).content.decode().upper()
    assert "NOM4" not in published and "NOM5" in published
    line = AuditEntry.objects.get(action="seminar.registration.published_name_erased")
    assert "Nom4" not in line.target and line.details["registration"] == kept.pk
    # Done once: a second time, or on a registration not anonymised, it is refused.
    assert organiser_client.post(action).status_code == 409
    fresh, _ = register_person(make_seminar("À venir"), person(6))
    refused = f"/admin/inscriptions/{fresh.seminar_id}/{fresh.pk}/retirer-nom/"
    assert organiser_client.post(refused).status_code == 409
