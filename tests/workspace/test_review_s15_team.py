"""Review of session 15, team, accounts and profile: an invitation that can be sent again and
says until when it works, « mot de passe oublié » for an account without a password, removal
after confirmation, role changes that say what happened, « Mon compte » (name, password) on
both hosts, and the profile form that says what is public."""

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import Membership
from tenants.workspace.models import TeamInvitation
from tenants.workspace.services import get_profile, set_profile_publication
from tests.conftest import PASSWORD, host_client, make_person, member_client
from union.formats import long_date
from union.models import AuditEntry

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "Un-mot-de-passe-solide-9"


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def messages_of(response) -> str:
    box = soup_of(response).find(class_="messages")
    return box.get_text(" ", strip=True) if box else ""


def link_in(message) -> str:
    """The path (on the portal) of the set-password or reset link of an e-mail."""
    link = re.search(r"https?://\S+/compte/mot-de-passe/\S+/", message.body).group(0)
    return link.split("localhost", 1)[1].lstrip(":0123456789")


def set_password_with(path: str) -> int:
    """Follow a link on the portal and choose NEW_PASSWORD; the status of the POST (302 if
    the link worked)."""
    portal = host_client("localhost")
    page = portal.get(path, follow=True)
    if "new_password1" not in page.content.decode():
        return page.status_code
    url = page.redirect_chain[-1][0] if page.redirect_chain else path
    return portal.post(
        url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    ).status_code


def invite(client, email, capture, role="agent", **names):
    with capture(execute=True):
        return client.post("/equipe/", {"email": email, "role": role, **names})


def team_row(client, email) -> BeautifulSoup:
    for row in soup_of(client.get("/equipe/")).select("tbody tr"):
        if row.find("td").get_text(strip=True) == email:
            return row
    raise AssertionError(f"{email} not in the team")


@pytest.fixture
def later(monkeypatch):
    """Move the clock of Django's password tokens `days` ahead (a link found after a holiday)."""

    def move(days: int):
        ahead = timezone.now().replace(tzinfo=None) + timedelta(days=days)
        monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: ahead)

    return move


# --- 1. Invitations --------------------------------------------------------------------------


def test_the_invitation_says_until_when_its_link_works(
    clients, django_capture_on_commit_callbacks, mailoutbox
):
    invite(clients["director"], "nina@bondy.test", django_capture_on_commit_callbacks)
    deadline = timezone.localtime() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    (message,) = mailoutbox
    assert "utilisable une seule fois, jusqu'au" in message.body
    assert long_date(deadline, weekday=False) in message.body
    assert "Mot de passe oublié" in message.body  # what to do once it has expired


def test_the_team_list_says_who_never_signed_in_and_since_when(
    bondy, clients, people, django_capture_on_commit_callbacks
):
    invite(
        clients["director"],
        "nina@bondy.test",
        django_capture_on_commit_callbacks,
        first_name="Nina",
        last_name="Nouvelle",
    )
    row = team_row(clients["director"], "nina@bondy.test")
    status = row.th.get_text(" ", strip=True)
    today = long_date(timezone.localdate(), weekday=False)
    assert f"Invitation envoyée le {today}, jamais connecté(e)" in status
    assert "lien valable jusqu'au" in status
    # « Depuis », written as the dates beside it (s21: it was « 02/12/2026 »).
    assert row.find_all("td")[2].get_text(strip=True) == today
    assert row.find("form", action=re.compile(r"/renvoyer/$")).button.get_text(" ", strip=True) == (
        "Renvoyer l'invitation à Nina Nouvelle"
    )
    # People who signed in (the test clients do) have neither the note nor the button.
    agent = team_row(clients["director"], "agent@bondy.test")
    assert "jamais connecté" not in agent.th.get_text() and "Renvoyer" not in agent.get_text()
    # Agents see the note, not the button.
    seen_by_agent = team_row(clients["agent"], "nina@bondy.test")
    assert "jamais connecté(e)" in seen_by_agent.get_text() and not seen_by_agent.find("form")


