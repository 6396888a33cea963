"""The convocation's record on the séance's page, and the convocations to print (session 38).

Each « Envoyer la convocation » is kept on the séance (ConvocationSending): who was convened by
e-mail (names and addresses), who was left to convene by other means, the message and the
documents, for a director who must prove the convocation. The members without an address get a
printable letter (PDF, one page each). Bondy's and Montreuil's schemas number their séances and
board members alike: nothing of one shows on the other's host."""

import io
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tenants.utils import schema_context
from pypdf import PdfReader

from tenants.models import Membership
from tenants.workspace.models import BoardMeeting, BoardMember, ConvocationSending, Document
from tests.conftest import make_person, member_client, plain
from tests.workspace.test_board_convocation_s37 import (
    board_with_addresses,
    send,
    text_of,
    upcoming_meeting,
)
from union.formats import long_date

pytestmark = pytest.mark.django_db

# The members in office on the séance's day, in board_with_addresses: Élu3 Conseil3 and Nommé2
# Asso2 no longer sit; Nommé3 Asso3 has no address.
IN_OFFICE = [
    "Stéphane Maire",
    "Élu0 Conseil0",
    "Élu1 Conseil1",
    "Élu2 Conseil2",
    "Nommé0 Asso0",
    "Nommé1 Asso1",
    "Nommé3 Asso3",
]
NOTE = "La note explicative de synthèse sur les affaires soumises à délibération"


@pytest.fixture
def director(bondy):
    user = make_person(bondy, "dir@bondy.test")
    user.first_name, user.last_name = "Danielle", "Directrice"
    user.save()
    return member_client(bondy, user)


def role_client(member, role):
    return member_client(member, make_person(member, f"{role}@{member.slug}.test", role))


def montreuil_board(montreuil):
    """Montreuil's board under names of its own: none may appear on Bondy's host."""
    board_with_addresses(montreuil, "montreuil.fr")
    with schema_context(montreuil.schema_name):
        for seat in BoardMember.objects.all():
            seat.last_name = f"Montreuillais{seat.last_name}"
            seat.save()


def note(member, title: str) -> Document:
    with schema_context(member.schema_name):
        document = Document(title=title, category="conseil", document_date=date.today())
        document.file.save("note.txt", ContentFile(b"Les affaires du jour."), save=False)
        document.save()
    return document


def section(page: str) -> str:
    """The page's text from « Convocations envoyées » on (empty when the section is absent)."""
    _before, found, after = page.partition("Convocations envoyées")
    return found + after


def test_each_sending_is_kept_on_the_seance_and_shown_to_the_team(
    two_members, director, django_capture_on_commit_callbacks
):
    bondy, montreuil = two_members
    board_with_addresses(bondy, "bondy.fr")
    montreuil_board(montreuil)
    meeting = upcoming_meeting(bondy)
    twin = upcoming_meeting(montreuil)
    assert twin.pk == meeting.pk
    document = note(bondy, "Note explicative du budget")

    response = send(
        director,
        meeting,
        django_capture_on_commit_callbacks,
        message="Venez nombreux.",
        documents=[document.pk],
    )
    assert "Convocation envoyée par courriel à 6 membres du conseil." in text_of(response)

    with schema_context(bondy.schema_name):
        (sending,) = ConvocationSending.objects.filter(meeting_id=meeting.pk)
    assert sending.sent_by == "Danielle Directrice"
    assert {"name": "Nommé1 Asso1", "email": "asso1@bondy.fr"} in sending.convened
    assert len(sending.convened) == 6
    assert sending.to_convene_otherwise == ["Nommé3 Asso3"]
    assert sending.message == "Venez nombreux."
    assert sending.documents == ["Note explicative du budget"]

    # Every role of the team reads it; the addresses, as on the board page, those who convene
    # (« lecture seule » reads the names: test_board_contacts_s39).
    for role in (Membership.Role.AGENT, Membership.Role.VIEWER):
        response = role_client(bondy, role).get(f"/conseil/seances/{meeting.pk}/")
        record = section(text_of(response))
        assert "Convocations envoyées" in record
        assert "par Danielle Directrice" in record
        assert "Convoqués par courriel (6)" in record
        if role == Membership.Role.AGENT:
            assert "Nommé1 Asso1 asso1@bondy.fr" in record
            assert "Stéphane Maire maire@bondy.fr" in record
        else:
            assert "Nommé1 Asso1" in record and "@bondy.fr" not in record
        assert "À convoquer par un autre moyen (1) Nommé3 Asso3" in record
        assert "Venez nombreux." in record
        assert "Note explicative du budget" in record
    html = director.get(f"/conseil/seances/{meeting.pk}/").content.decode()
    assert "<caption>" in html and '<th scope="row">Nommé1 Asso1</th>' in html

    # Montreuil's séance with the same pk: nothing of Bondy's sending.
    host = member_client(montreuil, make_person(montreuil, "dir@montreuil.test"))
    page = text_of(host.get(f"/conseil/seances/{twin.pk}/"))
    assert "Convocations envoyées" not in page
    assert "bondy.fr" not in page and "Venez nombreux." not in page
    with schema_context(montreuil.schema_name):
        assert not ConvocationSending.objects.exists()


