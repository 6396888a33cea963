"""An organiser's review of the whole life of an event (sixteenth session): the welcome desk on the
day (search, presence filter, the list first, back at the row), people confirmed beyond the seats
at the door, check-in and attestations outside the event's days, the event form's dates and seats,
the list's order, optional proposals in the proceedings, « Nouvel événement » and the first link.

Real HTTP through the test client as an organiser; e-mails sent on commit."""

import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from seminars.blocks import SynthesisBlock
from seminars.check_in import check_in_code
from seminars.models import Atelier, Registration, SeminarIndexPage, SeminarPage
from seminars.services import cancel_registration, register_person, set_check_in
from tests.seminars.conftest import make_seminar, person
from tests.seminars.test_api import post_json, registration_body
from union.models import AuditEntry

pytestmark = pytest.mark.django_db

CONFIRMED, WAITLISTED = Registration.Status.CONFIRMED, Registration.Status.WAITLISTED


def base(seminar) -> str:
    return f"/admin/inscriptions/{seminar.pk}/"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def listed_names(response) -> list[str]:
    """The names of the list's rows, in order (the row header's first line)."""
    rows = soup(response).select("table.listing tbody tr th[scope=row]")
    return [row.contents[0].strip() for row in rows]


def today_event(title: str = "Journée des élus", **fields) -> SeminarPage:
    """An event that started an hour ago and lasts the day: the welcome desk's day."""
    fields.setdefault("seats", 50)
    return make_seminar(title, days_ahead=-1 / 24, hours=8, **fields)


# 1. The welcome desk -----------------------------------------------------------------------------


def test_the_search_finds_a_name_or_an_address_whatever_its_accents_and_case(organiser_client):
    seminar = today_event()
    register_person(seminar, person(1, nom="Dupré", email="helene.dupre@mairie-bondy.fr"))
    register_person(seminar, person(2, nom="DUPONT"))
    register_person(seminar, person(3, nom="Da Silva", email="da.silva@exemple.fr"))
    url = base(seminar)
    assert listed_names(organiser_client.get(url, {"q": "dupre"})) == ["DUPRÉ Prénom1"]
    assert listed_names(organiser_client.get(url, {"q": "DUPRÉ"})) == ["DUPRÉ Prénom1"]
    assert listed_names(organiser_client.get(url, {"q": "prenom2 dupont"})) == ["DUPONT Prénom2"]
    assert listed_names(organiser_client.get(url, {"q": "mairie-bondy"})) == ["DUPRÉ Prénom1"]
    assert listed_names(organiser_client.get(url, {"q": "dup"})) == [
        "DUPONT Prénom2",
        "DUPRÉ Prénom1",
    ]
    page = soup(organiser_client.get(url, {"q": "zzz"}))
    assert page.select_one("table.listing caption").get_text() == "Aucune inscription"
    assert page.select_one("label[for=id_q]").get_text() == "Rechercher (nom, prénom, e-mail)"


def test_the_presence_filter_shows_who_came_and_who_is_still_expected(organiser_client):
    seminar = today_event(seats=2)
    came, _ = register_person(seminar, person(1, nom="Arrivée"))
    register_person(seminar, person(2, nom="Attendue"))
    register_person(seminar, person(3, nom="Attente"))  # waiting: may still turn up
    cancelled, _ = register_person(seminar, person(4, nom="Annulée"))
    cancel_registration(cancelled)
    set_check_in(came, True)
    url = base(seminar)
    assert listed_names(organiser_client.get(url, {"presence": "present"})) == ["ARRIVÉE Prénom1"]
    assert listed_names(organiser_client.get(url, {"presence": "absent"})) == [
        "ATTENDUE Prénom2",
        "ATTENTE Prénom3",
    ]
    page = organiser_client.get(url).content.decode()
    assert "<strong>Présents 1</strong> / attendus 2" in page
    refused = soup(organiser_client.get(url, {"presence": "peut-être", "q": "arrivée"}))
    assert "n'est pas une valeur possible" in refused.select_one("#id_presence_error").get_text()
    assert len(refused.select("table.listing tbody tr[id]")) == 1  # the search still applies


