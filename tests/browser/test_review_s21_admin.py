"""Review s21, in a browser: the direction of a member that left the union signs in on the
portal and, from « Mes espaces », reaches the page where she downloads the space's data
(tests/tenants/test_review_s21_admin.py, point 7: « Mes espaces » showed only the status).
The pages it crosses are audited with axe at a desktop's and a phone's width."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.db import connection

from tenants.models import MemberCCAS, Membership
from tenants.services import grant_membership, onboard_member, set_member_status
from tests.browser.conftest import serve_static
from tests.browser.test_axe import AXE_OPTIONS, VIEWPORTS, report
from tests.conftest import PASSWORD, run_committed

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]

DIRECTOR = "dir@noisy.s21.test"


def create_departed_member() -> MemberCCAS:
    member = onboard_member("93053")  # Noisy-le-Sec
    connection.set_schema_to_public()
    grant_membership(member, DIRECTOR, Membership.Role.DIRECTOR, password=PASSWORD)
    return set_member_status(member, MemberCCAS.Status.LEFT)


def remove(member: MemberCCAS) -> None:
    get_user_model().objects.filter(email=DIRECTOR).delete()
    MemberCCAS.objects.get(pk=member.pk).delete(force_drop=True)


@pytest.fixture
def departed():
    member = run_committed(create_departed_member)
    yield member
    run_committed(remove, member)


def test_the_direction_of_a_member_that_left_reaches_its_data(page, live_server_port, departed):
    page.route("**/static/**", serve_static)
    portal = f"http://localhost:{live_server_port}"
    page.goto(f"{portal}/connexion/")
    page.get_by_label("Identifiant (adresse e-mail)").fill(DIRECTOR.upper())
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{portal}/compte/")
    for name, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
        assert not violations, report(f"« Mes espaces » ({name})", violations)
    row = page.get_by_role("row", name="CCAS de Noisy-le-Sec")
    assert "inclus" in row.inner_text()
    row.get_by_role("button", name="Télécharger nos données — CCAS de Noisy-le-Sec").click()
    page.get_by_role("button", name="Ouvrir l'espace du CCAS de Noisy-le-Sec").click()
    page.wait_for_url(f"http://noisy-le-sec.localhost:{live_server_port}/donnees/")
    assert page.get_by_role("heading", level=1).inner_text() == "Toutes nos données"
