"""Production's task queue: a registration stores its e-mail in PostgreSQL; `db_worker` sends it.

Committed for real (the queue row is written after the registration's commit, and the worker
claims it in its own transaction), then cleaned up.
"""

import json

import pytest
from django.core import mail
from django.test import Client
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from seminars.models import Registration, SeminarIndexPage, SeminarPage
from tests.conftest import run_committed
from tests.seminars.conftest import make_seminar
from union.settings.base import TASK_BACKENDS

pytestmark = [pytest.mark.django_db, pytest.mark.committed]

QUEUE = {"default": {"BACKEND": TASK_BACKENDS["database"]}}


def _register(seminar_id: int, email: str) -> int:
    response = Client(HTTP_HOST="localhost").post(
        f"/api/v1/seminars/{seminar_id}/registrations/",
        json.dumps(
            {
                "nom": "Durand",
                "prenom": "Aïcha",
                "email": email,
                "commune": "Bondy",
                "fonction": "maire_adjoint",
                "consent": True,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


EMAIL_TASK = "seminars.tasks.send_registration_email"


def _queued() -> dict[str, set[str]]:
    """Statuses by task; Wagtail queues its own (search index, references) beside ours."""
    statuses: dict[str, set[str]] = {}
    for path, status in DBTaskResult.objects.values_list("task_path", "status"):
        statuses.setdefault(path, set()).add(status)
    return statuses


def test_registration_queues_its_email_and_the_worker_sends_it(settings):
    settings.TASKS = QUEUE
    had_index = SeminarIndexPage.objects.exists()
    seminar_id = run_committed(lambda: make_seminar("Séminaire en file", seats=5).pk)
    mail.outbox = []
    try:
        _register_and_check(seminar_id)
    finally:
        run_committed(_clean, seminar_id, had_index)


def _register_and_check(seminar_id: int) -> None:
    registration_id = run_committed(_register, seminar_id, "aicha@exemple.fr")

    # The request only queued the e-mail: nothing is sent before the worker runs.
    assert mail.outbox == []
    assert run_committed(_queued)[EMAIL_TASK] == {"READY"}

    run_committed(_run_worker)

    # Every queued task ran, Wagtail's page-index tasks included (they live in public too).
    assert set().union(*run_committed(_queued).values()) == {"SUCCESSFUL"}
    (message,) = mail.outbox
    assert message.to == ["aicha@exemple.fr"]
    assert "confirmée" in message.subject
    (name, content, _type) = message.attachments[0]
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Séminaire en file"
    assert run_committed(lambda: Registration.objects.get(pk=registration_id).status) == (
        "confirmed"
    )


def make_worker() -> Worker:
    """`manage.py db_worker --batch`'s worker on the default queue, without its signal handlers."""
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )


def _run_worker() -> None:
    """`manage.py db_worker --batch`'s loop; in a thread, so without its signal handlers."""
    make_worker().run()


def _clean(seminar_id: int, had_index: bool) -> None:
    DBTaskResult.objects.all().delete()
    SeminarPage.objects.get(pk=seminar_id).delete()
    if not had_index:
        SeminarIndexPage.objects.all().delete()
