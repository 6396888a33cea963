"""The evolution chart tells its series apart by marker shape and dash pattern, not by colour
alone (RGAA 3.1), and its legend shows both; the data table stays beside it."""

import re

import pytest

from tenants.models import Commune
from tests.abs_shared.conftest import pool_member, pool_value, reference

pytestmark = pytest.mark.django_db


def series_chart(page: str) -> str:
    """The SVG under the « Évolution » heading."""
    after = page[page.index("<h2>Évolution</h2>") :]
    return after[after.index("<svg") : after.index("</svg>")]


def style_of(svg: str, index: int) -> tuple[set[str], set[str]]:
    """The marker shapes and dash patterns a series is drawn with."""
    shapes = set(re.findall(rf'abs-marker-([a-z-]+) abs-series-{index}"', svg))
    dashes = set(
        re.findall(
            rf'<polyline class="abs-line abs-series-{index}" points="[^"]*"'
            r'(?: stroke-dasharray="([^"]*)")?',
            svg,
        )
    )
    return shapes, dashes


def test_each_series_has_its_own_marker_and_dash_shown_in_the_legend(portal, db):
    bondy = pool_member("93010")
    ept = Commune.objects.get(code="93010").ept_id
    for year, value in ((2019, 26), (2020, 27), (2021, 25)):
        pool_value(bondy, "TP60", year, value)
        reference("epci", ept, "TP60", year, 22 + year % 2)
        reference("france", "FRM", "TP60", year, 14 + year % 3)
        reference("departement", "93", "TP60", year, 27 + year % 2)
        reference("region", "11", "TP60", year, 15 + year % 2)

    page = portal.get("/indicateurs/communes/93010/TP60/").content.decode()
    svg = series_chart(page)

    styles = []
    # Bondy, its EPT, Seine-Saint-Denis, Île-de-France, France métropolitaine
    for index in range(5):
        shapes, dashes = style_of(svg, index)
        assert len(shapes) == 1 and len(dashes) == 1, (index, shapes, dashes)
        styles.append((shapes.pop(), dashes.pop()))
        legend = re.search(
            rf'<g class="abs-legend-item" data-series="{index}">(.*?)</g>', svg
        ).group(1)
        # The legend shows the same marker and the same stroke as the plot.
        assert f"abs-marker-{styles[-1][0]} " in legend
        dash = styles[-1][1]
        assert (
            (f'stroke-dasharray="{dash}"' in legend) if dash else ("stroke-dasharray" not in legend)
        )
    assert len(set(shape for shape, _ in styles)) == 5  # no two series look alike in grey
    assert len(set(dash for _, dash in styles)) == 5
    assert "Bondy : rond, trait plein" in svg  # the description names each look
    assert "<caption>Bondy – Taux de pauvreté au seuil de 60 % (%) : évolution</caption>" in page


def test_a_break_still_cuts_a_dashed_series(portal, db):
    bondy = pool_member("93010")
    for year, value in ((2020, 19000), (2021, 19500), (2022, 20000)):
        pool_value(bondy, "MED", year, value)  # Filosofi: break after 2021
        reference("departement", "93", "MED", year, value - 1000)

    svg = series_chart(portal.get("/indicateurs/communes/93010/MED/").content.decode())

    assert "Rupture de série" in svg
    # Seine-Saint-Denis (series 2, after the EPT; dotted): one segment before the break, a
    # lone point after it.
    assert len(re.findall(r'<polyline class="abs-line abs-series-2"', svg)) == 1
    assert (
        len(re.findall(r'abs-marker-[a-z-]+ abs-series-2"', svg)) == 3 + 1
    )  # three points and the legend's
