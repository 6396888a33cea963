from django.core.management.base import BaseCommand

from tenants.management.commands.add_member import member_for_slug
from tenants.models import MemberCCAS
from tenants.services import set_member_status


class Command(BaseCommand):
    help = "Change le statut d'un membre : active, suspended (espace fermé, rien n'est supprimé) ou left."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("status", choices=[choice for choice, _ in MemberCCAS.Status.choices])
        parser.add_argument("--reason", default="", help="Motif, gardé dans le journal de l'union.")
        parser.add_argument(
            "--no-email",
            action="store_true",
            help="N'écrit pas à la direction (restauration d'un membre, qu'on a prévenue soi-même).",
        )

    def handle(self, *args, slug, status, reason, no_email, **options):
        member = set_member_status(
            member_for_slug(slug), status, reason=reason, tell_directions=not no_email
        )
        self.stdout.write(self.style.SUCCESS(f"{member.name} : {member.get_status_display()}"))
