"""Session 36 (audit A20 #2, #3, #13), the organiser's side of an event: the invitation link in
full, ready to paste into an e-mail; « Présents » among the recipients of « Écrire aux inscrits »
once the event has started (at an atelier: those marked present there), with a ready message
once the proceedings are published; the automatic reminder, said where the organiser writes."""

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import timezone

from seminars.links import page_path
from seminars.models import ProceedingsPage, Registration, SeminarPage, Visibility
from seminars.services import register_person, send_due_reminders
from tests.seminars.conftest import make_seminar, person
from tests.seminars.test_stats_attendance_s23 import check_in
from union.formats import long_date

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def base(seminar) -> str:
    return f"/admin/inscriptions/{seminar.pk}/"


def page_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def words(soup) -> str:
    """The text, its spaces collapsed but not the no-break ones (French typography)."""
    return re.sub(r"[ \t\r\n]+", " ", soup.get_text(" ")).strip()


def started_event(**fields) -> SeminarPage:
    """An event that began an hour ago (check-in is open), « Budget » and « Logement » in it."""
    seminar = make_seminar(
        "Journée des élus",
        ateliers=(("Budget", 10, 2, 20), ("Logement", 12, 2, 20)),
        **fields,
    )
    start = timezone.now() - timedelta(hours=1)
    SeminarPage.objects.filter(pk=seminar.pk).update(start=start, end=start + timedelta(hours=7))
    seminar.refresh_from_db()
    return seminar


def write(client, seminar, *groups, **extra):
    data = {"subject": "Les actes", "body": "Les actes sont en ligne.", "statuses": list(groups)}
    data.update(extra)
    return client.post(f"{base(seminar)}ecrire/", data)


# --- #2: the invitation link in full ------------------------------------------------------------


