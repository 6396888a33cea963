"""Query parameters of the seminars API through real HTTP: `upcoming` is a boolean in DRF's
spellings (and oui/non), `status` one of the registration statuses; anything else is a French 400."""

import pytest

from seminars.models import Registration
from seminars.services import register_person
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {event["title"] for event in response.json()["results"]}


def test_upcoming_accepts_every_boolean_spelling(portal):
    make_seminar("À venir", days_ahead=10)
    make_seminar("Passé", days_ahead=-10)
    both = {"À venir", "Passé"}
    assert titles(portal.get("/api/v1/seminars/")) == both
    for yes in ("true", "True", "TRUE", "1", "yes", "on", "oui", "Oui"):
        assert titles(portal.get("/api/v1/seminars/", {"upcoming": yes})) == {"À venir"}, yes
    for no in ("false", "False", "0", "no", "off", "non", ""):
        assert titles(portal.get("/api/v1/seminars/", {"upcoming": no})) == both, no
    bad = portal.get("/api/v1/seminars/", {"upcoming": "peut-être"})
    assert bad.status_code == 400
    assert bad.json() == {"upcoming": ["Paramètre « upcoming » invalide : true ou false."]}


def test_registration_status_filter_and_unknown_status(staff_api):
    staff = staff_api
    seminar = make_seminar(seats=1)
    register_person(seminar, person(1))
    register_person(seminar, person(2))
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    assert {r["status"] for r in staff.get(url).json()} == {"confirmed", "waitlisted"}
    waiting = staff.get(url, {"status": "waitlisted"}).json()
    assert [r["nom"] for r in waiting] == ["Nom2"]
    assert staff.get(url, {"status": "cancelled"}).json() == []
    bad = staff.get(url, {"status": "annulee"})
    assert bad.status_code == 400
    assert "Statut inconnu « annulee »" in bad.json()["status"][0]
    assert Registration.objects.filter(seminar=seminar).count() == 2
