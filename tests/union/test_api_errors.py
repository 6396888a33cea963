"""Errors in French through real HTTP: bodies that do not parse, DRF's own refusals, and a NUL
character (%00) in a URL, which reached PostgreSQL and gave a 500."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import exceptions
from wagtail.contrib.redirects.models import Redirect

from tests.conftest import PASSWORD, host_client, member_client
from tests.seminars.conftest import make_seminar
from union import roles
from union.api_errors import french_exception_handler

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(r"\b(JSON parse|Expecting|error|not allowed|Unsupported|Request)\b")


def detail(response) -> str:
    message = response.json()["detail"]
    assert not ENGLISH.search(message), message
    return message


def test_malformed_json_is_refused_in_french(portal):
    seminar = make_seminar()
    for url in ("/api/v1/auth/token/", f"/api/v1/seminars/{seminar.pk}/registrations/"):
        for body in ("{pas du json", "[1, 2", '{"nom": "Durand",}'):
            response = portal.post(url, body, content_type="application/json")
            assert response.status_code == 400, (url, body, response.content)
            assert detail(response) == "Corps de requête illisible : JSON attendu."


def test_drf_refusals_are_french(portal):
    token = portal.post("/api/v1/auth/token/", "x=1", content_type="text/plain")
    assert token.status_code == 415 and "text/plain" in detail(token)
    anonymous = portal.delete("/api/v1/seminars/")
    assert anonymous.status_code == 401 and "authentification" in detail(anonymous)
    not_allowed = portal.delete("/api/v1/indicators/")
    assert not_allowed.status_code == 405 and "DELETE" in detail(not_allowed)
    not_acceptable = portal.get("/api/v1/indicators/", HTTP_ACCEPT="application/xml")
    assert not_acceptable.status_code == 406 and "Accept" in detail(not_acceptable)
    good = portal.post(
        "/api/v1/auth/token/",
        json.dumps({"username": "personne", "password": "x"}),
        content_type="application/json",
    )
    assert good.status_code == 400 and "non_field_errors" in good.json()


def test_missing_or_wrong_credentials_are_a_401_that_names_the_token_scheme(portal):
    """An integrator's client re-authenticates on 401, and WWW-Authenticate tells it how;
    a 403 means « you are known, but not allowed », never « who are you? »."""
    anonymous = portal.get("/api/v1/seminars/1/registrations/")
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"] == "Token"
    assert "authentification" in detail(anonymous)
    wrong = host_client("localhost").get(
        "/api/v1/seminars/1/registrations/", HTTP_AUTHORIZATION="Token pas-un-jeton"
    )
    assert wrong.status_code == 401 and wrong["WWW-Authenticate"] == "Token"
    assert "non valide" in detail(wrong)
    # Known but not allowed: still 403, without the header.
    someone = get_user_model().objects.create_user("x@union.test", "x@union.test", PASSWORD)
    signed_in = host_client("localhost", someone).get("/api/v1/seminars/1/registrations/")
    assert signed_in.status_code == 403 and not signed_in.has_header("WWW-Authenticate")


def test_the_handler_keeps_drf_french_messages_and_throttling():
    response = french_exception_handler(exceptions.Throttled(wait=5), {})
    assert response.status_code == 429 and "5 secondes" in str(response.data["detail"])
    plain = french_exception_handler(exceptions.ParseError(), {})
    assert plain.data["detail"] == exceptions.ParseError.default_detail


def union_admin():
    user = get_user_model().objects.create_user("admin@union.test", "admin@union.test", PASSWORD)
    user.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    return user


def test_a_nul_character_in_the_url_is_a_400_not_a_500(portal, bondy):
    admin = host_client("localhost", union_admin())
    listing = admin.get("/admin/membres/?q=%00")
    assert listing.status_code == 400 and "Requête invalide." in listing.content.decode()
    assert admin.get("/admin/membres/?q=bondy").status_code == 200
    assert portal.get("/membres/?q=a%00b").status_code == 400
    indicator = portal.get("/api/v1/indicators/%00/")
    assert indicator.status_code == 400 and indicator.json() == {"detail": "Requête invalide."}
    assert portal.get("/api/v1/indicators/TP60/").status_code in (200, 404)
    series = member_client(bondy).get("/api/v1/series/?commune=%00&indicator=TP60")
    assert series.status_code == 400 and series.json() == {"detail": "Requête invalide."}


def test_an_unknown_api_path_is_a_json_404_in_french(portal, bondy):
    """Such a path falls through to Wagtail's page tree, whose 404 was an HTML page."""
    for client, path in (
        (portal, "/api/v1/seminars/999999/inconnue/"),
        (portal, "/api/v1/inconnue/"),
        (member_client(bondy), "/api/v1/inconnue/"),
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json"
        assert detail(response).startswith("Adresse inconnue de l'API")
    page = portal.get("/page-inconnue/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_editors_redirects_apply_to_pages_not_to_api_paths(portal):
    """An API path is never looked up among the editors' redirects (two queries per junk path)."""
    Redirect.objects.create(old_path="/ancien-guide", redirect_link="/guides/")
    Redirect.objects.create(old_path="/api/v1/ancienne", redirect_link="/guides/")
    assert portal.get("/ancien-guide/")["Location"] == "/guides/"
    with CaptureQueriesContext(connection) as queries:
        response = portal.get("/api/v1/ancienne/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert not [q for q in queries.captured_queries if "wagtailredirects" in q["sql"]]
