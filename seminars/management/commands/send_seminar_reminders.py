"""Send the reminder e-mail of every event starting within SEMINAR_REMINDER_DAYS days.

Run it daily (cron). Idempotent: a registration is never reminded twice.
"""

from django.core.management.base import BaseCommand

from seminars.services import send_due_reminders


class Command(BaseCommand):
    help = "Envoie les rappels des événements à venir (une seule fois par inscription)."

    def handle(self, *args, **options):
        count = send_due_reminders()
        self.stdout.write(
            f"{count} rappel{'s' if count > 1 else ''} envoyé{'s' if count > 1 else ''}."
        )
