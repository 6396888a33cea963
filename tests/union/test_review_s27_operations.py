"""What following README « Déployer avec un vrai PostgreSQL » and docs/operations.md to the letter
found (session 27's operations review, on a PostgreSQL 15 cluster of its own): uploads and the
COG package must live outside the code's directory, the web processes need the COG package and
not only the database, and the supervision command answers in French when PostgreSQL is down."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError

from tenants.cog import FILES, data_dir
from tests.union.test_operations_s16 import PRODUCTION_ENV, production_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_migrations(monkeypatch):
    """setup_platform's migrate_schemas and import_cog calls, recorded instead of run."""
    calls = []
    monkeypatch.setattr(
        "union.management.commands.setup_platform.call_command",
        lambda *args, **kwargs: calls.append(args),
    )
    return calls


def test_production_requires_the_data_outside_the_code():
    values, errors = production_settings(PRODUCTION_ENV, "DATA_OUTSIDE_CODE_REQUIRED")
    assert values == {"DATA_OUTSIDE_CODE_REQUIRED": True}, errors


def test_setup_platform_refuses_uploads_and_cog_inside_the_checkout(
    settings, tmp_path, no_migrations
):
    # The production defaults when MEDIA_ROOT and COG_DATA_DIR are not set: <checkout>/.data/.
    settings.DATA_OUTSIDE_CODE_REQUIRED = True
    settings.MEDIA_ROOT = Path(settings.BASE_DIR) / ".data" / "media"
    settings.COG_DATA_DIR = Path(settings.BASE_DIR) / ".data" / "cog"

    with pytest.raises(CommandError) as raised:
        call_command("setup_platform", stdout=StringIO(), stderr=StringIO())
    message = " ".join(str(raised.value).split())
    assert message.startswith("MEDIA_ROOT (") and ") et COG_DATA_DIR (" in message
    assert "sont dans le dossier du code" in message
    assert "MEDIA_ROOT=/srv/maillage/media et COG_DATA_DIR=/srv/maillage/cog" in message
    assert no_migrations == [], "refused before migrating anything"

    settings.COG_DATA_DIR = tmp_path  # only the uploads left inside
    with pytest.raises(CommandError, match=r"^MEDIA_ROOT \(.*\) est dans le dossier du code"):
        call_command("setup_platform", stdout=StringIO(), stderr=StringIO())

    # Outside the checkout (or in development and tests), it goes on.
    settings.MEDIA_ROOT = tmp_path / "media"
    out = StringIO()
    call_command("setup_platform", stdout=out, stderr=StringIO())
    assert "Plateforme prête." in out.getvalue()


def test_setup_platform_fetches_a_missing_cog_package_or_says_what_it_costs(
    settings, tmp_path, monkeypatch, no_migrations
):
    # The COG is in the database (loaded with `import_cog --path`, or by an earlier version
    # whose COG_DATA_DIR stayed behind): the package the web processes read is missing, and
    # this server has no npm.
    settings.COG_DATA_DIR = tmp_path
    looked_for = []
    monkeypatch.setattr("tenants.cog.shutil.which", lambda name: looked_for.append(name))

    err = StringIO()
    call_command("setup_platform", stdout=StringIO(), stderr=err)
    assert looked_for == ["npm"]
    warning = " ".join(err.getvalue().split())
    assert warning.startswith(f"Attention : le paquet du COG manque dans {tmp_path}/package/data.")
    assert "les codes postaux, les anciens codes INSEE et les arrondissements" in warning
    assert f"dans {tmp_path} (voir docs/operations.md), puis relancez setup_platform." in warning
    assert "Cause : npm est introuvable" in warning

    # Present: nothing downloaded, nothing said.
    (tmp_path / "package" / "data").mkdir(parents=True)
    for name in FILES:
        (tmp_path / "package" / "data" / name).write_text("[]")
    looked_for.clear()
    err = StringIO()
    call_command("setup_platform", stdout=StringIO(), stderr=err)
    assert looked_for == [] and err.getvalue() == ""


def test_import_cog_from_a_folder_leaves_the_package_where_the_site_reads_it(settings, tmp_path):
    folder = data_dir()  # the suite's COG package, loaded by the conftest
    assert (folder / "communes.json").exists()
    settings.COG_DATA_DIR = tmp_path / "cog"

    out = StringIO()
    call_command("import_cog", "--path", str(folder), stdout=out, stderr=StringIO())

    for name in FILES:
        assert (tmp_path / "cog" / "package" / "data" / name).read_bytes() == (
            folder / name
        ).read_bytes()
    assert f"Fichiers du COG copiés dans {tmp_path}/cog/package/data" in out.getvalue()

    # The site's matching now knows the postal codes again (93140: Bondy).
    from tenants.matching import read_cog_codes

    assert read_cog_codes().postal["93140"] == ["93010"]


def test_check_task_queue_says_in_french_that_the_database_is_down(monkeypatch):
    def refused():
        raise OperationalError(
            'connection to server at "127.0.0.1", port 5432 failed: Connection refused\n'
            "\tIs the server running on that host and accepting TCP/IP connections?"
        )

    monkeypatch.setattr("union.management.commands.check_task_queue.read_queue_state", refused)
    with pytest.raises(CommandError) as raised:
        call_command("check_task_queue", stdout=StringIO())
    assert raised.value.returncode == 1
    message = str(raised.value)
    assert message.startswith("La base de données ne répond pas\u00a0: la file des tâches")
    assert "Vérifiez que PostgreSQL tourne, et DATABASE_URL." in message
    assert "port 5432 failed: Connection refused Is the server running" in message
    assert "\n" not in message


def test_production_reaches_a_mail_server_on_port_465():
    # Some providers offer only implicit TLS (SMTPS, port 465): EMAIL_USE_TLS is STARTTLS (587).
    values, errors = production_settings(
        {
            **PRODUCTION_ENV,
            "EMAIL_HOST": "smtp.example.fr",
            "EMAIL_PORT": "465",
            "EMAIL_USE_SSL": "1",
        },
        "MAILERS",
    )
    assert values is not None, errors
    for name in ("delivery", "admins"):
        options = values["MAILERS"][name]["OPTIONS"]
        assert (options["port"], options["use_tls"], options.get("use_ssl")) == (465, False, True)

    values, errors = production_settings(
        {**PRODUCTION_ENV, "EMAIL_USE_SSL": "1", "EMAIL_USE_TLS": "1"}, "MAILERS"
    )
    assert values is None
    assert (
        "EMAIL_USE_TLS et EMAIL_USE_SSL s'excluent\u00a0: EMAIL_USE_TLS=1 pour le port 587"
        in errors
    )
