"""The Django admin is for union admins only (superusers or the union admin group).

It is a technical back room, not a way around the rules the rest of the platform keeps: union
staff never enter member spaces, and who may enter one is decided by the member's direction,
audited. So nothing here can mint an API token, grant a membership, change a member's status or
an account (the Wagtail admin does that, audited, see union.wagtail_hooks), or delete the audit
trail."""

from django.contrib import admin
from django.contrib.auth import get_user_model

# Imported before their apps' own turn in the admin's autodiscovery (union comes first in
# INSTALLED_APPS), so that their registrations exist to be replaced below.
from django.contrib.auth.admin import UserAdmin
from rest_framework.authtoken.admin import TokenAdmin  # noqa: F401 (registers TokenProxy)
from rest_framework.authtoken.models import TokenProxy

from tenants.journal.services import ACTION_LABELS
from union.models import AuditEntry
from union.roles import is_union_admin

User = get_user_model()


def _union_admin_only(request) -> bool:
    return is_union_admin(request.user)


admin.site.has_permission = _union_admin_only
admin.site.site_header = "Maillage – administration technique"
admin.site.site_title = "Maillage"

# A token is a person's password for the API: created here for a member's director, it let an
# administrator read (and write) that member's space from its host. Tokens are made by their
# owner only.
admin.site.unregister(TokenProxy)


# The union's journal in words: the member journal's labels (the actions both record), and the
# actions only the union's trail keeps. A code missing here is shown as stored.
AUDIT_ACTION_LABELS = {
    **ACTION_LABELS,
    "member.onboarded": "Membre inscrit sur la plateforme",
    "member.status": "Statut d'adhésion modifié",
    "network.emailed": "Message écrit aux membres",
    "account.created": "Compte créé",
    "account.deactivated": "Compte désactivé",
    "account.reactivated": "Compte réactivé",
    "account.renamed": "Nom d'un compte modifié",
    "account.groups_changed": "Rôles à l'union modifiés",
    "account.password_changed": "Mot de passe modifié",
    "audit.pruned": "Entrées anciennes du journal effacées",
    "email.resent": "E-mail renvoyé",
    "task.requeued": "Tâche interrompue relancée",
    "abs.references.import": "Valeurs de référence ABS importées",
    "seminar.created": "Événement créé",
    "seminar.cancelled": "Événement annulé",
    "seminar.invitation_renewed": "Lien d'invitation renouvelé",
    "seminar.change_notified": "Inscrits prévenus d'un changement de date ou de lieu",
    "seminar.emailed": "Message envoyé aux inscrits",
    "seminar.retention": "Données d'inscription effacées (durée de conservation)",
    "seminar.certificates.sent": "Attestations de présence envoyées",
    "seminar.evaluations.reminded": "Relance pour l'évaluation envoyée",
    "seminar.no_seat.sent": "Avis « pas de place » envoyés",
    "seminar.registrations.imported": "Inscriptions importées",
    "seminar.registration.added": "Inscription ajoutée",
    "seminar.registration.updated": "Inscription mise à jour",
    "seminar.registration.cancelled": "Inscription annulée",
    "seminar.registration.confirmed_over_capacity": "Inscription confirmée au-delà des places",
    # By the person (her page) or an organiser (« Modifier », the API): the actor column says.
    "seminar.registration.edited": "Inscription modifiée",
    "seminar.registration.atelier_given": "Place d'atelier donnée à une personne de sa liste d'attente",
    "seminar.registration.atelier_list_first": "Personne placée en tête d'une liste d'attente d'atelier",
    "seminar.registration.link_sent": "Lien personnel envoyé",
    "seminar.registration.check_in": "Présence pointée",
    "seminar.registration.check_in_undone": "Pointage de présence annulé",
    "seminar.registration.atelier_check_in": "Présence à un atelier pointée",
    "seminar.registration.atelier_check_in_undone": "Pointage d'atelier annulé",
    "seminar.registration.commune_fixed": "Commune d'une inscription corrigée",
    "seminar.registration.published_name_erased": "Nom publié d'un inscrit effacé",
    "seminar.person_request.viewed": "Inscriptions d'une adresse consultées (demande RGPD)",
    "account.erased": "Données personnelles d'un compte effacées",
    "seminar.person_request.erased": "Inscriptions d'une adresse anonymisées (demande RGPD)",
}


def action_label(code: str) -> str:
    return AUDIT_ACTION_LABELS.get(code, code)


class ActionFilter(admin.SimpleListFilter):
    """The actions the journal holds, in words (Django's own filter lists the codes)."""

    title = "action"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        codes = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(
            ((code, action_label(code)) for code in codes), key=lambda pair: pair[1].casefold()
        )

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read only, for everyone: the trail is pruned by `prune_audit_trail` and nothing else,
    least of all by those it records."""

    list_display = ["at", "action_text", "actor", "member", "target"]
    list_filter = [ActionFilter, "member"]
    search_fields = ["target", "actor__email"]
    readonly_fields = ["at", "action_text", "actor", "member", "target", "details"]
    actions = None

    @admin.display(description="action", ordering="action")
    def action_text(self, entry) -> str:
        return action_label(entry.action)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Accounts are read here, managed in the Wagtail admin (Paramètres › Utilisateurs), whose
    hooks audit creations, roles and deactivations and refuse to delete a person who left
    traces. Here a password typed for a member's director, or a group, would change unaudited;
    and people are deactivated, never deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
