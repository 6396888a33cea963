"""« Annuler l'événement » (session 29): an organiser calls an event off; everyone registered is
told once, with the calendar's cancellation; everywhere the event shows it says « Annulé » and
offers nothing; and Wagtail's delete of an event holding registrations is refused."""

import html
import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from seminars.door_access import DOOR_STAFF
from seminars.links import manage_path, page_path
from seminars.models import Registration, SeminarPage
from seminars.services import (
    cancel_event,
    register_person,
    send_due_reminders,
    send_no_seat_notices,
)
from tests.conftest import host_client
from tests.seminars.conftest import form_data, make_seminar, organiser, person
from union import roles
from union.models import AuditEntry

pytestmark = pytest.mark.django_db

MESSAGE = "La salle est inondée. Nous vous proposons le jeudi 14 janvier, même lieu."


def cancel_url(seminar) -> str:
    return f"/admin/inscriptions/{seminar.pk}/annuler-evenement/"


def flat(text: str) -> str:
    """The page's text, its entities read (« n&#x27;a »), its spaces collapsed."""
    return " ".join(html.unescape(text).split())


def words(text: str) -> str:
    """What a reader reads: flat, without the markup."""
    return flat(re.sub(r"<[^>]+>", "", text))


@pytest.fixture
def flooded():
    """Three seats: Zola and Abel confirmed, Roux waiting, Sans (no address) confirmed; published
    through Wagtail so that its public files have a SEQUENCE."""
    seminar = make_seminar(
        "Séminaire des élus",
        seats=3,
        days_ahead=7,
        organiser_name="Claire Martin",
        organiser_email="claire.martin@union.test",
    )
    seminar.save_revision().publish()
    seminar.refresh_from_db()
    zola, _ = register_person(seminar, person(1, nom="Zola"))
    abel, _ = register_person(seminar, person(2, nom="Abel"))
    sans, _ = register_person(seminar, person(4, nom="Sans", email=""))
    roux, _ = register_person(seminar, person(3, nom="Roux"))
    assert [r.status for r in (zola, abel, sans, roux)] == ["confirmed"] * 3 + ["waitlisted"]
    return seminar, zola, abel, sans, roux


