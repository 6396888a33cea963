"""A director's path in a real browser: dashboard, import with an error then fixed, report."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tenants.models import MemberCCAS, Membership
from tenants.services import grant_membership, onboard_member
from tenants.workspace import demo
from tests.conftest import PASSWORD, run_committed

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]
SHOTS = os.environ.get("WORKSPACE_SCREENSHOTS")  # a folder, to look at the pages


def create_member() -> MemberCCAS:
    member = onboard_member("93064")  # Rosny-sous-Bois
    grant_membership(member, "dir@rosny.test", Membership.Role.DIRECTOR, password=PASSWORD)
    with schema_context(member.schema_name):
        demo._board(member, breaks="no_vice_president")
        demo._activity(member, years=3)
    connection.set_schema_to_public()
    return member


def remove_member(member: MemberCCAS) -> None:
    get_user_model().objects.filter(email="dir@rosny.test").delete()
    MemberCCAS.objects.get(pk=member.pk).delete(force_drop=True)


@pytest.fixture
def committed_member():
    member = run_committed(create_member)
    yield member
    run_committed(remove_member, member)


def shot(browser_page, name):
    if SHOTS:
        browser_page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_dashboard_import_and_report(page, live_server_port, committed_member, tmp_path):
    base = f"http://rosny-sous-bois.localhost:{live_server_port}"
    page.goto(f"{base}/connexion/")
    page.get_by_label("Identifiant (adresse e-mail)").fill("dir@rosny.test")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")
    assert "1 point à corriger" in page.content()
    shot(page, "dashboard")

    bad = tmp_path / "activite.csv"
    bad.write_text("year;pole;category;count;amount\n2025;Secours;Transports;beaucoup;\n")
    page.goto(f"{base}/activite/importer/")
    page.get_by_label("Fichier CSV ou XLSX").set_input_files(str(bad))
    page.get_by_role("button", name="Importer").click()
    # The click only submits: wait for the answer's alert, not the page being left.
    expect(page.get_by_role("alert")).to_contain_text("« beaucoup »")
    shot(page, "import-errors")

    good = tmp_path / "correct.csv"
    good.write_text("year;pole;category;count;amount\n2025;Secours;Transports;42;1 000,50\n")
    page.get_by_label("Fichier CSV ou XLSX").set_input_files(str(good))
    page.get_by_role("button", name="Importer").click()
    page.wait_for_url(f"{base}/activite/?annee=2025")
    # The demo's figures already hold this one: the message also says it replaced it.
    assert "1 chiffre importé" in page.content()
    expect(page.get_by_role("table", name="Secours")).to_be_visible()
    shot(page, "report")
    page.goto(f"{base}/conseil/")
    shot(page, "board")
    page.goto(f"{base}/equipe/")
    shot(page, "team")
