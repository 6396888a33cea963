"""Production: refuses to start without SECRET_KEY, DATABASE_URL, PRIVACY_CONTACT_EMAIL and
PLATFORM_DOMAIN; HTTPS everywhere."""

import os
import re
from email.utils import getaddresses
from importlib.util import find_spec

from django.core.exceptions import ImproperlyConfigured

from union.db import database_config

from .base import *  # noqa: F403
from .base import (
    CONSOLE_EMAIL_BACKEND,
    DEFAULT_FROM_EMAIL,
    PLATFORM_NAME,
    QUEUED_EMAIL_BACKEND,
    REST_FRAMEWORK,
    SECURE_CSP,
    tasks_setting,
)

_required_names = ("SECRET_KEY", "DATABASE_URL", "PRIVACY_CONTACT_EMAIL", "PLATFORM_DOMAIN")
# All the missing ones at once: a first deployment found them one run (and traceback) at a time.
_missing = [name for name in _required_names if not os.environ.get(name, "")]
if _missing:
    raise ImproperlyConfigured(
        " ".join(
            f"La variable d'environnement {name} est obligatoire en production."
            for name in _missing
        )
    )


def admins_from(value: str) -> list[str]:
    """ADMINS from « Nom <adresse>, adresse, … » (a plain comma-separated list of addresses
    works too): who receives the report of each server error (500), by e-mail."""
    value = value.strip().strip(",").strip()
    if not value:
        return []
    # Python's parser gives ("", "") for the whole value when it cannot read it.
    pairs = [pair for pair in getaddresses([value]) if pair != ("", "")]
    if not pairs or any("@" not in address for _, address in pairs):
        raise ImproperlyConfigured(
            f"ADMINS n'est pas une liste d'adresses e-mail lisible : « {value} ». Écrivez par "
            'exemple ADMINS="Équipe technique <technique@udccas.example.fr>, autre@example.fr".'
        )
    admins = []
    for name, address in pairs:
        # A name with a comma or a dot must stay quoted, or the address no longer parses.
        if re.search(r'[][\\()<>@,:;".]', name):
            name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        admins.append(f"{name} <{address}>" if name else address)
    return admins


SECRET_KEY = os.environ["SECRET_KEY"]
DATABASES = {"default": database_config(os.environ["DATABASE_URL"])}
PRIVACY_CONTACT_EMAIL = os.environ["PRIVACY_CONTACT_EMAIL"]
# Every absolute link (e-mails, member addresses, CSRF origins) derives from it: the development
# default, localhost, would have served nothing and linked nowhere.
PLATFORM_DOMAIN = os.environ["PLATFORM_DOMAIN"]
DEBUG = False
ALLOWED_HOSTS = [PLATFORM_DOMAIN, f".{PLATFORM_DOMAIN}"]
# None: every form posts to its own host (the portal's « Mes espaces » posts on the portal, then
# redirects to the member host's /acces/<token>/ with a GET, which only shows a confirmation
# page whose button posts on the member host), and Django always accepts its own
# origin. The former https://*.PLATFORM_DOMAIN let a page of any member host post to another.
CSRF_TRUSTED_ORIGINS = []
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"https://{PLATFORM_DOMAIN}")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
# The health check (union/health.py) answers over plain http too: a load balancer or a
# supervisor probes gunicorn directly on 127.0.0.1, without the proxy's X-Forwarded-Proto.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# A page's http:// address (an image pasted in a guide) is asked for in https, never in clear
# (the admins' and the API docs' policies derive from this one: union.csp).
SECURE_CSP = {**SECURE_CSP, "upgrade-insecure-requests": True}
# The __Host- prefix: browsers keep such a cookie only if Secure, without Domain, on Path=/ (as
# set here and in base.py), so a script on one member host cannot plant a cookie for the parent
# domain that the portal or another member would read. Renaming signs everyone out once.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
# The token view's throttle (union.tokens) counts per client address: behind nginx, the last
# address of X-Forwarded-For, the one nginx appends ($proxy_add_x_forwarded_for); otherwise
# every client would share nginx's 127.0.0.1, or choose its own address in the header.
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": 1}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Each version has its own checkout (docs/operations.md): uploads and the COG package left at
# their default, <checkout>/.data/, stay behind with the old version at the next upgrade (the
# files gone from the site; postal codes, former INSEE codes and arrondissements no longer
# recognised). `setup_platform` refuses them there.
DATA_OUTSIDE_CODE_REQUIRED = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# E-mails and reminders are queued in PostgreSQL and sent by `manage.py db_worker`.
TASKS = tasks_setting("database")
SMTP_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DELIVERY_SMTP_BACKEND = "union.mail.SMTPDeliveryBackend"


