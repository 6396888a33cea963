"""Accounts: login on any host, the portal's "my spaces" page, « Mon compte » (name, password)
on every host, the hand-over to a member space."""

import unicodedata

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from seminars.retention import retention_periods
from tenants.models import MemberCCAS, Membership
from tenants.services import (
    consume_handover_link,
    create_handover_link,
    handover_link_user,
    is_union_staff_account,
    password_link_deadline,
    portal_url,
    rename_person,
    send_set_password_email,
)
from tenants.workspace import archive
from union.account_retention import WARNING_DAYS
from union.audit import record_audit
from union.formats import describe_days
from union.middleware import SESSION_ENDED_REASON, is_member_host
from union.password_reset import LimitedPasswordResetMixin
from union.sitemaps import MEMBER_ROBOTS_LINES, portal_robots_lines
from union.user_forms import login_username


class LoginForm(AuthenticationForm):
    """Django's login form, with errors that say which field is missing and what to do when
    the pair is wrong. The identifier is an e-mail address, which the invitation stores in
    lower case: « Denise.Durand@… » finds the account « denise.durand@… » (Django compares
    usernames exactly, and its error then said the fields were case-sensitive)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = (
            "Saisissez votre identifiant (votre adresse e-mail)."
        )
        self.fields["password"].error_messages["required"] = "Saisissez votre mot de passe."
        self.error_messages = {
            **self.error_messages,
            "invalid_login": (
                "Adresse e-mail ou mot de passe incorrect. Vérifiez-les (dans le mot de passe, "
                "majuscules et minuscules comptent) ; si vous l'avez oublié ou n'en avez "
                "jamais choisi, utilisez « Mot de passe oublié ? » sous le formulaire."
            ),
        }

    def clean_username(self):
        # The address (any case), then the username: union.user_forms, as /admin/login/ and the
        # API's token.
        return login_username(self.cleaned_data["username"])


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        """Passwords are reset on the portal only: a member host links there."""
        context = super().get_context_data(**kwargs)
        path = reverse("password_reset", urlconf=settings.PUBLIC_SCHEMA_URLCONF)
        on_member_host = is_member_host(self.request)
        context["password_reset_url"] = portal_url(path, self.request) if on_member_host else path
        # Sent here by a POST that found no session (union.middleware.sign_in_redirect): what
        # she had just sent is lost, and she should know it before signing in.
        context["session_ended"] = self.request.GET.get("motif") == SESSION_ENDED_REASON
        return context

    def get_default_redirect_url(self):
        """Without a `next`: on the portal, a person with member spaces lands on « Mes espaces »
        (where she enters them), not on the portal's home; a member host opens its dashboard."""
        if not is_member_host(self.request) and (
            Membership.objects.filter(user=self.request.user).exists()
        ):
            return reverse("account")
        return super().get_default_redirect_url()


def _same_address(a: str, b: str) -> bool:
    # As Django's reset form compares them (its helper is private).
    return (
        unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()
    )


