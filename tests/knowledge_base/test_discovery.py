"""Finding content: listings with filters in the URL, French search, feeds, API."""

import datetime
import xml.etree.ElementTree as ET

import feedparser
import pytest
from wagtail.models import PageViewRestriction

from tests.knowledge_base.conftest import make_experience, make_guide

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(kb_tree, two_members):
    guides, experiences = kb_tree
    bondy, montreuil = two_members
    make_guide(
        guides,
        "Ouvrir une épicerie solidaire",
        summary="Les étapes pour ouvrir une épicerie sociale et solidaire.",
        themes=["aide-alimentaire-et-epicerie-solidaire"],
        audiences=["elus", "directeurs"],
    )
    make_guide(
        guides,
        "Trouver un logement d'urgence",
        summary="Le logement et l'hébergement d'urgence : qui appeler.",
        themes=["logement-et-hebergement", "acces-aux-droits"],
        audiences=["agents"],
    )
    make_guide(
        guides,
        "Composer le conseil d'administration",
        summary="Élus et nommés : la composition du conseil.",
        themes=["gouvernance-du-ccas", "acces-aux-droits"],
        audiences=["elus"],
    )
    make_experience(
        experiences,
        bondy,
        "Un frigo solidaire à Bondy",
        summary="Un réfrigérateur partagé devant le CCAS.",
        themes=["aide-alimentaire-et-epicerie-solidaire"],
    )
    make_experience(
        experiences,
        montreuil,
        "Des logements passerelles à Montreuil",
        summary="Des logements temporaires pour les familles.",
        themes=["logement-et-hebergement"],
    )
    return guides, experiences


def titles(html: str) -> set[str]:
    import re

    return {
        t.replace("&#x27;", "'") for t in re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html)
    }


def test_listing_filters_live_in_the_url(content, portal):
    everything = titles(portal.get("/guides/").content.decode())
    assert everything == {
        "Ouvrir une épicerie solidaire",
        "Trouver un logement d'urgence",
        "Composer le conseil d'administration",
    }
    any_of = "/guides/?theme=logement-et-hebergement&theme=gouvernance-du-ccas&match=any"
    assert titles(portal.get(any_of).content.decode()) == {
        "Trouver un logement d'urgence",
        "Composer le conseil d'administration",
    }
    all_of = "/guides/?theme=logement-et-hebergement&theme=acces-aux-droits&match=all"
    assert titles(portal.get(all_of).content.decode()) == {"Trouver un logement d'urgence"}
    assert titles(portal.get("/guides/?audience=elus").content.decode()) == {
        "Ouvrir une épicerie solidaire",
        "Composer le conseil d'administration",
    }
    # The form shows the filters that produced the list (so the URL can be shared as is).
    html = portal.get(all_of).content.decode()
    assert 'value="logement-et-hebergement"' in html and "checked" in html
    assert "1 résultat" in html


def test_experience_listing_filters_by_commune_and_departement(content, portal):
    assert titles(portal.get("/experiences/?commune=BONDY").content.decode()) == {
        "Un frigo solidaire à Bondy"
    }
    assert titles(portal.get("/experiences/?commune=93048").content.decode()) == {
        "Des logements passerelles à Montreuil"
    }
    assert len(titles(portal.get("/experiences/?departement=93").content.decode())) == 2
    unknown = portal.get("/experiences/?commune=Zzyzx-sur-Mer").content.decode()
    assert "Commune inconnue" in unknown or "ambiguë ou inconnue" in unknown
    assert 'value="Zzyzx-sur-Mer"' in unknown  # kept as typed


def test_listing_sort_and_pagination(content, portal, settings):
    settings.KB_LISTING_PAGE_SIZE = 2
    first = portal.get("/guides/?sort=date").content.decode()
    assert list(titles(first)) and "Page 1 sur 2" in first
    assert 'href="?sort=date&amp;page=2"' in first
    second = titles(portal.get("/guides/?sort=date&page=2").content.decode())
    assert len(second) == 1 and not second & titles(first)
    by_relevance = portal.get(
        "/guides/?theme=acces-aux-droits&theme=gouvernance-du-ccas&sort=pertinence"
    ).content.decode()
    assert by_relevance.index("Composer le conseil") < by_relevance.index("Trouver un logement")


def test_search_in_french_ignores_plural_and_accents(content, portal):
    html = portal.get("/recherche/?q=logements").content.decode()
    assert "Trouver un logement d&#x27;urgence" in html
    assert "Des logements passerelles à Montreuil" in html
    assert "<mark>logement</mark>" in html  # snippet highlights the stemmed word
    assert "Guide pratique" in html and "Fiche d&#x27;expérience" in html  # page types
    html = portal.get("/recherche/?q=epicerie").content.decode()
    assert "Ouvrir une épicerie solidaire" in html
    assert "<mark>épicerie</mark>" in html
    assert "Trouver un logement" not in html


def test_search_handles_empty_and_odd_queries(content, portal):
    assert "Saisissez un ou plusieurs mots" in portal.get("/recherche/?q=").content.decode()
    assert portal.get("/recherche/").status_code == 200
    for odd in ("&&&", "' OR 1=1 --", "<script>alert(1)</script>", "é" * 500, '"logement', "-"):
        response = portal.get("/recherche/", {"q": odd})
        assert response.status_code == 200, odd
        assert "<script>alert" not in response.content.decode()
    assert "200 premiers caractères" in portal.get("/recherche/", {"q": "a" * 300}).content.decode()
    assert "Aucun résultat" in portal.get("/recherche/?q=xylophone").content.decode()


