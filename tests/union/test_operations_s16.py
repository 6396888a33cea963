"""What a first real deployment found (sixteenth session's operations review): reconnecting after
a PostgreSQL restart, monitoring that cannot pass on the wrong settings, required production
variables, server errors e-mailed to ADMINS, the health check, static files found once."""

import json
import os
import subprocess
import sys
import tomllib
from importlib.util import find_spec
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import OperationalError, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import host_client
from union.db import database_config

# --- production settings, read in a fresh interpreter (they refuse to load in this one) ---

PRODUCTION_VARIABLES = (
    "SECRET_KEY",
    "DATABASE_URL",
    "PRIVACY_CONTACT_EMAIL",
    "PLATFORM_DOMAIN",
    "ADMINS",
    "SERVER_EMAIL",
    "EMAIL_TIMEOUT",
    "CACHE_URL",
    "WAGTAILADMIN_BASE_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 30 + "-production-secret-key-with-enough-entropy-1234567890",
    "DATABASE_URL": "postgres://u:p@localhost:5432/maillage",
    "PRIVACY_CONTACT_EMAIL": "donnees-personnelles@union.test",
    "PLATFORM_DOMAIN": "udccas.example.fr",
}


def production_settings(env: dict, *names: str) -> tuple[dict | None, str]:
    """The named settings of union.settings.production under `env` (nothing else set), or None
    and the error output when the settings refuse to load. Importing them needs no database."""
    script = (
        "import json\nfrom django.conf import settings\n"
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_VARIABLES}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**clean, "DJANGO_SETTINGS_MODULE": "union.settings.production", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        return None, result.stderr
    return json.loads(result.stdout), result.stderr


def test_production_requires_the_platform_domain_and_names_every_missing_variable_at_once():
    without_domain = {k: v for k, v in PRODUCTION_ENV.items() if k != "PLATFORM_DOMAIN"}
    values, errors = production_settings(without_domain, "PLATFORM_DOMAIN")
    assert values is None
    assert "La variable d'environnement PLATFORM_DOMAIN est obligatoire en production." in errors

    values, errors = production_settings({}, "SECRET_KEY")
    assert values is None
    for name in ("SECRET_KEY", "DATABASE_URL", "PRIVACY_CONTACT_EMAIL", "PLATFORM_DOMAIN"):
        assert f"{name} est obligatoire en production" in errors, name


