"""Paginated lists through real HTTP: `limit` is capped, bad or huge values are a French 400,
never a 500 (a LIMIT or OFFSET past PostgreSQL's bigint raised a DataError)."""

import pytest

from knowledge_base.services import ensure_index_pages
from tests.knowledge_base.conftest import make_experience, make_guide
from tests.seminars.conftest import make_seminar

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
LISTS = ["/api/v1/seminars/", "/api/v1/members/", "/api/v1/guides/", "/api/v1/experiences/"]


@pytest.fixture
def one_of_each(bondy):
    guides, experiences = ensure_index_pages()
    make_guide(guides, "Un guide")
    make_experience(experiences, bondy, "Une expérience")
    make_seminar()


@pytest.mark.parametrize("url", LISTS)
def test_huge_limit_is_capped(one_of_each, portal, url):
    response = portal.get(url, {"limit": HUGE})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["count"] == 1 and len(data["results"]) == 1
    assert data["next"] is None


@pytest.mark.parametrize("url", LISTS)
def test_huge_or_malformed_offset_is_a_french_400(one_of_each, portal, url):
    for offset in (HUGE, "-1", "abc", "1e3", "9" * 5000):
        response = portal.get(url, {"offset": offset})
        assert response.status_code == 400, (offset, response.content)
        assert "offset" in response.json()
    huge_both = portal.get(url, {"limit": HUGE, "offset": HUGE})
    assert huge_both.status_code == 400


def test_limit_and_offset_still_page(portal, one_of_each):
    make_seminar("Deuxième")
    make_seminar("Troisième")
    first = portal.get("/api/v1/seminars/", {"limit": 2}).json()
    assert first["count"] == 3 and len(first["results"]) == 2 and "offset=2" in first["next"]
    last = portal.get("/api/v1/seminars/", {"limit": 2, "offset": 2}).json()
    assert len(last["results"]) == 1 and last["next"] is None
    past_the_end = portal.get("/api/v1/seminars/", {"offset": 1000})
    assert past_the_end.status_code == 200 and past_the_end.json()["results"] == []
    capped = portal.get("/api/v1/seminars/", {"limit": 500}).json()
    assert len(capped["results"]) == 3
    bad_limit = portal.get("/api/v1/seminars/", {"limit": "beaucoup"})
    assert bad_limit.status_code == 400 and "limit" in bad_limit.json()
    assert "invalide" in bad_limit.json()["limit"][0]
