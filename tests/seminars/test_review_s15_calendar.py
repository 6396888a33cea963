"""Review s15: the proceedings list who came, the attestation states the attested training time,
the month view fits a phone, the cancellation leaves people's calendars, subscribing works from a
phone, and people left waiting are told when the event starts."""

import io
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from seminars.durations import HoursMinutesFormField
from seminars.ics import seminar_ics
from seminars.links import make_token, page_path
from seminars.models import ProceedingsPage, Registration, SeminarPage
from seminars.services import (
    cancel_registration,
    register_person,
    send_no_seat_notices,
    set_check_in,
)
from tests.seminars.conftest import make_seminar, person
from union.formats import french_time

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def ics_attachment(message) -> tuple[str, bytes]:
    """The Content-Type and content of the message's calendar attachment, whichever way it was
    attached (a (name, content, type) triple, or a MIME part)."""
    for attachment in message.attachments:
        if isinstance(attachment, tuple):
            if attachment[2].startswith("text/calendar"):
                content = attachment[1]
                return attachment[2], content.encode() if isinstance(content, str) else content
        elif attachment.get_content_type() == "text/calendar":
            return attachment["Content-Type"], attachment.get_content().encode()
    raise AssertionError("no calendar attached")


# 1. Proceedings: people checked in, communes as matched ---------------------------------------


