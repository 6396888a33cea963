"""Accessibility of the seminar pages, as a browser receives them: the registration form after an
error (anchor, error summary, title), what each fieldset names, autocomplete, full ateliers, the
current section in the navigation, and counts written in French."""

import re
from html.parser import HTMLParser

import pytest

from seminars.links import manage_path
from seminars.links import page_path as url
from seminars.models import Registration
from seminars.services import register_person
from tests.seminars.conftest import form_data as portal_form_data
from tests.seminars.conftest import make_seminar, person

pytestmark = pytest.mark.django_db


class Elements(HTMLParser):
    """Every start tag as (tag, attributes), in document order, and the text of <title>."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.title = ""
        self._in_title = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def find(self, tag: str, **attrs) -> list[dict]:
        return [
            found
            for name, found in self.tags
            if name == tag and all(found.get(key) == value for key, value in attrs.items())
        ]

    def one(self, tag: str, **attrs) -> dict:
        (found,) = self.find(tag, **attrs)
        return found

    def registration_form(self) -> dict:
        """The event's registration form (the other one asks for a lost link)."""
        (found,) = [attrs for name, attrs in self.tags if name == "form" and "novalidate" in attrs]
        return found

    def ids(self) -> set[str]:
        return {found["id"] for _name, found in self.tags if found.get("id")}


def form_data(**overrides) -> dict:
    """The portal form's fields, with no needs and no consent."""
    return portal_form_data(**{"needs": "", "consent": "", **overrides})


def atelier_box(html: str, atelier) -> dict:
    return Elements(html).one("input", name="ateliers", value=str(atelier.pk))


def atelier_label(html: str, atelier) -> str:
    box = atelier_box(html, atelier)
    return re.search(rf'<label for="{box["id"]}"[^>]*>([^<]*)</label>', html).group(1)


def fill(seminar, atelier, count: int, start: int = 100) -> None:
    for number in range(start, start + count):
        register_person(seminar, person(number, ateliers=[atelier.pk]), notify=False)


# Autocomplete (WCAG 1.3.5) --------------------------------------------------------------------


def test_name_and_email_fields_say_what_browsers_may_fill_in(portal, seminar):
    page = Elements(portal.get(url(seminar)).content.decode())
    assert page.one("input", id="id_nom")["autocomplete"] == "family-name"
    assert page.one("input", id="id_prenom")["autocomplete"] == "given-name"
    assert page.one("input", id="id_email")["autocomplete"] == "email"


# A refused registration -----------------------------------------------------------------------


def test_a_refused_registration_reopens_at_the_form_with_a_summary_of_the_errors(portal, seminar):
    a, b, _c = seminar.ateliers.order_by("sort_order")
    page = Elements(portal.get(url(seminar)).content.decode())
    assert not page.title.startswith("Erreur")
    assert page.registration_form()["action"] == "#inscription"
    assert not page.find("div", **{"class": "error-summary"})

    response = portal.post(
        url(seminar),
        form_data(email="pas-une-adresse", fonction="autre", ateliers=[a.pk, b.pk]),
    )
    assert response.status_code == 400
    html = response.content.decode()
    page = Elements(html)
    assert page.title.startswith(f"Erreur – {seminar.title}")
    # The form posts back to its own section: the browser reopens the page there.
    assert page.registration_form()["action"] == "#inscription"
    assert page.one("h2", id="inscription")
    summary = html[html.index('class="error-summary"') : html.index('action="#inscription"')]
    assert 'role="alert"' in summary
    assert "<h3" in summary and "des informations sont à corriger" in summary
    links = re.findall(r'<a href="#([^"]+)">', summary)
    assert links == ["id_email", "id_fonction_autre", "id_ateliers_0"]
    assert set(links) <= page.ids()  # every link leads to a field of the page
    assert "Adresse e-mail : Saisissez une adresse e-mail valide." in summary
    # One announcement: the errors in the form are not a second alert.
    assert html.count('role="alert"') == 1
    # What was typed is kept.
    assert page.one("input", id="id_nom")["value"] == "Durand"
    assert page.one("input", id="id_commune")["value"] == "NOISY LE SEC"
    assert "checked" in atelier_box(html, a) and "checked" in atelier_box(html, b)
    assert Registration.objects.count() == 0


def test_the_ateliers_fieldset_names_its_help_and_its_errors(portal, seminar):
    a, b, _c = seminar.ateliers.order_by("sort_order")
    fine = Elements(portal.get(url(seminar)).content.decode())
    assert fine.one("fieldset")["aria-describedby"] == "id_ateliers_helptext"

    refused = portal.post(url(seminar), form_data(ateliers=[a.pk, b.pk]))
    assert refused.status_code == 400
    page = Elements(refused.content.decode())
    assert page.one("fieldset")["aria-describedby"] == "id_ateliers_helptext id_ateliers_error"
    assert {"id_ateliers_helptext", "id_ateliers_error"} <= page.ids()


