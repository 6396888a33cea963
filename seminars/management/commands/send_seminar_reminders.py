"""Send the reminder e-mail of every event starting within SEMINAR_REMINDER_DAYS days, and
« Pas de place libérée » to the people still waiting once their event has started.

Run it daily (cron). Idempotent: a registration is never reminded, nor told, twice.
"""

from django.core.management.base import BaseCommand

from seminars.services import send_due_reminders, send_no_seat_notices


def _plural(count: int) -> str:
    return "s" if count > 1 else ""


class Command(BaseCommand):
    help = (
        "Envoie les rappels des événements à venir et prévient les personnes restées en liste "
        "d'attente d'un événement commencé (une seule fois par inscription)."
    )

    def handle(self, *args, **options):
        count = send_due_reminders()
        self.stdout.write(f"{count} rappel{_plural(count)} envoyé{_plural(count)}.")
        told = send_no_seat_notices()
        self.stdout.write(
            f"{told} message{_plural(told)} « Pas de place libérée » envoyé{_plural(told)}."
        )
