"""Tests: a real PostgreSQL, never SQLite.

TEST_DATABASE_URL points to a server of your own; otherwise a throwaway embedded server is started
for the test session (one per xdist worker) and deleted at exit, with the media folder
(union.throwaway: a killed run's are removed by the next). MAILLAGE_TEST_PGDATA keeps the server
between runs instead, for `pytest --reuse-db` while developing.
"""

import os
from pathlib import Path

from union.db import database_config, embedded_database_config
from union.throwaway import make_throwaway_dir

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Django's test set-up puts every mailer on locmem anyway (mail.outbox); the tests of the queue
# itself (tests/union/test_queued_email_s17.py) set MAILERS["default"] to the queued backend.
MAILERS = {
    alias: {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    for alias in ("default", "delivery", "admins")
}
PLATFORM_DOMAIN = "localhost"
ALLOWED_HOSTS = ["localhost", ".localhost", "testserver"]
WAGTAILADMIN_BASE_URL = "http://localhost"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = make_throwaway_dir("media")

if os.environ.get("TEST_DATABASE_URL"):
    DATABASES = {"default": database_config(os.environ["TEST_DATABASE_URL"])}
else:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    keep = os.environ.get("MAILLAGE_TEST_PGDATA")
    pgdata = Path(keep) / worker if keep else make_throwaway_dir(f"testpg-{worker}") / "pg"
    DATABASES = {"default": embedded_database_config(pgdata, "maillage", keep_running=bool(keep))}
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["TEST"] = {"NAME": "test_maillage"}
EXTRA_PORTAL_HOSTS = ["testserver"]
# The cache (LocMem) lives as long as the test process: the real limits would count the token
# and reset requests of every test together. Their own tests set the real values
# (tests/union/test_security_fixes_s17.py).
API_AUTH_THROTTLE_RATE = "10000/min"
PASSWORD_RESET_EMAILS_PER_HOUR = 10000
