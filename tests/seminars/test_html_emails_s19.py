"""Session 19: the registrants' e-mails have an HTML version (the text stays the body), and while a
seat is held they carry the check-in QR code as an inline PNG (`cid:`), beside the .ics."""

import json
import re
import struct
import zlib
from datetime import timedelta

import pytest
import segno
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone

from seminars.check_in import check_in_png, check_in_qr, check_in_url
from seminars.emails import SUBJECTS, send_registration_email
from seminars.links import manage_path, page_path
from seminars.models import Registration, SeminarPage
from seminars.services import register_person, send_due_reminders, set_check_in
from tests.seminars.conftest import form_data, make_seminar, person
from tests.seminars.test_api import post_json, registration_body
from union.mail import rebuild_message, serialize_message

pytestmark = pytest.mark.django_db

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --- reading what was sent -------------------------------------------------------------------


def html_of(message) -> str:
    (html,) = [a.content for a in getattr(message, "alternatives", []) if a.mimetype == "text/html"]
    return html


def soup_of(message) -> BeautifulSoup:
    return BeautifulSoup(html_of(message), "html.parser")


def tree(message) -> list:
    """The MIME structure as sent: (content type, disposition, Content-ID, filename) per part,
    nested for multiparts."""

    def walk(part):
        if part.is_multipart():
            return [part.get_content_type(), [walk(child) for child in part.iter_parts()]]
        return (
            part.get_content_type(),
            part.get_content_disposition(),
            part["Content-ID"],
            part.get_filename(),
        )

    return walk(message.message())


def leaves(message) -> list:
    """Each leaf of the sent message with its decoded content."""
    return [
        (part.get_content_type(), part["Content-ID"], part.get_content())
        for part in message.message().walk()
        if not part.is_multipart()
    ]


def qr_parts(message) -> list:
    return [
        part
        for part in message.message().walk()
        if part.get_content_type() == "image/png" and part["Content-ID"]
    ]


