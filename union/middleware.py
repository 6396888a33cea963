"""Host routing: the portal on PLATFORM_DOMAIN, each member on <slug>.PLATFORM_DOMAIN."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.postgresql_backend.base import FakeTenant
from django_tenants.utils import get_public_schema_name
from wagtail.contrib.redirects.middleware import RedirectMiddleware, get_redirect
from wagtail.contrib.redirects.models import Redirect

from tenants.models import Membership
from tenants.services import is_union_staff_account
from union.tokens import api_token_user, token_person

# Paths of a member host that a visitor who is not (yet) a member may reach.
OPEN_MEMBER_PATHS = (
    "/connexion/",
    "/deconnexion/",
    "/acces/",
    "/static/",
    "/api/",
    "/favicon.ico",
    "/robots.txt",
)


def null_character_middleware(get_response):
    """400 « Requête invalide. » for a NUL character (%00) in the path or the query string.

    PostgreSQL refuses NUL in text: such a value reaching a query (a search, a lookup by code)
    raised a DataError, hence a 500. No page or API of the platform takes one.
    """

    def middleware(request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Requête invalide."}, status=400)
            return HttpResponseBadRequest(
                "Requête invalide.", content_type="text/plain; charset=utf-8"
            )
        return get_response(request)

    return middleware


def portal_hosts() -> set[str]:
    return {settings.PLATFORM_DOMAIN, *getattr(settings, "EXTRA_PORTAL_HOSTS", ())}


class HostTenantMiddleware(TenantMainMiddleware):
    """The portal host is the public schema without a tenant row; an unknown host gets 404."""

    def get_tenant(self, domain_model, hostname):
        if hostname in portal_hosts():
            return FakeTenant(schema_name=get_public_schema_name())
        return super().get_tenant(domain_model, hostname)


def is_member_host(request) -> bool:
    tenant = getattr(request, "tenant", None)
    return tenant is not None and tenant.schema_name != get_public_schema_name()


class MemberSpaceMiddleware:
    """On a member host: a suspended space says so; a logged-in non-member gets 403.

    API paths are left to the API's permission classes (token authentication happens in the view).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._respond(request)
        if "Cache-Control" not in response and _private_answer(request):
            # A member's pages, files, exports and API answers, and the pages of a signed-in
            # person: no shared cache (a town hall's proxy) may keep them for the next
            # visitor, nor may the browser's disk once she has signed out (a reception's PC).
            add_never_cache_headers(response)
        return response

    def _respond(self, request):
        request.membership = None
        if not is_member_host(request):
            return self.get_response(request)
        member = request.tenant
        if request.path.startswith("/static/"):
            return self.get_response(request)
        if not member.is_active:
            # A member that left the union keeps, for a few days, a way in for its direction to
            # download its data (sign-in and the archive only: tenants.workspace.archive).
            from tenants.workspace.archive import closed_space_context, open_after_departure

            if not open_after_departure(request):
                # Why a space is closed (unpaid dues, a departure) is its people's and the
                # union's business: anyone else reads that it is not accessible, as the
                # portal's directory simply leaves it out.
                own = _own_people(request, member)
                if request.path.startswith("/api/"):
                    # An API client reads JSON: the closed page's HTML was no answer to it.
                    detail = closed_space_detail(member) if own else NOT_ACCESSIBLE
                    return JsonResponse({"detail": detail}, status=403)
                if not own:
                    return render(
                        request, "tenants/not_accessible.html", _way_in(request), status=403
                    )
                context = closed_space_context(member)
                return render(request, "tenants/suspended.html", context, status=403)
        if not request.user.is_authenticated:
            # A file the API links to (a document's `url`) also takes the API token (GET).
            request.user = api_token_user(request) or request.user
        user = request.user
        if user.is_authenticated:
            request.membership = Membership.objects.filter(
                user=user, member=member, user__is_active=True
            ).first()
        # The union's team never enters a member's space, even with an access the direction gave
        # it before the team page refused that (tenants.services.is_union_staff_account).
        union_staff = request.membership is not None and is_union_staff_account(user)
        if union_staff:
            request.membership = None
        if request.path.startswith(OPEN_MEMBER_PATHS):
            return self.get_response(request)
        if not user.is_authenticated:
            return sign_in_redirect(request)
        if request.membership is None:
            context = {"member": member, "union_staff": union_staff}
            return render(request, "tenants/forbidden.html", context, status=403)
        return self.get_response(request)


# `?motif=` of the sign-in page when a POST found no session (union.views.LoginView).
SESSION_ENDED_REASON = "session-finie"


def sign_in_redirect(request) -> HttpResponseRedirect:
    """To the sign-in page, back to this address afterwards (its query string kept whole). A POST
    here means a form sent after the session ended (signed out in another tab): what it carried
    is lost, and kept nowhere on purpose (it may hold anyone's personal data); the sign-in page
    says so, rather than the empty form she finds afterwards."""
    query = {"next": request.get_full_path()}
    if request.method == "POST":
        query["motif"] = SESSION_ENDED_REASON
    return HttpResponseRedirect(f"{reverse('login')}?{urlencode(query, safe='/')}")


