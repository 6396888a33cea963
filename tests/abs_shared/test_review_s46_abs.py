"""Session 46's review of ABS (helper session, read-only): a CIAS count left a small remainder
once a CCAS whose count had been shown was suspended or left, and a municipal arrondissement's
code answered 404 on the portal's pages. Each fixed finding with its test."""

import pytest

from abs_shared.comparisons import hidden_intercommunal_counts
from tenants.models import MemberCCAS
from tenants.services import set_member_status, suspend_member
from tests.abs_shared.conftest import pool_member, pool_value

pytestmark = pytest.mark.django_db
EST_ENSEMBLE = "200057875"


def est_ensemble_with_pantin_shown(portal) -> MemberCCAS:
    pool_value(pool_member("93010"), "RSA", 2021, 500)
    pool_value(pool_member("93048"), "RSA", 2021, 700)
    pantin = pool_member("93055")
    pool_value(pantin, "RSA", 2021, 50)
    shown = portal.get("/indicateurs/RSA/?annee=2021&export=csv").content.decode("utf-8-sig")
    assert "Pantin" in shown and ";50;" in shown  # public: anyone may keep it
    return pantin


def test_a_suspended_ccas_count_once_shown_still_counts_in_the_remainder(portal):
    pantin = est_ensemble_with_pantin_shown(portal)
    suspend_member(pantin)
    cias = pool_member("93053", MemberCCAS.Kind.CIAS, EST_ENSEMBLE)
    pool_value(cias, "RSA", 2021, 1257)  # 1257 - 500 - 700 - 50 = 7
    assert (EST_ENSEMBLE, "RSA", 2021) in hidden_intercommunal_counts()
    table = portal.get("/indicateurs/RSA/?annee=2021&tableau=intercommunalites&export=csv")
    text = table.content.decode("utf-8-sig")
    assert "Est Ensemble" in text and "1257" not in text


def test_a_departed_ccas_count_once_shown_still_counts_in_the_remainder(portal):
    pantin = est_ensemble_with_pantin_shown(portal)
    set_member_status(pantin, MemberCCAS.Status.LEFT)
    cias = pool_member("93053", MemberCCAS.Kind.CIAS, EST_ENSEMBLE)
    pool_value(cias, "RSA", 2021, 1257)
    answer = portal.get(
        "/api/v1/comparison/", {"intercommunality": EST_ENSEMBLE, "indicator": "RSA", "year": 2021}
    ).json()
    assert answer["status"] == "secret" and answer.get("value") is None


def test_a_large_remainder_still_shows_the_cias_count(portal):
    pantin = est_ensemble_with_pantin_shown(portal)
    suspend_member(pantin)
    cias = pool_member("93053", MemberCCAS.Kind.CIAS, EST_ENSEMBLE)
    pool_value(cias, "RSA", 2021, 1450)  # 200 households left: nothing to hide
    assert (EST_ENSEMBLE, "RSA", 2021) not in hidden_intercommunal_counts()


def test_an_arrondissement_code_leads_to_its_citys_pages(portal):
    portrait = portal.get("/indicateurs/communes/75111/", {"annee": "2021"})
    assert portrait.status_code == 302
    assert portrait["Location"] == "/indicateurs/communes/75056/?annee=2021"
    assert portal.get(portrait["Location"]).status_code == 200
    compared = portal.get("/indicateurs/communes/75111/TP60/")
    assert compared.status_code == 302
    assert compared["Location"] == "/indicateurs/communes/75056/TP60/"
    assert portal.get("/indicateurs/communes/99999/").status_code == 404
