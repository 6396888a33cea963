"""An elected official registers for a workshop in a real browser, with the keyboard only."""

import re

import pytest
from playwright.sync_api import expect

from seminars.links import page_path
from seminars.models import Registration, SeminarPage
from tests.browser.conftest import serve_static
from tests.conftest import run_committed
from tests.seminars.conftest import make_seminar

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]


def create_workshop() -> SeminarPage:
    return make_seminar(
        "Atelier navigateur début de mandat",
        seats=20,
        ateliers=(("Le budget du CCAS", 1, 2, 10), ("L'ABS en pratique", 1, 2, 10)),
    )


def remove_workshop(seminar: SeminarPage) -> None:
    Registration.objects.filter(seminar_id=seminar.pk).delete()
    SeminarPage.objects.get(pk=seminar.pk).delete()


@pytest.fixture
def workshop():
    seminar = run_committed(create_workshop)
    yield seminar
    run_committed(remove_workshop, seminar)


def test_official_registers_with_the_keyboard_and_a_mistake_keeps_what_was_typed(
    page, live_server_port, workshop
):
    page.route("**/static/**", serve_static)
    page.goto(f"http://localhost:{live_server_port}{page_path(workshop)}")
    page.get_by_role("textbox", name="Nom", exact=True).focus()
    page.keyboard.type("Durand")
    page.keyboard.press("Tab")
    page.keyboard.type("Camille")
    page.keyboard.press("Tab")
    page.keyboard.type("camille.durand@exemple")  # no domain suffix: refused
    page.get_by_role("textbox", name="Commune").fill("ST OUEN SUR SEINE")
    page.get_by_role("combobox", name="Fonction", exact=True).select_option("maire_adjoint")
    page.get_by_role("checkbox", name=re.compile("Le budget du CCAS")).check()
    page.get_by_role("button", name="S'inscrire").press("Enter")

    # Refused with a French message; what was typed is still there. Pressing a key does not wait
    # for the page it loads: the answer is awaited by its title, then fully loaded before the
    # next key (the old and the new page hold the same values, so reading them would not wait).
    expect(page).to_have_title(re.compile("^Erreur"))
    page.wait_for_load_state()
    assert page.get_by_role("textbox", name="Nom", exact=True).input_value() == "Durand"
    assert page.get_by_role("textbox", name="Commune").input_value() == "ST OUEN SUR SEINE"
    assert page.get_by_role("checkbox", name=re.compile("Le budget du CCAS")).is_checked()
    assert "adresse e-mail valide" in page.content()

    page.get_by_role("textbox", name="Adresse e-mail", exact=True).fill("camille.durand@exemple.fr")
    page.get_by_role("button", name="S'inscrire").press("Enter")
    page.wait_for_url(re.compile("/inscription/"))
    expect(page.get_by_text("Votre inscription est confirmée")).to_be_visible()
    # A secondary action (a submit button) is drawn as one: white, not the main action's colour.
    cancel = page.get_by_role("button", name="Annuler mon inscription…")
    assert cancel.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(255, 255, 255)"

    registration = run_committed(
        lambda: Registration.objects.select_related("commune").get(seminar_id=workshop.pk)
    )
    assert registration.commune.code == "93070"
    assert registration.status == "confirmed"
