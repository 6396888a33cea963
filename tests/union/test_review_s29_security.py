"""Security review s29 (the DPO's penetration tester, back for four points): a closed space tells
only its own people and the union why it is closed (1); links sent by e-mail come from the
configured address, never from the request's Host header (2); a deactivated account, or a person
removed from a team, loses her sessions, which a reactivation no longer revives (3). The PDFs
under the CSP: tests/browser/test_csp_pdf_s29.py (4)."""

import io
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tenants.models import MemberCCAS, Membership
from tenants.services import grant_membership, set_member_status
from tests.conftest import PASSWORD, host_client, make_member, make_person, member_client
from tests.union.test_account_retention import idle, warned_on
from union import roles
from union.account_retention import reactivate_account

pytestmark = pytest.mark.django_db
User = get_user_model()

NEUTRAL = "Cet espace n'est pas accessible"
WHY = ("suspendu", "quitté", "Ses données sont conservées", "/donnees/", "inclus")


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.content.decode(), "html.parser").get_text().split())


def set_status(member: MemberCCAS, status: str) -> None:
    connection.set_schema_to_public()
    set_member_status(member, status)


def union_admin(host: str = "localhost") -> tuple[User, Client]:
    user = User.objects.create_user("admin@union.test", "admin@union.test", PASSWORD)
    user.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    return user, host_client(host, user)


# --- 1. A closed space says why to its own people only ----------------------------------------


@pytest.mark.parametrize("status", [MemberCCAS.Status.SUSPENDED, MemberCCAS.Status.LEFT])
def test_a_closed_space_tells_a_stranger_nothing_of_why(two_members, status):
    bondy, montreuil = two_members
    director = make_person(bondy, "direction@bondy.test")
    stranger = make_person(montreuil, "direction@montreuil.test")
    set_status(bondy, status)
    for client in (host_client(bondy.domain_name), member_client(bondy, stranger)):
        page = client.get("/equipe/")
        assert page.status_code == 403
        text = text_of(page)
        assert NEUTRAL in text
        assert not any(word in text for word in WHY), text
        # The way in for its own people: the portal's sign-in, then « Mes espaces ».
        links = {a["href"] for a in BeautifulSoup(page.content, "html.parser").find_all("a")}
        assert "http://localhost/connexion/?next=/compte/" in links
        api = client.get("/api/v1/profile/")
        assert api.status_code == 403
        assert api.json()["detail"].startswith(NEUTRAL)
        assert not any(word in api.json()["detail"] for word in WHY[:2])
    # Its own people, and the union, still read why.
    _, admin = union_admin(bondy.domain_name)
    for client in (member_client(bondy, director), admin):
        page = client.get("/equipe/")
        assert page.status_code == 403
        assert "Cet espace est fermé" in text_of(page) and NEUTRAL not in text_of(page)


def test_an_api_token_of_another_member_reads_nothing_of_why(two_members):
    bondy, montreuil = two_members
    mine = Token.objects.create(user=make_person(bondy, "direction@bondy.test"))
    theirs = Token.objects.create(user=make_person(montreuil, "direction@montreuil.test"))
    set_status(bondy, MemberCCAS.Status.SUSPENDED)
    client = host_client(bondy.domain_name)
    detail = client.get("/api/v1/profile/", HTTP_AUTHORIZATION=f"Token {theirs.key}").json()
    assert detail["detail"].startswith(NEUTRAL) and "suspendu" not in detail["detail"]
    detail = client.get("/api/v1/profile/", HTTP_AUTHORIZATION=f"Token {mine.key}").json()
    assert "suspendu par l'union" in detail["detail"]
    wrong = client.get("/api/v1/profile/", HTTP_AUTHORIZATION="Token faux")
    assert wrong.status_code == 403 and wrong.json()["detail"].startswith(NEUTRAL)


