"""Session 46's review of a member's board séances (helper session, read-only): the attendance
sheet of a séance convened again, a seat deleted out of séances already held, an e-mail
convocation sent after letters, and « nouvelle convocation faute de quorum » without the séance
that lacked it. Each fixed finding with its test."""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from pypdf import PdfReader

from tenants.workspace.models import BoardMeeting, BoardMember, MeetingAttendance
from tests.conftest import make_person, member_client, plain
from tests.workspace.conftest import make_board
from tests.workspace.test_board_convocation_s37 import (
    board_with_addresses,
    send,
    text_of,
    upcoming_meeting,
)

pytestmark = pytest.mark.django_db
P = MeetingAttendance.Presence


def pdf_text(response) -> str:
    pages = PdfReader(io.BytesIO(response.content)).pages
    return plain(" ".join(page.extract_text() for page in pages))


@pytest.fixture
def director(bondy):
    return member_client(bondy, make_person(bondy, "dir@bondy.test"))


def record(day: date, present: int, *, reconvened=False, proxies=()) -> BoardMeeting:
    """A séance on `day` with every presence entered: the first `present` members present, the
    others absent (or, for the indices in `proxies`, represented by the first member)."""
    members = list(BoardMember.objects.order_by("pk"))
    meeting = BoardMeeting.objects.create(date=day, place="Salle", reconvened=reconvened)
    for index, seat in enumerate(members):
        represented = index in proxies
        MeetingAttendance.objects.create(
            meeting=meeting,
            board_member=seat,
            presence=P.PRESENT if index < present else P.PROXY if represented else P.ABSENT,
            proxy_holder=members[0] if represented else None,
        )
    return meeting


# --- F1: the sheet of a séance convened again stated a quorum -----------------------------------


def test_the_sheet_of_a_seance_convened_again_states_no_quorum(bondy, director):
    make_board(bondy)
    with schema_context(bondy.schema_name):
        record(date(2026, 3, 3), present=2)  # the séance that lacked its quorum
        again = BoardMeeting.objects.create(date=date(2026, 3, 10), reconvened=True)
        usual = BoardMeeting.objects.create(date=date(2026, 4, 10))
    page = text_of(director.get(f"/conseil/seances/{again.pk}/"))
    assert "délibère quel que soit le nombre de présents" in page
    sheet = pdf_text(director.get(f"/conseil/seances/{again.pk}/feuille-de-presence.pdf"))
    assert "si 5 au moins sont présents" not in sheet
    assert (
        "9 membres en exercice ; nouvelle convocation faute de quorum : le conseil délibère quel "
        "que soit le nombre de présents." in sheet
    )
    sheet = pdf_text(director.get(f"/conseil/seances/{usual.pk}/feuille-de-presence.pdf"))
    assert "le conseil délibère valablement si 5 au moins sont présents" in sheet


# --- F2: deleting a seat rewrote séances already held ------------------------------------------


def test_a_seat_in_a_seances_record_is_not_deleted(bondy, director):
    make_board(bondy)
    with schema_context(bondy.schema_name):
        meeting = record(date(2025, 3, 10), present=5, proxies=(5,))
        holder = BoardMember.objects.order_by("pk").first()  # holds the proxy, present
        absent = list(BoardMember.objects.order_by("pk"))[8]
    url = f"/conseil/seances/{meeting.pk}/"
    assert "Quorum atteint : 5 membres présents sur 9" in text_of(director.get(url))
    for seat in (holder, absent):
        asked = director.get(f"/conseil/membres/{seat.pk}/supprimer/", follow=True)
        said = text_of(asked)
        assert (
            f"{seat.full_name} figure dans les présences de la séance du 10 mars 2025 : la "
            "supprimer changerait son quorum" in said
        )
        assert "du conseil d'administration ?" not in said  # no confirmation offered
        director.post(f"/conseil/membres/{seat.pk}/supprimer/")
    with schema_context(bondy.schema_name):
        assert BoardMember.objects.count() == 9
        assert MeetingAttendance.objects.filter(meeting=meeting).count() == 9
    assert "Quorum atteint : 5 membres présents sur 9" in text_of(director.get(url))


