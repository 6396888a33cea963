"""« Retrouver mes inscriptions »: a maire registered for several events types her address once
and receives ONE e-mail listing her registrations to the events not yet over, each with its own
personal link. The page never tells whether an address is registered, sends nothing when there
is nothing to list, and at most one such e-mail per address every ten minutes.

Real HTTP on the portal, real e-mails: the task queue runs the e-mail task on commit."""

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from seminars.links import page_path
from seminars.models import Registration, RegistrationsListNotice, SeminarPage, Visibility
from seminars.retention import apply_retention
from seminars.services import cancel_registration, register_person
from seminars.tasks import send_registrations_list_email as TASK
from tests.conftest import make_member, make_person, member_client
from tests.seminars.conftest import make_seminar, person
from union.settings.base import TASK_BACKENDS

pytestmark = pytest.mark.django_db

URL = "/evenements/mes-inscriptions/"
ADDRESS = "maire@exemple.fr"
SUBJECT = "Vos inscriptions aux événements"


def maire():
    return person(1, email=ADDRESS, nom="Martin")


@pytest.fixture
def registrations(db):
    """The maire's two registrations to come (one confirmed, one 2nd on a waiting list), and what
    the e-mail must not list: a past event, a cancelled registration, other people's."""
    forum = make_seminar("Forum des solidarités", days_ahead=40)
    full = make_seminar("Atelier début de mandat", days_ahead=20, seats=1)
    past = make_seminar("Séminaire de l'an dernier", days_ahead=30)
    cancelled = make_seminar("Journée d'étude annulée", days_ahead=50)
    register_person(full, person(2), notify=False)  # the only seat
    register_person(full, person(3, email="autre@exemple.fr"), notify=False)
    confirmed, _ = register_person(forum, maire(), notify=False)
    waiting, _ = register_person(full, maire(), notify=False)
    old, _ = register_person(past, maire(), notify=False)
    SeminarPage.objects.filter(pk=past.pk).update(
        start=timezone.now() - timedelta(days=10), end=timezone.now() - timedelta(days=10, hours=-7)
    )
    gone, _ = register_person(cancelled, maire(), notify=False)
    cancel_registration(gone)
    return {"confirmed": confirmed, "waiting": waiting, "past": old, "cancelled": gone}


def ask(client, address, capture):
    with capture(execute=True):
        return client.post(URL, {"email": address})