def test_each_button_is_beside_its_person_and_names_her(organiser_client):
    seminar = today_event()
    zola, _ = register_person(seminar, person(1, nom="Zola"))
    abel, _ = register_person(seminar, person(2, nom="Abel"))
    set_check_in(abel, True)
    page = soup(organiser_client.get(base(seminar)))
    header = [th.get_text() for th in page.select("table.listing thead th")]
    assert header[:2] == ["Émargement", "Nom"]
    row = page.select_one(f"tr#r-{zola.pk}")
    first, second = row.find_all(["td", "th"], recursive=False)[:2]
    assert first.select_one("button").get_text(" ", strip=True) == "Émarger Prénom1 Zola"
    assert second.name == "th" and second["scope"] == "row"
    done = page.select_one(f"tr#r-{abel.pk} td.arrival button").get_text(" ", strip=True)
    assert done == "Annuler l'émargement de Prénom2 Abel"


def test_after_a_check_in_the_list_comes_back_at_the_row_with_its_search(organiser_client):
    seminar = today_event()
    zola, _ = register_person(seminar, person(1, nom="Zola"))
    response = organiser_client.post(
        f"{base(seminar)}{zola.pk}/emargement/",
        {"present": "1", "query": "q=zola&presence=absent"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{base(seminar)}?q=zola&presence=absent#r-{zola.pk}"
    zola.refresh_from_db()
    assert zola.checked_in_at is not None


def test_on_the_day_the_list_comes_first_and_the_rest_is_folded_after_it(organiser_client):
    seminar = today_event()
    register_person(seminar, person(1))
    page = organiser_client.get(base(seminar)).content.decode()
    assert page.index('id="liste"') < page.index("Feuilles d'émargement et badges")
    tools = soup(organiser_client.get(base(seminar))).select_one("details.registration-tools")
    assert "Attestations de présence" in tools.get_text()

    # Another day: the tools first, and the desk one link away, keeping its layout when searching.
    later = make_seminar("Commission", days_ahead=20)
    page = organiser_client.get(base(later)).content.decode()
    assert page.index("Feuilles d'émargement et badges") < page.index('id="liste"')
    link = soup(organiser_client.get(base(later))).find("a", string="Accueil des participants")
    assert link["href"] == f"{base(later)}?accueil=1#liste"
    desk = organiser_client.get(base(later), {"accueil": "1"})
    assert desk.content.decode().index('id="liste"') < desk.content.decode().index(
        "Feuilles d'émargement et badges"
    )
    assert soup(desk).select_one('form.filters input[type=hidden][name=accueil][value="1"]')


# 2. Confirmed beyond the seats --------------------------------------------------------------------


@pytest.fixture
def full_event():
    """One seat: Abel confirmed, Roux waiting (with an address)."""
    seminar = today_event(seats=1)
    abel, _ = register_person(seminar, person(1, nom="Abel"), notify=False)
    roux, _ = register_person(seminar, person(2, nom="Roux"), notify=False)
    assert (abel.status, roux.status) == (CONFIRMED, WAITLISTED)
    return seminar, abel, roux


def test_an_organiser_confirms_someone_waiting_beyond_the_seats(
    organiser_client, full_event, portal, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, abel, roux = full_event
    page = soup(organiser_client.get(base(seminar)))
    button = page.select_one(f"tr#r-{roux.pk} button[type=submit]")
    assert button.get_text(" ", strip=True) == "Confirmer et émarger Prénom2 Roux"
    assert "Confirmer malgré la jauge : Prénom2 Roux" in page.select_one(
        f"tr#r-{roux.pk}"
    ).get_text(" ", strip=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            f"{base(seminar)}{roux.pk}/emargement/", {"seat": "1", "query": ""}, follow=True
        )
    html = response.content.decode()
    assert (
        "Inscription de Prénom2 Roux confirmée, au-delà de la jauge : 2 confirmés pour 1 place"
        in html
    )
    assert "2 confirmés pour 1 place, dont 1 au-delà de la jauge" in html
    roux.refresh_from_db()
    assert roux.status == CONFIRMED and roux.checked_in_at is None
    (mail,) = mailoutbox
    assert mail.to == [roux.email] and mail.subject == f"Inscription confirmée : {seminar.title}"
    assert mail.attachments  # the .ics, as any confirmation
    (entry,) = AuditEntry.objects.filter(action="seminar.registration.confirmed_over_capacity")
    assert entry.details["registration"] == roux.pk
    assert (entry.details["seats"], entry.details["confirmed"]) == (1, 2)

    # The public paths stay bound by the seats: the API puts the next person on the waiting list.
    SeminarPage.objects.filter(pk=seminar.pk).update(registration_closes=seminar.end)
    answer = post_json(
        portal,
        f"/api/v1/seminars/{seminar.pk}/registrations/",
        registration_body(fonction="maire"),
    )
    assert answer.status_code == 201 and answer.json()["status"] == WAITLISTED
    # And cancelling someone brings the event back to its seats, freeing nobody's.
    cancel_registration(abel)
    assert seminar.registrations.get(email="aicha@exemple.fr").status == WAITLISTED


def test_someone_waiting_who_turns_up_is_confirmed_and_checked_in_at_once(
    organiser_client, full_event, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, _abel, roux = full_event
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            f"{base(seminar)}{roux.pk}/emargement/",
            {"seat": "1", "present": "1", "query": "q=roux"},
        )
    assert response["Location"] == f"{base(seminar)}?q=roux#r-{roux.pk}"
    roux.refresh_from_db()
    assert roux.status == CONFIRMED and roux.checked_in_at is not None
    assert [m.subject for m in mailoutbox] == [f"Inscription confirmée : {seminar.title}"]
    assert AuditEntry.objects.filter(action="seminar.registration.check_in").exists()


def test_the_scan_screen_confirms_someone_waiting(organiser_client, full_event):
    seminar, _abel, roux = full_event
    path = f"/admin/inscriptions/emargement/{check_in_code(roux)}/"
    page = organiser_client.get(path).content.decode()
    assert "Confirmer et émarger Prénom2 ROUX" in page
    organiser_client.post(path, {"seat": "1", "present": "1"})
    roux.refresh_from_db()
    assert roux.status == CONFIRMED and roux.checked_in_at is not None


def test_a_walk_in_is_added_present_now_beyond_the_seats(
    organiser_client, full_event, mailoutbox, django_capture_on_commit_callbacks
):
    seminar, *_ = full_event
    form = organiser_client.get(f"{base(seminar)}ajouter/").content.decode()
    assert "Présent(e) maintenant : confirmer et émarger" in form
    data = {
        "nom": "Lemoine",
        "prenom": "Inès",
        "email": "ines.lemoine@exemple.fr",
        "commune": "Pantin",
        "fonction": "maire_adjoint",
        "present_now": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(f"{base(seminar)}ajouter/", data, follow=True)
    html = response.content.decode()
    added = seminar.registrations.get(nom="Lemoine")
    assert added.status == CONFIRMED and added.checked_in_at is not None
    assert (
        "Inscription d&#x27;Inès Lemoine ajoutée, confirmée et présence émargée, au-delà de la jauge : "
        "2 confirmés pour 1 place, dont 1 au-delà de la jauge. Un e-mail de confirmation lui est "
        "envoyé." in html
    )
    assert response.redirect_chain[-1][0] == f"{base(seminar)}?accueil=1#r-{added.pk}"
    # Only the confirmation leaves: not the waiting list's e-mail of a moment.
    assert [m.subject for m in mailoutbox] == [f"Inscription confirmée : {seminar.title}"]
    # The edit form has no such box.
    edit = organiser_client.get(f"{base(seminar)}{added.pk}/modifier/").content.decode()
    assert "present_now" not in edit


def test_present_now_is_for_the_event_s_days(organiser_client):
    seminar = make_seminar("Journée de janvier", days_ahead=40)
    data = {"nom": "Lemoine", "prenom": "Inès", "email": "", "commune": "Pantin"}
    data.update(fonction="maire_adjoint", present_now="on")
    response = organiser_client.post(f"{base(seminar)}ajouter/", data)
    assert response.status_code == 400
    error = soup(response).select_one("#id_present_now_error").get_text()
    assert error.startswith("« Présent(e) maintenant » sert pendant l'événement (du ")
    assert not seminar.registrations.exists()


def test_the_event_is_still_edited_with_its_seats_once_over_them(organiser_client, full_event):
    seminar, _abel, roux = full_event
    organiser_client.post(f"{base(seminar)}{roux.pk}/emargement/", {"seat": "1"})
    page = SeminarPage.objects.get(pk=seminar.pk)
    page.title = "Journée des élus (salle comble)"
    page.full_clean()  # 2 confirmed for 1 seat, seats unchanged: the title can be corrected
    page.seats = 0
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert refused.value.message_dict["seats"] == ["Indiquez au moins une place."]


# 3. Check-in and attestations outside the event's days ----------------------------------------------


def test_checking_in_weeks_before_the_event_asks_first(organiser_client):
    seminar = make_seminar("Journée de janvier", days_ahead=40)
    zola, _ = register_person(seminar, person(1, nom="Zola"))
    url = f"{base(seminar)}{zola.pk}/emargement/"
    response = organiser_client.post(url, {"present": "1", "query": "q=zola"})
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert (
        "n'a pas encore eu lieu" in html and "On émarge d'ordinaire le jour de l'événement" in html
    )
    form = soup(response).select_one(f'form[action="{url}"]')
    posted = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    assert posted | {"csrfmiddlewaretoken": ""} == {
        "csrfmiddlewaretoken": "",
        "present": "1",
        "query": "q=zola",
        "confirm": "1",
    }
    zola.refresh_from_db()
    assert zola.checked_in_at is None

    response = organiser_client.post(url, {"present": "1", "query": "q=zola", "confirm": "1"})
    assert response["Location"] == f"{base(seminar)}?q=zola#r-{zola.pk}"
    zola.refresh_from_db()
    assert zola.checked_in_at is not None
    # Undoing it never asks.
    assert organiser_client.post(url, {"present": "0"}).status_code == 302
    zola.refresh_from_db()
    assert zola.checked_in_at is None

    # The scan screen asks too.
    scan = f"/admin/inscriptions/emargement/{check_in_code(zola)}/"
    assert organiser_client.post(scan, {"present": "1"}).status_code == 200
    zola.refresh_from_db()
    assert zola.checked_in_at is None


def test_late_entry_from_the_sheet_within_a_week_needs_no_confirmation(organiser_client):
    seminar = make_seminar("Journée passée", days_ahead=-5)
    zola, _ = register_person(seminar, person(1, nom="Zola"))
    response = organiser_client.post(f"{base(seminar)}{zola.pk}/emargement/", {"present": "1"})
    assert response.status_code == 302


def test_no_attestation_before_the_event_starts(organiser_client):
    seminar = make_seminar("Journée de janvier", days_ahead=40)
    zola, _ = register_person(seminar, person(1, nom="Zola"))
    set_check_in(zola, True)  # too early, but it happened
    response = organiser_client.get(f"{base(seminar)}attestations/")
    assert response.status_code == 409
    assert "à partir du début de l'événement" in response.content.decode().replace("&#x27;", "'")
    assert organiser_client.get(f"{base(seminar)}{zola.pk}/attestation/").status_code == 409
    page = organiser_client.get(base(seminar)).content.decode()
    assert f"{base(seminar)}attestations/" not in page
    assert f"{base(seminar)}{zola.pk}/attestation/" not in page
    assert "disponibles à partir du début de l'événement" in page.replace("&#x27;", "'")


# 4. The event form's dates and seats ----------------------------------------------------------------


def test_the_event_form_gives_every_error_at_once():
    seminar = make_seminar("Journée mal saisie")
    seminar.seats = 0
    seminar.registration_opens = seminar.end + timedelta(days=1)
    seminar.registration_closes = seminar.end + timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        seminar.clean()
    errors = refused.value.message_dict
    assert set(errors) == {"seats", "registration_opens", "registration_closes"}
    assert errors["seats"] == ["Indiquez au moins une place."]
    assert errors["registration_opens"][0].startswith(
        "L'ouverture des inscriptions doit précéder la fin de l'événement"
    )
    assert errors["registration_closes"][0].startswith(
        "La clôture des inscriptions ne peut pas suivre la fin de l'événement"
    )
    seminar.end = seminar.start - timedelta(hours=1)
    seminar.registration_opens = seminar.registration_closes = None
    seminar.seats = 10
    with pytest.raises(ValidationError) as refused:
        seminar.clean()
    assert refused.value.message_dict == {"end": ["La fin doit suivre le début."]}


def test_an_atelier_stays_within_its_event():
    seminar = make_seminar("Journée", seats=30, hours=7)
    atelier = Atelier(
        page=seminar,
        title="Atelier du lendemain",
        starts_at=seminar.start + timedelta(days=1),
        ends_at=seminar.start + timedelta(days=1, hours=2),
        seats=40,
    )
    with pytest.raises(ValidationError) as refused:
        atelier.clean()
    errors = refused.value.message_dict
    assert set(errors) == {"starts_at", "ends_at", "seats"}
    assert errors["seats"] == ["Un atelier ne peut pas avoir plus de places que l'événement (30)."]
    assert errors["starts_at"][0].startswith("L'atelier doit commencer pendant l'événement")
    atelier.starts_at, atelier.ends_at, atelier.seats = (
        seminar.start + timedelta(hours=1),
        seminar.start + timedelta(hours=3),
        30,
    )
    atelier.clean()


def test_nobody_registers_once_the_event_is_over(portal):
    seminar = make_seminar("Journée passée", days_ahead=-3)
    # A closing date typed after the end, before the form refused it.
    SeminarPage.objects.filter(pk=seminar.pk).update(
        registration_closes=timezone.now() + timedelta(days=10)
    )
    response = post_json(
        portal,
        f"/api/v1/seminars/{seminar.pk}/registrations/",
        registration_body(fonction="maire"),
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Les inscriptions ne sont pas ouvertes pour cet événement."]
    }
    assert not seminar.registrations.exists()


# 5. The order of names -----------------------------------------------------------------------------


def test_the_list_and_its_workbook_sort_names_as_a_reader_does(organiser_client):
    seminar = today_event()
    for number, nom in enumerate(["Émond", "DUPONT", "Eber", "Da Silva", "de Gaulle"]):
        register_person(seminar, person(number, nom=nom), notify=False)
    expected = ["DA SILVA", "DE GAULLE", "DUPONT", "EBER", "ÉMOND"]
    names = [name.split(" Prénom")[0] for name in listed_names(organiser_client.get(base(seminar)))]
    assert names == expected
    workbook = organiser_client.get(f"{base(seminar)}liste.xlsx")
    rows = list(load_workbook(io.BytesIO(workbook.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[2:]] == expected


# 6. Proceedings: an optional field left untouched ----------------------------------------------------


def test_a_synthesis_with_its_proposals_left_empty_can_be_published():
    block = SynthesisBlock()
    assert list(block.get_default()["proposals"]) == []  # added with no empty item
    value = block.to_python(
        {
            "atelier": "Atelier A",
            "question": "Comment associer les habitants ?",
            "key_points": ["Aller vers les publics"],
            "proposals": ["", "  "],
        }
    )
    cleaned = block.clean(value)  # « Champ requis. » before
    assert list(cleaned["proposals"]) == []
    kept = block.clean(block.to_python({**value, "proposals": ["", "Un comité d'usagers"]}))
    assert list(kept["proposals"]) == ["Un comité d'usagers"]
    with pytest.raises(ValidationError):
        block.clean(block.to_python({**value, "key_points": [""]}))  # still required


# 7. « Nouvel événement », the first personal link ------------------------------------------------------


def test_the_events_page_links_to_a_new_event(organiser_client):
    make_seminar()
    index = SeminarIndexPage.objects.get()
    page = soup(organiser_client.get("/admin/inscriptions/"))
    link = page.find("a", string="Nouvel événement")
    assert link["href"] == f"/admin/pages/{index.pk}/add_subpage/"
    assert organiser_client.get(link["href"]).status_code in (200, 302)


def test_the_first_link_sent_to_an_imported_person_is_her_own_not_a_new_one(
    organiser_client, mailoutbox, django_capture_on_commit_callbacks
):
    seminar = make_seminar()
    imported, _ = register_person(
        seminar, person(1, nom="Importée"), source=Registration.Source.IMPORT, notify=False
    )
    registered, _ = register_person(seminar, person(2, nom="Inscrite"))
    url = f"{base(seminar)}{{}}/lien/"
    mailoutbox.clear()
    for registration in (imported, imported, registered):
        with django_capture_on_commit_callbacks(execute=True):
            organiser_client.post(url.format(registration.pk))
    first, second, other = mailoutbox
    assert "Voici votre lien personnel pour gérer votre inscription" in first.body
    assert "Voici un nouveau lien pour gérer votre inscription" in second.body
    assert "Voici un nouveau lien" in other.body  # she had it with her confirmation
