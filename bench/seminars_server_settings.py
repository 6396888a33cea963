"""Settings of the server started by bench_seminars with queued e-mails, as in production: a
registration request only stores its confirmation in the task queue; `db_worker` sends it."""

from union.settings.base import TASK_BACKENDS
from union.settings.bench import *  # noqa: F403

TASKS = {"default": {"BACKEND": TASK_BACKENDS["database"]}}
