"""The union's members list on a phone (375 px): its filters were a run of inline labels and
boxes that wrapped wherever the line ended, a label at the end of one line and its box at the
start of the next. Each label now sits above its own box, each box as wide as the screen allows,
and the check box beside its label; on a laptop the search and the status share a row."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection

from tenants.models import MemberCCAS
from tenants.services import onboard_member
from tests.browser.conftest import serve_static, sign_in
from tests.browser.test_axe_admin import admin_url, audit_admin, go
from tests.conftest import PASSWORD, run_committed
from union import roles

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]

ADMIN = "administratrice@filtres.s23.test"


def create_admin_and_member() -> int:
    """A union administrator, and one member so that the list has a row."""
    user = get_user_model().objects.create_user(ADMIN, ADMIN, PASSWORD)
    user.groups.add(Group.objects.get(name=roles.UNION_ADMIN))
    member = onboard_member("93053")  # Noisy-le-Sec
    connection.set_schema_to_public()
    return member.pk


def remove(member_pk: int) -> None:
    get_user_model().objects.filter(email=ADMIN).delete()
    MemberCCAS.objects.get(pk=member_pk).delete(force_drop=True)


@pytest.fixture
def signed_in(page, live_server_port):
    """The administrator's browser page, signed in (no demo: a light fixture of its own)."""
    member_pk = run_committed(create_admin_and_member)
    page.route("**/static/**", serve_static)
    sign_in(page, f"http://localhost:{live_server_port}", ADMIN)
    yield page
    run_committed(remove, member_pk)


PHONE = {"width": 375, "height": 800}
LAPTOP = {"width": 1280, "height": 800}


def box(page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


def test_on_a_phone_each_filter_label_sits_above_its_own_box(signed_in, live_server_port):
    page = signed_in
    page.set_viewport_size(PHONE)
    go(page, admin_url(live_server_port, "membres/"))
    form = box(page, "form.member-filters")
    for field in ("#q", "#statut"):
        label, control = box(page, f"label[for='{field[1:]}']"), box(page, field)
        assert control["y"] >= label["y"] + label["height"] - 1, field  # under its label
        assert abs(control["x"] - label["x"]) <= 1, field  # aligned with it
        assert control["width"] >= form["width"] - 2, field  # the whole row
        assert control["x"] + control["width"] <= PHONE["width"], field
    checkbox, its_label = box(page, "#direction"), box(page, "label[for='direction']")
    assert (
        abs(checkbox["y"] + checkbox["height"] / 2 - (its_label["y"] + its_label["height"] / 2))
        < 12
    )
    assert its_label["x"] > checkbox["x"]
    button = box(page, "form.member-filters button[type='submit']")
    assert button["x"] + button["width"] <= PHONE["width"]
    audit_admin(page)


def test_on_a_laptop_search_and_status_share_a_row(signed_in, live_server_port):
    page = signed_in
    page.set_viewport_size(LAPTOP)
    go(page, admin_url(live_server_port, "membres/?q=Noisy"))
    search, status = box(page, "#q"), box(page, "#statut")
    button = box(page, "form.member-filters button[type='submit']")
    assert abs(search["y"] - status["y"]) <= 2 and status["x"] > search["x"] + search["width"]
    form = box(page, "form.member-filters")
    assert button["x"] + button["width"] <= form["x"] + form["width"]
    assert page.locator("#q").input_value() == "Noisy"
