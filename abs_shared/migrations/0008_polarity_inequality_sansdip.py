"""Two catalogue rows read against DOMAIN.md:
- D9/D1 measures inequality (« more unequal »), not fragility: a commune with a rich minority was
  ranked « plus fragile » than a uniformly poor one. It gets its own reading, higher_unequal.
- SANSDIP's definition counted holders of the brevet des collèges (INSEE's « peu diplômés »),
  a wider population than its label and DOMAIN.md's « sans diplôme »: members following one or the
  other would pool values that do not measure the same thing.
Only rows still as seeded are rewritten: what the union's staff edited is theirs.

abs_shared is a shared app: django-tenants runs this in the public schema only, where the
catalogue lives."""

from django.db import migrations, models

SEEDED_SANSDIP = (
    "Personnes de 15 ans ou plus non scolarisées sans diplôme ou avec au plus un brevet des "
    "collèges."
)
SANSDIP = (
    "Personnes de 15 ans ou plus non scolarisées qui n'ont aucun diplôme (ni brevet des "
    "collèges, ni CAP ou BEP, ni baccalauréat, ni diplôme du supérieur), rapportées à l'ensemble "
    "des 15 ans ou plus non scolarisés."
)


def read_catalogue_as_domain(apps, schema_editor):
    Indicator = apps.get_model("abs_shared", "Indicator")
    Indicator.objects.filter(code="D9D1", polarity="higher_fragile").update(
        polarity="higher_unequal"
    )
    Indicator.objects.filter(code="SANSDIP", definition=SEEDED_SANSDIP).update(definition=SANSDIP)


def read_catalogue_as_before(apps, schema_editor):
    Indicator = apps.get_model("abs_shared", "Indicator")
    Indicator.objects.filter(code="D9D1", polarity="higher_unequal").update(
        polarity="higher_fragile"
    )
    Indicator.objects.filter(code="SANSDIP", definition=SANSDIP).update(definition=SEEDED_SANSDIP)


class Migration(migrations.Migration):
    dependencies = [
        ("abs_shared", "0007_seeded_catalogue_no_break_spaces"),
    ]

    operations = [
        migrations.AlterField(
            model_name="indicator",
            name="polarity",
            field=models.CharField(
                choices=[
                    ("higher_fragile", "Plus la valeur est haute, plus la situation est fragile"),
                    ("lower_fragile", "Plus la valeur est basse, plus la situation est fragile"),
                    ("higher_unequal", "Plus la valeur est haute, plus les inégalités sont fortes"),
                    ("neutral", "Neutre"),
                ],
                default="neutral",
                max_length=16,
                verbose_name="sens de lecture",
            ),
        ),
        migrations.RunPython(read_catalogue_as_domain, read_catalogue_as_before),
    ]
