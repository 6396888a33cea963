"""The public search shows the union's search promotions (« Accès direct ») above its results:
the demo promotes the ABS comparisons (/indicateurs/, Django views outside the page tree) for
« ABS », « analyse des besoins sociaux » and « indicateurs »; a promoted page shows only while
the visitor may read it; a search never writes. Real HTTP through the test client."""

import io

import pytest
from bs4 import BeautifulSoup
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from knowledge_base import demo
from tests.knowledge_base.conftest import make_guide

pytestmark = pytest.mark.django_db


def ensure_abs_promotions(base_url: str) -> int:
    from knowledge_base.search import ensure_abs_promotions as ensure

    return ensure(base_url)


def search(portal, words: str) -> BeautifulSoup:
    response = portal.get("/recherche/", {"q": words})
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def direct_access(soup) -> list[tuple[str, str]]:
    section = soup.find("section", attrs={"aria-labelledby": "kb-promoted"})
    if section is None:
        return []
    assert section.find(id="kb-promoted").get_text(strip=True) == "Accès direct"
    return [(link.get_text(strip=True), link["href"]) for link in section.find_all("a")]


ABS = ("Indicateurs de l'analyse des besoins sociaux (ABS)", "http://localhost/indicateurs/")


@pytest.mark.parametrize("words", ["ABS", "abs", "Analyse des besoins  sociaux", "indicateurs"])
def test_the_abs_comparisons_are_reached_from_the_search(kb_tree, portal, words):
    ensure_abs_promotions("http://localhost")
    soup = search(portal, words)
    assert direct_access(soup) == [ABS]
    # Above the results.
    promoted = soup.find("section", attrs={"aria-labelledby": "kb-promoted"})
    results = soup.find("section", attrs={"aria-labelledby": "kb-results"})
    assert promoted.find_all_next("section").count(results) == 1
    assert "portrait de chaque commune" in promoted.get_text()


def test_the_demo_creates_the_promotions_once(
    two_members, portal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(io.StringIO())
        demo.load(io.StringIO())  # idempotent
    promotions = SearchPromotion.objects.select_related("query")
    assert sorted(p.query.query_string for p in promotions) == [
        "abs",
        "analyse des besoins sociaux",
        "indicateurs",
    ]
    assert {p.external_link_url for p in promotions} == {"http://localhost/indicateurs/"}
    assert direct_access(search(portal, "ABS")) == [ABS]


def test_a_promotion_the_union_removed_is_not_made_again(kb_tree):
    ensure_abs_promotions("http://localhost")
    SearchPromotion.objects.filter(query__query_string="indicateurs").delete()
    Query.objects.filter(query_string="indicateurs").delete()
    assert ensure_abs_promotions("http://localhost") == 1  # the query is gone: made again
    SearchPromotion.objects.filter(query__query_string="abs").update(external_link_text="ABS")
    assert ensure_abs_promotions("http://localhost") == 0
    assert SearchPromotion.objects.get(query__query_string="abs").external_link_text == "ABS"


def test_a_promoted_page_shows_only_to_those_who_may_read_it(kb_tree, portal):
    guides, _ = kb_tree
    public = make_guide(guides, "Conduire une ABS")
    private = make_guide(guides, "Partager les résultats")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    draft = make_guide(guides, "Brouillon", live=False)
    query = Query.get("diagnostic")
    for order, page in enumerate((private, draft, public)):
        SearchPromotion.objects.create(query=query, page=page, sort_order=order)
    assert direct_access(search(portal, "Diagnostic")) == [
        ("Conduire une ABS", "/guides/conduire-une-abs/")
    ]
    # A search only reads: Wagtail's own tag would record every query typed.
    assert direct_access(search(portal, "domiciliation")) == []
    # (Other tests of the session may have left the demo's promotions' queries: look for this one.)
    assert not Query.objects.filter(query_string="domiciliation").exists()
