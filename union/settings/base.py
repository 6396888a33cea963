"""Settings shared by every environment. dev, test and production import from here."""

import os
from pathlib import Path

from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("MAILLAGE_DATA_DIR", BASE_DIR / ".data"))

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-maillage")
DEBUG = False

# The portal lives on PLATFORM_DOMAIN, each member on <slug>.PLATFORM_DOMAIN.
PLATFORM_DOMAIN = os.environ.get("PLATFORM_DOMAIN", "localhost")
PLATFORM_NAME = os.environ.get("PLATFORM_NAME", "UDCCAS de Seine-Saint-Denis")
ALLOWED_HOSTS = [PLATFORM_DOMAIN, f".{PLATFORM_DOMAIN}"]

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "union",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    # /sitemap.xml: Django's sitemap views and template, Wagtail's list of live public pages.
    "django.contrib.sitemaps",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    # Wagtail's users app with a « Groupes » column in its listing (union.users_admin).
    "union.users_app.UnionUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # By its AppConfig: its label (django_tasks_database) is not its module's name, and
    # django-tenants' admin templates, matching labels, called it « Not available for this
    # type of schema » instead of listing the queued e-mails.
    "django_tasks_db.apps.TasksAppConfig",
    "knowledge_base",
    "seminars",
    "abs_shared",
]

# Each member schema holds only its private workspace and the private half of the ABS.
TENANT_APPS = [
    "tenants.workspace",
    "tenants.journal",
    "abs_shared.local",
]

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.MemberCCAS"
TENANT_DOMAIN_MODEL = "tenants.Domain"
# New members are cloned from this migrated schema: 0.2-0.4 s instead of 5-6 s of migrations.
TENANT_BASE_SCHEMA = "tenant_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
# Saves a third of the queries of a Wagtail page (search_path set once per request).
TENANT_LIMIT_SET_CALLS = True
PUBLIC_SCHEMA_URLCONF = "union.urls_public"
ROOT_URLCONF = "union.urls_member"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

MIDDLEWARE = [
    # First: a NUL character (%00) in the URL is a 400 before anything queries the database.
    "union.middleware.null_character_middleware",
    "union.middleware.HostTenantMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The Content-Security-Policy header (SECURE_CSP below) on every answer, error pages included
    # (they pass through it too); union.csp after it, so that its looser policy for the admins'
    # screens is chosen before Django's middleware writes the header.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "union.csp.AdminPolicyMiddleware",
    "union.middleware.MemberSpaceMiddleware",
    "union.middleware.PageRedirectMiddleware",  # Wagtail's, not for /api/
    # Last: a GET on a POST-only address gets a French page, not a blank 405; the middleware
    # above still add their headers to it (CSP, no cache on a member host).
    "union.middleware.method_not_allowed_page_middleware",
]
# A form refused by the CSRF check (left open while its person signed in again elsewhere): a
# French page that says nothing was saved and what to do, admin screens included.
CSRF_FAILURE_VIEW = "union.views.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "union.context_processors.platform",
            ],
        },
    }
]

WSGI_APPLICATION = "union.wsgi.application"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
# The union's wall clock: every time typed, shown or computed (events, deadlines, e-mails, the
# day's check-in desk) is read in it; .ics files carry UTC. A union overseas sets its own
# (Indian/Reunion, America/Guadeloupe, Indian/Mayotte…): Paris time would put its events hours
# off in its members' calendars.
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
# The project's corrections to libraries' French (locale/fr/LC_MESSAGES/django.po, compiled
# with `manage.py compilemessages` and committed): they win over the libraries' catalogues.
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
# Where collectstatic gathers the files the web server (nginx) serves; a package install or a
# read-only code directory puts it elsewhere.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
# No STATICFILES_DIRS: union/static is the static folder of the installed app `union`, found
# by the app directories finder; listing it again made collectstatic skip its files as conflicts.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# Wagtail images and documents: shared (non-tenant) storage. Member uploads use per-tenant storage
# (tenants.storage) and are served only through views that check membership.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache keys carry the schema so that two members never share an entry.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}

