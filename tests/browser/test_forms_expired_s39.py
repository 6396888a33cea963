"""Session 39: what was typed is kept when a form is refused as expired, and the sign-in page
says what the script keeps (union/static/union/forms.js).

- A form whose CSRF token no longer holds (the person signed in again in another tab) is
  answered by templates/403_csrf.html: the draft waits there, the page says it is kept, and the
  form opened again from its link gets it back. Without the script the page's words stay those
  of the Back button.
- After a session ended, the sign-in page says that what was typed will be put back, instead of
  « recommencez »."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tenants.models import Membership
from tenants.services import grant_membership
from tests.browser.test_forms_once_s38 import (
    DIRECTOR,
    FORM,
    RESTORED,
    committed_member,  # noqa: F401 (fixture)
    end_session,
    member_url,
    seances,
    signed_in_on_form,
    stored,
)
from tests.conftest import PASSWORD, run_committed

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]

KEPT = "Ce que vous aviez saisi est gardé dans cet onglet"
BACK_BUTTON = "Revenez à la page précédente avec le bouton Retour du navigateur"
WILL_BE_PUT_BACK = "ce que vous aviez saisi sera remis dans le formulaire"


def spoil_csrf_token(page) -> None:
    """What a sign-in in another tab does to this tab's form: its token no longer matches."""
    page.evaluate(
        "document.querySelectorAll('input[name=csrfmiddlewaretoken]')"
        ".forEach((field) => { field.value = 'x'.repeat(64); })"
    )


def test_a_form_refused_as_expired_gets_back_what_was_typed(
    page,
    live_server_port,
    committed_member,  # noqa: F811
):
    watch = signed_in_on_form(page, live_server_port)
    url = member_url(live_server_port)
    page.locator("#id_place").fill("Salle des fêtes")
    page.locator("#id_agenda").fill("Compte administratif 2026")
    spoil_csrf_token(page)

    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Formulaire expiré")).to_be_visible()
    expect(page.get_by_text(KEPT)).to_be_visible()
    expect(page.get_by_text(BACK_BUTTON)).to_be_hidden()
    assert seances(committed_member) == []
    assert "Salle des fêtes" in stored(page)

    page.get_by_role("link", name="rouvrez le formulaire").click()
    page.wait_for_url(f"{url}{FORM}")
    expect(page.locator("p.message").filter(has_text=RESTORED)).to_be_visible()
    assert page.locator("#id_place").input_value() == "Salle des fêtes"
    assert page.locator("#id_agenda").input_value() == "Compte administratif 2026"
    assert "Salle des fêtes" not in stored(page)  # restored once, then dropped

    page.get_by_role("button", name="Enregistrer").click()  # a fresh token: recorded
    page.wait_for_url(re.compile(r"/conseil/seances/\d+/$"))
    assert [place for place, _notes in seances(committed_member)] == ["Salle des fêtes"]
    assert not watch.violations(), "\n".join(watch.violations())
    unexpected = [error for error in watch.errors if "403 (Forbidden)" not in error]
    assert not unexpected, "\n".join(unexpected)  # the refusal itself is the console's only 403


def test_an_expired_form_with_nothing_typed_keeps_the_back_button_words(
    page,
    live_server_port,
    committed_member,  # noqa: F811
):
    signed_in_on_form(page, live_server_port)
    spoil_csrf_token(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Formulaire expiré")).to_be_visible()
    expect(page.get_by_text(BACK_BUTTON)).to_be_visible()
    expect(page.get_by_text(KEPT)).to_be_hidden()


def test_the_sign_in_page_says_what_was_typed_will_be_put_back(
    page,
    live_server_port,
    committed_member,  # noqa: F811
):
    signed_in_on_form(page, live_server_port)
    page.locator("#id_place").fill("Mairie annexe")
    end_session()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/connexion/\?"))
    ended = page.locator("#login-session-ended")
    expect(ended).to_contain_text(WILL_BE_PUT_BACK)
    expect(ended.get_by_text("Connectez-vous, puis recommencez.")).to_be_hidden()

    page.get_by_label("Identifiant (adresse e-mail)").fill(DIRECTOR)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{member_url(live_server_port)}{FORM}")
    assert page.locator("#id_place").input_value() == "Mairie annexe"


COLLEAGUE = "collegue@vaujours.test"


def add_colleague(member) -> None:
    grant_membership(member, COLLEAGUE, Membership.Role.AGENT, password=PASSWORD)


def remove_colleague() -> None:
    get_user_model().objects.filter(email=COLLEAGUE).delete()


def test_on_a_shared_computer_the_next_person_does_not_get_the_draft(
    page,
    live_server_port,
    committed_member,  # noqa: F811
):
    """Audit A30 #2: the director's session ended, she sent the form and left; a colleague
    signing in with her own account in that tab got the director's text back."""
    run_committed(add_colleague, committed_member)
    try:
        signed_in_on_form(page, live_server_port)
        page.locator("#id_notes").fill("Situation de Mme X, à ne pas diffuser")
        end_session()
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_url(re.compile(r"/connexion/\?"))
        page.get_by_label("Identifiant (adresse e-mail)").fill(COLLEAGUE)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(f"{member_url(live_server_port)}{FORM}")
        assert page.locator("#id_notes").input_value() == ""
        expect(page.locator("p.message").filter(has_text=RESTORED)).to_have_count(0)
        assert "Situation de Mme X" not in stored(page)  # dropped, not kept for later
    finally:
        run_committed(remove_colleague)
