"""The welcome desk on a 360 px phone, in a real browser (audit A21): a volunteer sees the
person's name while tapping « Présent(e) à l'atelier » (the name column stays at the left of the
table's scrolling box), the count above the list is read whole, the « Par atelier » links are
away from the « Personne arrivée sans inscription » button and big enough for a finger; the small
lines of the organisers' lists and the agenda's address field are large enough to read (and to
focus without iOS zooming in)."""

import threading

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import conftest as browser_tests
from tests.browser.conftest import chromium_path, launch_chromium, serve_static, sign_in
from tests.browser.test_check_in_phone_s16 import build_desk as build_s16_desk
from tests.browser.test_check_in_phone_s16 import remove_desk
from tests.conftest import run_committed

pytestmark = [pytest.mark.browser, pytest.mark.committed, pytest.mark.django_db]

# The browser tests' live server (tests/browser/conftest.py), outside their folder.
live_server_port = browser_tests.live_server_port

ORGANISER = "accueil.s37@union.test"
PHONE = {"width": 360, "height": 740}
LIST_ROWS = "table.door > tbody > tr, table.registrations > tbody > tr"


def build_desk() -> dict:
    """An event on its day, three ateliers, six people with long names each in two of them,
    with a phone (the line under a name holds its link): the s16 desk's, titled apart."""
    return build_s16_desk(
        title="Journée d'étude : l'accès aux droits et la domiciliation dans les CCAS",
        organiser_email=ORGANISER,
        phone="01 48 30 00 00",
    )


@pytest.fixture
def desk():
    built = run_committed(build_desk)
    yield built
    run_committed(remove_desk, built)


def in_chromium(work) -> None:
    """Run `work(page)` in a Chromium of its own, at a phone's size, in a thread of its own: the
    browser tests' session Chromium (tests/browser/conftest.py) may run Playwright's event loop
    in this thread, where its sync API refuses to start another (as in
    tests/workspace/test_review_s15_activity.py)."""
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium introuvable.")
    failures = []

    def run():
        browsers = launch_chromium(sync_playwright, path)
        try:
            context = next(browsers).new_context(locale="fr-FR", viewport=PHONE)
            page = context.new_page()
            page.route("**/static/**", serve_static)
            work(page)
        except BaseException as error:  # raised again in the test's thread
            failures.append(error)
        finally:
            browsers.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


@pytest.fixture
def phone(live_server_port, desk):
    """Runs `work(page, base)` on a 360 px phone, the organiser signed in (once `desk` has made
    her); `base` is the live server's address."""
    base = f"http://localhost:{live_server_port}"

    def run(work, signed_in: bool = True):
        def signed_in_work(page):
            if signed_in:
                sign_in(page, base, ORGANISER)
            work(page, base)

        in_chromium(signed_in_work)

    return run


# Whether the point at the middle of `element` shows it (or what it holds), not something drawn
# over it (a sticky column).
SHOWN = """element => {
    const box = element.getBoundingClientRect();
    const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return top !== null && (element === top || element.contains(top));
}"""

# The box of an element's text (not of its cell, which may be wider than its words).
TEXT_BOX = """element => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const box = range.getBoundingClientRect();
    return {x: box.x, y: box.y, width: box.width, height: box.height};
}"""


def assert_in_view(box: dict, what: str) -> None:
    assert box["x"] >= -0.5 and box["x"] + box["width"] <= PHONE["width"] + 0.5, (what, box)
    assert box["y"] >= -0.5 and box["y"] + box["height"] <= PHONE["height"] + 0.5, (what, box)


def check_names_beside_buttons(page) -> int:
    """For each « Présent(e) à l'atelier » button, once scrolled to (the least sideways, as a
    finger swipes, to the middle of the screen's height): the button and its row's name both on
    the screen, neither covered by the other. Then reached by the keyboard from the table's left
    end: the focused button not under the name. Returns how many buttons."""
    buttons = 0
    for row in page.locator(LIST_ROWS).all():
        name = row.locator("th[scope=row]")
        for button in row.locator(".atelier-marks button").all():
            label = button.inner_text().strip()
            button.evaluate("b => b.scrollIntoView({block: 'center', inline: 'nearest'})")
            assert_in_view(button.bounding_box(), label)
            assert button.evaluate(SHOWN), label
            assert_in_view(name.evaluate(TEXT_BOX), name.inner_text())
            assert name.evaluate(SHOWN), name.inner_text()
            button.evaluate("b => { b.closest('.table-scroll').scrollLeft = 0; b.focus(); }")
            assert button.evaluate(SHOWN), label
            buttons += 1
    return buttons


