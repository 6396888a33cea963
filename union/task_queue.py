"""The state of the background-task queue (confirmation e-mails, reminders, Wagtail's indexing).

In production the tasks wait in PostgreSQL until `manage.py db_worker` runs them. If no worker
runs, registrations still succeed but nobody receives anything: this is what tells staff, and
monitoring, that the queue has stopped moving.

It also finds the tasks a worker claimed and never finished (killed by a restart after
TimeoutStopSec, the OOM killer, a reboot): django-tasks-db leaves them RUNNING for ever and
nothing of the library picks them up again. Past TASK_STALLED_AFTER_MINUTES they are
« interrompues », shown and put back in the queue on request (`requeue_interrupted_tasks`). The
tasks are made for it: the e-mail tasks last seconds (union.mail queues each message of a task
that writes to many, in one transaction), so one running that long is a dead worker's.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.tasks import Task, TaskResultStatus, task_backends
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.compat import normalize_json
from django_tasks_db.models import DBTaskResult, get_date_max

from union.formats import french_time
from union.insert import insert_new

# A task is normally picked up within seconds; ten minutes of waiting means no worker runs.
STALLED_AFTER = timedelta(minutes=10)
FAILURES_SHOWN_OVER = timedelta(days=7)
INTERRUPTED_SHOWN = 20


@dataclass(frozen=True)
class InterruptedTask:
    """A task RUNNING since longer than TASK_STALLED_AFTER_MINUTES: its worker died on it."""

    task_id: str
    task_path: str
    started_at: datetime

    @property
    def name(self) -> str:
        return self.task_path.rpartition(".")[2]

    @property
    def since(self) -> str:
        local = timezone.localtime(self.started_at)
        return f"{local:%d/%m/%Y} à {french_time(local)}"  # « 02/12/2026 à 14 h 05 »

    def __str__(self) -> str:
        return f"{self.name} ({self.task_path}), commencée le {self.since}"


@dataclass(frozen=True)
class QueueState:
    waiting: int  # tasks due and not started
    oldest_waiting_since: datetime | None
    failed_recently: int  # failed over FAILURES_SHOWN_OVER
    last_finished_at: datetime | None
    now: datetime
    # The e-mails among those failures (union.mail.FailedEmail): subject, recipients, reason.
    failed_emails: tuple = ()
    # Tasks a worker claimed and never finished (InterruptedTask), the oldest first.
    interrupted: tuple = ()

    @property
    def waited(self) -> timedelta:
        return self.now - self.oldest_waiting_since if self.oldest_waiting_since else timedelta()

    @property
    def waited_label(self) -> str:
        return describe_wait(self.waited)

    @property
    def stalled(self) -> bool:
        return self.waited > STALLED_AFTER


class QueueInPostgreSQL(DatabaseBackend):
    """django-tasks-db's queue (TASKS_BACKEND=database), each task's row inserted with a statement
    compiled once (union.insert): every registration queues its e-mail, and compiling that INSERT
    again each time was a third of the enqueueing. The row is the library's own, as its
    `_task_to_db_task` makes it; `enqueue` (checks, signal, result) is the library's."""

    def _task_to_db_task(self, task, args, kwargs) -> DBTaskResult:
        row = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )
        insert_new(row)
        return row


def uses_database_queue() -> bool:
    """False when tasks run at once (development, tests): then nothing can wait."""
    return isinstance(task_backends["default"], DatabaseBackend)


def enqueue_with_transaction(task: Task, *args, run_after: datetime | None = None) -> None:
    """Queue `task` so that it runs if, and only if, the current transaction commits; not before
    `run_after` if given (a backend that runs tasks at once runs it at the commit).

    A queue kept in PostgreSQL takes the task inside the transaction itself: the task and the
    writes it reports on are committed together, so an e-mail cannot be lost to a process stopped
    just after the commit, and the request saves a second commit. A backend that runs tasks at
    once (development, tests) waits for the commit instead, so that a rolled-back write sends
    nothing.
    """
    if uses_database_queue():
        (task.using(run_after=run_after) if run_after else task).enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


