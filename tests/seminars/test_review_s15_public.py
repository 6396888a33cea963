"""A review of the public registration journey by an elected official, mostly on a phone: a shared
mailbox is not taken over, a mistyped commune is asked about before saving, a seat in a full
atelier is not lost by registering again, nobody is told to register again, cancelling asks
first, the personal page says where and when, members-only and invitation-only events say what
to do, and the event page leads to its form from the top."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.utils import timezone

from seminars.links import SALT, manage_path, page_path
from seminars.models import Registration, Visibility
from seminars.services import (
    ADDRESS_OF_ANOTHER_PERSON,
    TOO_LATE_TO_CHANGE,
    cancel_registration,
    register_person,
)
from tests.seminars.conftest import form_data, make_seminar, person
from tests.seminars.test_proceedings import make_proceedings
from union.formats import french_time, long_date

pytestmark = pytest.mark.django_db
CONFIRMED, WAITLISTED = Registration.Status.CONFIRMED, Registration.Status.WAITLISTED
SHARED = "mairie@bondy.example.fr"


def text_of(response) -> str:
    """The page's text as a person reads it (entities decoded, spaces collapsed)."""
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return " ".join(soup.get_text(" ").split())


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def claire(**overrides) -> dict:
    """The maire of a small commune, who registers with the mairie's address."""
    mine = {"nom": "Martin", "prenom": "Claire", "email": SHARED, "commune": "Bondy"}
    return form_data(**{**mine, "fonction": "maire", **overrides})


def marc(**overrides) -> dict:
    """Her adjoint, who shares the mailbox."""
    mine = {"nom": "Leroy", "prenom": "Marc", "email": SHARED, "commune": "Bondy"}
    return form_data(**{**mine, "fonction": "maire_adjoint", **overrides})


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


# 1. A shared address is not taken over ---------------------------------------------------------