# Host-only cookies: no parent-domain session or CSRF cookie shared between members.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy of the portal and of the member spaces (Django's
# ContentSecurityPolicyMiddleware): what a page may load or run, so that markup slipped into a
# page (a stored XSS) can neither run a script nor call another site. Our templates have no
# <script>, no on*= handler and no style="" attribute: everything comes from our own /static/.
# The admins' screens (/admin/, /django-admin/) get a looser one and the API docs theirs: union.csp.
# To load something from another site (a statistics script…), add its address to the directives
# it needs here (docs/operations.md).
SECURE_CSP = {
    # Anything not named below: this host only.
    "default-src": [CSP.SELF],
    # Our own files only; no inline script, no eval.
    "script-src": [CSP.SELF],
    # Our stylesheets only: no <style> element, no style="" attribute (the charts' <svg> use
    # presentation attributes, which are not styles).
    "style-src": [CSP.SELF],
    # Wagtail's renditions are under /media/ on the portal host; the charts are inline <svg>.
    "img-src": [CSP.SELF],
    # No <object>/<embed> plug-ins at all.
    "object-src": [CSP.NONE],
    # An injected <base href> cannot send relative links and forms elsewhere.
    "base-uri": [CSP.SELF],
    # Never framed (clickjacking), as X-Frame-Options DENY says; Wagtail's live preview frames
    # admin views, which union.csp lets the admin frame.
    "frame-ancestors": [CSP.NONE],
    # Forms post to their own host. Chromium also checks the redirect that follows a submission:
    # the portal's « Mes espaces » posts on the portal and is redirected to the member host's
    # /acces/<token>/ (union.views.go_to_member_space), hence the member hosts, any port (a
    # development server's). And the portal's host: a member host's 404 has the portal's search
    # box, a GET form to the portal's /recherche/ (tenants.services.portal_url: PLATFORM_DOMAIN,
    # the request's port).
    "form-action": [CSP.SELF, f"{PLATFORM_DOMAIN}:*", f"*.{PLATFORM_DOMAIN}:*"],
}

# Django 6.1's MAILERS (EMAIL_BACKEND & co are deprecated). "default" only queues: every e-mail
# leaves through the task queue (union.mail) and the task hands it to "delivery", the real mail
# server (production.py: SMTP); here printed on the console, i.e. the demo's log. "admins": the
# server error reports (LOGGING below), sent at once, never through the queue.
QUEUED_EMAIL_BACKEND = "union.mail.QueuedEmailBackend"
CONSOLE_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
MAILERS = {
    "default": {"BACKEND": QUEUED_EMAIL_BACKEND},
    "delivery": {"BACKEND": CONSOLE_EMAIL_BACKEND},
    "admins": {"BACKEND": CONSOLE_EMAIL_BACKEND, "OPTIONS": {"fail_silently": True}},
}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Maillage <ne-pas-repondre@maillage.local>"
)

# Background work goes through Django's tasks framework. Development and tests run tasks in-process
# (immediate backend); production queues them in PostgreSQL for `manage.py db_worker`
# (TASKS_BACKEND=database), so that a registration never waits for the mail server.
TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "union.task_queue.QueueInPostgreSQL",
}


def tasks_setting(default: str) -> dict:
    """TASKS from TASKS_BACKEND ("immediate" or "database")."""
    name = os.environ.get("TASKS_BACKEND", default)
    if name not in TASK_BACKENDS:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"TASKS_BACKEND doit valoir {' ou '.join(TASK_BACKENDS)} (reçu : {name!r})."
        )
    return {"default": {"BACKEND": TASK_BACKENDS[name]}}


TASKS = tasks_setting("immediate")
# A task RUNNING for longer than this many minutes is « interrompue »: its worker died on it (a
# restart after TimeoutStopSec, the OOM killer, a reboot), and django-tasks-db never runs it
# again by itself. `check_task_queue` then exits 1 naming it, the admin home shows it, and
# `check_task_queue --requeue-stalled` (or « Relancer ») puts it back in the queue
# (union.task_queue). The e-mail tasks last seconds; 30 minutes leaves a live one well alone.
TASK_STALLED_AFTER_MINUTES = int(os.environ.get("TASK_STALLED_AFTER_MINUTES", 30))