class PasswordResetForm(LimitedPasswordResetMixin, DjangoPasswordResetForm):
    """Django's « mot de passe oublié », which also answers an active account that has never
    chosen a password (an invitation whose link expired or got lost): Django skips accounts
    with an unusable password, so such a person was told a link was sent and got nothing.
    She receives the set-password e-mail instead. The page says the same whatever the address
    (nothing tells whether an account exists). Both e-mails say until when the link works.
    At most PASSWORD_RESET_EMAILS_PER_HOUR per address, links on the portal's configured address
    (union.password_reset)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Adresse e-mail"  # Django's French says « Courriel »; the site says e-mail
        email.error_messages["required"] = "Indiquez l'adresse e-mail de votre compte."
        email.error_messages["invalid"] = (
            "Adresse e-mail invalide : vérifiez-la (exemple : prenom.nom@ccas-ville.fr)."
        )

    def users_without_password(self, email: str):
        User = get_user_model()
        field = User.get_email_field_name()
        candidates = User._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        return [
            user
            for user in candidates
            if not user.has_usable_password() and _same_address(email, getattr(user, field))
        ]

    def send_reset_emails(self, *args, request=None, extra_email_context=None, **kwargs):
        extra_email_context = {
            **(extra_email_context or {}),
            "valid_until": password_link_deadline(),
            "platform_name": settings.PLATFORM_NAME,
        }
        # The HTML alternative's title and heading (union/email/layout.html): the subject.
        subject_template = kwargs.get(
            "subject_template_name", "registration/password_reset_subject.txt"
        )
        extra_email_context["subject"] = "".join(
            render_to_string(subject_template, extra_email_context).splitlines()
        )
        super().send_reset_emails(
            *args, request=request, extra_email_context=extra_email_context, **kwargs
        )
        for user in self.users_without_password(self.cleaned_data["email"]):
            # The link on the configured address (WAGTAILADMIN_BASE_URL), never the Host header.
            send_set_password_email(user, reason="forgotten")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    # The text body stays registration/password_reset_email.html (Django's name for it).
    html_email_template_name = "registration/email/password_reset.html"


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["link_lifetime"] = describe_days(max(1, settings.PASSWORD_RESET_TIMEOUT // 86400))
        return context


@login_required
def account(request):
    memberships = list(
        Membership.objects.filter(user=request.user)
        .select_related("member", "member__commune")
        .order_by("member__name")
    )
    for membership in memberships:
        # A member that left: its direction may still enter, for the archive only, until
        # this day (tenants.workspace.archive); « Mes espaces » offers the way in.
        member = membership.member
        membership.archive_until = None
        if membership.is_director and member.status == MemberCCAS.Status.LEFT:
            membership.archive_until = archive.archive_still_open_until(member)
    # The union's team never enters a member's space (union.middleware): an access it kept
    # from before is shown as such, without a way in that would end on a refusal.
    union_account = is_union_staff_account(request.user)
    return render(
        request,
        "union/account.html",
        {"memberships": memberships, "union_account": union_account},
    )


class AccountNameForm(forms.Form):
    first_name = forms.CharField(
        label="Prénom",
        max_length=150,
        required=False,
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Nom",
        max_length=150,
        required=False,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )


@login_required
def account_profile(request):
    """« Mon compte » on any host (cookies are host-only: a member space has its own): the
    person's name, shown to her team and beside her documents instead of her address, and the
    way to change her password. On a member host, only its members get here (MemberSpaceMiddleware)."""
    user = request.user
    form = AccountNameForm(
        request.POST or None, initial={"first_name": user.first_name, "last_name": user.last_name}
    )
    if request.method == "POST" and form.is_valid():
        rename_person(user, form.cleaned_data["first_name"], form.cleaned_data["last_name"])
        messages.success(request, "Votre nom est enregistré.")
        return HttpResponseRedirect("/compte/profil/")
    return render(
        request,
        "union/account_profile.html",
        {"form": form, "on_member_host": is_member_host(request)},
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's (the session stays open: update_session_auth_hash), in French, back to
    « Mon compte » with a message, audited."""

    success_url = "/compte/profil/"

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            record_audit(
                "account.password_changed",
                actor=self.request.user,
                target=self.request.user.email or self.request.user.get_username(),
            )
        messages.success(self.request, "Votre mot de passe est changé.")
        return response


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


