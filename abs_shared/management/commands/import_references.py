from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from abs_shared.services import import_references
from abs_shared.tabular import ImportRejected


class Command(BaseCommand):
    help = (
        "Importe des valeurs de référence (France, régions, départements, EPCI/EPT) depuis un "
        "fichier CSV ou XLSX aux colonnes level,code,indicator,year,value[,source]. "
        "Tout ou rien : une seule ligne fausse et rien n'est importé."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Chemin du fichier CSV ou XLSX")
        parser.add_argument(
            "--source", default="", help="Source à inscrire si le fichier n'en a pas"
        )

    def handle(self, *args, file: str, source: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        try:
            with path.open("rb") as handle:
                count = import_references(File(handle, name=path.name), default_source=source)
        except ImportRejected as rejected:
            lines = [f"ligne {e.line}, {_column(e.column)} : {e.message}" for e in rejected.errors]
            raise CommandError(
                "Fichier refusé, rien n'a été importé.\n" + "\n".join(lines)
            ) from None
        self.stdout.write(self.style.SUCCESS(f"{count} valeurs de référence importées."))


def _column(name: str) -> str:
    """« colonne year », but « colonne D » as is for a column the header doesn't name."""
    return name if name.startswith("colonne ") else f"colonne {name or '–'}"
