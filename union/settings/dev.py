"""Development: DEBUG on, the embedded PostgreSQL under .data/ unless DATABASE_URL is set."""

import os

from union.db import database_config, embedded_database_config

from .base import *  # noqa: F403
from .base import DATA_DIR, PLATFORM_DOMAIN

DEBUG = True
PRIVACY_CONTACT_EMAIL = os.environ.get(
    "PRIVACY_CONTACT_EMAIL", "donnees-personnelles@udccas93.demo"
)
ALLOWED_HOSTS = [PLATFORM_DOMAIN, f".{PLATFORM_DOMAIN}", "127.0.0.1"]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_config(os.environ["DATABASE_URL"])}
else:
    # Started once and left running (it survives restarts); `make stop-db` stops it.
    DATABASES = {
        "default": embedded_database_config(DATA_DIR / "pg", "maillage", keep_running=True)
    }
