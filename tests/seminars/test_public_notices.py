"""Whoever types a registered address cannot fill its mailbox: the e-mails they can cause (an
update through the public form or API, a new link) leave at most once every ten minutes per
registration; within that time one more e-mail waits for its end and tells the latest state.

Tasks are queued in PostgreSQL, as in production, and read back from the queue."""

import json
from datetime import timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from seminars.models import Registration
from seminars.services import PUBLIC_NOTICE_INTERVAL, register_person
from tests.seminars.conftest import person
from union.settings.base import TASK_BACKENDS

pytestmark = pytest.mark.django_db

EMAIL_TASK = "seminars.tasks.send_registration_email"


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": TASK_BACKENDS["database"]}}


def queued_emails() -> list[tuple[str, bool]]:
    """(kind, deferred) of the queued registration e-mails, in the order they were queued."""
    rows = DBTaskResult.objects.filter(task_path=EMAIL_TASK).order_by("enqueued_at")
    return [
        (row.args_kwargs["args"][1], row.run_after.year < 9999 and row.run_after > row.enqueued_at)
        for row in rows
    ]


def register_over_the_api(portal, seminar, needs: str):
    # The registrant themselves, who changes their needs: under another name the address would be
    # refused (a shared mailbox is not taken over: test_review_s15_public.py).
    body = {
        "nom": "Durand",
        "needs": needs,
        "prenom": "Aïcha",
        "email": "aicha@exemple.fr",
        "commune": "Bondy",
        "fonction": "maire_adjoint",
        "consent": True,
    }
    return portal.post(
        f"/api/v1/seminars/{seminar.pk}/registrations/",
        json.dumps(body),
        content_type="application/json",
    )


def test_registering_an_address_again_and_again_sends_two_emails_per_ten_minutes(portal, seminar):
    assert register_over_the_api(portal, seminar, "").status_code == 201
    for number in range(5):
        assert register_over_the_api(portal, seminar, f"Repas {number}").status_code == 200

    assert queued_emails() == [("confirmed", False), ("updated", False), ("updated", True)]
    registration = Registration.objects.get(seminar=seminar)
    assert registration.needs == "Repas 4"  # every update is saved; only the e-mails wait
    _confirmed, first_update, deferred = DBTaskResult.objects.filter(task_path=EMAIL_TASK).order_by(
        "enqueued_at"
    )
    assert deferred.run_after == registration.public_notice_at
    waited = deferred.run_after - first_update.enqueued_at
    assert abs(waited - PUBLIC_NOTICE_INTERVAL) < timedelta(seconds=1)


def test_once_the_interval_is_over_the_next_update_is_told_at_once(portal, seminar):
    register_over_the_api(portal, seminar, "")
    register_over_the_api(portal, seminar, "Repas végétarien")
    Registration.objects.filter(seminar=seminar).update(
        public_notice_at=Registration.objects.get(seminar=seminar).public_notice_at
        - PUBLIC_NOTICE_INTERVAL
    )
    register_over_the_api(portal, seminar, "Repas sans gluten")

    assert queued_emails() == [("confirmed", False), ("updated", False), ("updated", False)]


def test_organisers_updates_are_not_held_back(seminar):
    data = person(1)
    register_person(seminar, data, source=Registration.Source.MANUAL)
    for _ in range(3):
        register_person(seminar, data, source=Registration.Source.MANUAL)

    assert queued_emails() == [("confirmed", False)] + [("updated", False)] * 3


def test_lost_link_requests_send_one_link_now_and_one_later(portal, seminar):
    register_person(seminar, person(1, email="aicha@exemple.fr"))
    url = f"/evenements/{seminar.pk}/nouveau-lien/"
    for _ in range(4):
        response = portal.post(url, {"email": "AICHA@exemple.fr"}, follow=True)
    assert "un message au plus toutes les dix minutes" in response.content.decode()
    portal.post(url, {"email": "inconnu@exemple.fr"})

    assert queued_emails() == [("confirmed", False), ("link", False), ("link", True)]
