"""Session 23: the account and member e-mails go in text AND HTML, like the registrants' ones.

Each e-mail is triggered the real way (an HTTP request where there is one: the union naming a
direction, the team page, « Mot de passe oublié », a status change, a moderator's decision; the
retention command's service otherwise) and checked for one text/html alternative in the
platform's frame (lang="fr", the subject as title and heading, the platform at the foot), its
main link as a button whose address is also written out, the same facts as the text (which keeps
its wording), and names typed by people escaped. Invitations to Bondy never name Montreuil:
their schemas' primary keys collide."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import WorkflowState

from tenants.models import Membership
from tenants.services import grant_membership
from tests.conftest import PASSWORD, host_client, make_person, member_client
from tests.knowledge_base.conftest import kb_tree  # noqa: F401 (fixture)
from tests.knowledge_base.test_review_session14 import _experience_form
from tests.knowledge_base.test_workflow import (
    _act,
    proposal,  # noqa: F401 (fixture)
)
from union import roles
from union.account_retention import warn_inactive_accounts
from union.models import UnionSettings

pytestmark = pytest.mark.django_db
User = get_user_model()
NBSP = "\u00a0"
TYPED = "<b>Nina</b>"  # a first name as someone typed it
ESCAPED = "&lt;b&gt;Nina&lt;/b&gt;"


@pytest.fixture
def admin():
    user = User.objects.create_user("admin@union.test", "admin@union.test", PASSWORD)
    user.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    return host_client("localhost", user)


def html_of(message) -> str:
    """The message's only HTML alternative."""
    htmls = [
        alternative.content
        for alternative in getattr(message, "alternatives", [])
        if alternative.mimetype == "text/html"
    ]
    assert len(htmls) == 1, f"{len(htmls)} HTML alternative(s) in « {message.subject} »"
    return htmls[0]


def framed(message) -> BeautifulSoup:
    """The HTML alternative, checked for the platform's frame."""
    soup = BeautifulSoup(html_of(message), "html.parser")
    assert soup.html["lang"] == "fr"
    assert soup.title.get_text() == message.subject
    assert soup.h1.get_text() == message.subject
    assert soup.find_all("p")[-1].get_text() == settings.PLATFORM_NAME  # the foot
    return soup


def button(soup: BeautifulSoup, label: str) -> str:
    """The address of the button `label`, also written out as a link for clients without
    buttons."""
    (link,) = [a for a in soup.find_all("a") if a.get_text(strip=True) == label]
    assert "background-color:#0b4f9c" in link["style"]
    address = link["href"]
    assert soup.find("a", href=address, string=address) is not None
    return address


def words(soup_or_text) -> str:
    """Text with its whitespace collapsed (U+00A0 included), as a reader sees it."""
    text = soup_or_text if isinstance(soup_or_text, str) else soup_or_text.get_text(" ")
    return " ".join(text.split())


def link_in(body: str, pattern: str = r"https?://\S+/compte/mot-de-passe/\S+/") -> str:
    return re.search(pattern, body).group(0)


def path_of(link: str) -> str:
    return link.split("localhost", 1)[1].lstrip(":0123456789")


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


# --- Invitations: the set-password e-mail -----------------------------------------------------


