"""An event without ateliers never tells its registrants they can « changer d'ateliers » (the
page's answer, the e-mails, the .ics description); one with ateliers still does. The atelier
boxes say the seats left as such: « (3 places disponibles) », not « (3 places », read as the
atelier's size."""

import pytest
from icalendar import Calendar

from seminars.forms import atelier_label
from seminars.links import page_path as url
from tests.seminars.conftest import form_data, make_seminar

pytestmark = pytest.mark.django_db

CHANGE = "changer d'ateliers"


def register_and_read(portal, seminar, mailoutbox, capture):
    with capture(execute=True):
        response = portal.post(url(seminar), form_data(), follow=True)
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    (message,) = mailoutbox
    html = message.alternatives[0][0]
    ics = next(a for a in message.attachments if a[0].endswith(".ics"))[1]
    description = str(Calendar.from_ical(ics).walk("VEVENT")[0]["DESCRIPTION"])
    again = portal.post(url(seminar), form_data(), follow=True).content.decode()
    return (
        page,
        message.body,
        html.replace("&#x27;", "'"),
        description,
        again.replace("&#x27;", "'"),
    )


def test_an_event_without_ateliers_does_not_offer_to_change_them(
    portal, mailoutbox, django_capture_on_commit_callbacks
):
    seminar = make_seminar("Commission solidarité")
    texts = register_and_read(portal, seminar, mailoutbox, django_capture_on_commit_callbacks)
    for text in texts:
        assert CHANGE not in text
    page, body, html, description, again = texts
    assert "pour annuler votre inscription" in page
    assert "ou vous désinscrire" in body and "ou vous désinscrire" in html
    assert "(vous désinscrire)" in description
    assert "consulter l'inscription, l'annuler" in again


def test_an_event_with_ateliers_still_does(portal, mailoutbox, django_capture_on_commit_callbacks):
    seminar = make_seminar("Atelier début de mandat", ateliers=(("Atelier A", 1, 2, 10),))
    for text in register_and_read(portal, seminar, mailoutbox, django_capture_on_commit_callbacks):
        assert CHANGE in text


def test_the_atelier_box_says_seats_left():
    seminar = make_seminar("Atelier début de mandat", ateliers=(("Atelier A", 1, 2, 3),))
    atelier = seminar.ateliers.get()
    atelier.left = 3
    assert atelier_label(atelier).endswith("(3 places disponibles)")
    atelier.left = 1
    assert atelier_label(atelier).endswith("(1 place disponible)")
    atelier.left = 0
    assert atelier_label(atelier).endswith("(complet)")
