"""Session 21, an elected official on a phone (375 px): the event page's ateliers table fits the
screen when no room is known (tests/seminars/test_review_s21_official.py, point 5): its
« Salle » column of « – » pushed « Places » out of view, to be scrolled sideways."""

import pytest

from seminars.links import page_path
from seminars.models import SeminarPage
from tests.browser.conftest import serve_static
from tests.browser.test_seminar_registration import remove_workshop
from tests.conftest import run_committed
from tests.seminars.conftest import make_seminar

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]


def create_workshop() -> SeminarPage:
    return make_seminar(
        "Atelier début de mandat sur téléphone",
        seats=30,
        ateliers=(
            ("Le budget du CCAS, ses grandes masses", 1, 2, 10),
            ("L'ABS en pratique", 1, 2, 10),
            ("Aides facultatives", 4, 2, 1),
        ),
    )


@pytest.fixture
def workshop():
    seminar = run_committed(create_workshop)
    yield seminar
    run_committed(remove_workshop, seminar)


def test_the_ateliers_table_fits_a_phone_without_rooms(page, live_server_port, workshop):
    page.set_viewport_size({"width": 375, "height": 800})
    page.route("**/static/**", serve_static)
    page.goto(f"http://localhost:{live_server_port}{page_path(workshop)}")
    table = page.locator("table", has=page.locator("caption", has_text="Ateliers proposés"))
    widths = table.evaluate(
        "t => ({box: t.parentElement.clientWidth, table: t.scrollWidth, page: innerWidth})"
    )
    assert widths["page"] == 375
    # The whole table is seen without scrolling it sideways: « Places » included.
    assert widths["table"] <= widths["box"], widths
    places = page.get_by_role("columnheader", name="Places")
    box = places.bounding_box()
    assert box["x"] + box["width"] <= 375
