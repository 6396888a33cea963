from django.core.management.base import BaseCommand, CommandError

from tenants.models import MemberCCAS, Membership
from tenants.services import OnboardingError, grant_membership, member_url, onboard_member


class Command(BaseCommand):
    help = "Ajoute un membre (CCAS ou CIAS) à l'union : son espace, son domaine, et sa direction."

    def add_arguments(self, parser):
        parser.add_argument(
            "--insee", required=True, help="Code INSEE de la commune (siège pour un CIAS)"
        )
        parser.add_argument("--kind", choices=["CCAS", "CIAS"], default="CCAS")
        parser.add_argument("--epci", help="SIREN de l'intercommunalité (CIAS)")
        parser.add_argument("--name", help="Nom du membre (par défaut « CCAS de <commune> »)")
        parser.add_argument("--director", help="Email du directeur ou de la directrice")
        parser.add_argument(
            "--password",
            help="Mot de passe de la direction (installations scriptées ; sinon un lien lui est envoyé)",
        )

    def handle(self, *args, insee, kind, epci, name, director, password, **options):
        try:
            member = onboard_member(insee, kind=kind, epci_siren=epci, name=name)
        except OnboardingError as error:
            raise CommandError(str(error)) from error
        # From the portal's configured address (WAGTAILADMIN_BASE_URL), as the e-mails' links:
        # https and no port in production, http://…:8000 in development.
        self.stdout.write(self.style.SUCCESS(f"{member.name} créé : {member_url(member)}"))
        if director:
            grant_membership(member, director, Membership.Role.DIRECTOR, password=password)
            how = "mot de passe fourni" if password else "lien de création du mot de passe envoyé"
            self.stdout.write(f"Direction : {director} ({how}).")
        return None


def member_for_slug(slug: str) -> MemberCCAS:
    member = MemberCCAS.objects.filter(slug=slug).first()
    if member is None:
        raise CommandError(f"Aucun membre « {slug} ».")
    return member
