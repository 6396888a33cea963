"""Settings of the server started by bench_seminars with queued e-mails: production hands tasks to
a worker, so a registration request only enqueues its confirmation (DummyBackend keeps it)."""

from union.settings.bench import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
