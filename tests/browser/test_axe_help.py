"""Accessibility audit of « Aide de l'équipe de l'union » (`/admin/aide/`): the same axe rules,
viewports and whole-page scope as the other admin screens (tests/browser/test_axe_admin.py), as an
event organiser and as a volunteer of the welcome desk; and its table of contents by keyboard."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from seminars.door_access import DOOR_STAFF
from tests.browser.conftest import serve_static, sign_in
from tests.browser.test_axe_admin import admin_url, assert_tables_reachable, audit_admin, go
from tests.conftest import PASSWORD, run_committed
from union import roles
from union.services import ensure_union_groups

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]

PEOPLE = {
    roles.EVENT_ORGANISER: "organisatrice@aide.axe.test",
    DOOR_STAFF: "accueil@aide.axe.test",
}


def create_people() -> None:
    ensure_union_groups()
    for group, email in PEOPLE.items():
        user = get_user_model().objects.create_user(email, email, PASSWORD)
        user.groups.add(Group.objects.get(name=group))


def remove_people() -> None:
    get_user_model().objects.filter(email__in=PEOPLE.values()).delete()


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        run_committed(create_people)
    yield PEOPLE
    with django_db_blocker.unblock():
        run_committed(remove_people)


def signed_in_page(browser, port: int, email: str):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.route("**/static/**", serve_static)
    sign_in(page, f"http://localhost:{port}", email)
    return context, page


@pytest.mark.parametrize("group", list(PEOPLE))
def test_the_staff_guide_passes_the_audit(browser, live_server_port, people, group):
    context, page = signed_in_page(browser, live_server_port, people[group])
    try:
        go(page, admin_url(live_server_port, "aide/"))
        assert page.get_by_role("heading", level=1).inner_text() == "Aide de l'équipe de l'union"
        audit_admin(page)
        assert_tables_reachable(page)
    finally:
        context.close()


def test_the_table_of_contents_works_by_keyboard(browser, live_server_port, people):
    context, page = signed_in_page(browser, live_server_port, people[roles.EVENT_ORGANISER])
    try:
        go(page, admin_url(live_server_port, "aide/"))
        link = page.get_by_role("navigation", name="Sommaire").get_by_role(
            "link", name="Écrire aux inscrits"
        )
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/admin/aide/#message")
        assert page.get_by_role("heading", name="Écrire aux inscrits", level=2).is_visible()
    finally:
        context.close()
