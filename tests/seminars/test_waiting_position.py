"""People on the waiting list are told their position, in the order seats go to them."""

import pytest

from seminars.links import make_token
from seminars.services import cancel_registration, register_person
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db


def test_the_personal_page_and_the_email_give_the_position_on_the_waiting_list(
    portal, mailoutbox, django_capture_on_commit_callbacks
):
    seminar = make_seminar(seats=1)
    first, _ = register_person(seminar, person(1))
    with django_capture_on_commit_callbacks(execute=True):
        second, _ = register_person(seminar, person(2))
        third, _ = register_person(seminar, person(3))
    assert (first.waiting_position(), second.waiting_position(), third.waiting_position()) == (
        None,
        1,
        2,
    )
    waiting_emails = {m.to[0]: m.body for m in mailoutbox if "Liste d'attente" in m.subject}
    assert "en 1re position" in waiting_emails[second.email]
    assert "en 2e position" in waiting_emails[third.email]
    page = portal.get(f"/evenements/inscription/{make_token(third)}/").content.decode()
    assert "2e position" in page

    cancel_registration(first)  # the second gets the seat: the third moves up
    third.refresh_from_db()
    assert third.waiting_position() == 1
    page = portal.get(f"/evenements/inscription/{make_token(third)}/").content.decode()
    assert "1re position" in page
    confirmed = portal.get(f"/evenements/inscription/{make_token(second)}/").content.decode()
    assert "position" not in confirmed


def test_the_organisers_list_shows_each_waiting_persons_position(organiser_client):
    seminar = make_seminar(seats=1)
    register_person(seminar, person(1, nom="Zola"))
    for number, name in ((2, "Martin"), (3, "Abel")):
        register_person(seminar, person(number, nom=name))
    page = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/").content.decode()
    # In the order seats go to them, whatever their names.
    assert page.index("MARTIN") < page.index("(1re") < page.index("ABEL") < page.index("(2e")
    filtered = organiser_client.get(
        f"/admin/inscriptions/{seminar.pk}/", {"status": "waitlisted"}
    ).content.decode()
    assert "ZOLA" not in filtered and "(2e" in filtered  # filtered, with the real positions


def test_no_waiting_list_email_once_promoted_before_it_left(mailoutbox):
    from seminars.tasks import send_registration_email

    seminar = make_seminar(seats=1)
    first, _ = register_person(seminar, person(1))
    second, _ = register_person(seminar, person(2))
    cancel_registration(first)  # the second is promoted before the worker sends « waitlisted »
    mailoutbox.clear()
    assert send_registration_email.call(second.pk, "waitlisted") is False
    assert mailoutbox == []


def test_no_reminder_once_cancelled_before_it_left(mailoutbox):
    from seminars.tasks import send_registration_email

    seminar = make_seminar(seats=2)
    kept, _ = register_person(seminar, person(1))
    gone, _ = register_person(seminar, person(2))
    cancel_registration(gone)  # after the reminders were queued, before the worker sent them
    mailoutbox.clear()
    assert send_registration_email.call(gone.pk, "reminder") is False
    assert send_registration_email.call(kept.pk, "reminder") is True
    assert [message.to for message in mailoutbox] == [[kept.email]]
