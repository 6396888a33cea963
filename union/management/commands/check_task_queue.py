"""For monitoring (cron, Nagios, a container health check): is the task queue moving? Also,
being the e-mail queue's command cron already runs every 5 minutes, it erases the failed
e-mails kept past FAILED_EMAIL_KEEP_DAYS (union.mail), and with `--resend-failed` sends the
failed e-mails again once the mail server is fixed."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError
from django.utils import timezone

from union.formats import french_time
from union.mail import drop_expired_copies, resend_failed_emails
from union.task_queue import STALLED_AFTER, read_queue_state, uses_database_queue


class Command(BaseCommand):
    help = (
        "Vérifie que la file des tâches (e-mails, rappels) avance : sort en erreur (code 1) "
        "si une tâche attend depuis plus de --max-wait minutes, signe qu'aucun "
        "`manage.py db_worker` ne tourne, ou si les tâches ne passent pas par la file "
        "(réglages de production non chargés)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-wait",
            type=int,
            default=int(STALLED_AFTER.total_seconds() // 60),
            help="attente tolérée de la plus ancienne tâche, en minutes (défaut : %(default)s)",
        )
        parser.add_argument(
            "--fail-on-undelivered",
            type=int,
            metavar="MINUTES",
            default=0,
            help="sortir aussi en erreur (code 2) si un e-mail a échoué pour de bon dans les "
            "MINUTES dernières minutes ; mettez la période du cron (5) pour être prévenu une "
            "fois de chaque échec (défaut : 0, jamais)",
        )
        parser.add_argument(
            "--resend-failed",
            action="store_true",
            help="renvoyer d'abord, pour cinq nouveaux essais, les e-mails non remis encore "
            "gardés (FAILED_EMAIL_KEEP_DAYS jours) : à lancer une fois le serveur d'envoi réparé",
        )
        parser.add_argument(
            "--allow-immediate",
            action="store_true",
            help="ne pas échouer quand les tâches s'exécutent immédiatement (développement)",
        )

    def handle(
        self,
        *args,
        max_wait: int,
        allow_immediate: bool,
        fail_on_undelivered: int,
        resend_failed: bool,
        **options,
    ):
        try:
            self.watch(max_wait, allow_immediate, fail_on_undelivered, resend_failed)
        except OperationalError as error:
            # PostgreSQL stopped or unreachable: one French line for cron's e-mail and the
            # supervision, not ninety lines of English traceback every five minutes.
            raise CommandError(
                "La base de données ne répond pas : la file des tâches ne peut pas être "
                "lue, et le site ne répond pas non plus. Vérifiez que PostgreSQL tourne, et "
                f"DATABASE_URL. Erreur : {' '.join(str(error).split())}"
            ) from error

    def watch(
        self, max_wait: int, allow_immediate: bool, fail_on_undelivered: int, resend_failed: bool
    ) -> None:
        if uses_database_queue():
            drop_expired_copies()
            if resend_failed:
                for _level, text in resend_failed_emails(via="check_task_queue").messages():
                    self.stdout.write(text)
        state = read_queue_state()
        if state is None:
            # A cron line without the production environment falls back to the development
            # settings (manage.py's default), where tasks run at once: answering « all is well »
            # there would hide that the real queue is not watched at all.
            if not allow_immediate:
                raise CommandError(
                    "Les tâches ne passent pas par la file PostgreSQL (réglages "
                    f"{settings.SETTINGS_MODULE}) : la file de production n'est pas surveillée. "
                    "Vérifiez DJANGO_SETTINGS_MODULE (union.settings.production) et que le "
                    "fichier d'environnement (par exemple /etc/maillage.env) est bien chargé ; "
                    "en développement, ajoutez --allow-immediate."
                )
            self.stdout.write(
                "Les tâches s'exécutent immédiatement (TASKS_BACKEND=immediate) : "
                "il n'y a pas de file à surveiller."
            )
            return
        summary = (
            f"{state.waiting} tâche(s) en attente, {state.failed_recently} en échec sur 7 jours"
        )
        if state.failed_emails:
            # After their last attempt (union.mail): who did not get what, and why.
            self.stdout.write("E-mails non remis sur 7 jours, les plus récents d'abord :")
            for failed in state.failed_emails:
                self.stdout.write(f"  - {failed}")
            if any(failed.resendable_until for failed in state.failed_emails):
                self.stdout.write(
                    "Une fois l'envoi réparé, `check_task_queue --resend-failed` les renvoie."
                )
        if state.waited > timedelta(minutes=max_wait):
            raise CommandError(
                f"La file des tâches n'avance plus : la plus ancienne attend depuis "
                f"{state.waited_label} ({summary}). Lancez `manage.py db_worker` (en production, "
                "le service maillage-worker : systemctl restart maillage-worker)."
            )
        if fail_on_undelivered:
            fail_undelivered_since(timezone.now() - timedelta(minutes=fail_on_undelivered), state)
        waited = f", la plus ancienne depuis {state.waited_label}" if state.waiting else ""
        self.stdout.write(f"File des tâches en ordre : {summary}{waited}.")


def fail_undelivered_since(since, state) -> None:
    """Exit 2 when an e-mail failed for good since `since`: a cron run every N minutes with N
    minutes reports each failure once (cron mails stderr), whereas the stalled queue (exit 1)
    is reported as long as it lasts."""
    recent = [failed for failed in state.failed_emails if failed.failed_at >= since]
    if recent:
        lines = "\n".join(f"  - {failed}" for failed in recent)
        local = timezone.localtime(since)
        moment = f"{local:%d/%m/%Y} à {french_time(local)}"  # « 02/12/2026 à 14 h 05 »
        raise CommandError(
            f"{len(recent)} e-mail(s) non remis depuis le {moment} (cinq essais sur une "
            f"heure) :\n{lines}\nRéparez l'envoi (EMAIL_HOST…) puis renvoyez-les "
            "(`check_task_queue --resend-failed`, ou « Renvoyer » sur l'accueil de l'admin) ; "
            "passé FAILED_EMAIL_KEEP_DAYS jours, refaites l'action qui l'envoyait (invitation, "
            "lien de connexion…).",
            returncode=2,
        )
