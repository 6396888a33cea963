"""For monitoring (cron, Nagios, a container health check): is the task queue moving? Also,
being the e-mail queue's command cron already runs every 5 minutes, it erases the failed
e-mails kept past FAILED_EMAIL_KEEP_DAYS (union.mail), and with `--resend-failed` sends the
failed e-mails again once the mail server is fixed. A task a dead worker left RUNNING past
TASK_STALLED_AFTER_MINUTES makes it exit 1 too; `--requeue-stalled` puts it back in the queue
(union.task_queue)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError
from django.utils import timezone

from union.formats import french_time
from union.mail import drop_expired_copies, resend_failed_emails
from union.task_queue import (
    STALLED_AFTER,
    read_queue_state,
    requeue_interrupted_tasks,
    uses_database_queue,
)


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
            "--requeue-stalled",
            action="store_true",
            help="remettre d'abord dans la file, pour être exécutées à nouveau, les tâches "
            "interrompues\u00a0: en cours depuis plus de --stalled-after minutes, leur worker est "
            "mort (redémarrage, manque de mémoire)",
        )
        parser.add_argument(
            "--stalled-after",
            type=int,
            metavar="MINUTES",
            default=None,
            help="durée au-delà de laquelle une tâche en cours est interrompue (défaut\u00a0: "
            "TASK_STALLED_AFTER_MINUTES)\u00a0; 0 relance toutes les tâches en cours, seulement au "
            "démarrage de l'unique worker (ExecStartPre)\u00a0: aucune autre ne peut alors tourner",
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
        requeue_stalled: bool = False,
        stalled_after: int | None = None,
        **options,
    ):
        try:
            if requeue_stalled and uses_database_queue():
                self.requeue(stalled_after)
            self.watch(max_wait, allow_immediate, fail_on_undelivered, resend_failed)
        except OperationalError as error:
            # PostgreSQL stopped or unreachable: one French line for cron's e-mail and the
            # supervision, not ninety lines of English traceback every five minutes.
            raise CommandError(
                "La base de données ne répond pas : la file des tâches ne peut pas être "
                "lue, et le site ne répond pas non plus. Vérifiez que PostgreSQL tourne, et "
                f"DATABASE_URL. Erreur : {' '.join(str(error).split())}"
            ) from error

    def requeue(self, stalled_after: int | None) -> None:
        after = None if stalled_after is None else timedelta(minutes=max(stalled_after, 0))
        for task in requeue_interrupted_tasks(after=after, via="check_task_queue"):
            self.stdout.write(f"Tâche relancée\u00a0: {task}.")

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
        if state.interrupted:
            count = len(state.interrupted)
            lines = "\n".join(f"  - {task}" for task in state.interrupted)
            raise CommandError(
                f"{count} tâche{'s' if count > 1 else ''} interrompue{'s' if count > 1 else ''} "
                f"(en cours depuis plus de {settings.TASK_STALLED_AFTER_MINUTES} min, leur "
                f"worker s'est arrêté avant la fin)\u00a0:\n{lines}\nRelancez-les\u00a0: "
                "`check_task_queue --requeue-stalled` (ou «\u00a0Relancer\u00a0» sur l'accueil "
                f"de l'admin)\u00a0; {summary}."
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
