"""The Django admin is for union admins only (superusers or the union admin group)."""

from django.contrib import admin

from union.models import AuditEntry
from union.roles import is_union_admin


def _union_admin_only(request) -> bool:
    return is_union_admin(request.user)


admin.site.has_permission = _union_admin_only
admin.site.site_header = "Maillage – administration technique"
admin.site.site_title = "Maillage"


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "actor", "member", "target"]
    list_filter = ["action", "member"]
    search_fields = ["target", "actor__email"]
    readonly_fields = ["at", "action", "actor", "member", "target", "details"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
