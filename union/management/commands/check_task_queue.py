"""For monitoring (cron, Nagios, a container health check): is the task queue moving?"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from union.task_queue import STALLED_AFTER, read_queue_state


class Command(BaseCommand):
    help = (
        "Vérifie que la file des tâches (e-mails, rappels) avance : sort en erreur (code 1) "
        "si une tâche attend depuis plus de --max-wait minutes, signe qu'aucun "
        "`manage.py db_worker` ne tourne."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-wait",
            type=int,
            default=int(STALLED_AFTER.total_seconds() // 60),
            help="attente tolérée de la plus ancienne tâche, en minutes (défaut : %(default)s)",
        )

    def handle(self, *args, max_wait: int, **options):
        state = read_queue_state()
        if state is None:
            self.stdout.write(
                "Les tâches s'exécutent immédiatement (TASKS_BACKEND=immediate) : "
                "il n'y a pas de file à surveiller."
            )
            return
        summary = (
            f"{state.waiting} tâche(s) en attente, {state.failed_recently} en échec sur 7 jours"
        )
        if state.waited > timedelta(minutes=max_wait):
            raise CommandError(
                f"La file des tâches n'avance plus : la plus ancienne attend depuis "
                f"{state.waited_label} ({summary}). Lancez `manage.py db_worker`."
            )
        waited = f", la plus ancienne depuis {state.waited_label}" if state.waiting else ""
        self.stdout.write(f"File des tâches en ordre : {summary}{waited}.")