WAGTAIL_SITE_NAME = PLATFORM_NAME
# No English news about Wagtail on the admin home: the « What's new in Wagtail » banner, and the
# « Wagtail upgrade available » notice shown to superusers (the union's administrators, who do
# not upgrade the platform: constraints.txt and `make lock` do, see README).
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Every e-mailed link, password resets included (union.password_reset), starts with it. In
# development, on the port `make demo PORT=…` serves (make passes PORT to the server's environment).
WAGTAILADMIN_BASE_URL = os.environ.get(
    "WAGTAILADMIN_BASE_URL", f"http://{PLATFORM_DOMAIN}:{os.environ.get('PORT', '8000')}"
)
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # French stemming + accent folding, created by knowledge_base migration 0002.
        "SEARCH_CONFIG": "maillage_french",
    }
}
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "key",
    "odt",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
    "zip",
    "ods",
]
WAGTAIL_PASSWORD_RESET_ENABLED = True
# Its sign-in form, the password field labelled « Mot de passe » (union.admin_login).
WAGTAILADMIN_USER_LOGIN_FORM = "union.admin_login.AdminLoginForm"
# Its « mot de passe oublié » with the portal's limit per address (union.password_reset).
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "union.password_reset.AdminPasswordResetForm"
# Nobody types a password for someone else in Paramètres › Utilisateurs: a password typed by the
# union for a member's director let union staff sign in as her and read her member space. The
# fields are gone from the create and edit forms; union.wagtail_hooks sends a new account a
# single-use link to choose its own, and anyone can use « Mot de passe oublié ».
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAILUSERS_PASSWORD_REQUIRED = False
# No Gravatar: Wagtail would have each admin's browser send the MD5 of every account's e-mail
# address to gravatar.com (an identifier of staff and directors, to a third party outside the
# EU). Accounts without a photo get Wagtail's default avatar, and the admin's CSP needs no
# outside image.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_COMMENTS_ENABLED = True
# Wagtail's moderation notifications (submitted, approved, changes requested, comments) go in text
# AND HTML like every e-mail of the platform: without this Wagtail sends the text alone. The HTML
# is ours, in the platform's frame (templates/wagtailadmin/notifications/base.html).
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
# Approving a workflow's last task publishes, whatever the approver's page permissions: the
# union chose that group to approve those pages (« Modérateurs » on the guides). Wagtail's own
# action refused, and the page stayed in moderation (union.workflows).
WAGTAIL_FINISH_WORKFLOW_ACTION = "union.workflows.publish_approved"

# Attempts at /api/v1/auth/token/ (address and password in exchange for a token) per client
# address, all hosts together (union.tokens: DRF's ScopedRateThrottle, scope "auth", read at
# each request). Counted in the default cache: per gunicorn process with LocMemCache, shared
# with CACHE_URL (Redis).
API_AUTH_THROTTLE_RATE = "10/min"
# « Mot de passe oublié » (portal and admin): at most this many e-mails to one address per hour,
# whatever is typed; beyond, the page says the same and nothing is sent (union.password_reset).
PASSWORD_RESET_EMAILS_PER_HOUR = 3

REST_FRAMEWORK = {
    # The token first: DRF asks the first class for the WWW-Authenticate header, so missing or
    # wrong credentials are a 401 naming « Token » (clients sign in again), not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # JSON only: DRF's browsable pages (a browser's Accept: text/html, ?format=api) are in
    # English; the API's documentation is /api/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Tags, summaries and descriptions in French from union.api_schema.API_DOCS, which also
    # names and describes the views in DRF's OPTIONS answers (the docstrings stay English).
    "DEFAULT_SCHEMA_CLASS": "union.api_schema.FrenchAutoSchema",
    "VIEW_NAME_FUNCTION": "union.api_schema.view_name",
    "VIEW_DESCRIPTION_FUNCTION": "union.api_schema.view_description",
    # ?limit= at most 200, ?offset= bounded; bad values are a 400 in French.
    "DEFAULT_PAGINATION_CLASS": "union.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 100,
    # French messages where DRF's are English (a body that does not parse).
    "EXCEPTION_HANDLER": "union.api_errors.french_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Maillage",
    "DESCRIPTION": "API du portail de l'union et des espaces membres (CCAS/CIAS).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Only /api/: the portal's URLconf also mounts Wagtail's internal admin API.
    "PREPROCESSING_HOOKS": ["union.api_schema.only_api_paths"],
    # The tags' French descriptions (union.api_schema.TAGS), after the enums' default hook.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "union.api_schema.add_tags",
    ],
    # The ABS value statuses (comparisons, series, observations), named apart from other "status".
    "ENUM_NAME_OVERRIDES": {"ValueStatusEnum": "abs_shared.models.ValueStatus"},
}

# Official geography (COG 2026) from the npm package @etalab/decoupage-administratif.
COG_PACKAGE = "@etalab/decoupage-administratif@6.0.0"
# The package's « Année » (its README's table of versions): the vintage the pages name beside
# a commune's legal population, which the package gives without its own year.
COG_VINTAGE = 2026
COG_DATA_DIR = Path(os.environ.get("COG_DATA_DIR", DATA_DIR / "cog"))
# Production: MEDIA_ROOT and COG_DATA_DIR must lie outside the code's directory, which each
# version replaces (`setup_platform` refuses otherwise).
DATA_OUTSIDE_CODE_REQUIRED = False

