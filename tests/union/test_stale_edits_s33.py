"""Audit A9, finding 3: an edit form left open no longer undoes a change saved since it was
opened (union.stale_edits). For each of the five edit forms: open it (GET), change the row
another way, post the stale form: refused, nothing overwritten, what was typed kept, and the
saved value shown; posted again with the new version it carries, it saves."""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from abs_shared.local.models import Observation
from seminars.links import manage_path
from seminars.models import Registration
from seminars.services import register_person
from tenants.models import Membership
from tenants.workspace.models import ActivityFigure, BoardMember, Profile
from tenants.workspace.services import PROFILE_FIELDS
from tests.abs_shared.conftest import observe
from tests.conftest import host_client, make_person, member_client, plain
from tests.seminars.conftest import make_seminar, organiser, person
from tests.workspace.conftest import add_figures, make_board
from union.stale_edits import VERSION_FIELD

pytestmark = pytest.mark.django_db

STALE = "Cette fiche a été modifiée par quelqu'un d'autre depuis que vous l'avez ouverte"


def version(response) -> str:
    """The version the page's form carries."""
    content = response.content.decode()
    match = re.search(rf'name="{VERSION_FIELD}" value="([^"]+)"', content)
    assert match, "the form carries no version"
    return html.unescape(match.group(1))


def text(response) -> str:
    return plain(html.unescape(response.content.decode()))


@pytest.fixture
def team(bondy):
    """Bondy's director and agent, each signed in on the member's host."""
    director = make_person(bondy, "direction@bondy.test", Membership.Role.DIRECTOR)
    agent = make_person(bondy, "agent@bondy.test", Membership.Role.AGENT)
    return member_client(bondy, director), member_client(bondy, agent)


# --- The organiser's « Modifier » of a registration, against the person's personal page -------


def test_a_registration_changed_on_the_personal_page_is_not_undone_by_the_organiser(
    mailoutbox, django_capture_on_commit_callbacks
):
    seminar = make_seminar(
        ateliers=(("Atelier A", 1, 2, 3), ("Atelier B", 1, 2, 3), ("Atelier C", 4, 2, 10))
    )
    a, c = (seminar.ateliers.get(title=title) for title in ("Atelier A", "Atelier C"))
    claire, _ = register_person(seminar, person(1, nom="Perrin", ateliers=[a.pk]), notify=False)
    url = f"/admin/inscriptions/{seminar.pk}/{claire.pk}/modifier/"
    staff = host_client("localhost", organiser())
    opened = staff.get(url)
    assert opened.status_code == 200
    typed = {
        "nom": "Perrin",
        "prenom": claire.prenom,
        "email": claire.email,
        "commune": "Bondy",
        "fonction": claire.fonction,
        "ateliers": [str(a.pk)],
        "needs": "Une place près de la porte",
        VERSION_FIELD: version(opened),
    }
    # Meanwhile Claire adds atelier C on her personal page.
    portal = host_client("localhost")
    added = portal.post(manage_path(claire), {"action": "ateliers", "ateliers": [a.pk, c.pk]})
    assert added.status_code == 302
    assert set(claire.ateliers.values_list("pk", flat=True)) == {a.pk, c.pk}

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        stale = staff.post(url, typed)
    assert stale.status_code == 400
    page = text(stale)
    assert "<title>Erreur – Modifier l'inscription" in html.unescape(stale.content.decode())
    assert STALE in page
    assert "« Ateliers » :" in page and "Atelier C" in page  # what is saved now
    assert "Une place près de la porte" in page  # what the organiser typed is kept
    claire.refresh_from_db()
    assert set(claire.ateliers.values_list("pk", flat=True)) == {a.pk, c.pk}
    assert claire.needs == "" and mailoutbox == []
    fresh = version(stale)
    assert fresh != typed[VERSION_FIELD]

    # Read and sent again, with atelier C kept: saved.
    again = staff.post(url, {**typed, "ateliers": [str(a.pk), str(c.pk)], VERSION_FIELD: fresh})
    assert again.status_code == 302
    claire.refresh_from_db()
    assert claire.needs == "Une place près de la porte"
    assert set(claire.ateliers.values_list("pk", flat=True)) == {a.pk, c.pk}
    assert claire.status == Registration.Status.CONFIRMED


