"""With production's queue in PostgreSQL, a registration's e-mail is queued in the registration's
own transaction: both are committed together, or neither is."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from seminars.models import Registration
from seminars.services import cancel_registration, register_person
from tests.seminars.conftest import make_seminar, person
from union.settings.base import TASK_BACKENDS

pytestmark = pytest.mark.django_db

QUEUE = {"default": {"BACKEND": TASK_BACKENDS["database"]}}
EMAIL_TASK = "seminars.tasks.send_registration_email"


class Abandoned(Exception):
    pass


def _queued_emails() -> list[list]:
    return [
        row["args"]
        for row in DBTaskResult.objects.filter(task_path=EMAIL_TASK).values_list(
            "args_kwargs", flat=True
        )
    ]


def test_the_email_is_queued_inside_the_registration_transaction(settings):
    settings.TASKS = QUEUE
    seminar = make_seminar(seats=1)
    with transaction.atomic():
        first, _ = register_person(seminar, person(1))
        # Before any commit: the task row is part of the same transaction.
        assert _queued_emails() == [[first.pk, "confirmed"]]
        second, _ = register_person(seminar, person(2))
    assert second.status == Registration.Status.WAITLISTED
    assert _queued_emails() == [[first.pk, "confirmed"], [second.pk, "waitlisted"]]


def test_a_rolled_back_registration_leaves_no_email_in_the_queue(settings):
    settings.TASKS = QUEUE
    seminar = make_seminar(seats=1)
    kept, _ = register_person(seminar, person(1))
    with pytest.raises(Abandoned), transaction.atomic():
        register_person(seminar, person(2))
        cancel_registration(kept)  # queues « cancelled » and the promotion of the second
        raise Abandoned
    assert list(seminar.registrations.values_list("email", "status")) == [
        ("personne1@exemple.fr", "confirmed")
    ]
    assert _queued_emails() == [[kept.pk, "confirmed"]]
