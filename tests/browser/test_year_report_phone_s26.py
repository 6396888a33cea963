"""The organisers' « Bilan des rencontres » on a 375 px phone. Its year filter is in the shared
`.filters` form (union/static/css/admin.css) since session 25, but its label and box were not in a
`.field`: the rules put them side by side, the box 23 px higher than its label (measured by this
test before the template wrapped them). The page must fit the screen, the year's label sit above
its box, the button stay on screen, and the filter work."""

import pytest

from tests.browser.test_axe_admin import admin_url, audit_admin, go
from tests.browser.test_check_in_phone_s16 import SIDEWAYS
from tests.browser.test_registrations_phone_s24 import PHONE, box, signed_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]


def test_on_a_phone_the_year_report_fits_the_screen(signed_in, live_server_port):  # noqa: F811
    page, _seminar = signed_in  # an event over since yesterday: this year has a report
    page.set_viewport_size(PHONE)
    go(page, admin_url(live_server_port, "inscriptions/bilan/"))

    sideways = page.evaluate(SIDEWAYS)
    assert sideways["scrollWidth"] <= sideways["width"], sideways
    assert sideways["escaping"] == [], sideways

    form = box(page, "form.filters")
    label, year = box(page, "label[for='annee']"), box(page, "#annee")
    assert year["y"] >= label["y"] + label["height"] - 1  # under its label
    assert abs(year["x"] - label["x"]) <= 1  # aligned with it
    assert year["width"] >= form["width"] - 2  # the whole row
    submit = box(page, "form.filters button[type='submit']")
    assert 0 <= submit["x"] and submit["x"] + submit["width"] <= PHONE["width"]
    page.get_by_role(
        "button", name="Afficher", exact=True
    ).click()  # the filter works from the phone
    page.wait_for_url("**annee=*")
    audit_admin(page)  # desktop, then phone