def test_the_invitation_link_is_the_full_address_to_paste(organiser_client, portal):
    seminar = make_seminar("Réunion des partenaires", visibility=Visibility.INVITATION)
    page = page_of(organiser_client.get(base(seminar)))
    field = page.select_one("input#lien-invitation")
    assert field is not None and field.has_attr("readonly")
    url = field["value"]
    assert url.startswith(settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/evenements/")
    assert url.endswith(f"?invitation={seminar.invitation_key}")
    assert (
        page.select_one("label[for=lien-invitation]")
        .get_text(strip=True)
        .startswith("Lien d'invitation")
    )
    # The address opens the event's page (its form), which is 404 without the key.
    path = url.removeprefix(settings.WAGTAILADMIN_BASE_URL.rstrip("/"))
    assert portal.get(path).status_code == 200
    assert portal.get(path.partition("?")[0]).status_code == 404


# --- #3: « Présents » -----------------------------------------------------------------------


def test_presents_is_neither_offered_nor_accepted_before_the_start(organiser_client, mailoutbox):
    seminar = make_seminar("Journée à venir")
    register_person(seminar, person(1), notify=False)
    form = page_of(organiser_client.get(f"{base(seminar)}ecrire/"))
    assert [box["value"] for box in form.select("input[name=statuses]")] == [
        "confirmed",
        "waitlisted",
    ]
    response = write(organiser_client, seminar, "present")
    assert response.status_code == 400
    text = words(page_of(response))
    assert (
        f"«{NBSP}Présents{NBSP}» se choisit une fois l'événement commencé, le "
        f"{long_date(seminar.start, time=True)}" in text
    )
    assert mailoutbox == []


def test_presents_reaches_only_the_people_checked_in(
    organiser_client, mailoutbox, django_capture_on_commit_callbacks
):
    seminar = started_event()
    came, _ = register_person(seminar, person(1, nom="Venu"), notify=False)
    register_person(seminar, person(2, nom="Absent"), notify=False)
    cancelled, _ = register_person(seminar, person(3, nom="Parti"), notify=False)
    check_in(organiser_client, seminar, came)
    check_in(organiser_client, seminar, cancelled)
    Registration.objects.filter(pk=cancelled.pk).update(status="cancelled")
    form = page_of(organiser_client.get(f"{base(seminar)}ecrire/"))
    assert "present" in [box["value"] for box in form.select("input[name=statuses]")]
    with django_capture_on_commit_callbacks(execute=True):
        response = write(organiser_client, seminar, "present")
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [[came.email]]


def test_presents_at_an_atelier_are_those_marked_there(
    organiser_client, mailoutbox, django_capture_on_commit_callbacks
):
    """Marked present at « Budget » without having chosen it (changed rooms on the day): reached;
    chose « Budget » but went to « Logement »: not reached."""
    seminar = started_event()
    budget, logement = seminar.ateliers.order_by("sort_order")
    moved, _ = register_person(seminar, person(1, nom="Venu", ateliers=[logement.pk]), notify=False)
    elsewhere, _ = register_person(
        seminar, person(2, nom="Ailleurs", ateliers=[budget.pk]), notify=False
    )
    only_event, _ = register_person(seminar, person(3, nom="Hall"), notify=False)
    check_in(organiser_client, seminar, moved, atelier=budget)
    check_in(organiser_client, seminar, elsewhere, atelier=logement)
    check_in(organiser_client, seminar, only_event)
    with django_capture_on_commit_callbacks(execute=True):
        response = write(organiser_client, seminar, "present", atelier=budget.pk)
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [[moved.email]]
    # « M'envoyer un test » reads the same people: the message would go to one person.
    test = write(organiser_client, seminar, "present", atelier=budget.pk, test="on")
    assert "le message ira à 1 personne" in words(page_of(test))


def test_the_published_proceedings_offer_a_ready_message_to_those_who_came(
    organiser_client, mailoutbox, django_capture_on_commit_callbacks
):
    seminar = started_event()
    came, _ = register_person(seminar, person(1, nom="Venu"), notify=False)
    register_person(seminar, person(2, nom="Absent"), notify=False)
    check_in(organiser_client, seminar, came)
    listing = page_of(organiser_client.get(base(seminar)))
    assert listing.find("a", string="Écrire aux présents que les actes sont en ligne") is None

    proceedings = ProceedingsPage(title="Actes de la journée", slug="actes")
    seminar.add_child(instance=proceedings)
    proceedings.save_revision().publish()
    listing = page_of(organiser_client.get(base(seminar)))
    link = listing.find("a", string="Écrire aux présents que les actes sont en ligne")
    assert link is not None
    form = page_of(organiser_client.get(link["href"]))
    subject = form.select_one("input[name=subject]")["value"]
    body = form.select_one("textarea[name=body]").get_text()
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + page_path(proceedings)
    assert "Journée des élus" in subject and "actes" in subject.lower()
    assert url in body, body
    assert [box["value"] for box in form.select("input[name=statuses][checked]")] == ["present"]
    assert mailoutbox == []  # nothing sent until the organiser sends it
    with django_capture_on_commit_callbacks(execute=True):
        sent = write(organiser_client, seminar, "present", subject=subject, body=body)
    assert sent.status_code == 302
    assert [message.to for message in mailoutbox] == [[came.email]]
    assert url in mailoutbox[0].body


# --- #13: the automatic reminder -------------------------------------------------------------


def reminder_line(client, url) -> str:
    found = page_of(client.get(url)).select_one(".reminder-state")
    return words(found) if found else ""


def test_the_reminder_to_come_then_sent_is_said_on_both_pages(
    organiser_client, django_capture_on_commit_callbacks
):
    seminar = make_seminar("Journée à venir", days_ahead=10)
    register_person(seminar, person(1), notify=False)
    register_person(seminar, person(2), notify=False)
    days = settings.SEMINAR_REMINDER_DAYS
    due = timezone.localdate(seminar.start) - timedelta(days=days)
    for url in (base(seminar), f"{base(seminar)}ecrire/"):
        line = reminder_line(organiser_client, url)
        assert line.startswith(f"Rappel automatique{NBSP}: prévu le {long_date(due)}"), line
        assert "2 personnes confirmées" in line, line

    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(now=seminar.start - timedelta(days=1)) == 2
    sent_at = Registration.objects.filter(seminar=seminar).first().reminder_sent_at
    for url in (base(seminar), f"{base(seminar)}ecrire/"):
        line = reminder_line(organiser_client, url)
        assert line.startswith(
            f"Rappel automatique{NBSP}: envoyé le {long_date(sent_at, time=True)} à 2 personnes"
        ), line
