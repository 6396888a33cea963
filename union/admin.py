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


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read only, for everyone: the trail is pruned by `prune_audit_trail` and nothing else,
    least of all by those it records."""

    list_display = ["at", "action", "actor", "member", "target"]
    list_filter = ["action", "member"]
    search_fields = ["target", "actor__email"]
    readonly_fields = ["at", "action", "actor", "member", "target", "details"]
    actions = None

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