def test_an_organiser_cancels_and_everyone_registered_is_told_once(
    organiser_client, flooded, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, zola, abel, sans, roux = flooded
    page = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/").content.decode()
    assert cancel_url(seminar) in page  # the registrations page's action

    confirm = organiser_client.get(cancel_url(seminar))
    assert confirm.status_code == 200
    text = words(confirm.content.decode())
    assert "3 personnes (2 confirmées, 1 en liste d'attente) recevront un e-mail" in text
    assert "1 personne confirmée n'a pas d'adresse e-mail : Prénom4 Sans." in text
    assert "Motif, et ce que vous proposez (report, autre date)" in text
    assert not mailoutbox and SeminarPage.objects.get(pk=seminar.pk).cancelled_at is None

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(cancel_url(seminar), {"message": MESSAGE})
    assert response.status_code == 302
    assert response["Location"] == f"/admin/inscriptions/{seminar.pk}/"
    seminar.refresh_from_db()
    assert seminar.is_cancelled and seminar.cancellation_message == MESSAGE
    assert sorted(m.to[0] for m in mailoutbox) == [
        "personne1@exemple.fr",
        "personne2@exemple.fr",
        "personne3@exemple.fr",
    ]
    email = next(m for m in mailoutbox if m.to == ["personne3@exemple.fr"])
    assert email.subject == "Événement annulé\u00a0: Séminaire des élus"
    body = flat(email.body)
    assert "l'événement « Séminaire des élus » est annulé : il n'aura pas lieu." in body
    assert "Vous étiez en liste d'attente" in body
    assert MESSAGE in body
    assert "Contact : Claire Martin, claire.martin@union.test" in body
    assert email.reply_to == ["claire.martin@union.test"]
    html = flat(email.alternatives[0][0])
    assert MESSAGE in html and "Message des organisateurs" in html
    # The calendar's cancellation (iTIP CANCEL), the event's UID, STATUS:CANCELLED.
    part = email.attachments[0]
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "CANCEL"
    calendar = Calendar.from_ical(part.get_content())
    assert calendar["method"] == "CANCEL"
    entry = calendar.walk("VEVENT")[0]
    assert str(entry["status"]) == "CANCELLED"
    assert str(entry["uid"]).startswith(f"seminaire-{seminar.pk}@")
    # The registrations are kept as they were: the history, the year report.
    statuses = dict(seminar.registrations.values_list("nom", "status"))
    assert statuses == {
        "Zola": "confirmed",
        "Abel": "confirmed",
        "Sans": "confirmed",
        "Roux": "waitlisted",
    }
    audit = AuditEntry.objects.get(action="seminar.cancelled")
    assert audit.details["count"] == 3 and audit.details["message"] == MESSAGE
    listing = words(organiser_client.get(f"/admin/inscriptions/{seminar.pk}/").content.decode())
    assert "Événement annulé le" in listing and cancel_url(seminar) not in listing

    # A second tab, a double click: nothing goes again.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = organiser_client.post(cancel_url(seminar), {"message": "Encore"}, follow=True)
    assert not mailoutbox
    assert "déjà annulé" in flat(again.content.decode())
    seminar.refresh_from_db()
    assert seminar.cancellation_message == MESSAGE
    with django_capture_on_commit_callbacks(execute=True):
        assert not cancel_event(seminar, by=None, message="x").cancelled_now
    assert not mailoutbox
    assert AuditEntry.objects.filter(action="seminar.cancelled").count() == 1


def test_the_desk_may_not_cancel_nor_may_anyone_cancel_an_event_that_has_started(
    organiser_client, flooded, mailoutbox, django_capture_on_commit_callbacks
):
    seminar = flooded[0]
    desk = host_client("localhost", organiser(DOOR_STAFF, "benevole@commune.test"))
    for response in (desk.get(cancel_url(seminar)), desk.post(cancel_url(seminar))):
        assert response.status_code in (302, 403)
    seminar.refresh_from_db()
    assert not seminar.is_cancelled

    started = make_seminar("Commission seniors", days_ahead=-1 / 24, hours=5)
    register_person(started, person(7))
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(cancel_url(started), {"message": "x"})
    assert response.status_code == 409
    assert "Cet événement a commencé" in response.content.decode()
    assert not SeminarPage.objects.get(pk=started.pk).is_cancelled and not mailoutbox
    listing = organiser_client.get(f"/admin/inscriptions/{started.pk}/").content.decode()
    assert cancel_url(started) not in listing

    admin = host_client("localhost", organiser(roles.UNION_ADMIN, "admin@union.test"))
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(cancel_url(seminar), {"message": ""}).status_code == 302
    assert SeminarPage.objects.get(pk=seminar.pk).is_cancelled
    assert len(mailoutbox) == 3


def test_a_cancelled_event_says_so_everywhere_and_offers_nothing(
    organiser_client, flooded, portal, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, zola, abel, sans, roux = flooded
    feed_before = Calendar.from_ical(portal.get("/evenements/calendrier.ics").content)
    sequence_before = int(feed_before.walk("VEVENT")[0]["sequence"])
    with django_capture_on_commit_callbacks(execute=True):
        cancel_event(seminar, by=None, message=MESSAGE)
    mailoutbox.clear()
    seminar.refresh_from_db()

    # The event's page: the notice with the message, no form, no « S'inscrire ».
    page = portal.get(page_path(seminar))
    assert page.status_code == 200
    text = flat(page.content.decode())
    assert "Événement annulé" in text and MESSAGE in text
    assert "il n'aura pas lieu" in text and "claire.martin@union.test" in text
    assert "S'inscrire" not in text and 'name="nom"' not in text
    assert "Recevoir mon lien" not in text and "Ajouter à mon agenda" not in text
    with django_capture_on_commit_callbacks(execute=True):
        posted = portal.post(page_path(seminar), form_data())
    assert not seminar.registrations.filter(email="aicha.durand@exemple.fr").exists()
    assert posted.status_code == 200 and not mailoutbox

    # The calendar's list and month view keep it until its date, marked « Annulé ».
    listing = flat(portal.get("/evenements/").content.decode())
    assert "Séminaire des élus" in listing and "Annulé" in listing
    assert "Événement annulé, inscriptions closes" in listing
    month = timezone.localtime(seminar.start).strftime("%Y-%m")
    month_view = flat(portal.get("/evenements/", {"vue": "mois", "mois": month}).content.decode())
    assert 'Séminaire des élus</a> <span class="badge badge-error">Annulé</span>' in month_view

    # The public feed and the event's .ics: STATUS:CANCELLED, a higher SEQUENCE.
    feed = Calendar.from_ical(portal.get("/evenements/calendrier.ics").content)
    entry = feed.walk("VEVENT")[0]
    assert str(entry["status"]) == "CANCELLED"
    assert int(entry["sequence"]) > sequence_before
    assert str(entry["summary"]) == "Annulé\u00a0: Séminaire des élus"
    assert MESSAGE in str(entry["description"])
    single = Calendar.from_ical(portal.get(f"/evenements/ics/{seminar.pk}.ics").content)
    assert str(single.walk("VEVENT")[0]["status"]) == "CANCELLED"

    # The API: `cancelled`, and a refused registration (409, in French).
    events = portal.get("/api/v1/seminars/").json()["results"]
    listed = next(e for e in events if e["id"] == seminar.pk)
    assert listed["cancelled"] is True and listed["cancellation_message"] == MESSAGE
    assert listed["registration"]["state"] == "closed"
    body = {
        "nom": "Durand",
        "prenom": "Aïcha",
        "email": "aicha@exemple.fr",
        "commune": "Bondy",
        "fonction": "maire",
    }
    refused = portal.post(
        f"/api/v1/seminars/{seminar.pk}/registrations/",
        json.dumps(body),
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert "Cet événement est annulé" in refused.json()["detail"]

    # The personal page: the notice, no change, no cancel, no code, no .ics.
    personal = portal.get(manage_path(zola))
    text = flat(personal.content.decode())
    assert "Événement annulé" in text and MESSAGE in text
    assert "Annuler mon inscription" not in text and "Changer d'ateliers" not in text
    assert "Mon code d'émargement" not in text and "Ajouter à mon agenda" not in text
    assert "Mon téléphone" not in text
    portal.post(manage_path(zola), {"action": "cancel"})
    assert Registration.objects.get(pk=zola.pk).status == "confirmed"
    waiting = flat(portal.get(manage_path(roux)).content.decode())
    assert "dès qu'une place se libère" not in waiting

    # Reminders and « Pas de place libérée » are not sent; nobody is promoted.
    assert send_due_reminders(now=seminar.start - timedelta(days=1)) == 0
    assert send_no_seat_notices(now=seminar.start + timedelta(hours=1)) == 0
    admin_cancel = f"/admin/inscriptions/{seminar.pk}/{zola.pk}/annuler/"
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(admin_cancel, {"query": ""})
    assert Registration.objects.get(pk=roux.pk).status == "waitlisted"
    assert [m.subject for m in mailoutbox] == ["Inscription annulée\u00a0: Séminaire des élus"]

    # The organisers' list marks it; the desk's window does not offer it.
    events = flat(organiser_client.get("/admin/inscriptions/").content.decode())
    assert (
        'Séminaire des élus</a><br><small>Séminaire · Public</small> <span class="status-tag">annulé</span>'
        in events
    )
    from seminars.door_access import events_in_window

    on_the_day = timezone.localdate(seminar.start)
    assert not events_in_window(SeminarPage.objects.all(), today=on_the_day).exists()


def test_a_reminder_queued_before_the_cancellation_is_not_sent(
    flooded, mailoutbox, django_capture_on_commit_callbacks
):
    from seminars.tasks import send_registration_email

    seminar, zola = flooded[0], flooded[1]
    cancel_event(seminar, by=None)
    send_registration_email.call(zola.pk, "reminder")
    send_registration_email.call(zola.pk, "promoted")
    assert not mailoutbox


def test_publishing_an_older_revision_does_not_bring_the_event_back(flooded):
    seminar = flooded[0]
    cancel_event(seminar, by=None, message=MESSAGE)
    page = SeminarPage.objects.get(pk=seminar.pk)
    page.get_latest_revision().publish()  # saved before the cancellation
    page = SeminarPage.objects.get(pk=seminar.pk)
    assert page.is_cancelled and page.cancellation_message == MESSAGE
    # An editor's new revision keeps it too.
    draft = page.get_latest_revision_as_object()
    draft.summary = "Nouveau résumé"
    draft.save_revision().publish()
    page = SeminarPage.objects.get(pk=seminar.pk)
    assert page.is_cancelled and page.summary == "Nouveau résumé"
    # A copy (next year's edition) is not cancelled.
    copy = page.copy(update_attrs={"slug": "seminaire-des-elus-2027", "title": "Édition 2027"})
    assert not SeminarPage.objects.get(pk=copy.pk).is_cancelled


@pytest.fixture
def admin_client():
    return host_client("localhost", organiser(roles.UNION_ADMIN, "admin@union.test"))


def test_deleting_an_event_with_registrations_is_refused_and_an_empty_one_is_not(
    admin_client, flooded
):
    seminar = flooded[0]
    delete_url = f"/admin/pages/{seminar.pk}/delete/"
    for response in (admin_client.get(delete_url), admin_client.post(delete_url)):
        assert response.status_code == 302
    refused = flat(admin_client.get(delete_url, follow=True).content.decode())
    assert (
        "« Séminaire des élus » a 4 inscriptions : un événement qui a des inscriptions ne se supprime pas"
        in refused
    )
    assert "« Annuler l'événement »" in refused
    assert SeminarPage.objects.filter(pk=seminar.pk).exists()
    assert Registration.objects.filter(seminar=seminar).count() == 4
    # The calendar above it neither.
    index = seminar.get_parent()
    admin_client.post(f"/admin/pages/{index.pk}/delete/")
    assert SeminarPage.objects.filter(pk=seminar.pk).exists()
    # Nor the page listing's bulk « Supprimer ».
    bulk = "/admin/bulk/wagtailcore/page/delete/"
    response = admin_client.post(f"{bulk}?id={seminar.pk}&next=/admin/pages/{index.pk}/")
    assert response.status_code == 302
    assert SeminarPage.objects.filter(pk=seminar.pk).exists()

    empty = make_seminar("Réunion sans inscrit", days_ahead=10)
    empty_url = f"/admin/pages/{empty.pk}/delete/"
    assert admin_client.get(empty_url).status_code == 200
    assert admin_client.post(empty_url).status_code == 302
    assert not SeminarPage.objects.filter(pk=empty.pk).exists()


def test_the_year_report_keeps_a_cancelled_event_apart_from_those_held(organiser_client, flooded):
    from seminars.annual_report import build_year_report

    seminar = flooded[0]
    cancel_event(seminar, by=None, message=MESSAGE)
    # Its date has passed since: it was not held, whatever its confirmed people.
    end = timezone.now() - timedelta(minutes=5)
    SeminarPage.objects.filter(pk=seminar.pk).update(start=end - timedelta(hours=2), end=end)
    year = timezone.localtime(end - timedelta(hours=2)).year
    report = build_year_report(year)
    (line,) = [line for line in report.lines if line.event.pk == seminar.pk]
    assert line.cancelled and not line.held and line.present == 0
    assert (report.held_count, report.upcoming_count, report.cancelled_count) == (0, 0, 1)
    assert report.participants == 0
    assert seminar.registrations.count() == 4  # kept
    html_page = organiser_client.get("/admin/inscriptions/bilan/", {"annee": year})
    page = words(html_page.content.decode())
    assert re.search(r"0 rencontres? tenues? \(1 annulée\), 0 participations?,", page)
    assert '<td colspan="3">annulé</td>' in flat(html_page.content.decode())
