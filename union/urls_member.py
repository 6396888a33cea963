"""URLconf of member hosts (<slug>.PLATFORM_DOMAIN): never the page tree nor the Wagtail admin."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from union import views

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("acces/<str:token>/", views.handover, name="handover"),
    path("api/v1/", include("union.api_urls_member")),
    path("api/schema/", SpectacularAPIView.as_view(urlconf="union.urls_member"), name="api-schema"),
    path("api/docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("tenants.workspace.urls")),
    path("abs/", include("abs_shared.local.urls")),
    path("experiences/", include("knowledge_base.member_urls")),
    path("evenements/", include("seminars.member_urls")),
]

handler403 = "union.views.forbidden"
handler404 = "union.views.not_found"
