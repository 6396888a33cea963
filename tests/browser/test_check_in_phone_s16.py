"""The welcome desk on a phone (375 px wide), in a real browser: on the event's day the
registrations list comes first, each row starts with its « Émarger » button, in view beside the
person's name, and the page never scrolls sideways (the table scrolls in its own box). Checking
someone in comes back at her row, with the search kept."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.text import slugify
from playwright.sync_api import expect

from seminars.models import Registration, SeminarIndexPage, SeminarPage
from seminars.services import RegistrationData, register_person, resolve_commune
from tests.browser.conftest import serve_static, sign_in
from tests.browser.test_axe_admin import audit_admin
from tests.conftest import run_committed
from tests.seminars.conftest import make_seminar, organiser
from union.models import AuditEntry

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]

ORGANISER = "accueil.s16@union.test"
PHONE = {"width": 375, "height": 667}  # an iPhone SE's screen
PEOPLE = [
    ("Da Silva-Fernandes", "Marie-Hélène", "Montreuil"),
    ("DUPONT", "Jean", "Bondy"),
    ("Nguyễn", "Thị Minh Khai", "Aulnay-sous-Bois"),
    ("Ouattara", "Inès", "Pierrefitte-sur-Seine"),
    ("Émond", "Sébastien", "Saint-Denis"),
    ("Lemoine", "Claire", "Le Pré-Saint-Gervais"),
]


def build_desk(
    *,
    title: str = "Atelier début de mandat : le CCAS, mode d'emploi et premières décisions du conseil",
    organiser_email: str = ORGANISER,
    phone: str = "",
) -> dict:
    """An event on its day (started an hour ago), three ateliers, people with long names,
    addresses and needs, each in two ateliers; an event organiser to sign in. Also the door's
    phone test's (tests/seminars/test_door_phone_s37.py: its own title, organiser and a phone)."""
    last_audit = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    had_index = SeminarIndexPage.objects.exists()
    user = organiser(email=organiser_email)
    seminar = make_seminar(
        title,
        days_ahead=-1 / 24,
        hours=8,
        seats=40,
        ateliers=(
            ("Le budget du CCAS en pratique", 1, 2, 20),
            ("Aides facultatives : fixer un règlement", 1, 2, 20),
            ("Domiciliation et accès aux droits", 4, 2, 25),
        ),
    )
    ateliers = list(seminar.ateliers.order_by("sort_order").values_list("pk", flat=True))
    for number, (nom, prenom, commune) in enumerate(PEOPLE):
        data = RegistrationData(
            nom=nom,
            prenom=prenom,
            email=f"{slugify(prenom)}.{number}.direction-generale@mairie-exemple.fr",
            phone=phone,
            commune=resolve_commune(commune),
            fonction="directeur_ccas",
            atelier_ids=[ateliers[number % 2], ateliers[2]],
            needs="Accès en fauteuil roulant, repas sans gluten" if number % 2 else "",
            consent=True,
        )
        register_person(seminar, data, source=Registration.Source.MANUAL, notify=False)
    return {
        "seminar": seminar.pk,
        "user": user.pk,
        "last_audit": last_audit,
        "ateliers": ateliers,
        "had_index": had_index,
    }


def remove_desk(built: dict) -> None:
    Registration.objects.filter(seminar_id=built["seminar"]).delete()
    SeminarPage.objects.get(pk=built["seminar"]).delete()
    if not built["had_index"]:
        # The events' index make_seminar created: left behind, it received the next module's
        # demo events (tests/browser/test_axe.py), which its removal then missed.
        SeminarIndexPage.objects.all().delete()
    AuditEntry.objects.filter(pk__gt=built["last_audit"]).delete()
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk=built["user"]).delete()


@pytest.fixture
def desk():
    built = run_committed(build_desk)
    yield built
    run_committed(remove_desk, built)


# How far the page scrolls sideways (Wagtail's <main> is the admin's scrolling box; it hides
# what overflows, and still counts it in its scrollWidth), and whatever in it reaches beyond the
# screen outside a box that scrolls on its own (the table's).
SIDEWAYS = """() => {
    const width = window.innerWidth;
    const main = document.querySelector('main');
    const escaping = [...main.querySelectorAll('*')].filter(element => {
        if (element.closest('.table-scroll, .w-sr-only')) return false;
        const box = element.getBoundingClientRect();
        return box.width > 0 && box.right > width + 1;
    }).map(element => element.outerHTML.slice(0, 80));
    return {
        scrollWidth: Math.max(document.scrollingElement.scrollWidth, main.scrollWidth),
        width,
        escaping,
    };
}"""