def test_production_mails_server_errors_to_admins_with_a_mail_timeout():
    values, errors = production_settings(
        {
            **PRODUCTION_ENV,
            "ADMINS": 'Équipe technique <tech@udccas.example.fr>, "Dupont, Jean" '
            "<jean.dupont@udccas.example.fr>, astreinte@udccas.example.fr,",
        },
        "ADMINS",
        "MAILERS",
        "SERVER_EMAIL",
        "DEFAULT_FROM_EMAIL",
        "PLATFORM_DOMAIN",
        "ALLOWED_HOSTS",
        "DATABASES",
        "SECURE_REDIRECT_EXEMPT",
    )
    assert values is not None, errors
    assert values["ADMINS"] == [
        "Équipe technique <tech@udccas.example.fr>",
        '"Dupont, Jean" <jean.dupont@udccas.example.fr>',
        "astreinte@udccas.example.fr",
    ]
    # Each address must be one Django's mail_admins can send to.
    message = mail.EmailMessage("s", "b", "f@union.test", values["ADMINS"]).message()
    assert message["To"].count("@") == 3
    assert values["MAILERS"]["delivery"]["OPTIONS"]["timeout"] == 10
    assert values["SERVER_EMAIL"] == values["DEFAULT_FROM_EMAIL"]
    assert values["PLATFORM_DOMAIN"] == "udccas.example.fr"
    assert values["ALLOWED_HOSTS"] == ["udccas.example.fr", ".udccas.example.fr"]
    assert values["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True
    assert values["SECURE_REDIRECT_EXEMPT"] == [r"^sante/$"]

    values, errors = production_settings(
        {**PRODUCTION_ENV, "EMAIL_TIMEOUT": "3"}, "MAILERS", "ADMINS"
    )
    assert values is not None, errors
    assert (values["MAILERS"]["delivery"]["OPTIONS"]["timeout"], values["ADMINS"]) == (3, [])


def test_an_unreadable_admins_list_is_refused_in_french():
    values, errors = production_settings(
        {**PRODUCTION_ENV, "ADMINS": "tech@udccas.example.fr; astreinte"}, "ADMINS"
    )
    assert values is None
    assert "ADMINS n'est pas une liste d'adresses e-mail lisible" in errors


def test_a_redis_cache_asks_for_its_optional_dependency():
    optional = tomllib.loads((settings.BASE_DIR / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert [req.split(">")[0] for req in optional["redis"]] == ["redis"]
    values, errors = production_settings(
        {**PRODUCTION_ENV, "CACHE_URL": "redis://127.0.0.1:6379/1"}, "CACHES"
    )
    if find_spec("redis") is None:
        assert values is None
        assert (
            'CACHE_URL demande le paquet Python redis : installez Maillage avec pip install ".[redis]"'
            in errors
        )
    else:
        assert values["CACHES"]["default"]["BACKEND"].endswith("RedisCache"), errors


# --- connections survive a PostgreSQL restart ---


def test_kept_connections_are_checked_before_a_request_reuses_them():
    config = database_config("postgres://u:p@db.example.fr:5432/maillage")
    assert config["CONN_HEALTH_CHECKS"] is True
    assert config["CONN_MAX_AGE"] == int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


# --- monitoring the task queue ---


@pytest.mark.django_db
def test_check_task_queue_fails_when_tasks_do_not_go_through_the_queue():
    # Tests run tasks at once, as the development settings a cron line without the production
    # environment falls back to.
    with pytest.raises(CommandError) as refused:
        call_command("check_task_queue", stdout=StringIO())
    message = str(refused.value)
    assert "ne passent pas par la file PostgreSQL (réglages union.settings.test)" in message
    assert "Vérifiez DJANGO_SETTINGS_MODULE (union.settings.production)" in message
    assert "fichier d'environnement" in message

    out = StringIO()
    call_command("check_task_queue", "--allow-immediate", stdout=out)
    assert "pas de file à surveiller" in out.getvalue()


# --- add_member says where the new space is ---


@pytest.mark.django_db
def test_add_member_prints_the_member_space_real_address(settings):
    settings.PLATFORM_DOMAIN = "udccas.example.fr"
    settings.WAGTAILADMIN_BASE_URL = "https://udccas.example.fr"
    out = StringIO()
    call_command("add_member", insee="93066", stdout=out)
    assert "CCAS de Saint-Denis créé : https://saint-denis.udccas.example.fr/\n" in out.getvalue()
    assert ":8000" not in out.getvalue()


# --- static files ---


def test_each_static_file_of_the_union_is_found_once():
    # Found twice, collectstatic copied one and reported « 2 skipped due to conflict ».
    for path in ("css/maillage.css", "css/admin.css"):
        assert len(finders.find(path, find_all=True)) == 1, path


# --- health check ---


@pytest.mark.django_db
def test_health_check_answers_ok_after_one_query_without_session():
    client = host_client("localhost")
    with CaptureQueriesContext(connections["default"]) as queries:
        response = client.get("/sante/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"ok"
    # The portal's search_path, then the check itself: no domain or session look-up.
    sqls = [query["sql"] for query in queries.captured_queries]
    assert [sql for sql in sqls if not sql.startswith("SET search_path")] == ["SELECT 1"]
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"]
    assert client.head("/sante/").status_code == 200
    assert client.post("/sante/").status_code == 405


@pytest.mark.django_db
def test_health_check_says_503_in_french_when_the_database_does_not_answer(settings, monkeypatch):
    settings.ADMINS = ["tech@union.test"]

    def refused(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    monkeypatch.setattr(connections["default"], "cursor", refused)
    response = host_client("localhost").get("/sante/")
    assert response.status_code == 503
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "La base de données ne répond pas."
    # A probe every few seconds during an outage must not mail the admins each time.
    assert mail.outbox == []


@pytest.mark.django_db
def test_health_check_is_exempt_from_the_https_redirect(settings):
    settings.SECURE_SSL_REDIRECT = True
    values, errors = production_settings(PRODUCTION_ENV, "SECURE_REDIRECT_EXEMPT")
    assert values is not None, errors
    settings.SECURE_REDIRECT_EXEMPT = values["SECURE_REDIRECT_EXEMPT"]
    client = Client(HTTP_HOST="localhost")  # plain http, no X-Forwarded-Proto: a local probe
    assert client.get("/sante/").status_code == 200
    home = client.get("/")
    assert (home.status_code, home["Location"]) == (301, "https://localhost/")


# --- the 500 page ---


@pytest.mark.django_db
def test_a_server_error_mails_admins_and_the_page_claims_nothing_it_cannot_know(
    settings, monkeypatch
):
    settings.ADMINS = ["tech@union.test"]

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(connections["default"], "cursor", broken)
    client = Client(HTTP_HOST="localhost", raise_request_exception=False)
    response = client.get("/sante/")
    assert response.status_code == 500
    page = response.content.decode()
    # The page is the same whether ADMINS is set or not: it cannot say someone was told.
    assert "prévenue" not in page
    assert "Si le problème persiste, écrivez à l'union" in page
    assert [message.to for message in mail.outbox] == [["tech@union.test"]]
    assert "RuntimeError" in mail.outbox[0].body
