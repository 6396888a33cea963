"""The platform's set-up: template schema up to date, settings, checks."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db
def test_template_schema_has_no_pending_migration():
    """A stale template silently produces broken members: it must be fully migrated."""
    connection.set_schema(settings.TENANT_BASE_SCHEMA)
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    tenant_apps = {"workspace", "abs_local", "journal"}
    pending = [migration for migration, _ in plan if migration.app_label in tenant_apps]
    assert pending == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s",
            [settings.TENANT_BASE_SCHEMA],
        )
        assert cursor.fetchone()[0] > 1


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)


def run_production_check(
    env_overrides: dict, command: tuple = ("check", "--deploy", "--fail-level", "WARNING")
) -> subprocess.CompletedProcess:
    # The browser tests' async escape hatch is a test-only setting, never a deployment one.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update({"DJANGO_SETTINGS_MODULE": "union.settings.production", **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
    )


def test_production_refuses_to_start_without_secret_key_and_database_url():
    result = run_production_check({})
    assert result.returncode != 0
    assert "SECRET_KEY est obligatoire" in result.stderr


# `check --deploy` and reading the settings need no connection: the URL need not answer.
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 30 + "-production-secret-key-with-enough-entropy-1234567890",
    "DATABASE_URL": "postgres://u:p@localhost:5432/maillage",
    "PRIVACY_CONTACT_EMAIL": "donnees-personnelles@union.test",
    "PLATFORM_DOMAIN": "udccas.example.fr",
}


def test_production_refuses_to_start_without_a_contact_for_data_rights():
    without = {k: v for k, v in PRODUCTION_ENV.items() if k != "PRIVACY_CONTACT_EMAIL"}
    result = run_production_check(without)
    assert result.returncode != 0
    assert "PRIVACY_CONTACT_EMAIL est obligatoire" in result.stderr


def test_production_check_deploy_reports_nothing():
    result = run_production_check(PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_queues_tasks_for_the_worker():
    result = run_production_check(PRODUCTION_ENV, ("diffsettings",))
    assert result.returncode == 0, result.stderr
    assert "union.task_queue.QueueInPostgreSQL" in result.stdout


def test_an_unknown_task_backend_is_refused_in_french():
    result = run_production_check({**PRODUCTION_ENV, "TASKS_BACKEND": "celery"})
    assert result.returncode != 0
    assert "TASKS_BACKEND doit valoir immediate ou database (reçu : 'celery')" in result.stderr
