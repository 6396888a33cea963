"""Session 34, data protection (audit A12): what /donnees-personnelles/ promises, done.

1. « à votre demande ou à celle de la direction de votre CCAS, l'union » erases an account: the
   users' admin refused any deletion of an account with traces, and a deactivated account kept
   its address and names for ever. An administrator now erases its personal data (the account
   and its primary key stay, so that the journal keeps its lines attached).
3. The page says what the CCAS that registered someone keeps (its archive « Toutes nos données »).
4. The contact of an experience is published: the proposal form and the page say so.
5. /api/docs/ no longer loads Redocly's logo from cdn.redoc.ly (a visitor's address sent there).
"""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.contrib.staticfiles import finders
from django_tenants.utils import schema_context
from rest_framework.authtoken.models import Token

from tenants.journal.models import JournalEntry
from tenants.models import Membership
from tenants.workspace.models import TeamInvitation
from tests.conftest import PASSWORD, host_client, make_person, member_client
from tests.knowledge_base.conftest import kb_tree  # noqa: F401 (fixture)
from tests.union.test_csp_s18 import policy
from union import roles
from union.audit import record_audit
from union.models import AuditEntry

pytestmark = pytest.mark.django_db
User = get_user_model()


def words(html: str) -> str:
    """The page's text, whitespace (no-break spaces included) collapsed."""
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def union_admin(email: str = "admin@union.test", *, superuser: bool = False):
    make = User.objects.create_superuser if superuser else User.objects.create_user
    user = make(email, email, PASSWORD)
    user.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    return user


def erase_url(user) -> str:
    return f"/admin/users/effacer/{user.pk}/"


# --- 1. Erasing an account's personal data ---------------------------------------------------


def test_an_administrator_erases_an_account_that_deletion_refuses(two_members):
    bondy, montreuil = two_members
    person = make_person(bondy, "Claire.Martin@bondy.test", Membership.Role.AGENT)
    make_person(montreuil, "claire.martin@bondy.test", Membership.Role.VIEWER)
    person.first_name, person.last_name = "Claire", "Martin"
    person.save()
    with schema_context(bondy.schema_name):
        TeamInvitation.objects.create(user=person, first_name="Claire", last_name="Martin")
    record_audit("account.renamed", actor=person, target=person.email)  # a trace of hers
    traced = AuditEntry.objects.filter(actor=person).count()
    token = Token.objects.create(user=person)
    her_client = member_client(bondy, person)
    assert her_client.get("/").status_code == 200
    admin = union_admin()
    client = host_client("localhost", admin)

    # Deletion is still refused, and the refusal offers the erasure.
    refused = client.get(f"/admin/users/delete/{person.pk}/", follow=True)
    assert refused.redirect_chain[0] == (f"/admin/users/edit/{person.pk}/", 302)
    soup = BeautifulSoup(refused.content.decode(), "html.parser")
    link = soup.find("a", href=erase_url(person))
    assert link is not None
    assert " ".join(link.get_text().split()) == "Effacer les données personnelles du compte"
    # The listing's « … » menu offers it too.
    listing = client.get("/admin/users/").content.decode()
    assert f'href="{erase_url(person)}"' in listing

    # A confirmation page says what will happen, before anything does.
    page = client.get(erase_url(person))
    assert page.status_code == 200
    text = words(page.content.decode())
    assert "Effacer les données personnelles du compte claire.martin@bondy.test" in text
    assert "désactivé" in text and "ses accès aux espaces membres sont retirés" in text
    person.refresh_from_db()
    assert person.is_active and person.first_name == "Claire"

    response = client.post(erase_url(person), follow=True)
    assert response.redirect_chain[-1][0] == f"/admin/users/edit/{person.pk}/"
    placeholder = f"compte-efface-{person.pk}"
    assert (
        f"Les données personnelles du compte sont effacées : il s'appelle désormais {placeholder}"
        in words(response.content.decode())
    )

    person.refresh_from_db()
    assert not person.is_active
    assert (person.first_name, person.last_name) == ("", "")
    assert person.username == placeholder
    assert person.email == f"{placeholder}@efface.invalid"
    assert not person.has_usable_password()
    assert not Membership.objects.filter(user=person).exists()
    assert not Token.objects.filter(pk=token.pk).exists()
    assert all(
        str(session.get_decoded().get("_auth_user_id")) != str(person.pk)
        for session in Session.objects.all()
    )
    assert her_client.get("/").status_code == 302  # signed out of the space

    # Each member's journal records the access removed, without her address.
    for member in (bondy, montreuil):
        with schema_context(member.schema_name):
            revoked = JournalEntry.objects.get(action="membership.revoked")
            assert revoked.actor_id == admin.pk
            assert "martin" not in revoked.target.lower()
            # The invitations the team sent her, with the name it typed, went with the access.
            assert not TeamInvitation.objects.filter(user=person).exists()

    # The union's trail: one line for the erasure, no old address in it; her lines stay hers.
    erased = AuditEntry.objects.get(action="account.erased")
    assert erased.actor_id == admin.pk
    assert erased.target == placeholder
    assert "martin" not in f"{erased.target} {erased.details}".lower()
    assert AuditEntry.objects.filter(actor=person).count() == traced


