"""The API's exception handler: DRF's, with French messages where DRF's own are English or name
a Python class, and the answer to any path under /api/ that no route knows.

DRF's messages are translated (LANGUAGE_CODE is fr) except those built from a parser's error, such
as "JSON parse error - Expecting value: line 1 column 1 (char 0)", and the CSRF refusal of a
session's write ("CSRF Failed: CSRF token missing."). Two translated ones still speak
to programmers, not to the API's users: Django's get_object_or_404 names the model's class
(« Aucun objet Indicator ne correspond à cette requête. ») and a serializer given a list names
Python's type (« Attendait un dictionnaire, a reçu list. »).
"""

import re
from functools import cache

from django.apps import apps
from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import is_valid_path
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.exceptions import ErrorDetail
from rest_framework.views import exception_handler

UNREADABLE_JSON = "Corps de requête illisible : JSON attendu."
UNREADABLE_BODY = "Corps de requête illisible."
NOT_FOUND = "Introuvable."
# Also the registration endpoints' answer to a body that is not an object (check_object_body).
OBJECT_EXPECTED = "Envoyez un objet JSON."
LIST_EXPECTED = "Envoyez une liste JSON."
# Content negotiation (before any view code): DRF answered an unknown `?format=` with a bare 404
# « Non trouvé. », as if the endpoint did not exist, and an unsatisfiable Accept header with
# « L'en-tête « Accept » n'a pas pu être satisfaite. » (en-tête is masculine), naming no format.
UNKNOWN_FORMAT = (
    "Format inconnu « {format} » : l'API répond en JSON (format=json, ou sans ce paramètre)."
)
# DRF's SessionAuthentication refuses a session's write without the CSRF token with an English
# "CSRF Failed: CSRF token missing." (Django's reason, untranslated): say what to send instead.
CSRF_FAILED = (
    "Requête refusée par la protection CSRF : avec la session du navigateur, une écriture "
    "envoie le jeton CSRF (cookie « {cookie} ») dans l'en-tête X-CSRFToken, depuis une page "
    "de ce site. Un script utilise plutôt un jeton d'API : en-tête "
    "« Authorization: Token <jeton> » (POST /api/v1/auth/token/)."
)
NOT_ACCEPTABLE = (
    "Aucun format demandé par l'en-tête « Accept » n'est disponible : "
    "l'API répond en JSON (application/json)."
)


def french_exception_handler(exc, context):
    if isinstance(exc, exceptions.ParseError) and str(exc.detail) != str(
        exceptions.ParseError.default_detail
    ):
        request = context.get("request")
        content_type = getattr(request, "content_type", "") or ""
        message = UNREADABLE_JSON if "json" in content_type.lower() else UNREADABLE_BODY
        exc = exceptions.ParseError(message)
    elif isinstance(exc, Http404) and not exc.args and _negotiation_failed(context):
        # DRF's DefaultContentNegotiation.filter_renderers: no renderer for `?format=`.
        wanted = context["request"].query_params.get("format", "")
        exc = exceptions.ValidationError({"format": [UNKNOWN_FORMAT.format(format=wanted[:50])]})
    elif isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith(
        "CSRF Failed:"
    ):
        exc = exceptions.PermissionDenied(
            CSRF_FAILED.format(cookie=settings.CSRF_COOKIE_NAME), code="csrf_failed"
        )
    elif isinstance(exc, exceptions.NotAcceptable):
        exc = exceptions.NotAcceptable(NOT_ACCEPTABLE)
    elif isinstance(exc, Http404) and exc.args:
        exc = exceptions.NotFound(readable_not_found(str(exc.args[0])))
    elif isinstance(exc, exceptions.ValidationError):
        exc.detail = without_type_names(exc.detail)
    return exception_handler(exc, context)


def _negotiation_failed(context) -> bool:
    """The exception was raised by the content negotiation, the first step of APIView.initial:
    the request has no accepted renderer yet."""
    request = context.get("request")
    return request is not None and not hasattr(request, "accepted_renderer")


