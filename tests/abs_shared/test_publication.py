"""Validation, publication, retraction and secrecy at publication."""

from decimal import Decimal

import pytest

from abs_shared.local.services import (
    publish_observations,
    retract_observations,
    state_counts,
    validate_observations,
)
from abs_shared.models import PublishedValue, ValueStatus
from tests.abs_shared.conftest import observations_of, observe, observe_and_publish
from tests.conftest import make_person
from union.models import AuditEntry

pytestmark = pytest.mark.django_db


def pooled(member) -> dict:
    return {
        (p.indicator_id, p.year): p
        for p in PublishedValue.objects.filter(member=member).order_by("indicator_id", "year")
    }


def test_only_validated_observations_of_the_year_are_published(bondy):
    director = make_person(bondy, "dir@bondy.test")
    observe(bondy, "TP60", 2021, 26.5)
    observe(bondy, "CHOM", 2021, 18.2)
    observe(bondy, "CHOM", 2020, 17.9)
    observe(bondy, "FAMMONO", 2021, None)  # missing: nothing to pool
    assert (
        validate_observations(bondy, year=2021, indicators=["TP60", "FAMMONO"], actor=director) == 2
    )
    observe(bondy, "SUROCC", 2021, 12)  # a draft: never published

    assert publish_observations(bondy, year=2021, actor=director) == 1
    values = pooled(bondy)
    assert list(values) == [("TP60", 2021)]
    assert values[("TP60", 2021)].value == Decimal("26.5")
    assert values[("TP60", 2021)].commune_id == "93010"
    assert values[("TP60", 2021)].published_by == director
    assert state_counts(bondy) == {"drafts": 3, "validated": 1, "published": 1}

    entry = AuditEntry.objects.get(action="abs.publish")
    assert entry.member == bondy and entry.actor == director
    assert entry.details["values"] == 1 and entry.details["indicators"] == ["TP60"]


def test_republication_replaces_and_retraction_removes(bondy):
    observe(bondy, "TP60", 2021, 26.5)
    observe(bondy, "TP60", 2020, 27.0)
    validate_observations(bondy)
    publish_observations(bondy)  # every year
    assert set(pooled(bondy)) == {("TP60", 2020), ("TP60", 2021)}

    observe(bondy, "TP60", 2021, 25.0)  # edited: back to draft, the pool keeps the old value
    (obs_2020, obs_2021) = observations_of(bondy)
    assert obs_2021.is_draft and obs_2021.changed_since_publication
    assert pooled(bondy)[("TP60", 2021)].value == Decimal("26.5")
    validate_observations(bondy, year=2021)
    publish_observations(bondy, year=2021)
    assert pooled(bondy)[("TP60", 2021)].value == Decimal("25")
    assert PublishedValue.objects.count() == 2

    assert retract_observations(bondy, year=2021) == 1
    assert set(pooled(bondy)) == {("TP60", 2020)}
    assert [o.is_published for o in observations_of(bondy)] == [True, False]
    assert AuditEntry.objects.filter(action="abs.retract", member=bondy).count() == 1


def test_a_published_figure_marked_not_available_leaves_the_pool_when_republished(two_members):
    bondy, neighbour = two_members  # their observations' ids collide: TP60 2021 is 1 in both
    observe_and_publish(neighbour, "TP60", 2021, 31.0)
    observe_and_publish(bondy, "TP60", 2021, 26.5)
    observe_and_publish(bondy, "CHOM", 2021, 18.2)

    observe(bondy, "TP60", 2021, None)  # the figure was wrong: « non disponible »
    assert pooled(bondy)[("TP60", 2021)].value == Decimal("26.5")  # until republished
    validate_observations(bondy, year=2021)
    assert publish_observations(bondy, year=2021) == 1

    assert list(pooled(bondy)) == [("CHOM", 2021)]
    (chom, tp60) = observations_of(bondy)
    assert chom.is_published
    assert not tp60.in_pool and not tp60.changed_since_publication
    assert state_counts(bondy) == {"drafts": 0, "validated": 1, "published": 1}
    # Only this member's value went: the neighbour's figure of the same indicator and year stays.
    assert pooled(neighbour)[("TP60", 2021)].value == Decimal("31")
    entry = AuditEntry.objects.filter(action="abs.publish", member=bondy).latest("pk")
    assert entry.details["withdrawn_as_missing"] == 1


def test_small_denominators_and_small_counts_are_published_as_secret(bondy):
    observe(bondy, "P75SEUL", 2021, 40, numerator=4, denominator=10)
    observe(bondy, "FAMMONO", 2021, 30, denominator=40)  # no numerator: 30 % of 40 is 12
    observe(bondy, "RSA", 2021, 7)
    observe(bondy, "DOMIC", 2021, 120)
    observe(bondy, "CHOM", 2021, "s")
    validate_observations(bondy)
    publish_observations(bondy)
    values = pooled(bondy)
    assert values[("P75SEUL", 2021)].status == ValueStatus.SECRET
    assert values[("P75SEUL", 2021)].value is None  # the number never reaches the pool
    assert values[("FAMMONO", 2021)].value == Decimal("30")  # 12 families: enough
    assert values[("RSA", 2021)].status == ValueStatus.SECRET
    assert values[("DOMIC", 2021)].value == Decimal("120")
    assert values[("CHOM", 2021)].status == ValueStatus.SECRET
    assert AuditEntry.objects.get(action="abs.publish").details["suppressed"] == 3
