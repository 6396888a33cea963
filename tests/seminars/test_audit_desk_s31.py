"""Audit of session 31 (H15): the welcome desk's walk-ins against people already registered
under the same name, their own source « Ajout à l'accueil », the manual add's full ateliers
refused with every other error at once, and the list's commune filter by INSEE code.

Real PostgreSQL, real requests (the desk as a volunteer of the door group, the organisers' pages
as an organiser)."""

import html
import io

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from openpyxl import load_workbook

from seminars.door_access import DOOR_STAFF
from seminars.models import Registration
from seminars.services import cancel_registration, register_person, set_check_in
from tests.conftest import host_client
from tests.seminars.conftest import make_seminar, organiser, person

pytestmark = pytest.mark.django_db
CONFIRMED, WAITLISTED = Registration.Status.CONFIRMED, Registration.Status.WAITLISTED


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def words(node) -> str:
    return " ".join(node.get_text().split())


def door(seminar) -> str:
    return f"/admin/inscriptions/accueil/{seminar.pk}/"


def named(number: int, prenom: str, nom: str, **kwargs):
    data = person(number, nom=nom, **kwargs)
    data.prenom = prenom
    return data


@pytest.fixture
def desk(db):
    return host_client("localhost", organiser(DOOR_STAFF, "benevole@commune.test"))


@pytest.fixture
def today():
    """Started an hour ago, two seats: Thomas Belkacem (Bondy) confirmed."""
    seminar = make_seminar("Journée des élus", seats=2, days_ahead=-1 / 24, hours=8)
    thomas, _ = register_person(
        seminar, named(1, "Thomas", "Belkacem", email="thomas.belkacem@mairie.test")
    )
    return seminar, thomas


# What the volunteer types: the name in other cases, another address, another commune.
WALK_IN = {
    "nom": "BELKACEM",
    "prenom": "thomas",
    "email": "t.belkacem@mairie.test",
    "commune": "Pantin",
    "fonction": "maire",
}


# 1. The desk's walk-ins ------------------------------------------------------------------------


def test_someone_checked_in_is_not_added_again_under_another_address(desk, today):
    seminar, thomas = today
    set_check_in(thomas, True)
    mail.outbox.clear()
    response = desk.post(f"{door(seminar)}arrivee/", WALK_IN)
    assert response.status_code == 400
    assert seminar.registrations.count() == 1  # no second row, no seat taken
    assert mail.outbox == []  # nothing to the mistyped address
    page = soup(response)
    assert "Thomas Belkacem est déjà inscrit(e) à cet événement" in words(page)
    already = page.select_one(".door-already")
    assert "BELKACEM Thomas – Bondy – déjà émargé(e) à" in words(already)
    assert not already.select("form")  # nothing left to check in
    link = already.select_one("a")["href"]
    assert link == f"{door(seminar)}?q=Belkacem+Thomas#r-{thomas.pk}"
    assert f'id="r-{thomas.pk}"' in desk.get(link).content.decode()  # the row is in the list
    # What was typed is kept, and « C'est une autre personne (homonyme) » offered, unticked.
    assert page.select_one("input[name=email]")["value"] == "t.belkacem@mairie.test"
    assert page.select_one("input[name=commune]")["value"] == "Pantin"
    box = page.select_one("input[name=homonym]")
    assert box["type"] == "checkbox" and not box.has_attr("checked")
    label = page.select_one(f"label[for={box['id']}]")
    assert words(label) == "C'est une autre personne (homonyme)"


def test_the_same_name_whatever_its_accents_and_hyphens_is_checked_in_from_the_page(desk):
    seminar = make_seminar("Journée des élus", seats=1, days_ahead=-1 / 24, hours=8)
    register_person(seminar, person(9, nom="Premier"))
    jp, _ = register_person(seminar, named(1, "Jean-Pierre", "Lefèvre", email=""))
    waiting, _ = register_person(seminar, named(2, "Ève", "N'Diaye", email=""))
    assert (jp.status, waiting.status) == (WAITLISTED, WAITLISTED)
    jp.status = CONFIRMED  # confirmed beyond the seats by an organiser
    jp.save()
    typed = {**WALK_IN, "nom": "LEFEVRE", "prenom": "jean pierre", "email": ""}
    response = desk.post(f"{door(seminar)}arrivee/", typed)
    assert response.status_code == 400
    already = soup(response).select_one(".door-already")
    assert "LEFÈVRE Jean-Pierre – Bondy – pas encore émargé(e)" in words(already)
    form = already.select_one("form")
    assert form["action"] == f"{door(seminar)}{jp.pk}/emargement/"
    posted = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    assert words(form.select_one("button")) == "Émarger Jean-Pierre Lefèvre"
    answer = desk.post(form["action"], posted)
    assert answer["Location"] == f"{door(seminar)}?q=Lef%C3%A8vre+Jean-Pierre#r-{jp.pk}"
    jp.refresh_from_db()
    assert jp.checked_in_at is not None
    assert seminar.registrations.count() == 3
    # Someone waiting under that name: « Confirmer et émarger », as in the door list.
    typed = {**WALK_IN, "nom": "ndiaye", "prenom": "EVE", "email": ""}
    form = soup(desk.post(f"{door(seminar)}arrivee/", typed)).select_one(".door-already form")
    assert words(form.select_one("button")) == "Confirmer et émarger Ève N'Diaye"
    assert form.select_one("input[name=seat]")["value"] == "1"


