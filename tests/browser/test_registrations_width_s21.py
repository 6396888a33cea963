"""The organisers' registrations list on a laptop (1280 px): the table fits its box, so every
row's buttons (« Modifier », « Renvoyer le lien », « Annuler ») are seen without scrolling
sideways. They sat in one line and made the table 1,036 px wide in a 920 px box, « Annuler »
cut in half (found walking the organiser's day, session 21)."""

import pytest

from tests.browser.conftest import serve_static, sign_in
from tests.browser.test_check_in_phone_s16 import ORGANISER, desk  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]


def test_the_registrations_table_fits_a_laptop(page, live_server_port, desk):  # noqa: F811
    page.route("**/static/**", serve_static)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, f"http://localhost:{live_server_port}", ORGANISER)
    page.goto(f"http://localhost:{live_server_port}/admin/inscriptions/{desk['seminar']}/")
    table = page.locator("table.registrations")
    widths = table.evaluate("t => ({box: t.parentElement.clientWidth, table: t.scrollWidth})")
    cols = table.evaluate(
        "t => [...t.querySelectorAll('thead th')].map(h => [h.textContent, h.getBoundingClientRect().width])"
    )
    assert widths["table"] <= widths["box"], (widths, cols)
    cancel = table.locator("tbody tr").first.get_by_role("link", name="Annuler")
    box = cancel.bounding_box()
    scroller = page.locator(".table-scroll").filter(has=table).bounding_box()
    assert box["x"] + box["width"] <= scroller["x"] + scroller["width"], (box, scroller)
    # « Présent(e) à l'atelier » takes two lines when it must, and shows both.
    clipped = table.evaluate(
        "t => [...t.querySelectorAll('.atelier-marks .button')]"
        ".filter(b => b.scrollHeight > b.clientHeight + 1).length"
    )
    assert clipped == 0
