from django.core.management.base import BaseCommand, CommandError

from tenants.cog import CogDataError, fetch_cog_package, import_cog


class Command(BaseCommand):
    help = (
        "Charge le Code officiel géographique (communes, EPCI/EPT, départements, régions) depuis le "
        "paquet npm @etalab/decoupage-administratif. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", help="Dossier contenant communes.json, epci.json… (sinon téléchargé avec npm)"
        )
        parser.add_argument(
            "--fetch-only", action="store_true", help="Télécharge le paquet sans rien importer"
        )

    def handle(self, *args, path=None, fetch_only=False, **options):
        try:
            if fetch_only:
                self.stdout.write(f"Données COG disponibles dans {fetch_cog_package()}")
                return
            report = import_cog(path)
        except (CogDataError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"COG importé : {report.regions} régions, {report.departements} départements, "
                f"{report.intercommunalities} EPCI/EPT, {report.communes} communes, "
                f"{report.aliases} anciens noms."
            )
        )
