"""What the portal tells search engines and link previews (/robots.txt, /sitemap.xml, the
description and Open Graph tags, an event's schema.org data), and that a member's space and
what is not public stay out of it."""

import json
import re
from xml.etree import ElementTree

import pytest
from wagtail.models import PageViewRestriction

from knowledge_base.services import ensure_index_pages
from seminars.links import page_path
from seminars.models import Visibility
from seminars.services import cancel_event
from tests.abs_shared.conftest import pool_member, pool_value
from tests.conftest import member_client
from tests.knowledge_base.conftest import make_guide
from tests.seminars.conftest import make_seminar

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

pytestmark = pytest.mark.django_db


def sitemap_paths(portal) -> set[str]:
    response = portal.get("/sitemap.xml")
    assert response.status_code == 200
    tree = ElementTree.fromstring(response.content)
    return {re.sub(r"^https?://[^/]+", "", loc.text) for loc in tree.iter(f"{SITEMAP}loc")}


def test_the_portal_robots_file_keeps_personal_pages_out_and_names_the_sitemap(portal):
    response = portal.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/compte/", "/api/", "/evenements/inscription/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines
    assert lines[-1] == "Sitemap: http://localhost/sitemap.xml"


def test_a_member_space_asks_every_robot_to_stay_out(bondy):
    client = member_client(bondy)
    robots = client.get("/robots.txt")
    assert robots.status_code == 200
    assert robots.content.decode().splitlines() == ["User-agent: *", "Disallow: /"]
    login = client.get("/connexion/").content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in login
    assert "og:" not in login and 'name="description"' not in login


def test_the_sitemap_lists_what_anyone_may_open_and_nothing_else(portal):
    guides, _experiences = ensure_index_pages()
    public_guide = make_guide(guides, "Guide ouvert")
    restricted_guide = make_guide(guides, "Guide réservé")
    PageViewRestriction.objects.create(
        page=restricted_guide, restriction_type=PageViewRestriction.LOGIN
    )
    draft_guide = make_guide(guides, "Guide en brouillon", live=False)
    public_event = make_seminar("Séminaire ouvert")
    members_event = make_seminar("Commission des membres", visibility=Visibility.MEMBERS)
    invitation_event = make_seminar("Réunion sur invitation", visibility=Visibility.INVITATION)

    paths = sitemap_paths(portal)

    assert {page_path(public_guide), page_path(public_event), page_path(members_event)} <= paths
    for hidden in (restricted_guide, draft_guide, invitation_event):
        assert page_path(hidden) not in paths
    assert {"/membres/", "/glossaire/", "/contact/", "/indicateurs/"} <= paths
    assert not any(
        path.startswith(("/admin/", "/compte/", "/evenements/inscription/")) for path in paths
    )


def test_the_sitemap_lists_the_portraits_of_communes_that_published_only(portal):
    bondy = pool_member("93010")
    pool_value(bondy, "POP", 2021, 53000)
    pool_member("93048")  # a member that published nothing

    paths = sitemap_paths(portal)

    assert "/indicateurs/communes/93010/" in paths
    assert "/indicateurs/communes/93048/" not in paths
    assert "/indicateurs/POP/" in paths


def test_a_guide_is_described_for_search_engines_and_link_previews(portal):
    guides, _experiences = ensure_index_pages()
    guide = make_guide(guides, "Ouvrir une épicerie", summary="Public, budget & partenaires.")

    html = portal.get(page_path(guide)).content.decode()

    assert '<meta name="description" content="Public, budget &amp; partenaires.">' in html
    assert html.count('name="description"') == 1
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Ouvrir une épicerie">' in html
    assert f'<meta property="og:url" content="http://localhost{page_path(guide)}">' in html
    assert "noindex" not in html


def test_a_page_without_its_own_summary_gets_the_union_s_description(portal):
    html = portal.get("/contact/").content.decode()
    description = re.search(r'<meta name="description" content="([^"]+)">', html).group(1)
    assert "union départementale des CCAS et CIAS" in description
    assert '<meta property="og:type" content="website">' in html


def event_data(portal, page) -> dict | None:
    html = portal.get(page_path(page)).content.decode()
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1)) if found else None


def test_an_event_gives_its_date_place_and_status_to_search_engines(portal):
    event = make_seminar(
        "Rencontre </script><b>des élus</b>",
        summary="Une journée.",
        venue_address="12 rue de la Paix\r\n93140 Bondy",
    )

    data = event_data(portal, event)

    assert data["@type"] == "Event"
    assert data["name"] == "Rencontre </script><b>des élus</b>"  # escaped in the page, intact here
    assert data["startDate"].endswith(("+01:00", "+02:00"))  # Paris time with its offset
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"] == {
        "@type": "Place",
        "name": "Salle des fêtes",
        "address": "12 rue de la Paix, 93140 Bondy",
    }
    assert data["url"] == f"http://localhost{page_path(event)}"

    cancel_event(event, by=None)
    assert event_data(portal, event)["eventStatus"] == "https://schema.org/EventCancelled"


def test_an_invitation_only_event_gives_search_engines_nothing(portal):
    event = make_seminar("Réunion sur invitation", visibility=Visibility.INVITATION)
    response = portal.get(f"{page_path(event)}?invitation={event.invitation_key}")
    assert response.status_code == 200
    assert "application/ld+json" not in response.content.decode()
