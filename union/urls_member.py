"""URLconf of member hosts (<slug>.PLATFORM_DOMAIN): never the page tree nor the Wagtail admin."""

from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from union import views
from union.api_errors import unknown_api_path
from union.csp import API_DOCS_POLICY

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("acces/<str:token>/", views.handover, name="handover"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # « Mon compte » here too: cookies are host-only, so the portal's page would ask to sign in
    # again. The forgotten password stays on the portal (views.LoginView links there).
    path("compte/profil/", views.account_profile, name="account_profile"),
    path("compte/mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path("api/v1/", include("union.api_urls_member")),
    path("api/schema/", SpectacularAPIView.as_view(urlconf="union.urls_member"), name="api-schema"),
    path(
        "api/docs/",
        csp_override(API_DOCS_POLICY)(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    # After the API's routes: any other /api/ path is a JSON 404, whatever the method (on the
    # portal it went on to Wagtail's pages, whose CSRF check answered a POST with an HTML 403).
    re_path(r"^api/", unknown_api_path),
    path("", include("tenants.workspace.urls")),
    path("abs/", include("abs_shared.local.urls")),
    path("journal/", include("tenants.journal.urls")),
    path("experiences/", include("knowledge_base.member_urls")),
    path("evenements/", include("seminars.member_urls")),
]

handler403 = "union.views.forbidden"
handler404 = "union.views.not_found"
