"""The API's exception handler: DRF's, with French messages where DRF's own are English.

DRF's messages are translated (LANGUAGE_CODE is fr) except those built from a parser's error, such
as "JSON parse error - Expecting value: line 1 column 1 (char 0)".
"""

from rest_framework import exceptions
from rest_framework.views import exception_handler

UNREADABLE_JSON = "Corps de requête illisible : JSON attendu."
UNREADABLE_BODY = "Corps de requête illisible."


def french_exception_handler(exc, context):
    if isinstance(exc, exceptions.ParseError) and str(exc.detail) != str(
        exceptions.ParseError.default_detail
    ):
        request = context.get("request")
        content_type = getattr(request, "content_type", "") or ""
        message = UNREADABLE_JSON if "json" in content_type.lower() else UNREADABLE_BODY
        exc = exceptions.ParseError(message)
    return exception_handler(exc, context)
