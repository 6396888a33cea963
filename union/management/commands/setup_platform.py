from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from knowledge_base.services import ensure_index_pages
from seminars.services import ensure_event_index
from tenants.cog import CogDataError, data_dir, fetch_cog_package
from tenants.models import Commune
from union.services import (
    ensure_template_schema,
    ensure_union_groups,
    index_home_page,
    name_site_and_root,
    point_site_at_base_url,
)


class Command(BaseCommand):
    help = (
        "Prépare la base : schéma public, schéma modèle des membres, schémas des membres, "
        "groupes de l'union, rubriques du portail, référentiel géographique. Idempotent ; "
        "à lancer à chaque déploiement."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--executor", default="standard", choices=["standard", "multiprocessing"]
        )

    def handle(self, *args, executor="standard", **options):
        verbosity = options.get("verbosity", 1)
        refuse_data_inside_the_code()
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
        point_site_at_base_url()
        index_home_page()
        # The portal's menu links to /guides/, /experiences/ and /evenements/: a new
        # installation has them, empty, for the union to fill (after the groups, whose page
        # permissions are given on these pages as they are created).
        ensure_index_pages()
        ensure_event_index()
        if not Commune.objects.exists():
            call_command("import_cog", verbosity=verbosity)
        else:
            warning = ensure_cog_package()
            if warning:
                self.stderr.write(warning)
        self.stdout.write(self.style.SUCCESS("Plateforme prête."))


def refuse_data_inside_the_code() -> None:
    """In production (DATA_OUTSIDE_CODE_REQUIRED), MEDIA_ROOT and COG_DATA_DIR outside the code's
    directory: each version is a new checkout, so uploads and the COG package left at their
    default (<checkout>/.data/) would stay behind with the old version at the next upgrade, the
    files missing from the site and postal codes, former INSEE codes and arrondissements
    silently no longer recognised. Refused before anything is migrated."""
    if not settings.DATA_OUTSIDE_CODE_REQUIRED:
        return
    code = Path(settings.BASE_DIR).resolve()
    inside = [
        f"{name} ({path})"
        for name, path in (
            ("MEDIA_ROOT", settings.MEDIA_ROOT),
            ("COG_DATA_DIR", settings.COG_DATA_DIR),
        )
        if Path(path).resolve().is_relative_to(code)
    ]
    if inside:
        both = len(inside) > 1
        raise CommandError(
            f"{' et '.join(inside)} {'sont' if both else 'est'} dans le dossier du code "
            f"({code}) : la version suivante, installée dans un autre dossier, ne "
            f"{'les' if both else 'le'} trouverait plus. Donnez dans le fichier d'environnement "
            "des dossiers gardés d'une version à l'autre, par exemple "
            "MEDIA_ROOT=/srv/maillage/media et COG_DATA_DIR=/srv/maillage/cog (voir "
            "docs/operations.md), et déplacez-y ce qu'ils contiennent déjà."
        )


def ensure_cog_package() -> str:
    """The COG is in the database but the web processes also read its package under
    COG_DATA_DIR (tenants.matching.read_cog_codes: postal codes, former INSEE codes, municipal
    arrondissements), silently doing without it: download it if missing (`import_cog --path`
    loads the database only; fetch_cog_package does nothing when it is there). Returns a French
    warning when it cannot, else ""."""
    try:
        fetch_cog_package()
    except CogDataError as error:
        return (
            f"Attention : le paquet du COG manque dans {data_dir()}. Sans lui, les codes "
            "postaux, les anciens codes INSEE et les arrondissements municipaux ne sont pas "
            "reconnus (inscriptions, imports, ajout d'un membre, /api/v1/communes/). "
            f"Décompressez l'archive de {settings.COG_PACKAGE} dans {settings.COG_DATA_DIR} "
            f"(voir docs/operations.md), puis relancez setup_platform. Cause : {error}"
        )
    return ""