def method_not_allowed_page_middleware(get_response):
    """A GET answered 405 with an empty body (require_POST and its kind): the sign-in sent the
    person back to a button's address after her session ended, and a white page let her think
    the validation, publication or check-in was done. A French page in the site's layout says it
    was not, and links the page the button is on; status and Allow stay. Browsers only: the API
    and JSON clients keep their answers."""

    def middleware(request):
        response = get_response(request)
        if (
            response.status_code == 405
            and request.method == "GET"
            and not getattr(response, "streaming", False)
            and not response.content
            and not request.path.startswith("/api/")
            and request.accepts("text/html")
        ):
            page = render(request, "405.html", {"back_url": page_above(request)}, status=405)
            page["Allow"] = response["Allow"]
            return page
        return response

    return middleware


def page_above(request) -> str:
    """The nearest address above the request's that a view of this host answers: where a
    POST-only button usually lives (/abs/valider/ → /abs/, /equipe/3/role/ → /equipe/,
    /admin/inscriptions/21/39/lien/ → /admin/inscriptions/21/). Wagtail's page route (any path
    of the portal) and its admin's last route (any path under /admin/, a 404) prove nothing and
    are passed over; "/" when nothing else answers."""
    urlconf = getattr(request, "urlconf", None)
    parts = [part for part in request.path.split("/") if part]
    while parts:
        parts.pop()
        candidate = "/" + "".join(f"{part}/" for part in parts)
        try:
            match = resolve(candidate, urlconf)
        except Resolver404:
            continue
        if (match.func.__module__, match.func.__name__) not in CATCH_ALL_VIEWS:
            return candidate
    return "/"


# Views whose route matches any path: Wagtail's pages, and its admin's 404 for unknown screens.
CATCH_ALL_VIEWS = {("wagtail.views", "serve"), ("wagtail.admin.views.home", "default")}


def _private_answer(request) -> bool:
    """Whether an answer must not be cached: anything of a member host (its static files never
    get here: WhiteNoise answers them earlier), and on the portal what was written for a
    signed-in person. The portal's session is asked only if the view read it already (its
    `Vary: Cookie` is then set): a public page stays cacheable."""
    if is_member_host(request):
        return not request.path.startswith("/static/")
    session = getattr(request, "session", None)
    return bool(session is not None and session.accessed and request.user.is_authenticated)


NOT_ACCESSIBLE = (
    "Cet espace n'est pas accessible. Si vous faites partie de son équipe, connectez-vous au "
    "portail : « Mes espaces » vous dit pourquoi."
)


def _own_people(request, member) -> bool:
    """Whether whoever asks may read why `member`'s space is closed: a person with access to it
    (whatever its status) or the union's staff. The API's token is read here, its view never
    runs for a closed space; the pages' session user otherwise."""
    from union.roles import is_union_staff

    user = request.user
    if request.path.startswith("/api/") and not user.is_authenticated:
        user = token_person(request) or user
    if not user.is_authenticated:
        return False
    return is_union_staff(user) or Membership.objects.filter(user=user, member=member).exists()


def _way_in(request) -> dict:
    """The closed space's neutral page: sign in on the portal, whose « Mes espaces » tells the
    member's people what happened and offers a departed member's direction its archive."""
    from tenants.services import portal_url

    return {
        "login_url": portal_url("/connexion/?next=/compte/", request),
        "portal_url": portal_url("/", request),
    }


def closed_space_detail(member) -> str:
    """The closed page's words for the API (tenants/suspended.html), for the member's own people
    and the union (NOT_ACCESSIBLE for anyone else)."""
    why = (
        "ce membre a quitté l'union"
        if member.status == member.Status.LEFT
        else "il est suspendu par l'union"
    )
    return (
        f"Cet espace est fermé : {why}. Ses données sont conservées ; pour le rouvrir, "
        "contactez l'équipe de l'union."
    )


class PageRedirectMiddleware(RedirectMiddleware):
    """Wagtail's redirects (set by editors for pages that moved, or made by Wagtail when a slug
    changed), for pages only: an unknown /api/ path keeps the API's JSON 404
    (union.views.not_found) and costs no redirect look-up (two queries per junk path).

    The request's query string goes along: Wagtail drops it when the redirect it found was
    stored for the path alone, and a guest's invitation link (`?invitation=<key>`) to a renamed
    event then led to « Événement sur invitation » (404), a bookmarked filtered listing to the
    unfiltered one. A redirect stored for one exact query string, or whose target has a query
    of its own, is left as the editor wrote it."""

    def process_response(self, request, response):
        if request.path.startswith("/api/"):
            return response
        redirected = super().process_response(request, response)
        if redirected is response or not request.META.get("QUERY_STRING"):
            return redirected
        if "?" in redirected["Location"] or _redirect_for_full_path(request):
            return redirected
        # As get_full_path() writes it: percent-encoded, safe in a Location header.
        redirected["Location"] += "?" + request.get_full_path().partition("?")[2]
        return redirected


def _redirect_for_full_path(request) -> bool:
    """Whether a redirect is stored for the request's path with its query string (Wagtail's
    first look-up, which it does not tell about)."""
    path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
    return get_redirect(request, path) is not None
