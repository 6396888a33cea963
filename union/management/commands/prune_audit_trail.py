"""Delete the audit trail's lines older than AUDIT_KEPT_DAYS (union.retention). Run it daily."""

from django.core.management.base import BaseCommand

from union.formats import plural
from union.retention import prune_audit_trail


class Command(BaseCommand):
    help = "Efface les lignes du journal d'audit plus anciennes que la durée de conservation."

    def handle(self, *args, **options):
        deleted = prune_audit_trail()
        self.stdout.write(
            f"Journal d'audit : {plural(deleted, 'ligne effacée', 'lignes effacées')}."
        )