def test_a_second_sending_adds_a_second_record_shown_first(
    bondy, director, django_capture_on_commit_callbacks
):
    board_with_addresses(bondy, "bondy.fr")
    meeting = upcoming_meeting(bondy)
    send(director, meeting, django_capture_on_commit_callbacks, message="Premier envoi.")
    send(
        director,
        meeting,
        django_capture_on_commit_callbacks,
        message="Ordre du jour complété.",
        again="on",
    )
    with schema_context(bondy.schema_name):
        messages = list(
            ConvocationSending.objects.filter(meeting_id=meeting.pk).values_list(
                "message", flat=True
            )
        )
    assert messages == ["Ordre du jour complété.", "Premier envoi."]
    record = section(text_of(director.get(f"/conseil/seances/{meeting.pk}/")))
    assert record.count("Convoqués par courriel (6)") == 2
    assert record.index("Ordre du jour complété.") < record.index("Premier envoi.")


def pdf_pages(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return [plain(page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]


def test_the_convocations_to_print_give_one_letter_per_member(two_members, director):
    bondy, montreuil = two_members
    board_with_addresses(bondy, "bondy.fr")
    montreuil_board(montreuil)
    meeting = upcoming_meeting(bondy)
    url = f"/conseil/seances/{meeting.pk}/convocations.pdf"

    response = director.get(url)
    assert response.status_code == 200
    day = meeting.date
    assert f"convocations-seance-{day:%Y-%m-%d}.pdf" in response["Content-Disposition"]
    pages = pdf_pages(response)
    # Every member in office but the président(e), who convenes and signs (audit A28).
    addressees = [name for name in IN_OFFICE if name != "Stéphane Maire"]
    assert len(pages) == len(addressees)
    for name, page in zip(addressees, pages, strict=True):
        assert name in page
        assert "Convocation au conseil d'administration" in page
        assert bondy.name in page
        assert str(day.year) in page and "18 h 30" in page
        assert "Salle du conseil" in page
        assert "1. Budget supplémentaire" in page
        assert "2. Aides facultatives : règlement" in page
        assert NOTE in page  # Bondy: 50,000 inhabitants
        assert "dir@bondy.test" in page  # the reply address: the sender's, no profile address
        assert "Stéphane Maire Président(e) du conseil d'administration" in page  # who signs
        # Dated the day it is printed, for a séance to come: the day it is handed or posted.
        assert f"le {long_date(timezone.localdate(), weekday=False)}." in page
        assert "Copie éditée" not in page
        assert "Montreuillais" not in page

    pages = pdf_pages(director.get(f"{url}?sans_adresse=1"))
    assert len(pages) == 1 and "Nommé3 Asso3" in pages[0]

    # A town under 3,500 inhabitants: no note explicative.
    bondy.commune.population = 3_000
    bondy.commune.save()
    assert not any(NOTE in page for page in pdf_pages(director.get(url)))


def test_the_convocations_to_print_read_the_profile_and_a_past_seance(bondy, director):
    board_with_addresses(bondy, "bondy.fr")
    with schema_context(bondy.schema_name):
        from tenants.workspace.models import Profile

        Profile.objects.create(
            legal_name="CCAS de Bondy",
            address="Esplanade Claude-Fuzier",
            postal_code="93140",
            city="Bondy",
            email="ccas@bondy.fr",
        )
        past = BoardMeeting.objects.create(
            date=timezone.localdate() - timedelta(days=30), agenda="Compte administratif"
        )
    pages = pdf_pages(director.get(f"/conseil/seances/{past.pk}/convocations.pdf"))
    assert pages and all("Esplanade Claude-Fuzier 93140 Bondy" in page for page in pages)
    assert all("ccas@bondy.fr" in page for page in pages)  # the profile's address answers
    assert all("Lieu : à préciser" in page for page in pages)
    assert all("Fait à Bondy" in page for page in pages)
    # A past séance's letters are marked as a copy printed today (audit A28).
    today = long_date(timezone.localdate(), weekday=False)
    assert all(f"Copie éditée le {today} (séance passée)." in page for page in pages)


def test_the_letters_say_what_the_last_email_said(
    bondy, director, django_capture_on_commit_callbacks
):
    """Audit A28: those convened on paper read the message and the documents' titles the
    e-mail carried; an empty agenda prints no note explicative sentence."""
    board_with_addresses(bondy, "bondy.fr")
    meeting = upcoming_meeting(bondy)
    document = note(bondy, "Note explicative du budget")
    send(
        director,
        meeting,
        django_capture_on_commit_callbacks,
        message="Vote du budget.\nMerci de confirmer votre présence.",
        documents=[document.pk],
    )
    (page,) = pdf_pages(
        director.get(f"/conseil/seances/{meeting.pk}/convocations.pdf?sans_adresse=1")
    )
    assert "Vote du budget. Merci de confirmer votre présence." in page
    assert "Documents joints : Note explicative du budget." in page

    with schema_context(bondy.schema_name):
        BoardMeeting.objects.filter(pk=meeting.pk).update(agenda="")
    pages = pdf_pages(director.get(f"/conseil/seances/{meeting.pk}/convocations.pdf"))
    assert pages and not any(NOTE in page for page in pages)
    assert all("Ordre du jour : à venir." in page for page in pages)


def test_who_may_print_the_convocations_and_where_the_links_are(
    two_members, director, django_capture_on_commit_callbacks
):
    bondy, montreuil = two_members
    board_with_addresses(bondy, "bondy.fr")
    meeting = upcoming_meeting(bondy)
    url = f"/conseil/seances/{meeting.pk}/convocations.pdf"
    printable = f"{url}?sans_adresse=1"

    # The team's: every role of the space.
    for role in (Membership.Role.AGENT, Membership.Role.VIEWER):
        client = role_client(bondy, role)
        assert client.get(url).status_code == 200
        assert printable in client.get(f"/conseil/seances/{meeting.pk}/").content.decode()
    # Another member's people: refused on Bondy's host; on their own, no séance of Bondy's.
    intruder = member_client(bondy, make_person(montreuil, "autre@montreuil.test"))
    assert intruder.get(url).status_code in (302, 403)
    host = member_client(montreuil, make_person(montreuil, "dir@montreuil.test"))
    assert host.get(url).status_code == 404
    assert member_client(bondy).get(url).status_code == 302  # signed out: to the sign-in page

    # The convene page and the message after sending point to the letters to print.
    assert printable in director.get(f"/conseil/seances/{meeting.pk}/convoquer/").content.decode()
    response = send(director, meeting, django_capture_on_commit_callbacks)
    assert f'href="{printable}"' in response.content.decode()


def test_no_letter_to_print_when_everyone_has_an_address(bondy, director):
    board_with_addresses(bondy, "bondy.fr")
    with schema_context(bondy.schema_name):
        BoardMember.objects.filter(email="").update(email="asso3@bondy.fr")
    meeting = upcoming_meeting(bondy)
    page = director.get(f"/conseil/seances/{meeting.pk}/").content.decode()
    assert "?sans_adresse=1" not in page
    assert f'href="/conseil/seances/{meeting.pk}/convocations.pdf"' in page  # every member's
    response = director.get(f"/conseil/seances/{meeting.pk}/convocations.pdf?sans_adresse=1")
    assert response.status_code == 404


def test_the_spaces_archive_keeps_each_sending_and_only_its_own(
    two_members, director, django_capture_on_commit_callbacks
):
    """The proof leaves with the space (conseil/convocations.csv); Montreuil's archive, whose
    séance has the same pk, holds none of Bondy's sending."""
    import csv
    import zipfile

    from tenants.workspace.archive import build_member_archive

    bondy, montreuil = two_members
    board_with_addresses(bondy, "bondy.fr")
    montreuil_board(montreuil)
    meeting = upcoming_meeting(bondy)
    assert upcoming_meeting(montreuil).pk == meeting.pk
    send(director, meeting, django_capture_on_commit_callbacks, message="Venez nombreux.")

    def rows(member):
        buffer = io.BytesIO()
        with schema_context(member.schema_name):
            build_member_archive(member, buffer)
        text = zipfile.ZipFile(buffer).read("conseil/convocations.csv").decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=";"))

    header, *sendings = rows(bondy)
    assert header[:3] == ["Date de la séance", "Envoyée le", "Envoyée par"]
    (sending,) = sendings
    assert sending[0] == f"{meeting.date:%d/%m/%Y}"
    assert sending[2] == "Danielle Directrice"
    assert "Nommé1 Asso1 <asso1@bondy.fr>" in sending[3]
    assert sending[4] == "Nommé3 Asso3"
    assert sending[5] == "Venez nombreux."
    assert rows(montreuil) == [header]


