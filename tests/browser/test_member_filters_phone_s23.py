"""The union's members list on a phone (375 px): its filters were a run of inline labels and
boxes that wrapped wherever the line ended, a label at the end of one line and its box at the
start of the next. Each label now sits above its own box, each box as wide as the screen allows,
and the check box beside its label; on a laptop the search and the status share a row."""

# ruff: noqa: F811 (test_axe_admin's fixtures, imported below, are arguments of the tests)

import pytest

from tests.browser.test_axe_admin import (  # noqa: F401 (its fixtures, used by name)
    UNION_ADMIN,
    admin_demo,
    admin_url,
    audit_admin,
    go,
    sessions,
    signed_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]

PHONE = {"width": 375, "height": 800}
LAPTOP = {"width": 1280, "height": 800}


def box(page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


def test_on_a_phone_each_filter_label_sits_above_its_own_box(signed_in, live_server_port):
    page = signed_in(UNION_ADMIN)
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
    page = signed_in(UNION_ADMIN)
    page.set_viewport_size(LAPTOP)
    go(page, admin_url(live_server_port, "membres/?q=Bondy"))
    search, status = box(page, "#q"), box(page, "#statut")
    button = box(page, "form.member-filters button[type='submit']")
    assert abs(search["y"] - status["y"]) <= 2 and status["x"] > search["x"] + search["width"]
    form = box(page, "form.member-filters")
    assert button["x"] + button["width"] <= form["x"] + form["width"]
    assert page.locator("#q").input_value() == "Bondy"
