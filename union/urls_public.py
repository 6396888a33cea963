"""URLconf of the portal host (public schema): Wagtail, accounts, directory, API."""

from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from tenants import views as tenant_views
from union import views
from union.api_errors import unknown_api_path
from union.csp import API_DOCS_POLICY
from union.documents import serve_document
from union.health import health
from union.sitemaps import SITEMAPS

urlpatterns = [
    # Wagtail's reports with inert CSV/XLSX cells: before Wagtail's admin, which also has them.
    path("admin/reports/", include("union.admin_reports")),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    # A document's old address (its file replaced since) leads to the current one; otherwise
    # Wagtail's own view (union.documents). Wagtail's routes stay for its other views and names.
    re_path(r"^documents/(\d+)/(.*)$", serve_document),
    path("documents/", include(wagtaildocs_urls)),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("compte/", views.account, name="account"),
    path("compte/espace/<slug:slug>/", views.go_to_member_space, name="go_to_member_space"),
    path("compte/profil/", views.account_profile, name="account_profile"),
    path("compte/mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "compte/mot-de-passe/oublie/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "compte/mot-de-passe/envoye/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "compte/mot-de-passe/<uidb64>/<token>/",
        tenant_views.SetPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "compte/mot-de-passe/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("membres/", tenant_views.member_directory, name="member_directory"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("contact/", views.contact, name="contact"),
    path("sante/", health, name="health"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/v1/", include("union.api_urls_public")),
    path("api/schema/", SpectacularAPIView.as_view(urlconf="union.urls_public"), name="api-schema"),
    path(
        "api/docs/",
        csp_override(API_DOCS_POLICY)(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    # After the API's routes: any other /api/ path is a JSON 404, whatever the method (on the
    # portal it went on to Wagtail's pages, whose CSRF check answered a POST with an HTML 403).
    re_path(r"^api/", unknown_api_path),
    path("", include("knowledge_base.urls")),
    path("", include("seminars.urls")),
    path("", include("abs_shared.urls")),
]

# What nginx serves from MEDIA_ROOT in production (docs/operations.md); Wagtail's renditions,
# the admin's « original » link included.
PUBLIC_MEDIA_FOLDERS = ("images",)


def public_media_patterns() -> list:
    """In development (DEBUG), the files the production proxy serves itself, and nothing else
    under MEDIA_ROOT (docs/operations.md): Wagtail's image renditions. Members' uploads
    (MEDIA_ROOT/m_<slug>/) go through their space's views, which check who asks, and Wagtail's
    documents through its view, which checks the pages using them."""
    from django.conf.urls.static import static

    patterns = []
    for folder in PUBLIC_MEDIA_FOLDERS:
        patterns += static(
            f"{settings.MEDIA_URL}{folder}/", document_root=Path(settings.MEDIA_ROOT) / folder
        )
    return patterns  # empty unless DEBUG: static() serves nothing in production


urlpatterns += public_media_patterns()

# Wagtail's page tree last: it catches every remaining path.
urlpatterns += [path("", include(wagtail_urls))]

handler403 = "union.views.forbidden"
handler404 = "union.views.not_found"
