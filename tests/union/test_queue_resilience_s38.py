"""Audit A26 #1 (session 38): a worker killed in the middle of an organiser's message no longer
leaves it half sent, nor its task RUNNING for ever.

- A task that writes to many people (« Écrire aux inscrits », « Écrire aux membres », the
  board's convocation) queues each message as its own `deliver_email`, all in one transaction
  (`union.mail.queueing_each_message`): a failure in the middle queues nothing and sends
  nothing, the task run again sends each message exactly once; its own row is marked done in
  that same commit, so a worker killed just after it cannot leave it to be run again.
- A task RUNNING for longer than TASK_STALLED_AFTER_MINUTES is « interrompue »: the queue's
  state counts it, `check_task_queue` exits 1 naming it, `--requeue-stalled` (or « Relancer » on
  the admin home) sets it back to READY; a task running for a minute is left alone.

Production's PostgreSQL queue and the worker's own `run_task`, as in test_queued_email_s17.
"""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from seminars.services import register_person
from seminars.tasks import send_message_task
from tenants.tasks import send_network_message_task
from tests.seminars.conftest import make_seminar, person
from tests.tenants.test_network_message_s37 import contact, network  # noqa: F401 (fixtures)
from tests.union.test_queued_email_s17 import (
    QUEUE,
    deliveries,
    payload,
    queued_mailers,
    run_due_deliveries,
    run_task,
)
from union import roles
from union.mail import BULK_PRIORITY
from union.models import AuditEntry
from union.task_queue import read_queue_state

pytestmark = pytest.mark.django_db

REQUEUE = "/admin/taches/relancer/"


@pytest.fixture
def queue(settings):
    settings.TASKS = QUEUE
    settings.MAILERS = queued_mailers()
    return settings


def registrants(count: int) -> list[int]:
    seminar = make_seminar("Atelier du jeudi", seats=count + 5)
    return [register_person(seminar, person(n), notify=False)[0].pk for n in range(1, count + 1)]


def message_task_row(ids: list[int]) -> DBTaskResult:
    send_message_task.enqueue(ids, "Changement de salle", "Salle B, au 2e étage.")
    return DBTaskResult.objects.get(task_path=send_message_task.module_path, status="READY")


def recipients_sent() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


# --- a message to many: one delivery each, in one transaction ---------------------------------


def test_an_organisers_message_queues_one_delivery_per_registrant(queue):
    ids = registrants(5)
    row = run_task(message_task_row(ids))
    assert row.status == "SUCCESSFUL" and row.return_value == 5
    # The task delivered nothing itself: five deliveries wait, each with its retries to come.
    assert mail.outbox == []
    queued = list(deliveries().filter(status="READY"))
    assert len(queued) == 5
    for delivery in queued:
        assert delivery.args_kwargs["args"][1] == 1  # a first attempt
        # Behind a password reset someone waits for (priority 10), among the reminders.
        assert delivery.priority == BULK_PRIORITY < 10
        origin = payload(delivery)["origin"]
        assert origin == {
            "task": send_message_task.module_path,
            "args": [ids, "Changement de salle", "Salle B, au 2e étage."],
            "kwargs": {},
        }
    run_due_deliveries()
    assert recipients_sent() == [f"personne{n}@exemple.fr" for n in range(1, 6)]


def test_a_failure_in_the_middle_queues_nothing_and_the_task_run_again_sends_each_once(
    queue, monkeypatch
):
    from seminars import emails

    ids = registrants(5)
    built = emails.organiser_message
    calls = {"count": 0}

    def failing_on_the_third(*args, **kwargs):
        calls["count"] += 1
        if calls["count"] == 3:
            raise ConnectionResetError("le worker meurt ici")
        return built(*args, **kwargs)

    monkeypatch.setattr(emails, "organiser_message", failing_on_the_third)
    row = run_task(message_task_row(ids))
    assert row.status == "FAILED"
    assert not deliveries().exists()
    assert mail.outbox == []

    # Run again (as `--requeue-stalled` or a new click would): each person gets it once.
    monkeypatch.setattr(emails, "organiser_message", built)
    DBTaskResult.objects.filter(pk=row.pk).update(status="READY", run_after=timezone.now())
    row.refresh_from_db()
    assert run_task(row).status == "SUCCESSFUL"
    run_due_deliveries()
    assert recipients_sent() == [f"personne{n}@exemple.fr" for n in range(1, 6)]


def test_a_worker_killed_just_after_the_commit_leaves_the_task_done_not_running(queue, monkeypatch):
    """The worker's own « successful » update never happens (killed between the task's commit
    and it): the row already says done, so nothing would requeue it and send twice."""
    ids = registrants(3)
    monkeypatch.setattr(DBTaskResult, "set_successful", lambda self, value: None)
    row = run_task(message_task_row(ids))
    assert row.status == "SUCCESSFUL" and row.finished_at is not None
    assert deliveries().filter(status="READY").count() == 3
    assert read_queue_state().interrupted == ()