def test_the_same_address_under_another_name_is_refused_without_naming_anyone(
    portal, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert portal.post(page_path(seminar), claire()).status_code == 302
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = portal.post(page_path(seminar), marc())
    assert response.status_code == 400
    soup = soup_of(response)
    errors = soup.find("ul", id="id_email_error").get_text(" ")
    assert "Cette adresse est déjà utilisée pour une autre personne inscrite" in errors
    assert "« Recevoir mon lien »" in errors
    page = text_of(response)
    assert "Claire" not in page and "Martin" not in page  # whose registration it is stays hidden
    assert soup.find("input", id="id_nom")["value"] == "Leroy"  # what Marc typed is kept
    registration = Registration.objects.get()
    assert (registration.prenom, registration.nom, registration.fonction) == (
        "Claire",
        "Martin",
        "maire",
    )
    assert mailoutbox == []  # nobody is written to

    # Claire herself (her name folded) still updates her registration.
    again = portal.post(page_path(seminar), claire(nom="MARTIN", commune="Pantin"))
    assert again.status_code == 302
    registration.refresh_from_db()
    assert (registration.nom, registration.commune_id) == ("MARTIN", "93055")


def test_the_api_refuses_it_too_and_a_cancelled_address_may_be_taken(portal, seminar):
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    body = {**claire(), "ateliers": [], "consent": True}
    assert post_json(portal, url, body).status_code == 201
    other = {**body, "nom": "Leroy", "prenom": "Marc", "fonction": "maire_adjoint"}
    refused = post_json(portal, url, other)
    assert refused.status_code == 400
    assert refused.json() == {"email": [ADDRESS_OF_ANOTHER_PERSON]}
    assert Registration.objects.get().prenom == "Claire"

    # Once Claire has cancelled, the address is free for someone else (one address is one
    # registration per event: it is the only way to use it again).
    cancel_registration(Registration.objects.get())
    taken = portal.post(page_path(seminar), marc())
    assert taken.status_code == 302
    registration = Registration.objects.get()
    assert (registration.prenom, registration.status) == ("Marc", CONFIRMED)


def test_after_the_cut_off_another_name_is_told_the_address_is_someone_elses(portal):
    seminar = make_seminar(changes_until=timezone.now() - timedelta(hours=1))
    register_person(seminar, person(1, email=SHARED, nom="Martin"), notify=False)
    response = portal.post(page_path(seminar), marc())
    assert response.status_code == 400
    page = text_of(response)
    assert "déjà utilisée pour une autre personne" in page
    assert TOO_LATE_TO_CHANGE not in page  # that one would speak of a registration of theirs


# 2. A mistyped commune is asked about ----------------------------------------------------------


def test_a_mistyped_commune_is_asked_about_then_the_chosen_one_registered(portal, seminar):
    typed = "Aulnay sous bios"
    asked = portal.post(page_path(seminar), form_data(commune=typed))
    assert asked.status_code == 400
    assert Registration.objects.count() == 0  # nothing saved yet
    soup = soup_of(asked)
    group = soup.find("fieldset", id="id_commune_choice_group")
    assert group.find("legend").get_text(strip=True) == "Vouliez-vous dire :"
    labels = [label.get_text(" ", strip=True) for label in group.find_all("label")]
    assert labels[0] == "Aulnay-sous-Bois (93)"
    assert labels[-1] == "Garder « Aulnay sous bios » tel que saisi"
    assert not any(radio.has_attr("checked") for radio in group.find_all("input"))
    summary = soup.find(class_="error-summary")
    assert "vérifiez la commune" in summary.get_text()
    (link,) = summary.find_all("a")
    assert link["href"] == "#id_commune_choice_0"
    assert soup.find("input", id="id_commune")["value"] == typed  # everything typed is kept
    assert soup.find("input", id="id_nom")["value"] == "Durand"
    assert soup.find("input", attrs={"name": "commune_checked"})["value"] == typed

    chosen = form_data(commune=typed, commune_checked=typed, commune_choice="93005")
    response = portal.post(page_path(seminar), chosen, follow=True)
    registration = Registration.objects.get()
    assert (registration.commune_id, registration.commune_status) == ("93005", "matched")
    assert registration.commune_typed == typed
    assert "Nous n'avons pas reconnu" not in text_of(response)

    # The API keeps its behaviour: kept as typed and flagged, with the suggestions.
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    body = {**form_data(email="api@exemple.fr", commune=typed), "ateliers": [], "consent": True}
    assert post_json(portal, url, body).status_code == 201
    flagged = Registration.objects.get(email="api@exemple.fr")
    assert flagged.commune_status == "flagged"
    assert flagged.commune_suggestions[0] == {"code": "93005", "nom": "Aulnay-sous-Bois"}


def test_a_commune_kept_as_typed_is_flagged_and_told_once(portal, seminar):
    typed = "Aulnay sous bios"
    kept = form_data(commune=typed, commune_checked=typed, commune_choice="saisie")
    response = portal.post(page_path(seminar), kept, follow=True)
    registration = Registration.objects.get()
    assert (registration.commune_status, registration.commune_typed) == ("flagged", typed)
    page = text_of(response)  # the personal page, after registering
    assert page.count(f"Nous n'avons pas reconnu la commune « {typed} »") == 1


def test_an_answer_counts_for_the_commune_it_was_asked_about(portal, seminar):
    stale = {"commune_checked": "Aulnay sous bios", "commune_choice": "saisie"}
    # Typed again, differently: matched again, and asked about if still not recognised.
    asked = portal.post(page_path(seminar), form_data(commune="Bondyy", **stale))
    assert asked.status_code == 400 and Registration.objects.count() == 0
    soup = soup_of(asked)
    assert soup.find("input", attrs={"name": "commune_checked"})["value"] == "Bondyy"
    assert not any(r.has_attr("checked") for r in soup.find_all("input", type="radio"))
    # A code that was not suggested for this text is not taken.
    odd = form_data(commune="Bondyy", commune_checked="Bondyy", commune_choice="75056")
    assert portal.post(page_path(seminar), odd).status_code == 400
    corrected = portal.post(page_path(seminar), form_data(commune="Aulnay-sous-Bois", **stale))
    assert corrected.status_code == 302
    assert Registration.objects.get().commune_id == "93005"


# 3. Registering again keeps a seat held in a full atelier --------------------------------------


def test_registering_again_keeps_a_seat_held_in_a_full_atelier(portal):
    seminar = make_seminar(
        seats=5, ateliers=(("Petit atelier", 1, 1, 1), ("En même temps", 1, 1, 5))
    )
    small, parallel = seminar.ateliers.order_by("sort_order")
    data = form_data(email="aicha@exemple.fr", ateliers=[small.pk])
    assert portal.post(page_path(seminar), data).status_code == 302
    for number in range(2, 6):
        register_person(seminar, person(number), notify=False)
    waiting, _ = register_person(seminar, person(6, ateliers=[small.pk]), notify=False)
    cancel_registration(Registration.objects.get(email="personne5@exemple.fr"))
    waiting.refresh_from_db()
    assert waiting.status == WAITLISTED  # the event has a seat now, not the atelier

    form = soup_of(portal.get(page_path(seminar)))
    assert form.find("input", attrs={"name": "ateliers", "value": str(small.pk)}).has_attr(
        "disabled"
    )
    # Aïcha corrects her fonction: the full atelier's box could not be ticked.
    again = portal.post(page_path(seminar), form_data(email="aicha@exemple.fr", fonction="maire"))
    assert again.status_code == 302
    aicha = Registration.objects.get(email="aicha@exemple.fr")
    assert (aicha.fonction, list(aicha.ateliers.all())) == ("maire", [small])
    waiting.refresh_from_db()
    assert waiting.status == WAITLISTED

    # An atelier ticked at the same time is her choice for that slot: the seat is given up.
    choice = form_data(email="aicha@exemple.fr", ateliers=[parallel.pk])
    assert portal.post(page_path(seminar), choice).status_code == 302
    assert list(aicha.ateliers.all()) == [parallel]
    waiting.refresh_from_db()
    assert waiting.status == CONFIRMED


# 4. Nobody is told to register again -----------------------------------------------------------


def test_a_broken_link_points_to_a_new_link_and_the_organiser(portal):
    seminar = make_seminar(organiser_email="evenements@union.test")
    bogus = portal.get("/evenements/inscription/bogus/")
    assert bogus.status_code == 404
    page = text_of(bogus)
    assert "inscrivez-vous à nouveau" not in page and "sera mise à jour" not in page
    # No event is known: the list of one's registrations by e-mail is the way back (session 25).
    assert soup_of(bogus).find("a", href="/evenements/mes-inscriptions/")
    assert "retrouvez vos inscriptions" in page

    # A link we signed, for a registration whose address has changed since: its event is known.
    registration, _ = register_person(seminar, person(1), notify=False)
    token = signing.dumps({"r": registration.pk, "e": "ancienne@exemple.fr"}, salt=SALT)
    old = portal.get(f"/evenements/inscription/{token}/")
    assert old.status_code == 404
    soup = soup_of(old)
    assert soup.find("a", href=f"/evenements/{seminar.pk}/nouveau-lien/")
    assert soup.find("a", href="mailto:evenements@union.test")
    assert "inscrivez-vous à nouveau" not in text_of(old)


def test_a_commune_not_recognised_says_whom_to_write_to_not_to_register_again(portal):
    seminar = make_seminar(organiser_email="evenements@union.test")
    registration, _ = register_person(seminar, person(1, commune="xyzzy"), notify=False)
    assert seminar.registration_state() == "open" and seminar.changes_open()
    page = text_of(portal.get(manage_path(registration)))
    assert "l'équipe de l'union la vérifiera" in page
    # While changes are open, the person corrects it herself (tests/seminars/test_leftovers_s16.py).
    assert "Si c'est une erreur de frappe, corrigez-la ci-dessous." in page
    assert "evenements@union.test" in page
    assert "inscrivez-vous à nouveau" not in page


# 5. Cancelling asks first, and each status reads right -----------------------------------------


def test_cancelling_asks_for_a_confirmation(portal, seminar):
    registration, _ = register_person(seminar, person(1), notify=False)
    url = manage_path(registration)
    soup = soup_of(portal.get(url))
    # The personal page only leads to the question: no button there cancels.
    assert not soup.find("button", attrs={"name": "action", "value": "cancel"})
    ask = soup.find("section", attrs={"aria-labelledby": "annuler"}).find("form")
    assert ask["method"] == "get"
    question = portal.get(url, {"annuler": ""})
    assert question.status_code == 200
    asked = soup_of(question)
    assert asked.find("h1").get_text() == "Annuler mon inscription ?"
    assert "proposée à la première personne en liste d'attente" in text_of(question)
    button = asked.find("button", attrs={"name": "action", "value": "cancel"})
    assert button.get_text() == "Oui, annuler mon inscription"
    assert "Non, garder mon inscription" in [a.get_text() for a in asked.find_all("a", href=url)]
    registration.refresh_from_db()
    assert registration.status == CONFIRMED  # asking changes nothing

    assert portal.post(url, {"action": "cancel"}).status_code == 302
    cancelled = portal.get(url)
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert "Ajouter à mon agenda" not in text_of(cancelled)
    assert not soup_of(cancelled).find("a", href=lambda href: href and ".ics" in href)


def test_someone_waiting_reads_about_their_place_in_the_queue(portal):
    seminar = make_seminar(seats=1)
    register_person(seminar, person(1), notify=False)
    waiting, _ = register_person(seminar, person(2), notify=False)
    url = manage_path(waiting)
    page = portal.get(url)
    assert "Ajouter à mon agenda" not in text_of(page)
    assert "Votre place sera proposée" not in text_of(page)
    question = text_of(portal.get(url, {"annuler": ""}))
    assert "Quitter la liste d'attente ?" in question
    assert "1re position" in question
    assert "première personne en liste d'attente" not in question


# 6. The personal page says where and until when ------------------------------------------------


def test_the_personal_page_says_where_when_and_which_ateliers(portal):
    seminar = make_seminar(
        ateliers=(("Atelier budget", 1, 2, 10),),
        venue_address="12 rue de la République\n93140 Bondy",
        access_notes="RER E, gare de Bondy",
        organiser_email="evenements@union.test",
    )
    atelier = seminar.ateliers.get()
    atelier.room = "Salle Cassin"
    atelier.save()
    registration, _ = register_person(seminar, person(1, ateliers=[atelier.pk]), notify=False)
    page = text_of(portal.get(manage_path(registration)))
    start, end = timezone.localtime(seminar.start), timezone.localtime(seminar.end)
    # The end time too; « 9 h 30 » with no-break spaces, which text_of reads as spaces.
    assert " ".join(f"de {french_time(start)} à {french_time(end)}".split()) in page
    assert "Salle des fêtes" in page and "12 rue de la République" in page
    assert "RER E, gare de Bondy" in page
    atelier_start = timezone.localtime(atelier.starts_at)
    assert f"Atelier budget – {french_time(atelier_start)}".replace("\u00a0", " ") in page
    assert "Salle Cassin" in page
    assert "evenements@union.test" in page
    assert "Ajouter à mon agenda (.ics)" in page


def test_after_the_event_the_personal_page_leads_to_the_proceedings(portal):
    seminar = make_seminar(days_ahead=-10)
    registration, _ = register_person(seminar, person(1), notify=False)
    proceedings = make_proceedings(seminar)
    soup = soup_of(portal.get(manage_path(registration)))
    assert soup.find("a", href=page_path(proceedings)).get_text() == "Lire les actes de l'événement"
    assert "Ajouter à mon agenda" not in soup.get_text()


# 7. Members-only events say it before the form -------------------------------------------------


def test_a_members_only_event_says_who_may_register_before_the_form(portal):
    seminar = make_seminar(visibility=Visibility.MEMBERS, organiser_email="evenements@union.test")
    soup = soup_of(portal.get(page_path(seminar)))
    section = soup.find("section", attrs={"aria-labelledby": "inscription"})
    notice = section.find("p", class_="message")
    assert notice.get_text(" ", strip=True).startswith(
        "Réservé aux élus et agents des communes membres de l'union"
    )
    assert notice.find("a", href="/membres/").get_text() == "vérifier si votre commune est membre"
    assert notice.find("a", href="mailto:evenements@union.test")
    assert notice.find_next("form") is section.find("form")  # above the form

    refused = portal.post(page_path(seminar), form_data(commune="Bondy"))  # no member yet
    assert refused.status_code == 400
    error = soup_of(refused).find("ul", id="id_commune_error").get_text(" ")
    assert "réservé aux communes membres" in error
    assert "/membres/" in error and "evenements@union.test" in error


# 8. An invitation link cut short says so -------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?invitation=mauvaise-cle"])
def test_an_invitation_only_event_without_its_key_says_what_to_do(portal, query):
    seminar = make_seminar(
        "Commission confidentielle",
        visibility=Visibility.INVITATION,
        summary="Ordre du jour réservé",
        organiser_email="evenements@union.test",
    )
    response = portal.get(page_path(seminar) + query)
    assert response.status_code == 404
    page = text_of(response)
    assert "Cet événement est sur invitation." in page
    assert "reprenez le lien complet de votre invitation" in page
    assert soup_of(response).find("a", href="mailto:evenements@union.test")
    # Nothing of the event beyond its address: no title, summary or place.
    assert "Commission confidentielle" not in page
    assert "Ordre du jour réservé" not in page and "Salle des fêtes" not in page


# 9. The event page leads to its form from the top ----------------------------------------------


def test_the_top_of_the_event_page_leads_to_the_form(portal, seminar):
    soup = soup_of(portal.get(page_path(seminar)))
    link = soup.find("a", href="#inscription")
    assert link.get_text() == "S'inscrire"
    programme = soup.find("section", attrs={"aria-labelledby": "ateliers"})
    assert link.find_next("section") is programme  # before the programme and the ateliers


def test_after_the_closing_date_the_page_says_when_and_whom_to_write_to(portal):
    seminar = make_seminar(
        registration_closes=timezone.now() - timedelta(days=1),
        organiser_email="evenements@union.test",
    )
    page = text_of(portal.get(page_path(seminar)))
    closes = timezone.localtime(seminar.registration_closes)
    assert " ".join(f"Inscriptions closes le {long_date(closes, time=True)}.".split()) in page
    assert "Pour une demande tardive, écrivez à evenements@union.test" in page
    assert "S'inscrire" not in page


def test_a_past_event_says_when_it_took_place_and_leads_to_its_proceedings(portal):
    seminar = make_seminar(days_ahead=-10)
    proceedings = make_proceedings(seminar)
    response = portal.get(page_path(seminar))
    page = text_of(response)
    start = timezone.localtime(seminar.start)
    assert "Cet événement a eu lieu le " in page and f"{start.year}." in page
    link = soup_of(response).find("a", href=page_path(proceedings))
    assert "button" in link["class"] and link.get_text() == "Lire les actes"
    assert "Ajouter à mon agenda" not in page and "Les inscriptions sont closes" not in page
