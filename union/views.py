"""Accounts: login on any host, the portal's "my spaces" page, the hand-over to a member space."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from seminars.retention import retention_periods
from tenants.models import MemberCCAS, Membership
from tenants.services import consume_handover_link, create_handover_link, portal_url
from union.account_retention import WARNING_DAYS
from union.formats import describe_days
from union.middleware import is_member_host


class LoginForm(AuthenticationForm):
    """Django's login form, with errors that say which field is missing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = (
            "Saisissez votre identifiant (votre adresse e-mail)."
        )
        self.fields["password"].error_messages["required"] = "Saisissez votre mot de passe."


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        """Passwords are reset on the portal only: a member host links there."""
        context = super().get_context_data(**kwargs)
        path = reverse("password_reset", urlconf=settings.PUBLIC_SCHEMA_URLCONF)
        on_member_host = is_member_host(self.request)
        context["password_reset_url"] = portal_url(path, self.request) if on_member_host else path
        return context


@login_required
def account(request):
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("member", "member__commune")
        .order_by("member__name")
    )
    return render(request, "union/account.html", {"memberships": memberships})


@login_required
@require_POST
def go_to_member_space(request, slug: str):
    """Cookies are host-only: hand the user over to the member host with a single-use link."""
    member = get_object_or_404(MemberCCAS, slug=slug)
    try:
        url = create_handover_link(request.user, member, request)
    except PermissionError:
        messages.error(request, "Vous n'avez pas accès à cet espace membre.")
        return HttpResponseRedirect("/compte/")
    return HttpResponseRedirect(url)


def handover(request, token: str):
    """Member host: log in with a hand-over link, or explain why it no longer works."""
    user = consume_handover_link(token, request.tenant)
    if user is None:
        messages.error(
            request,
            "Ce lien de connexion a expiré ou a déjà servi. Connectez-vous avec votre mot de passe.",
        )
        return HttpResponseRedirect("/connexion/")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponseRedirect("/")


def forbidden(request, exception=None):
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


API_NOT_FOUND = "Adresse inconnue de l'API : la documentation est sur /api/docs/ du portail."


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        # A path the API does not know reached Wagtail's page tree: its client reads JSON.
        return JsonResponse({"detail": API_NOT_FOUND}, status=404)
    return render(request, "404.html", status=404)


def privacy(request):
    """What the platform keeps about people, why, for how long, and how to exercise one's rights."""
    return render(
        request,
        "union/privacy.html",
        {
            "retention": retention_periods(),
            "audit_kept": describe_days(settings.AUDIT_KEPT_DAYS),
            "account_inactive": describe_days(settings.ACCOUNT_INACTIVE_DAYS),
            "account_warning": describe_days(WARNING_DAYS),
            "contact": settings.PRIVACY_CONTACT_EMAIL,
        },
    )
