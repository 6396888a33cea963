"""Times the French way where people read them (union.formats.french_time): the event page and
its programme, the confirmation e-mail (text and HTML), the attestation de présence (PDF), the
personal page, the organisers' check-in cells (« Présent(e) à 9 h 05 »), the printed attendance
sheet. Spreadsheet cells keep « 09:12 » (a machine sorts them), the .ics its UTC times.

Real HTTP through the test client, real PostgreSQL, real PDFs."""

import csv
import html
import io
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from seminars.attendance import set_atelier_presence
from seminars.certificates import certificate_pdf
from seminars.exports import export_attendance
from seminars.links import manage_path, page_path
from seminars.models import Atelier, AtelierPresence, Registration, SeminarPage
from seminars.services import register_person
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NB = "\u00a0"
DAY_SPAN = f"de 9{NB}h à 17{NB}h{NB}30"  # 9:00 to 17:30
SLOT = f"9{NB}h{NB}05{NB}– 10{NB}h"  # the atelier, 9:05 to 10:00


def at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


@pytest.fixture
def day_event() -> SeminarPage:
    """In two months, 9 h to 17 h 30 in Paris, with an atelier from 9 h 05 to 10 h."""
    day = timezone.localdate() + timedelta(days=60)
    seminar = make_seminar("Journée des élus")
    SeminarPage.objects.filter(pk=seminar.pk).update(
        start=at(day, 9), end=at(day, 17, 30), changes_until=None, registration_closes=None
    )
    seminar.refresh_from_db()
    Atelier.objects.create(
        page=seminar, title="Budget", starts_at=at(day, 9, 5), ends_at=at(day, 10), seats=10
    )
    return seminar


def no_clock_time(text: str) -> bool:
    """No « 09:00 »-like time left in what a person reads."""
    return not any(f"{hour:02d}:" in text for hour in (9, 10, 17))


def html_of(message) -> str:
    (body,) = [a.content for a in message.alternatives if a.mimetype == "text/html"]
    return body


def test_the_event_page_gives_its_hours_and_the_ateliers_the_french_way(portal, day_event):
    page = html.unescape(portal.get(page_path(day_event)).content.decode())
    assert DAY_SPAN in page
    assert f"<td>{SLOT}</td>" in page  # the programme's « Horaire » column
    assert f"Budget – {SLOT}" in page  # the registration form's atelier box
    # What is read (datetime attributes of <time> keep ISO 8601 for machines).
    assert no_clock_time(BeautifulSoup(page, "html.parser").find("main").get_text(" "))


def test_the_confirmation_email_in_text_and_html(
    portal, day_event, mailoutbox, django_capture_on_commit_callbacks
):
    budget = day_event.ateliers.get()
    with django_capture_on_commit_callbacks(execute=True):
        registration, _ = register_person(day_event, person(1, ateliers=[budget.pk]))
    (message,) = mailoutbox
    assert f", {DAY_SPAN}\n" in message.body
    assert f"- Budget ({SLOT})\n" in message.body
    assert no_clock_time(message.body)
    body = html.unescape(html_of(message))
    assert f", {DAY_SPAN}</p>" in body
    assert f"<li>Budget ({SLOT})</li>" in body
    assert no_clock_time(body)
    # The .ics keeps machine times (UTC), its description the French ones.
    (event,) = Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")
    assert event.decoded("DTSTART") == day_event.start
    assert f"Budget ({SLOT})" in str(event["DESCRIPTION"])
    # And the personal page.
    page = html.unescape(portal.get(manage_path(registration)).content.decode())
    assert DAY_SPAN in page and f"Budget – {SLOT}" in page


def test_the_attestation_pdf(day_event):
    budget = day_event.ateliers.get()
    registration, _ = register_person(day_event, person(1, ateliers=[budget.pk]))
    content = certificate_pdf(day_event, [registration])
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    # reportlab keeps U+00A0 unbroken (never U+202F); pypdf reads it back as a plain space, and
    # a line's end as "\n".
    text = " ".join(text.split())
    assert DAY_SPAN.replace(NB, " ") in text
    assert f"Budget ({SLOT.replace(NB, ' ')})" in text
    assert no_clock_time(text)


def today_event() -> tuple[SeminarPage, Atelier, Registration]:
    seminar = make_seminar("Accueil du jour", days_ahead=-1 / 24, hours=8)
    Atelier.objects.create(
        page=seminar,
        title="Budget",
        starts_at=seminar.start,
        ends_at=seminar.start + timedelta(hours=2),
        seats=10,
    )
    budget = seminar.ateliers.get()
    zola, _ = register_person(seminar, person(1, nom="Zola", ateliers=[budget.pk]))
    return seminar, budget, zola


def test_the_check_in_cells_say_present_at_9_h_05(organiser_client):
    seminar, budget, zola = today_event()
    set_atelier_presence(zola, budget, True, actor=None)  # checks her in at the event too
    seen = at(timezone.localdate(), 9, 5)
    Registration.objects.filter(pk=zola.pk).update(checked_in_at=seen)
    AtelierPresence.objects.filter(registration=zola).update(
        checked_in_at=seen + timedelta(minutes=7)
    )
    page = html.unescape(
        organiser_client.get(
            f"/admin/inscriptions/{seminar.pk}/", {"accueil": "1"}
        ).content.decode()
    )
    assert f"Présent(e) à 9{NB}h{NB}05</span>" in page  # arrival_cell.html
    assert f"Budget : présent(e) à 9{NB}h{NB}12</span>" in page  # atelier_marks.html

    # The atelier's attendance sheet: « 9 h 12 » printed, « 09:12 » in the spreadsheet cell.
    pdf = export_attendance(seminar, "pdf", budget)
    printed = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "oui, 9 h 12" in printed and "09:12" not in printed
    rows = list(
        csv.reader(
            io.StringIO(export_attendance(seminar, "csv", budget).decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert rows[1][4] == "oui, 09:12"
