"""Session 39: an organiser who publishes two corrections in a row (the time, then the room)
sends one « Événement modifié », not two. With the production queue, the e-mail waits
CHANGE_NOTICE_WAIT after a publication; a person whose e-mail still waits gets no second one,
and the one she gets says everything that moved since (it is written when it goes). A change
moved back before it goes sends nothing; an event that starts within a day is told at once."""

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from seminars.models import SeminarPage
from seminars.services import CHANGE_NOTICE_WAIT, cancel_registration, register_person
from seminars.tasks import send_event_changed_email
from tests.seminars.conftest import make_seminar, person
from tests.seminars.test_task_queue import make_worker
from tests.union.test_queued_email_s17 import queue  # noqa: F401 (fixture: production's queue)
from union.formats import french_time
from union.models import AuditEntry

# Production's queue (PostgreSQL) for every test: only there does an e-mail wait.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queue")]

NBSP = "\u00a0"


def published_event(days_ahead: float) -> SeminarPage:
    """Published with two people registered, their confirmations delivered and cleared."""
    seminar = make_seminar("Journée de l'accès aux droits", days_ahead=days_ahead)
    seminar.save_revision().publish()
    seminar = SeminarPage.objects.get(pk=seminar.pk)
    register_person(seminar, person(1, nom="Zola"))
    register_person(seminar, person(2, nom="Abel"))
    run_ready_tasks()
    mail.outbox.clear()
    return seminar


def publish(seminar: SeminarPage, **changes) -> SeminarPage:
    draft = SeminarPage.objects.get(pk=seminar.pk)
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.save_revision().publish()
    return SeminarPage.objects.get(pk=seminar.pk)


def change_notices():
    return DBTaskResult.objects.filter(task_path=send_event_changed_email.module_path)


def run_ready_tasks() -> None:
    worker = make_worker()
    while row := DBTaskResult.objects.ready().first():
        row.claim("test")
        worker.run_task(row)


def time_passes() -> None:
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_two_corrections_in_a_row_make_one_email_that_says_both():
    seminar = published_event(days_ahead=20)
    later = seminar.start + timedelta(hours=1)
    seminar = publish(seminar, start=later, end=later + timedelta(hours=7))
    notices = list(change_notices())
    assert len(notices) == 2
    for notice in notices:
        wait = notice.run_after - notice.enqueued_at
        assert CHANGE_NOTICE_WAIT - timedelta(seconds=5) < wait <= CHANGE_NOTICE_WAIT
    run_ready_tasks()
    assert mail.outbox == []  # not yet: the organiser may correct something else

    publish(seminar, venue_name="Bourse du travail")
    assert change_notices().count() == 2  # no second e-mail queued
    second = AuditEntry.objects.filter(action="seminar.change_notified").order_by("-pk").first()
    assert second.details["already_waiting"] == 2 and second.details["count"] == 2
    assert second.details["queued"] == 0  # audit A30 #9: nobody counted twice over the entries
    first = AuditEntry.objects.filter(action="seminar.change_notified").order_by("pk").first()
    assert first.details["queued"] == 2

    time_passes()
    run_ready_tasks()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "personne1@exemple.fr",
        "personne2@exemple.fr",
    ]
    body = mail.outbox[0].body
    assert "Bourse du travail" in body and "Salle des fêtes" in body  # the place, then and now
    assert mail.outbox[0].subject == f"Événement modifié{NBSP}: Journée de l'accès aux droits"

    # Once sent, a new change is a new e-mail.
    mail.outbox.clear()
    publish(seminar, venue_name="Maison des associations")
    assert change_notices().filter(status="READY").count() == 2


def test_a_change_moved_back_before_the_email_goes_sends_nothing():
    seminar = published_event(days_ahead=20)
    seminar = publish(seminar, venue_name="Bourse du travail")
    publish(seminar, venue_name="Salle des fêtes")
    time_passes()
    run_ready_tasks()
    assert mail.outbox == []


def test_an_event_starting_within_a_day_is_told_at_once():
    seminar = published_event(days_ahead=0.5)
    publish(seminar, venue_name="Bourse du travail")
    assert change_notices().ready().count() == 2
    run_ready_tasks()
    assert len(mail.outbox) == 2


def test_an_event_moved_to_within_a_day_sends_what_waits_at_once():
    """Audit A30 #4: an e-mail queued 10 minutes out waited still after the event was moved to
    start in three hours."""
    seminar = published_event(days_ahead=20)
    seminar = publish(seminar, venue_name="Bourse du travail")
    assert change_notices().ready().count() == 0  # waiting
    soon = timezone.now() + timedelta(hours=3)
    publish(seminar, start=soon, end=soon + timedelta(hours=2))
    assert change_notices().count() == 2  # the same e-mails, not two more
    run_ready_tasks()
    assert len(mail.outbox) == 2
    assert "Bourse du travail" in mail.outbox[0].body  # both changes in it


def test_the_organiser_is_told_when_the_email_goes(organiser_client):
    """Audit A30 #5: after publishing, only « publiée »; the organiser could not tell that the
    e-mail waits, nor when it goes."""
    from tests.seminars.test_review_s19_admin import event_form

    seminar = published_event(days_ahead=20)
    later = seminar.start + timedelta(hours=1)
    form = event_form(seminar.title, later, later + timedelta(hours=7), seminar.seats, [])
    response = organiser_client.post(f"/admin/pages/{seminar.pk}/edit/", form, follow=True)
    assert response.status_code == 200
    page = html.unescape(response.content.decode()).replace(NBSP, " ")
    (notice,) = change_notices().values_list("run_after", flat=True)[:1]
    goes = french_time(timezone.localtime(notice)).replace(NBSP, " ")
    assert (
        f"« Événement modifié » partira à {goes} à 2 personnes "
        "inscrites : une correction publiée d'ici là sera dans le même e-mail." in page
    )


def test_someone_who_registers_again_meanwhile_is_not_told_of_what_her_confirmation_says():
    """Audit A30 #8: cancelled and registered again while « Événement modifié » waited, she got
    it after her new confirmation, of a place she had just registered for."""
    seminar = published_event(days_ahead=20)
    seminar = publish(seminar, venue_name="Bourse du travail")
    registration = seminar.registrations.get(email="personne1@exemple.fr")
    cancel_registration(registration)
    register_person(seminar, person(1, nom="Zola"))
    time_passes()
    run_ready_tasks()
    hers = [message.subject for message in mail.outbox if message.to == ["personne1@exemple.fr"]]
    assert any(subject.startswith("Inscription confirmée") for subject in hers), hers
    assert [message.to[0] for message in mail.outbox if "modifié" in message.subject] == [
        "personne2@exemple.fr"
    ]
    # Two links went, in her two confirmations; the notice withdrawn is not counted.
    registration.refresh_from_db()
    assert registration.links_sent == 2
