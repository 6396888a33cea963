"""The portal side: calendar, event page and its form, signed links, iCalendar files."""

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from seminars.links import make_token, manage_path, read_token
from seminars.links import page_path as url
from seminars.models import Registration, SeminarPage, Visibility
from seminars.services import register_person
from tests.seminars.conftest import form_data, make_seminar, person

pytestmark = pytest.mark.django_db


def linked_registration(text: str):
    """The registration of the first signed link found in `text` (tokens carry a timestamp)."""
    token = re.search(r"/evenements/inscription/([^/\s]+)/", text).group(1)
    return read_token(token)


def test_registering_through_the_event_page_confirms_and_emails_an_ics(
    portal, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    atelier = seminar.ateliers.get(title="Atelier C")
    with django_capture_on_commit_callbacks(execute=True):
        response = portal.post(url(seminar), form_data(ateliers=[atelier.pk]))
    assert response.status_code == 302
    registration = Registration.objects.get(email="aicha.durand@exemple.fr")
    assert linked_registration(response["Location"]) == registration
    assert registration.status == "confirmed"
    assert registration.commune_id == "93053"
    assert list(registration.ateliers.all()) == [atelier]
    (message,) = mailoutbox
    assert message.subject == f"Inscription confirmée : {seminar.title}"
    assert linked_registration(message.body) == registration
    name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar"
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == seminar.title
    assert event.decoded("DTSTART") == seminar.start
    page = portal.get(response["Location"]).content.decode()
    assert "Confirmée" in page and "Atelier C" in page


def test_a_form_with_errors_keeps_what_was_typed(portal, seminar):
    a, b, _c = seminar.ateliers.order_by("sort_order")
    response = portal.post(
        url(seminar),
        form_data(email="pas-une-adresse", fonction="autre", ateliers=[a.pk, b.pk]),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Durand"' in page and 'value="NOISY LE SEC"' in page
    assert "Saisissez une adresse e-mail valide" in page
    assert "À écrire, puisque vous avez choisi « Autre »." in page
    # The error summary writes « label : message »: the message no longer repeats the label.
    assert "Précisez votre fonction." not in page
    assert "ont lieu en même temps" in page
    assert Registration.objects.count() == 0


def test_an_unmatched_commune_is_accepted_and_flagged(portal, seminar):
    # A commune close to official ones is first asked about (test_review_s15_public.py); kept as
    # typed, it is registered and flagged.
    typed = "Villeneuve-la-Garenneuse"
    asked = portal.post(url(seminar), form_data(commune=typed))
    assert asked.status_code == 400 and Registration.objects.count() == 0
    kept = form_data(commune=typed, commune_checked=typed, commune_choice="saisie")
    response = portal.post(url(seminar), kept)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.commune_status == "flagged"
    assert registration.commune_typed == "Villeneuve-la-Garenneuse"


def test_closed_or_not_yet_open_registration_shows_no_form(portal):
    closed = make_seminar("Fermé", registration_closes=timezone.now() - timedelta(days=1))
    later = make_seminar("Plus tard", registration_opens=timezone.now() + timedelta(days=3))
    assert "Les inscriptions sont closes" in portal.get(url(closed)).content.decode()
    assert "Les inscriptions ouvriront" in portal.get(url(later)).content.decode()
    assert portal.post(url(closed), form_data()).status_code == 200
    assert Registration.objects.count() == 0


def test_invitation_only_event_needs_its_link_and_is_never_listed(portal):
    private = make_seminar("Commission restreinte", visibility=Visibility.INVITATION)
    public = make_seminar("Séminaire ouvert")
    assert portal.get(url(private)).status_code == 404
    assert portal.get(f"{url(private)}?invitation=mauvaise-cle").status_code == 404
    invited = portal.get(f"{url(private)}?invitation={private.invitation_key}")
    assert invited.status_code == 200
    response = portal.post(
        f"{url(private)}?invitation={private.invitation_key}", form_data(email="invite@exemple.fr")
    )
    assert response.status_code == 302
    listing = portal.get("/evenements/").content.decode()
    assert public.title in listing and private.title not in listing
    feed = Calendar.from_ical(portal.get("/evenements/calendrier.ics").content)
    assert [str(e["SUMMARY"]) for e in feed.walk("VEVENT")] == [public.title]
    assert portal.get(f"/evenements/ics/{private.pk}.ics").status_code == 404


def test_manage_link_changes_ateliers_and_cancels(portal, seminar):
    a, b, c = seminar.ateliers.order_by("sort_order")
    registration, _ = register_person(seminar, person(1, ateliers=[a.pk]))
    url = manage_path(registration)
    overlapping = portal.post(url, {"action": "ateliers", "ateliers": [b.pk, a.pk]})
    assert overlapping.status_code == 400
    assert "ont lieu en même temps" in overlapping.content.decode()
    assert portal.post(url, {"action": "ateliers", "ateliers": [b.pk, c.pk]}).status_code == 302
    assert set(registration.ateliers.values_list("pk", flat=True)) == {b.pk, c.pk}
    assert portal.post(url, {"action": "cancel"}).status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_after_the_cut_off_the_link_only_shows(portal):
    seminar = make_seminar(changes_until=timezone.now() - timedelta(hours=1))
    registration, _ = register_person(seminar, person(1))
    url = manage_path(registration)
    page = portal.get(url).content.decode()
    assert "ne sont plus possibles" in page and "Annuler mon inscription" not in page
    portal.post(url, {"action": "cancel"})
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_tampered_and_expired_links_are_refused(portal, seminar):
    registration, _ = register_person(seminar, person(1))
    token = make_token(registration)
    other, _ = register_person(seminar, person(2))
    payload, signature = token.rsplit(":", 1)
    tampered = make_token(other).rsplit(":", 1)[0] + ":" + signature
    response = portal.get(f"/evenements/inscription/{tampered}/")
    assert response.status_code == 404
    assert "n'est pas valide" in response.content.decode()
    forged = signing.dumps({"r": other.pk, "e": other.email}, salt="autre-sel")
    assert portal.get(f"/evenements/inscription/{forged}/").status_code == 404
    with override_settings(SEMINAR_LINK_MAX_AGE=-1):
        expired = portal.get(f"/evenements/inscription/{token}/")
    assert expired.status_code == 410
    assert "a expiré" in expired.content.decode()
    assert portal.get(f"/evenements/inscription/{token}/").status_code == 200


def test_calendar_lists_upcoming_and_past_and_shows_a_month(portal):
    upcoming = make_seminar("Atelier des nouveaux élus", days_ahead=10)
    past = make_seminar("Séminaire annuel passé", days_ahead=-200)
    listing = portal.get("/evenements/").content.decode()
    assert listing.index("À venir") < listing.index(upcoming.title) < listing.index(past.title)
    month = timezone.localtime(upcoming.start).strftime("%Y-%m")
    page = portal.get(f"/evenements/?mois={month}").content.decode()
    assert "<caption>Événements de" in page
    assert upcoming.title in page and past.title not in page
    assert 'scope="col"><span class="day-name">Lundi</span>' in page


def test_per_event_ics_parses_back(portal, seminar):
    response = portal.get(f"/evenements/ics/{seminar.pk}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == seminar.title
    assert event.decoded("DTEND") == seminar.end
    assert "Salle des fêtes" in str(event["LOCATION"])


def test_registering_again_updates_without_revealing_the_link(
    portal, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    portal.post(url(seminar), form_data())
    # The same person (another name is refused, the address may be a shared mailbox:
    # test_review_s15_public.py), who corrects their commune.
    with django_capture_on_commit_callbacks(execute=True):
        again = portal.post(url(seminar), form_data(commune="Bondy"))
    registration = Registration.objects.get()
    assert registration.commune_id == "93010"
    assert again.status_code == 302 and again["Location"] == url(seminar)
    (message,) = mailoutbox
    assert message.subject.startswith("Inscription mise à jour")
    assert linked_registration(message.body) == registration


def test_organisers_can_open_the_event_editor(seminar):
    from tests.conftest import host_client
    from tests.seminars.conftest import organiser

    client = host_client("localhost", organiser())
    index = seminar.get_parent()
    assert client.get(f"/admin/pages/add/seminars/seminarpage/{index.pk}/").status_code == 200
    editor = client.get(f"/admin/pages/{seminar.pk}/edit/")
    assert editor.status_code == 200 and "Atelier A" in editor.content.decode()
    # The page tree leads to the event's registrations.
    explorer = client.get(f"/admin/pages/{index.pk}/").content.decode()
    assert f"/admin/inscriptions/{seminar.pk}/" in explorer


def test_atelier_times_are_shown_in_local_time(portal):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from seminars.models import Atelier

    seminar = make_seminar("Journée d'hiver")
    paris = ZoneInfo("Europe/Paris")
    Atelier.objects.create(
        page=seminar,
        title="Atelier du matin",
        starts_at=datetime(2030, 1, 15, 10, 30, tzinfo=paris),
        ends_at=datetime(2030, 1, 15, 12, 0, tzinfo=paris),
        seats=2,
    )
    page = portal.get(url(seminar)).content.decode()
    assert "Atelier du matin – 10\u00a0h\u00a030\u00a0– 12\u00a0h (2 places disponibles)" in page


def test_a_lost_or_expired_link_can_be_sent_again_without_disclosing_anything(
    portal, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    registration, _ = register_person(seminar, person(1), notify=False)
    resend = f"/evenements/{seminar.pk}/nouveau-lien/"
    with django_capture_on_commit_callbacks(execute=True):
        known = portal.post(resend, {"email": "Personne1@exemple.fr"}, follow=True)
        unknown = portal.post(resend, {"email": "inconnu@exemple.fr"}, follow=True)
    message = "Si une inscription existe avec cette adresse"
    assert message in known.content.decode() and message in unknown.content.decode()
    (sent,) = mailoutbox
    assert sent.to == ["personne1@exemple.fr"]
    assert linked_registration(sent.body) == registration
    token = make_token(registration)
    with override_settings(SEMINAR_LINK_MAX_AGE=-1):
        page = portal.get(f"/evenements/inscription/{token}/").content.decode()
        assert "nouveau lien par e-mail" in page
        with django_capture_on_commit_callbacks(execute=True):
            portal.post(f"/evenements/inscription/{token}/")
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["personne1@exemple.fr"]


def test_the_ateliers_table_says_the_seats_left_until_the_event_is_over(portal, seminar):
    a, _b, c = seminar.ateliers.order_by("sort_order")
    for number in range(3):
        register_person(seminar, person(number, ateliers=[a.pk]))
    register_person(seminar, person(9, ateliers=[c.pk]))
    with CaptureQueriesContext(connection) as queries:
        page = portal.get(url(seminar)).content
    # The table and the form's checkboxes share one count of the ateliers' seats.
    atelier_counts = [q["sql"] for q in queries if 'FROM "seminars_atelier"' in q["sql"]]
    assert len(atelier_counts) == 1 and "COUNT(" in atelier_counts[0]
    assert "Atelier A – " in page.decode() and "(complet)" in page.decode()
    rows = {
        row.th.get_text(" ", strip=True): row.find_all("td")[-1].get_text(" ", strip=True)
        for row in BeautifulSoup(page, "html.parser").select(
            "#ateliers ~ .table-scroll table tbody tr"
        )
    }
    assert rows == {
        "Atelier A": "3 complet",
        "Atelier B": "3 3 disponibles",
        "Atelier C": "10 9 disponibles",
    }
    SeminarPage.objects.filter(pk=seminar.pk).update(
        start=seminar.start - timedelta(days=60), end=seminar.end - timedelta(days=60)
    )
    past = BeautifulSoup(portal.get(url(seminar)).content, "html.parser")
    assert [
        td.get_text(strip=True)
        for td in past.select("#ateliers ~ .table-scroll table tbody td.num")
    ] == [
        "3",
        "3",
        "10",
    ]
