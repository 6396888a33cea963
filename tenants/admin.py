"""Members in the Django admin: to look at, not to change what the services own.

A member is onboarded from the Wagtail admin's « Membres » (tenants.services.onboard_member:
schema, domain and audit in one transaction), its status changes through set_member_status, and
who may enter its space is decided by its direction (audited, e-mailed). An inline here let an
administrator add himself as director of any member, with no trace: memberships and domains are
shown read-only, and the fields those services own cannot be edited."""

from django.contrib import admin

from tenants.models import Commune, Domain, Intercommunality, MemberCCAS, Membership


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DomainInline(ReadOnlyInline):
    model = Domain
    fields = ["domain", "is_primary"]
    readonly_fields = fields


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ["user", "role", "created_at"]
    readonly_fields = fields


@admin.register(MemberCCAS)
class MemberCCASAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "status", "joined_on"]
    list_filter = ["status", "kind", "commune__departement"]
    search_fields = ["name", "commune__nom", "slug"]
    # Owned by onboard_member (slug, schema, commune, kind, intercommunality: the schema and the
    # host are named after them) and set_member_status (status: closes the space, hides its
    # published values, audited).
    readonly_fields = [
        "slug",
        "schema_name",
        "kind",
        "commune",
        "intercommunality",
        "status",
        "created_at",
    ]
    inlines = [DomainInline, MembershipInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Members are suspended or marked as having left, never deleted with their schema.
        return False


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["nom", "code", "departement", "population", "current"]
    search_fields = ["nom", "code", "match_key"]
    # « Actuelle : Non »: the communes a COG refresh flagged former (import_cog names them).
    list_filter = ["current", "region"]


@admin.register(Intercommunality)
class IntercommunalityAdmin(admin.ModelAdmin):
    list_display = ["nom", "siren", "kind", "population", "current"]
    search_fields = ["nom", "siren"]
    list_filter = ["current", "kind"]