def _pattern(template: str) -> re.Pattern:
    """A regular expression for a translated message with one placeholder, `%s` or `{name}`."""
    escaped = re.escape(template)
    escaped = re.sub(r"%s|\\\{\w+\\\}", r"(?P<name>\\w+)", escaped)
    return re.compile(f"^{escaped}$")


def _patterns(message: str) -> list[re.Pattern]:
    """Django's or DRF's message as translated now (French), and in English."""
    return [_pattern(gettext(message)), _pattern(message)]


def readable_not_found(message: str) -> str:
    """A view's own 404 message as it is (« Événement introuvable. »); Django's generic one,
    which names the model's class, as « <the model's verbose name> introuvable. » (« Indicateur
    introuvable. »), or « Introuvable. » when the model has no French name of its own."""
    for pattern in _patterns("No %s matches the given query."):
        found = pattern.match(message)
        if found:
            name = str(_verbose_names().get(found["name"]) or "")
            return f"{name[0].upper()}{name[1:]} introuvable." if name else NOT_FOUND
    return message


@cache
def _verbose_names() -> dict:
    """Class name -> the verbose name its model declares (only those that declare one, and
    only when every model of that class name agrees), kept lazy: read in the request's language."""
    declared: dict[str, set] = {}
    for model in apps.get_models():
        name = model._meta.original_attrs.get("verbose_name")
        declared.setdefault(model._meta.object_name, set()).add(name)
    return {
        cls: next(iter(names))
        for cls, names in declared.items()
        if len(names) == 1 and None not in names
    }


# DRF's messages (English source, as translated by its catalogue) that name a Python type.
TYPE_NAMING = {
    "Invalid data. Expected a dictionary, but got {datatype}.": OBJECT_EXPECTED,
    'Expected a dictionary of items but got type "{input_type}".': OBJECT_EXPECTED,
    'Expected a list of items but got type "{input_type}".': LIST_EXPECTED,
}


def without_type_names(detail):
    """DRF's « Attendait un dictionnaire, a reçu list. » (a serializer given something else
    than an object) and « Attendait une liste d'éléments mais a reçu « dict ». » (a list field)
    as « Envoyez un objet JSON. » and « Envoyez une liste JSON. », wherever they are in the
    errors; every other message as it is."""
    if isinstance(detail, dict):
        return {key: without_type_names(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [without_type_names(item) for item in detail]
    if isinstance(detail, ErrorDetail):
        for message, replacement in TYPE_NAMING.items():
            if any(pattern.match(str(detail)) for pattern in _patterns(message)):
                return ErrorDetail(replacement, code=detail.code)
    return detail


@csrf_exempt
def unknown_api_path(request, *args, **kwargs):
    """Any path under /api/ that no route knows, for every method: a JSON 404 in French.

    Mounted after the API's routes (union/urls_public.py, urls_member.py). Without it, such a
    path reached Wagtail's page tree on the portal, whose view checks the CSRF token first: a
    POST got Django's HTML page « La vérification CSRF a échoué ». A GET without the final
    slash of a real route is still redirected to it, as APPEND_SLASH did (this route now
    matches every /api/ path, so CommonMiddleware no longer does it); another method cannot
    follow a redirect with its body, so its 404 names the address with the slash."""
    from union.views import API_NOT_FOUND

    path = request.path_info
    if settings.APPEND_SLASH and not path.endswith("/"):
        match = is_valid_path(f"{path}/", getattr(request, "urlconf", None))
        if match and match.func is not unknown_api_path:
            if request.method in ("GET", "HEAD"):
                return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
            return JsonResponse(
                {"detail": f"Adresse inconnue de l'API : voulez-vous dire {request.path}/ ?"},
                status=404,
            )
    return JsonResponse({"detail": API_NOT_FOUND}, status=404)
