"""`check_task_queue --fail-on-undelivered MINUTES` (eighteenth session): supervision is told, once,
of an e-mail that failed for good, by a distinct exit code (2; a stalled queue stays 1)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.mail import send_mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.union.test_queued_email_s17 import (
    QUEUE,
    deliveries,
    queued_mailers,
    run_due_deliveries,
    time_passes,
    unreachable_smtp,
)
from union.mail import MAX_ATTEMPTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreachable_mail_server(settings):
    """Production's queue and mailers, the mail server refusing every connection."""
    settings.TASKS = QUEUE
    settings.MAILERS = queued_mailers(unreachable_smtp())


def fail_for_good(subject: str) -> None:
    send_mail(subject, "Bonjour", None, ["elu@exemple.fr"])
    for _attempt in range(MAX_ATTEMPTS):
        time_passes()
        run_due_deliveries()
    assert deliveries().filter(status="FAILED").count() == 1


def test_an_email_failed_within_the_window_exits_2_and_names_it(unreachable_mail_server):
    fail_for_good("Invitation à l'espace du CCAS")

    # Without the option the exit code still only says whether the queue moves.
    call_command("check_task_queue", stdout=StringIO())

    with pytest.raises(CommandError) as raised:
        call_command("check_task_queue", "--fail-on-undelivered", "5", stdout=StringIO())
    assert raised.value.returncode == 2
    message = str(raised.value)
    assert message.startswith("1 e-mail(s) non remis depuis le ")
    assert "« Invitation à l'espace du CCAS » pour elu@exemple.fr" in message
    assert "refaites l'action qui l'envoyait" in message

    # Ten minutes later, the next run of a five-minute cron no longer reports it.
    deliveries().filter(status="FAILED").update(
        finished_at=deliveries().get(status="FAILED").finished_at - timedelta(minutes=10)
    )
    out = StringIO()
    call_command("check_task_queue", "--fail-on-undelivered", "5", stdout=out)
    assert "File des tâches en ordre" in out.getvalue()
    assert "Invitation à l'espace du CCAS" in out.getvalue()  # still listed over 7 days


def test_a_stalled_queue_keeps_exit_code_1(unreachable_mail_server):
    send_mail("Rappel", "Bonjour", None, ["elu@exemple.fr"])  # waits: no worker runs
    deliveries().update(enqueued_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(CommandError) as raised:
        call_command("check_task_queue", "--fail-on-undelivered", "5", stdout=StringIO())
    assert raised.value.returncode == 1
    assert "La file des tâches n'avance plus" in str(raised.value)