# Signed links: portal -> member space hand-over, and seminar registration links.
MEMBER_LINK_MAX_AGE = 120  # seconds

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
        # Django's own, but through MAILERS["admins"]: a report of a server error (a database
        # outage among them) cannot wait in the database's task queue, and a mail server that
        # is down must not turn the error page into a bare one (the "admins" mailer is silent).
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
            "using": "admins",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Configuring "django" resets its children: runserver's request lines as Django has them.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # Django logs every finished task at INFO with sys.exc_info(): a task run on commit inside
        # a handled exception (get_or_create's DoesNotExist) printed that unrelated traceback.
        # Failed tasks are logged at ERROR and still show.
        "django.tasks": {"level": "WARNING"},
        # A moderation notification that could not be sent (a template error, logged by
        # union.notifications) reaches ADMINS too, not only the console.
        "wagtail.admin": {"handlers": ["mail_admins"]},
    },
}

# migrate_schemas skips member schemas that have nothing to apply (union/migration_executor.py).
GET_EXECUTOR_FUNCTION = "union.migration_executor.get_executor"

# --- seminars ---
# Signed registration links (seconds): long enough to outlive the event.
SEMINAR_LINK_MAX_AGE = int(os.environ.get("SEMINAR_LINK_MAX_AGE", 60 * 60 * 24 * 180))
# Reminder e-mails go this many days before an event (`manage.py send_seminar_reminders`).
SEMINAR_REMINDER_DAYS = int(os.environ.get("SEMINAR_REMINDER_DAYS", 3))
# Retention of registrations' personal data, in days after the event's end (seminars.retention,
# `manage.py apply_seminar_retention`, stated on /donnees-personnelles/): accessibility and dietary
# needs, then name and e-mail (three years: the CNIL's usual term for contacts without exchange).
SEMINAR_NEEDS_KEPT_DAYS = int(os.environ.get("SEMINAR_NEEDS_KEPT_DAYS", 30))
SEMINAR_PERSONAL_DATA_KEPT_DAYS = int(os.environ.get("SEMINAR_PERSONAL_DATA_KEPT_DAYS", 3 * 365))
# Retention of the audit trail's lines, in days (union.retention, `manage.py prune_audit_trail`,
# stated on /donnees-personnelles/): three years of who did what, then deleted.
AUDIT_KEPT_DAYS = int(os.environ.get("AUDIT_KEPT_DAYS", 3 * 365))
# An e-mail that failed for good (five attempts over an hour) is kept whole, body included, this
# many days for an administrator to resend it once the mail server works (union.mail, « Renvoyer »
# on the admin home, `check_task_queue --resend-failed`), then only its subject and recipients
# (`check_task_queue` erases the rest). A week is acceptable for a body that may hold a link: the
# message never reached its recipient, and a reset or invitation link inside has its own expiry
# and is single-use.
FAILED_EMAIL_KEEP_DAYS = int(os.environ.get("FAILED_EMAIL_KEEP_DAYS", 7))
# Accounts nobody signed in to for this many days (since the last login, or since the account was
# opened) are deactivated after an e-mail warning (union.account_retention, `manage.py
# deactivate_inactive_accounts`, stated on /donnees-personnelles/): two years, typically someone
# who left their CCAS, whose unused access is a risk and whose data no longer serves.
ACCOUNT_INACTIVE_DAYS = int(os.environ.get("ACCOUNT_INACTIVE_DAYS", 2 * 365))
# Where people write to exercise their data rights (RGPD art. 13): on /donnees-personnelles/
# and under the registration form. Required in production.
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "")
# Département of the union: breaks ties between homonymous communes typed without a hint.
# Compared as the COG writes it: upper case (« 2A »), two digits at least (« 01 »); an unknown
# code is refused at startup (union.checks).
UNION_DEPARTEMENT = os.environ.get("UNION_DEPARTEMENT", "93").strip().upper()
if UNION_DEPARTEMENT.isdigit():
    UNION_DEPARTEMENT = UNION_DEPARTEMENT.zfill(2)
# OpenAPI: name the seminars' choice sets (another "kind" exists on members).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}),
    "SeminarKindEnum": "seminars.models.Kind",
    "FonctionEnum": "seminars.models.Fonction",
    # A registration's statuses, in the staff list and in the check-in response (two components).
    "RegistrationStatusEnum": "seminars.models.Registration.Status",
    "RegistrationCommuneStatusEnum": "seminars.models.Registration.CommuneStatus",
    # The members directory and the experiences both give an intercommunality's kind (CC, CA…).
    "IntercommunalityKindEnum": "tenants.models.Intercommunality.Kind",
}

# --- knowledge_base ---
# Pages restricted to logged-in people or to union staff send visitors to the portal's login.
WAGTAIL_FRONTEND_LOGIN_URL = "/connexion/"
# Guides whose last review is older than this appear in the admin report "Guides à relire".
KB_REVIEW_MAX_AGE_DAYS = int(os.environ.get("KB_REVIEW_MAX_AGE_DAYS", "365"))
KB_LISTING_PAGE_SIZE = 12
