"""/api/v1/ on the portal: one include per app."""

from django.urls import include, path

from union.tokens import obtain_api_token

urlpatterns = [
    path("auth/token/", obtain_api_token, name="api-token"),
    path("", include("tenants.api_urls")),
    path("", include("knowledge_base.api_urls")),
    path("", include("seminars.api_urls")),
    path("", include("abs_shared.api_urls")),
]
