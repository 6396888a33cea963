"""Erase what registrations no longer need to keep (seminars.retention). Run it daily (cron)."""

from django.core.management.base import BaseCommand

from seminars.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Efface les besoins particuliers et les téléphones, puis anonymise les inscriptions "
        "aux événements terminés depuis la durée de conservation."
    )

    def handle(self, *args, **options):
        result = apply_retention()
        self.stdout.write(
            f"Besoins particuliers effacés : {result.needs_erased} inscription(s). "
            f"Inscriptions anonymisées : {result.anonymised}."
        )
