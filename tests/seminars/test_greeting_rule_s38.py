"""Session 38: one greeting rule for the union's messages (union.mail.has_own_greeting): an
organiser's message (« Écrire aux inscrits ») that starts with its own greeting, « Mesdames,
Messieurs », « Chère », « Bonsoir »…, is not greeted « Bonjour Prénom Nom, » a second time, in the
text and the HTML; a word that only begins like one (« Bonjournée ») or comes later (« Le
bonjour ») is not a greeting. The rule is written once, in Python, and both forms say it."""

import pytest
from bs4 import BeautifulSoup

from seminars.services import register_person
from tests.seminars import test_organiser_message_html as s20
from tests.seminars.conftest import person
from tests.seminars.test_organiser_message_html import soup_of, words, write

pytestmark = pytest.mark.django_db
day = s20.day  # the fixture: an event with its organiser's contact


@pytest.mark.parametrize(
    ("body", "own"),
    [
        ("Bonjour à toutes et à tous,", True),
        ("bonjour", True),
        ("Bonsoir,", True),
        ("\n\n   Madame, Monsieur,", True),
        ("Mesdames, Messieurs,", True),
        ("Messieurs,", True),
        ("Chère collègue,", True),
        ("CHERE collègue,", True),
        ("Cher Paul,", True),
        ("Chers collègues,", True),
        ("Chères collègues,", True),
        ("\u00a0Monsieur le Maire,", True),
        ("Bonjournée", False),
        ("Le bonjour de l'union", False),
        ("Chéri", False),
        ("Madamette", False),
        ("", False),
        ("La salle change.", False),
    ],
)
def test_has_own_greeting(body, own):
    from union.mail import has_own_greeting

    assert has_own_greeting(body) is own


@pytest.mark.parametrize(
    "body",
    [
        "Mesdames, Messieurs,\n\nSalle 2.",
        "Chère participante, cher participant,\n\nSalle 2.",
        "  \nBonsoir à toutes et à tous,\n\nSalle 2.",
    ],
)
def test_an_organiser_message_with_its_own_greeting_is_not_greeted_twice(
    organiser_client, day, mailoutbox, django_capture_on_commit_callbacks, body
):
    register_person(day, person(1, nom="Zola"), notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert write(organiser_client, day, body).status_code == 302
    (sent,) = mailoutbox
    assert "Bonjour" not in sent.body
    assert sent.body.startswith(body.strip())  # the form strips what was typed
    assert "Bonjour" not in words(soup_of(sent))


@pytest.mark.parametrize(
    "body", ["Bonjournée portes ouvertes : salle 2.", "Le bonjour de l'union."]
)
def test_an_organiser_message_without_a_greeting_word_is_greeted(
    organiser_client, day, mailoutbox, django_capture_on_commit_callbacks, body
):
    register_person(day, person(1, nom="Zola"), notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        write(organiser_client, day, body)
    (sent,) = mailoutbox
    assert sent.body.startswith(f"Bonjour Prénom1 Zola,\n\n{body}")
    assert words(soup_of(sent).body).startswith(f"Salle Bonjour Prénom1 Zola, {body}")


def test_both_forms_say_the_same_rule(organiser_client, day):
    from union.mail import OWN_GREETING_RULE

    page = organiser_client.get(f"/admin/inscriptions/{day.pk}/ecrire/")
    help_text = BeautifulSoup(page.content.decode(), "html.parser").find(id="id_body_helptext")
    assert OWN_GREETING_RULE in help_text.get_text()
    assert "écrivez le message sans formule d'appel" in help_text.get_text()
