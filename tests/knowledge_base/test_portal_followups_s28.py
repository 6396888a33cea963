"""Session 28, the public portal: four follow-ups.

1. « 1 500 » typed with its thousands apart (a space, a no-break space) did not find a guide
   writing « 1500 »: the query searched '1' and '500', the guide holds '1500'. A number typed
   with its thousands apart is now read as one number, which also finds its glued form (and
   still its spaced one); « 3 ans », « L123-6 » and « 2024 » mean what they meant. A no-break
   space or a tab typed between two words was dropped, gluing them (« 3ans »): it is a space.
2. The 404 page had no way on but « Retour à l'accueil ». On the portal it now has the site's
   search box (labelled, as on the search page) and links to the home page, the guides and the
   calendar. On a member host, whose URLconf has neither /recherche/ nor /guides/, the same
   relative links would have led to another 404: it leads to the space's home and to the
   portal's pages by their full address (a link, not a form: the member hosts' CSP form-action
   does not allow the portal host).
3. An experience page named its member's commune with a link to the directory (twice: the name
   and « voir le CCAS dans l'annuaire »). The name now leads to the commune's ABS portrait when
   its CCAS published indicators, and is plain text otherwise (an empty portrait is no place
   to send a reader); a CIAS's intercommunality leads to the intercommunality's portrait when
   the CIAS published. One query more for a CCAS, two for a CIAS.
4. A commune whose CCAS is no member (Paris in the demo) had a portrait saying so, and nothing
   else. It now shows its reference territories' values (intercommunality, département, région,
   France), each indicator at its latest year, under a heading and a sentence saying they are
   not the commune's: no commune column, no rank. A member commune that has not published yet
   keeps its « n'a encore publié » alone (its values are to come, and would be compared).
"""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from abs_shared.models import FRANCE_CODE, ReferenceValue
from knowledge_base.query import headline_tsquery, query_words
from tenants.models import MemberCCAS
from tenants.services import portal_urlconf
from tests.abs_shared.conftest import pool_member, pool_value
from tests.conftest import host_client, make_person, member_client, plain
from tests.knowledge_base.conftest import make_experience, make_guide
from tests.knowledge_base.test_review_s27_maire import titles
from tests.seminars.conftest import make_index

pytestmark = pytest.mark.django_db


# --- 1. A number typed with its thousands apart ---------------------------------------------


@pytest.fixture
def number_guides(kb_tree):
    index, _ = kb_tree
    make_guide(
        index,
        "Conduire l'analyse des besoins sociaux",
        summary="Un CCAS de moins de 1500 habitants doit-il faire une ABS\u00a0? Oui, dans les 3 ans.",
    )
    make_guide(
        index,
        "Le budget du CCAS",
        summary="Le conseil vote 1 budget de 500 euros par an, adopté en 2024.",
    )
    make_guide(
        index,
        "Domiciliation",
        summary="L'article L264-1 du code prévoit un délai de 3 mois pour 12\u00a0000 habitants.",
    )
    return index


@pytest.mark.parametrize(
    "typed",
    [
        "CCAS moins de 1 500 habitants",
        "CCAS moins de 1\u00a0500 habitants",
        "CCAS moins de 1\u202f500 habitants",
        "CCAS moins de 1500 habitants",
    ],
)
def test_a_number_typed_with_thousands_apart_finds_it_glued(number_guides, portal, typed):
    html = portal.get("/recherche/", {"q": typed}).content.decode()
    assert titles(html) == ["Conduire l'analyse des besoins sociaux"]
    assert "Aucun résultat ne contient tous les mots" not in html
    snippet = BeautifulSoup(html, "html.parser").select_one(".kb-snippet")
    assert "1500" in [m.get_text() for m in snippet.find_all("mark")]


def test_a_spaced_number_is_no_longer_any_1_and_any_500(number_guides, portal):
    # « 1 budget de 500 euros » holds a 1 and a 500, never the number 1 500.
    html = portal.get("/recherche/", {"q": "1 500"}).content.decode()
    assert titles(html) == ["Conduire l'analyse des besoins sociaux"]
    assert "'1'" not in headline_tsquery("1 500").replace("'1' <-> '500'", "")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12 000 habitants", ["Domiciliation"]),  # written 12 000 (a no-break space)
        ("12000 habitants", ["Domiciliation"]),
        ("L264-1", ["Domiciliation"]),
        ("3 ans", ["Conduire l'analyse des besoins sociaux"]),
        ("3 mois", ["Domiciliation"]),
        ("2024", ["Le budget du CCAS"]),
        ("adopté en 2024", ["Le budget du CCAS"]),
    ],
)
def test_numbers_in_phrases_still_mean_what_they_meant(number_guides, portal, typed, expected):
    html = portal.get("/recherche/", {"q": typed}).content.decode()
    assert titles(html) == expected
    assert "Aucun résultat ne contient tous les mots" not in html