def test_a_paper_convocation_is_noted_on_the_seance_and_moves_the_convocation_day(
    two_members, director, django_capture_on_commit_callbacks
):
    """Audit A28 #3: the letters handed or posted are noted beside the e-mails, in the journal
    and the archive; « convocation adressée le » becomes the day the last member was convened,
    so the three days' check reads it. Montreuil's séance with the same pk is untouched."""
    from tenants.journal.models import JournalEntry

    bondy, montreuil = two_members
    board_with_addresses(bondy, "bondy.fr")
    montreuil_board(montreuil)
    meeting = upcoming_meeting(bondy)
    twin = upcoming_meeting(montreuil)
    send(director, meeting, django_capture_on_commit_callbacks, message="Venez nombreux.")
    url = f"/conseil/seances/{meeting.pk}/convocation-papier/"

    form = director.get(url)
    page = form.content.decode()
    assert 'value="' in page and "Nommé3 Asso3" in page
    with schema_context(bondy.schema_name):
        asso3 = BoardMember.objects.get(last_name="Asso3")
    checked = BeautifulSoup(page, "html.parser").find_all("input", attrs={"checked": True})
    assert [int(box["value"]) for box in checked if box.get("name") == "convened"] == [asso3.pk]

    # A day after the séance, or none ticked: refused, what was typed kept.
    refused = director.post(url, {"day": f"{meeting.date + timedelta(days=1):%Y-%m-%d}"})
    assert refused.status_code == 400

    today = timezone.localdate()
    saved = director.post(url, {"day": f"{today:%Y-%m-%d}", "convened": [asso3.pk]})
    assert saved.status_code == 302
    with schema_context(bondy.schema_name):
        paper, emailed = ConvocationSending.objects.filter(meeting_id=meeting.pk)
        assert (paper.on_paper, paper.paper_date) == (["Nommé3 Asso3"], today)
        assert BoardMeeting.objects.get(pk=meeting.pk).convened_on == today
        assert JournalEntry.objects.filter(action="board.meeting_paper_convened").count() == 1
    shown = section(text_of(director.get(f"/conseil/seances/{meeting.pk}/")))
    assert f"Convocation papier remise ou postée le {long_date(today, weekday=False)}" in shown
    assert "Convoqués sur papier (1) Nommé3 Asso3" in shown
    # The letters still say what the e-mail said, not the paper record's nothing.
    (letter,) = pdf_pages(
        director.get(f"/conseil/seances/{meeting.pk}/convocations.pdf?sans_adresse=1")
    )
    assert "Venez nombreux." in letter

    with schema_context(montreuil.schema_name):
        assert not ConvocationSending.objects.exists()
        assert BoardMeeting.objects.get(pk=twin.pk).convened_on is None
    # Read-only people see it but cannot note one.
    viewer = role_client(bondy, Membership.Role.VIEWER)
    assert viewer.get(url).status_code == 403
