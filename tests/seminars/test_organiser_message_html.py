"""Session 20: an organiser's message to registrants (« Écrire aux inscrits ») has an HTML version
in the layout of the registrants' other e-mails: the organiser's text (escaped, paragraphs kept,
addresses clickable), the event's date and place, each person's own « Gérer mon inscription »
link and the contact; the text stays the body and says the same."""

import json
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from seminars.links import read_token
from seminars.services import register_person
from seminars.tasks import send_message_task
from tests.seminars.conftest import make_seminar, person
from union.mail import rebuild_message, serialize_message

pytestmark = pytest.mark.django_db


def html_of(message) -> str:
    (html,) = [a.content for a in getattr(message, "alternatives", []) if a.mimetype == "text/html"]
    return html


def soup_of(message) -> BeautifulSoup:
    return BeautifulSoup(html_of(message), "html.parser")


def links_of_text(message) -> set[str]:
    return set(re.findall(r"https?://\S+", message.body))


def links_of_html(message) -> set[str]:
    return {a["href"] for a in soup_of(message).find_all("a") if a["href"].startswith("http")}


def words(soup) -> str:
    return " ".join(soup.get_text().split())


def personal_link(message) -> str:
    (manage,) = soup_of(message).find_all("a", string="Gérer mon inscription")
    return manage["href"]


def owner_of(url: str):
    """The registration a « Gérer mon inscription » link opens."""
    path = urlsplit(url).path
    assert path.startswith("/evenements/inscription/")
    return read_token(path.removeprefix("/evenements/inscription/").strip("/"))


@pytest.fixture
def day():
    return make_seminar(
        "Journée des élus & partenaires",
        venue_address="1 rue de la République, Bondy",
        organiser_name="Service formation",
        organiser_email="formation@union.test",
        organiser_phone="01 02 03 04 05",
    )


def write(client, seminar, body: str, subject: str = "Salle", **extra):
    return client.post(
        f"/admin/inscriptions/{seminar.pk}/ecrire/",
        {"subject": subject, "body": body, "statuses": ["confirmed"], **extra},
    )