def test_a_departed_members_direction_still_signs_in_and_reaches_its_archive(bondy):
    make_person(bondy, "direction@bondy.test")
    set_status(bondy, MemberCCAS.Status.LEFT)
    client = host_client(bondy.domain_name)
    assert NEUTRAL in text_of(client.get("/"))
    assert client.get("/connexion/").status_code == 200
    signed_in = client.post(
        "/connexion/", {"username": "direction@bondy.test", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.get("/donnees/").status_code == 200
    closed = client.get("/")
    assert "Cet espace est fermé" in text_of(closed) and "/donnees/" in closed.content.decode()


# --- 2. Links sent by e-mail come from the configuration, not the Host header -----------------


def links_in(mailoutbox) -> list[str]:
    return [
        link for message in mailoutbox for link in re.findall(r"https?://[^\s\"<>]+", message.body)
    ]


def test_a_directors_invitation_links_ignore_the_requests_port(
    bondy, mailoutbox, django_capture_on_commit_callbacks
):
    director = make_person(bondy, "direction@bondy.test")
    client = host_client(f"{bondy.domain_name}:4444", director)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/equipe/", {"email": "agent@bondy.test", "role": Membership.Role.AGENT})
    connection.set_schema_to_public()
    other = make_person(make_member("93048"), "deja@ccas.test")  # has a password: « accès »
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/equipe/", {"email": other.email, "role": Membership.Role.AGENT})
    links = links_in(mailoutbox)
    assert any("/compte/mot-de-passe/" in link for link in links), links
    assert any(link.startswith("http://bondy.localhost/") for link in links), links
    assert links and not [link for link in links if ":4444" in link], links


def test_the_unions_invitations_and_status_e_mails_ignore_the_requests_port(
    bondy, mailoutbox, django_capture_on_commit_callbacks
):
    _, admin = union_admin("localhost:4444")
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/admin/membres/{bondy.pk}/direction/", {"email": "nina@ccas.test"})
        admin.post(f"/admin/membres/{bondy.pk}/statut/", {"status": "suspended", "confirmed": "1"})
    assert len(mailoutbox) >= 2
    links = links_in(mailoutbox)
    assert links and not [link for link in links if ":4444" in link], links


# --- 3. Deactivation ends the person's sessions -----------------------------------------------


def signed_in(host: str, email: str) -> Client:
    client = Client(HTTP_HOST=host)
    assert client.post("/connexion/", {"username": email, "password": PASSWORD}).status_code == 302
    return client


def is_signed_in(client: Client) -> bool:
    return client.get("/compte/profil/").status_code == 200


def test_an_account_deactivated_then_reactivated_from_the_admin_is_signed_out(bondy):
    person = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    portal = signed_in("localhost", person.email)
    space = signed_in(bondy.domain_name, person.email)
    assert is_signed_in(portal) and is_signed_in(space)
    _, admin = union_admin()
    edit = f"/admin/users/edit/{person.pk}/"
    form = {
        "username": person.email,
        "email": person.email,
        "first_name": "Agnès",
        "last_name": "Agent",
        "password1": "",
        "password2": "",
    }
    assert admin.post(edit, form).status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    assert admin.post(edit, {**form, "is_active": "on"}).status_code == 302
    person.refresh_from_db()
    assert person.is_active
    assert not is_signed_in(portal) and not is_signed_in(space)
    assert is_signed_in(signed_in("localhost", person.email))  # she signs in again


def test_the_bulk_deactivation_ends_sessions_too(bondy):
    person = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    other = make_person(bondy, "autre@bondy.test", Membership.Role.AGENT)
    portal, kept = signed_in("localhost", person.email), signed_in("localhost", other.email)
    _, admin = union_admin()
    url = "/admin/bulk/auth/user/set_active_state/"
    answer = admin.post(f"{url}?id={person.pk}", {"mark_as_active": "False"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    person.refresh_from_db()
    assert not person.is_active
    User.objects.filter(pk=person.pk).update(is_active=True)
    assert not is_signed_in(portal)
    assert is_signed_in(kept)


def test_the_retention_command_leaves_no_session_behind(bondy):
    """Already so before this review: the command makes the password unusable, which voids the
    sessions (their hash is the password's); kept as a guard."""
    person = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    portal = signed_in("localhost", person.email)
    idle(person, 800, now=timezone.now())
    warned_on(person, timezone.now() - timedelta(days=40))
    call_command("deactivate_inactive_accounts", stdout=io.StringIO())
    person.refresh_from_db()
    assert not person.is_active
    reactivate_account(person)
    assert not is_signed_in(portal)


def test_a_person_removed_from_a_team_then_invited_again_is_signed_out_there(two_members):
    bondy, montreuil = two_members
    director = make_person(bondy, "direction@bondy.test")
    person = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    make_person(montreuil, person.email, Membership.Role.AGENT)  # her other space
    space = signed_in(bondy.domain_name, person.email)
    elsewhere = signed_in(montreuil.domain_name, person.email)
    portal = signed_in("localhost", person.email)
    membership = Membership.objects.get(user=person, member=bondy)
    removed = member_client(bondy, director).post(f"/equipe/{membership.pk}/retirer/")
    assert removed.status_code == 302
    connection.set_schema_to_public()
    grant_membership(bondy, person.email, Membership.Role.AGENT)  # invited again
    assert not is_signed_in(space)
    assert is_signed_in(elsewhere) and is_signed_in(portal)
