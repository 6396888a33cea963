"""Review 15, the portal as an elected official sees it (no account, mostly on a phone): the union's
identity and legal pages, the next event on the home page's first screen, event search results,
the guide for new élus, and the glossary of the CCAS's board."""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

from knowledge_base import demo as kb_demo
from knowledge_base.demo_glossary import GLOSSARY
from knowledge_base.models import GuidePage
from knowledge_base.services import save_glossary_term
from seminars.models import ProceedingsPage, Visibility
from seminars.services import register_person
from tests.conftest import host_client, make_person, member_client
from tests.seminars.conftest import make_seminar, person
from union import roles
from union.demo import DEMO_IDENTITY, load_identity
from union.formats import long_date
from union.models import UnionSettings

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def identity() -> UnionSettings:
    settings = UnionSettings.load()
    for name, value in DEMO_IDENTITY.items():
        setattr(settings, name, value)
    settings.save()
    return settings


# 1. The union's identity, the legal notice, the accessibility statement, the contact --------


def test_every_footer_gives_the_unions_address_phone_and_legal_links(identity, portal, bondy):
    footer = soup(portal.get("/membres/")).find("footer")
    text = footer.get_text(" ", strip=True)
    assert "12 avenue Jean-Jaurès" in text and "93000 Bobigny" in text
    assert footer.find("a", href="tel:+33100000000").get_text() == "01 00 00 00 00"
    assert footer.find("a", href="mailto:contact@udccas93.demo")
    links = {a.get_text(strip=True): a["href"] for a in footer.find_all("a")}
    assert links["Mentions légales"] == "/mentions-legales/"
    assert links["Accessibilité : non conforme"] == "/accessibilite/"
    assert links["Contact"] == "/contact/"
    assert links["Glossaire"] == "/glossaire/"
    assert links["Annuaire des membres"] == "/membres/"  # kept
    # A member space's footer names the same union and leads to the portal's pages.
    director = make_person(bondy, "direction@bondy.test")
    member_footer = soup(member_client(bondy, director).get("/")).find("footer")
    assert "93000 Bobigny" in member_footer.get_text()
    assert member_footer.find("a", string="Mentions légales")["href"] == (
        "http://localhost/mentions-legales/"
    )


def test_the_legal_notice_names_publisher_director_and_host(identity, portal):
    page = soup(portal.get("/mentions-legales/"))
    text = page.get_text(" ", strip=True)
    assert page.h1.get_text() == "Mentions légales"
    for expected in (
        "Union départementale des CCAS de la Seine-Saint-Denis (UDCCAS 93)",
        "Association régie par la loi du 1er juillet 1901",
        "Claire Martin, présidente de l'union",
        "Hébergeur de démonstration SAS",
        "1 rue de l'Exemple",
        "01 00 00 00 01",
    ):
        assert expected in text, expected
    assert page.find(id="directeur-publication") and page.find(id="hebergeur")


def test_the_accessibility_statement_follows_the_rgaa(identity, portal):
    page = soup(portal.get("/accessibilite/"))
    text = page.get_text(" ", strip=True)
    # Without an audit in force the RGAA allows one mention only.
    assert "Maillage est non conforme avec le RGAA 4.1.2." in text
    assert "Aucun audit de conformité" in text
    assert "axe-core" in text and "clavier" in text
    assert "Graphiques des indicateurs ABS" in text and "PDF" in text
    assert "Défenseur des droits" in text and "Libre réponse 71120" in text
    assert page.find("a", href="mailto:contact@udccas93.demo")

    identity.accessibility_audit_date = timezone.localdate() - datetime.timedelta(days=30)
    identity.accessibility_rate = 78
    identity.accessibility_auditor = "Cabinet Exemple"
    identity.save()
    text = soup(portal.get("/accessibilite/")).get_text(" ", strip=True)
    assert "Maillage est partiellement conforme" in text
    assert "par Cabinet Exemple a établi que 78 % des critères" in text
    footer = soup(portal.get("/contact/")).find("footer")
    assert footer.find("a", string="Accessibilité : partiellement conforme")


def test_the_rgaa_mention_follows_the_audit_and_its_age():
    identity = UnionSettings(accessibility_rate=100)
    assert identity.accessibility_status() == "non conforme"  # a rate without an audit date
    today = datetime.date(2027, 1, 14)
    identity.accessibility_audit_date = datetime.date(2026, 6, 1)
    assert identity.accessibility_status(today) == "totalement conforme"
    identity.accessibility_rate = 50
    assert identity.accessibility_status(today) == "partiellement conforme"
    identity.accessibility_rate = 49
    assert identity.accessibility_status(today) == "non conforme"
    identity.accessibility_rate = 90
    assert identity.accessibility_status(datetime.date(2029, 6, 1)) == "non conforme"  # 3 years