def test_the_personal_page_names_the_ateliers_errors_and_reopens_at_the_form(portal, seminar):
    a, b, _c = seminar.ateliers.order_by("sort_order")
    registration, _ = register_person(seminar, person(1, ateliers=[a.pk]), notify=False)
    fine = Elements(portal.get(manage_path(registration)).content.decode())
    assert "aria-describedby" not in fine.one("fieldset")  # no help text, no error

    response = portal.post(
        manage_path(registration), {"action": "ateliers", "ateliers": [a.pk, b.pk]}
    )
    assert response.status_code == 400
    html = response.content.decode()
    page = Elements(html)
    assert page.title.startswith("Erreur – Mon inscription")
    assert page.one("fieldset")["aria-describedby"] == "id_ateliers_error"
    assert "id_ateliers_error" in page.ids()
    assert page.one("form", action="#changer")
    assert re.findall(r'<a href="#([^"]+)">', html).count("id_ateliers_0") == 1


# Full ateliers --------------------------------------------------------------------------------


def test_a_full_atelier_says_so_and_cannot_be_checked_on_the_event_page(portal, seminar):
    a, b, _c = seminar.ateliers.order_by("sort_order")
    fill(seminar, a, a.seats)
    html = portal.get(url(seminar)).content.decode()
    assert "(complet)" in atelier_label(html, a)
    assert "disabled" in atelier_box(html, a)
    assert "disabled" not in atelier_box(html, b) and "(3 places disponibles)" in atelier_label(
        html, b
    )
    # What to do instead, where the box cannot be ticked (session 36, audit A20 #6).
    assert "Un atelier «\u00a0complet\u00a0» ne peut plus être choisi" in html
    # … and its own waiting list, joined from the personal page (session 41).
    assert "et placez-vous sur sa liste d&#x27;attente (ci-dessous" in html

    # The server stays the authority: a post that checks it anyway is refused.
    response = portal.post(url(seminar), form_data(ateliers=[a.pk]))
    assert response.status_code == 400
    assert "Plus de place dans l&#x27;atelier « Atelier A »" in response.content.decode()
    assert "disabled" in atelier_box(response.content.decode(), a)
    assert not Registration.objects.filter(email="aicha.durand@exemple.fr").exists()


def test_when_the_event_is_full_every_atelier_can_be_chosen_for_the_waiting_list(portal):
    seminar = make_seminar(seats=2, ateliers=(("Atelier A", 1, 2, 2), ("Atelier B", 1, 2, 5)))
    a, b = seminar.ateliers.order_by("sort_order")
    fill(seminar, a, 2)
    html = portal.get(url(seminar)).content.decode()
    assert "(complet)" in atelier_label(html, a)
    assert "disabled" not in atelier_box(html, a)
    assert "ne peut plus être choisi" not in html  # waiting, any atelier may be asked for
    response = portal.post(url(seminar), form_data(ateliers=[a.pk]))
    assert response.status_code == 302
    waiting = Registration.objects.get(email="aicha.durand@exemple.fr")
    assert waiting.status == Registration.Status.WAITLISTED


def test_on_the_personal_page_a_full_atelier_stays_open_to_whoever_holds_a_seat_in_it(
    portal, seminar
):
    a, b, c = seminar.ateliers.order_by("sort_order")
    holder, _ = register_person(seminar, person(1, ateliers=[a.pk]), notify=False)
    other, _ = register_person(seminar, person(2, ateliers=[c.pk]), notify=False)
    fill(seminar, a, a.seats - 1)

    mine = portal.get(manage_path(holder)).content.decode()
    assert "(complet)" in atelier_label(mine, a)
    assert "disabled" not in atelier_box(mine, a) and "checked" in atelier_box(mine, a)

    theirs = portal.get(manage_path(other)).content.decode()
    assert "disabled" in atelier_box(theirs, a) and "disabled" not in atelier_box(theirs, b)
    response = portal.post(manage_path(other), {"action": "ateliers", "ateliers": [a.pk]})
    assert response.status_code == 400
    assert list(other.ateliers.all()) == [c]


# Navigation -----------------------------------------------------------------------------------


def current_links(html: str) -> list[str]:
    nav = html[html.index('class="main-nav"') :]
    nav = nav[: nav.index("</nav>")]
    return re.findall(r'<a href="([^"]+)" aria-current="page">', nav)


def test_the_events_section_is_the_current_one_in_the_portal_navigation(portal, seminar):
    assert current_links(portal.get(url(seminar)).content.decode()) == ["/evenements/"]
    assert current_links(portal.get("/evenements/").content.decode()) == ["/evenements/"]
    registration, _ = register_person(seminar, person(1), notify=False)
    assert current_links(portal.get(manage_path(registration)).content.decode()) == ["/evenements/"]


# Counts in French -----------------------------------------------------------------------------


def test_organisers_counts_read_as_french(organiser_client):
    seminar = make_seminar(seats=1)
    base = f"/admin/inscriptions/{seminar.pk}/"
    listing = organiser_client.get(base).content.decode()
    assert "1 place, 1 libre" in listing and "Aucune inscription</caption>" in listing
    assert "Aucune commune à vérifier" in organiser_client.get(f"{base}communes/").content.decode()
    stats = organiser_client.get(f"{base}chiffres/").content.decode()
    assert "Aucune inscription confirmée sur 1 place ; aucune personne en liste d'attente" in stats

    register_person(seminar, person(1), notify=False)
    listing = organiser_client.get(base).content.decode()
    assert "1 place, complet" in listing and "1 inscription</caption>" in listing
    stats = organiser_client.get(f"{base}chiffres/").content.decode()
    assert "1 inscription confirmée sur 1 place" in stats