def test_a_seat_no_seance_records_is_still_deleted(bondy, director):
    make_board(bondy)
    with schema_context(bondy.schema_name):
        record(date(2025, 3, 10), present=5)
        extra = BoardMember.objects.order_by("pk").first()
        extra.pk, extra.last_name = None, "Doublon"
        extra.save()
    asked = director.get(f"/conseil/membres/{extra.pk}/supprimer/")
    assert f"Supprimer {extra.full_name} du conseil d'administration ?" in text_of(asked)
    director.post(f"/conseil/membres/{extra.pk}/supprimer/")
    with schema_context(bondy.schema_name):
        assert not BoardMember.objects.filter(last_name="Doublon").exists()


# --- F3: an e-mail convocation sent after letters kept the letters' date -----------------------


def test_an_email_after_letters_dates_the_convocation_of_the_members_it_convenes(
    bondy, director, django_capture_on_commit_callbacks
):
    board_with_addresses(bondy, "bondy.fr")
    meeting = upcoming_meeting(bondy, days=2)
    with schema_context(bondy.schema_name):
        letter = BoardMember.objects.get(last_name="Asso3")  # the one without an address
    today = timezone.localdate()
    director.post(
        f"/conseil/seances/{meeting.pk}/convocation-papier/",
        {"day": f"{today - timedelta(days=5):%Y-%m-%d}", "convened": [letter.pk]},
    )
    sent = send(director, meeting, django_capture_on_commit_callbacks)
    assert "« Convocation adressée le » est renseignée" in text_of(sent)
    page = text_of(director.get(f"/conseil/seances/{meeting.pk}/"))
    assert "Convocation adressée 2 jours avant" in page
    with schema_context(bondy.schema_name):
        assert BoardMeeting.objects.get(pk=meeting.pk).convened_on == today


def test_sending_again_to_the_same_members_keeps_the_first_date(
    bondy, director, django_capture_on_commit_callbacks
):
    board_with_addresses(bondy, "bondy.fr")
    meeting = upcoming_meeting(bondy, days=10)
    send(director, meeting, django_capture_on_commit_callbacks)
    with schema_context(bondy.schema_name):
        first = BoardMeeting.objects.get(pk=meeting.pk)
        # As if sent a week ago: the second sending (a document added) is today.
        BoardMeeting.objects.filter(pk=meeting.pk).update(
            convened_on=first.convened_on - timedelta(days=7)
        )
    send(director, meeting, django_capture_on_commit_callbacks, again="on")
    with schema_context(bondy.schema_name):
        assert BoardMeeting.objects.get(pk=meeting.pk).convened_on == first.convened_on - timedelta(
            days=7
        )
        assert meeting.convocation_sendings.count() == 2


# --- F4: « nouvelle convocation faute de quorum » without the séance that lacked it ------------


def test_convened_again_without_a_seance_lacking_quorum_keeps_the_quorum(bondy, director):
    make_board(bondy)
    with schema_context(bondy.schema_name):
        alone = record(date(2026, 3, 10), present=1, reconvened=True)
    listing = text_of(director.get("/conseil/seances/"))
    assert "sans condition de quorum" not in listing
    assert "quorum non atteint" in listing
    page = text_of(director.get(f"/conseil/seances/{alone.pk}/"))
    assert (
        "« Nouvelle convocation faute de quorum » est cochée, mais aucune séance précédente "
        "n'est enregistrée : le quorum s'applique" in page
    )
    api = director.get("/api/v1/board/meetings/").json()
    assert api[0]["reconvened"] is True and api[0]["quorum"]["reached"] is False


def test_convened_again_after_a_seance_that_reached_it_keeps_the_quorum(bondy, director):
    make_board(bondy)
    with schema_context(bondy.schema_name):
        record(date(2026, 3, 3), present=6)
        again = record(date(2026, 3, 10), present=1, reconvened=True)
    page = text_of(director.get(f"/conseil/seances/{again.pk}/"))
    assert "la séance précédente, du 3 mars 2026, n'est pas enregistrée sans quorum" in page
    assert "Quorum non atteint : 1 membre présent sur 9" in page


def test_convened_again_after_a_seance_without_quorum_deliberates(bondy, director):
    make_board(bondy)
    with schema_context(bondy.schema_name):
        record(date(2026, 3, 3), present=2)
        again = record(date(2026, 3, 10), present=1, reconvened=True)
    listing = text_of(director.get("/conseil/seances/"))
    assert "sans condition de quorum" in listing
    page = text_of(director.get(f"/conseil/seances/{again.pk}/"))
    assert "Nouvelle convocation faute de quorum : le conseil délibère quel que soit" in page
    assert "est cochée, mais" not in page
    api = director.get("/api/v1/board/meetings/").json()
    assert api[0]["quorum"]["reached"] is True
