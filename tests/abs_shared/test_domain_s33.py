"""The catalogue reads as DOMAIN.md: D9/D1 measures inequality (« more unequal »), not
fragility; SANSDIP's definition names the population its label names (« sans diplôme »)."""

import pytest

from abs_shared.models import Indicator
from tests.abs_shared.conftest import pool_member, pool_value
from tests.conftest import plain

pytestmark = pytest.mark.django_db


def test_d9d1_is_read_and_ranked_as_inequality_not_fragility(portal):
    d9d1 = Indicator.objects.get(code="D9D1")
    assert d9d1.polarity == Indicator.Polarity.HIGHER_UNEQUAL
    for insee, value in (("93010", "3.1"), ("93048", "4.2"), ("93066", "3.6")):
        pool_value(pool_member(insee), "D9D1", 2021, value)

    page = plain(portal.get("/indicateurs/D9D1/?annee=2021").content.decode())

    assert "Plus la valeur est haute, plus les inégalités sont fortes" in page
    assert "Rang (1 = le plus inégalitaire)" in page
    assert "le plus fragile" not in page
    # Still ranked, the most unequal first (4,2, then 3,6 and 3,1).
    rows = page[page.index("<tbody") :]
    assert rows.index("Montreuil") < rows.index("Saint-Denis") < rows.index("Bondy")

    portrait = plain(portal.get("/indicateurs/communes/93048/").content.decode())
    assert "la plus inégalitaire pour un indicateur d'inégalités" in portrait

    api = portal.get("/api/v1/indicators/D9D1/").json()
    assert api["polarity"] == "higher_unequal"


def test_a_fragility_indicator_keeps_its_fragility_rank(portal):
    for insee, value in (("93010", "21.5"), ("93048", "18.0"), ("93066", "30.2")):
        pool_value(pool_member(insee), "TP60", 2021, value)
    page = plain(portal.get("/indicateurs/TP60/?annee=2021").content.decode())
    assert "Rang (1 = le plus fragile)" in page and "inégalitaire)" not in page


def test_sansdip_counts_people_without_any_diploma_as_its_label_says():
    sansdip = Indicator.objects.get(code="SANSDIP")
    assert "sans diplôme" in sansdip.label
    assert "au plus un brevet" not in sansdip.definition
    assert sansdip.definition.startswith(
        "Personnes de 15 ans ou plus non scolarisées qui n'ont aucun diplôme (ni brevet des collèges"
    )