def test_the_name_stays_in_view_beside_the_atelier_buttons(phone, desk):
    def look(page, base):
        door = f"{base}/admin/inscriptions/accueil/{desk['seminar']}/"
        for url, rows in (
            (door, 6),
            (f"{door}?atelier={desk['ateliers'][2]}#liste", 6),  # « Domiciliation »: everyone
            # The organisers' own list on the event's day, with the same buttons.
            (f"{base}/admin/inscriptions/{desk['seminar']}/", 6),
        ):
            page.goto(url)
            assert page.locator(LIST_ROWS).count() == rows, url
            buttons = page.get_by_role("button", name="Présent(e) à l'atelier").count()
            assert buttons >= rows, url
            assert check_names_beside_buttons(page) == buttons, url

    phone(look)


def test_the_door_list_caption_is_read_whole_at_any_scroll(phone, desk):
    def look(page, base):
        page.goto(f"{base}/admin/inscriptions/accueil/{desk['seminar']}/")
        scroller = page.locator(".table-scroll").filter(has=page.locator("table.door"))
        caption = scroller.locator("caption")
        assert caption.inner_text().strip() == "6 personnes"
        frame = scroller.bounding_box()
        left, right = frame["x"] - 0.5, frame["x"] + frame["width"] + 0.5
        assert scroller.evaluate("s => s.scrollWidth > s.clientWidth")  # the table does scroll
        for scroll in ("0", "s.scrollWidth"):
            scroller.evaluate(f"s => {{ s.scrollLeft = {scroll}; }}")
            text = caption.evaluate(TEXT_BOX)
            assert left <= text["x"] and text["x"] + text["width"] <= right, (scroll, text, frame)

    phone(look)


def test_the_atelier_links_are_apart_from_the_button_and_big_enough(phone, desk):
    def look(page, base):
        page.goto(f"{base}/admin/inscriptions/accueil/{desk['seminar']}/")
        button = page.get_by_role("link", name="Personne arrivée sans inscription").bounding_box()
        near = {  # the button's box grown by half a 24 px target on each side
            "left": button["x"] - 12,
            "right": button["x"] + button["width"] + 12,
            "top": button["y"] - 12,
            "bottom": button["y"] + button["height"] + 12,
        }
        links = page.get_by_role("navigation", name="Accueil par atelier").get_by_role("link").all()
        assert len(links) == 4  # the whole event, then each atelier
        for link in links:
            box = link.bounding_box()
            assert box["height"] >= 24, (link.inner_text(), box)
            apart = (
                box["x"] >= near["right"]
                or box["x"] + box["width"] <= near["left"]
                or box["y"] >= near["bottom"]
                or box["y"] + box["height"] <= near["top"]
            )
            assert apart, (link.inner_text(), box, button)

    phone(look)


def test_the_small_lines_of_the_organisers_lists_are_12_px_or_more(phone, desk):
    def look(page, base):
        size = "element => parseFloat(getComputedStyle(element).fontSize)"
        page.goto(f"{base}/admin/inscriptions/{desk['seminar']}/")
        under_name = page.locator("table.registrations tbody th[scope=row] small").first
        assert "mairie-exemple.fr" in under_name.inner_text()
        assert under_name.evaluate(size) >= 12
        # The phone number under it, a link to tap.
        assert under_name.locator("a[href^='tel:']").evaluate(size) >= 12
        page.goto(f"{base}/admin/inscriptions/")
        title = page.get_by_role("link", name="Journée d'étude", exact=False).first
        under_title = title.locator("xpath=ancestor::th[1]//small")
        assert under_title.evaluate(size) >= 12

    phone(look)


def test_the_agenda_address_field_is_16_px_on_a_phone(phone):
    def look(page, base):
        page.goto(f"{base}/evenements/")
        field = page.get_by_label("Adresse de l'agenda, à copier")
        assert field.evaluate("element => parseFloat(getComputedStyle(element).fontSize)") >= 16

    phone(look, signed_in=False)
