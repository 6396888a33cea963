"""A column the new version adds must not break the previous version's inserts (A19 F3).

During an upgrade the old code keeps serving while `setup_platform` migrates, and after a
rollback it serves again on the migrated database: its INSERTs leave out the columns it does not
know. A NOT NULL column whose default lives only in Python (`default=`) then refuses them: the
public registration answered 500 on « links_sent ». Such columns carry a database default
(`db_default=`, or one set in SQL by the migration), and the guard below catches the next one.
"""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import AddField
from django_tenants.utils import schema_context

from abs_shared.local.models import Observation
from abs_shared.models import Indicator
from knowledge_base.models import GlossaryTerm
from seminars.models import Registration, SeminarPage
from seminars.services import register_person
from tenants.models import Commune, Intercommunality
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"tenants", "union", "seminars", "knowledge_base", "abs_shared", "abs_local"}
PROJECT_APPS |= {"workspace", "journal"}

# AddFields the guard does not judge: the initial migration adds these to tables it creates in
# the same step, so no older code ever inserted into them.
OLDER_EXCEPTIONS = {("tenants", "0001_initial")}


def reinsert_without(model, pk, column: str, schema: str = "public"):
    """Delete the row `pk` and insert it again through raw SQL with every column but `column`,
    as the previous version's code did; return what the database put in `column`."""
    table = model._meta.db_table
    kept = ", ".join(
        f'"{f.column}"' for f in model._meta.local_concrete_fields if f.column != column
    )
    key = model._meta.pk.column
    with schema_context(schema), connection.cursor() as cursor:
        cursor.execute(
            f'CREATE TEMP TABLE old_row AS SELECT * FROM "{table}" WHERE "{key}" = %s', [pk]
        )
        # The foreign keys pointing at the row are deferred: checked at commit, never reached.
        cursor.execute(f'DELETE FROM "{table}" WHERE "{key}" = %s', [pk])
        cursor.execute(f'INSERT INTO "{table}" ({kept}) SELECT {kept} FROM old_row')
        cursor.execute("DROP TABLE old_row")
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE "{key}" = %s', [pk])
        return cursor.fetchone()[0]


def test_a_registration_inserted_without_the_new_columns_takes_their_defaults():
    registration, _ = register_person(make_seminar(), person(1))
    assert reinsert_without(Registration, registration.pk, "links_sent") == 0
    assert reinsert_without(Registration, registration.pk, "phone") == ""


def test_an_event_inserted_without_its_cancellation_message_takes_an_empty_one():
    seminar = make_seminar()
    assert reinsert_without(SeminarPage, seminar.pk, "cancellation_message") == ""


def test_an_observation_inserted_without_its_unit_takes_an_empty_one():
    # The template schema has the member tables: no member needed (the test's transaction is
    # rolled back).
    with schema_context(settings.TENANT_BASE_SCHEMA):
        observation = Observation.objects.create(
            indicator=Indicator.objects.first(), year=2023, status="value", value=12
        )
    unit = reinsert_without(Observation, observation.pk, "unit", settings.TENANT_BASE_SCHEMA)
    assert unit == ""


def test_a_glossary_entry_inserted_without_its_kind_is_a_term():
    entry = GlossaryTerm.objects.create(acronym="PAPH", expansion="personnes âgées, handicapées")
    assert entry.kind == "sigle"  # the new code still classifies it (save())
    assert reinsert_without(GlossaryTerm, entry.pk, "kind") == "terme"


def test_communes_and_intercommunalities_inserted_without_current_are_current():
    bondy = Commune.objects.get(code="93010")
    assert reinsert_without(Commune, bondy.pk, "current") is True
    assert reinsert_without(Intercommunality, bondy.epci_id, "current") is True


def column_default(table: str, column: str, schema: str):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_default FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s AND column_name = %s",
            [schema, table, column],
        )
        row = cursor.fetchone()
    return row and row[0]


def test_every_not_null_column_added_to_an_existing_table_has_a_database_default():
    """The next AddField of a NOT NULL column without a database default fails here: give it
    `db_default=` (the same value as `default=`), or make it nullable."""
    tenant_apps = {
        config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS
    }
    loader = MigrationLoader(None, ignore_no_migrations=True)
    missing = []
    for (app_label, name), migration in sorted(loader.disk_migrations.items()):
        if app_label not in PROJECT_APPS or (app_label, name) in OLDER_EXCEPTIONS:
            continue
        for operation in migration.operations:
            if not isinstance(operation, AddField):
                continue
            model = apps.get_model(app_label, operation.model_name)
            field = next((f for f in model._meta.concrete_fields if f.name == operation.name), None)
            if field is None or field.null:  # removed since, or nullable: the old code is fine
                continue
            schema = settings.TENANT_BASE_SCHEMA if app_label in tenant_apps else "public"
            if column_default(model._meta.db_table, field.column, schema) is None:
                missing.append(f"{app_label}.{name}: {model.__name__}.{field.name}")
    assert not missing, "NOT NULL columns without a database default: " + ", ".join(missing)
