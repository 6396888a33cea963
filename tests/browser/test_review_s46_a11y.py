"""Session 46's accessibility review (helper session, read-only), in a real browser on a phone:
a form refused by the server reopened at the top of its page, its error summary far below, and
« Retirer l'accès » was too small a target right under « Renvoyer l'invitation »."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.db import connection

from tenants.models import MemberCCAS, Membership
from tenants.services import grant_membership, onboard_member
from tests.browser.conftest import serve_static, sign_in
from tests.conftest import PASSWORD, run_committed
from union.models import AuditEntry

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]

DIRECTOR = "direction@stains.s46.test"
AGENT = "agent@stains.s46.test"  # invited, never signed in: « Renvoyer l'invitation » is offered
PHONE = {"width": 375, "height": 800}


def create() -> int:
    member = onboard_member("93072")  # Stains
    connection.set_schema_to_public()
    grant_membership(member, DIRECTOR, Membership.Role.DIRECTOR, password=PASSWORD)
    grant_membership(member, AGENT, Membership.Role.AGENT, password=PASSWORD)
    return member.pk


def remove(member_pk: int) -> None:
    users = get_user_model().objects.filter(email__in=[DIRECTOR, AGENT])
    AuditEntry.objects.filter(member_id=member_pk).delete()
    AuditEntry.objects.filter(actor__in=users).delete()
    users.delete()
    MemberCCAS.objects.get(pk=member_pk).delete(force_drop=True)


@pytest.fixture
def director_page(page, live_server_port):
    member_pk = run_committed(create)
    host = run_committed(lambda: MemberCCAS.objects.get(pk=member_pk).get_primary_domain().domain)
    base = f"http://{host}:{live_server_port}"
    page.route("**/static/**", serve_static)
    page.set_viewport_size(PHONE)
    sign_in(page, base, DIRECTOR)
    yield page, base
    run_committed(remove, member_pk)


def test_the_remove_link_is_a_large_enough_target_on_a_phone(director_page):
    page, base = director_page
    page.goto(f"{base}/equipe/")
    assert page.get_by_role("button", name="Renvoyer l'invitation").count() == 1
    result = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["target-size"]}})
    violations = result.response["violations"]
    assert not violations, [node["target"] for v in violations for node in v["nodes"]]


@pytest.mark.parametrize(
    "path, submit",
    [
        ("/documents/", "form[enctype] button[type=submit]"),
        ("/equipe/", "form[novalidate] button[type=submit]"),
        ("/abs/importer/", "main form[enctype] button[type=submit]"),
    ],
)
def test_a_refused_form_shows_its_error_summary_on_a_phone(director_page, path, submit):
    page, base = director_page
    page.goto(f"{base}{path}")
    with page.expect_navigation():
        page.locator(submit).click()  # empty form: refused
    page.wait_for_load_state()
    top = page.evaluate("document.querySelector('.error-summary').getBoundingClientRect().top")
    assert 0 <= top < PHONE["height"], top
    focused = page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert focused