def test_the_unions_message_to_its_members_is_queued_each_too(queue, network):  # noqa: F811
    from tenants.network_message import Audience, choose_recipients

    ids = choose_recipients(Audience()).membership_ids
    assert send_network_message_task.call(ids, "Objet", "Texte", []) == 2
    assert mail.outbox == []
    assert deliveries().filter(status="READY").count() == 2
    run_due_deliveries()
    assert recipients_sent() == ["claire@bondy.test", "paul@montreuil.test"]


# --- a task the worker never finished ------------------------------------------------------


def running_since(row: DBTaskResult, ago: timedelta) -> DBTaskResult:
    row.claim("ancien-worker")
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - ago)
    row.refresh_from_db()
    return row


def test_a_task_running_for_two_hours_is_seen_requeued_and_completed(queue):
    ids = registrants(2)
    stalled = running_since(message_task_row(ids), timedelta(hours=2))
    send_message_task.enqueue(ids, "Autre", "Un autre message.")
    live = DBTaskResult.objects.get(task_path=send_message_task.module_path, status="READY")
    live = running_since(live, timedelta(minutes=1))

    state = read_queue_state()
    (interrupted,) = state.interrupted
    assert interrupted.task_id == str(stalled.pk)
    assert interrupted.name == "send_message_task"

    with pytest.raises(CommandError) as raised:
        call_command("check_task_queue", stdout=StringIO())
    text = str(raised.value)
    assert raised.value.returncode == 1
    assert "1 tâche interrompue" in text and "send_message_task" in text
    local = timezone.localtime(stalled.started_at)
    assert f"commencée le {local:%d/%m/%Y}" in text
    assert "--requeue-stalled" in text

    out = StringIO()
    call_command("check_task_queue", "--requeue-stalled", stdout=out)
    assert "Tâche relancée\u00a0: send_message_task" in out.getvalue()
    stalled.refresh_from_db()
    live.refresh_from_db()
    assert stalled.status == "READY" and stalled.run_after <= timezone.now()
    assert live.status == "RUNNING"  # a minute: a worker is on it
    entry = AuditEntry.objects.get(action="task.requeued")
    assert entry.details == {"count": 1, "tasks": ["send_message_task"], "via": "check_task_queue"}

    assert run_task(stalled).status == "SUCCESSFUL"
    run_due_deliveries()
    assert recipients_sent() == ["personne1@exemple.fr", "personne2@exemple.fr"]
    assert read_queue_state().interrupted == ()


def test_at_the_start_of_the_only_worker_every_running_task_is_requeued(queue):
    row = running_since(message_task_row(registrants(1)), timedelta(minutes=1))
    call_command("check_task_queue", "--requeue-stalled", stdout=StringIO())
    row.refresh_from_db()
    assert row.status == "RUNNING"
    call_command("check_task_queue", "--requeue-stalled", "--stalled-after", "0", stdout=StringIO())
    row.refresh_from_db()
    assert row.status == "READY"


def test_the_threshold_is_a_setting(queue):
    row = running_since(message_task_row(registrants(1)), timedelta(minutes=20))
    assert read_queue_state().interrupted == ()
    queue.TASK_STALLED_AFTER_MINUTES = 15
    assert [task.task_id for task in read_queue_state().interrupted] == [str(row.pk)]


# --- the admin home ----------------------------------------------------------------------------


def staff(group: str) -> Client:
    user = get_user_model().objects.create_user(f"{group}@union.test", f"{group}@union.test", "x")
    user.groups.add(Group.objects.get(name=group))
    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_the_admin_home_shows_it_and_an_administrator_relaunches_it(queue):
    stalled = running_since(message_task_row(registrants(1)), timedelta(hours=2))

    organiser = staff(roles.EVENT_ORGANISER)
    home = organiser.get("/admin/").content.decode()
    assert "Tâches interrompues" in home and "send_message_task" in home
    assert "Relancer" not in home
    refused = organiser.post(REQUEUE, {"task": str(stalled.pk)})
    assert refused.status_code in (403, 302)
    stalled.refresh_from_db()
    assert stalled.status == "RUNNING"

    admin = staff(roles.UNION_ADMIN)
    home = admin.get("/admin/").content.decode()
    assert "Tâches interrompues" in home and "Relancer" in home
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home).group(1)
    response = admin.post(
        REQUEUE, {"task": str(stalled.pk), "csrfmiddlewaretoken": token}, follow=True
    )
    assert response.status_code == 200
    said = [str(message) for message in response.context["messages"]]
    assert said == ["Tâche relancée\u00a0: send_message_task."]
    stalled.refresh_from_db()
    assert stalled.status == "READY"
    assert AuditEntry.objects.get(action="task.requeued").details["via"] == "admin"
    assert "Tâches interrompues" not in admin.get("/admin/").content.decode()
