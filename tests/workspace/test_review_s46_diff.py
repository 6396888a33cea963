"""Session 46's adversarial review of its own first commits (helper session, read-only): the
waiver of a séance convened again read only the previous séance's box, a séance without a board
or of the same earlier day misled it, the président(e) made an e-mail after the letters « late »,
and PUT /api/v1/profile/ answered a service without its kind with a 500. Each fixed finding with
its test."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import Membership
from tenants.workspace import meetings
from tenants.workspace.models import BoardMeeting, BoardMember
from tests.conftest import make_person, member_client
from tests.workspace.conftest import make_board
from tests.workspace.test_board_convocation_s37 import (
    board_with_addresses,
    send,
    text_of,
    upcoming_meeting,
)
from tests.workspace.test_review_s46_board import record

pytestmark = pytest.mark.django_db
WAIVED = "Nouvelle convocation faute de quorum : le conseil délibère quel que soit"


@pytest.fixture
def director(bondy):
    return member_client(bondy, make_person(bondy, "dir@bondy.test"))


def test_after_a_seance_ticked_by_mistake_that_lacked_quorum_the_next_one_deliberates(
    bondy, director
):
    make_board(bondy)
    with schema_context(bondy.schema_name):
        record(date(2026, 2, 3), present=6)
        lacking = record(date(2026, 3, 3), present=2, reconvened=True)  # ticked by mistake
        again = record(date(2026, 3, 10), present=1, reconvened=True)
    assert "Quorum non atteint" in text_of(director.get(f"/conseil/seances/{lacking.pk}/"))
    page = text_of(director.get(f"/conseil/seances/{again.pk}/"))
    assert WAIVED in page
    listing = text_of(director.get("/conseil/seances/"))
    assert listing.count("sans condition de quorum") == 1


def test_a_seance_without_a_board_does_not_waive_the_next_quorum(bondy, director):
    make_board(bondy)
    with schema_context(bondy.schema_name):
        BoardMeeting.objects.create(date=date(2019, 3, 3))  # nobody in office then
        again = BoardMeeting.objects.create(date=date(2020, 9, 10), reconvened=True)
    page = text_of(director.get(f"/conseil/seances/{again.pk}/"))
    assert "est cochée, mais la séance précédente, du 3 mars 2019" in page


def test_the_last_seance_of_the_earlier_day_is_the_previous_one(bondy, director):
    make_board(bondy)
    with schema_context(bondy.schema_name):
        lacking = record(date(2026, 3, 3), present=2)
        BoardMeeting.objects.filter(pk=lacking.pk).update(time=time(9))
        BoardMeeting.objects.create(date=date(2026, 3, 3))  # entered twice, without time
        again = record(date(2026, 3, 10), present=1, reconvened=True)
    assert WAIVED in text_of(director.get(f"/conseil/seances/{again.pk}/"))


def test_letters_to_all_but_the_president_then_an_email_keep_the_letters_date(
    bondy, director, django_capture_on_commit_callbacks
):
    board_with_addresses(bondy, "bondy.fr")
    meeting = upcoming_meeting(bondy, days=2)
    with schema_context(bondy.schema_name):
        letters = [
            m
            for m in meetings.members_in_office(meeting.date)
            if m.seat != BoardMember.Seat.PRESIDENT
        ]
    week_ago = timezone.localdate() - timedelta(days=7)
    director.post(
        f"/conseil/seances/{meeting.pk}/convocation-papier/",
        {"day": f"{week_ago:%Y-%m-%d}", "convened": [m.pk for m in letters]},
    )
    send(director, meeting, django_capture_on_commit_callbacks)
    with schema_context(bondy.schema_name):
        assert BoardMeeting.objects.get(pk=meeting.pk).convened_on == week_ago


def test_a_profile_put_with_a_service_without_its_kind_is_refused(bondy):
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    client = member_client(bondy, agent)
    response = client.put(
        "/api/v1/profile/",
        {"services": [{"label": "Épicerie du quartier"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "kind" in str(response.json()["services"])
