from django.core.management.base import BaseCommand

from union.demo import load_demo


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration (idempotent) et affiche les comptes de démonstration."
    )

    def handle(self, *args, **options):
        load_demo(self.stdout)
