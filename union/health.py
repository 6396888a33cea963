"""/sante/: the probe of a load balancer or a supervisor (systemd, Nagios, a container's health
check). 200 « ok » when this process answers and PostgreSQL runs a query, 503 otherwise.

On the portal host only (the public schema: no tenant look-up), without the session or the user
(nothing reads them, so nothing is loaded), and exempt from the HTTPS redirect
(SECURE_REDIRECT_EXEMPT in union/settings/production.py) so that a probe can ask gunicorn
directly over plain http, sending the portal's Host header (docs/operations.md).
"""

import logging

from django.db import Error, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

TEXT = "text/plain; charset=utf-8"


@never_cache
@require_safe
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error as error:
        logger.warning("Health check: the database does not answer (%s)", error)
        response = HttpResponse("La base de données ne répond pas.", status=503, content_type=TEXT)
        # Django logs every 5xx at ERROR, which mails ADMINS: a probe every few seconds during
        # an outage would send one e-mail each time. The warning above is enough.
        response._has_been_logged = True
        return response
    return HttpResponse("ok", content_type=TEXT)