@pytest.mark.parametrize("typed", ["3\u00a0ans", "3\tans", "moins de 1\u00a0500\u00a0habitants"])
def test_a_no_break_space_between_words_is_a_space(number_guides, portal, typed):
    # A no-break space (pasted from a document, or alt+space on a Mac keyboard) glued the words
    # together: « 3ans » found nothing, and the search fell back to any word.
    html = portal.get("/recherche/", {"q": typed}).content.decode()
    assert titles(html) == ["Conduire l'analyse des besoins sociaux"]
    assert "Aucun résultat ne contient tous les mots" not in html
    heading = BeautifulSoup(html, "html.parser").select_one("#kb-results").get_text()
    assert " ".join(typed.split()) in " ".join(heading.split())


def test_what_is_read_as_one_spaced_number():
    assert query_words("1 500 et 12\u00a0000 et 1\u202f000\u202f000") == [
        "1500",
        "et",
        "12000",
        "et",
        "1000000",
    ]
    # Not numbers with thousands apart: a year then a count, a count of years, a decimal.
    assert query_words("en 2024 300 communes") == ["en", "2024", "300", "communes"]
    assert query_words("3 ans") == ["3", "ans"]
    assert query_words("2,5 100") == ["2,5", "100"]
    assert query_words("L123-6 1 500") == ["1500"]
    assert query_words("0 500") == ["0", "500"]


# --- 2. The 404 page --------------------------------------------------------------------------


def not_found_main(client, path="/cette-page-n-existe-pas/"):
    response = client.get(path)
    assert response.status_code == 404, response.status_code
    assert "Page introuvable" in response.content.decode()
    return BeautifulSoup(response.content.decode(), "html.parser").main


@pytest.fixture
def portal_pages(kb_tree):
    make_index()  # the calendar, /evenements/


def test_the_portal_404_has_the_search_box_and_ways_on(portal_pages, portal, settings):
    settings.DEBUG = False
    main = not_found_main(portal)
    form = main.find("form", role="search")
    assert form is not None and form["action"] == "/recherche/" and form["method"] == "get"
    field = form.find("input", attrs={"name": "q"})
    label = form.find("label", attrs={"for": field["id"]})
    assert label is not None and label.get_text(strip=True) == "Rechercher sur le site"
    assert form.find("button", type="submit").get_text(strip=True) == "Rechercher"
    links = {a["href"]: plain(a.get_text()) for a in main.find_all("a")}
    assert links == {
        "/": "Page d'accueil",
        "/guides/": "Guides pratiques",
        "/evenements/": "Calendrier des séminaires et ateliers",
    }
    for href in links:  # each leads somewhere
        assert portal.get(href).status_code == 200, href
    # The box searches.
    assert portal.get(form["action"], {"q": "domiciliation"}).status_code == 200
    # A 404 deeper in the page tree too (Wagtail's serve raises it).
    assert not_found_main(portal, "/guides/ce-guide-n-existe-pas/").find("form", role="search")


def test_a_member_host_404_leads_to_the_space_and_to_the_portal_by_full_address(
    portal_pages, bondy, settings
):
    settings.DEBUG = False
    client = member_client(bondy, make_person(bondy, "dir@bondy.test"))
    main = not_found_main(client)
    # The portal's search box goes to the portal by its full address (the member URLconf has no
    # /recherche/; the CSP's form-action names the portal's host: test_member_404_search_s30).
    assert main.find("form")["action"] == "http://localhost/recherche/"
    links = {a["href"]: plain(a.get_text()) for a in main.find_all("a")}
    assert links == {
        "/": "Tableau de bord de votre espace",
        "http://localhost/guides/": "Guides pratiques",
        "http://localhost/evenements/": "Calendrier des séminaires et ateliers",
    }
    assert client.get("/").status_code == 200  # the space's home, on this host
    for href in links:
        if href.startswith("http://localhost/"):
            path = href.removeprefix("http://localhost")
            assert client.get(path).status_code == 404  # what a relative link would have met
            assert host_client("localhost").get(path).status_code == 200, href


# --- 3. An experience page's commune and its ABS portrait ------------------------------------

GRAND_PARIS_GRAND_EST = "200058790"  # EPT; its CIAS seated in Noisy-le-Grand (93051)


def facts(client, page):
    with portal_urlconf():
        url = page.url
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    dl = BeautifulSoup(response.content.decode(), "html.parser").select_one("dl.kb-facts")
    pooled = [q for q in queries.captured_queries if "abs_shared_publishedvalue" in q["sql"]]
    return dl, len(queries.captured_queries), len(pooled)


