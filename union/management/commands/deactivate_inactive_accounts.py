"""Warn, then deactivate, the accounts unused for ACCOUNT_INACTIVE_DAYS (union.account_retention).
Run it daily."""

from django.core.management.base import BaseCommand

from union.account_retention import apply_account_retention
from union.formats import plural


class Command(BaseCommand):
    help = (
        "Avertit par e-mail les comptes inutilisés depuis presque ACCOUNT_INACTIVE_DAYS jours, "
        "puis désactive ceux qui n'ont pas servi depuis l'avertissement."
    )

    def handle(self, *args, **options):
        run = apply_account_retention()
        self.stdout.write(
            f"Comptes inutilisés : {plural(run.warned, 'compte averti', 'comptes avertis')}, "
            f"{plural(run.deactivated, 'compte désactivé', 'comptes désactivés')}."
        )
        if run.without_email:
            count = len(run.without_email)
            state = (
                "n'est ni averti ni désactivé" if count == 1 else "ne sont ni avertis ni désactivés"
            )
            self.stdout.write(
                f"{plural(count, 'compte', 'comptes')} sans adresse e-mail {state} "
                f"(à compléter ou désactiver dans l'admin) : {', '.join(run.without_email)}."
            )
