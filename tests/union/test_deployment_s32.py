"""What following README « Déployer » on a PostgreSQL cluster of its own found (session 32's
documentation audit): a new installation had no /guides/, /experiences/ nor /evenements/ page
though the menu links to them, and Wagtail's site stayed at http://localhost, the address of
« Voir la page » in approval e-mails and of the RSS feeds' guids."""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Site

from knowledge_base.models import ExperienceIndexPage, GuideIndexPage
from seminars.models import SeminarIndexPage
from tests.seminars.test_api import post_json
from tests.union.test_review_s27_operations import no_migrations  # noqa: F401 (fixture)
from union.models import HomePage

pytestmark = pytest.mark.django_db

SECTIONS = {
    "/guides/": GuideIndexPage,
    "/experiences/": ExperienceIndexPage,
    "/evenements/": SeminarIndexPage,
}


@pytest.fixture
def only_migrated(db):
    """A database only migrated: no section page. Browser tests commit an events' index page
    (tests.seminars.conftest.make_index) that a later test of their worker may find; removed in
    this test's transaction, so rolled back after it."""
    for model in SECTIONS.values():
        for page in model.objects.all():
            page.delete()


def setup_platform() -> str:
    out = StringIO()
    call_command("setup_platform", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_new_installation_has_the_sections_the_menu_links_to(
    portal,
    only_migrated,
    no_migrations,  # noqa: F811
):
    for path in SECTIONS:
        assert portal.get(path).status_code == 404  # a database only migrated
    assert "Plateforme prête." in setup_platform()
    setup_platform()  # at every deployment: nothing twice
    for path, model in SECTIONS.items():
        assert portal.get(path).status_code == 200, path
        (page,) = model.objects.live()
        assert page.get_parent().specific_class is HomePage


def test_an_organiser_creates_an_event_on_a_new_installation(
    only_migrated,
    staff_api,
    no_migrations,  # noqa: F811
):
    body = {
        "title": "Commission sociale",
        "kind": "commission",
        "start": "2027-03-04T09:30:00+01:00",
        "end": "2027-03-04T12:00:00+01:00",
        "venue": "Maison des associations",
        "seats": 30,
    }
    refused = post_json(staff_api, "/api/v1/seminars/", body)
    assert refused.status_code == 400
    # One sentence, as every `detail` (docs/api.md), not a list.
    assert refused.json() == {
        "detail": "Aucune page «\u00a0Séminaires et ateliers\u00a0» n'existe encore."
    }
    setup_platform()
    assert post_json(staff_api, "/api/v1/seminars/", body).status_code == 201


def test_wagtails_site_is_moved_to_the_address_people_use(settings, no_migrations):  # noqa: F811
    settings.WAGTAILADMIN_BASE_URL = "https://udccas93.example.fr"
    # What page.full_url is built from (cached by Wagtail, read before the change).
    assert [path.root_url for path in Site.get_site_root_paths()] == ["http://localhost"]
    setup_platform()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("udccas93.example.fr", 443)
    assert [path.root_url for path in Site.get_site_root_paths()] == ["https://udccas93.example.fr"]

    # An address the administrator chose (Paramètres › Sites) is kept.
    Site.objects.update(hostname="portail.udccas93.fr", port=443)
    setup_platform()
    assert Site.objects.get().hostname == "portail.udccas93.fr"
