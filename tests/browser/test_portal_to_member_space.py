"""A person's path through the portal into a member space, in a real browser."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from tenants.models import MemberCCAS, Membership
from tenants.services import grant_membership, onboard_member
from tests.conftest import PASSWORD, run_committed

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]


def create_member_with_director() -> MemberCCAS:
    member = onboard_member("93053")  # Noisy-le-Sec
    connection.set_schema_to_public()
    grant_membership(member, "dir@noisy.test", Membership.Role.DIRECTOR, password=PASSWORD)
    return member


def remove_member_and_director(member: MemberCCAS) -> None:
    get_user_model().objects.filter(email="dir@noisy.test").delete()
    MemberCCAS.objects.get(pk=member.pk).delete(force_drop=True)


@pytest.fixture
def committed_member():
    member = run_committed(create_member_with_director)
    yield member
    run_committed(remove_member_and_director, member)


def test_directory_then_login_then_member_home(page, live_server_port, committed_member):
    page.goto(f"http://localhost:{live_server_port}/")
    page.get_by_role("link", name="Membres").first.click()
    page.get_by_role("link", name="Espace membre — CCAS de Noisy-le-Sec").click()
    page.wait_for_url(f"http://noisy-le-sec.localhost:{live_server_port}/connexion/**")
    page.get_by_label("Identifiant (adresse e-mail)").fill("dir@noisy.test")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"http://noisy-le-sec.localhost:{live_server_port}/")
    assert page.get_by_role("heading", level=1).inner_text() == "CCAS de Noisy-le-Sec"
    assert "93053" in page.content()


def test_keyboard_user_reaches_the_content_with_the_skip_link(page, live_server_port):
    page.goto(f"http://localhost:{live_server_port}/membres/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Aller au contenu"