def png_modules(png: bytes, scale: int, border: int) -> list[list[bool]]:
    """The dark modules of a segno PNG (1-bit greyscale), read back pixel by pixel: what a scanner
    sees, without a QR decoder (segno has none)."""
    assert png.startswith(PNG_SIGNATURE)
    width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", png[16:29])
    assert (depth, colour, interlace) == (1, 0, 0) and width == height
    data, position = b"", 8
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        if png[position + 4 : position + 8] == b"IDAT":
            data += png[position + 8 : position + 8 + length]
        position += 12 + length
    raw = zlib.decompress(data)
    stride = (width + 7) // 8
    rows, previous = [], bytes(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):  # PNG filters, one byte per « pixel » for the filters' sake
            left, up = (line[i - 1] if i else 0), previous[i]
            up_left = previous[i - 1] if i else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - up_left
                nearest = min((abs(guess - left), 0, left), (abs(guess - up), 1, up))
                nearest = min(nearest, (abs(guess - up_left), 2, up_left))
                line[i] = (line[i] + nearest[2]) & 0xFF
        previous = bytes(line)
        rows.append([not (line[x // 8] >> (7 - x % 8)) & 1 for x in range(width)])
    size = width // scale - 2 * border
    return [
        [
            rows[(border + y) * scale + scale // 2][(border + x) * scale + scale // 2]
            for x in range(size)
        ]
        for y in range(size)
    ]


def assert_carries_the_code(message, registration) -> None:
    """One inline PNG, referenced by the HTML's <img>, encoding the person's check-in URL."""
    (part,) = qr_parts(message)
    assert part.get_content_disposition() == "inline"
    assert part.get_filename() == "code-emargement.png"
    content_id = part["Content-ID"].strip("<>")
    (image,) = soup_of(message).find_all("img")
    assert image["src"] == f"cid:{content_id}"
    assert image["alt"] == f"Code d'émargement de {registration.prenom} {registration.nom}"
    png = part.get_content()
    assert png == check_in_png(registration)
    assert len(png) < 2000  # small: the worker sends hundreds of these
    qr = check_in_qr(registration)
    assert qr.designator.endswith("L")  # at most boosted, never grown (check_in_qr)
    expected = [[bool(bit) for bit in row] for row in qr.matrix]
    assert png_modules(png, scale=5, border=4) == expected
    # The same code as the badge's and the page's: it opens the scan page.
    assert qr.matrix == segno.make(check_in_url(registration), error="l").matrix
    assert int(image["width"]) == struct.unpack(">I", png[16:20])[0]


def assert_no_code(message) -> None:
    assert qr_parts(message) == []
    html = html_of(message)
    assert "cid:" not in html and "<img" not in html
    assert "code-emargement.png" not in message.body


def links_of_text(message) -> set[str]:
    return set(re.findall(r"https?://\S+", message.body))


def links_of_html(message) -> set[str]:
    return {a["href"] for a in soup_of(message).find_all("a") if a["href"].startswith("http")}


# --- confirmation through the event page ----------------------------------------------------


@pytest.fixture
def day():
    return make_seminar(
        "Journée des élus & partenaires",
        ateliers=(("Accès aux droits", 1, 2, 10), ("Budget <social>", 4, 2, 10)),
        venue_address="1 rue de la République, Bondy",
        access_notes="Bus 105, arrêt Mairie.\nParking gratuit.",
        organiser_name="Service formation",
        organiser_email="formation@union.test",
        organiser_phone="01 02 03 04 05",
    )


def test_a_confirmation_has_an_accessible_html_version_with_the_code_inline(
    portal, day, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = day.ateliers.order_by("sort_order")
    with django_capture_on_commit_callbacks(execute=True):
        response = portal.post(
            page_path(day), form_data(nom="<b>Zoé</b>", ateliers=[first.pk, second.pk])
        )
    assert response.status_code == 302
    registration = Registration.objects.get(email="aicha.durand@exemple.fr")
    assert registration.nom == "<b>Zoé</b>" and registration.status == "confirmed"
    (message,) = mailoutbox

    # The text is still the body, as it was: the text template escapes nothing.
    assert message.body.startswith("Bonjour Aïcha <b>Zoé</b>,")
    assert "est confirmée" in message.body
    # The image is in the HTML's related part, out of a text-only reader's reach: the text
    # sends to the personal page.
    assert "Votre code d'émargement est sur cette page (et dans ce message" in message.body

    html = html_of(message)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="fr">' in html
    # What people typed is text, never markup.
    assert "<b>Zoé</b>" not in html and "Aïcha &lt;b&gt;Zoé&lt;/b&gt;" in html
    assert "Budget &lt;social&gt;" in html and "Journée des élus &amp; partenaires" in html
    soup = soup_of(message)
    assert soup.title.string == f"Inscription confirmée : {day.title}"
    assert [h.get_text() for h in soup.find_all(["h1", "h2", "h3"])] == [
        f"Inscription confirmée : {day.title}",
        day.title,
        "Vos ateliers",
        "Votre code d'émargement",
    ]
    assert all(table["role"] == "presentation" for table in soup.find_all("table"))
    assert "Bonjour Aïcha <b>Zoé</b>," in soup.get_text()
    text = " ".join(soup.get_text().split())
    for fact in (
        "Date : ",
        "Lieu : Salle des fêtes, 1 rue de la République, Bondy",
        "Accès : Bus 105, arrêt Mairie.Parking gratuit.",  # a <br> between
        "Contact : Service formation, formation@union.test, 01 02 03 04 05",
        "L'événement est joint à ce message (fichier .ics)",
    ):
        assert fact in text, fact
    assert [li.get_text().split(" (")[0] for li in soup.find_all("li")] == [
        "Accès aux droits",
        "Budget <social>",
    ]
    (manage,) = soup.find_all("a", string="Gérer mon inscription")
    assert manage["href"] in message.body  # the same personal link as the text's
    assert soup.find("a", href="mailto:formation@union.test")
    assert links_of_html(message) == links_of_text(message)
    assert_carries_the_code(message, registration)

    # The .ics is still the first attachment, as a (name, content, type) triple.
    name, _content, mimetype = message.attachments[0]
    assert (name, mimetype) == (f"{day.slug}.ics", "text/calendar")
    content_id = qr_parts(message)[0]["Content-ID"]
    # The image inside a multipart/related with the HTML (RFC 2387), where mail clients look
    # for `cid:` images; the .ics beside the alternatives.
    assert tree(message) == [
        "multipart/mixed",
        [
            [
                "multipart/alternative",
                [
                    ("text/plain", None, None, None),
                    [
                        "multipart/related",
                        [
                            ("text/html", None, None, None),
                            ("image/png", "inline", content_id, "code-emargement.png"),
                        ],
                    ],
                ],
            ],
            ("text/calendar", "attachment", None, f"{day.slug}.ics"),
        ],
    ]


def test_each_message_gets_its_own_content_id(event_with_two):
    seminar, zola, abel = event_with_two
    send_registration_email(zola, "confirmed")
    send_registration_email(zola, "reminder")
    send_registration_email(abel, "confirmed")
    ids = [qr_parts(message)[0]["Content-ID"] for message in mail.outbox]
    assert len(set(ids)) == 3
    assert all(re.fullmatch(r"<[^<>@\s]+@localhost>", content_id) for content_id in ids)


@pytest.fixture
def event_with_two():
    seminar = make_seminar("Commission sociale", seats=2)
    zola, _ = register_person(seminar, person(1, nom="Zola"), notify=False)
    abel, _ = register_person(seminar, person(2, nom="Abel"), notify=False)
    mail.outbox = []
    return seminar, zola, abel


# --- the waiting list, a cancellation, a promotion -------------------------------------------


def test_waiting_and_cancelled_get_no_code_and_the_promoted_person_gets_it(
    portal, mailoutbox, django_capture_on_commit_callbacks
):
    seminar = make_seminar("Atelier budget", seats=1)
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    with django_capture_on_commit_callbacks(execute=True):
        assert post_json(portal, url, registration_body(email="a@exemple.fr")).status_code == 201
        waiting = post_json(portal, url, registration_body(email="b@exemple.fr", nom="<i>Roux</i>"))
    assert waiting.json()["status"] == "waitlisted"
    confirmation, waitlisted = mailoutbox
    assert qr_parts(confirmation)
    assert_no_code(waitlisted)
    assert waitlisted.attachments == []
    assert "liste d'attente, en 1re position" in " ".join(soup_of(waitlisted).get_text().split())
    assert "&lt;i&gt;Roux&lt;/i&gt;" in html_of(waitlisted)

    first = Registration.objects.get(email="a@exemple.fr")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert portal.post(manage_path(first), {"action": "cancel"}).status_code == 302
    cancelled = next(m for m in mailoutbox if m.to == ["a@exemple.fr"])
    promoted = next(m for m in mailoutbox if m.to == ["b@exemple.fr"])

    assert_no_code(cancelled)
    (cancellation,) = cancelled.attachments  # the .ics that removes the event, as before
    assert cancellation.get_param("method") == "CANCEL"
    assert "Le fichier joint (.ics) retire l'événement" in soup_of(cancelled).get_text()
    assert [h.get_text() for h in soup_of(cancelled).find_all("h2")] == [seminar.title]

    second = Registration.objects.get(email="b@exemple.fr")
    assert second.status == "confirmed"
    assert "place s'est libérée" in promoted.subject
    assert promoted.attachments[0][2] == "text/calendar"
    assert_carries_the_code(promoted, second)


def test_an_update_carries_the_code_only_when_confirmed(
    portal, mailoutbox, django_capture_on_commit_callbacks
):
    seminar = make_seminar("Petit-déjeuner", seats=1, ateliers=(("Tables rondes", 1, 1, 10),))
    atelier = seminar.ateliers.get()
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    with django_capture_on_commit_callbacks(execute=True):
        post_json(portal, url, registration_body(email="a@exemple.fr"))
        post_json(portal, url, registration_body(email="b@exemple.fr"))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("a@exemple.fr", "b@exemple.fr"):
            again = post_json(portal, url, registration_body(email=email, ateliers=[atelier.pk]))
            assert again.status_code == 200
    updated = {message.to[0]: message for message in mailoutbox}
    assert {m.subject for m in mailoutbox} == {f"Inscription mise à jour : {seminar.title}"}
    assert_carries_the_code(updated["a@exemple.fr"], Registration.objects.get(email="a@exemple.fr"))
    assert "(confirmée)" in soup_of(updated["a@exemple.fr"]).get_text()
    assert_no_code(updated["b@exemple.fr"])
    assert updated["b@exemple.fr"].attachments == []
    assert "(liste d'attente)" in soup_of(updated["b@exemple.fr"]).get_text()


# --- the reminder ----------------------------------------------------------------------------


def test_the_reminder_shows_the_code_and_says_it_is_in_the_message(
    mailoutbox, django_capture_on_commit_callbacks
):
    seminar = make_seminar("Rencontre des adjoints", days_ahead=1)
    zola, _ = register_person(seminar, person(1, nom="Zola"), notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 1
    (reminder,) = mailoutbox
    assert reminder.subject == f"Rappel : {seminar.title}"
    assert (
        "À l'accueil, présentez le code d'émargement de votre page d'inscription (lien "
        "ci-dessous), ou donnez simplement votre nom."
    ) in reminder.body
    assert "est sur cette page" not in reminder.body  # said once, in the opening
    text = " ".join(soup_of(reminder).get_text().split())
    assert "Votre code d'émargement, à présenter à l'accueil, est ci-dessous." in text
    assert (
        "Il est aussi sur votre page d'inscription. Sans lui, donnez simplement votre nom." in text
    )
    assert_carries_the_code(reminder, zola)
    assert reminder.attachments[0][2] == "text/calendar"


def test_no_code_once_the_event_is_over(event_with_two):
    seminar, zola, _abel = event_with_two
    SeminarPage.objects.filter(pk=seminar.pk).update(end=timezone.now() - timedelta(hours=1))
    send_registration_email(Registration.objects.get(pk=zola.pk), "updated")
    (message,) = mail.outbox
    assert_no_code(message)
    assert message.attachments[0][2] == "text/calendar"  # the .ics, as before


# --- after the event: the attestation --------------------------------------------------------


def test_the_attestation_keeps_its_pdf_and_gets_an_html_version_without_code(
    organiser_client, mailoutbox, django_capture_on_commit_callbacks
):
    seminar = make_seminar("Commission sociale", days_ahead=-1)
    zola, _ = register_person(seminar, person(1, nom="Zola"), notify=False)
    set_check_in(zola, True)
    mailoutbox.clear()
    url = f"/admin/inscriptions/{seminar.pk}/attestations/envoyer/"
    with django_capture_on_commit_callbacks(execute=True):
        assert organiser_client.post(url).status_code == 302
    (message,) = mailoutbox
    (name, content, mimetype) = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert_no_code(message)
    text = " ".join(soup_of(message).get_text().split())
    assert "Votre attestation de présence est jointe à ce message (PDF)." in text
    assert links_of_html(message) == links_of_text(message)
    assert [part[0] for part in leaves(message)] == ["text/plain", "text/html", "application/pdf"]


# --- the « lost link » e-mail no longer announces an .ics it does not carry -------------------


def test_the_link_email_announces_no_calendar_file(
    portal, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    register_person(seminar, person(1), notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        portal.post(f"/evenements/{seminar.pk}/nouveau-lien/", {"email": "personne1@exemple.fr"})
    (message,) = mailoutbox
    assert message.subject == f"Votre lien d'inscription : {seminar.title}"
    assert message.attachments == []
    assert "fichier .ics" not in message.body and "fichier .ics" not in html_of(message)
    assert_no_code(message)
    assert soup_of(message).find("a", string="Gérer mon inscription")


# --- every kind: the HTML says what the text says ---------------------------------------------


@pytest.mark.parametrize("kind", sorted(SUBJECTS))
def test_every_kind_has_an_html_version_with_the_texts_links(kind, event_with_two):
    seminar, zola, _abel = event_with_two
    if kind in ("certificate", "evaluation", "no_seat"):
        SeminarPage.objects.filter(pk=seminar.pk).update(
            start=timezone.now() - timedelta(hours=8), end=timezone.now() - timedelta(hours=1)
        )
        zola = Registration.objects.select_related("seminar").get(pk=zola.pk)
        set_check_in(zola, True)
        zola.refresh_from_db()
    send_registration_email(zola, kind)
    (message,) = mail.outbox
    soup = soup_of(message)
    assert soup.html["lang"] == "fr"
    assert soup.title.string == message.subject == SUBJECTS[kind].format(title=seminar.title)
    assert soup.h1.get_text() == message.subject
    assert links_of_html(message) == links_of_text(message)
    text = " ".join(soup.get_text().split())
    opening = message.body.split("\n\n")[1].split("\n")[0]
    if kind != "reminder":  # the HTML's says « ci-dessous » of the code shown
        assert " ".join(opening.split()) in text
    assert "Bonjour Prénom1 Zola," in text
    assert message.body.strip().endswith(soup.find_all("p")[-1].get_text())  # platform name
    if kind in ("confirmed", "promoted", "atelier", "reminder", "updated", "event_changed"):
        assert_carries_the_code(message, zola)
    else:
        assert_no_code(message)


# --- through the mail queue's JSON -----------------------------------------------------------


def test_a_message_with_the_inline_code_survives_the_mail_queues_json(event_with_two):
    _seminar, zola, _abel = event_with_two
    send_registration_email(zola, "confirmed")
    (message,) = mail.outbox
    payload = json.loads(json.dumps(serialize_message(message)))
    rebuilt = rebuild_message(payload)
    assert rebuilt.body == message.body
    assert html_of(rebuilt) == html_of(message)
    assert tree(rebuilt) == tree(message)
    assert leaves(rebuilt) == leaves(message)
    assert_carries_the_code(rebuilt, zola)
    assert rebuilt.message().as_bytes().count(b"Content-ID:") == 1
