"""Session 40: a séance's expected end time (carried since session 37: its .ics lasted two
hours whatever the séance). Optional, after the séance's hour; said on the séance's page, in
the convocation's e-mail and letters, the length of its .ics, the API and the archive. Bondy's
and Montreuil's séances have the same id: each space reads its own."""

import csv
import io
import zipfile
from datetime import datetime, time, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context
from icalendar import Calendar
from pypdf import PdfReader

from tenants.workspace.models import BoardMeeting
from tests.conftest import make_person, member_client
from tests.workspace.test_board_convocation_s37 import board_with_addresses, send, text_of
from tests.workspace.test_meetings_s34 import board_pks, meeting_post

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def a_seance_to_come(client, member, **typed):
    day = timezone.localdate() + timedelta(days=12)
    data = meeting_post(board_pks(member), {}, date=f"{day:%Y-%m-%d}", convened_on="", **typed)
    return client.post("/conseil/seances/ajouter/", data, follow=True)


def ics_event(email):
    (ics,) = [a for a in email.attachments if a.filename == "seance.ics"]
    return Calendar.from_ical(ics.content).walk("VEVENT")[0]


def test_the_end_time_is_after_the_hour_and_what_was_typed_is_kept(bondy):
    board_with_addresses(bondy, "bondy.fr")
    director = member_client(bondy, make_person(bondy, "dir@bondy.test"))
    response = a_seance_to_come(director, bondy, end_time="17:00")  # the séance is at 18:30
    assert response.status_code == 200
    page = text_of(response)
    assert "L'heure de fin suit l'heure de la séance" in page
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert soup.find("input", attrs={"name": "end_time"})["value"] == "17:00"
    response = a_seance_to_come(director, bondy, time="", end_time="20:30")
    assert "Indiquez d'abord l'heure de la séance" in text_of(response)
    with schema_context(bondy.schema_name):
        assert not BoardMeeting.objects.exists()


def test_the_end_time_reaches_the_page_the_convocation_the_letters_the_api_and_the_archive(
    two_members, django_capture_on_commit_callbacks
):
    bondy, montreuil = two_members
    clients = {}
    for member, end in ((bondy, "20:30"), (montreuil, "")):
        board_with_addresses(member, f"{member.slug}.fr")
        clients[member.slug] = member_client(member, make_person(member, f"d@{member.slug}.test"))
        assert a_seance_to_come(clients[member.slug], member, end_time=end).status_code == 200
    with schema_context(bondy.schema_name):
        meeting = BoardMeeting.objects.get()
    with schema_context(montreuil.schema_name):
        assert BoardMeeting.objects.get().pk == meeting.pk  # the ids collide
    director = clients[bondy.slug]

    page = text_of(director.get(f"/conseil/seances/{meeting.pk}/"))
    assert "Fin prévue 20 h 30" in page  # text_of reads no-break spaces as spaces

    mail.outbox.clear()
    send(director, meeting, django_capture_on_commit_callbacks)
    email = mail.outbox[0]
    assert f"à 18{NBSP}h{NBSP}30 (fin prévue à 20{NBSP}h{NBSP}30)." in email.body
    html_body = email.alternatives[0][0] if email.alternatives else ""
    assert f"(fin prévue à 20{NBSP}h{NBSP}30)" in html_body
    event = ics_event(email)
    start = timezone.make_aware(datetime.combine(meeting.date, time(18, 30)))
    assert event.decoded("dtstart") == start
    assert event.decoded("dtend") == start + timedelta(hours=2)  # 20:30, the end typed

    pdf = director.get(f"/conseil/seances/{meeting.pk}/convocations.pdf").content
    letter = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().replace("\n", " ")
    assert f"(fin prévue à 20{NBSP}h{NBSP}30)" in letter.replace(" h ", f"{NBSP}h{NBSP}")

    (seance,) = director.get("/api/v1/board/meetings/").json()
    assert (seance["time"], seance["end_time"]) == ("18:30", "20:30")
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(director.get("/donnees/archive.zip").streaming_content))
    )
    rows = list(
        csv.reader(
            io.StringIO(archive.read("conseil/seances.csv").decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0][1:3] == ["Heure", "Heure de fin prévue"] and rows[1][1:3] == ["18:30", "20:30"]

    # Montreuil's séance, same id, has no end: its own page, API and a two-hour .ics.
    other = clients[montreuil.slug]
    assert "Fin prévue" not in text_of(other.get(f"/conseil/seances/{meeting.pk}/"))
    assert other.get("/api/v1/board/meetings/").json()[0]["end_time"] is None
    mail.outbox.clear()
    send(other, meeting, django_capture_on_commit_callbacks)
    assert "fin prévue" not in mail.outbox[0].body
    event = ics_event(mail.outbox[0])
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=2)