def test_a_lost_invitation_is_sent_again_with_a_fresh_link(
    two_members, clients, people, django_capture_on_commit_callbacks, mailoutbox, later
):
    bondy, montreuil = two_members
    invite(clients["director"], "nina@bondy.test", django_capture_on_commit_callbacks)
    first = link_in(mailoutbox[0])
    nina = Membership.objects.get(member=bondy, user__email="nina@bondy.test")
    # Montreuil invites her too; its own note, in its own schema.
    montreuil_client = member_client(montreuil, make_person(montreuil, "dir@montreuil.test"))
    invite(montreuil_client, "nina@bondy.test", django_capture_on_commit_callbacks)
    mailoutbox.clear()

    later(days=4)  # the first link has expired: Django says so, the team page too
    assert set_password_with(first) == 200
    nina.user.refresh_from_db()
    assert not nina.user.has_usable_password()

    for role in ("agent", "viewer"):
        assert clients[role].post(f"/equipe/{nina.pk}/renvoyer/").status_code == 403
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["director"].post(f"/equipe/{nina.pk}/renvoyer/", follow=True)
    assert "Invitation renvoyée à nina@bondy.test" in messages_of(response)
    assert "fonctionne jusqu'au" in messages_of(response)
    (message,) = mailoutbox
    assert message.to == ["nina@bondy.test"] and "nouveau lien" in message.body
    assert "jusqu'au" in message.body and "CCAS de Bondy" in message.body
    assert set_password_with(link_in(message)) == 302
    nina.user.refresh_from_db()
    assert nina.user.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(
        action="membership.invitation_resent", member=bondy, actor=people["director"]
    ).exists()
    with schema_context(bondy.schema_name):
        assert TeamInvitation.objects.filter(user=nina.user).count() == 2
    with schema_context(montreuil.schema_name):
        assert TeamInvitation.objects.filter(user=nina.user).count() == 1
    # Another member's membership is not this team's (404), whatever its id.
    theirs = Membership.objects.get(member=montreuil, user=nina.user)
    assert clients["director"].post(f"/equipe/{theirs.pk}/renvoyer/").status_code == 404


def test_someone_who_signed_in_gets_no_new_invitation(
    bondy, clients, people, django_capture_on_commit_callbacks, mailoutbox
):
    agent = Membership.objects.get(member=bondy, user=people["agent"])
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["director"].post(f"/equipe/{agent.pk}/renvoyer/", follow=True)
    assert "s'est déjà connecté(e)" in messages_of(response)
    assert mailoutbox == []


def test_inviting_again_someone_who_never_chose_a_password_sends_the_set_password_link(
    bondy, clients, django_capture_on_commit_callbacks, mailoutbox
):
    invite(clients["director"], "nina@bondy.test", django_capture_on_commit_callbacks)
    nina = Membership.objects.get(member=bondy, user__email="nina@bondy.test")
    clients["director"].post(f"/equipe/{nina.pk}/retirer/")
    mailoutbox.clear()
    invite(clients["director"], "nina@bondy.test", django_capture_on_commit_callbacks)
    (message,) = mailoutbox
    assert "compte habituel" not in message.body
    assert "Choisissez votre mot de passe" in message.body
    assert set_password_with(link_in(message)) == 302


def test_forgotten_password_of_an_account_that_never_had_one_sends_the_set_password_link(
    bondy, clients, django_capture_on_commit_callbacks, mailoutbox
):
    invite(clients["director"], "nina@bondy.test", django_capture_on_commit_callbacks)
    User.objects.create_user("partie@ailleurs.test", "partie@ailleurs.test", is_active=False)
    mailoutbox.clear()
    portal = host_client("localhost")
    answers = [
        portal.post("/compte/mot-de-passe/oublie/", {"email": email})
        for email in ("Nina@Bondy.test", "personne@nulle-part.test", "partie@ailleurs.test")
    ]
    # The same answer whatever the address: nothing tells whether an account exists.
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, "/compte/mot-de-passe/envoye/")
    }
    (message,) = mailoutbox  # only the active account without a password
    assert message.to == ["nina@bondy.test"]
    assert "n'a pas encore de mot de passe" in message.body and "jusqu'au" in message.body
    assert set_password_with(link_in(message)) == 302
    done = portal.get("/compte/mot-de-passe/envoye/").content.decode()
    assert "premier mot de passe" in done


