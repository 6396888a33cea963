"""Session 21, the elected official's journey on the public portal, walked as a maire would (the
calendar, an event's page, the form with mistakes, the e-mails, the personal page):

1. the calendar's list offered « 50 places disponibles » for an event whose registrations were
   closed or not open yet (the event page then had no form), and the closed event's page still
   said « 50 – 50 disponibles »;
2. a refused « Mes besoins particuliers » or « Mon téléphone » on the personal page came back
   (400) without « Erreur – » in the title, the first thing a screen reader says;
3. the personal page of an event without ateliers said « Ateliers souhaités : aucun »;
4. the e-mails wrote the place as typed: an address on two lines broke the text's « Lieu : »
   line (and ran « Paix 93140 » together in the HTML), an event without a venue name began it
   with a comma; the text's contact line had no separators (« Claire Martin claire@… 01… »);
5. the event page's ateliers table had a « Salle » column of « – » when no room was known,
   which pushed « Places » out of a phone's screen (tests/browser/test_review_s21_official.py
   measures it)."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from seminars.emails import organiser_message
from seminars.links import manage_path
from seminars.links import page_path as url
from seminars.models import Registration
from seminars.services import register_person
from tests.conftest import plain
from tests.seminars.conftest import form_data, make_seminar, person

pytestmark = pytest.mark.django_db


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def words(node) -> str:
    return " ".join(node.get_text(" ").split()) if node is not None else ""


def calendar_item(response, title: str) -> str:
    """The calendar list's entry of the event `title`, as read."""
    soup = soup_of(response)
    heading = soup.find("h3", string=lambda text: text and title in text) or next(
        h for h in soup.find_all("h3") if title in h.get_text()
    )
    return words(heading.find_parent("li"))


# 1. What the calendar says of an event one cannot register for -----------------------------------


def test_the_calendar_says_when_registrations_are_closed_or_not_open_yet(portal):
    now = timezone.now()
    open_event = make_seminar("Journée ouverte", days_ahead=30)
    closed = make_seminar(
        "Journée close", days_ahead=20, registration_closes=now - timedelta(days=1)
    )
    later = make_seminar(
        "Journée future", days_ahead=60, registration_opens=now + timedelta(days=5)
    )
    assert (open_event.registration_state(), closed.registration_state()) == ("open", "closed")
    assert later.registration_state() == "not_yet"

    listing = portal.get("/evenements/")
    assert "50 places disponibles" in calendar_item(listing, "Journée ouverte")
    said = calendar_item(listing, "Journée close")
    assert "Inscriptions closes" in said and "disponible" not in said
    said = calendar_item(listing, "Journée future")
    opens = timezone.localtime(later.registration_opens)
    assert f"Inscriptions à partir du {opens.day} " in said and "disponible" not in said
    # The month view's list is the same entry.
    month = portal.get(f"/evenements/?vue=mois&mois={timezone.localtime(closed.start):%Y-%m}")
    assert "Inscriptions closes" in calendar_item(month, "Journée close")

    # The closed event's page gives its seats, not seats one could take.
    page = soup_of(portal.get(url(closed)))
    facts = dict(
        zip(
            (words(dt) for dt in page.select("dl.facts dt")),
            (words(dd) for dd in page.select("dl.facts dd")),
            strict=True,
        )
    )
    assert facts["Places"] == "50"
    # Still said while one can register, and a full event still offers its waiting list.
    page = soup_of(portal.get(url(open_event)))
    assert "50 – 50 disponibles" in words(page.select_one("dl.facts"))


# 2. « Erreur – » in the title for every refused form of the personal page -----------------------


