"""Comparison arithmetic on a hand-computed example, ranks, quartiles, secrecy."""

from decimal import Decimal

import pytest

from abs_shared.comparisons import Point, compare, load_commune, quantile, rank, series
from abs_shared.models import Indicator, ValueStatus, population_band
from tests.abs_shared.conftest import pool_member, pool_value, reference

pytestmark = pytest.mark.django_db

D = Decimal


def test_quartiles_with_few_values():
    assert quantile([], 0.25) is None
    assert quantile([D(7)], 0.25) == quantile([D(7)], 0.75) == D(7)
    two = [D(10), D(20)]
    assert (quantile(two, 0.25), quantile(two, 0.5), quantile(two, 0.75)) == (
        D("12.5"),
        D(15),
        D("17.5"),
    )
    four = [D(10), D(20), D(25), D(30)]
    assert (quantile(four, 0.25), quantile(four, 0.5), quantile(four, 0.75)) == (
        D("17.5"),
        D("22.5"),
        D("26.25"),
    )


def test_rank_follows_polarity_and_ties_share_the_best_rank():
    values = [D(10), D(20), D(20), D(30)]
    assert rank(D(20), values, Indicator.Polarity.HIGHER_FRAGILE) == 2  # only 30 is worse
    assert rank(D(30), values, Indicator.Polarity.HIGHER_FRAGILE) == 1
    assert rank(D(20), values, Indicator.Polarity.LOWER_FRAGILE) == 2  # only 10 is worse
    assert rank(D(10), values, Indicator.Polarity.LOWER_FRAGILE) == 1
    assert rank(D(20), values, Indicator.Polarity.NEUTRAL) is None


@pytest.fixture
def example():
    """Bondy 25 (50-100k band), Aubervilliers 30 and Pantin 20 (same band), Montreuil 10 (>100k),
    Saint-Denis secret. References: EPT 22, 93 27.6, Île-de-France secret, France 14.5."""
    communes = {code: load_commune(code) for code in ("93010", "93001", "93055", "93048", "93066")}
    band = population_band(communes["93010"].population)
    assert (
        band
        == population_band(communes["93001"].population)
        == population_band(communes["93055"].population)
    )
    assert population_band(communes["93048"].population) != band
    for code, value in {"93010": 25, "93001": 30, "93055": 20, "93048": 10, "93066": "s"}.items():
        member = pool_member(code)
        for indicator in ("TP60", "MED"):
            pool_value(member, indicator, 2021, value)
    bondy = communes["93010"]
    for indicator in ("TP60", "MED"):
        reference("epci", bondy.ept_id, indicator, 2021, 22)
        reference("departement", "93", indicator, 2021, "27.6")
        reference("region", "11", indicator, 2021, "s")
        reference("france", "FRM", indicator, 2021, "14.5")
    return bondy


def _member(code):
    from tenants.models import MemberCCAS

    return MemberCCAS.objects.get(commune_id=code, kind=MemberCCAS.Kind.CCAS)


def test_comparison_arithmetic_by_hand(example):
    result = compare(example, Indicator.objects.get(code="TP60"), 2021)
    assert result["value"] == 25.0 and result["status"] == "value"
    refs = {r["level"]: r for r in result["references"]}
    assert [r["level"] for r in result["references"]] == ["epci", "departement", "region", "france"]
    assert refs["epci"]["gap"] == 3.0 and refs["epci"]["ratio"] == pytest.approx(1.1364)
    assert refs["departement"]["gap"] == pytest.approx(-2.6)
    assert refs["departement"]["ratio"] == pytest.approx(0.9058)  # 25 / 27.6
    assert refs["france"]["gap"] == pytest.approx(10.5)
    # A secret reference: shown as such, never used in a gap or ratio.
    assert refs["region"] == refs["region"] | {
        "status": "secret",
        "value": None,
        "gap": None,
        "ratio": None,
    }
    # Members: 10, 20, 25, 30 (Saint-Denis' secret is left out of everything).
    assert result["members"] == {
        "count": 4,
        "min": 10.0,
        "q1": 17.5,
        "median": 22.5,
        "q3": 26.25,
        "max": 30.0,
        "rank": 2,  # only Aubervilliers (30) is poorer
    }
    assert result["secret_count"] == 1
    # Peers in Bondy's band: 20, 25, 30.
    assert result["peers"] == {
        "count": 3,
        "min": 20.0,
        "q1": 22.5,
        "median": 25.0,
        "q3": 27.5,
        "max": 30.0,
        "rank": 2,
    }


def test_rank_under_less_is_more_fragile(example):
    result = compare(example, Indicator.objects.get(code="MED"), 2021)
    assert result["members"]["rank"] == 3  # 10 and 20 are more fragile when less is worse
    assert result["peers"]["rank"] == 2


def test_a_secret_value_is_neither_ranked_nor_compared(example):
    saint_denis = load_commune("93066")
    result = compare(saint_denis, Indicator.objects.get(code="TP60"), 2021)
    assert result["status"] == "secret" and result["value"] is None
    assert result["members"]["count"] == 4 and result["members"]["rank"] is None
    assert all(r["gap"] is None and r["ratio"] is None for r in result["references"])


def test_own_draft_overrides_the_published_value(example):
    overrides = {("TP60", 2021): Point(D(35), ValueStatus.VALUE, draft=True)}
    result = compare(example, Indicator.objects.get(code="TP60"), 2021, overrides)
    assert result["value"] == 35.0 and result["draft"] is True
    assert result["members"]["rank"] == 1 and result["members"]["max"] == 35.0
    assert result["members"]["count"] == 4  # its published 25 is replaced, not added


def test_series_lists_years_and_breaks(example):
    pool_value(_member("93010"), "TP60", 2019, 27)
    reference("france", "FRM", "TP60", 2023, 15)
    result = series(example, Indicator.objects.get(code="TP60"))
    assert [p["year"] for p in result["points"]] == [2019, 2021, 2023]
    assert [p["value"] for p in result["points"]] == [27.0, 25.0, None]
    assert result["breaks"] == [2021]  # Filosofi stops after 2021
    france = result["references"][-1]
    assert [p["value"] for p in france["points"]] == [None, 14.5, 15.0]


def test_a_cias_sharing_its_seat_commune_with_a_ccas_never_replaces_the_ccas_values(example):
    """A CIAS's values describe its intercommunality: pooled under the CIAS, kept out of the
    commune comparisons, and neither replacing nor retracting the CCAS's."""
    from abs_shared.models import PublishedValue
    from abs_shared.services import retract_values
    from tenants.models import MemberCCAS

    cias = pool_member("93010", MemberCCAS.Kind.CIAS)  # seated in Bondy, whose CCAS is a member
    pool_value(cias, "TP60", 2021, 40)
    ccas = _member("93010")
    pooled = dict(
        PublishedValue.objects.filter(commune_id="93010", indicator_id="TP60").values_list(
            "member_id", "value"
        )
    )
    assert pooled == {ccas.pk: D(25), cias.pk: D(40)}
    result = compare(example, Indicator.objects.get(code="TP60"), 2021)
    assert result["value"] == 25.0 and result["members"]["count"] == 4  # the CIAS's 40 is not in
    assert retract_values(cias) == [("TP60", 2021)]
    assert PublishedValue.objects.get(member=ccas, indicator_id="TP60").value == D(25)
