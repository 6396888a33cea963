import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tenants.cog import (
    FILES,
    CogDataError,
    CogImportReport,
    data_dir,
    fetch_cog_package,
    has_cog_files,
    import_cog,
)
from union.formats import french_list, plural


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
        self.tell_of_former(report)
        if path:
            self.keep_beside_the_site(Path(path))

    def tell_of_former(self, report: CogImportReport) -> None:
        """The communes and EPCI/EPT this vintage dropped (mergers) stay in the database,
        flagged former, since members and registrations point at them: say who, so that the
        union re-attaches them to the current ones."""
        dropped = [
            plural(count, singular, plural_form)
            for count, singular, plural_form in (
                (report.former_communes, "commune", "communes"),
                (report.former_intercommunalities, "EPCI/EPT", "EPCI/EPT"),
            )
            if count
        ]
        if dropped:
            self.stdout.write(
                "Ne figurent plus dans ce millésime, marqués anciens et conservés pour ce qui "
                f"les désigne encore\u00a0: {french_list(dropped)}."
            )
        if report.members_on_former:
            self.stdout.write(
                "Membres rattachés à une commune ou une intercommunalité ancienne, à rattacher "
                "à l'actuelle\u00a0:"
            )
            for line in report.members_on_former:
                self.stdout.write(f"  - {line}")
        if report.registrations_on_former:
            count = plural(
                report.registrations_on_former,
                "inscription à un événement désigne",
                "inscriptions à un événement désignent",
            )
            self.stdout.write(f"{count} une commune ancienne.")

    def keep_beside_the_site(self, path: Path) -> None:
        """The web processes read communes.json under COG_DATA_DIR too (postal codes, former
        INSEE codes, municipal arrondissements: tenants.matching.read_cog_codes), and silently
        do without them when it is missing: a folder loaded with --path is copied there."""
        target = data_dir()
        if has_cog_files(target):
            return
        try:
            target.mkdir(parents=True, exist_ok=True)
            for name in FILES:
                shutil.copyfile(path / name, target / name)
        except OSError as error:
            self.stderr.write(
                f"Attention : impossible de copier ces fichiers dans {target} ({error}). Sans "
                "eux, le site ne reconnaît ni les codes postaux, ni les anciens codes INSEE, ni "
                "les arrondissements municipaux : copiez-les-y à la main."
            )
            return
        self.stdout.write(f"Fichiers du COG copiés dans {target}, où le site les lit.")