def test_an_experience_links_its_commune_to_its_portrait_when_it_published(kb_tree, portal):
    _, experiences = kb_tree
    bondy = pool_member("93010")
    pool_value(bondy, "TP60", 2021, 20)
    montreuil = pool_member("93048")  # a member, nothing published
    published = make_experience(experiences, bondy, "Une épicerie solidaire")
    unpublished = make_experience(experiences, montreuil, "Un jardin partagé")

    dl, total, pooled = facts(portal, published)
    link = dl.find("a", href="/indicateurs/communes/93010/")
    # Read alone (a screen reader's list of links), it says where it leads.
    assert link is not None and plain(link.get_text()) == "Bondy, portrait ABS de la commune"
    assert link.find(class_="visually-hidden").get_text() == ", portrait ABS de la commune"
    assert pooled == 1
    assert portal.get("/indicateurs/communes/93010/").status_code == 200

    dl, total_without, pooled = facts(portal, unpublished)
    assert dl.find("a", href="/indicateurs/communes/93048/") is None
    assert "Montreuil" in dl.get_text()
    # The directory link stays, once; the commune's name is no longer a second one.
    assert [a.get_text() for a in dl.find_all("a")] == ["voir le CCAS dans l'annuaire des membres"]
    assert pooled == 1 and total_without == total


def test_a_cias_experience_links_its_intercommunality_when_the_cias_published(kb_tree, portal):
    _, experiences = kb_tree
    cias = pool_member("93051", MemberCCAS.Kind.CIAS, GRAND_PARIS_GRAND_EST)
    page = make_experience(experiences, cias, "Un accueil de jour intercommunal")
    dl, _total, pooled = facts(portal, page)
    assert dl.find("a", href=f"/indicateurs/intercommunalites/{GRAND_PARIS_GRAND_EST}/") is None
    assert pooled <= 2

    pool_value(cias, "TP60", 2021, 20)
    dl, _total, pooled = facts(portal, page)
    link = dl.find("a", href=f"/indicateurs/intercommunalites/{GRAND_PARIS_GRAND_EST}/")
    assert link is not None
    assert plain(link.get_text()) == "Grand Paris Grand Est, portrait ABS de l'intercommunalité"
    # The seat's own portrait holds its CCAS's values, not the CIAS's: no link without them.
    assert dl.find("a", href="/indicateurs/communes/93051/") is None
    assert pooled == 2


# --- 4. The reference territories of a commune whose CCAS is no member ------------------------


def reference(level, code, indicator, year, value):
    ReferenceValue.objects.create(
        level=level, code=code, indicator_id=indicator, year=year, value=Decimal(value)
    )


def test_a_commune_that_is_no_member_shows_its_territories_values(portal):
    reference("france", FRANCE_CODE, "TP60", 2020, "14.0")
    reference("france", FRANCE_CODE, "TP60", 2021, "14.5")
    reference("region", "11", "TP60", 2021, "15.6")
    reference("departement", "75", "TP60", 2021, "16.2")
    reference("departement", "93", "TP60", 2021, "27.6")  # not Paris's
    response = portal.get("/indicateurs/communes/75056/")
    main = BeautifulSoup(response.content.decode(), "html.parser").main
    text = plain(main.get_text(" "))
    assert "ni son CCAS ni un CIAS de son intercommunalité ne sont membres de l'union" in text
    section = main.find("section", attrs={"aria-labelledby": "abs-territories"})
    assert section is not None
    assert plain(section.h2.get_text()) == "Les territoires de Paris"
    assert "Ce ne sont pas les valeurs de Paris" in plain(section.get_text(" "))
    table = section.table
    headers = [plain(th.get_text(" ")) for th in table.thead.find_all("th")]
    # No column for the intercommunality, which has no reference value; none for the commune.
    assert headers == [
        "Indicateur",
        "Année",
        "Paris (département)",
        "Île-de-France (région)",
        "France métropolitaine",
    ]
    (row,) = table.tbody.find_all("tr")
    cells = [plain(cell.get_text(" ")) for cell in row.find_all(["th", "td"])]
    assert cells[1:] == ["2021", "16,2 %", "15,6 %", "14,5 %"]
    assert row.th.a["href"] == "/indicateurs/TP60/"
    assert "rang" not in plain(section.get_text(" ")).lower()


def test_a_member_that_has_not_published_keeps_its_sentence_alone(portal):
    pool_member("93010")
    reference("departement", "93", "TP60", 2021, "27.6")
    main = BeautifulSoup(portal.get("/indicateurs/communes/93010/").content, "html.parser").main
    assert "Bondy n'a encore publié aucun indicateur." in plain(main.get_text(" "))
    assert main.find("section", attrs={"aria-labelledby": "abs-territories"}) is None
    # Its values will come, and be compared: the lead says with whom.
    assert "comparée aux" in plain(main.find("p", class_="lead").get_text())


def test_a_commune_that_is_no_member_is_said_compared_with_nobody(portal):
    """No value will come for Paris: « comparée aux communes de … » promised a comparison the
    page cannot make (page and PDF print the same lead)."""
    main = BeautifulSoup(portal.get("/indicateurs/communes/75056/").content, "html.parser").main
    lead = plain(main.find("p", class_="lead").get_text())
    assert lead.startswith("Paris (75056), Paris ·") and "compar" not in lead


def test_no_reference_value_no_table(portal):
    main = BeautifulSoup(portal.get("/indicateurs/communes/75056/").content, "html.parser").main
    assert main.find("section", attrs={"aria-labelledby": "abs-territories"}) is None
