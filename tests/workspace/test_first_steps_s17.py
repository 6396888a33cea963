"""« Premiers pas » (session 17): the checklist on a new space's home page, for its direction,
each step ticked from the space's data through the real pages; hidden on request (a cookie of
the member's host); one member's progress never ticks another's."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django_tenants.utils import schema_context

from abs_shared.local.services import save_observation
from abs_shared.models import Indicator, ValueStatus
from tenants.models import Membership
from tenants.workspace.first_steps import HIDE_COOKIE
from tenants.workspace.models import BoardMandate
from tenants.workspace.services import update_profile
from tests.conftest import make_person, member_client
from tests.workspace.conftest import add_figures

pytestmark = pytest.mark.django_db

STEPS = [
    "Vérifier et compléter la fiche d'identité",
    "Saisir le conseil d'administration",
    "Inviter une ou un collègue",
    "Saisir les premiers chiffres d'activité",
    "Saisir un premier indicateur ABS",
    "Choisir ce que l'annuaire des membres publie",
]


def first_steps(client) -> dict[str, tuple[bool, str, str]] | None:
    """label -> (done, the state screen readers hear, link) of the home page's panel, or None."""
    response = client.get("/")
    assert response.status_code == 200
    panel = BeautifulSoup(response.content.decode(), "html.parser").find(
        "section", attrs={"aria-labelledby": "premiers-pas"}
    )
    if panel is None:
        return None
    assert panel.find(id="premiers-pas").get_text() == "Premiers pas"
    steps = {}
    for item in panel.find("ol", class_="checklist").find_all("li"):
        link = item.find("a")
        state = item.find(class_="visually-hidden").get_text()
        steps[link.get_text()] = ("ok" in item["class"], state, link["href"])
    return steps


def test_a_new_space_shows_every_first_step_unticked_to_its_director_only(bondy):
    director = make_person(bondy, "direction@bondy.test")
    steps = first_steps(member_client(bondy, director))
    assert list(steps) == STEPS
    assert all(not done and state == "À faire : " for done, state, _link in steps.values())
    assert steps["Saisir le conseil d'administration"][2] == "/conseil/mandats/ajouter/"
    assert steps["Saisir un premier indicateur ABS"][2] == "/abs/observations/ajouter/"
    # The publication step leads to the profile page's part where the choice is made.
    publication = steps["Choisir ce que l'annuaire des membres publie"][2]
    assert publication == "/profil/#annuaire"
    profile = member_client(bondy, director).get("/profil/").content.decode()
    target = BeautifulSoup(profile, "html.parser").find(id="annuaire")
    assert target.get_text() == "Annuaire des membres du portail"
    home = member_client(bondy, director).get("/").content.decode()
    assert "0 étape sur 6 faite." in " ".join(BeautifulSoup(home, "html.parser").get_text().split())
    for role in (Membership.Role.AGENT, Membership.Role.VIEWER):
        other = make_person(bondy, f"{role}@bondy.test", role)
        assert first_steps(member_client(bondy, other)) is None


def test_entering_the_current_mandate_through_its_page_ticks_the_board_step(bondy):
    director = make_person(bondy, "direction@bondy.test")
    client = member_client(bondy, director)
    response = client.post(
        "/conseil/mandats/ajouter/", {"label": "2026-2032", "start": "2026-03-28", "end": ""}
    )
    assert response.status_code == 302
    steps = first_steps(client)
    assert steps["Saisir le conseil d'administration"] == (True, "Fait : ", "/conseil/")
    assert [label for label, (done, *_rest) in steps.items() if not done] == [
        label for label in STEPS if label != "Saisir le conseil d'administration"
    ]


def test_every_step_ticks_from_the_data_and_the_panel_goes_once_all_are_done(bondy):
    director = make_person(bondy, "direction@bondy.test")
    client = member_client(bondy, director)
    # A mandate that ended is history: the current board is still to enter.
    with schema_context(bondy.schema_name):
        BoardMandate.objects.create(label="2014-2020", start="2014-04-05", end="2020-06-30")
    assert not first_steps(client)["Saisir le conseil d'administration"][0]
    with schema_context(bondy.schema_name):
        update_profile(bondy, {"address": "1 place de la Mairie"}, actor=director)
    assert not first_steps(client)["Vérifier et compléter la fiche d'identité"][0]  # no phone
    with schema_context(bondy.schema_name):
        update_profile(bondy, {"phone": "01 48 50 00 00"}, actor=director)
    client.post("/equipe/", {"email": "agent@bondy.test", "role": Membership.Role.AGENT})
    add_figures(bondy, (2025, "Accueil", "Personnes reçues à l'accueil", 12, Decimal("0")))
    save_observation(
        bondy,
        indicator=Indicator.objects.get(code="TP60"),
        year=2021,
        status=ValueStatus.VALUE,
        value=Decimal("26.5"),
    )
    client.post("/conseil/mandats/ajouter/", {"label": "2020-2026", "start": "2020-07-01"})
    steps = first_steps(client)
    assert [label for label, (done, *_rest) in steps.items() if not done] == [STEPS[-1]]
    # Publishing nothing is a choice too.
    client.post("/profil/", {})
    assert first_steps(client) is None


def test_one_members_progress_never_ticks_anothers(two_members):
    bondy, montreuil = two_members
    bondy_director = make_person(bondy, "direction@bondy.test")
    montreuil_director = make_person(montreuil, "direction@montreuil.test")
    bondy_client = member_client(bondy, bondy_director)
    bondy_client.post("/conseil/mandats/ajouter/", {"label": "2020-2026", "start": "2020-07-01"})
    bondy_client.post("/equipe/", {"email": "agent@bondy.test", "role": Membership.Role.AGENT})
    bondy_client.post("/profil/", {"name": "on"})
    add_figures(bondy, (2025, "Accueil", "Personnes reçues à l'accueil", 12, None))
    with schema_context(bondy.schema_name):
        update_profile(bondy, {"address": "1 place", "email": "ccas@bondy.fr"}, actor=None)
    save_observation(
        bondy,
        indicator=Indicator.objects.get(code="TP60"),
        year=2021,
        status=ValueStatus.VALUE,
        value=Decimal("26.5"),
    )
    assert first_steps(bondy_client) is None
    montreuil_steps = first_steps(member_client(montreuil, montreuil_director))
    assert [done for done, *_rest in montreuil_steps.values()] == [False] * 6


def test_the_director_hides_the_panel_on_her_browser(bondy):
    director = make_person(bondy, "direction@bondy.test")
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    assert member_client(bondy, agent).post("/premiers-pas/masquer/").status_code == 403
    client = member_client(bondy, director)
    assert client.get("/premiers-pas/masquer/").status_code == 405
    page = BeautifulSoup(client.get("/").content.decode(), "html.parser")
    form = page.find("section", attrs={"aria-labelledby": "premiers-pas"}).find("form")
    assert form["action"] == "/premiers-pas/masquer/" and form["method"] == "post"
    assert form.button.get_text() == "Masquer les premiers pas"
    response = client.post(form["action"])
    assert response.status_code == 302 and response["Location"] == "/"
    cookie = response.cookies[HIDE_COOKIE]
    assert cookie.value == "1" and cookie["httponly"] and cookie["max-age"] == 365 * 24 * 3600
    assert not cookie["domain"]  # this member's host only
    assert first_steps(client) is None
    # Another browser of the same director still has it.
    assert first_steps(member_client(bondy, director)) is not None
