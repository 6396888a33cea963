"""A CIAS acts in every commune of its intercommunality: its experiences are found by any of
those communes (and their département), on the portal and through the API, not only by its
seat."""

import re

import pytest
from django.db.models import Count

from tenants.models import Intercommunality, MemberCCAS
from tests.conftest import make_member
from tests.knowledge_base.conftest import make_experience

pytestmark = pytest.mark.django_db

PANTIN = "93055"  # in Est Ensemble, like Bondy
SAINT_DENIS = "93066"  # in Plaine Commune


@pytest.fixture
def cias_experience(kb_tree, montreuil):
    _, index = kb_tree
    # The CIAS of Est Ensemble, seated in Bondy.
    cias = make_member("93010", kind=MemberCCAS.Kind.CIAS)
    assert cias.intercommunality.nom == "Est Ensemble"
    make_experience(index, cias, "Un bus France services intercommunal")
    make_experience(index, montreuil, "Des logements passerelles à Montreuil")
    return cias


def titles(html: str) -> set[str]:
    return set(re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html))


def api_titles(portal, **params) -> set[str]:
    response = portal.get("/api/v1/experiences/", params)
    assert response.status_code == 200, response.content
    return {result["title"] for result in response.json()["results"]}


def test_a_cias_experience_is_found_by_every_commune_of_its_intercommunality(
    cias_experience, portal
):
    html = portal.get("/experiences/", {"commune": "Pantin"}).content.decode()
    assert titles(html) == {"Un bus France services intercommunal"}
    assert "CIAS Est Ensemble, siège à Bondy (93)" in html  # why it is listed under Pantin
    # Montreuil: its own CCAS's experience, and the CIAS's since Montreuil is in Est Ensemble.
    assert titles(portal.get("/experiences/", {"commune": "Montreuil (93)"}).content.decode()) == {
        "Un bus France services intercommunal",
        "Des logements passerelles à Montreuil",
    }
    # The seat still finds it; a commune outside the intercommunality does not.
    assert titles(portal.get("/experiences/", {"commune": "Bondy"}).content.decode()) == {
        "Un bus France services intercommunal"
    }
    assert not titles(portal.get("/experiences/", {"commune": SAINT_DENIS}).content.decode())
    # The suggestions offer the communes the CIAS covers.
    assert 'value="Pantin (93)"' in portal.get("/experiences/").content.decode()


def test_the_api_finds_a_cias_experience_by_the_communes_it_covers(cias_experience, portal):
    assert api_titles(portal, commune=PANTIN) == {"Un bus France services intercommunal"}
    assert api_titles(portal, commune="Pantin") == {"Un bus France services intercommunal"}
    assert api_titles(portal, commune=SAINT_DENIS) == set()
    assert api_titles(portal, departement="93") == {
        "Un bus France services intercommunal",
        "Des logements passerelles à Montreuil",
    }


def test_a_cias_spanning_two_departements_is_found_by_both(kb_tree, portal):
    """The département filter follows the communes covered too, not the seat's département."""
    _, index = kb_tree
    spanning = (
        Intercommunality.objects.exclude(kind=Intercommunality.Kind.EPT)
        .annotate(departements=Count("communes__departement", distinct=True))
        .filter(departements__gt=1)
        .order_by("siren")
        .first()
    )
    seat = spanning.communes.order_by("code").first()
    other = spanning.communes.exclude(departement=seat.departement).order_by("code").first()
    cias = make_member(seat.code, kind=MemberCCAS.Kind.CIAS, epci_siren=spanning.siren)
    make_experience(index, cias, "Une expérience à cheval sur deux départements")

    for departement in (seat.departement_id, other.departement_id):
        html = portal.get("/experiences/", {"departement": departement}).content.decode()
        assert titles(html) == {"Une expérience à cheval sur deux départements"}, departement
        assert api_titles(portal, departement=departement) == {
            "Une expérience à cheval sur deux départements"
        }
