"""Review s29 (H2): events' dates and times as the organiser (Europe/Paris) and the participant
see them: the calendar file kept on a shared agenda, the reminder of an event moved later and
the day the reminder goes, what the e-mails say of the cut-off once it has passed, and the Paris
wall clock on DST days."""

import html
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from icalendar import Calendar

from seminars.ics import seminar_ics
from seminars.links import page_path
from seminars.models import Registration
from seminars.services import register_person, send_due_reminders
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def ics_of(message) -> bytes:
    content = next(a[1] for a in message.attachments if a[0].endswith(".ics"))
    return content.encode() if isinstance(content, str) else content


def move(seminar, by: timedelta) -> None:
    seminar.start += by
    seminar.end += by
    seminar.save()


# 1. The .ics on a shared agenda carries no personal link -------------------------------------


def test_the_attached_ics_carries_no_personal_link_but_still_the_ateliers(
    mailoutbox, django_capture_on_commit_callbacks
):
    """A town hall's shared agenda shows the event's description to every colleague: the
    personal link there let any of them cancel the registration or read the stored needs and
    phone. The link stays in the e-mail's body; the file says where to find it."""
    seminar = make_seminar("Journée des adjoints", ateliers=(("Budget", 1, 2, 10),))
    budget = seminar.ateliers.get()
    with django_capture_on_commit_callbacks(execute=True):
        register_person(seminar, person(1, ateliers=[budget.pk]))
    (message,) = mailoutbox
    assert "/evenements/inscription/" in message.body  # the e-mail keeps it
    ics = ics_of(message)
    assert b"/evenements/inscription/" not in ics.replace(b"\r\n ", b"")
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    description = str(event["DESCRIPTION"])
    assert "Budget (" in description
    assert "lien personnel" in description and "/evenements/mes-inscriptions/" in description
    assert str(event["URL"]).endswith(page_path(seminar))


# 2. The reminder of an event moved later -----------------------------------------------------


