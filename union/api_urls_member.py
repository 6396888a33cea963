"""/api/v1/ on a member host: the member's own data plus the public read endpoints."""

from django.urls import include, path

from union.tokens import obtain_api_token

urlpatterns = [
    path("auth/token/", obtain_api_token, name="api-token"),
    path("", include("tenants.workspace.api_urls")),
    path("", include("seminars.member_api_urls")),
    path("", include("abs_shared.local.api_urls")),
    path("", include("tenants.api_urls")),
    path("", include("abs_shared.api_urls")),
]
