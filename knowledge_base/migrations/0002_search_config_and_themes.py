"""French full-text search that ignores accents, and the seed list of themes.

`maillage_french` copies PostgreSQL's `french` configuration and runs `unaccent` before the
French stemmer, so "epicerie" finds "épicerie" and "logements" finds "logement". It lives in
public, which django-tenants keeps on every search_path.
"""

from django.db import migrations
from django.utils.text import slugify

CREATE_CONFIG = """
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
        WHERE c.cfgname = 'maillage_french' AND n.nspname = 'public'
    ) THEN
        CREATE TEXT SEARCH CONFIGURATION public.maillage_french (COPY = pg_catalog.french);
        ALTER TEXT SEARCH CONFIGURATION public.maillage_french
            ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, french_stem;
    END IF;
END
$$;
"""
DROP_CONFIG = "DROP TEXT SEARCH CONFIGURATION IF EXISTS public.maillage_french;"

THEMES = [
    "Accès aux droits",
    "ABS et observation sociale",
    "Aide alimentaire et épicerie solidaire",
    "Domiciliation",
    "Logement et hébergement",
    "Seniors et isolement",
    "Petite enfance et parentalité",
    "Santé",
    "Insertion et emploi",
    "Gouvernance du CCAS",
    "Numérique",
]


def seed_themes(apps, schema_editor):
    Theme = apps.get_model("knowledge_base", "Theme")
    for position, name in enumerate(THEMES, start=1):
        Theme.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "sort_order": position}
        )


class Migration(migrations.Migration):
    dependencies = [("knowledge_base", "0001_initial")]

    operations = [
        migrations.RunSQL(CREATE_CONFIG, DROP_CONFIG),
        migrations.RunPython(seed_themes, migrations.RunPython.noop),
    ]