def test_the_contact_page_gives_the_unions_details_and_where_to_ask_what(identity, portal):
    page = soup(portal.get("/contact/"))
    card = page.find("address")
    assert "12 avenue Jean-Jaurès" in card.get_text() and "Du lundi au vendredi" in card.get_text()
    assert card.find("a", href="tel:+33100000000")
    text = page.get_text(" ", strip=True)
    assert "Vous cherchez une aide sociale ?" in text
    assert page.find("a", href="/membres/")


def test_the_union_staff_are_told_what_the_legal_notice_lacks(portal):
    admin = make_staff(roles.UNION_ADMIN)
    page = soup(host_client("localhost", admin).get("/mentions-legales/"))
    warning = page.find("p", class_="message-warning")
    assert "directeur ou directrice de la publication" in warning.get_text()
    assert warning.a["href"].startswith("/admin/settings/union/unionsettings/")
    assert host_client("localhost", admin).get(warning.a["href"]).status_code == 200
    assert soup(portal.get("/mentions-legales/")).find("p", class_="message-warning") is None


def make_staff(group: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("staff@union.test", "staff@union.test", "x")
    user.groups.add(Group.objects.get(name=group))
    return user


def test_the_demo_fills_the_identity_and_keeps_what_the_union_typed():
    settings = UnionSettings.load()
    settings.phone = "01 23 45 67 89"
    settings.save()
    load_identity(io.StringIO())
    load_identity(io.StringIO())
    settings = UnionSettings.load()
    assert settings.phone == "01 23 45 67 89"
    assert settings.address == DEMO_IDENTITY["address"]
    assert settings.publication_director == "Claire Martin"
    assert settings.accessibility_statement_date is not None
    assert UnionSettings.objects.count() == 1


# 2. The home page on a phone ---------------------------------------------------------------


def test_the_home_page_starts_with_the_departement_and_the_next_event(portal):
    make_seminar("Atelier début de mandat", days_ahead=10)
    make_seminar("Séminaire d'après", days_ahead=40)
    page = soup(portal.get("/"))
    hero = page.find("section", class_="hero")
    assert "Seine-Saint-Denis" in hero.h1.get_text()
    # Right after the title, before the union's presentation: the first screen of a phone.
    first_after_title = hero.h1.find_next_sibling()
    assert "next-event" in first_after_title["class"]
    assert first_after_title.h2.get_text() == "Prochain rendez-vous"
    assert "Atelier début de mandat" in first_after_title.get_text()
    assert "Séminaire d'après" not in first_after_title.get_text()
    register = first_after_title.find("a", class_="button")
    assert register.get_text(" ", strip=True).startswith("S'inscrire")
    assert register["href"].endswith("/atelier-debut-de-mandat/#inscription")
    # A search box on the home page.
    search = page.find("form", role="search")
    assert search["action"] == "/recherche/" and search.find("input", type="search")["name"] == "q"


def test_a_full_event_says_so_on_the_home_page(portal):
    full = make_seminar("Atelier complet", days_ahead=10, seats=1)
    register_person(full, person(1), notify=False)
    page = soup(portal.get("/"))
    hero = page.find("div", class_="next-event")
    assert "Complet" in hero.get_text()
    assert "S'inscrire en liste d'attente" in hero.find("a", class_="button").get_text()
    card = page.select_one("section[aria-labelledby=agenda] .card")
    assert "Complet – liste d'attente" in card.get_text()


def test_the_home_page_shows_members_only_events_marked_as_such(portal):
    make_seminar("Commission des membres", days_ahead=10, visibility=Visibility.MEMBERS)
    make_seminar("Réunion sur invitation", days_ahead=11, visibility=Visibility.INVITATION)
    page = soup(portal.get("/"))
    cards = page.select("section[aria-labelledby=agenda] .card")
    assert [card.h3.get_text(strip=True) for card in cards] == ["Commission des membres"]
    assert "Réservé aux communes membres" in cards[0].get_text()
    assert "Inscriptions ouvertes" in cards[0].get_text()


def test_on_a_phone_the_menu_folds_into_a_disclosure(portal):
    nav = soup(portal.get("/membres/")).find("nav", attrs={"aria-label": "Navigation principale"})
    disclosure = nav.find("details")
    assert disclosure.summary.get_text(strip=True) == "Menu"
    assert disclosure.find("a", href="/evenements/")


# 3. Events in the search results -------------------------------------------------------------


def test_event_search_results_give_the_date_and_whether_one_can_register(portal):
    open_event = make_seminar("Atelier ouvert zébulon", days_ahead=20, summary="zébulon")
    full = make_seminar("Atelier complet zébulon", days_ahead=21, seats=1, summary="zébulon")
    register_person(full, person(1), notify=False)
    make_seminar(
        "Atelier clos zébulon",
        days_ahead=22,
        summary="zébulon",
        registration_closes=timezone.now() - datetime.timedelta(hours=1),
    )
    past = make_seminar("Séminaire passé zébulon", days_ahead=-30, summary="zébulon")
    proceedings = ProceedingsPage(title="Actes du séminaire zébulon", slug="actes")
    past.add_child(instance=proceedings)
    make_seminar("Journée sans actes zébulon", days_ahead=-60, summary="zébulon")
    make_seminar(
        "Commission zébulon", days_ahead=23, summary="zébulon", visibility=Visibility.MEMBERS
    )

    page = soup(portal.get("/recherche/", {"q": "zébulon"}))
    results = {
        item.h3.get_text(strip=True): item.find("p", class_=["kb-event", "kb-event-date"])
        for item in page.select(".kb-search-results li")
    }
    status = {title: facts.get_text(" ", strip=True) for title, facts in results.items()}
    # « jeudi 14 janvier 2027 Inscriptions ouvertes »
    assert status["Atelier ouvert zébulon"] == (
        f"{long_date(timezone.localtime(open_event.start))} Inscriptions ouvertes"
    )
    assert (
        results["Atelier ouvert zébulon"]
        .time["datetime"]
        .startswith(timezone.localtime(open_event.start).date().isoformat())
    )
    assert status["Atelier complet zébulon"].endswith("Complet – liste d'attente")
    assert status["Atelier clos zébulon"].endswith("Inscriptions closes")
    assert "Passé – actes disponibles" in status["Séminaire passé zébulon"]
    assert results["Séminaire passé zébulon"].find("a")["href"].endswith("/actes/")
    assert status["Journée sans actes zébulon"].endswith("Passé")
    assert "Réservé aux communes membres" in status["Commission zébulon"]
    assert status["Actes du séminaire zébulon"].startswith("Événement du ")


# 4. The guide for new élus is public; another is for members -------------------------------


def test_the_demo_guide_for_new_elus_is_public_and_an_internal_one_is_restricted(
    bondy, portal, django_capture_on_commit_callbacks
):
    # A demo loaded by an earlier version restricted the guide for élus: loading again lifts it.
    with django_capture_on_commit_callbacks(execute=True):
        kb_demo.load(io.StringIO())
    elus_guide = GuidePage.objects.get(slug="cent-premiers-jours-mandat")
    PageViewRestriction.objects.filter(page__slug=kb_demo.MEMBERS_ONLY_GUIDE).delete()
    PageViewRestriction.objects.create(page=elus_guide, restriction_type="login")
    with django_capture_on_commit_callbacks(execute=True):
        kb_demo.load(io.StringIO())

    assert "elus" in elus_guide.audiences
    assert portal.get("/guides/cent-premiers-jours-mandat/").status_code == 200
    restricted = GuidePage.objects.get(slug=kb_demo.MEMBERS_ONLY_GUIDE)
    restricted_path = f"/guides/{restricted.slug}/"
    assert "elus" not in restricted.audiences and "directeurs" in restricted.audiences
    assert portal.get(restricted_path).status_code == 302  # to the login page
    assert restricted.title not in soup(portal.get("/guides/")).get_text()
    # A signed-in person of a member CCAS reads it, and finds it in the listing.
    director = make_person(bondy, "direction@bondy.test")
    signed_in = host_client("localhost", director)
    assert signed_in.get(restricted_path).status_code == 200
    assert restricted.title in soup(signed_in.get("/guides/")).get_text()


# 5. The glossary of a new maire -------------------------------------------------------------


def test_the_glossary_explains_the_words_of_the_ccas_board(portal):
    for acronym, expansion, definition in GLOSSARY:
        save_glossary_term(acronym, expansion, definition)
    page = soup(portal.get("/glossaire/"))
    entries = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
               for dt in page.find_all("dt")}  # fmt: skip
    for term in (
        "Aide facultative",
        "Aide légale",
        "Membre nommé",
        "Membre élu",
        "Vice-président(e)",
        "Délégation de signature",
        "Secours d'urgence",
        "Domiciliation",
        "ABS",
        "CASF",
    ):
        assert term in entries, term
    assert "UDAF" in entries["Membre nommé"]
    assert "en l'absence du maire" in entries["Vice-président(e)"]
    assert "signer en son nom" in entries["Délégation de signature"]
    assert "dans l'année qui suit le renouvellement" in entries["ABS"]
    # A single word is found by the search, with its definition above the results.
    hit = soup(portal.get("/recherche/", {"q": "domiciliation"})).find("aside")
    assert "élection de domicile" in hit.get_text()
