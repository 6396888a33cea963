from django.contrib import admin

from tenants.models import Commune, Domain, Intercommunality, MemberCCAS, Membership


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(MemberCCAS)
class MemberCCASAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "status", "joined_on"]
    list_filter = ["status", "kind", "commune__departement"]
    search_fields = ["name", "commune__nom", "slug"]
    readonly_fields = ["schema_name", "created_at"]
    autocomplete_fields = ["commune", "intercommunality"]
    inlines = [DomainInline, MembershipInline]

    def has_delete_permission(self, request, obj=None):
        # Members are suspended or marked as having left, never deleted with their schema.
        return False


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["nom", "code", "departement", "population"]
    search_fields = ["nom", "code", "match_key"]
    list_filter = ["region"]


@admin.register(Intercommunality)
class IntercommunalityAdmin(admin.ModelAdmin):
    list_display = ["nom", "siren", "kind", "population"]
    search_fields = ["nom", "siren"]
    list_filter = ["kind"]
