"""The ABS portrait and comparison pages in a real browser, on a phone and a desktop: the charts'
text is of a readable size where the pages show them, each box to tick sits beside its
commune's name, tables' captions stay in view, and the page never scrolls sideways.

The pages come from the Django test client, inside the test's transaction (nothing committed):
the browser's requests to http://testserver/ are page by it, /static/ from the apps' folders
(`serve_static`)."""

import pytest

from tests.abs_shared.conftest import pool_member, pool_value, reference
from tests.browser.conftest import serve_static

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

EST_ENSEMBLE = "200057875"
COMPARISON = "/indicateurs/communes/93010/TP60/?annee=2021&avec=93051&avec=93066"
PORTRAIT = "/indicateurs/communes/93010/"
INDICATOR = "/indicateurs/TP60/?annee=2021"  # the bar chart: a wide and a narrow drawing

MEASURE = """() => {
  const shown = [...document.querySelectorAll("svg.abs-chart")].filter(
    (svg) => svg.getClientRects().length > 0);
  const charts = shown.map((svg) => {
    const scale = svg.getScreenCTM().a;
    const sizes = [...svg.querySelectorAll("text")].map(
      (text) => parseFloat(getComputedStyle(text).fontSize) * scale);
    return {kind: svg.getAttribute("class"), smallest: Math.min(...sizes)};
  });
  const boxes = [...document.querySelectorAll(".abs-checkboxes input")].map((box) => {
    const b = box.getBoundingClientRect();
    const label = document.querySelector(`label[for="${box.id}"]`).getBoundingClientRect();
    return {gap: label.left - b.right, top: label.top - b.top};
  });
  const captions = [...document.querySelectorAll("caption")].map((caption) => {
    const range = document.createRange();
    range.selectNodeContents(caption);
    return range.getBoundingClientRect().right;
  });
  const key = document.querySelector(".abs-key");
  return {
    charts, boxes, captions,
    key: key ? key.getBoundingClientRect().height : 0,
    pageWidth: document.documentElement.scrollWidth,
    viewport: document.documentElement.clientWidth,
  };
}"""


def serve(page, responses: dict) -> None:
    """Answer the browser's requests to http://testserver/ with these test client responses
    (by path), rendered beforehand: Playwright calls a route's handler in a context of its own,
    where Django would open another database connection, outside the test's transaction."""

    def handle(route):
        url = route.request.url
        if "/static/" in url:
            serve_static(route)
            return
        response = responses[url.split("://testserver", 1)[1]]
        route.fulfill(
            status=response.status_code,
            body=response.content,
            content_type=response["Content-Type"],
        )

    page.route("http://testserver/**", handle)


@pytest.fixture
def published(db):
    """TP60 2020-2021 of Bondy and seven communes (Noisy-le-Grand's long name among them),
    Bondy's EPT, département, région and France; CHOM 2021 for a second card."""
    values = {"93010": 27.1, "93048": 31.8, "93066": 26.4, "93051": 24.0, "93064": 12.5}
    values |= {"93001": 35.0, "93005": 20.2, "93070": 22.8}
    for insee, value in values.items():
        member = pool_member(insee)
        pool_value(member, "TP60", 2020, round(value - 0.3, 1))
        pool_value(member, "TP60", 2021, value)
        pool_value(member, "CHOM", 2021, round(value / 2, 1))
    for level, code, value in (
        ("epci", EST_ENSEMBLE, 27.4),
        ("departement", "93", 27.6),
        ("region", "11", 15.9),
        ("france", "FRM", 14.5),
    ):
        for year in (2020, 2021):
            reference(level, code, "TP60", year, value)


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_abs_pages_read_at_phone_and_desktop_widths(page, portal, published, width):
    serve(page, {path: portal.get(path) for path in (COMPARISON, PORTRAIT, INDICATOR)})
    page.set_viewport_size({"width": width, "height": 900})
    for path in (COMPARISON, PORTRAIT, INDICATOR):
        page.goto(f"http://testserver{path}")
        shown = page.evaluate(MEASURE)
        assert shown["pageWidth"] <= shown["viewport"], (path, shown["pageWidth"])
        assert shown["charts"], path
        assert path == INDICATOR or shown["key"] > 0, path  # the position charts' key
        # A chart's text at 12 px at least on a phone and a desktop. (320 px is the reflow
        # check, WCAG 1.4.10: a 1280 px screen zoomed to 400 %, where it is four times larger.)
        for chart in shown["charts"]:
            assert width == 320 or chart["smallest"] >= 12, (path, chart)
        # The indicator page shows one of its two bar charts: the narrow one on a phone.
        if path == INDICATOR:
            (bar_chart,) = shown["charts"]
            narrow = "abs-chart-bar-narrow" in bar_chart["kind"]
            assert narrow == (width < 768), (width, bar_chart)
        # Captions wrap inside the screen, even over a table that scrolls in its box.
        for right in shown["captions"]:
            assert right <= shown["viewport"], (path, right)
    # Each box on the first line of its commune's name, just before it.
    page.goto(f"http://testserver{COMPARISON}")
    boxes = page.evaluate(MEASURE)["boxes"]
    assert len(boxes) == 7
    for box in boxes:
        assert 0 <= box["gap"] <= 12, box
        assert abs(box["top"]) <= 8, box
