"""Two ateliers of the same title (« Accès aux droits » on two days) are told apart by their time
slot wherever a participant, or a member CCAS that registered people, reads them by name: the
questionnaire de satisfaction's questions, the confirmation step of « Annuler mon inscription »,
the member's « Désinscrire » page, the event page's answer to registering again, and the public
API's ateliers (`label`). Names as organisers read them (SeminarPage.atelier_labels); a list of
names without « » between them is separated by « ; » (a slot holds a comma). Through real HTTP.
The e-mails, the .ics and the attestation already name each atelier with its slot."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seminars.links import make_token, manage_path
from seminars.links import page_path as url
from seminars.models import Registration, titled_with_slot
from seminars.services import register_person, set_check_in
from tests.conftest import make_person, member_client, plain
from tests.seminars.conftest import TWO_DAYS_ATELIERS, form_data, make_seminar, person

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def ateliers_of(seminar):
    """(the first day's « Accès aux droits », the next day's, « Budget »)"""
    return tuple(seminar.ateliers.order_by("sort_order"))


def names(seminar) -> tuple[str, str]:
    """The two « Accès aux droits » as told apart: « Accès aux droits – mar. 5 janvier, 14 h –
    16 h » (the event lasts more than a day: the slot carries its date)."""
    first, second, _budget = ateliers_of(seminar)
    first_name, second_name = titled_with_slot(first, True), titled_with_slot(second, True)
    assert first_name != second_name and first_name.startswith("Accès aux droits – ")
    assert seminar.atelier_labels == {
        first.pk: first_name,
        second.pk: second_name,
        _budget.pk: "Budget",
    }
    return first_name, second_name


@pytest.fixture
def twice(db):
    """An upcoming event over two days, « Accès aux droits » on each."""
    return make_seminar("Rencontres de printemps", hours=32, ateliers=TWO_DAYS_ATELIERS)


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


# 1. The questionnaire de satisfaction -----------------------------------------------------------


def questionnaire(registration) -> str:
    return f"/evenements/inscription/{make_token(registration)}/avis/"


def test_the_questionnaire_asks_about_each_atelier_by_its_slot(portal):
    seminar = make_seminar(
        "Rencontres d'hiver", hours=32, ateliers=TWO_DAYS_ATELIERS, days_ahead=-2
    )
    first, second, budget = ateliers_of(seminar)
    first_name, second_name = names(seminar)
    both, _ = register_person(
        seminar, person(1, ateliers=[first.pk, second.pk, budget.pk]), notify=False
    )
    one, _ = register_person(seminar, person(2, ateliers=[budget.pk]), notify=False)
    for present in (both, one):
        set_check_in(present, True)

    with CaptureQueriesContext(connection) as three:
        page = soup(portal.get(questionnaire(both)))
    legends = [legend.get_text(" ", strip=True) for legend in page.select("legend")]
    asked = [legend for legend in legends if legend.startswith("L'atelier")]
    assert asked == [
        f"L'atelier «{NBSP}Budget{NBSP}»",
        f"L'atelier «{NBSP}{first_name}{NBSP}»",
        f"L'atelier «{NBSP}{second_name}{NBSP}»",
    ]
    # The names are read once for the event, not once per atelier.
    with CaptureQueriesContext(connection) as single:
        soup(portal.get(questionnaire(one)))
    assert len(three) == len(single), [q["sql"] for q in three.captured_queries]

    response = portal.post(
        questionnaire(both),
        {
            "overall": "4",
            "usefulness": "4",
            "organisation": "3",
            f"atelier_{first.pk}": "4",
            f"atelier_{second.pk}": "2",
        },
    )
    assert response.status_code == 302
    ratings = dict(both.evaluation.atelier_ratings.values_list("atelier_id", "rating"))
    assert ratings == {first.pk: 4, second.pk: 2}


# 2. « Annuler mon inscription » ------------------------------------------------------------------


def test_the_cancel_step_names_the_ateliers_by_their_slot(portal, twice):
    first, second, budget = ateliers_of(twice)
    first_name, second_name = names(twice)
    registration, _ = register_person(
        twice, person(1, ateliers=[second.pk, budget.pk]), notify=False
    )
    with CaptureQueriesContext(connection) as two:
        page = soup(portal.get(manage_path(registration), {"annuler": ""}))
    said = page.find("p", string=lambda text: text and "Si vous l'annulez" in text).get_text()
    assert (
        f"votre place et celles de vos ateliers «{NBSP}Budget{NBSP}», «{NBSP}{second_name}{NBSP}» "
        "seront libérées" in said
    )

    alone, _ = register_person(twice, person(2, ateliers=[first.pk]), notify=False)
    with CaptureQueriesContext(connection) as one:
        page = soup(portal.get(manage_path(alone), {"annuler": ""}))
    said = page.find("p", string=lambda text: text and "Si vous l'annulez" in text).get_text()
    assert f"votre place et celle de l'atelier «{NBSP}{first_name}{NBSP}» seront libérées" in said
    assert len(two) == len(one)  # the names are read once for the event


# 3. A member CCAS unregisters someone ---------------------------------------------------------


def test_the_member_cancel_page_names_the_ateliers_by_their_slot(bondy, twice):
    first, second, budget = ateliers_of(twice)
    first_name, second_name = names(twice)
    registration, _ = register_person(
        twice,
        person(1, email="", ateliers=[second.pk, budget.pk, first.pk]),
        source=Registration.Source.MEMBER,
        member=bondy,
        notify=False,
    )
    alone, _ = register_person(
        twice,
        person(2, email="", ateliers=[second.pk]),
        source=Registration.Source.MEMBER,
        member=bondy,
        notify=False,
    )
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))

    def held(registration) -> str:
        page = soup(
            client.get(f"/evenements/{twice.pk}/inscriptions/{registration.pk}/desinscrire/")
        )
        facts = page.select_one("dl.facts")
        term = next(dt for dt in facts.select("dt") if dt.get_text() == "Inscription")
        return term.find_next_sibling("dd").get_text()

    held(alone)  # the site, cached from then on
    with CaptureQueriesContext(connection) as three:
        assert held(registration) == (
            f"confirmée, ateliers{NBSP}: Budget{NBSP}; {first_name}{NBSP}; {second_name}"
        )
    with CaptureQueriesContext(connection) as one:
        assert held(alone) == f"confirmée, ateliers{NBSP}: {second_name}"
    assert len(three) == len(one)  # the names are read once for the event


# 4. Registering again with the same address --------------------------------------------------


def test_registering_again_names_the_ateliers_ticked_by_their_slot(portal, twice):
    first, second, budget = ateliers_of(twice)
    first_name, second_name = names(twice)
    portal.post(url(twice), form_data(ateliers=[budget.pk]))
    again = portal.post(url(twice), form_data(ateliers=[first.pk, second.pk]), follow=True)
    said = plain(soup(again).find("section", attrs={"aria-labelledby": "inscription"}).get_text())
    assert "Une inscription existait déjà avec cette adresse" in said
    assert f"Vos ateliers : « {plain(first_name)} », « {plain(second_name)} »." in said


# 5. The public API --------------------------------------------------------------------------


def test_the_api_gives_each_atelier_its_label_beside_its_title(portal, bondy, twice):
    first, second, budget = ateliers_of(twice)
    first_name, second_name = names(twice)
    expected = {
        first.pk: ("Accès aux droits", first_name),
        second.pk: ("Accès aux droits", second_name),
        budget.pk: ("Budget", "Budget"),
    }
    with CaptureQueriesContext(connection) as one_event:
        public = listed(portal)[twice.pk]
    assert {a["id"]: (a["title"], a["label"]) for a in public["ateliers"]} == expected
    # The labels come from the ateliers already read with the events: no query per event.
    make_seminar("Rencontres d'été", hours=32, ateliers=TWO_DAYS_ATELIERS, days_ahead=60)
    with CaptureQueriesContext(connection) as two_events:
        assert len(listed(portal)) == 2
    assert len(two_events) == len(one_event)

    # A member's software reads the same (its list is the portal's, with its people).
    client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    member = listed(client)[twice.pk]
    assert {a["id"]: (a["title"], a["label"]) for a in member["ateliers"]} == expected


def listed(client) -> dict[int, dict]:
    response = client.get("/api/v1/seminars/")
    assert response.status_code == 200, response.content
    return {event["id"]: event for event in response.json()["results"]}
