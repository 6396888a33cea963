"""Wagtail's users app, with the union's users viewset (union.users_admin): the documented way
to customise the users listing is an AppConfig subclass replacing « wagtail.users » in
INSTALLED_APPS (Wagtail's « Custom user models » guide). Kept apart from the viewset: an
AppConfig module is imported before the models are ready."""

from wagtail.users.apps import WagtailUsersAppConfig


class UnionUsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "union.users_admin.UnionUserViewSet"