@never_cache
@require_http_methods(["GET", "POST"])
def handover(request, token: str):
    """Member host: the hand-over link from the portal's « Mes espaces ». A GET only shows
    which account enters which space, with one button; its POST (CSRF-checked, like every POST)
    spends the link and signs in. Signing in on a GET let any page (an <img>, a link) sign a
    visitor into its author's account (login CSRF), and let link scanners spend the link. The
    portal cannot post here itself: CSRF cookies are host-only (ARCHITECTURE.md)."""
    if request.method == "POST":
        user = consume_handover_link(token, request.tenant)
    else:
        user = handover_link_user(token, request.tenant)
    if (
        user is None
        and Membership.objects.filter(user_id=request.user.pk, member=request.tenant).exists()
    ):
        # Already in this space (Back or a reload after « Ouvrir l'espace »: the link is
        # spent): its dashboard, not « connectez-vous » to a person who is signed in.
        return HttpResponseRedirect("/")
    if user is None:
        messages.error(
            request,
            "Ce lien de connexion a expiré ou a déjà servi. Connectez-vous avec votre mot de passe.",
        )
        return HttpResponseRedirect("/connexion/")
    if request.method == "GET":
        name = request.tenant.name
        space = f"du {name}" if name.startswith(("CCAS ", "CIAS ")) else f"« {name} »"
        minutes = max(1, settings.MEMBER_LINK_MAX_AGE // 60)
        lifetime = f"{minutes} minute{'s' if minutes > 1 else ''}"
        return render(
            request, "union/handover.html", {"person": user, "space": space, "lifetime": lifetime}
        )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # A member that left opens only its archive's page to its direction (union.middleware).
    return HttpResponseRedirect("/" if request.tenant.is_active else archive.ARCHIVE_PAGE)


def forbidden(request, exception=None):
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


CSRF_API_DETAIL = "Vérification CSRF refusée : rien n'a été enregistré."


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW, every host and the admins' screens: a form left open while its person
    signed in again in another tab (login() changes the token) or whose session ended. Django's
    page was English and bare; this one says nothing was saved, that Back still holds what was
    typed, and links the form's page and the union's contact. The API's views are exempt (DRF
    checks a session's token itself and answers its JSON 403): an /api/ path that gets here
    answers JSON all the same."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": CSRF_API_DETAIL}, status=403)
    from union.models import UnionSettings

    referer = request.headers.get("Referer", "")
    same_host = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    context = {
        "back_url": referer if referer and same_host else "",
        "identity": UnionSettings.load(request_or_site=request),
    }
    return render(request, "403_csrf.html", context, status=403)


API_NOT_FOUND = "Adresse inconnue de l'API : la documentation est sur /api/docs/ du portail."


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        # A path the API does not know reached Wagtail's page tree: its client reads JSON.
        return JsonResponse({"detail": API_NOT_FOUND}, status=404)
    return render(request, "404.html", status=404)


@require_safe
def robots_txt(request):
    if is_member_host(request):
        lines = MEMBER_ROBOTS_LINES
    else:
        lines = portal_robots_lines(request.build_absolute_uri(reverse("sitemap")))
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


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
            "failed_email_kept": describe_days(settings.FAILED_EMAIL_KEEP_DAYS),
            "contact": settings.PRIVACY_CONTACT_EMAIL,
        },
    )


def _union_page(request, template: str, **context):
    """A page about the union itself, from its settings (admin: Paramètres › Identité et
    coordonnées de l'union). Whoever may edit them is told what is still missing, with the link."""
    from union.models import UnionSettings

    identity = UnionSettings.load(request_or_site=request)
    if request.user.has_perm("union.change_unionsettings"):
        context["missing"] = identity.missing_legal_fields()
        context["settings_url"] = reverse(
            "wagtailsettings:edit", args=["union", "unionsettings", identity.pk]
        )
    return render(
        request,
        template,
        {"identity": identity, "privacy_contact": settings.PRIVACY_CONTACT_EMAIL, **context},
    )


def legal_notice(request):
    """/mentions-legales/: who publishes the portal, who answers for it, who hosts it (LCEN)."""
    return _union_page(request, "union/legal_notice.html")


def accessibility(request):
    """/accessibilite/: the accessibility statement, in the RGAA's shape."""
    return _union_page(request, "union/accessibility.html")


def contact(request):
    """/contact/: how to reach the union (no form: a phone number and an address are enough)."""
    return _union_page(request, "union/contact.html")