def test_the_reset_email_says_until_when_its_link_works(bondy, mailoutbox):
    make_person(bondy, "dir@bondy.test")
    host_client("localhost").post("/compte/mot-de-passe/oublie/", {"email": "dir@bondy.test"})
    (message,) = mailoutbox
    assert "utilisable une seule fois, jusqu'au" in message.body
    assert "/compte/mot-de-passe/" in message.body


# --- 2. Removal and role changes -------------------------------------------------------------


def test_removing_an_access_asks_for_confirmation_first(bondy, montreuil, clients, people):
    viewer = Membership.objects.get(member=bondy, user=people["viewer"])
    team = soup_of(clients["director"].get("/equipe/"))
    assert team.find("a", href=f"/equipe/{viewer.pk}/retirer/") is not None
    assert team.find("form", action=f"/equipe/{viewer.pk}/retirer/") is None  # no one-click

    page = soup_of(clients["director"].get(f"/equipe/{viewer.pk}/retirer/"))
    assert page.h1.get_text() == "Retirer l'accès de viewer@bondy.test à l'espace ?"
    form = page.find("main").find("form", method="post")
    assert form.button.get_text() == "Retirer l'accès"
    assert form.find("a", href="/equipe/") is not None
    assert "Lecture seule" in page.find("dl").get_text()
    assert "Son compte est conservé" in page.find("main").get_text()
    assert Membership.objects.filter(pk=viewer.pk).exists()  # a GET removes nothing

    for role in ("agent", "viewer"):
        assert clients[role].get(f"/equipe/{viewer.pk}/retirer/").status_code == 403
    other = Membership.objects.get(user=make_person(montreuil, "dir@montreuil.test"))
    assert clients["director"].get(f"/equipe/{other.pk}/retirer/").status_code == 404

    response = clients["director"].post(f"/equipe/{viewer.pk}/retirer/", follow=True)
    assert "viewer@bondy.test n'a plus accès à l'espace." in messages_of(response)
    assert not Membership.objects.filter(pk=viewer.pk).exists()


def test_the_confirmation_page_says_at_once_what_cannot_be_removed(bondy, clients, people):
    me = Membership.objects.get(member=bondy, user=people["director"])
    response = clients["director"].get(f"/equipe/{me.pk}/retirer/", follow=True)
    assert "Vous ne pouvez pas retirer votre propre accès" in messages_of(response)
    assert Membership.objects.filter(pk=me.pk).exists()


def test_a_role_change_says_what_changed(bondy, clients, people):
    agent = people["agent"]
    agent.first_name, agent.last_name = "Awa", "Diallo"
    agent.save()
    membership = Membership.objects.get(member=bondy, user=agent)
    response = clients["director"].post(
        f"/equipe/{membership.pk}/role/", {"role": "director"}, follow=True
    )
    assert "Le rôle d'Awa Diallo passe de « Agent » à « Directeur ou directrice »." in messages_of(
        response
    )
    response = clients["director"].post(
        f"/equipe/{membership.pk}/role/", {"role": "director"}, follow=True
    )
    assert "Le rôle d'Awa Diallo reste « Directeur ou directrice » : rien ne change." in (
        messages_of(response)
    )


# --- 3. Mon compte ---------------------------------------------------------------------------


def test_a_member_enters_her_name_from_her_space_and_her_team_sees_it(
    bondy, montreuil, clients, people
):
    # In the account menu, beside « Se déconnecter » (the main menu stays on one row).
    nav = soup_of(clients["agent"].get("/")).find("nav", class_="account-nav")
    assert nav.find("a", href="/compte/profil/").get_text() == "Mon compte"
    page = soup_of(clients["agent"].get("/compte/profil/"))
    assert page.h1.get_text() == "Mon compte"
    assert page.find("a", href="/compte/mot-de-passe/") is not None
    response = clients["agent"].post(
        "/compte/profil/", {"first_name": " Awa ", "last_name": "Diallo"}, follow=True
    )
    assert "Votre nom est enregistré." in messages_of(response)
    people["agent"].refresh_from_db()
    assert (people["agent"].first_name, people["agent"].last_name) == ("Awa", "Diallo")
    assert team_row(clients["director"], "agent@bondy.test").th.get_text(" ", strip=True) == (
        "Awa Diallo"
    )
    current = soup_of(clients["agent"].get("/compte/mot-de-passe/")).find(
        "a", attrs={"aria-current": "page"}
    )
    assert current.get_text() == "Mon compte"
    # Only this member's people reach its account pages; others sign in on their own host.
    outsider = make_person(montreuil, "dir@montreuil.test")
    client = member_client(bondy, outsider)
    assert client.get("/compte/profil/").status_code == 403
    assert client.post("/compte/profil/", {"first_name": "X"}).status_code == 403
    outsider.refresh_from_db()
    assert outsider.first_name == ""
    assert member_client(bondy).get("/compte/profil/")["Location"].startswith("/connexion/")