def test_the_union_invitation_has_its_button_facts_and_escaped_names(
    two_members, admin, django_capture_on_commit_callbacks
):
    bondy, montreuil = two_members
    make_person(bondy, "dir@bondy.test")
    # Invited to Montreuil as an agent first, never came: same person, colliding ids.
    grant_membership(
        montreuil, "nina@ccas.test", Membership.Role.AGENT, first_name=TYPED, last_name="Neuve"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/admin/membres/{bondy.pk}/direction/", {"email": "nina@ccas.test"})
    assert response.status_code == 302

    (invitation,) = sent_to("nina@ccas.test")
    body = invitation.body  # the text, as before
    assert body.startswith(f"Bonjour {TYPED} Neuve,")
    assert "Identifiant : nina@ccas.test\nVotre rôle : direction\n" in body
    assert "Adresse de l'espace : http://bondy.localhost/" in body
    assert "<p" not in body and "&lt;" not in body
    soup = framed(invitation)
    html = html_of(invitation)
    assert ESCAPED in html and TYPED not in html
    link = button(soup, "Choisir mon mot de passe")
    assert link == link_in(body)
    text = words(soup)
    valid_until = re.search(r"jusqu'au (.+)\u00a0:\n", body).group(1)
    assert re.fullmatch(r"\w+ \d{1,2}(er)? \w+ \d{4} à \d{1,2}\s+h(\s+\d\d)?", valid_until)
    assert f"utilisable une seule fois, jusqu'au {words(valid_until)} :" in text
    assert "Identifiant : nina@ccas.test" in text and "Votre rôle : direction" in text
    assert "Adresse de l'espace : http://bondy.localhost/" in text
    assert f"l'espace membre «{NBSP}CCAS de Bondy{NBSP}»" in html
    assert soup.find("a", href="http://bondy.localhost/") is not None
    for message in mail.outbox:  # Bondy's e-mails never name Montreuil, nor her role there
        for part in (message.subject, message.body, html_of(message)):
            assert "Montreuil" not in part and "montreuil" not in part
            assert "agent" not in part

    # Bondy's director hears of it, in HTML too, the new person's typed name escaped.
    (told,) = sent_to("dir@bondy.test")
    assert "nouvelle personne à la direction" in told.subject
    assert f"à {TYPED} Neuve (nina@ccas.test)" in told.body
    soup = framed(told)
    assert ESCAPED in html_of(told) and TYPED not in html_of(told)
    assert button(soup, "Voir l'équipe de l'espace") == "http://bondy.localhost/equipe/"
    assert "http://bondy.localhost/equipe/" in told.body

    # The button's link is the real, single-use one.
    portal = host_client("localhost")
    form_page = portal.get(path_of(link), follow=True)
    assert "new_password1" in form_page.content.decode()


def test_the_team_page_invitation_and_the_reminder_are_html(
    bondy, django_capture_on_commit_callbacks
):
    director = make_person(bondy, "director@bondy.test")
    client = member_client(bondy, director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/equipe/",
            {"email": "agnes@bondy.test", "first_name": TYPED, "last_name": "A", "role": "agent"},
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "Votre rôle : agent" in message.body
    soup = framed(message)
    assert ESCAPED in html_of(message) and TYPED not in html_of(message)
    assert button(soup, "Choisir mon mot de passe") == link_in(message.body)
    assert "Votre rôle : agent" in words(soup)

    mail.outbox.clear()
    membership = Membership.objects.get(member=bondy, user__email="agnes@bondy.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/equipe/{membership.pk}/renvoyer/")
    (reminder,) = mail.outbox
    assert "Voici un nouveau lien" in reminder.body
    soup = framed(reminder)
    assert "Voici un nouveau lien" in words(soup)
    assert button(soup, "Choisir mon mot de passe") == link_in(reminder.body)


def test_someone_with_an_account_named_to_a_direction_gets_the_access_e_mail_in_html(
    two_members, admin, django_capture_on_commit_callbacks
):
    bondy, montreuil = two_members
    make_person(montreuil, "dir@ccas.test")  # has a password: Montreuil's director
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/admin/membres/{bondy.pk}/direction/", {"email": "dir@ccas.test"})
    (message,) = mail.outbox
    assert "Votre rôle : direction" in message.body
    assert "Connectez-vous avec votre compte habituel : http://bondy.localhost/connexion/" in (
        message.body
    )
    soup = framed(message)
    assert button(soup, "Ouvrir l'espace") == "http://bondy.localhost/connexion/"
    text = words(soup)
    assert (
        "Votre rôle : direction" in text and "Adresse de l'espace : http://bondy.localhost/" in text
    )
    assert f"«{NBSP}CCAS de Bondy{NBSP}»" in html_of(message)
    assert "Montreuil" not in html_of(message) and "montreuil" not in html_of(message)


def test_a_director_adding_an_existing_account_sends_the_access_e_mail_in_html(
    two_members, django_capture_on_commit_callbacks
):
    """The team page's notice to someone who already signs in (Montreuil's agent added to
    Bondy) was a text built in code; it is now the union's access e-mail, said by « La
    direction »."""
    bondy, montreuil = two_members
    make_person(montreuil, "agent@ccas.test", role=Membership.Role.AGENT)
    client = member_client(bondy, make_person(bondy, "director@bondy.test"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/equipe/", {"email": "agent@ccas.test", "role": "agent"})
    assert response.status_code == 302
    (message,) = sent_to("agent@ccas.test")
    assert message.subject == (
        f"{settings.PLATFORM_NAME} : accès à l'espace «{NBSP}CCAS de Bondy{NBSP}»"
    )
    assert "La direction vous a ouvert l'accès" in message.body
    assert "Votre rôle : agent" in message.body
    soup = framed(message)
    assert "La direction vous a ouvert l'accès" in words(soup)
    assert button(soup, "Ouvrir l'espace") == "http://bondy.localhost/connexion/"
    assert "ontreuil" not in message.body and "ontreuil" not in html_of(message)


# --- « Mot de passe oublié » ------------------------------------------------------------------


def test_both_forgotten_password_e_mails_are_html(portal, django_capture_on_commit_callbacks):
    with_password = User.objects.create_user("reset@ccas.test", "reset@ccas.test", PASSWORD)
    without = User.objects.create_user("jamais@ccas.test", "jamais@ccas.test", first_name=TYPED)
    without.set_unusable_password()
    without.save()
    for user in (with_password, without):
        with django_capture_on_commit_callbacks(execute=True):
            response = portal.post("/compte/mot-de-passe/oublie/", {"email": user.email})
        assert response.status_code == 302

    # Django's reset e-mail: its text as before, its HTML in the same frame.
    (reset,) = sent_to("reset@ccas.test")
    assert reset.subject == f"{settings.PLATFORM_NAME} : nouveau mot de passe"
    link = link_in(reset.body)
    assert link.startswith("http://localhost/compte/mot-de-passe/")
    soup = framed(reset)
    assert button(soup, "Choisir un nouveau mot de passe") == link
    valid_until = re.search(r"utilisable une seule fois, jusqu'au (.+)\u00a0:", reset.body).group(1)
    assert f"jusqu'au {words(valid_until)} :" in words(soup)
    assert "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message." in words(soup)

    # An account that never chose a password gets the set-password e-mail, « forgotten ».
    (first,) = sent_to("jamais@ccas.test")
    assert "Votre compte n'a pas encore de mot de passe" in first.body
    soup = framed(first)
    assert ESCAPED in html_of(first) and TYPED not in html_of(first)
    assert button(soup, "Choisir mon mot de passe") == link_in(first.body)
    assert "Si vous n'êtes pas à l'origine de cette demande" in words(soup)


# --- A member's status ------------------------------------------------------------------------


def test_status_e_mails_are_html_with_the_archive_deadline_and_the_space(
    bondy, admin, django_capture_on_commit_callbacks
):
    identity = UnionSettings.load()
    identity.name, identity.email, identity.phone = "<b>UD</b> de test", "ud@union.test", "01"
    identity.save()
    make_person(bondy, "dir@bondy.test")
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/admin/membres/{bondy.pk}/statut/", {"status": "left", "confirmed": "1"})
    (left,) = mail.outbox
    deadline = re.search(r"jusqu'au (.+) inclus", left.body).group(1)
    soup = framed(left)
    assert f"jusqu'au {words(deadline)} inclus" in words(soup)
    assert button(soup, "Télécharger nos données") == link_in(
        left.body, r"http://bondy\.localhost/\S+"
    )
    assert "&lt;b&gt;UD&lt;/b&gt; de test" in html_of(left) and "<b>UD</b>" not in html_of(left)
    assert soup.find("a", href="mailto:ud@union.test") is not None
    assert "Pour toute question : <b>UD</b> de test, ud@union.test, 01." in left.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/admin/membres/{bondy.pk}/statut/", {"status": "active", "confirmed": "1"})
    (reopened,) = mail.outbox
    assert "http://bondy.localhost/" in reopened.body
    soup = framed(reopened)
    assert button(soup, "Ouvrir l'espace") == "http://bondy.localhost/"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/admin/membres/{bondy.pk}/statut/", {"status": "suspended", "confirmed": "1"})
    (suspended,) = mail.outbox
    soup = framed(suspended)
    assert "Rien n'est supprimé" in words(soup) and "Rien n'est supprimé" in suspended.body


# --- The inactivity warning -------------------------------------------------------------------


def test_the_inactivity_warning_is_html_with_the_sign_in_button(
    bondy, settings, django_capture_on_commit_callbacks
):
    settings.PRIVACY_CONTACT_EMAIL = "dpo@udccas.test"
    now = datetime(2027, 2, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    user = make_person(bondy, "claire@bondy.test", Membership.Role.AGENT)
    last = now - timedelta(days=701)
    User.objects.filter(pk=user.pk).update(
        first_name=TYPED, last_login=last, date_joined=last - timedelta(days=100)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert warn_inactive_accounts(now=now) == 1
    (message,) = mail.outbox
    assert message.reply_to == ["dpo@udccas.test"]
    assert message.body.startswith(f"Bonjour {TYPED},")
    assert "le vôtre le sera le 3 mars 2027." in message.body
    soup = framed(message)
    assert ESCAPED in html_of(message) and TYPED not in html_of(message)
    assert button(soup, "Me connecter") == "http://localhost/connexion/"
    assert "le vôtre le sera le 3 mars 2027" in words(soup)
    assert soup.find("strong", string="3 mars 2027") is not None
    assert f"l'espace membre «{NBSP}CCAS de Bondy{NBSP}»" in html_of(message)
    assert soup.find("a", href="http://localhost/compte/mot-de-passe/oublie/") is not None
    assert soup.find("a", href="mailto:dpo@udccas.test") is not None
    assert soup.find("a", href="http://localhost/donnees-personnelles/") is not None


# --- A member's experience proposal -------------------------------------------------------------


def named(agent) -> None:
    agent.first_name, agent.last_name = TYPED, "Agent"
    agent.save(update_fields=["first_name", "last_name"])


def test_proposal_received_and_rejected_e_mails_are_html(
    proposal,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    page, agent, moderator = proposal
    (received,) = sent_to("agent@bondy.test")
    soup = framed(received)
    assert button(soup, "Suivre ma fiche") == "http://bondy.localhost/experiences/"
    assert "a bien été transmise à l'union" in words(soup)
    assert "http://bondy.localhost/experiences/" in received.body

    named(agent)
    mail.outbox.clear()
    comment = "<b>Retirez</b> les noms.\nMerci."
    _act(moderator, page, "reject", comment, django_capture_on_commit_callbacks)
    (rejected,) = sent_to("agent@bondy.test")
    assert comment in rejected.body and f"Bonjour {TYPED} Agent," in rejected.body
    html = html_of(rejected)
    assert "&lt;b&gt;Retirez&lt;/b&gt; les noms.<br>Merci." in html
    assert "<b>Retirez" not in html and ESCAPED in html and TYPED not in html
    soup = framed(rejected)
    assert button(soup, "Modifier et renvoyer") == "http://bondy.localhost/experiences/"


def test_proposal_approved_e_mail_is_html(
    proposal,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    page, agent, moderator = proposal
    named(agent)
    mail.outbox.clear()
    _act(moderator, page, "approve", "Bravo.", django_capture_on_commit_callbacks)
    (approved,) = sent_to("agent@bondy.test")
    assert "Bravo." in approved.body
    soup = framed(approved)
    link = button(soup, "Voir la fiche publiée")
    assert link.endswith("/experiences/des-permanences-dacces-aux-droits-au-marche/")
    assert link in approved.body
    assert "Bravo." in words(soup) and ESCAPED in html_of(approved)


def test_proposal_withdrawn_e_mail_is_html(
    proposal,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    page, _agent, moderator = proposal
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = host_client("localhost", moderator).post(
            f"/admin/pages/{page.pk}/edit/",
            _experience_form(page, **{"action-cancel-workflow": "1"}),
        )
    assert response.status_code == 302
    assert WorkflowState.objects.for_instance(page).get().status == "cancelled"
    (withdrawn,) = sent_to("agent@bondy.test")
    assert "Modifier et renvoyer" in withdrawn.body
    soup = framed(withdrawn)
    assert button(soup, "Modifier et renvoyer") == "http://bondy.localhost/experiences/"
    assert "retirée de la relecture par l'union" in words(soup)
