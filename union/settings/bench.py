"""Benchmarks: production-like (DEBUG off) on a throwaway embedded PostgreSQL, unless BENCH_DATABASE_URL."""

import os

from union.db import database_config, embedded_database_config
from union.throwaway import make_throwaway_dir

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["localhost", ".localhost", "testserver", "127.0.0.1"]
EXTRA_PORTAL_HOSTS = ["testserver", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# As in production, e-mails are queued (union.mail); the worker delivers them in memory.
MAILERS = {
    "default": {"BACKEND": "union.mail.QueuedEmailBackend"},
    "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    "admins": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
}
MEDIA_ROOT = make_throwaway_dir("bench-media")

if os.environ.get("BENCH_DATABASE_URL"):
    DATABASES = {"default": database_config(os.environ["BENCH_DATABASE_URL"])}
else:
    DATABASES = {
        "default": embedded_database_config(
            make_throwaway_dir("bench-pg") / "pg",
            "maillage",
            keep_running=False,
        )
    }
