"""The COG import: counts, EPCI/EPT links, idempotence."""

import pytest
from django.core.management import call_command

from tenants.models import Commune, CommuneAlias, Departement, Intercommunality, Region

pytestmark = pytest.mark.django_db


def test_reference_is_loaded_with_populations_and_groupings():
    assert Commune.objects.count() > 34000
    bondy = Commune.objects.select_related("epci", "ept", "departement").get(code="93010")
    assert bondy.nom == "Bondy"
    assert bondy.population > 50000
    assert bondy.departement.nom == "Seine-Saint-Denis"
    assert bondy.region_id == "11"
    assert bondy.epci.nom == "Métropole du Grand Paris"
    assert bondy.ept.kind == Intercommunality.Kind.EPT
    assert bondy.intercommunality == bondy.ept
    assert "93140" in bondy.codes_postaux
    lyon = Commune.objects.get(code="69123")
    assert lyon.ept is None and lyon.intercommunality == lyon.epci
    assert Departement.objects.filter(code="2A").exists()
    assert Region.objects.get(code="11").nom == "Île-de-France"
    assert CommuneAlias.objects.filter(nom="Annecy-le-Vieux", commune_id="74010").exists()


def test_import_is_idempotent():
    before = (
        Commune.objects.count(),
        Intercommunality.objects.count(),
        CommuneAlias.objects.count(),
    )
    call_command("import_cog", verbosity=0)
    after = (
        Commune.objects.count(),
        Intercommunality.objects.count(),
        CommuneAlias.objects.count(),
    )
    assert before == after


def test_import_updates_a_changed_name():
    Commune.objects.filter(code="93010").update(nom="Bondy-Modifiée", population=1)
    call_command("import_cog", verbosity=0)
    bondy = Commune.objects.get(code="93010")
    assert (bondy.nom, bondy.population > 50000) == ("Bondy", True)