def test_an_event_moved_later_is_reminded_again_before_its_new_date(
    mailoutbox, django_capture_on_commit_callbacks
):
    """Reminded two days before 5 December, the event is put off to January: the reminder of
    5 December was the only one, and nobody was reminded of the new date."""
    seminar = make_seminar("Congrès", days_ahead=2)
    register_person(seminar, person(1), notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 1
    move(seminar, timedelta(days=40))
    assert send_due_reminders() == 0  # not due yet for the new date
    seminar.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(now=seminar.start - timedelta(days=2)) == 1
    assert [m.subject for m in mailoutbox] == ["Rappel\u00a0: Congrès"] * 2


def test_an_event_moved_by_a_few_hours_is_not_reminded_twice(
    mailoutbox, django_capture_on_commit_callbacks
):
    seminar = make_seminar("Commission", days_ahead=2)
    register_person(seminar, person(1), notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 1
    move(seminar, timedelta(hours=5))
    assert send_due_reminders() == 0
    assert send_due_reminders(now=timezone.now() + timedelta(days=1)) == 0


# 3. What the e-mails say of the cut-off once it has passed -----------------------------------


def test_a_reminder_after_the_cut_off_does_not_offer_to_cancel_until_a_past_date(
    mailoutbox, django_capture_on_commit_callbacks
):
    """Changes close a week before (« modifications possibles jusqu'au »), the reminder goes
    three days before: it said « ou vous désinscrire (jusqu'au <a date already gone>) »."""
    seminar = make_seminar(
        "Séminaire ABS", days_ahead=2, changes_until=timezone.now() - timedelta(days=5)
    )
    register_person(seminar, person(1), notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 1
    (reminder,) = mailoutbox
    texts = [reminder.body, html.unescape(reminder.alternatives[0][0])]
    for text in texts:
        flat = " ".join(text.split())
        assert "vous désinscrire" not in flat
        assert "Pour consulter votre inscription :" in flat
        assert "/evenements/inscription/" in flat
    (event,) = Calendar.from_ical(ics_of(reminder)).walk("VEVENT")
    assert "désinscrire" not in str(event["DESCRIPTION"])


# 4. Guards: the Paris wall clock on DST days, months, `?mois=` -------------------------------


@pytest.mark.parametrize(
    "local_start",
    [datetime(2026, 3, 29, 9, 30, tzinfo=PARIS), datetime(2026, 10, 25, 9, 30, tzinfo=PARIS)],
)
def test_dst_sundays_read_the_same_paris_time_on_the_page_and_in_the_ics(portal, local_start):
    seminar = make_seminar("Rencontre du dimanche", days_ahead=200)
    seminar.start, seminar.end = local_start, local_start + timedelta(hours=8)
    seminar.save()
    (event,) = Calendar.from_ical(seminar_ics(seminar)).walk("VEVENT")
    assert event.decoded("DTSTART").astimezone(PARIS).replace(tzinfo=None) == datetime(
        local_start.year, local_start.month, local_start.day, 9, 30
    )
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=8)
    page = " ".join(
        BeautifulSoup(portal.get(page_path(seminar)).content, "html.parser").text.split()
    )
    assert "dimanche" in page and "de 9 h 30 à 17 h 30" in page


def test_a_congress_over_new_year_shows_in_both_months_and_odd_months_do_not_fail(portal):
    seminar = make_seminar("Congrès d'hiver", days_ahead=200)
    seminar.start = datetime(2026, 12, 31, 14, 0, tzinfo=PARIS)
    seminar.end = datetime(2027, 1, 2, 12, 0, tzinfo=PARIS)
    seminar.save()
    for month in ("2026-12", "2027-01"):
        response = portal.get("/evenements/", {"mois": month})
        assert response.status_code == 200 and "Congrès d'hiver" in html.unescape(
            response.content.decode()
        )
    assert "Congrès d'hiver" not in html.unescape(
        portal.get("/evenements/", {"mois": "2027-02"}).content.decode()
    )
    for odd in ("13", "0", "1899", "texte", "2026-00", "9999-12", "0001-01", "-1", "２"):
        response = portal.get("/evenements/", {"mois": odd})
        assert response.status_code == 200, odd
    assert Registration.objects.count() == 0


# 5. « Quelques jours avant »: the day of the reminder, in Paris ------------------------------


def at_paris(day: int, month: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("event_start", "cron", "reminded"),
    [
        # The daily run at 7 h on Monday 7 December reminds Thursday's 9 h 30 event: three days
        # before, as SEMINAR_REMINDER_DAYS (3) says; it used to wait for Tuesday (72 hours).
        (at_paris(10, 12, 9, 30), at_paris(7, 12, 7), True),
        (at_paris(10, 12, 23, 30), at_paris(7, 12, 7), True),
        (at_paris(11, 12, 0, 30), at_paris(7, 12, 7), False),  # Friday: Tuesday's run
        # Across the DST Sunday (29 March 2026): Thursday's run reminds Sunday's event, not
        # Monday's at 0 h 30.
        (at_paris(29, 3, 9, 30), at_paris(26, 3, 7), True),
        (at_paris(30, 3, 0, 30), at_paris(26, 3, 7), False),
        (at_paris(25, 10, 23, 30), at_paris(22, 10, 7), True),
        (at_paris(26, 10, 0, 30), at_paris(22, 10, 7), False),
    ],
)
def test_the_reminder_goes_the_set_number_of_days_before_in_paris(event_start, cron, reminded):
    seminar = make_seminar("Commission", days_ahead=400)
    register_person(seminar, person(1), notify=False)
    seminar.start, seminar.end = event_start, event_start + timedelta(hours=1)
    seminar.save()
    assert send_due_reminders(now=cron) == int(reminded)
    # Reminded once for its date, whatever the following days' runs.
    for later in range(1, 4):
        assert send_due_reminders(now=cron + timedelta(days=later)) == int(
            not reminded and later == 1
        )


def test_the_event_page_does_not_offer_changes_until_a_date_gone(portal):
    """Changes closed yesterday, registrations still open (H2's proposal, done by the lead): the
    page said « changement d'ateliers ou désinscription jusqu'au <yesterday> »."""
    now = timezone.now()
    seminar = make_seminar(
        "Séminaire ABS",
        days_ahead=5,
        registration_closes=now + timedelta(days=4),
        changes_until=now - timedelta(days=1),
    )
    text = " ".join(
        BeautifulSoup(portal.get(page_path(seminar)).content, "html.parser").text.split()
    )
    assert "désinscription jusqu'au" not in text
    assert "ne peut plus être changée ni annulée en ligne depuis le" in text
    seminar.changes_until = now + timedelta(days=2)
    seminar.save()
    text = " ".join(
        BeautifulSoup(portal.get(page_path(seminar)).content, "html.parser").text.split()
    )
    assert "changement d'ateliers ou désinscription jusqu'au" in text
