"""The door role (seventeenth session, issue 4): the group « Accueil des participants » for the
people the union lends to the welcome desk. They open the events of the day window, the door list
(search, presence, per-atelier presence), the QR scan page and the walk-in form; nothing else, and
no e-mail address, phone number or needs. Real HTTP as a member of the group."""

import html

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group

from seminars.check_in import check_in_code
from seminars.door_access import DOOR_STAFF
from seminars.models import AtelierPresence, Registration
from seminars.services import register_person, set_check_in
from tests.conftest import host_client
from tests.seminars.conftest import make_seminar, organiser, person
from union.models import AuditEntry

pytestmark = pytest.mark.django_db
CONFIRMED, WAITLISTED = Registration.Status.CONFIRMED, Registration.Status.WAITLISTED


def text(response) -> str:
    return html.unescape(response.content.decode())


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def refused(response) -> bool:
    """403, or the Wagtail admin's answer to a PermissionDenied: back to its home page, with
    « Désolé, vous n'avez pas la permission… »."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def door(seminar) -> str:
    return f"/admin/inscriptions/accueil/{seminar.pk}/"


@pytest.fixture
def volunteer():
    return organiser(DOOR_STAFF, "benevole@commune.test")


@pytest.fixture
def desk(volunteer):
    return host_client("localhost", volunteer)


@pytest.fixture
def today():
    """Started an hour ago: Zola (with needs, a phone, the atelier running now) and Abel
    confirmed, Roux waiting."""
    seminar = make_seminar(
        "Journée des élus", seats=2, days_ahead=-1 / 24, hours=8, ateliers=(("Budget", 0.5, 2, 10),)
    )
    budget = seminar.ateliers.get()
    data = person(1, nom="Zola", email="zola@mairie.test", ateliers=[budget.pk])
    data.needs, data.phone = "Fauteuil roulant", "06 12 34 56 78"
    zola, _ = register_person(seminar, data)
    abel, _ = register_person(seminar, person(2, nom="Abel", email="abel@mairie.test"))
    roux, _ = register_person(seminar, person(3, nom="Roux"))
    assert roux.status == WAITLISTED
    return seminar, zola, abel, roux


def test_the_group_exists_with_admin_access_only():
    group = Group.objects.get(name=DOOR_STAFF)
    assert [p.codename for p in group.permissions.all()] == ["access_admin"]


def test_the_desk_opens_the_day_s_events_and_their_door_list(desk, today):
    seminar, zola, abel, roux = today
    later = make_seminar("Commission de la semaine prochaine", days_ahead=7)
    day = desk.get("/admin/inscriptions/accueil/")
    assert day.status_code == 200
    links = [a["href"] for a in soup(day).select(".door-events a")]
    assert links == [door(seminar)]  # not next week's, nor the organisers' screens
    assert door(later) not in text(day)

    response = desk.get(door(seminar))
    assert response.status_code == 200
    page = text(response)
    for shown in ("ZOLA Prénom1", "Bondy", "Maire", "Budget", "Confirmée", "Liste d'attente"):
        assert shown in page
    for hidden in ("zola@mairie.test", "Fauteuil roulant", "06 12 34 56 78", "abel@mairie.test"):
        assert hidden not in page
    assert f"/admin/inscriptions/{seminar.pk}/" not in page  # no link to the full list
    # The menu and the admin's home lead there.
    home = text(desk.get("/admin/"))
    assert "/admin/inscriptions/accueil/" in home and door(seminar) in home


def test_the_desk_checks_someone_in_and_it_is_audited(desk, today, volunteer):
    seminar, zola, abel, roux = today
    response = desk.post(
        f"{door(seminar)}{abel.pk}/emargement/", {"present": "1", "query": "q=abel"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{door(seminar)}?q=abel#r-{abel.pk}"
    abel.refresh_from_db()
    assert abel.checked_in_at is not None
    entry = AuditEntry.objects.get(action="seminar.registration.check_in")
    assert entry.actor == volunteer and entry.details["registration"] == abel.pk
    # Undo, and the atelier's presence, as organisers do.
    desk.post(f"{door(seminar)}{abel.pk}/emargement/", {"present": "0"})
    abel.refresh_from_db()
    assert abel.checked_in_at is None
    budget = seminar.ateliers.get()
    desk.post(f"{door(seminar)}{zola.pk}/emargement/", {"present": "1", "atelier": str(budget.pk)})
    zola.refresh_from_db()
    assert zola.checked_in_at is not None
    assert AtelierPresence.objects.get().registration == zola
    assert AuditEntry.objects.get(action="seminar.registration.atelier_check_in").actor == volunteer


def test_the_desk_searches_names_and_filters_by_presence_and_atelier(desk, today):
    seminar, zola, abel, roux = today
    set_check_in(abel, True)

    def names(**query):
        response = desk.get(door(seminar), query)
        return [th.get_text(strip=True) for th in soup(response).select("tbody th[scope=row]")]

    assert names(q="zola") == ["ZOLA Prénom1"]
    assert names(q="mairie.test") == []  # addresses are not searched: they are not shown
    assert names(presence="present") == ["ABEL Prénom2"]
    budget = seminar.ateliers.get()
    assert names(atelier=budget.pk) == ["ZOLA Prénom1"]
    page = " ".join(soup(desk.get(door(seminar), {"atelier": budget.pk})).get_text().split())
    assert "Atelier « Budget » : présents 0 / 10 places (1 inscrit confirmé)" in page


def test_someone_waiting_at_the_door_is_confirmed_and_checked_in(desk, today):
    seminar, zola, abel, roux = today
    url = f"{door(seminar)}{roux.pk}/emargement/"
    # « Confirmer malgré la jauge » alone is the organisers'.
    assert refused(desk.post(url, {"seat": "1"}))
    roux.refresh_from_db()
    assert roux.status == WAITLISTED
    assert desk.post(url, {"seat": "1", "present": "1"}).status_code == 302
    roux.refresh_from_db()
    assert (roux.status, roux.checked_in_at is not None) == (CONFIRMED, True)


def test_the_desk_adds_a_walk_in_present_now(desk, today):
    seminar, zola, abel, roux = today
    url = f"{door(seminar)}arrivee/"
    form = soup(desk.get(url))
    fields = {field["name"] for field in form.select("form input, form select, form textarea")}
    assert {"nom", "prenom", "commune", "fonction"} <= fields
    assert not fields & {"needs", "phone", "present_now"}
    data = {"nom": "Nouvelle", "prenom": "Inès", "commune": "Pantin", "fonction": "maire"}
    response = desk.post(url, data)
    assert response.status_code == 302
    walk_in = Registration.objects.get(nom="Nouvelle")
    assert walk_in.status == CONFIRMED and walk_in.checked_in_at is not None
    assert response["Location"] == f"{door(seminar)}#r-{walk_in.pk}"
    # Someone registered already is checked in from the list, never rewritten by the form.
    again = desk.post(
        url, {**data, "nom": "Zola", "prenom": "Prénom1", "email": "zola@mairie.test"}
    )
    assert again.status_code == 400
    assert "déjà inscrite à cet événement : cherchez-la par son nom" in text(again)
    assert soup(again).select_one("input[name=nom]")["value"] == "Zola"  # kept as typed
    zola.refresh_from_db()
    assert zola.needs == "Fauteuil roulant"


def test_the_scan_page_opens_for_the_desk_without_needs_or_edit_link(desk, today):
    seminar, zola, abel, roux = today
    scan = f"/admin/inscriptions/emargement/{check_in_code(zola)}/"
    response = desk.get(scan)
    assert response.status_code == 200
    page = text(response)
    assert "Fauteuil roulant" not in page and "06 12 34 56 78" not in page
    assert "/modifier/" not in page
    assert door(seminar) in page  # back to the desk, not the organisers' list
    assert desk.post(scan, {"present": "1"}).status_code == 302
    zola.refresh_from_db()
    assert zola.checked_in_at is not None


@pytest.mark.parametrize(
    "path",
    [
        "{pk}/",  # the organisers' full list, with e-mails
        "{pk}/export/?format=csv",
        "{pk}/liste.xlsx",
        "{pk}/importer/",
        "{pk}/ecrire/",
        "{pk}/ajouter/",
        "{pk}/chiffres/",
        "{pk}/badges/",
        "{pk}/attestations/",
        "{pk}/{registration}/modifier/",
        "",
        "bilan/",
    ],
)
def test_the_desk_reaches_none_of_the_organisers_screens(desk, today, path):
    seminar, zola, abel, roux = today
    url = "/admin/inscriptions/" + path.format(pk=seminar.pk, registration=zola.pk)
    assert refused(desk.get(url))


def test_the_desk_neither_edits_pages_nor_uses_the_organisers_check_in(desk, today):
    seminar, zola, abel, roux = today
    assert refused(desk.get(f"/admin/pages/{seminar.pk}/edit/"))
    response = desk.post(
        f"/admin/inscriptions/{seminar.pk}/{abel.pk}/emargement/", {"present": "1"}
    )
    assert refused(response)
    abel.refresh_from_db()
    assert abel.checked_in_at is None
    assert desk.get(f"/api/v1/seminars/{seminar.pk}/registrations/").status_code in (401, 403)


def test_outside_the_day_window_the_desk_is_refused(desk):
    later = make_seminar("Journée de la semaine prochaine", days_ahead=5)
    past = make_seminar("Journée de la semaine dernière", days_ahead=-5)
    zola, _ = register_person(later, person(1, nom="Zola"))
    old, _ = register_person(past, person(2, nom="Ancien"))
    for seminar, someone in ((later, zola), (past, old)):
        assert refused(desk.get(door(seminar)))
        assert refused(desk.post(f"{door(seminar)}{someone.pk}/emargement/", {"present": "1"}))
        assert refused(desk.get(f"{door(seminar)}arrivee/"))
        scan = f"/admin/inscriptions/emargement/{check_in_code(someone)}/"
        assert refused(desk.get(scan))
        assert refused(desk.post(scan, {"present": "1"}))
    zola.refresh_from_db()
    assert zola.checked_in_at is None
    # Not Wagtail's « pas les autorisations » on its home page: why, and the way back.
    response = desk.get(door(later))
    page = " ".join(html.unescape(response.content.decode()).split())
    assert response.status_code == 403
    assert "n'ouvre que les événements de la veille, du jour et du lendemain" in page
    assert 'href="/admin/inscriptions/accueil/"' in page


def test_tomorrow_s_event_opens_for_the_desk_set_up_the_evening_before(desk):
    tomorrow = make_seminar("Journée de demain", days_ahead=1)
    assert desk.get(door(tomorrow)).status_code == 200


def test_organisers_open_the_desk_of_any_event(organiser_client):
    later = make_seminar("Journée de la semaine prochaine", days_ahead=5)
    response = organiser_client.get(door(later))
    assert response.status_code == 200
    assert f"/admin/inscriptions/{later.pk}/" in text(response)  # and the full list


def test_strangers_get_nothing(today):
    seminar, zola, abel, roux = today
    editor = host_client("localhost", organiser("Éditeurs", "editrice@union.test"))
    assert editor.get("/admin/inscriptions/accueil/").status_code in (302, 403)
    assert editor.get(door(seminar)).status_code in (302, 403)
    anonymous = host_client("localhost")
    assert anonymous.get(door(seminar)).status_code == 302  # to the login page