def test_search_skips_restricted_and_draft_pages(content, portal):
    guides, _ = content
    hidden = make_guide(guides, "Logement des agents", summary="Réservé.")
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    make_guide(guides, "Logement brouillon", summary="Pas publié.", live=False)
    html = portal.get("/recherche/?q=logement").content.decode()
    assert "Logement des agents" not in html and "Logement brouillon" not in html


def test_feeds_parse_and_list_new_and_updated_pages(content, portal):
    rss = portal.get("/flux/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    ET.fromstring(rss.content)  # well-formed XML
    feed = feedparser.parse(rss.content)
    assert not feed.bozo
    entries = {entry.title: entry for entry in feed.entries}
    assert len(entries) == 5
    guide = entries["Ouvrir une épicerie solidaire (guide pratique)"]
    assert guide.link == "http://localhost/guides/ouvrir-une-epicerie-solidaire/"
    assert guide.summary.startswith("Les étapes")
    assert "Un frigo solidaire à Bondy (fiche d'expérience)" in entries

    atom = feedparser.parse(portal.get("/flux/atom/").content)
    assert atom.version == "atom10" and len(atom.entries) == 5
    assert all(entry.updated_parsed for entry in atom.entries)
    themed = feedparser.parse(portal.get("/flux/atom/?theme=logement-et-hebergement").content)
    assert {e.title for e in themed.entries} == {
        "Trouver un logement d'urgence (guide pratique)",
        "Des logements passerelles à Montreuil (fiche d'expérience)",
    }


def test_feed_shows_updates_first(content, portal):
    guides, _ = content
    from knowledge_base.models import GuidePage

    page = GuidePage.objects.get(title="Trouver un logement d'urgence")
    page.summary = "Mis à jour."
    page.save_revision().publish()
    first = feedparser.parse(portal.get("/flux/rss/").content).entries[0]
    assert first.title.startswith("Trouver un logement") and first.summary == "Mis à jour."


def test_api_lists_published_public_pages_with_filters(content, portal):
    guides, _ = content
    hidden = make_guide(guides, "Guide réservé", themes=["acces-aux-droits"])
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    data = portal.get("/api/v1/guides/").json()
    assert data["count"] == 3
    item = next(r for r in data["results"] if r["title"] == "Ouvrir une épicerie solidaire")
    assert item["url"].endswith("://localhost/guides/ouvrir-une-epicerie-solidaire/")
    assert item["summary"].startswith("Les étapes")
    assert item["themes"] == [
        {
            "slug": "aide-alimentaire-et-epicerie-solidaire",
            "name": "Aide alimentaire et épicerie solidaire",
        }
    ]
    assert item["first_published_at"] and item["last_published_at"]
    assert item["last_reviewed"] == datetime.date.today().isoformat()
    by_theme = portal.get("/api/v1/guides/?theme=acces-aux-droits").json()
    assert {r["title"] for r in by_theme["results"]} == {
        "Trouver un logement d'urgence",
        "Composer le conseil d'administration",
    }
    assert portal.get("/api/v1/guides/?audience=agents").json()["count"] == 1
    assert [r["title"] for r in portal.get("/api/v1/guides/?q=logements").json()["results"]] == [
        "Trouver un logement d'urgence"
    ]
    experiences = portal.get("/api/v1/experiences/?q=epicerie solidaire").json()
    # Found through its theme's name ("Aide alimentaire et épicerie solidaire").
    assert [r["title"] for r in experiences["results"]] == ["Un frigo solidaire à Bondy"]
    frigo = portal.get("/api/v1/experiences/?theme=aide-alimentaire-et-epicerie-solidaire").json()
    assert [r["commune"]["nom"] for r in frigo["results"]] == ["Bondy"]
    bad = portal.get("/api/v1/guides/?theme=inconnu&audience=robots")
    assert bad.status_code == 400 and "theme" in bad.json() and "audience" in bad.json()


def test_search_covers_pages_of_other_apps_with_their_type(content, portal):
    """Seminar proceedings are another app's pages: any page type with search fields is found,
    labelled with its own verbose name, with a snippet from its text."""
    from union.models import HomePage

    home = HomePage.objects.get()
    home.search_description = "L'union départementale fédère les CCAS du département."
    home.save_revision().publish()
    html = portal.get("/recherche/?q=union departementale").content.decode()
    assert "Page d&#x27;accueil" in html  # its own type, not ours
    assert "<mark>départementale</mark>" in html


def test_listing_feed_and_api_query_counts_do_not_grow_with_results(
    content, portal, django_assert_max_num_queries
):
    guides, _ = content
    for number in range(8):
        make_guide(guides, f"Guide supplémentaire {number}", themes=["sante", "numerique"])
    # Fixed costs only (routing, restrictions, count, one page, one prefetch per relation).
    for path, budget in (
        ("/guides/?theme=sante", 16),
        ("/experiences/?departement=93", 18),
        ("/flux/rss/", 14),
        ("/api/v1/guides/?theme=sante", 14),
    ):
        with django_assert_max_num_queries(budget):
            assert portal.get(path).status_code == 200
