"""Session 36 (audit A18 #4): the admin's « Membres de l'union » by pages of 50.

The list loaded every member with its figures and filtered `?q=` in Python (`found_by`): 300 KB
for 300 members. Now pages of 50, the search and the filters kept in the page links; the
search (accents, case, hyphens, « St », INSEE code) finds the same members as `found_by`, on
every page."""

import pytest
from bs4 import BeautifulSoup

from tenants.matching import found_by
from tenants.models import Commune, MemberCCAS
from tests.conftest import make_member, plain

pytestmark = pytest.mark.django_db


@pytest.fixture
def sixty(db):
    """60 CCAS onboarded the real way: the 93's communes, then the first ones of the 94; and the
    CIAS of Est Ensemble (seated in Bondy)."""
    codes = list(
        Commune.objects.filter(departement_id__in=("93", "94"), current=True)
        .order_by("code")
        .values_list("code", flat=True)[:60]
    )
    members = [make_member(code) for code in codes]
    members.append(make_member("93010", kind=MemberCCAS.Kind.CIAS))
    return members


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def names(soup) -> list[str]:
    return [row.th.a.get_text() for row in soup.select("table.listing tbody tr") if row.th]


def pages_nav(soup):
    return soup.find("nav", attrs={"aria-label": "Pagination"})


def current_page(soup) -> str:
    return plain(pages_nav(soup).find(attrs={"aria-current": "page"}).get_text())


def listed_order(members) -> list[str]:
    by_place = sorted(members, key=lambda m: (m.commune.nom, m.name))
    return [member.name for member in by_place]


def test_pages_of_fifty_with_the_search_and_filters_kept(admin, sixty):
    everyone = listed_order(sixty)
    page_1 = soup_of(admin.get("/admin/membres/"))
    assert names(page_1) == everyone[:50]
    assert plain(page_1.select_one("table.listing caption").get_text()).startswith("61 membres")
    assert current_page(page_1) == "Page 1 sur 2"
    assert plain(page_1.title.get_text()).startswith("Membres de l'union – page 1 sur 2")
    page_2 = soup_of(admin.get("/admin/membres/", {"page": 2}))
    assert names(page_2) == everyone[50:]
    assert plain(page_2.select_one("table.listing caption").get_text()).startswith("61 membres")

    # « ccas » finds the 60 CCAS, not the CIAS: two pages, the search and the status kept.
    ccas = [name for name in everyone if name.startswith("CCAS")]
    page_1 = soup_of(admin.get("/admin/membres/", {"q": "ccas", "statut": "active"}))
    assert plain(page_1.select_one("table.listing caption").get_text()) == (
        "60 membres (actifs, recherche « ccas »), page 1 sur 2"
    )
    following = pages_nav(page_1).find("a", rel="next")["href"]
    assert "q=ccas" in following and "statut=active" in following and "page=2" in following
    page_2 = soup_of(admin.get("/admin/membres/" + following))
    assert names(page_2) == ccas[50:]
    assert "page=1" in pages_nav(page_2).find("a", rel="prev")["href"]

    # A page out of range: the last one, not an error.
    assert current_page(soup_of(admin.get("/admin/membres/", {"page": 40}))) == "Page 2 sur 2"
    assert current_page(soup_of(admin.get("/admin/membres/", {"page": "x"}))) == "Page 1 sur 2"


def test_the_search_is_the_databases_with_or_without_accents(admin, sixty, monkeypatch):
    everyone = listed_order(sixty)
    for typed in (
        "epinay",
        "Épinay",
        "ÉPINAY-sur-seine",
        "st denis",
        "Saint-Denis",
        "ile st denis",
        "L'Île",
        "est-ensemble",
        "Est Ensemble",
        "93010",
        "fontenay sous bois",
        "Fontenay-sous-Bois",
        "pré",
        "pre saint gervais",
        "%",
        "-",
    ):
        expected = [
            member.name
            for member in sorted(sixty, key=lambda m: (m.commune.nom, m.name))
            if found_by(member, typed)
        ]
        shown = names(soup_of(admin.get("/admin/membres/", {"q": typed})))
        assert shown == expected, typed
    assert names(soup_of(admin.get("/admin/membres/", {"q": "Épinay"}))) == [
        "CCAS d'Épinay-sur-Seine"
    ]
    assert "CIAS Est Ensemble" in " ".join(
        names(soup_of(admin.get("/admin/membres/", {"q": "est ensemble"})))
    )

    # Across pages (pages of 3 here): « saint » and « St » page the same members.
    monkeypatch.setattr("tenants.admin_views.MEMBERS_PAGE_SIZE", 3)
    saints = [name for name in everyone if "Saint" in name]
    assert len(saints) > 3
    for typed in ("saint", "St", "SAÏNT"):
        seen, link = [], f"?q={typed}"
        while link:
            soup = soup_of(admin.get("/admin/membres/" + link))
            seen += names(soup)
            following = pages_nav(soup).find("a", rel="next")
            link = following["href"] if following else ""
        assert seen == saints, typed
