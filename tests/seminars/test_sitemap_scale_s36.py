"""Session 36 (audit A18 #2, ten years of events): /sitemap.xml read each proceedings page's
event in two queries; the listed events are now read once per request, so the sitemap's query
count does not grow with the proceedings, and an invitation-only event's proceedings stay out."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seminars.links import page_path
from seminars.models import Visibility
from tests.seminars.conftest import make_seminar
from tests.seminars.test_proceedings import make_proceedings
from tests.union.test_discovery_s33 import sitemap_paths

pytestmark = pytest.mark.django_db


def sitemap_queries(portal) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert portal.get("/sitemap.xml").status_code == 200
    return len(queries)


def test_the_sitemaps_queries_do_not_grow_with_the_proceedings(portal):
    first = make_proceedings(make_seminar("Séminaire 1", days_ahead=-30))
    sitemap_queries(portal)  # the first request fills caches (the site's root paths)
    one = sitemap_queries(portal)
    for number in range(2, 6):
        make_proceedings(make_seminar(f"Séminaire {number}", days_ahead=-30 * number))
    assert sitemap_queries(portal) == one
    hidden = make_proceedings(
        make_seminar("Réunion fermée", days_ahead=-200, visibility=Visibility.INVITATION)
    )
    paths = sitemap_paths(portal)
    assert page_path(first) in paths
    assert page_path(hidden) not in paths
