"""A database default for the glossary entry's kind (0006 added it NOT NULL, with no default):
the previous version, serving while `setup_platform` migrates or after a rollback, inserts
entries without it, and PostgreSQL refused them.

In SQL only, not as the field's `db_default`: with one, Django gives a new entry a placeholder
for its kind instead of an empty value, and GlossaryTerm.save() would no longer classify it by
its writing (nor would the admin form offer an empty choice). An entry the old code creates is a
« Terme » until an editor changes it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge_base", "0008_french_no_break_spaces"),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE knowledge_base_glossaryterm ALTER COLUMN kind SET DEFAULT 'terme'",
            "ALTER TABLE knowledge_base_glossaryterm ALTER COLUMN kind DROP DEFAULT",
        ),
    ]
