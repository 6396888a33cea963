"""The indicator catalogue seeded by 0002 had an ordinary space before a colon or a semicolon;
French typography wants a no-break space (U+00A0: a line must not open on the mark). Only the
values still exactly as seeded are rewritten: a text the union's staff edited is left as they
wrote it.

abs_shared is a shared app: django-tenants runs this in the public schema only, where the
catalogue lives."""

from django.db import migrations

NBSP = "\u00a0"
SEEDED_BREAK_NOTES = (
    "Filosofi : dernier millésime 2021, INSEE n'a pas produit d'édition 2022 ; "
    "la série est rompue après 2021."
)
SEEDED_D9D1_DEFINITION = (
    "Rapport entre le niveau de vie plancher des 10 % les plus aisés et le niveau de vie plafond "
    "des 10 % les plus modestes : plus il est élevé, plus les inégalités sont fortes."
)
# field: (the text 0002 wrote, the same with its no-break spaces). No seeded label, unit, source
# or theme has a colon, a semicolon, a question or exclamation mark, or quotation marks.
REWRITES = {
    "break_notes": [
        (
            SEEDED_BREAK_NOTES,
            SEEDED_BREAK_NOTES.replace(" :", NBSP + ":").replace(" ;", NBSP + ";"),
        )
    ],
    "definition": [(SEEDED_D9D1_DEFINITION, SEEDED_D9D1_DEFINITION.replace(" :", NBSP + ":"))],
}


def add_no_break_spaces(apps, schema_editor):
    Indicator = apps.get_model("abs_shared", "Indicator")
    for field, pairs in REWRITES.items():
        for seeded, typeset in pairs:
            Indicator.objects.filter(**{field: seeded}).update(**{field: typeset})


class Migration(migrations.Migration):
    dependencies = [("abs_shared", "0006_french_no_break_spaces")]

    operations = [migrations.RunPython(add_no_break_spaces, migrations.RunPython.noop)]
