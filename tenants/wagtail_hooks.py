from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tenants import admin_views
from union.roles import is_union_admin


class UnionAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_union_admin(request.user)


@hooks.register("register_admin_urls")
def register_member_admin_urls():
    urls = [
        path("", admin_views.member_list, name="member_list"),
        path("ajouter/", admin_views.member_add, name="member_add"),
        path("<int:pk>/statut/", admin_views.member_status, name="member_status"),
    ]
    return [path("membres/", include((urls, "tenants_admin")))]


@hooks.register("register_admin_menu_item")
def register_member_menu_item():
    return UnionAdminMenuItem(
        "Membres", reverse("tenants_admin:member_list"), icon_name="group", order=250
    )
