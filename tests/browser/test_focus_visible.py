"""The keyboard focus can be seen on every background of the portal (WCAG 1.4.11, 2.4.7).

The test server does not serve static files (no collectstatic in tests): the browser's requests
for /static/ are answered from the apps' static folders, as `collectstatic` would gather them."""

import pytest

from tests.browser.conftest import serve_static

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# The focused element's two rings (the outline inside, the box-shadow's spread outside) and the
# first opaque background behind it.
RINGS = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  let behind = element.parentElement, background = "rgba(0, 0, 0, 0)";
  while (behind) {
    background = getComputedStyle(behind).backgroundColor;
    if (!background.endsWith(", 0)") && background !== "transparent") break;
    behind = behind.parentElement;
  }
  return {
    text: element.textContent.trim(),
    outline: [style.outlineStyle, style.outlineWidth, style.outlineColor],
    shadow: style.boxShadow,
    background: behind ? background : "rgb(255, 255, 255)",
  };
}"""


def rgb(css: str) -> tuple[int, ...]:
    inside = css[css.index("(") + 1 : css.index(")")]
    return tuple(int(float(part)) for part in inside.split(",")[:3])


def luminance(color: tuple[int, ...]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def check_rings(rings: dict) -> None:
    """Two rings of 3px: the outer one stands out from the background (3:1), the inner one
    from the outer one, so that the pair reads on any colour."""
    style, width, inner = rings["outline"]
    assert style == "solid" and width == "3px", rings
    shadow = rings["shadow"]
    assert shadow.endswith("0px 0px 0px 6px"), rings  # computed: "rgb(…) 0px 0px 0px 6px"
    outer = rgb(shadow)
    background = rgb(rings["background"])
    assert contrast(outer, background) >= 3, rings
    assert contrast(rgb(inner), outer) >= 3, rings


def test_the_focus_rings_stand_out_on_white_the_nav_band_and_the_dark_footer(
    page, live_server_port
):
    page.route("**/static/**", serve_static)
    page.goto(f"http://localhost:{live_server_port}/membres/")
    backgrounds = set()
    page.keyboard.press("Tab")  # the skip link
    for _ in range(12):  # the header's and the navigation's links
        rings = page.evaluate(RINGS)
        check_rings(rings)
        backgrounds.add(rings["background"])
        page.keyboard.press("Tab")
    page.locator(".site-footer a").last.focus()
    rings = page.evaluate(RINGS)
    check_rings(rings)
    backgrounds.add(rings["background"])
    # White page, the nav band (#f3f5f9) and the dark footer (--ink) were all seen.
    assert {"rgb(255, 255, 255)", "rgb(243, 245, 249)", "rgb(29, 36, 51)"} <= backgrounds