# --- The member's profile ---------------------------------------------------------------------


def profile_post(member, **overrides) -> dict:
    """The profile form as its page shows it now, with `overrides`."""
    with schema_context(member.schema_name):
        profile = Profile.objects.get()
        data = {name: getattr(profile, name) or "" for name in PROFILE_FIELDS}
    data.update({"services-TOTAL_FORMS": "1", "services-INITIAL_FORMS": "0"})
    data["services-0-kind"] = ""
    data.update(overrides)
    return data


def test_a_colleagues_profile_change_is_not_undone_by_a_form_left_open(bondy, team):
    director, agent = team
    opened_by_agent = agent.get("/profil/modifier/")
    director.get("/profil/modifier/")
    saved = director.post(
        "/profil/modifier/", profile_post(bondy, phone="01 48 50 53 99", **{VERSION_FIELD: ""})
    )
    assert saved.status_code == 302
    typed = profile_post(
        bondy,
        phone="01 48 50 53 00",
        opening_hours="Lundi-vendredi 9h-12h, mardi 14h-17h",
        **{VERSION_FIELD: version(opened_by_agent)},
    )
    stale = agent.post("/profil/modifier/", typed)
    assert stale.status_code == 200  # the member space's refused forms
    page = text(stale)
    assert STALE in page and "« Téléphone » : « 01 48 50 53 99 »" in page
    assert "Lundi-vendredi 9h-12h, mardi 14h-17h" in page
    with schema_context(bondy.schema_name):
        profile = Profile.objects.get()
        assert (profile.phone, profile.opening_hours) == ("01 48 50 53 99", "")

    again = agent.post("/profil/modifier/", {**typed, VERSION_FIELD: version(stale)})
    assert again.status_code == 302
    with schema_context(bondy.schema_name):
        assert Profile.objects.get().opening_hours == "Lundi-vendredi 9h-12h, mardi 14h-17h"


def test_the_version_is_read_in_the_members_own_schema(two_members):
    """Bondy's and Montreuil's profiles have the same primary key: a change to Montreuil's does
    not refuse Bondy's form, and Bondy's save leaves Montreuil's alone."""
    bondy, montreuil = two_members
    bondy_client = member_client(bondy, make_person(bondy, "direction@bondy.test"))
    montreuil_client = member_client(montreuil, make_person(montreuil, "direction@montreuil.test"))
    opened = bondy_client.get("/profil/modifier/")
    montreuil_client.get("/profil/modifier/")
    with schema_context(bondy.schema_name):
        bondy_pk = Profile.objects.get().pk
    with schema_context(montreuil.schema_name):
        assert Profile.objects.get().pk == bondy_pk  # colliding keys
    changed = montreuil_client.post(
        "/profil/modifier/", profile_post(montreuil, phone="01 48 70 00 00")
    )
    assert changed.status_code == 302
    saved = bondy_client.post(
        "/profil/modifier/",
        profile_post(bondy, phone="01 48 50 00 00", **{VERSION_FIELD: version(opened)}),
    )
    assert saved.status_code == 302
    with schema_context(bondy.schema_name):
        assert Profile.objects.get().phone == "01 48 50 00 00"
    with schema_context(montreuil.schema_name):
        assert Profile.objects.get().phone == "01 48 70 00 00"


# --- A board member -----------------------------------------------------------------------------


def board_post(seat: BoardMember, **overrides) -> dict:
    data = {
        "first_name": seat.first_name,
        "last_name": seat.last_name,
        "seat": seat.seat,
        "association": seat.association,
        "category": seat.category,
        "start": seat.start.isoformat(),
        "end": seat.end.isoformat() if seat.end else "",
    }
    if seat.is_vice_president:
        data["is_vice_president"] = "on"
    data.update(overrides)
    return data


