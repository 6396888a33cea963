"""Review of session 19 (the union staff's admin of its events): a new atelier is checked against
its event on the add and edit views, the ateliers' and questions' buttons, the import summary's
plurals and « d'Aïcha » in the screen-reader texts. Real HTTP through the test client, as an
organiser's browser posts the Wagtail page form."""

import dataclasses
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from seminars.check_in import check_in_code
from seminars.importer import ImportResult, result_messages
from seminars.models import Atelier, Kind, SeminarPage
from seminars.services import register_person
from tests.seminars.conftest import make_index, make_seminar, person

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
TOO_LATE = "L'atelier doit finir au plus tard à la fin de l'événement"
TOO_MANY = "Un atelier ne peut pas avoir plus de places que l'événement (30)."


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.content.decode(), "html.parser").get_text(" ").split())


def typed(moment: datetime) -> str:
    """A date and time as the admin's date-time field sends it."""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def atelier_row(title: str, starts_at: datetime, ends_at: datetime, seats: int, **extra) -> dict:
    return {
        "title": title,
        "starts_at": typed(starts_at),
        "ends_at": typed(ends_at),
        "room": "",
        "seats": str(seats),
        "description": "",
        **extra,
    }


def event_form(title: str, start, end, seats: int, ateliers: list[dict], initial: int = 0):
    """The event editor's POST: the page's fields and its two inline formsets."""
    return nested_form_data(
        {
            "title": title,
            "slug": "journee-des-ateliers",
            "kind": Kind.SEMINAIRE,
            "start": typed(start),
            "end": typed(end),
            "venue_name": "Salle des fêtes",
            "seats": str(seats),
            "visibility": "public",
            "programme": streamfield([]),
            "speakers": streamfield([]),
            "ateliers": inline_formset(ateliers, initial=initial),
            "evaluation_questions": inline_formset([]),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )


def day_at(hour: int, days_ahead: int = 30) -> datetime:
    day = timezone.localdate() + timedelta(days=days_ahead)
    return datetime.combine(day, time(hour), tzinfo=PARIS)


def test_a_new_event_refuses_an_atelier_outside_it_or_bigger_than_it(organiser_client):
    """09:00–17:00, 30 places: atelier A 14:00–18:00 with 40 places was published as it was."""
    add = f"/admin/pages/add/seminars/seminarpage/{make_index().pk}/"
    wrong = atelier_row("Atelier A", day_at(14), day_at(18), 40)
    response = organiser_client.post(
        add, event_form("Journée des ateliers", day_at(9), day_at(17), 30, [wrong])
    )
    assert response.status_code == 200
    page = text_of(response)
    assert TOO_LATE in page and TOO_MANY in page
    assert "Page créée et publiée" not in page
    assert not SeminarPage.objects.filter(title="Journée des ateliers").exists()
    assert not Atelier.objects.exists()

    # Within the event, it is published (the form is otherwise complete).
    right = atelier_row("Atelier A", day_at(14), day_at(17), 30)
    response = organiser_client.post(
        add, event_form("Journée des ateliers", day_at(9), day_at(17), 30, [right])
    )
    assert response.status_code == 302
    event = SeminarPage.objects.get(title="Journée des ateliers")
    assert event.live
    assert [(a.title, a.seats) for a in event.ateliers.all()] == [("Atelier A", 30)]


def test_an_atelier_added_on_the_edit_view_is_checked_against_the_event_as_typed(
    organiser_client,
):
    seminar = make_seminar("Journée des élus", seats=30, hours=8, ateliers=(("Matin", 1, 2, 10),))
    (kept,) = seminar.ateliers.all()
    start, end = seminar.start, seminar.end
    rows = [
        atelier_row("Matin", kept.starts_at, kept.ends_at, 10, id=str(kept.pk)),
        atelier_row("Atelier A", end - timedelta(hours=3), end + timedelta(hours=1), 40),
    ]
    edit = f"/admin/pages/{seminar.pk}/edit/"
    response = organiser_client.post(
        edit, event_form(seminar.title, start, end, 30, rows, initial=1)
    )
    assert response.status_code == 200
    page = text_of(response)
    assert TOO_LATE in page and TOO_MANY in page
    assert list(seminar.ateliers.values_list("title", flat=True)) == ["Matin"]
    assert not Atelier.objects.filter(title="Atelier A").exists()

    # The check reads the event as submitted in the same form: ending an hour later with 40
    # places, the event takes the atelier.
    response = organiser_client.post(
        edit, event_form(seminar.title, start, end + timedelta(hours=1), 40, rows, initial=1)
    )
    assert response.status_code == 302
    seminar.refresh_from_db()
    assert seminar.seats == 40
    assert sorted(seminar.ateliers.values_list("title", flat=True)) == ["Atelier A", "Matin"]


def test_the_editor_s_add_buttons_read_in_lowercase(organiser_client):
    html = text_of(
        organiser_client.get(f"/admin/pages/add/seminars/seminarpage/{make_index().pk}/")
    )
    assert "Ajouter un atelier" in html and "Ajouter une question" in html
    assert "un(e)" not in html
    assert "Ajouter un(e) Atelier" not in html and "Ajouter un(e) Question" not in html


def test_the_import_summary_writes_real_plurals():
    (summary,) = result_messages(ImportResult(imported=4, flagged=1, confirmed=4, waitlisted=0))
    assert summary == (
        "4 inscriptions importées : 4 confirmées, 0 en liste d'attente, 1 commune à vérifier."
    )
    (summary,) = result_messages(ImportResult(imported=1, flagged=0, confirmed=0, waitlisted=1))
    assert summary == (
        "1 inscription importée : 0 confirmée, 1 en liste d'attente, 0 commune à vérifier."
    )
    *_, kept = result_messages(
        ImportResult(imported=2, flagged=2, confirmed=2, waitlisted=0, kept_choices=1)
    )
    assert kept.startswith("1 personne déjà inscrite : ses ateliers et besoins enregistrés")
    *_, kept = result_messages(
        ImportResult(imported=2, flagged=2, confirmed=2, waitlisted=0, kept_choices=2)
    )
    assert kept.startswith("2 personnes déjà inscrites : leurs ateliers et besoins")


def hidden_texts(response) -> list[str]:
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [" ".join(span.get_text().split()) for span in soup.select(".w-sr-only")]


def test_screen_reader_texts_elide_de_before_a_vowel(organiser_client):
    seminar = make_seminar("Journée d'automne")
    aicha, _ = register_person(
        seminar, dataclasses.replace(person(1), prenom="Aïcha", nom="Durand"), notify=False
    )
    register_person(
        seminar, dataclasses.replace(person(2), prenom="Hugo", nom="Martin"), notify=False
    )
    listing = hidden_texts(organiser_client.get(f"/admin/inscriptions/{seminar.pk}/"))
    assert "l'inscription d'Aïcha Durand" in listing
    assert "l'inscription de Hugo Martin" in listing
    assert not any("de Aïcha" in text for text in listing)

    scan = f"/admin/inscriptions/emargement/{check_in_code(aicha)}/"
    assert "l'inscription d'Aïcha Durand" in hidden_texts(organiser_client.get(scan))
    organiser_client.post(scan, {"present": "1", "confirm": "1"})
    assert "d'Aïcha Durand" in hidden_texts(organiser_client.get(scan))  # « Annuler l'émargement »
    # Once the event has started, the row offers her attestation.
    SeminarPage.objects.filter(pk=seminar.pk).update(start=timezone.now() - timedelta(hours=1))
    listing = hidden_texts(organiser_client.get(f"/admin/inscriptions/{seminar.pk}/"))
    assert "d'Aïcha Durand" in listing  # « Attestation d'Aïcha Durand (PDF) »
    # The door list's check-in cell, the atelier marks' « Annuler » and the cancel page too.
    assert "Annuler l'émargement d'Aïcha Durand" in " ".join(
        " ".join(button.get_text().split())
        for button in BeautifulSoup(
            organiser_client.get(f"/admin/inscriptions/{seminar.pk}/").content.decode(),
            "html.parser",
        ).find_all("button")
    )
    cancel = organiser_client.get(f"/admin/inscriptions/{seminar.pk}/{aicha.pk}/annuler/")
    assert "d'Aïcha Durand" in hidden_texts(cancel)
