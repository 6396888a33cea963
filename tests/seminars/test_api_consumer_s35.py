"""API consumer fixes of session 35 (audit A15): check-in outside the event's days asks for
`force`, as the admin asks before checking in; a CIAS's population in `GET /api/v1/members/` is
its intercommunality's; the public registration endpoint gives the detail's 404 for an event
behind a Wagtail view restriction; anonymous OPTIONS on it answers."""

import json
import re

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from seminars.check_in import check_in_code
from seminars.links import page_path
from seminars.models import Registration
from seminars.services import register_person, set_check_in
from tenants.models import MemberCCAS
from tests.conftest import make_member, plain
from tests.seminars.conftest import form_data, make_index, make_seminar, person
from union.models import AuditEntry

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Événement introuvable."}
GRAND_PARIS_GRAND_EST = "200058790"  # the EPT of Noisy-le-Grand (93051)


def post_json(client: Client, url: str, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def check_in_path(registration) -> str:
    return f"/api/v1/seminars/{registration.seminar_id}/registrations/{registration.pk}/check-in"


def code_path(registration) -> str:
    return f"/api/v1/seminars/check-in/{check_in_code(registration)}"


def registered(days_ahead: float, number: int = 1) -> Registration:
    """A confirmed person of an event `days_ahead` from now."""
    seminar = make_seminar(f"Rencontre {number}", days_ahead=days_ahead)
    registration, _ = register_person(seminar, person(number))
    assert registration.status == Registration.Status.CONFIRMED
    return registration


# --- Check-in outside the event's days (A15 #2) --------------------------------------------------


@pytest.mark.parametrize("path", [check_in_path, code_path], ids=["registration", "code"])
def test_a_check_in_weeks_before_the_event_asks_for_force(staff_api, path):
    zola = registered(days_ahead=30)
    refused = post_json(staff_api, path(zola))
    assert refused.status_code == 400, refused.content
    detail = plain(refused.json()["detail"])
    # The admin's question (check_in_confirm.html), then what the API asks instead of a button.
    assert detail.startswith("Nous sommes le ")
    assert "l'événement « Rencontre 1 » n'a pas encore eu lieu (" in detail
    assert "On émarge d'ordinaire le jour de l'événement (du " in detail
    assert "elle donne une attestation de présence et figure dans le bilan de l'année." in detail
    assert detail.endswith("émargez Prénom1 Nom1 quand même avec « force »: true.")
    zola.refresh_from_db()
    assert zola.checked_in_at is None
    assert not AuditEntry.objects.filter(action="seminar.registration.check_in").exists()

    forced = post_json(staff_api, path(zola), {"force": True})
    assert forced.status_code == 200, forced.content
    assert forced.json()["checked_in_at"] is not None
    # Undoing is never refused, outside the days or not, with or without `force`.
    undone = post_json(staff_api, path(zola), {"present": False})
    assert undone.status_code == 200 and undone.json()["checked_in_at"] is None


def test_a_check_in_more_than_a_week_after_the_event_asks_for_force(staff_api):
    zola = registered(days_ahead=-10)
    refused = post_json(staff_api, check_in_path(zola))
    assert refused.status_code == 400
    assert "est terminé depuis plus d'une semaine (" in plain(refused.json()["detail"])
    # Checked in already (the admin, after its question): asking again changes nothing, as for
    # a badge scanned twice, and undoing works.
    set_check_in(zola, True)
    again = post_json(staff_api, check_in_path(zola))
    assert again.status_code == 200 and again.json()["checked_in_at"] is not None
    undone = post_json(staff_api, check_in_path(zola), {"present": False})
    assert undone.status_code == 200 and undone.json()["checked_in_at"] is None


@pytest.mark.parametrize("days_ahead", [0, 0.5, -3], ids=["today", "tomorrow-or-today", "late"])
def test_within_the_events_days_no_force_is_needed(staff_api, days_ahead):
    """The day itself, the day before (a desk set up the evening before) and the paper sheet
    typed in a few days after (SeminarPage.check_in_days)."""
    zola = registered(days_ahead=days_ahead)
    response = post_json(staff_api, check_in_path(zola))
    assert response.status_code == 200, response.content
    assert response.json()["checked_in_at"] is not None


def test_force_answers_both_warnings_at_once(staff_api):
    """Someone on the waiting list, weeks before the event: one `force` checks her in."""
    seminar = make_seminar("Petite salle", seats=1, days_ahead=30)
    register_person(seminar, person(1))
    roux, _ = register_person(seminar, person(2, nom="Roux"))
    assert roux.status == Registration.Status.WAITLISTED
    refused = post_json(staff_api, check_in_path(roux))
    assert refused.status_code == 400
    forced = post_json(staff_api, check_in_path(roux), {"force": True})
    assert forced.status_code == 200 and forced.json()["checked_in_at"] is not None


# --- A CIAS's population (A15 #3) ------------------------------------------------------------------


def test_a_cias_population_is_its_intercommunalitys(portal, two_members):
    bondy, _montreuil = two_members
    cias = make_member("93051", kind=MemberCCAS.Kind.CIAS, epci_siren=GRAND_PARIS_GRAND_EST)
    assert cias.population == cias.intercommunality.population
    assert cias.population > cias.commune.population > 0
    rows = {row["slug"]: row for row in portal.get("/api/v1/members/").json()["results"]}
    assert rows[cias.slug]["population"] == cias.population
    # A CCAS: its commune's, as before.
    assert rows[bondy.slug]["population"] == bondy.commune.population == bondy.population


# --- The public registration endpoint and view restrictions (A15 #4) ------------------------------


def registration_body(**overrides) -> dict:
    body = {
        "nom": "Durand",
        "prenom": "Aïcha",
        "email": "aicha@exemple.fr",
        "commune": "93010",
        "fonction": "maire",
        "consent": True,
    }
    return body | overrides


@pytest.mark.parametrize("where", ["event", "calendar"])
def test_an_event_behind_a_view_restriction_is_not_found_for_registering(portal, staff_api, where):
    seminar = make_seminar("Réservé aux connectés")
    restricted = seminar if where == "event" else make_index()
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    for client in (portal, staff_api):
        assert client.get(f"/api/v1/seminars/{seminar.pk}/").json() == NOT_FOUND
        response = post_json(client, url, registration_body())
        assert response.status_code == 404, response.content
        assert response.json() == NOT_FOUND
    assert not seminar.registrations.exists()
    # The organisers' own endpoints still reach it (as the admin's screens).
    listed = staff_api.get(url)
    assert listed.status_code == 200 and listed.json() == []


def test_the_event_pages_form_is_refused_too(portal):
    """Not changed: Wagtail's serve checks the restriction before the page's form is read."""
    seminar = make_seminar("Réservé aux connectés")
    PageViewRestriction.objects.create(page=seminar, restriction_type="login")
    response = portal.post(page_path(seminar), form_data())
    assert response.status_code == 302 and response["Location"].startswith("/connexion/?next=")
    assert not seminar.registrations.exists()


def test_the_lost_link_page_does_not_name_a_restricted_event(portal):
    """« Recevoir un nouveau lien » is open to anyone who types its address: it named an event
    that its own page shows only to those the restriction admits."""
    seminar = make_seminar("Réunion des directions")
    PageViewRestriction.objects.create(page=seminar, restriction_type="login")
    page = portal.get(f"/evenements/{seminar.pk}/nouveau-lien/")
    assert page.status_code == 200
    assert "Réunion des directions" not in plain(page.content.decode())
    open_event = make_seminar("Forum ouvert")
    assert "Forum ouvert" in plain(
        portal.get(f"/evenements/{open_event.pk}/nouveau-lien/").content.decode()
    )


def test_the_lost_link_page_answers_an_unknown_id_as_an_unlisted_event(portal, mailoutbox):
    """A 404 for an unknown id, against a 200 for an invitation-only event, let anyone counting
    ids find the unlisted events: both now answer alike, and nothing is sent for the unknown."""
    unlisted = make_seminar("Réunion des partenaires", visibility="invitation")
    unknown = unlisted.pk + 1000
    pages = {pk: portal.get(f"/evenements/{pk}/nouveau-lien/") for pk in (unlisted.pk, unknown)}
    assert {page.status_code for page in pages.values()} == {200}
    texts = {
        re.sub(r'csrfmiddlewaretoken" value="\w+"', "", page.content.decode()).replace(
            f"/evenements/{pk}/", "/evenements/N/"
        )
        for pk, page in pages.items()
    }
    assert len(texts) == 1
    response = portal.post(f"/evenements/{unknown}/nouveau-lien/", {"email": "x@exemple.fr"})
    assert response.status_code == 302
    assert response["Location"] == f"/evenements/{unknown}/nouveau-lien/"
    assert mailoutbox == []


def test_a_public_event_still_takes_registrations(portal):
    seminar = make_seminar("Ouvert à tous")
    other = make_seminar("Réservé")
    PageViewRestriction.objects.create(page=other, restriction_type="login")
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    response = post_json(portal, url, registration_body())
    assert response.status_code == 201, response.content


# --- Anonymous OPTIONS on the public registration endpoint (A15 #7) -------------------------------


def test_anonymous_options_on_the_registrations_endpoint_answers(portal):
    seminar = make_seminar()
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    response = portal.options(url)
    assert response.status_code == 200, response.content
    assert response.json()["name"]
    # Reading the list is still for organisers only.
    assert portal.get(url).status_code in (401, 403)
