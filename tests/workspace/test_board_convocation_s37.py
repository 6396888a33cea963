"""« Envoyer la convocation » (CASF R123-16): a board member has an optional e-mail address; a
director or an agent sends a séance's convocation to each member in office with an address, one
e-mail each with the séance as .ics, and « convocation adressée le » is filled in. Bondy's and
Montreuil's schemas number their rows alike: Bondy's sending touches nothing of Montreuil's."""

from datetime import date, time, timedelta
from html import unescape

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context
from icalendar import Calendar

from tenants.journal.models import JournalEntry
from tenants.models import Membership
from tenants.workspace.models import BoardMeeting, BoardMember
from tests.conftest import make_person, member_client, plain
from tests.workspace.conftest import make_board
from union.models import AuditEntry

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return plain(unescape(BeautifulSoup(response.content.decode(), "html.parser").get_text(" ")))


def board_with_addresses(member, domain: str) -> dict[str, BoardMember]:
    """make_board's nine members; all but Nommé3 Asso3 get an address; Élu3 Conseil3's seat
    ended last year, Nommé2 Asso2's mandate ends before the séance: out of office."""
    make_board(member)
    with schema_context(member.schema_name):
        seats = {m.full_name: m for m in BoardMember.objects.all()}
        for name, seat in seats.items():
            if name != "Nommé3 Asso3":
                seat.email = f"{seat.last_name.lower()}@{domain}"
        seats["Élu3 Conseil3"].end = timezone.localdate() - timedelta(days=300)
        seats["Nommé2 Asso2"].end = timezone.localdate() + timedelta(days=5)
        for seat in seats.values():
            seat.save()
    return seats


def upcoming_meeting(member, days: int = 10, **extra) -> BoardMeeting:
    with schema_context(member.schema_name):
        return BoardMeeting.objects.create(
            date=timezone.localdate() + timedelta(days=days),
            time=time(18, 30),
            place="Salle du conseil",
            agenda="Budget supplémentaire\nAides facultatives : règlement",
            **extra,
        )


@pytest.fixture
def director(bondy):
    return member_client(bondy, make_person(bondy, "dir@bondy.test"))