def test_a_homonym_is_added_when_the_box_is_ticked_as_an_add_at_the_desk(
    desk, organiser_client, today
):
    seminar, thomas = today
    cancelled, _ = register_person(seminar, named(2, "Marie", "Curie"))
    cancel_registration(cancelled)
    response = desk.post(f"{door(seminar)}arrivee/", {**WALK_IN, "homonym": "on"})
    assert response.status_code == 302
    other = seminar.registrations.get(email="t.belkacem@mairie.test")
    assert (other.status, other.checked_in_at is not None) == (CONFIRMED, True)
    assert (other.source, other.source_label) == ("door", "Ajout à l'accueil")
    # A cancelled registration of the same name does not stop the desk.
    curie = {**WALK_IN, "nom": "Curie", "prenom": "Marie", "email": ""}
    assert desk.post(f"{door(seminar)}arrivee/", curie).status_code == 302
    # The organisers read it in their list and its workbook; their own add stays theirs.
    page = html.unescape(
        organiser_client.get(f"/admin/inscriptions/{seminar.pk}/").content.decode()
    )
    assert "Ajout à l'accueil" in page
    book = load_workbook(
        io.BytesIO(organiser_client.get(f"/admin/inscriptions/{seminar.pk}/liste.xlsx").content)
    )
    sheet = book.active
    header = next(r for r in sheet.iter_rows(values_only=True) if "Source" in (r or ()))
    column = header.index("Source")
    sources = {row[column] for row in sheet.iter_rows(values_only=True) if row != header}
    assert "Ajout à l'accueil" in sources
    added = organiser_client.post(
        f"/admin/inscriptions/{seminar.pk}/ajouter/",
        {**WALK_IN, "nom": "Orga", "email": "", "present_now": "on"},
    )
    assert added.status_code == 302
    assert seminar.registrations.get(nom="Orga").source == "manual"


# 2. The manual add's full ateliers ---------------------------------------------------------------


def fill(seminar, atelier, count: int = 3) -> list[Registration]:
    return [
        register_person(seminar, person(f"plein{n}", ateliers=[atelier.pk]))[0]
        for n in range(count)
    ]


def errors_of(response) -> str:
    return words(soup(response).select_one("form"))


def test_the_add_refuses_a_full_atelier_with_the_other_errors_at_once(organiser_client, seminar):
    a = seminar.ateliers.get(title="Atelier A")
    fill(seminar, a)
    url = f"/admin/inscriptions/{seminar.pk}/ajouter/"
    page = soup(organiser_client.get(url))
    label = page.select_one(f"input[name=ateliers][value='{a.pk}']")
    assert words(page.select_one(f"label[for={label['id']}]")).endswith("(complet)")
    posted = {**WALK_IN, "prenom": "", "email": "", "ateliers": [a.pk]}
    response = organiser_client.post(url, posted)
    assert response.status_code == 400
    text = errors_of(response)
    assert "Champ requis" in text and "Plus de place dans l'atelier" in text
    assert seminar.registrations.count() == 3
    # With the name given, the same refusal (the service's, under the lock, the rule).
    response = organiser_client.post(url, {**posted, "prenom": "Thomas"})
    assert response.status_code == 400 and "Plus de place dans l'atelier" in errors_of(response)


def test_an_edit_keeps_the_full_atelier_the_person_holds(organiser_client, seminar):
    a = seminar.ateliers.get(title="Atelier A")
    c = seminar.ateliers.get(title="Atelier C")
    holder = fill(seminar, a)[0]
    other, _ = register_person(seminar, person("autre", ateliers=[c.pk]))
    edit = f"/admin/inscriptions/{seminar.pk}/{{}}/modifier/"
    data = {"nom": "", "prenom": "P", "commune": "Bondy", "fonction": "maire"}
    response = organiser_client.post(edit.format(holder.pk), {**data, "ateliers": [a.pk, c.pk]})
    assert response.status_code == 400
    assert "Plus de place" not in errors_of(response)  # her seat: never full for her
    response = organiser_client.post(edit.format(other.pk), {**data, "ateliers": [a.pk]})
    assert response.status_code == 400
    text = errors_of(response)
    assert "Champ requis" in text and "Plus de place dans l'atelier" in text


# 3. The list's commune filter by INSEE code ------------------------------------------------------


def test_the_commune_filter_takes_an_insee_code(organiser_client):
    seminar = make_seminar()
    denis, _ = register_person(seminar, person(1, commune="Saint-Denis"))
    register_person(seminar, person(2, commune="Bondy"))
    ajaccio, _ = register_person(seminar, person(3, commune="Ajaccio"))
    assert (denis.commune_id, ajaccio.commune_id) == ("93066", "2A004")
    url = f"/admin/inscriptions/{seminar.pk}/"

    def rows(commune: str) -> list[str]:
        page = soup(organiser_client.get(url, {"commune": commune}))
        return [words(th).split()[0] for th in page.select("table.listing tbody th[scope=row]")]

    assert rows("93066") == ["NOM1"]
    assert rows(" 2a004 ") == ["NOM3"]
    assert rows("saint-denis") == ["NOM1"]  # the name still works
    page = soup(organiser_client.get(url))
    assert words(page.select_one("label[for=id_commune]")) == "Commune (nom ou code INSEE)"
