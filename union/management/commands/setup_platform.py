from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from tenants.models import Commune
from union.services import (
    ensure_template_schema,
    ensure_union_groups,
    index_home_page,
    name_site_and_root,
)


class Command(BaseCommand):
    help = (
        "Prépare la base : schéma public, schéma modèle des membres, schémas des membres, "
        "groupes de l'union, référentiel géographique. Idempotent ; à lancer à chaque déploiement."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--executor", default="standard", choices=["standard", "multiprocessing"]
        )

    def handle(self, *args, executor="standard", **options):
        verbosity = options.get("verbosity", 1)
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
        # The template is not a tenant row: migrate_schemas --tenant skips it, so migrate it here.
        template = ensure_template_schema()
        call_command(
            "migrate_schemas",
            tenant=True,
            schema_name=template,
            interactive=False,
            verbosity=verbosity,
        )
        call_command(
            "migrate_schemas",
            tenant=True,
            executor=executor,
            interactive=False,
            verbosity=verbosity,
        )
        connection.set_schema_to_public()
        ensure_union_groups()
        name_site_and_root()
        index_home_page()
        if not Commune.objects.exists():
            call_command("import_cog", verbosity=verbosity)
        self.stdout.write(self.style.SUCCESS("Plateforme prête."))
