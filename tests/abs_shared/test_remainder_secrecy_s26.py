"""A CIAS's count minus the counts shown for its communes gives the count of the communes
without a member CCAS: 1257 RSA households in Est Ensemble, minus Bondy 500, Montreuil 700 and
Pantin 50, leaves 7 in the others together (one commune's count when one is left). Such a
remainder below the secrecy threshold hides the CIAS's count wherever it would appear, as a
commune's own secret already did (test_cias_counts_and_choices)."""

import pytest

from abs_shared.comparisons import hidden_intercommunal_counts
from tests.abs_shared.conftest import pool_member, pool_value
from tests.abs_shared.test_cias_counts_and_choices import (
    CIAS,
    CIAS_PAGES,
    COMMUNES_EXPORT,
    EST_ENSEMBLE,
    XLSX_PAGES,
    assert_secret_in_the_api_for_2021_only,
    shown_texts,
)

pytestmark = pytest.mark.django_db


def publish_rsa(cias_count: int) -> None:
    """RSA households 2021: Bondy 500, Montreuil 700, Pantin 50 (none secret), and the CIAS of
    Est Ensemble `cias_count` (and 1100 in 2020, when no commune published)."""
    pool_value(pool_member("93010"), "RSA", 2021, 500)
    pool_value(pool_member("93048"), "RSA", 2021, 700)
    pool_value(pool_member("93055"), "RSA", 2021, 50)
    cias = pool_member("93053", CIAS, EST_ENSEMBLE)
    pool_value(cias, "RSA", 2021, cias_count)
    pool_value(cias, "RSA", 2020, 1100)


def test_a_cias_count_leaving_a_small_remainder_appears_nowhere(portal, tmp_path):
    publish_rsa(1257)
    for text in shown_texts(portal, tmp_path):
        assert "1257" not in text
    assert_secret_in_the_api_for_2021_only(portal)


@pytest.mark.parametrize(
    ("cias_count", "hidden"),
    [(1251, True), (1260, True), (1261, False), (1250, False), (1207, False)],
)
def test_only_a_remainder_between_one_and_ten_hides_the_count(cias_count, hidden):
    """1251..1260 leave 1 to 10; 1261 leaves 11 (the threshold); 1250 leaves none, and 1207 less
    than none (the sources differ): neither reveals a count."""
    publish_rsa(cias_count)
    assert ((EST_ENSEMBLE, "RSA", 2021) in hidden_intercommunal_counts()) is hidden
    assert (EST_ENSEMBLE, "RSA", 2020) not in hidden_intercommunal_counts()


def test_a_cias_count_leaving_a_large_remainder_is_shown(portal, tmp_path):
    publish_rsa(1300)
    texts = shown_texts(portal, tmp_path)
    for url, text in zip(CIAS_PAGES + XLSX_PAGES, texts, strict=True):
        assert ("1300" in text) == (url != COMMUNES_EXPORT), url
