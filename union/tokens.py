"""API tokens (DRF's authtoken): one per person, obtained with her address and password at
/api/v1/auth/token/ (docs/api.md), on the portal or a member host.

A token is a second password that never expires: it must end with the first one. Changing one's
password (« Mon compte »), choosing a new one from a reset or invitation link, and a deactivated
account (the union's users admin, its bulk « Set active state », union.account_retention) revoke
it; the person asks for a new one with her new password. Done once, on the user model's save
(connected in union.apps.UnionConfig.ready), rather than in each view that changes a password;
Wagtail's bulk action writes with QuerySet.update(), which sends no signal: union.wagtail_hooks
calls `revoke_api_tokens` itself there.

The token view is also throttled (scope "auth", settings.API_AUTH_THROTTLE_RATE): guessing a
password there is as cheap as on the login page, which nginx limits (docs/operations.md)."""

from django.conf import settings
from django.urls import Resolver404, resolve
from django_tenants.utils import get_public_schema_name, schema_context
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ErrorDetail
from rest_framework.throttling import ScopedRateThrottle

# Noted on the instance by the pre_save receiver for the post_save one.
_REVOKE = "_maillage_revoke_api_tokens"
# Set on a view (accepts_api_token) whose GET also takes the API token.
_TAKES_TOKEN = "api_token_accepted"


def revoke_api_tokens(users) -> int:
    """Delete the API tokens of `users` (a user, or an iterable of users or primary keys); how
    many were deleted."""
    if hasattr(users, "pk"):
        users = [users]
    ids = [getattr(user, "pk", user) for user in users]
    deleted, _ = Token.objects.filter(user_id__in=ids).delete()
    return deleted


def note_credentials_change(sender, instance, update_fields=None, **kwargs):
    """pre_save of the user model: does this save change the password or close the account?

    A new password is one set with set_password() (Django keeps the raw one in `_password` until
    the save): a hash upgraded at login (check_password) is the same password, and keeps the
    token. Saves that touch neither field (last_login at each login) cost no query."""
    if instance.pk is None:
        return
    fields = set(update_fields) if update_fields is not None else None
    new_password = getattr(instance, "_password", None) is not None and (
        fields is None or "password" in fields
    )
    closed = False
    if not instance.is_active and (fields is None or "is_active" in fields):
        closed = sender._default_manager.filter(pk=instance.pk, is_active=True).exists()
    setattr(instance, _REVOKE, new_password or closed)


def revoke_on_credentials_change(sender, instance, created=False, **kwargs):
    """post_save of the user model: revoke the tokens once the change is saved."""
    if not created and getattr(instance, _REVOKE, False):
        revoke_api_tokens(instance)
    setattr(instance, _REVOKE, False)


THROTTLED = "Trop de tentatives de connexion à l'API depuis votre adresse : réessayez dans {wait}."


def _seconds(wait: int) -> str:
    return f"{wait} seconde{'s' if wait > 1 else ''}"


class PlatformWideScopedRateThrottle(ScopedRateThrottle):
    """DRF's per-address throttle, counted once for the whole platform: cache keys carry the
    schema's name (django_tenants.cache.make_key), so each member host would otherwise grant its
    own 10 attempts. The count lives in the default cache: LocMemCache is per gunicorn process
    (each process counts its own attempts) unless CACHE_URL makes it a shared Redis
    (docs/operations.md); nginx's limit holds across processes either way."""

    def get_rate(self):
        # Read at each request (not from DRF's settings, frozen at import): tests change it.
        return settings.API_AUTH_THROTTLE_RATE

    def allow_request(self, request, view):
        with schema_context(get_public_schema_name()):
            return super().allow_request(request, view)


class AddressTokenSerializer(AuthTokenSerializer):
    """DRF's serializer, the identifier looked up as on the sign-in pages: the address in any
    case, then the username (union.user_forms.login_username)."""

    def validate(self, attrs):
        from union.user_forms import login_username

        if attrs.get("username"):
            attrs["username"] = login_username(attrs["username"])
        return super().validate(attrs)


@extend_schema_view(
    post=extend_schema(
        responses={
            200: inline_serializer("ApiToken", {"token": serializers.CharField()}),
            400: OpenApiResponse(
                description="Adresse ou mot de passe refusés, ou compte inactif "
                "(`non_field_errors`, en français)"
            ),
            429: OpenApiResponse(
                description="Trop de tentatives depuis la même adresse IP (`detail`, en "
                "français) ; l'en-tête `Retry-After` donne l'attente en secondes"
            ),
        }
    )
)
class ObtainAPIToken(ObtainAuthToken):
    """DRF's token view (address and password → the person's token), throttled, with a French
    message and a Retry-After header when the limit is reached."""

    serializer_class = AddressTokenSerializer
    throttle_classes = [PlatformWideScopedRateThrottle]
    throttle_scope = "auth"

    def throttled(self, request, wait):
        exc = exceptions.Throttled(wait)
        seconds = exc.wait if exc.wait is not None else 60
        exc.detail = ErrorDetail(THROTTLED.format(wait=_seconds(seconds)), code="throttled")
        raise exc


obtain_api_token = ObtainAPIToken.as_view()


# --- Files the API links to --------------------------------------------------------------------
# A document's `url` in GET /api/v1/documents/ is a page of the member host, not an API view: a
# client that listed the documents with its token must fetch the file with that same token. Only
# reads take it (a token carries no CSRF protection, so no page that writes may accept it), and it
# signs nobody in: the answer sets no session.


def token_person(request):
    """The user of the request's API token, as the API's own TokenAuthentication reads the
    header (it takes a plain HttpRequest); None without one, or with a wrong one."""
    from rest_framework.authentication import TokenAuthentication
    from rest_framework.exceptions import AuthenticationFailed

    try:
        found = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return None
    return found[0] if found else None


def accepts_api_token(view):
    """Mark `view`: a GET of it may come with the API token instead of a session. The member
    host's middleware reads the token before any view runs (api_token_user), so the view's own
    checks (a member's role) apply to the token's person."""
    setattr(view, _TAKES_TOKEN, True)
    return view


def api_token_user(request):
    """The token's person when the request is a GET or HEAD of a view that accepts one
    (accepts_api_token): for the middleware, which must know who asks before the view runs (it
    sends anyone unknown to the sign-in page); None for any other request."""
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" not in request.META:
        return None  # most requests: no resolving
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    return token_person(request) if getattr(match.func, _TAKES_TOKEN, False) else None