def text_of(html: bytes | str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def status_message(portal, response) -> str:
    """The answer the page gives after the form (the message shown where it redirects)."""
    assert response.status_code == 302
    page = portal.get(response["Location"])
    return " ".join(BeautifulSoup(page.content, "html.parser").select_one(".messages").text.split())


def personal_links(body: str) -> list[str]:
    return re.findall(r"https?://\S+/evenements/inscription/[^/\s]+/", body)


def test_the_page_has_a_labelled_email_field_and_one_heading(portal):
    response = portal.get(URL)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert [h.get_text(strip=True) for h in soup.find_all("h1")] == ["Retrouver mes inscriptions"]
    field = soup.find("input", {"name": "email"})
    assert field["type"] == "email" and field["autocomplete"] == "email"
    assert soup.find("label", {"for": field["id"]})


def test_one_email_lists_the_two_registrations_to_come_each_with_its_own_link(
    portal, registrations, mailoutbox, django_capture_on_commit_callbacks
):
    response = ask(portal, ADDRESS, django_capture_on_commit_callbacks)

    assert "Si des inscriptions existent avec cette adresse" in status_message(portal, response)
    (message,) = mailoutbox
    assert message.to == [ADDRESS]
    assert message.subject == SUBJECT
    body = " ".join(message.body.split())
    assert "Forum des solidarités" in body and "Atelier début de mandat" in body
    assert "Séminaire de l'an dernier" not in body and "Journée d'étude annulée" not in body
    assert "confirmée" in body and "en liste d'attente, 2e position" in body
    # The waiting list's event comes first: the events in their order.
    assert body.index("Atelier début de mandat") < body.index("Forum des solidarités")
    links = personal_links(message.body)
    assert len(links) == 2
    opened = {}
    for link in links:
        page = portal.get(urlparse(link).path)
        assert page.status_code == 200
        text = text_of(page.content)
        assert "Prénom1 Martin" in text
        opened["Forum" if "Forum des solidarités" in text else "Atelier"] = text
    assert set(opened) == {"Forum", "Atelier"}  # each link opens its own registration
    assert "2e position" in opened["Atelier"]

    html = message.alternatives[0][0]
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "fr"
    assert [a["href"] for a in soup.find_all("a", string="Gérer mon inscription")] == links
    assert "en liste d'attente, 2e position" in text_of(html)
    assert "Séminaire de l'an dernier" not in html


def test_each_link_is_counted_as_sent(
    portal, registrations, mailoutbox, django_capture_on_commit_callbacks
):
    before = {r.pk: r.links_sent for r in Registration.objects.all()}
    ask(portal, ADDRESS, django_capture_on_commit_callbacks)
    after = {r.pk: r.links_sent for r in Registration.objects.all()}
    listed = {registrations["confirmed"].pk, registrations["waiting"].pk}
    assert {pk for pk in after if after[pk] != before[pk]} == listed
    assert all(after[pk] == before[pk] + 1 for pk in listed)


def test_an_invitation_only_event_is_listed_for_its_registrant(
    portal, mailoutbox, django_capture_on_commit_callbacks
):
    reunion = make_seminar("Réunion du bureau", visibility=Visibility.INVITATION)
    register_person(reunion, maire(), notify=False)
    ask(portal, ADDRESS, django_capture_on_commit_callbacks)
    (message,) = mailoutbox
    (link,) = personal_links(message.body)
    assert portal.get(urlparse(link).path).status_code == 200


def test_the_email_goes_through_the_task_queue_not_in_the_request(
    portal, registrations, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": TASK_BACKENDS["database"]}}
    ask(portal, ADDRESS, django_capture_on_commit_callbacks)
    assert mailoutbox == []
    (row,) = DBTaskResult.objects.filter(task_path="seminars.tasks.send_registrations_list_email")
    TASK.call(*row.args_kwargs["args"])  # what the worker runs
    (message,) = mailoutbox
    assert len(personal_links(message.body)) == 2


def test_an_unknown_address_gets_the_same_answer_and_no_email(
    portal, registrations, mailoutbox, django_capture_on_commit_callbacks
):
    known = status_message(portal, ask(portal, ADDRESS, django_capture_on_commit_callbacks))
    mailoutbox.clear()
    response = ask(portal, "inconnue@exemple.fr", django_capture_on_commit_callbacks)
    assert status_message(portal, response) == known
    assert mailoutbox == []


def test_nothing_to_list_sends_nothing(portal, mailoutbox, django_capture_on_commit_callbacks):
    past = make_seminar("Séminaire passé", days_ahead=5)
    register_person(past, maire(), notify=False)
    SeminarPage.objects.filter(pk=past.pk).update(
        start=timezone.now() - timedelta(days=3), end=timezone.now() - timedelta(days=2)
    )
    response = ask(portal, ADDRESS, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert mailoutbox == []


def test_a_second_request_within_ten_minutes_sends_nothing_more(
    portal, registrations, mailoutbox, django_capture_on_commit_callbacks
):
    first = status_message(portal, ask(portal, ADDRESS, django_capture_on_commit_callbacks))
    second = status_message(portal, ask(portal, ADDRESS, django_capture_on_commit_callbacks))
    assert len(mailoutbox) == 1
    assert second == first
    assert "un message au plus toutes les dix minutes" in second


def test_after_ten_minutes_the_list_can_be_asked_again(
    portal, registrations, mailoutbox, django_capture_on_commit_callbacks
):
    ask(portal, ADDRESS, django_capture_on_commit_callbacks)
    RegistrationsListNotice.objects.update(sent_at=timezone.now() - timedelta(minutes=11))
    ask(portal, ADDRESS, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    # The store keeps a digest, never the address itself.
    assert not RegistrationsListNotice.objects.filter(address_digest__icontains="exemple").exists()


def test_an_invalid_address_is_refused_with_what_was_typed(
    portal, registrations, mailoutbox, django_capture_on_commit_callbacks
):
    response = ask(portal, "maire@exemple", django_capture_on_commit_callbacks)
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.title.get_text().startswith("Erreur")
    assert soup.find("input", {"name": "email"})["value"] == "maire@exemple"
    assert "Saisissez une adresse e-mail valide." in text_of(response.content)
    field_id = soup.find("input", {"name": "email"})["id"]
    assert soup.select_one(f'.error-summary a[href="#{field_id}"]')  # the summary leads to it
    assert mailoutbox == []


def test_upper_case_and_spaces_still_match(
    portal, registrations, mailoutbox, django_capture_on_commit_callbacks
):
    ask(portal, "  Maire@EXEMPLE.fr ", django_capture_on_commit_callbacks)
    (message,) = mailoutbox
    assert message.to == [ADDRESS]
    assert len(personal_links(message.body)) == 2


def test_the_calendar_and_the_lost_link_page_lead_to_it(portal, registrations):
    calendar = BeautifulSoup(portal.get("/evenements/").content, "html.parser")
    assert calendar.find("a", href=URL)
    event = registrations["confirmed"].seminar
    lost = BeautifulSoup(portal.get(f"/evenements/{event.pk}/nouveau-lien/").content, "html.parser")
    assert lost.find("a", href=URL)


def test_the_event_page_and_a_broken_personal_link_lead_to_it(portal, registrations):
    """Beside the event page's « Lien perdu ? » form; and from a personal link cut in two, which
    names no event: the list by e-mail is then the way back to one's registration."""
    event = registrations["confirmed"].seminar
    page = portal.get(page_path(event))
    assert page.status_code == 200
    lost_form = BeautifulSoup(page.content, "html.parser").find(id="lien-perdu").parent
    assert lost_form.find("a", href=URL)
    broken = portal.get("/evenements/inscription/coupe-en-deux/")
    assert broken.status_code == 404
    assert BeautifulSoup(broken.content, "html.parser").find("a", href=URL)


def test_a_member_host_does_not_serve_it(db):
    """The portal's page only: a member's space has no such address (404 once signed in)."""
    member = make_member("93010")
    client = member_client(member, make_person(member, "directrice@bondy.test"))
    assert client.get(URL).status_code == 404


def test_the_daily_retention_forgets_the_last_digest(
    portal, registrations, django_capture_on_commit_callbacks
):
    """The table keeps an address's digest ten minutes: the page's next request deletes older
    rows, and the daily retention the last one, when nobody used the page since."""
    ask(portal, ADDRESS, django_capture_on_commit_callbacks)
    apply_retention()
    assert RegistrationsListNotice.objects.count() == 1  # still within its ten minutes
    apply_retention(now=timezone.now() + timedelta(minutes=11))
    assert not RegistrationsListNotice.objects.exists()


def test_each_card_gives_the_events_place_and_a_reply_reaches_the_one_organiser(
    portal, registrations, mailoutbox, django_capture_on_commit_callbacks
):
    """A maire reading the list on the way needs to know where to go, not only when: each card
    has its « Lieu » (the map link in HTML). Both events have the same organiser here, so a
    reply reaches them."""
    forum = registrations["confirmed"].seminar
    forum.venue_address = "12 rue de la Paix\n93140 Bondy"
    forum.save()
    SeminarPage.objects.filter(pk__in=[forum.pk, registrations["waiting"].seminar_id]).update(
        organiser_email="evenements@union.fr"
    )
    ask(portal, ADDRESS, django_capture_on_commit_callbacks)

    (message,) = mailoutbox
    body = " ".join(message.body.split())
    assert "Lieu : Salle des fêtes, 12 rue de la Paix, 93140 Bondy" in body
    assert body.count("Lieu : Salle des fêtes") == 2  # the other event has a name, no address
    html = BeautifulSoup(message.alternatives[0][0], "html.parser")
    assert "Lieu : Salle des fêtes, 12 rue de la Paix, 93140 Bondy" in text_of(str(html))
    assert len(html.find_all("a", string="voir sur une carte")) == 1
    assert message.reply_to == ["evenements@union.fr"]


def test_events_of_different_organisers_give_no_reply_address(
    portal, registrations, mailoutbox, django_capture_on_commit_callbacks
):
    SeminarPage.objects.filter(pk=registrations["confirmed"].seminar_id).update(
        organiser_email="forum@union.fr"
    )
    SeminarPage.objects.filter(pk=registrations["waiting"].seminar_id).update(
        organiser_email="ateliers@union.fr"
    )
    ask(portal, ADDRESS, django_capture_on_commit_callbacks)

    (message,) = mailoutbox
    assert message.reply_to == []
