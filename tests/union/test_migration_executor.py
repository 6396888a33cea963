"""migrate_schemas skips up-to-date member schemas and still migrates a stale one."""

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.signals import schema_migrated

from tests.conftest import make_member
from union.migration_executor import schemas_with_pending_migrations

pytestmark = pytest.mark.django_db


def _forget_latest_migration(schema: str, app: str) -> str:
    # A shared app's migrations are recorded, not run, in member schemas: forgetting one is harmless.
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{schema}".django_migrations WHERE id = '
            f'(SELECT max(id) FROM "{schema}".django_migrations WHERE app = %s) RETURNING name',
            [app],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def migrated_schemas():
    migrated = []

    def collect(sender, schema_name, **kwargs):
        migrated.append(schema_name)

    schema_migrated.connect(collect)
    yield migrated
    schema_migrated.disconnect(collect)


def test_only_stale_schemas_are_pending():
    bondy, montreuil = make_member("93010"), make_member("93048")
    schemas = [bondy.schema_name, montreuil.schema_name]
    assert schemas_with_pending_migrations(schemas) == []
    _forget_latest_migration(bondy.schema_name, "union")
    assert schemas_with_pending_migrations(schemas) == [bondy.schema_name]
    assert schemas_with_pending_migrations(["no_such_schema"]) == ["no_such_schema"]


def test_migrate_schemas_runs_only_for_the_stale_schema(migrated_schemas):
    bondy, montreuil = make_member("93010"), make_member("93048")
    migrated_schemas.clear()  # onboarding itself records (fakes) the migrations of the clones
    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
    assert migrated_schemas == []
    name = _forget_latest_migration(bondy.schema_name, "union")
    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
    connection.set_schema_to_public()
    assert migrated_schemas == [bondy.schema_name]
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT count(*) FROM "{bondy.schema_name}".django_migrations'
            " WHERE app = 'union' AND name = %s",
            [name],
        )
        assert cursor.fetchone()[0] == 1
    assert schemas_with_pending_migrations([bondy.schema_name, montreuil.schema_name]) == []
