"""Session 38: « Écrire aux membres » has « M'envoyer un test », as « Écrire aux inscrits » does:
the message as its first recipient will read it (her greeting, her member's name) goes to the
sender's own address only, nothing to the members, nothing in the union's trail, and the form
comes back as typed; the real sending after a test still goes (the test does not use up the
« same form posted twice sends once » guard). And one greeting rule (union.mail.has_own_greeting):
a message that starts with its own greeting is not greeted a second time."""

import smtplib

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail

from tests.conftest import PASSWORD, host_client
from tests.tenants import test_network_message_s37 as s37
from tests.tenants.test_network_message_s37 import URL, message, recipients, send, text_of
from union import roles
from union.models import AuditEntry

pytestmark = pytest.mark.django_db
# The fixtures: Bondy's Claire Martin (director) and Léa Agent, Montreuil's Paul Durand and a
# deactivated director, a suspended member; the union's contact address.
contact, network = s37.contact, s37.network

MEMBER_ADDRESSES = ("claire@bondy.test", "paul@montreuil.test", "agent@bondy.test")


def html_of(sent) -> str:
    (html,) = [a.content for a in sent.alternatives if a.mimetype == "text/html"]
    return html


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_a_test_goes_to_the_sender_alone_as_the_first_recipient_reads_it(
    admin, network, django_capture_on_commit_callbacks
):
    page = admin.get(URL)
    assert soup(page).find("input", attrs={"name": "test", "type": "checkbox"})

    with django_capture_on_commit_callbacks(execute=True):
        tested = admin.post(URL, message(test="on"))
    assert tested.status_code == 200, text_of(tested)
    (sent,) = mail.outbox
    assert sent.to == ["admin@union.test"] and not sent.cc and not sent.bcc
    assert sent.subject == "[Test] Enquête ABS 2026"
    assert sent.reply_to == ["contact@union.test"]
    # As Paul Durand (first by name) will read it: his greeting, his member's name.
    assert sent.body.startswith("Bonjour Paul Durand (CCAS de Montreuil),")
    assert "La campagne ABS commence.\nRépondez avant le 30 juin." in sent.body
    assert "membre de l'équipe du CCAS de Montreuil" in sent.body
    html = html_of(sent)
    assert "Bonjour Paul Durand (CCAS de Montreuil)," in html
    for address in MEMBER_ADDRESSES:
        assert address not in sent.body + html + " ".join(sent.recipients())
    # Nothing in the union's trail: a test is not a message to the members.
    assert not AuditEntry.objects.filter(action="network.emailed").exists()

    said = text_of(tested)
    assert "Test en route vers admin@union.test" in said
    assert "rien n'a été envoyé aux membres" in said
    assert "le message ira à 2 personnes" in said
    page = soup(tested)
    assert page.find("input", attrs={"name": "subject"})["value"] == "Enquête ABS 2026"
    assert page.find("textarea", attrs={"name": "body"}).get_text().strip() == (
        "La campagne ABS commence.\nRépondez avant le 30 juin."
    )
    assert page.find("input", attrs={"name": "form_id"})["value"] == (
        "formulaire-ecrire-membres-0001"
    )
    assert not page.find("input", attrs={"name": "test"}).has_attr("checked")

    # Then the real sending, the same form (same form id): it goes to all.
    mail.outbox.clear()
    send(admin, django_capture_on_commit_callbacks)
    assert recipients() == ["claire@bondy.test", "paul@montreuil.test"]
    assert AuditEntry.objects.filter(action="network.emailed").count() == 1