def test_each_registrant_gets_an_html_version_with_their_own_link(
    organiser_client, day, mailoutbox, django_capture_on_commit_callbacks
):
    zola, _ = register_person(day, person(1, nom="Zola"), notify=False)
    abel, _ = register_person(day, person(2, nom="Abel"), notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = write(organiser_client, day, "Le parking est fermé.", subject="Accès <parking>")
    assert response.status_code == 302
    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {zola.email, abel.email}

    links = {}
    for registration in (zola, abel):
        message = by_address[registration.email]
        assert message.reply_to == ["formation@union.test"]
        html = html_of(message)
        assert html.startswith("<!DOCTYPE html>") and '<html lang="fr">' in html
        soup = soup_of(message)
        assert soup.title.string == soup.h1.get_text() == message.subject == "Accès <parking>"
        assert "Accès &lt;parking&gt;" in html
        assert [h.get_text() for h in soup.find_all(["h1", "h2", "h3"])] == [
            "Accès <parking>",
            day.title,
        ]
        assert all(table["role"] == "presentation" for table in soup.find_all("table"))
        text = words(soup)
        assert f"Bonjour {registration.prenom} {registration.nom}, Le parking est fermé." in text
        date_line = next(line for line in message.body.splitlines() if line.startswith("Date : "))
        for fact in (
            " ".join(date_line.split()),
            "Lieu : Salle des fêtes, 1 rue de la République, Bondy",
            "Contact : Service formation, formation@union.test, 01 02 03 04 05",
        ):
            assert fact in text, fact
        # The same facts in the text, which stays the body.
        assert "Lieu : Salle des fêtes, 1 rue de la République, Bondy" in message.body
        assert "formation@union.test" in message.body and "01 02 03 04 05" in message.body
        assert soup.find("a", href="mailto:formation@union.test")
        assert soup.find("a", string="Page de l'événement")
        # The personal link: the text's, and it opens this person's registration.
        link = personal_link(message)
        assert link in message.body
        assert owner_of(link) == registration
        links[registration.email] = link
        assert links_of_html(message) == links_of_text(message)
        assert message.body.strip().endswith(soup.find_all("p")[-1].get_text())  # platform name
    # Nobody receives the other's link.
    assert links[zola.email] != links[abel.email]
    assert links[abel.email] not in html_of(by_address[zola.email])
    assert links[zola.email] not in html_of(by_address[abel.email])


def test_the_organisers_text_is_escaped_with_its_paragraphs_and_clickable_addresses(
    organiser_client, day, mailoutbox, django_capture_on_commit_callbacks
):
    zola, _ = register_person(day, person(1, nom="Zola"), notify=False)
    body = (
        "Le programme est en ligne : https://exemple.fr/programme?jour=1&salle=2\n"
        "Merci de le lire avant de venir.\n\n"
        "<script>alert('x')</script> & <b>pas de gras</b>\n\n"
        "Questions : formation@union.test"
    )
    with django_capture_on_commit_callbacks(execute=True):
        write(organiser_client, day, body)
    (message,) = mailoutbox
    assert body in message.body  # the text as typed

    html = html_of(message)
    soup = soup_of(message)
    assert soup.find("script") is None and soup.find("b") is None
    assert (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;pas de gras&lt;/b&gt;"
        in (html)
    )
    paragraphs = soup.find("div").find_all("p", recursive=False)
    assert [" ".join(p.get_text(" ").split()) for p in paragraphs] == [
        "Le programme est en ligne : https://exemple.fr/programme?jour=1&salle=2 Merci de le lire "
        "avant de venir.",
        "<script>alert('x')</script> & <b>pas de gras</b>",
        "Questions : formation@union.test",
    ]
    assert paragraphs[0].find("br")  # the single line break kept
    (program,) = paragraphs[0].find_all("a")
    assert program["href"] == "https://exemple.fr/programme?jour=1&salle=2"
    assert paragraphs[2].find("a", href="mailto:formation@union.test")
    assert links_of_html(message) == links_of_text(message)


def test_the_greeting_is_said_once_in_normal_case_as_in_the_text(
    organiser_client, day, mailoutbox, django_capture_on_commit_callbacks
):
    data = person(1, nom="ROUX")
    data.prenom = "MICKAËL"
    register_person(day, data, notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        write(organiser_client, day, "Le parking est fermé.")
        write(organiser_client, day, "Madame, Monsieur,\n\nSalle 2.")
    plain, own = mailoutbox
    assert words(soup_of(plain).body).startswith(
        "Salle Bonjour Mickaël Roux, Le parking est fermé."
    )
    assert plain.body.startswith("Bonjour Mickaël Roux,")
    assert "Bonjour" not in words(soup_of(own))
    assert words(soup_of(own).body).startswith("Salle Madame, Monsieur, Salle 2.")


def test_the_organisers_test_has_the_html_version_without_anyones_link(
    organiser_client, day, mailoutbox, django_capture_on_commit_callbacks
):
    register_person(day, person(1, nom="Zola"), notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = write(organiser_client, day, "Voir https://exemple.fr/plan", test="on")
    assert response.status_code == 200
    (message,) = mailoutbox
    assert message.to == ["orga@union.test"] and message.subject == "[Test] Salle"
    soup = soup_of(message)
    assert soup.title.string == "[Test] Salle"
    assert "Bonjour Prénom1 Zola," in words(soup)
    assert "Gérer mon inscription : [le lien personnel de chaque personne]" in words(soup)
    assert not soup.find("a", string="Gérer mon inscription")
    assert "/evenements/inscription/" not in message.body + html_of(message)
    assert links_of_html(message) == links_of_text(message)


def test_the_message_survives_the_mail_queues_json(day):
    zola, _ = register_person(day, person(1, nom="Zola"), notify=False)
    mail.outbox = []
    # The task delivers straight away (delivering_directly), through the same JSON as the queue.
    assert send_message_task.call([zola.pk], "Salle", "Salle 2.\n\nhttps://exemple.fr/plan") == 1
    (message,) = mail.outbox
    assert owner_of(personal_link(message)) == zola
    rebuilt = rebuild_message(json.loads(json.dumps(serialize_message(message))))
    assert rebuilt.body == message.body
    assert html_of(rebuilt) == html_of(message)
    assert rebuilt.message().get_body(preferencelist=("html",)).get_content() == html_of(message)
    assert [part.get_content_type() for part in rebuilt.message().walk()] == [
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]