def test_at_the_desk_on_a_phone_each_button_is_in_view_beside_its_person(
    page, live_server_port, desk
):
    page.route("**/static/**", serve_static)
    page.set_viewport_size(PHONE)
    sign_in(page, f"http://localhost:{live_server_port}", ORGANISER)
    url = f"http://localhost:{live_server_port}/admin/inscriptions/{desk['seminar']}/"
    page.goto(url)

    first_row = page.locator("table.registrations tbody tr").first
    button = first_row.locator("td.arrival button")
    expect(button).to_have_accessible_name("Émarger Marie-Hélène Da Silva-Fernandes")
    box = button.bounding_box()
    # In view as the page opens: the list comes first on the event's day.
    assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"], box
    assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"], box
    name = first_row.locator("th[scope=row]").bounding_box()
    assert name["x"] >= box["x"] + box["width"] - 1 and name["x"] < PHONE["width"] - 40, name

    sideways = page.evaluate(SIDEWAYS)
    assert sideways["scrollWidth"] <= sideways["width"], sideways
    assert sideways["escaping"] == [], sideways
    scroller = page.locator(".table-scroll").filter(has=page.locator("table.registrations"))
    scroll_box = scroller.bounding_box()
    assert scroll_box["x"] >= 0 and scroll_box["x"] + scroll_box["width"] <= PHONE["width"]
    # The admin's accessibility audit, desktop and phone.
    audit_admin(page)
    page.set_viewport_size(PHONE)

    # The last row, far below: once checked in, the page comes back at it, not at the top.
    last = page.locator("table.registrations tbody tr").last
    last.scroll_into_view_if_needed()
    last.get_by_role("button", name="Émarger Inès Ouattara").click()
    page.wait_for_url(re.compile(r"#r-\d+$"))
    expect(
        page.get_by_role("button", name="Annuler l'émargement d'Inès Ouattara")
    ).to_be_in_viewport()

    # A name typed without its accents, then « Émarger »: back at her row, the search kept.
    page.get_by_label("Rechercher (nom, prénom, e-mail)").fill("emond")
    page.get_by_role("button", name="Chercher").click()
    page.wait_for_load_state()
    row = page.locator("table.registrations tbody tr")
    expect(row).to_have_count(1)
    row.get_by_role("button", name="Émarger Sébastien Émond").click()
    page.wait_for_url(re.compile(r"\?q=emond&.*#r-\d+$"))
    expect(page.get_by_text("Sébastien Émond : présent(e).")).to_be_visible()
    # With Wagtail's green « success » banner shown (4.45:1 before union/static/css/admin.css).
    audit_admin(page)
    page.set_viewport_size(PHONE)
    undo = page.get_by_role("button", name="Annuler l'émargement de Sébastien Émond")
    expect(undo).to_be_in_viewport()
    expect(page.get_by_text("Présents 2")).to_be_visible()
    assert page.evaluate(SIDEWAYS)["scrollWidth"] <= PHONE["width"]


def test_checking_in_before_the_event_asks_in_an_accessible_page(page, live_server_port, desk):
    """The question asked for a check-in outside the event's days, and the list with its other
    filters unfolded, pass the admin's accessibility audit."""
    run_committed(
        lambda: SeminarPage.objects.filter(pk=desk["seminar"]).update(
            start=timezone.now() + timedelta(days=30),
            end=timezone.now() + timedelta(days=30, hours=8),
        )
    )
    page.route("**/static/**", serve_static)
    page.set_viewport_size(PHONE)
    sign_in(page, f"http://localhost:{live_server_port}", ORGANISER)
    page.goto(
        f"http://localhost:{live_server_port}/admin/inscriptions/{desk['seminar']}/"
        "?accueil=1&status=confirmed#liste"
    )
    expect(page.locator("details.more-filters")).to_have_attribute("open", "")
    audit_admin(page)
    page.get_by_role("button", name="Émarger Jean DUPONT").click()
    page.wait_for_load_state()
    expect(page.get_by_text("n'a pas encore eu lieu")).to_be_visible()
    audit_admin(page)
    page.get_by_role("button", name="Oui, émarger Jean DUPONT aujourd'hui").click()
    page.wait_for_url(re.compile(r"accueil=1&status=confirmed#r-\d+$"))
    expect(page.get_by_text("Jean DUPONT : présent(e).")).to_be_visible()
