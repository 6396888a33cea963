"""A database default for `current`, which 0008 added NOT NULL to communes and
intercommunalities: the previous version's `import_cog`, run during the upgrade or after a
rollback, inserts them without it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0008_commune_current"),
    ]

    operations = [
        migrations.AlterField(
            model_name="commune",
            name="current",
            field=models.BooleanField(db_default=True, default=True, verbose_name="actuelle"),
        ),
        migrations.AlterField(
            model_name="intercommunality",
            name="current",
            field=models.BooleanField(db_default=True, default=True, verbose_name="actuelle"),
        ),
    ]