def delivery_mailer(*, silent: bool = False) -> dict:
    """The mail server the worker hands the queued e-mails to (union.mail). EMAIL_BACKEND still
    names it, as before e-mails were queued (SMTP by default); EMAIL_HOST & co configure
    Django's SMTP backend. `silent`: for the server error reports, which must not break the
    error page when the mail server is down."""
    backend = os.environ.get("EMAIL_BACKEND", "") or SMTP_EMAIL_BACKEND
    if backend == QUEUED_EMAIL_BACKEND:
        raise ImproperlyConfigured(
            "EMAIL_BACKEND nomme le serveur qui remet vraiment les e-mails (SMTP par défaut) : "
            "la file d'envoi est déjà en place devant lui. Retirez EMAIL_BACKEND, ou donnez "
            f"{SMTP_EMAIL_BACKEND}."
        )
    options = {}
    if backend == SMTP_EMAIL_BACKEND:
        use_tls = os.environ.get("EMAIL_USE_TLS", "0") == "1"
        # Port 465 (TLS from the first byte), which some providers offer alone: without it,
        # only STARTTLS (EMAIL_USE_TLS, port 587) or clear text could be configured.
        use_ssl = os.environ.get("EMAIL_USE_SSL", "0") == "1"
        if use_tls and use_ssl:
            raise ImproperlyConfigured(
                "EMAIL_USE_TLS et EMAIL_USE_SSL s'excluent : EMAIL_USE_TLS=1 pour le port 587 "
                "(STARTTLS), EMAIL_USE_SSL=1 pour le port 465 ; pas les deux."
            )
        options = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": use_tls,
            # Seconds before giving up on the mail server. Django waits forever by default: a
            # server that accepts the connection and never answers held the worker (and, before
            # the queue, a request) until the connection dropped.
            "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
        }
        if use_ssl:
            options["use_ssl"] = True
        # Django's SMTP backend, knowing when a message was wholly sent: an answer that comes
        # after EMAIL_TIMEOUT once it was is « probablement remis », not retried (union.mail).
        backend = DELIVERY_SMTP_BACKEND
    if silent and backend in (DELIVERY_SMTP_BACKEND, CONSOLE_EMAIL_BACKEND):
        options["fail_silently"] = True
    return {"BACKEND": backend, "OPTIONS": options}


# Every e-mail is queued with the transaction that sends it and delivered by `db_worker`
# (union.mail): no worker, no e-mail. Server error reports go to ADMINS at once ("admins").
MAILERS = {
    "default": {"BACKEND": QUEUED_EMAIL_BACKEND},
    "delivery": delivery_mailer(),
    "admins": delivery_mailer(silent=True),
}
# Server errors (500) are e-mailed to these people by Django's logging (mail_admins), with the
# traceback; empty: nobody is told, the error is only in the web server's log.
ADMINS = admins_from(os.environ.get("ADMINS", ""))
# Django's default sender for those reports, root@localhost, is refused by most mail servers.
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = f"[{PLATFORM_NAME}] "
# A cache shared by every process (Redis): without it each gunicorn process has its own
# (LocMemCache), so a glossary term saved in one is seen by the others only when their copy
# expires (5 minutes). Needs the optional `redis` package: pip install ".[redis]".
if os.environ.get("CACHE_URL"):
    if find_spec("redis") is None:
        raise ImproperlyConfigured(
            "CACHE_URL demande le paquet Python redis : installez Maillage avec "
            'pip install ".[redis]" (ou retirez CACHE_URL pour garder le cache de chaque '
            "processus)."
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
            "KEY_FUNCTION": "django_tenants.cache.make_key",
            "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        }
    }
