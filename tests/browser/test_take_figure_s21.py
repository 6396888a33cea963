"""Session 21: « Reprendre ce chiffre » in Chromium, with the site's Content-Security-Policy.

The director of a CCAS types a comment on a DOMIC value form, then takes the activity report's
figure: the value is typed in place (abs_shared/static/abs_shared/take_figure.js), focus goes to
it, the status line says so, the page is not reloaded (the comment is still there), and the
policy refuses nothing. Saving then keeps both."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from abs_shared.local.models import Observation
from tenants.models import MemberCCAS, Membership
from tenants.services import grant_membership, onboard_member
from tests.abs_shared.conftest import observe
from tests.browser.test_csp_s18 import Watch
from tests.conftest import PASSWORD, run_committed
from tests.workspace.conftest import add_figures

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]

EMAIL = "direction@stains.take.test"
STAINS = "93072"
ANNOUNCE = "Chiffre repris du rapport d'activité 2025 (412) : vérifiez-le, puis enregistrez."


def create_member() -> tuple[MemberCCAS, int]:
    member = onboard_member(STAINS)
    grant_membership(member, EMAIL, Membership.Role.DIRECTOR, password=PASSWORD)
    add_figures(
        member, (2025, "Élection de domicile", "Domiciliations actives au 31 décembre", 412, None)
    )
    observation = observe(member, "DOMIC", 2025, 398)
    connection.set_schema_to_public()
    return member, observation.pk


def remove_member(member: MemberCCAS) -> None:
    get_user_model().objects.filter(email=EMAIL).delete()
    MemberCCAS.objects.get(pk=member.pk).delete(force_drop=True)


@pytest.fixture
def stains():
    member, pk = run_committed(create_member)
    yield member, pk
    run_committed(remove_member, member)


def saved(member: MemberCCAS, pk: int) -> Observation:
    with schema_context(member.schema_name):
        return Observation.objects.get(pk=pk)


def sign_in(page, watch, member, port: int) -> str:
    """The director signs in on the member's host; returns that host's address."""
    base = f"http://{member.domain_name}:{port}"
    watch.visit(f"{base}/connexion/")
    page.get_by_label("Identifiant (adresse e-mail)").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")
    return base


@pytest.mark.parametrize("width", [1280, 375])
def test_taking_the_figure_keeps_what_was_typed(page, live_server_port, stains, width):
    member, pk = stains
    page.set_viewport_size({"width": width, "height": 800})
    watch = Watch(page)
    base = sign_in(page, watch, member, live_server_port)

    form = f"{base}/abs/observations/{pk}/modifier/"
    watch.visit(form, "Modifier")
    page.get_by_label("Source").fill("Registre des domiciliations")
    page.get_by_label("Commentaire").fill("Compté à la main au 31 décembre")
    # Reloading would be seen: a mark left on the window disappears with the page.
    page.evaluate("window.__notReloaded = true")
    # With the keyboard, as a director without a mouse would: the link, then Enter.
    page.get_by_role("link", name="Reprendre ce chiffre").focus()
    page.keyboard.press("Enter")

    value = page.get_by_label("Valeur", exact=True)
    expect(value).to_have_value("412")
    expect(value).to_be_focused()
    # The feature's own status line (forms.js adds one beside each POST form's button).
    expect(page.locator("#abs-take-status")).to_have_text(ANNOUNCE)
    assert page.evaluate("window.__notReloaded === true"), "la page a été rechargée"
    assert page.url == form
    expect(page.get_by_label("Commentaire")).to_have_value("Compté à la main au 31 décembre")
    expect(page.get_by_label("Source")).to_have_value("Registre des domiciliations")
    assert not watch.violations(), watch.violations()
    assert not watch.errors, watch.errors

    page.get_by_role("button", name="Enregistrer comme brouillon").click()
    page.wait_for_url(f"{base}/abs/")
    # Read in a thread of its own: a read in the test's transaction would hold a lock on the
    # member's table until the end, and dropping its schema afterwards would wait for ever.
    observation = run_committed(saved, member, pk)
    assert observation.value == 412
    assert observation.comment == "Compté à la main au 31 décembre"
    assert observation.source == "Registre des domiciliations"
    assert not watch.violations(), watch.violations()


def test_a_new_value_whose_year_changed_follows_the_link(page, live_server_port, stains):
    """The figure belongs to 2025: once the year typed is another, the script leaves the link
    to reload the form on 2025, as it says, rather than typing 2025's figure into 2024's value."""
    member, _ = stains
    watch = Watch(page)
    base = sign_in(page, watch, member, live_server_port)

    watch.visit(f"{base}/abs/observations/ajouter/?indicateur=DOMIC&annee=2025", "Saisir")
    page.get_by_label("Année").fill("2024")
    page.get_by_role("link", name="Reprendre ce chiffre").click()
    page.wait_for_url("**reprendre=activite**")
    expect(page.get_by_label("Année")).to_have_value("2025")
    expect(page.get_by_label("Valeur", exact=True)).to_have_value("412")
    assert not watch.violations(), watch.violations()
