"""Codes and names people type for a commune beyond its name and INSEE code (session 17):
municipal arrondissements (« Paris 15e », 75115), postal codes (« 93140 », « 93140 Bondy »).
« 75015 », Paris 15e's postal code, led to Bry-sur-Marne, whose INSEE code it was until 1968."""

import pytest

from seminars.models import Registration
from tenants.matching import match_commune, match_in_union
from tests.seminars.conftest import make_seminar
from tests.seminars.test_api import post_json, registration_body

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Paris 15e", "75056"),
        ("PARIS 15EME ARRONDISSEMENT", "75056"),
        ("Paris XVe", "75056"),
        ("Paris-16e", "75056"),
        ("Marseille 1er", "13055"),
        ("Lyon 7ème arr.", "69123"),
        ("75115", "75056"),  # INSEE code of the 15th arrondissement
        ("13203", "13055"),
        ("69387", "69123"),
    ],
)
def test_a_municipal_arrondissement_leads_to_its_city(typed, code):
    result = match_commune(typed)
    assert result.status == "matched", result.as_dict()
    assert result.commune.code == code


def test_a_paris_postal_code_is_paris_not_the_commune_it_numbered_before_1968():
    result = match_commune("75015")
    assert result.status == "matched"
    assert (result.commune.code, result.commune.nom) == ("75056", "Paris")


@pytest.mark.parametrize("typed", ["93140", "93140 Bondy", "BONDY (93140)", "Bondy, 93140"])
def test_a_postal_code_alone_or_beside_the_name(typed):
    result = match_in_union(typed)
    assert result.status == "matched", result.as_dict()
    assert result.commune.code == "93010"


def test_the_code_picks_among_communes_of_one_name_or_saves_a_misspelt_one():
    # Several Saint-Denis; the postal code says which.
    assert match_commune("Saint-Denis").status == "ambiguous"
    assert match_commune("Saint-Denis 93200").commune.code == "93066"
    assert match_commune("St Denis 97400").commune.code == "97411"
    # A typo in the name, a postal code of one commune: that commune.
    assert match_commune("Bondi 93140").commune.code == "93010"


def test_insee_codes_keep_precedence_over_postal_codes():
    """13001 is Aix-en-Provence's INSEE code and Marseille 1er's postal code: the API takes
    INSEE codes, so Aix it stays; a postal code several communes share is ambiguous (the
    hinted département's first, then by population)."""
    assert match_commune("13001").commune.nom == "Aix-en-Provence"
    shared = match_commune("93600")  # Aulnay-sous-Bois's, and no INSEE code
    assert shared.commune.code == "93005"
    assert match_commune("01150").commune.nom == "Drom"  # INSEE code, and a postal code too
    shared = match_commune("01500")  # Ambérieu-en-Bugey, Ambronay, Bettant… share it
    assert shared.status == "ambiguous"
    assert {"Ambérieu-en-Bugey", "Ambronay", "Bettant"} <= {c.nom for c in shared.suggestions}


def test_a_registration_with_a_postal_code_is_not_flagged(portal):
    seminar = make_seminar()
    url = f"/api/v1/seminars/{seminar.pk}/registrations/"
    created = post_json(portal, url, registration_body(commune="75015"))
    assert created.status_code == 201, created.json()
    registration = Registration.objects.get(pk=created.json()["id"])
    assert registration.commune_id == "75056"
    assert registration.commune_status == Registration.CommuneStatus.MATCHED
    assert registration.commune_typed == "75015"
