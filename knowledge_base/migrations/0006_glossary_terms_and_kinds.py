"""The glossary takes words of the trade beside sigles: entries up to 120 characters, and a kind
(« Sigle » / « Terme ») stored rather than guessed when a guide is rendered. Existing entries are
classified by how they are written: all capitals and digits, short (« CCAS », « UDCCAS ») is a
sigle; anything else (« Délégation », « Vice-président(e) ») a term. Editors can change it."""

import re

from django.db import migrations, models


def looks_like_sigle(text: str) -> bool:
    # Frozen copy of knowledge_base.models.snippets.looks_like_sigle (a migration must not follow
    # later changes of the model's code).
    compact = re.sub(r"[\s.&'’/-]", "", text or "")
    return (
        bool(compact)
        and len(compact) <= 15
        and compact.isalnum()
        and compact == compact.upper()
        and any(char.isalpha() for char in compact)
    )


def classify_entries(apps, schema_editor):
    GlossaryTerm = apps.get_model("knowledge_base", "GlossaryTerm")
    sigles = [
        pk
        for pk, text in GlossaryTerm.objects.values_list("pk", "acronym")
        if looks_like_sigle(text)
    ]
    GlossaryTerm.objects.filter(pk__in=sigles).update(kind="sigle")


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge_base", "0005_theme_slug_and_phones"),
    ]

    operations = [
        migrations.AddField(
            model_name="glossaryterm",
            name="kind",
            field=models.CharField(
                choices=[("sigle", "Sigle"), ("terme", "Terme")],
                default="terme",
                help_text="Un sigle est expliqué au survol dans les guides (balise abréviation) et dans le glossaire ; un terme (mot ou expression du métier) dans le glossaire seulement.",
                max_length=5,
                verbose_name="nature",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(classify_entries, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="glossaryterm",
            name="acronym",
            field=models.CharField(
                error_messages={"unique": "Ce terme ou ce sigle est déjà dans le glossaire."},
                help_text="Tel qu'il s'écrit dans les textes : un sigle avec ses majuscules (ex. : CCAS, RSA), un terme avec une majuscule initiale (ex. : Délégation de signature).",
                max_length=120,
                unique=True,
                verbose_name="terme ou sigle",
            ),
        ),
        migrations.AlterField(
            model_name="glossaryterm",
            name="expansion",
            field=models.CharField(
                blank=True,
                help_text="Pour un sigle, obligatoire : ce qu'il veut dire (ex. : centre communal d'action sociale). Pour un terme, facultatif : un synonyme ou une précision affichée avant la définition (ex. : élection de domicile).",
                max_length=250,
                verbose_name="forme développée ou précision",
            ),
        ),
        migrations.AlterField(
            model_name="glossaryterm",
            name="definition",
            field=models.TextField(
                blank=True,
                help_text="Obligatoire pour un terme, facultative pour un sigle.",
                verbose_name="définition",
            ),
        ),
    ]