@pytest.mark.parametrize("on_member_host", [True, False])
def test_changing_one_s_password_keeps_the_session(bondy, on_member_host):
    person = make_person(bondy, "dir@bondy.test")
    client = member_client(bondy, person) if on_member_host else host_client("localhost", person)
    wrong = client.post(
        "/compte/mot-de-passe/",
        {
            "old_password": "pas-le-bon",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert wrong.status_code == 200
    assert "Erreur – Changer mon mot de passe" in soup_of(wrong).title.get_text()
    assert "ancien mot de passe est incorrect" in wrong.content.decode()
    response = client.post(
        "/compte/mot-de-passe/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/compte/profil/"
    assert "Votre mot de passe est changé." in messages_of(response)
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    home = client.get("/" if on_member_host else "/compte/")
    assert home.status_code == 200  # still signed in
    assert AuditEntry.objects.filter(action="account.password_changed", actor=person).exists()


def test_the_portal_account_page_leads_to_name_and_password(bondy):
    person = make_person(bondy, "dir@bondy.test")
    page = soup_of(host_client("localhost", person).get("/compte/"))
    assert page.find("a", href="/compte/profil/") is not None
    assert page.find("a", href="/compte/mot-de-passe/") is not None
    response = host_client("localhost", person).post(
        "/compte/profil/", {"first_name": "Dominique", "last_name": "Martin"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.get_full_name() == "Dominique Martin"


# --- 4. What the profile form publishes ------------------------------------------------------


def helptext(page, name: str) -> str:
    field = page.find(attrs={"name": name})
    described = field.get("aria-describedby", "")
    return " ".join(
        page.find(id=ident).get_text(" ", strip=True)
        for ident in described.split()
        if page.find(id=ident)
    )


def test_the_profile_form_marks_what_the_directory_shows(two_members, clients):
    bondy, montreuil = two_members
    mark = "Publié dans l'annuaire des membres"
    page = soup_of(clients["agent"].get("/profil/modifier/"))
    assert "Rien de ce profil n'est publié" in page.find("main").get_text()
    assert mark not in helptext(page, "phone")

    with schema_context(bondy.schema_name):
        get_profile(bondy)
        set_profile_publication(bondy, name=False, services=False, contact=True)
    page = soup_of(clients["agent"].get("/profil/modifier/"))
    notice = page.find(id="profile-publication").get_text(" ", strip=True)
    assert "Une partie de ce profil est publique" in notice and "dès l'enregistrement" in notice
    for name in ("phone", "opening_hours", "address", "email", "website"):
        assert mark in helptext(page, name), name
    for name in ("legal_name", "director_name", "kind"):
        assert mark not in helptext(page, name), name
    assert "Par exemple : lundi-vendredi" in helptext(page, "opening_hours")  # kept
    assert mark not in page.find("legend", string=re.compile("Service 1")).get_text()

    with schema_context(bondy.schema_name):
        set_profile_publication(bondy, name=True, services=True, contact=False)
    page = soup_of(clients["agent"].get("/profil/modifier/"))
    assert mark in helptext(page, "legal_name") and mark not in helptext(page, "phone")
    assert mark in page.find_all("legend")[1].get_text()  # the services' fieldsets

    # Montreuil publishes nothing: its form says so, whatever Bondy chose.
    montreuil_agent = make_person(montreuil, "agent@montreuil.test", Membership.Role.AGENT)
    page = soup_of(member_client(montreuil, montreuil_agent).get("/profil/modifier/"))
    assert "Rien de ce profil n'est publié" in page.find("main").get_text()
    assert mark not in helptext(page, "legal_name")
