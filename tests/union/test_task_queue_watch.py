"""Staff and monitoring see when the task queue stops moving (no `db_worker` running)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from seminars.tasks import send_registration_email
from tests.conftest import host_client
from tests.seminars.conftest import make_seminar, organiser
from union.settings.base import TASK_BACKENDS
from union.task_queue import describe_wait, read_queue_state

pytestmark = pytest.mark.django_db

QUEUE = {"default": {"BACKEND": TASK_BACKENDS["database"]}}
STOPPED = "Les e-mails ne partent plus."


def _queue_emails(count: int, waited: timedelta) -> None:
    for number in range(count):
        send_registration_email.enqueue(number, "confirmed")
    DBTaskResult.objects.update(enqueued_at=timezone.now() - waited)


def _run_command(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("check_task_queue", *args, stdout=out)
    return out.getvalue()


def test_a_moving_queue_is_reported_in_order(settings):
    settings.TASKS = QUEUE
    _queue_emails(2, timedelta(seconds=20))
    later = send_registration_email.using(run_after=timezone.now() + timedelta(hours=1))
    later.enqueue(99, "reminder")  # not due yet: not waiting
    state = read_queue_state()
    assert (state.waiting, state.stalled) == (2, False)
    assert "File des tâches en ordre : 2 tâche(s) en attente" in _run_command()
    admin_home = host_client("localhost", organiser()).get("/admin/")
    assert 'id="task-queue' in admin_home.content.decode()
    assert STOPPED not in admin_home.content.decode()


def test_a_stalled_queue_warns_organisers_and_fails_the_monitoring_check(settings):
    seminar = make_seminar(seats=5)  # created while tasks still run at once
    settings.TASKS = QUEUE
    _queue_emails(3, timedelta(minutes=42))
    assert read_queue_state().stalled
    with pytest.raises(CommandError, match="n'avance plus : la plus ancienne attend depuis 42 min"):
        _run_command()
    assert "en ordre" in _run_command("--max-wait", "60")
    client = host_client("localhost", organiser())
    for url in ("/admin/", "/admin/inscriptions/", f"/admin/inscriptions/{seminar.pk}/"):
        page = client.get(url).content.decode()
        assert STOPPED in page, url
        assert "3 envois attendent depuis 42 min" in page, url


def test_failures_are_counted_and_only_superusers_get_the_tracebacks_link(settings):
    settings.TASKS = QUEUE
    _queue_emails(1, timedelta(minutes=1))
    DBTaskResult.objects.update(status="FAILED", finished_at=timezone.now())
    assert read_queue_state().failed_recently == 1
    superuser = get_user_model().objects.create_superuser("root@union.test", "root@union.test", "x")
    link = "/django-admin/django_tasks_database/dbtaskresult/?status__exact=FAILED"
    assert link in host_client("localhost", superuser).get("/admin/").content.decode()
    organiser_home = host_client("localhost", organiser()).get("/admin/").content.decode()
    assert 'id="task-queue' in organiser_home and link not in organiser_home


def test_without_a_queue_there_is_nothing_to_watch(settings):
    assert read_queue_state() is None  # tests run tasks at once, as development does
    assert "pas de file à surveiller" in _run_command("--allow-immediate")
    assert (
        'id="task-queue'
        not in host_client("localhost", organiser()).get("/admin/").content.decode()
    )


def test_waits_are_told_in_french_units():
    assert [describe_wait(timedelta(minutes=m)) for m in (3, 125, 60 * 24 * 4)] == [
        "3 min",
        "2 h 05",
        "4 j",
    ]