def test_a_colleagues_board_change_is_not_undone_by_a_form_left_open(bondy, team):
    director, agent = team
    make_board(bondy)
    with schema_context(bondy.schema_name):
        seat = BoardMember.objects.get(last_name="Asso0")
    url = f"/conseil/membres/{seat.pk}/"
    opened = director.get(url)
    assert opened.status_code == 200
    assert agent.post(url, board_post(seat, end="2024-03-31")).status_code == 302
    typed = board_post(seat, association="Secours populaire", **{VERSION_FIELD: version(opened)})
    stale = director.post(url, typed)
    assert stale.status_code == 200
    page = text(stale)
    assert STALE in page and "31/03/2024" in page
    assert 'value="Secours populaire"' in stale.content.decode()
    with schema_context(bondy.schema_name):
        seat.refresh_from_db()
        assert (seat.end, seat.association) == (date(2024, 3, 31), "Association Asso0")

    again = director.post(url, {**typed, "end": "2024-03-31", VERSION_FIELD: version(stale)})
    assert again.status_code == 302
    with schema_context(bondy.schema_name):
        seat.refresh_from_db()
        assert (seat.end, seat.association) == (date(2024, 3, 31), "Secours populaire")


# --- An activity figure ---------------------------------------------------------------------


def test_a_colleagues_activity_figure_is_not_undone_by_a_form_left_open(bondy, team):
    director, agent = team
    add_figures(bondy, (2024, "Seniors", "Repas livrés", 1200, None))
    with schema_context(bondy.schema_name):
        figure = ActivityFigure.objects.get()
    url = f"/activite/{figure.pk}/"
    opened = director.get(url)
    fields = {"year": "2024", "pole": "Seniors", "category": "Repas livrés"}
    assert agent.post(url, {**fields, "count": "1 250", "amount": ""}).status_code == 302
    typed = {**fields, "count": "1 200", "amount": "3 000", VERSION_FIELD: version(opened)}
    stale = director.post(url, typed)
    assert stale.status_code == 200
    page = text(stale)
    assert STALE in page and "« Nombre » : 1250" in page
    assert 'value="3 000"' in stale.content.decode()
    with schema_context(bondy.schema_name):
        figure.refresh_from_db()
        assert (figure.count, figure.amount) == (1250, None)

    again = director.post(url, {**typed, "count": "1 250", VERSION_FIELD: version(stale)})
    assert again.status_code == 302
    with schema_context(bondy.schema_name):
        figure.refresh_from_db()
        assert (figure.count, figure.amount) == (1250, Decimal("3000"))


# --- An ABS value ---------------------------------------------------------------------------


def test_a_colleagues_abs_value_is_not_undone_by_a_form_left_open(bondy, team):
    director, agent = team
    observation = observe(bondy, "DOMIC", 2020, 395)
    url = f"/abs/observations/{observation.pk}/modifier/"
    opened_by_agent = agent.get(url)
    assert opened_by_agent.status_code == 200
    assert director.post(url, {"value": "412", "source": "Registre"}).status_code == 302
    typed = {
        "value": "395",
        "source": "",
        "comment": "Chiffre du rapport",
        VERSION_FIELD: version(opened_by_agent),
    }
    stale = agent.post(url, typed)
    assert stale.status_code == 200
    page = text(stale)
    assert STALE in page and "« Valeur » : « 412 »" in page
    assert "Chiffre du rapport" in page
    with schema_context(bondy.schema_name):
        saved = Observation.objects.get(pk=observation.pk)
        assert (saved.value, saved.comment) == (Decimal("412"), "")

    again = agent.post(url, {**typed, "value": "412", VERSION_FIELD: version(stale)})
    assert again.status_code == 302
    with schema_context(bondy.schema_name):
        saved = Observation.objects.get(pk=observation.pk)
        assert (saved.value, saved.comment) == (Decimal("412"), "Chiffre du rapport")
