"""The domiciliation report leads to the union's guides on domiciliation (audit A20, left in
session 36's notes): a director preparing the préfet's report finds the union's method beside
the figures. Real PostgreSQL (the portal's pages read from a member's host), real HTTP."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from knowledge_base.models import Theme
from tests.knowledge_base.conftest import ensure_index_pages, make_guide

pytestmark = pytest.mark.django_db


@pytest.fixture
def guides(db):
    return ensure_index_pages()[0]


def guides_section(client) -> BeautifulSoup:
    response = client.get("/activite/domiciliation/?annee=2025")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return soup.find("section", attrs={"aria-labelledby": "guides-domiciliation"})


def test_the_report_lists_the_public_guides_on_domiciliation_with_portal_links(
    guides, bondy, clients
):
    make_guide(guides, "Mettre en place la domiciliation", themes=["domiciliation"])
    make_guide(guides, "Conduire une ABS", themes=["abs-et-observation-sociale"])
    private = make_guide(guides, "Domiciliation : notes internes", themes=["domiciliation"])
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    make_guide(guides, "Brouillon domiciliation", themes=["domiciliation"], live=False)

    section = guides_section(clients["viewer"])
    links = {a.get_text(strip=True): a["href"] for a in section.find_all("a")}
    assert links["Mettre en place la domiciliation"] == (
        "http://localhost/guides/mettre-en-place-la-domiciliation/"
    )
    assert not any(
        title in links
        for title in (
            "Conduire une ABS",
            "Domiciliation : notes internes",
            "Brouillon domiciliation",
        )
    )
    theme = Theme.objects.get(slug="domiciliation")
    assert links["Tous les guides du thème « Domiciliation »"] == (
        f"http://localhost/guides/?theme={theme.slug}"
    )


def test_without_a_guide_the_report_still_leads_to_the_theme(guides, bondy, clients):
    section = guides_section(clients["viewer"])
    (link,) = section.find_all("a")
    assert link["href"] == "http://localhost/guides/?theme=domiciliation"