def read_queue_state(now: datetime | None = None) -> QueueState | None:
    """The queue in one query, or None when tasks are not queued in the database."""
    if not uses_database_queue():
        return None
    now = now or timezone.now()
    due = Q(status=TaskResultStatus.READY) & (Q(run_after=get_date_max()) | Q(run_after__lte=now))
    totals = DBTaskResult.objects.aggregate(
        waiting=Count("pk", filter=due),
        oldest=Min("enqueued_at", filter=due),
        # An e-mail an administrator resent since (union.mail.resend_failed_emails) is dealt
        # with: it no longer counts as a failure.
        failed=Count(
            "pk",
            filter=Q(status=TaskResultStatus.FAILED, finished_at__gte=now - FAILURES_SHOWN_OVER)
            & ~Q(args_kwargs__args__0__has_key="resent_at"),
        ),
        last_finished=Max("finished_at"),
        interrupted=Count("pk", filter=_interrupted(now)),
    )
    failed_emails = ()
    if totals["failed"]:  # a second query only when something failed
        from union.mail import read_failed_emails  # union.mail queues through this module

        failed_emails = tuple(read_failed_emails(since=now - FAILURES_SHOWN_OVER))
    interrupted = ()
    if totals["interrupted"]:  # likewise
        interrupted = tuple(read_interrupted_tasks(now))
    return QueueState(
        waiting=totals["waiting"],
        oldest_waiting_since=totals["oldest"],
        failed_recently=totals["failed"],
        last_finished_at=totals["last_finished"],
        now=now,
        failed_emails=failed_emails,
        interrupted=interrupted,
    )


def interrupted_after() -> timedelta:
    """How long a task may run before it counts as interrupted (TASK_STALLED_AFTER_MINUTES)."""
    return timedelta(minutes=settings.TASK_STALLED_AFTER_MINUTES)


def _interrupted(now: datetime, after: timedelta | None = None) -> Q:
    after = interrupted_after() if after is None else after
    return Q(status=TaskResultStatus.RUNNING, started_at__lte=now - after)


def read_interrupted_tasks(
    now: datetime | None = None, after: timedelta | None = None
) -> list[InterruptedTask]:
    """The tasks RUNNING since longer than `after` (TASK_STALLED_AFTER_MINUTES), oldest first."""
    rows = DBTaskResult.objects.filter(_interrupted(now or timezone.now(), after))
    return _as_interrupted(rows, limit=INTERRUPTED_SHOWN)


def _as_interrupted(rows, limit: int | None = None) -> list[InterruptedTask]:
    """`rows` (DBTaskResult) as InterruptedTask, the oldest first, `limit` at most."""
    listed = rows.order_by("started_at").values_list("id", "task_path", "started_at")
    return [InterruptedTask(str(pk), path, started) for pk, path, started in listed[:limit]]


def requeue_interrupted_tasks(
    task_ids: list[str] | None = None,
    *,
    after: timedelta | None = None,
    actor=None,
    via: str = "admin",
) -> list[InterruptedTask]:
    """Put the interrupted tasks (`task_ids` among them, all when None) back in the queue, to
    run now; those running since less than `after` (TASK_STALLED_AFTER_MINUTES) are left to
    their worker. In the union's audit trail, like a resent e-mail. The tasks requeued.

    Why a dead worker's task can run again whole: the e-mail tasks that write to many commit
    their messages and their own end together (union.mail.queueing_each_message), a task that
    sends one e-mail is at worst sent twice, and the others (reminders, indexing) only queue or
    compute."""
    from union.audit import record_audit  # union.audit reaches the members' journals

    now = timezone.now()
    with transaction.atomic():
        rows = DBTaskResult.objects.filter(_interrupted(now, after)).select_for_update(
            skip_locked=True
        )
        if task_ids is not None:
            rows = rows.filter(pk__in=task_ids)
        requeued = _as_interrupted(rows)
        if requeued:
            DBTaskResult.objects.filter(pk__in=[task.task_id for task in requeued]).update(
                status=TaskResultStatus.READY, run_after=now, started_at=None
            )
            record_audit(
                "task.requeued",
                actor=actor,
                count=len(requeued),
                tasks=[task.name for task in requeued],
                via=via,
            )
    return requeued


def describe_wait(waited: timedelta) -> str:
    """ "3 min", "2 h 05", "4 j": how long the oldest task has waited, in French."""
    minutes = int(waited.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d}"
    return f"{minutes // (24 * 60)} j"
