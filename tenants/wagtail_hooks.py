from django.contrib.auth import get_user_model
from django.urls import include, path, reverse
from laces.components import Component
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tenants import admin_views, network_views
from tenants.sessions import end_sessions
from union.roles import is_union_admin


class UnionAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_union_admin(request.user)


@hooks.register("register_admin_urls")
def register_member_admin_urls():
    urls = [
        path("", admin_views.member_list, name="member_list"),
        path("ajouter/", admin_views.member_add, name="member_add"),
        # « Écrire aux membres »: the union writes to its members' directions or teams.
        path("ecrire/", network_views.network_message, name="network_message"),
        path("<int:pk>/", admin_views.member_detail, name="member_detail"),
        path("<int:pk>/statut/", admin_views.member_status, name="member_status"),
        path(
            "<int:pk>/direction/",
            admin_views.member_invite_direction,
            name="member_invite_direction",
        ),
        path(
            "<int:pk>/personnes/<int:membership_pk>/renvoyer/",
            admin_views.member_resend_invitation,
            name="member_resend_invitation",
        ),
    ]
    return [path("membres/", include((urls, "tenants_admin")))]


@hooks.register("register_admin_menu_item")
def register_member_menu_item():
    return UnionAdminMenuItem(
        "Membres", reverse("tenants_admin:member_list"), icon_name="group", order=250
    )


class FederationPanel(Component):
    """The union's members at a glance on the admin home: by status, directions that never
    signed in, invitations whose link expired, ABS publications this year."""

    name = "federation"
    template_name = "tenants/admin/federation_panel.html"
    order = 60  # after the e-mail queue's warning, before Wagtail's own panels

    def get_context_data(self, parent_context):
        return admin_views.federation_overview()


@hooks.register("construct_homepage_panels")
def add_federation_panel(request, panels):
    if is_union_admin(request.user):
        panels.append(FederationPanel())


@hooks.register("after_bulk_action")
def end_sessions_of_deactivated_users(request, action_type, objects, action):
    """Wagtail's bulk « Set active state » writes with QuerySet.update(), which sends no signal:
    the accounts it closed lose their sessions here (tenants.sessions)."""
    User = get_user_model()
    if action_type != "set_active_state" or getattr(action, "model", None) is not User:
        return None
    ids = [user.pk for user in objects]
    end_sessions(User.objects.filter(pk__in=ids, is_active=False).values_list("pk", flat=True))
    return None
