"""The demo loads through the real pipeline, twice without change, and says it is a demo."""

import io

import pytest

from abs_shared import demo
from abs_shared.local.services import state_counts
from abs_shared.models import DEMO_SOURCE, PublishedValue, ReferenceValue, ValueStatus
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def test_demo_publishes_for_several_members_and_keeps_bondy_drafts(portal):
    members = {code: make_member(code) for code in ("93010", "93048", "93066", "93045")}
    demo.load(io.StringIO())
    counts = PublishedValue.objects.count()
    references = ReferenceValue.objects.count()
    demo.load(io.StringIO())  # idempotent
    assert PublishedValue.objects.count() == counts and ReferenceValue.objects.count() == references
    assert set(PublishedValue.objects.values_list("commune_id", flat=True)) == set(members)
    assert set(PublishedValue.objects.values_list("source", flat=True)) == {DEMO_SOURCE}
    bondy_years = set(
        PublishedValue.objects.filter(commune_id="93010").values_list("year", flat=True)
    )
    assert bondy_years == {2020, 2021}
    assert state_counts(members["93010"])["drafts"] > 0
    lilas = PublishedValue.objects.get(commune_id="93045", indicator_id="DOMIC", year=2022)
    assert lilas.status == ValueStatus.SECRET and lilas.value is None
    page = portal.get("/indicateurs/communes/93010/").content.decode()
    assert "Données de démonstration" in page
    assert "Données de démonstration" in portal.get("/indicateurs/TP60/").content.decode()


def test_the_demo_cias_publishes_its_intercommunalitys_reference_figures(portal):
    """Session 39 (audit A29): the CIAS's values and the reference line of the territory it
    covers are the same territory's figures; they were drawn apart (27,6 beside 28,6)."""
    from union.demo import DEMO_CIAS_SIREN, load_cias

    make_member("93051")  # Noisy-le-Grand, in the CIAS's territory: its references are loaded
    cias = load_cias()
    demo.load(io.StringIO())
    published = {
        (value.indicator_id, value.year): value.value
        for value in PublishedValue.objects.filter(member=cias, status=ValueStatus.VALUE)
    }
    references = {
        (value.indicator_id, value.year): value.value
        for value in ReferenceValue.objects.filter(level="epci", code=DEMO_CIAS_SIREN)
    }
    shared = set(published) & set(references)
    assert {("TP60", 2021), ("MED", 2021), ("CHOM", 2022)} <= shared
    assert {key: published[key] for key in shared} == {key: references[key] for key in shared}