@pytest.mark.parametrize(
    ("posted", "anchor"),
    [
        ({"action": "needs", "needs": "x" * 1200}, "mes-besoins"),
        ({"action": "phone", "phone": "0" * 40}, "mon-telephone"),
    ],
)
def test_a_refused_change_of_the_personal_page_says_erreur_in_the_title(
    portal, seminar, posted, anchor
):
    registration, _ = register_person(seminar, person(1), notify=False)
    response = portal.post(manage_path(registration), posted)
    assert response.status_code == 400
    soup = soup_of(response)
    assert soup.title.get_text().startswith("Erreur – Mon inscription – ")
    section = soup.find("section", attrs={"aria-labelledby": anchor})
    assert section.find(class_="error-summary") is not None


# 3. No « Ateliers » line for an event that has none -------------------------------------------


def test_the_personal_page_of_an_event_without_ateliers_does_not_list_ateliers(portal, seminar):
    plain = make_seminar("Commission sans ateliers", seats=1)
    register_person(plain, person(1), notify=False)
    waiting, _ = register_person(plain, person(2), notify=False)
    assert waiting.status == Registration.Status.WAITLISTED
    facts = words(soup_of(portal.get(manage_path(waiting))).select_one("dl.facts"))
    assert "Atelier" not in facts and "aucun" not in facts

    # An event with ateliers still says « aucun » for someone who chose none.
    mine, _ = register_person(seminar, person(3), notify=False)
    facts = words(soup_of(portal.get(manage_path(mine))).select_one("dl.facts"))
    assert "Ateliers aucun" in facts


# 4. The place and the contact of the e-mails ----------------------------------------------------


def html_words(message) -> str:
    (html,) = [a.content for a in message.alternatives if a.mimetype == "text/html"]
    return " ".join(BeautifulSoup(html, "html.parser").get_text().split())


@pytest.mark.parametrize(
    ("venue_name", "place"),
    [
        ("Salle des fêtes", "Lieu : Salle des fêtes, 12 rue de la Paix, 93140 Bondy"),
        ("", "Lieu : 12 rue de la Paix, 93140 Bondy"),
    ],
)
def test_the_emails_write_the_place_on_one_line_and_separate_the_contact(
    portal, mailoutbox, django_capture_on_commit_callbacks, venue_name, place
):
    event = make_seminar(
        "Journée des élus",
        venue_address="12 rue de la Paix\r\n93140 Bondy\n",
        organiser_name="Claire Martin",
        organiser_email="claire@union.test",
        organiser_phone="01 23 45 67 89",
    )
    event.venue_name = venue_name
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = portal.post(url(event), form_data(commune="Bondy"))
    assert response.status_code == 302
    (message,) = mailoutbox
    contact = "Contact : Claire Martin, claire@union.test, 01 23 45 67 89"
    assert place in message.body.splitlines()
    assert contact in message.body.splitlines()
    assert plain(place) in html_words(message) and plain(contact) in html_words(message)

    # The organisers' message to registrants, likewise.
    registration = Registration.objects.get(seminar=event)
    sent = organiser_message(registration, "Parking", "Le parking est fermé.", to=["a@b.fr"])
    assert place in sent.body.splitlines() and contact in sent.body.splitlines()
    assert plain(place) in html_words(sent)


# 5. The ateliers table on a phone ---------------------------------------------------------------


def column_headers(response) -> list[str]:
    table = soup_of(response).find("caption", string="Ateliers proposés").find_parent("table")
    return [words(th) for th in table.select("thead th")]


def test_the_ateliers_table_has_a_room_column_only_when_a_room_is_known(portal, seminar):
    assert column_headers(portal.get(url(seminar))) == ["Atelier", "Horaire", "Places"]
    atelier = seminar.ateliers.get(title="Atelier B")
    atelier.room = "Salle Jaurès"
    atelier.save()
    response = portal.get(url(seminar))
    assert column_headers(response) == ["Atelier", "Horaire", "Salle", "Places"]
    rows = soup_of(response).find("caption").find_parent("table").select("tbody tr")
    assert [words(row.find_all("td")[1]) for row in rows] == ["–", "Salle Jaurès", "–"]