def test_erasure_is_refused_for_oneself_the_last_superuser_and_non_administrators(db):
    only_superuser = User.objects.create_superuser("root@union.test", "root@union.test", PASSWORD)
    admin = union_admin()
    client = host_client("localhost", admin)

    for user, reason in (
        (admin, "Vous ne pouvez pas effacer votre propre compte"),
        (only_superuser, "seul superutilisateur actif"),
    ):
        page = client.get(erase_url(user))
        assert page.status_code == 200
        assert reason in words(page.content.decode())
        client.post(erase_url(user))
        user.refresh_from_db()
        assert user.is_active and user.username.endswith("@union.test")
    assert not AuditEntry.objects.filter(action="account.erased").exists()

    # An editor of the union may open the admin, not erase anyone.
    editor = User.objects.create_user("redaction@union.test", "redaction@union.test", PASSWORD)
    editor.groups.add(Group.objects.get(name=roles.EDITOR))
    target = User.objects.create_user("x@ville.test", "x@ville.test", PASSWORD)
    response = host_client("localhost", editor).post(erase_url(target))
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.is_active and target.email == "x@ville.test"


def test_the_privacy_page_says_what_erasure_does_and_how_long_accounts_are_kept(portal):
    page = portal.get("/donnees-personnelles/").content.decode()
    soup = BeautifulSoup(page, "html.parser")
    accounts = " ".join(
        " ".join(p.get_text().split()) for p in soup.find(id="comptes").find_next_siblings("p")
    )
    assert "l'union le supprime" not in accounts
    assert (
        "l'union efface les données personnelles du compte : il est désactivé pour de bon, ses "
        "groupes et ses droits lui sont retirés, vos nom et prénom sont effacés, votre adresse "
        "e-mail est remplacée"
    ) in accounts
    assert "vos accès aux espaces membres sont retirés" in accounts
    assert "Un compte désactivé garde son adresse e-mail, son nom et ses rôles" in accounts
    assert "jusqu'à ce que l'union en efface les données personnelles" in accounts


# --- 3. What the CCAS that registered someone keeps ------------------------------------------


def test_the_privacy_page_says_what_the_registering_ccas_sees_and_keeps(portal):
    soup = BeautifulSoup(portal.get("/donnees-personnelles/").content.decode(), "html.parser")
    registrations = " ".join(soup.find(id="inscriptions").find_next("dl").get_text().split())
    assert "si l'inscription est confirmée ou en liste d'attente, et les ateliers choisis" in (
        registrations
    )
    assert "Le CCAS ou CIAS membre qui vous a inscrit(e)" in registrations
    assert "« Toutes nos données »" in registrations
    for kept in (
        "adresse e-mail",
        "date d'annulation",
        "date d'émargement de votre présence",
    ):
        assert kept in registrations


# --- 4. The contact of an experience ---------------------------------------------------------


def test_the_proposal_form_says_the_contact_is_published(kb_tree, bondy):  # noqa: F811
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    html = member_client(bondy, agent).get("/experiences/proposer/").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    helptext = soup.find(id="id_contact_name_helptext")
    assert helptext is not None
    assert " ".join(helptext.get_text().split()) == (
        "Publié sur le portail de l'union avec l'expérience : préférez une adresse et un "
        "téléphone de service."
    )
    assert soup.find(id="id_contact_name")["aria-describedby"] == "id_contact_name_helptext"


def test_the_privacy_page_lists_the_experiences_contact(portal):
    soup = BeautifulSoup(portal.get("/donnees-personnelles/").content.decode(), "html.parser")
    spaces = " ".join(soup.find(id="espaces").find_next("p").get_text().split())
    assert "avec le contact indiqué (nom, fonction, adresse e-mail, téléphone)" in spaces
    assert "tant que la fiche est publiée" in spaces


# --- 5. No third-party request from the API docs ---------------------------------------------


@pytest.mark.parametrize("on_member_host", [False, True])
def test_the_api_docs_call_no_other_site(bondy, on_member_host):
    client = member_client(bondy) if on_member_host else host_client("localhost")
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert "cdn.redoc.ly" not in response.headers["Content-Security-Policy"]
    assert policy(response)["img-src"] == ["'self'", "data:"]
    # The link around the logo Redoc still writes is hidden, so that no broken image shows.
    with open(finders.find("css/api-docs.css"), encoding="utf-8") as handle:
        stylesheet = handle.read()
    assert 'a[href="https://redocly.com/redoc/"]' in stylesheet