def test_once_check_in_is_used_the_proceedings_list_only_people_checked_in(portal):
    seminar = make_seminar("Séminaire ABS", days_ahead=-10)
    came, _ = register_person(seminar, person(1, nom="Venu"))
    register_person(seminar, person(2, nom="Absent"))
    typo, _ = register_person(
        seminar, person(3, nom="Coquille", commune="Villeneuve-la-Garenneuse")
    )
    assert typo.commune_status == "flagged"
    for present in (came, typo):
        set_check_in(present, True)
    proceedings = ProceedingsPage(title="Actes", slug="actes")
    seminar.add_child(instance=proceedings)
    html = portal.get(page_path(proceedings)).content.decode()
    rows = [
        [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
        for row in BeautifulSoup(html, "html.parser").select("table tbody tr")
    ]
    assert rows == [["COQUILLE", "Prénom3", "–", "Maire"], ["VENU", "Prénom1", "Bondy", "Maire"]]
    assert "Villeneuve-la-Garenneuse" not in html and "ABSENT" not in html
    assert "(2, avec leur accord)" in html


# 2. The attestation states the attested training time, never end − start ------------------------


@pytest.fixture
def day_with_lunch():
    """An eight-hour day, over, with someone checked in (its lunch makes 6 h 30 of training)."""
    seminar = make_seminar("Journée des élus", days_ahead=-2, hours=8)
    # 09:00–17:00, whatever the hour the suite runs: made « now », an evening run spanned midnight
    # and the attestation gave two dates.
    nine = timezone.localtime(seminar.start).replace(hour=9, minute=0, second=0)
    SeminarPage.objects.filter(pk=seminar.pk).update(start=nine, end=nine + timedelta(hours=8))
    seminar.refresh_from_db()
    someone, _ = register_person(seminar, person(1, nom="Zola"))
    set_check_in(someone, True)
    return seminar, someone


def test_the_attestation_gives_the_attested_training_time(organiser_client, day_with_lunch):
    seminar, someone = day_with_lunch
    SeminarPage.objects.filter(pk=seminar.pk).update(
        attested_duration=timedelta(hours=6, minutes=30)
    )
    response = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/{someone.pk}/attestation/")
    text = pdf_text(response.content)
    assert "(durée de formation : 6 h 30)" in text
    assert "(8 h)" not in text


def test_without_an_attested_time_the_attestation_gives_the_hours_and_no_duration(
    portal, day_with_lunch
):
    seminar, someone = day_with_lunch
    response = portal.get(f"/evenements/inscription/{make_token(someone)}/attestation.pdf")
    text = pdf_text(response.content)
    start, end = timezone.localtime(seminar.start), timezone.localtime(seminar.end)
    # The PDF keeps « 9 h » unbroken with U+00A0; pypdf reads that glyph back as a space.
    assert f"de {french_time(start)} à {french_time(end)}".replace("\u00a0", " ") in text
    assert "(8 h)" not in text and not re.search(r"\(\d+ h", text)


def test_organisers_type_the_attested_time_in_hours_and_minutes(day_with_lunch):
    seminar, _someone = day_with_lunch
    field = SeminarPage._meta.get_field("attested_duration").formfield()
    assert isinstance(field, HoursMinutesFormField)
    assert field.label == "Durée de formation attestée (heures et minutes)"
    for typed in ("6 h 30", "6h30", "6:30", "6 H 30 min"):
        assert field.clean(typed) == timedelta(hours=6, minutes=30)
    assert field.clean("7") == timedelta(hours=7)
    assert field.clean("") is None
    assert field.prepare_value(timedelta(hours=6, minutes=30)) == "6 h 30"
    with pytest.raises(ValidationError):
        field.clean("6 h 75")
    seminar.attested_duration = timedelta(hours=9)  # more than 09:00–17:00
    with pytest.raises(ValidationError) as refused:
        seminar.clean()
    assert "ne peut pas dépasser" in str(refused.value.message_dict["attested_duration"])


# 3. The month view: short day names where columns are narrow, a list of days on a phone ---------


def test_the_month_view_has_short_day_names_and_a_list_of_the_days_with_events(portal):
    event = make_seminar("Atelier début de mandat : prendre ses marques", days_ahead=10, hours=1)
    month = timezone.localtime(event.start).strftime("%Y-%m")
    soup = BeautifulSoup(portal.get("/evenements/", {"mois": month}).content, "html.parser")
    wednesday = soup.select("table.month thead th")[2]
    assert wednesday.select_one(".day-name").get_text() == "Mercredi"
    short = wednesday.select_one(".day-short")
    assert short.get_text() == "Mer." and short["aria-hidden"] == "true"
    days = soup.select_one("section.month-days")
    (day,) = days.select("ul.plain-list > li")
    assert day.time["datetime"] == timezone.localtime(event.start).strftime("%Y-%m-%d")
    assert day.a.get_text() == event.title


# 4. Cancellation withdraws the event from calendars; the personal file has the person's day -----


def test_the_cancellation_email_carries_an_ics_cancel_of_the_same_event(
    seminar, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration, _ = register_person(seminar, person(1))
    _type, confirmation = ics_attachment(mailoutbox[0])
    (booked,) = Calendar.from_ical(confirmation).walk("VEVENT")
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration)
    cancelled_mail = mailoutbox[-1]
    assert cancelled_mail.subject == f"Inscription annulée : {seminar.title}"
    content_type, content = ics_attachment(cancelled_mail)
    assert "method=CANCEL" in content_type.replace('"', "")
    calendar = Calendar.from_ical(content)
    assert str(calendar["METHOD"]) == "CANCEL"
    (withdrawn,) = calendar.walk("VEVENT")
    assert str(withdrawn["STATUS"]) == "CANCELLED"
    assert str(withdrawn["UID"]) == str(booked["UID"])
    (public,) = Calendar.from_ical(seminar_ics(seminar)).walk("VEVENT")
    assert str(public["UID"]) == str(booked["UID"])
    assert int(withdrawn["SEQUENCE"]) > int(booked["SEQUENCE"]) >= int(public["SEQUENCE"])
    assert "retire l'événement de votre agenda" in cancelled_mail.body


def test_the_confirmed_persons_ics_has_a_reminder_their_ateliers_and_where_to_find_their_link(
    seminar, mailoutbox, django_capture_on_commit_callbacks
):
    atelier = seminar.ateliers.get(title="Atelier C")
    with django_capture_on_commit_callbacks(execute=True):
        registration, _ = register_person(seminar, person(1, ateliers=[atelier.pk]))
    (message,) = mailoutbox
    (event,) = Calendar.from_ical(ics_attachment(message)[1]).walk("VEVENT")
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(days=1)
    description = str(event["DESCRIPTION"])
    starts = timezone.localtime(atelier.starts_at)
    assert f"Atelier C ({french_time(starts)}\u00a0– " in description  # « 9 h 30 – 11 h »
    # Not the personal link (review s29): a shared agenda shows the description to others.
    assert "/evenements/inscription/" not in description
    assert "/evenements/mes-inscriptions/" in description
    # The public file and the feed: no alarm, no personal link.
    public = seminar_ics(seminar).decode()
    assert "VALARM" not in public and "/evenements/inscription/" not in public


# 5. Subscribing from a phone ---------------------------------------------------------------------


def test_the_calendar_offers_a_webcal_link_and_an_address_to_copy(portal):
    make_seminar("Commission logement", days_ahead=10)
    soup = BeautifulSoup(portal.get("/evenements/").content, "html.parser")
    section = soup.select_one("section.subscribe")
    hrefs = [a["href"] for a in section.select("a")]
    assert "webcal://localhost/evenements/calendrier.ics" in hrefs
    field = section.select_one("input#adresse-agenda")
    assert field["value"] == "http://localhost/evenements/calendrier.ics"
    assert field.has_attr("readonly")
    assert soup.select_one("label[for=adresse-agenda]")
    assert "Autres agendas → À partir de l'URL" in section.get_text()
    assert "Ajouter un calendrier avec abonnement" in section.get_text()


# 6. « Pas de place libérée »: once, to people still waiting when the event starts -----------------


def test_people_still_waiting_when_the_event_starts_are_told_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    seminar = make_seminar("Journée complète", seats=1, days_ahead=1)
    register_person(seminar, person(1), notify=False)
    waiting, _ = register_person(seminar, person(2), notify=False)
    later = make_seminar("Plus tard", seats=1, days_ahead=5)
    register_person(later, person(3), notify=False)
    register_person(later, person(4), notify=False)  # waiting, the event has not started
    long_ago = make_seminar("Il y a longtemps", seats=1, days_ahead=1)
    register_person(long_ago, person(5), notify=False)
    register_person(long_ago, person(6), notify=False)
    assert waiting.status == "waitlisted"
    now = timezone.now()
    SeminarPage.objects.filter(pk=seminar.pk).update(start=now - timedelta(hours=1))
    SeminarPage.objects.filter(pk=long_ago.pk).update(
        start=now - timedelta(days=60), end=now - timedelta(days=60) + timedelta(hours=7)
    )
    with django_capture_on_commit_callbacks(execute=True):
        out = io.StringIO()
        call_command("send_seminar_reminders", stdout=out)
    (message,) = mailoutbox
    assert message.to == [waiting.email]
    assert message.subject == "Pas de place libérée : Journée complète"
    assert "sans qu'une place se libère" in message.body
    assert "Les actes de la rencontre" in message.body
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    assert f"{base}/evenements/\n" in message.body  # the union's next events
    assert "1 message « Pas de place libérée » envoyé." in out.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_no_seat_notices() == 0
    assert len(mailoutbox) == 1
    assert Registration.objects.get(pk=waiting.pk).no_seat_sent_at is not None
