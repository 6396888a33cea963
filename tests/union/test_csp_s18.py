"""Session 18: the Content-Security-Policy header (settings.SECURE_CSP, union.csp) on the portal,
the member spaces, the API and the admins' screens, over HTTP with Django's test client.

What a browser makes of it (no violation on the real pages, the admin still working) is
tests/browser/test_csp_s18.py."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from tests.conftest import host_client, make_person, member_client
from tests.knowledge_base.conftest import make_staff
from tests.union.test_operations_s16 import PRODUCTION_ENV, production_settings
from union import roles

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"


def policy(response) -> dict[str, list[str]]:
    """The enforced header, as {directive: [sources]}; fails if it is missing."""
    assert HEADER in response.headers, f"pas d'en-tête {HEADER} ({response.status_code})"
    directives = {}
    for part in response.headers[HEADER].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_strict(response) -> None:
    """The portal's and member spaces' policy: this host's files only, nothing inline."""
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == [
        "'self'",
        f"{settings.PLATFORM_DOMAIN}:*",
        f"*.{settings.PLATFORM_DOMAIN}:*",
    ]
    header = response.headers[HEADER]
    for loose in ("'unsafe-inline'", "'unsafe-eval'", "data:", "blob:", "https:", " * "):
        assert loose not in header, header
    # Enforced, not only reported.
    assert "Content-Security-Policy-Report-Only" not in response.headers


@pytest.mark.parametrize("path", ["/", "/connexion/", "/membres/", "/evenements/", "/inconnu/"])
def test_portal_pages_have_the_strict_policy(portal, path):
    response = portal.get(path)
    assert response.status_code in (200, 404), response.status_code
    assert_strict(response)


def test_portal_api_answers_have_the_strict_policy(portal):
    assert_strict(portal.get("/api/v1/members/"))
    assert_strict(portal.get("/api/v1/nulle-part/"))  # the API's JSON 404


def test_member_space_pages_have_the_strict_policy(bondy):
    director = make_person(bondy, "direction@bondy.csp.test")
    client = member_client(bondy, director)
    for path in ("/", "/abs/", "/activite/", "/profil/", "/api/v1/nulle-part/"):
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert_strict(response)
    # Before signing in: the redirect to the sign-in page and the page itself.
    anonymous = member_client(bondy)
    response = anonymous.get("/activite/")
    assert response.status_code == 302
    assert_strict(response)
    assert_strict(anonymous.get("/connexion/"))


def test_a_member_host_keeps_the_strict_policy_under_admin_paths(bondy):
    """Only the portal serves the admin: a member host's /admin/ is not loosened."""
    director = make_person(bondy, "direction@bondy.csp.test")
    response = member_client(bondy, director).get("/admin/")
    assert response.status_code == 404
    assert_strict(response)


def test_the_wagtail_admin_gets_the_admin_policy(portal):
    staff = make_staff("redaction@union.csp.test", roles.MODERATOR)
    client = host_client("localhost", staff)
    for path in ("/admin/", "/admin/account/"):
        response = client.get(path)
        assert response.status_code == 200, path
        csp = policy(response)
        # Wagtail's inline <script>s (InlinePanel, date pickers): no nonce on them.
        assert csp["script-src"] == ["'self'", "'unsafe-inline'"]
        # Wagtail's editor writes <style> elements from its scripts.
        assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
        assert csp["img-src"] == ["'self'", "data:", "blob:"]
        # No Gravatar: no account's e-mail digest leaves for gravatar.com.
        assert "gravatar.com" not in response.content.decode()
        assert csp["connect-src"] == ["'self'"]  # no update check (WAGTAIL_ENABLE_UPDATE_CHECK)
        assert csp["frame-ancestors"] == ["'self'"]  # the live preview frames admin views
        assert csp["object-src"] == ["'none'"]
        assert csp["base-uri"] == ["'self'"]
        assert csp["form-action"] == [
            "'self'",
            f"{settings.PLATFORM_DOMAIN}:*",
            f"*.{settings.PLATFORM_DOMAIN}:*",
        ]
    # Signed out, the admin's sign-in page has it too.
    assert "'unsafe-inline'" in host_client("localhost").get("/admin/login/").headers[HEADER]


def test_django_admin_gets_the_admin_policy(portal):
    superuser = get_user_model().objects.create_superuser(
        "racine@union.csp.test", "racine@union.csp.test", "Un-mot-de-passe-18"
    )
    response = host_client("localhost", superuser).get("/django-admin/auth/group/")
    assert response.status_code == 200
    csp = policy(response)
    # Its <style> and <script> carry a nonce only with the csp context processor, not used.
    assert csp["script-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["frame-ancestors"] == ["'self'"]


@pytest.mark.parametrize("on_member_host", [False, True])
def test_the_api_docs_get_only_what_redoc_needs(bondy, on_member_host):
    client = member_client(bondy) if on_member_host else host_client("localhost")
    response = client.get("/api/docs/")
    assert response.status_code == 200
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]  # redoc.standalone.js, from the sidecar's static files
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]  # styled-components' <style>s
    assert csp["worker-src"] == ["blob:"]  # its search index
    assert csp["img-src"] == ["'self'", "data:"]  # no Redocly logo from its CDN (audit A12)
    assert csp["frame-ancestors"] == ["'none'"]
    # Google Fonts are left out of the page (templates/drf_spectacular/redoc.html).
    body = response.content.decode()
    assert "googleapis" not in body and "<redoc spec-url=" in body


def test_production_upgrades_insecure_requests():
    values, errors = production_settings(PRODUCTION_ENV, "SECURE_CSP")
    assert values is not None, errors
    csp = values["SECURE_CSP"]
    assert csp["upgrade-insecure-requests"] is True
    assert csp["form-action"] == ["'self'", "udccas.example.fr:*", "*.udccas.example.fr:*"]
    assert csp["script-src"] == ["'self'"]
    assert "upgrade-insecure-requests" not in settings.SECURE_CSP  # development serves http


# A <script type="application/ld+json"> (an event's schema.org data) is a data block: browsers
# never run it, so the policy does not apply to it (HTML's « prepare the script element » stops at
# its type, before the inline check).
INLINE = re.compile(
    r"""\sstyle\s*=|<style[\s>]|<script(?![^>]*\s(?:src=|type="application/ld\+json"))[^>]*>"""
    r"""|\son[a-z]+\s*=""",
    re.I,
)


def test_no_template_of_ours_has_inline_style_or_script():
    """The strict policy (and the admin's style-src 'self') would refuse them in the browser.
    E-mails (templates/*/email/, and Wagtail's notifications and admin password reset that we
    override) are read in mail clients, out of the policy's reach, and most clients ignore style
    sheets: their inline styles are the only ones they apply."""
    templates = Path(settings.BASE_DIR, "templates")
    wagtail_emails = {
        *templates.glob("wagtailadmin/notifications/*.html"),
        templates / "wagtailadmin/account/password_reset/email.html",
    }
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0).strip()}"
        for path in sorted(templates.rglob("*.html"))
        if path.parent.name != "email" and path not in wagtail_emails
        for match in INLINE.finditer(path.read_text())
    ]
    assert offenders == []
