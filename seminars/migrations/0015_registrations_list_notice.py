"""« Retrouver mes inscriptions »: when the list of an address's registrations was last e-mailed,
keyed by a digest of the address (at most one such e-mail per address every ten minutes)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("seminars", "0014_french_no_break_spaces"),
    ]

    operations = [
        migrations.CreateModel(
            name="RegistrationsListNotice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("address_digest", models.CharField(max_length=64, unique=True)),
                ("sent_at", models.DateTimeField(db_index=True)),
            ],
            options={
                "verbose_name": "envoi de « Retrouver mes inscriptions »",
                "verbose_name_plural": "envois de « Retrouver mes inscriptions »",
            },
        ),
    ]
