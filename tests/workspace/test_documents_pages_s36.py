"""Session 36 (audit A18 #1): the « Documents » page by pages of 50.

With 2,000 documents the page was 1.4 MB of HTML and 1.6 s: every document was read, sorted by
category in Python and rendered, with a stat() of its file for each row. Now a page of 50,
filtered by category in PostgreSQL; the counts per category are the database's, not the page's;
the category stays in the page links; a page out of range shows the last one."""

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from tenants.models import Membership
from tenants.workspace.models import Document
from tests.conftest import make_person, member_client, plain

pytestmark = pytest.mark.django_db

BUDGET, BOARD = Document.Category.BUDGET, Document.Category.BOARD
FIRST_DAY = date(2024, 12, 31)


def file_documents(member, prefix: str, category: str, count: int, start: int = 0) -> None:
    """`count` documents with a real small file each, dated one day apart (the newest first)."""
    with schema_context(member.schema_name):
        for i in range(start, start + count):
            document = Document(
                title=f"{prefix} {i:03d}", category=category, document_date=FIRST_DAY - timedelta(i)
            )
            document.file.save(f"{prefix.lower()}-{i}.txt", ContentFile(b"ok"), save=False)
            document.save()


@pytest.fixture
def filed(two_members):
    """Bondy: 110 budget documents and 10 of the board; Montreuil, cloned from the same template
    (its primary keys collide with Bondy's): 130 budget documents of its own."""
    bondy, montreuil = two_members
    file_documents(bondy, "Conseil", BOARD, 10)
    file_documents(bondy, "Budget", BUDGET, 110)
    file_documents(montreuil, "Montreuil", BUDGET, 130)
    director = make_person(bondy, "direction@bondy.test", Membership.Role.DIRECTOR)
    return member_client(bondy, director)


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def titles(soup) -> list[str]:
    return [row.th.a.get_text() for row in soup.select("table.documents tbody tr")]


def pages_nav(soup):
    return soup.find("nav", attrs={"aria-label": "Pagination"})


def category_counts(soup) -> list[str]:
    nav = soup.find("nav", attrs={"aria-label": "Catégories de documents"})
    return [plain(a.get_text()) for a in nav.find_all("a")]


COUNTS = [
    "Toutes les catégories (120)",
    "Conseil d'administration (délibérations, procès-verbaux) (10)",
    "Budget et finances (110)",
]


def test_a_category_by_pages_of_fifty_with_the_category_kept(filed):
    page_1 = soup_of(filed.get("/documents/", {"categorie": BUDGET}))
    assert titles(page_1) == [f"Budget {i:03d}" for i in range(50)]
    nav = pages_nav(page_1)
    assert plain(nav.find(attrs={"aria-current": "page"}).get_text()) == "Page 1 sur 3"
    next_link = nav.find("a", rel="next")["href"]
    assert "categorie=budget" in next_link and "page=2" in next_link

    page_2 = soup_of(
        filed.get(next_link if next_link.startswith("/") else "/documents/" + next_link)
    )
    assert titles(page_2) == [f"Budget {i:03d}" for i in range(50, 100)]
    assert "– page 2 sur 3" in plain(page_2.title.get_text())
    page_3 = soup_of(filed.get("/documents/", {"categorie": BUDGET, "page": 3}))
    assert titles(page_3) == [f"Budget {i:03d}" for i in range(100, 110)]
    previous = pages_nav(page_3).find("a", rel="prev")["href"]
    assert "categorie=budget" in previous and "page=2" in previous
    # The counts are the space's, on every page, whatever the page shows.
    for soup in (page_1, page_2, page_3):
        assert category_counts(soup) == COUNTS
        assert not any("Montreuil" in title for title in titles(soup))


def test_every_category_by_pages_in_the_categories_order(filed):
    page_1 = soup_of(filed.get("/documents/"))
    assert titles(page_1) == [f"Conseil {i:03d}" for i in range(10)] + [
        f"Budget {i:03d}" for i in range(40)
    ]
    assert [h2.get_text() for h2 in page_1.select("section h2")] == [
        "Conseil d'administration (délibérations, procès-verbaux)",
        "Budget et finances",
    ]
    page_2 = soup_of(filed.get("/documents/", {"page": 2}))
    assert titles(page_2) == [f"Budget {i:03d}" for i in range(40, 90)]
    # The section goes on from the previous page, and says so.
    assert [plain(h2.get_text()) for h2 in page_2.select("section h2")] == [
        "Budget et finances (suite)"
    ]
    assert category_counts(page_2) == COUNTS
    assert plain(pages_nav(page_2).find(attrs={"aria-current": "page"}).get_text()) == (
        "Page 2 sur 3"
    )


@pytest.mark.parametrize("asked", ["99", "0", "-1", "99999999999999999999", "deux", "1e9"])
def test_a_page_out_of_range_shows_a_page_not_an_error(filed, asked):
    soup = soup_of(filed.get("/documents/", {"categorie": BUDGET, "page": asked}))
    number = 1 if asked in ("deux", "1e9") else 3
    assert plain(pages_nav(soup).find(attrs={"aria-current": "page"}).get_text()) == (
        f"Page {number} sur 3"
    )


def test_a_page_costs_the_same_queries_and_stats_whatever_the_documents(
    two_members, filed, monkeypatch
):
    bondy, _montreuil = two_members
    storage_class = type(Document._meta.get_field("file").storage)
    real_size = storage_class.size
    sizes = []

    def counted_size(storage, name):
        sizes.append(name)
        return real_size(storage, name)

    monkeypatch.setattr(storage_class, "size", counted_size)

    def cost() -> tuple[int, int, int]:
        sizes.clear()
        with CaptureQueriesContext(connection) as queries:
            response = filed.get("/documents/", {"page": 2})
        return len(queries), len(sizes), len(response.content)

    before = cost()
    file_documents(bondy, "Budget", BUDGET, 60, start=110)
    after = cost()
    assert before[:2] == after[:2]
    assert before[1] <= 50  # one stat for each row shown, not for each document of the space
    assert after[2] < before[2] * 1.1


def test_an_upload_leads_to_the_page_that_shows_it(two_members, filed):
    bondy, _montreuil = two_members
    response = filed.post(
        "/documents/?categorie=budget&page=2",
        {
            "title": "Budget ancien",
            "category": BUDGET,
            "document_date": "2024-09-15",  # between Budget 106 and Budget 107
            "file": SimpleUploadedFile("ancien.txt", b"ok"),
        },
    )
    with schema_context(bondy.schema_name):
        document = Document.objects.get(title="Budget ancien")
    assert response.status_code == 302
    assert response["Location"] == f"/documents/?categorie=budget&page=3#document-{document.pk}"
    shown = soup_of(filed.get(response["Location"]))
    assert "Budget ancien" in titles(shown)