def send(client, meeting, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/conseil/seances/{meeting.pk}/convoquer/", data, follow=True)


def test_a_board_member_keeps_an_address_through_the_form(bondy, director):
    make_board(bondy)
    with schema_context(bondy.schema_name):
        seat = BoardMember.objects.get(last_name="Conseil1")
    form = text_of(director.get(f"/conseil/membres/{seat.pk}/"))
    assert "Adresse électronique" in form
    data = {
        "first_name": seat.first_name,
        "last_name": seat.last_name,
        "seat": seat.seat,
        "start": "2020-07-01",
        "email": "elu1@bondy.fr",
    }
    response = director.post(f"/conseil/membres/{seat.pk}/", data)
    assert response.status_code == 302, text_of(response)
    with schema_context(bondy.schema_name):
        seat.refresh_from_db()
    assert seat.email == "elu1@bondy.fr"


def test_the_convocation_goes_to_each_member_in_office_with_an_address_alone(
    two_members, director, django_capture_on_commit_callbacks
):
    bondy, montreuil = two_members
    board_with_addresses(bondy, "bondy.fr")
    board_with_addresses(montreuil, "montreuil.fr")
    meeting = upcoming_meeting(bondy)
    twin = upcoming_meeting(montreuil)
    assert twin.pk == meeting.pk  # the same pk in the other schema

    page = text_of(director.get(f"/conseil/seances/{meeting.pk}/"))
    assert "Envoyer la convocation" in page
    confirm = text_of(director.get(f"/conseil/seances/{meeting.pk}/convoquer/"))
    assert "Recevront la convocation par courriel (6)" in confirm
    assert "Sans adresse électronique, à convoquer par un autre moyen (1) : Nommé3 Asso3" in (
        confirm
    )
    assert "Élu3 Conseil3" not in confirm and "Nommé2 Asso2" not in confirm
    assert "1. Budget supplémentaire" in confirm  # the e-mail's text
    assert "note explicative de synthèse" in confirm  # Bondy: 50,000 inhabitants

    mail.outbox.clear()
    response = send(
        director, meeting, django_capture_on_commit_callbacks, message="Venez nombreux."
    )
    page = text_of(response)
    assert "Convocation envoyée par courriel à 6 membres du conseil." in page
    assert "à convoquer par un autre moyen : Nommé3 Asso3." in page
    assert "« Convocation adressée le » est renseignée" in page

    assert len(mail.outbox) == 6
    assert all(len(email.to) == 1 and not email.cc and not email.bcc for email in mail.outbox)
    recipients = {email.to[0] for email in mail.outbox}
    assert recipients == {
        "maire@bondy.fr",
        "conseil0@bondy.fr",
        "conseil1@bondy.fr",
        "conseil2@bondy.fr",
        "asso0@bondy.fr",
        "asso1@bondy.fr",
    }
    assert not any("montreuil" in address for address in recipients)
    email = next(e for e in mail.outbox if e.to == ["asso1@bondy.fr"])
    assert "Bonjour Nommé1 Asso1" in email.body
    assert "Salle du conseil" in email.body and "Venez nombreux." in email.body
    assert "1. Budget supplémentaire" in email.body
    assert "2. Aides facultatives : règlement" in email.body
    assert bondy.name in email.body and bondy.name in email.subject
    assert email.reply_to == ["dir@bondy.test"]  # no address on the profile: the sender's
    (ics,) = [a for a in email.attachments if a.filename == "seance.ics"]
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == timezone.make_aware(
        timezone.datetime.combine(meeting.date, time(18, 30))
    )
    # In UTC, as the events' files: a TZID without its VTIMEZONE misleads Outlook (audit A25 #1).
    raw = ics.content if isinstance(ics.content, str) else ics.content.decode()
    assert "TZID" not in raw and "DTSTART:" in raw
    assert event.decoded("dtstart").utcoffset() == timedelta(0)
    assert str(event["location"]) == "Salle du conseil"
    assert "Budget supplémentaire" in str(event["description"])

    with schema_context(bondy.schema_name):
        meeting.refresh_from_db()
        assert meeting.convened_on == timezone.localdate()
        assert meeting.convocation_sent_at is not None
        entry = JournalEntry.objects.get(action="board.meeting_convened")
        assert "6 membres convoqués" in entry.target
        # Who was convened and with what, kept in the space (audit A25 #2).
        assert "Nommé1 Asso1 <asso1@bondy.fr>" in entry.details["convened"]
        assert entry.details["to_convene_otherwise"] == ["Nommé3 Asso3"]
        assert entry.details["message"] == "Venez nombreux."
        assert not AuditEntry.objects.get(action="board.meeting_convened").details
    with schema_context(montreuil.schema_name):
        twin.refresh_from_db()
        assert twin.convened_on is None and twin.convocation_sent_at is None
        assert not JournalEntry.objects.filter(action="board.meeting_convened").exists()

    # The séance's page says when it went.
    assert "Convocation envoyée par courriel le" in text_of(
        director.get(f"/conseil/seances/{meeting.pk}/")
    )


def test_a_second_sending_asks_first_and_keeps_the_message(
    bondy, director, django_capture_on_commit_callbacks
):
    board_with_addresses(bondy, "bondy.fr")
    meeting = upcoming_meeting(bondy, convened_on=timezone.localdate() - timedelta(days=1))
    first = send(director, meeting, django_capture_on_commit_callbacks)
    assert "Convocation envoyée par courriel à 6 membres" in text_of(first), text_of(first)[:3000]
    with schema_context(bondy.schema_name):
        meeting.refresh_from_db()
    assert meeting.convened_on == timezone.localdate() - timedelta(days=1)  # kept
    mail.outbox.clear()

    confirm = text_of(director.get(f"/conseil/seances/{meeting.pk}/convoquer/"))
    assert "Convocation déjà envoyée le" in confirm
    response = send(director, meeting, django_capture_on_commit_callbacks, message="Ordre modifié")
    assert response.status_code == 200
    assert "cochez « Envoyer de nouveau »" in text_of(response)
    assert "Ordre modifié" in response.content.decode()  # the typed message stays
    assert mail.outbox == []
    send(director, meeting, django_capture_on_commit_callbacks, message="Ordre modifié", again="on")
    assert len(mail.outbox) == 6


def test_a_seance_a_few_days_away_warns_and_a_past_one_cannot_be_convened(bondy, director):
    board_with_addresses(bondy, "bondy.fr")
    soon = upcoming_meeting(bondy, days=2)
    confirm = text_of(director.get(f"/conseil/seances/{soon.pk}/convoquer/"))
    assert "Convocation adressée 2 jours avant : elle doit l'être 3 jours au moins" in confirm
    with schema_context(bondy.schema_name):
        past = BoardMeeting.objects.create(date=date(2025, 3, 4))
    assert "Envoyer la convocation" not in text_of(director.get(f"/conseil/seances/{past.pk}/"))
    response = director.post(f"/conseil/seances/{past.pk}/convoquer/", follow=True)
    assert "ne peut plus être envoyée" in text_of(response)
    assert mail.outbox == []


def test_a_viewer_cannot_send_nor_another_members_host(
    two_members, director, django_capture_on_commit_callbacks
):
    bondy, montreuil = two_members
    board_with_addresses(bondy, "bondy.fr")
    meeting = upcoming_meeting(bondy)
    viewer = member_client(bondy, make_person(bondy, "lecture@bondy.test", Membership.Role.VIEWER))
    assert "Envoyer la convocation" not in text_of(viewer.get(f"/conseil/seances/{meeting.pk}/"))
    response = send(viewer, meeting, django_capture_on_commit_callbacks)
    assert response.status_code == 403
    # Montreuil's director on Montreuil's host, where no séance has this pk: nothing of Bondy's.
    host = member_client(montreuil, make_person(montreuil, "dir@montreuil.test"))
    assert send(host, meeting, django_capture_on_commit_callbacks).status_code == 404
    # Bondy's host refuses Montreuil's director.
    intruder = member_client(bondy, make_person(montreuil, "autre@montreuil.test"))
    assert send(intruder, meeting, django_capture_on_commit_callbacks).status_code in (302, 403)
    assert mail.outbox == []
    with schema_context(bondy.schema_name):
        meeting.refresh_from_db()
    assert meeting.convocation_sent_at is None


def test_a_document_whose_file_is_gone_is_refused_by_name_and_nothing_is_marked(
    bondy, director, django_capture_on_commit_callbacks
):
    """Audit A24 #1 and #3: a document row without its file (a database restored without its
    media) was accepted, the séance marked convened and the task failed, nobody convened; the
    e-mail said the note explicative went with it, whatever was attached."""
    from django.core.files.base import ContentFile

    from tenants.workspace.models import Document

    board_with_addresses(bondy, "bondy.fr")
    meeting = upcoming_meeting(bondy)
    with schema_context(bondy.schema_name):
        kept = Document(title="Note de synthèse", category="conseil", document_date=date.today())
        kept.file.save("note.txt", ContentFile(b"Budget : les chiffres."), save=False)
        kept.save()
        gone = Document(title="Règlement des aides", category="conseil", document_date=date.today())
        gone.file.save("reglement.txt", ContentFile(b"ok"), save=False)
        gone.save()
        gone.file.storage.delete(gone.file.name)

    refused = send(director, meeting, django_capture_on_commit_callbacks, documents=[gone.pk])
    assert "Fichier introuvable sur le serveur : Règlement des aides." in text_of(refused)
    assert mail.outbox == []
    with schema_context(bondy.schema_name):
        assert BoardMeeting.objects.get(pk=meeting.pk).convocation_sent_at is None

    sent = send(director, meeting, django_capture_on_commit_callbacks, documents=[kept.pk])
    assert "Convocation envoyée par courriel à 6 membres du conseil." in text_of(sent)
    assert len(mail.outbox) == 6
    # Read once for all of them, attached to each: the .ics, then the document.
    for email in mail.outbox:
        assert [name for name, _content, _type in email.attachments] == [
            "seance.ics",
            kept.download_name,
        ]
    email = mail.outbox[0]
    # The e-mail never claims the note explicative is attached: the sender's page reminds her.
    assert "note explicative" not in email.body


def test_an_empty_agenda_and_a_planned_date_later_than_the_sending(
    bondy, director, django_capture_on_commit_callbacks
):
    """Audit A25 #3 and #4: a séance without agenda went « à venir » unwarned; « convocation
    adressée le » kept a later planned date above the real sending's."""
    board_with_addresses(bondy, "bondy.fr")
    meeting = upcoming_meeting(bondy, days=12, convened_on=timezone.localdate() + timedelta(days=4))
    with schema_context(bondy.schema_name):
        BoardMeeting.objects.filter(pk=meeting.pk).update(agenda="", place="")
    confirm = text_of(director.get(f"/conseil/seances/{meeting.pk}/convoquer/"))
    assert "L'ordre du jour est vide : la convocation doit le comporter." in confirm
    assert "Le lieu de la séance n'est pas saisi" in confirm
    send(director, meeting, django_capture_on_commit_callbacks)
    with schema_context(bondy.schema_name):
        assert BoardMeeting.objects.get(pk=meeting.pk).convened_on == timezone.localdate()