def test_a_test_checked_on_the_confirmation_step_sends_nothing_to_the_members(
    admin, network, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tested = admin.post(URL, {**message(test="on"), "confirmed": "1", "expected": "2"})
    assert tested.status_code == 200
    assert [sent.to for sent in mail.outbox] == [["admin@union.test"]]
    assert not AuditEntry.objects.filter(action="network.emailed").exists()


def test_without_an_address_the_test_is_refused_and_the_form_kept(
    network, django_capture_on_commit_callbacks
):
    nameless = get_user_model().objects.create_user("admin-sans-adresse", "", PASSWORD)
    nameless.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    client = host_client("localhost", nameless)
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(URL, message(test="on"))
    assert refused.status_code == 200
    assert "Votre compte n'a pas d'adresse e-mail : le test n'est pas parti." in text_of(refused)
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(action="network.emailed").exists()
    assert soup(refused).find("input", attrs={"name": "subject"})["value"] == "Enquête ABS 2026"


def test_a_mail_server_refusal_is_said_and_the_form_kept(admin, network, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connexion fermée")

    # Whatever mailer the tests run with: the sending itself fails, as with a refusing server.
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    refused = admin.post(URL, message(test="on"))
    assert refused.status_code == 200
    said = text_of(refused)
    assert "Le test n'a pas pu partir (Connexion fermée) : réessayez plus tard." in said
    assert soup(refused).find("input", attrs={"name": "subject"})["value"] == "Enquête ABS 2026"
    assert not AuditEntry.objects.filter(action="network.emailed").exists()


@pytest.mark.parametrize(
    "body",
    [
        "Bonjour à toutes et à tous,\n\nLa campagne ABS commence.",
        "Chère collègue,\n\nLa campagne ABS commence.",
        "\n  \n  MADAME, MONSIEUR,\n\nLa campagne ABS commence.",
    ],
)
def test_a_message_with_its_own_greeting_is_not_greeted_twice(
    admin, network, django_capture_on_commit_callbacks, body
):
    send(admin, django_capture_on_commit_callbacks, body=body)
    assert recipients() == ["claire@bondy.test", "paul@montreuil.test"]
    for sent in mail.outbox:
        html = html_of(sent)
        assert "Bonjour Claire" not in sent.body + html and "Bonjour Paul" not in sent.body + html
        assert sent.body.startswith(body.strip())  # the form strips what was typed
        # Her member is still named, in the foot.
        assert "membre de l'équipe du CCAS de" in sent.body


@pytest.mark.parametrize(
    "body", ["Bonjournée ABS : la campagne commence.", "Le bonjour de l'union."]
)
def test_a_message_without_a_greeting_word_is_greeted(
    admin, network, django_capture_on_commit_callbacks, body
):
    send(admin, django_capture_on_commit_callbacks, body=body)
    by_address = {sent.to[0]: sent for sent in mail.outbox}
    claire = by_address["claire@bondy.test"]
    assert claire.body.startswith(f"Bonjour Claire Martin (CCAS de Bondy),\n\n{body}")
    assert "Bonjour Claire Martin (CCAS de Bondy)," in html_of(claire)


def test_the_help_text_says_the_greeting_rule(admin, network):
    from union.mail import OWN_GREETING_RULE

    assert OWN_GREETING_RULE in soup(admin.get(URL)).find(id="id_body_helptext").get_text()


def test_an_organisers_test_greets_a_stand_in_and_the_page_says_what_sends(
    admin, network, django_capture_on_commit_callbacks
):
    """Audit A28: an event organiser does not see the members' teams (their list is the
    admins'), so her test does not tell her the first person's name; and the page after a test
    says the box is unticked and which button sends."""
    organiser = get_user_model().objects.create_user("orga@union.test", "orga@union.test", PASSWORD)
    organiser.groups.add(Group.objects.get(name=roles.EVENT_ORGANISER))
    client = host_client("localhost", organiser)
    with django_capture_on_commit_callbacks(execute=True):
        tested = client.post(URL, message(test="on"))
    assert tested.status_code == 200, text_of(tested)
    (sent,) = mail.outbox
    assert sent.to == ["orga@union.test"]
    assert sent.body.startswith("Bonjour Prénom Nom (CCAS de Montreuil),")
    assert "Paul" not in sent.body + html_of(sent)
    said = text_of(tested)
    assert "La case « M'envoyer un test » est décochée" in said
    assert "« Envoyer à 2 personnes dans 2 membres » l'envoie." in said
