"""The ABS charts can be read without help: a visible key to the position charts, text of a
readable size where the pages show the charts, evolution axes that do not blow small changes up
(from zero, or said to be cut), a PDF legend naming what its page draws, no chart or value sort
for a count, territories from the nearest to the widest, French gaps and dates.

Real requests on a real PostgreSQL; the PDF's blocks and drawings read shape by shape. The sizes
on screen are measured in a real browser in tests/browser/test_abs_chart_layout.py."""

import datetime
import re
from pathlib import Path

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from reportlab.graphics.shapes import Drawing, String
from reportlab.platypus import KeepTogether

from abs_shared import portrait_pdf
from abs_shared.charts import TRUNCATED_AXIS, TRUNCATED_NOTE, Line, line_chart, position_chart
from abs_shared.comparisons import commune_subject, load_commune
from abs_shared.local.models import Observation
from abs_shared.pdf_charts import ChartLine, ChartPoint, line_drawing
from abs_shared.views import portrait_context
from tests.abs_shared.conftest import (
    observe,
    observe_and_publish,
    pool_member,
    pool_value,
    reference,
)
from tests.conftest import host_client, make_person, member_client
from union.formats import french_number

pytestmark = pytest.mark.django_db

CSS = Path(__file__).parents[2] / "abs_shared/static/abs_shared/abs_shared.css"
PORTRAIT = "/indicateurs/communes/93010/"
COMPARISON = "/indicateurs/communes/93010/TP60/"
KEY_PHRASES = (
    "1er au 3e quartile",
    "médiane",
    "plus petite à la plus grande valeur",
    "Losange",
    "territoires de référence",
)
# The narrowest width at which the pages show a chart on a 375 px phone: a portrait card
# (minus the page's and the card's margins) is about 309 px wide, the comparison's figure 343.
PHONE_CARD_PX = 305


@pytest.fixture
def pool(db):
    """Bondy, Montreuil and Saint-Denis: TP60 and CHOM 2020-2021, the département, the région
    and France métropolitaine beside them; Bondy's RSA (a count) and D9D1 (a ratio)."""
    values = {"93010": (26.8, 27.1), "93048": (31.7, 31.8), "93066": (26.1, 26.4)}
    members = {insee: pool_member(insee) for insee in values}
    for insee, (v2020, v2021) in values.items():
        for code, less in (("TP60", 0), ("CHOM", 10)):
            pool_value(members[insee], code, 2020, round(v2020 - less, 1))
            pool_value(members[insee], code, 2021, round(v2021 - less, 1))
    for year, shift in ((2020, 0), (2021, 0.1)):
        reference("departement", "93", "TP60", year, round(27.5 + shift, 1))
        reference("region", "11", "TP60", year, round(15.8 + shift, 1))
        reference("france", "FRM", "TP60", year, round(14.4 + shift, 1))
    bondy = members["93010"]
    pool_value(bondy, "RSA", 2020, 1600)
    pool_value(bondy, "RSA", 2021, 1648)
    pool_value(bondy, "D9D1", 2020, "3.8")
    pool_value(bondy, "D9D1", 2021, "3.9")
    return bondy


def visible(page: str) -> str:
    """The page without its SVG charts: what a sighted reader sees outside the drawings (a
    chart's <desc> is for screen readers only)."""
    return re.sub(r"<svg.*?</svg>", "", page, flags=re.DOTALL)


def svgs(page: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", page, flags=re.DOTALL)


# --- 1. a visible key, readable text ----------------------------------------------------------


def test_the_portrait_explains_its_position_charts_once_in_plain_words(portal, pool):
    page = portal.get(PORTRAIT).content.decode()
    assert len(svgs(page)) >= 2  # TP60 and CHOM, D9D1: several cards
    shown = visible(page)
    for phrase in KEY_PHRASES:
        assert phrase in shown, phrase
    assert "Losange : Bondy" in shown
    assert shown.count('class="abs-key"') == 1  # once for all the cards
    # Before the cards it explains.
    assert shown.index('class="abs-key"') < shown.index('class="abs-grid"')


def test_the_comparison_explains_its_chart_where_the_old_caption_did_not(portal, pool):
    page = portal.get(COMPARISON + "?annee=2021&avec=93048").content.decode()
    shown = visible(page)
    assert "Représentation des lignes" not in shown
    for phrase in KEY_PHRASES:
        assert phrase in shown, phrase
    assert "Rond blanc" in shown  # a chosen commune is drawn
    figure = shown[shown.index('<figure class="abs-figure abs-figure-position">') :]
    assert figure.index('class="abs-key"') < figure.index("</figure>")
    # Without a chosen commune, no white dot to explain.
    assert "Rond blanc" not in visible(portal.get(COMPARISON + "?annee=2021").content.decode())


def font_size(selector: str) -> float:
    """The font-size (px) the stylesheet gives the texts of a chart of this class."""
    css = CSS.read_text()
    found = re.search(re.escape(selector) + r"[^{]*\{[^}]*font-size:\s*([\d.]+)px", css)
    assert found, selector
    return float(found[1])


def view_box_width(svg: str) -> float:
    return float(re.search(r'viewBox="0 0 ([\d.]+) ', svg)[1])


def test_chart_text_is_about_12_px_at_the_width_a_phone_shows_it(portal, pool):
    """A chart's user units are scaled to the width it is shown at: 11 units in a 520-unit
    chart shown 309 px wide were 6.5 px. Position and evolution charts, every text class."""
    portrait = portal.get(PORTRAIT).content.decode()
    comparison = portal.get(COMPARISON + "?annee=2021&avec=93048").content.decode()
    position = svgs(portrait)[0]
    evolution = svgs(comparison)[-1]
    for svg, kind in ((position, "position"), (evolution, "line")):
        assert f'class="abs-chart abs-chart-{kind}"' in svg
        smallest = min(
            font_size(f".abs-chart-{kind} text"), font_size(f".abs-chart-{kind} .abs-ref-label")
        )
        on_screen = smallest * PHONE_CARD_PX / view_box_width(svg)
        assert on_screen >= 12, (kind, on_screen)


def test_long_names_stay_inside_the_chart():
    """A label wider than the chart wraps instead of being cut by the chart's edge."""
    name = "Communauté d'agglomération Grand Paris Grand Est et territoires voisins"
    svg = position_chart(
        {"count": 3, "min": 10, "q1": 12, "median": 14, "q3": 16, "max": 20},
        15,
        [(name, 13.0)],
        lambda value: french_number(value, 1),
        "t",
        "d",
    )
    width = view_box_width(svg)
    for x in re.findall(r'<(?:text|tspan) x="([\d.-]+)"', svg):
        assert 0 <= float(x) < width
    assert "<tspan" in svg
    lines = [Line(name, [(2020, 1.0), (2021, 2.0)])]
    svg = line_chart(lines, [], lambda value: french_number(value, 1), "t", "d")
    assert "<tspan" in svg


# --- 2. evolution axes ------------------------------------------------------------------------


def tick_labels(svg: str) -> list[str]:
    """The y axis' labels of a web evolution chart (right-aligned texts left of the plot)."""
    return re.findall(r'<text [^>]*class="abs-label abs-tick"[^>]*>([^<]*)</text>', svg)


def test_a_rate_and_a_count_are_drawn_from_zero_on_the_page(portal, pool):
    page = portal.get(COMPARISON + "?annee=2021").content.decode()
    evolution = svgs(page)[-1]
    assert tick_labels(evolution)[0] == "0"  # not « 12,4 / 15,5 / 18,6 »
    assert TRUNCATED_AXIS not in page
    count = svgs(portal.get("/indicateurs/communes/93010/RSA/").content.decode())[-1]
    ticks = tick_labels(count)
    assert ticks[0] == "0" and "1\u202f600" not in ticks  # 1 600 → 1 648 is no climb


def test_a_ratio_keeps_a_fitted_axis_and_says_so(portal, pool):
    page = portal.get("/indicateurs/communes/93010/D9D1/").content.decode()
    evolution = svgs(page)[-1]
    assert tick_labels(evolution)[0] != "0"
    # Said on the chart itself, and to screen readers.
    note = re.search(r'<text [^>]*class="abs-label abs-axis-note"[^>]*>(.*?)</text>', evolution)
    assert " ".join(re.sub(r"<[^>]+>", " ", note[1]).split()) == " ".join(TRUNCATED_NOTE.split())
    assert TRUNCATED_AXIS in re.search(r"<desc[^>]*>(.*?)</desc>", evolution)[1]


def drawing_texts(drawing: Drawing) -> list[str]:
    return [shape.text for shape in drawing.contents if isinstance(shape, String)]


def test_pdf_axes_start_at_zero_unless_told_otherwise():
    """The PDF's population chart (50 200 → 50 800, + 0,4 %) read as a steep climb."""
    population = [ChartLine("Bondy", [ChartPoint(2020, 50200.0), ChartPoint(2021, 50800.0)])]
    texts = drawing_texts(line_drawing(population, [], 180))
    assert "0" in texts and "50 200" not in texts and TRUNCATED_AXIS not in " ".join(texts)
    ratio = [ChartLine("Bondy", [ChartPoint(2020, 3.8), ChartPoint(2021, 3.9)])]
    texts = drawing_texts(line_drawing(ratio, [], 180, from_zero=False))
    assert "0" not in texts and TRUNCATED_NOTE in texts


def test_the_portrait_pdf_draws_counts_from_zero_and_ratios_fitted(portal, pool):
    context = portrait_context(commune_subject(load_commune("93010")))
    story = portrait_pdf._evolution_charts(context, portrait_pdf._styles())
    panels = {}
    for block in story:
        for flowable in block._content:
            if hasattr(flowable, "_cellvalues"):  # the grid of panels
                for row in flowable._cellvalues:
                    for cell in row:
                        if cell:
                            title, _spacer, drawing = cell
                            panels[title.text.split(" (")[0]] = drawing_texts(drawing)
    assert "0" in panels["Foyers allocataires du RSA"]
    assert "1 600" not in panels["Foyers allocataires du RSA"]
    assert "0" in panels["Taux de pauvreté au seuil de 60 %"]
    ratio = panels["Rapport interdécile D9/D1 du niveau de vie"]
    assert "0" not in ratio and TRUNCATED_NOTE in ratio


# --- 3. the PDF legend names what its page draws ----------------------------------------------


def test_each_pdf_page_of_evolution_charts_names_the_series_it_draws_only(
    portal, pool, monkeypatch
):
    """Four charts to a block here (one row): TP60, D9D1, CHOM with the territories, then the
    count (RSA), Bondy alone, in a block of its own whose legend names Bondy only."""
    monkeypatch.setattr(portrait_pdf, "EVOLUTION_ROWS_PER_PAGE", 1)
    pool_value(pool, "FAMMONO", 2020, 30)
    pool_value(pool, "FAMMONO", 2021, 31)
    context = portrait_context(commune_subject(load_commune("93010")))
    story = portrait_pdf._evolution_charts(context, portrait_pdf._styles())
    blocks = [block for block in story if isinstance(block, KeepTogether)]
    assert len(blocks) == 2
    legends = []
    for block in blocks:
        (legend, *_charts) = [f for f in block._content if isinstance(f, Drawing)]
        legends.append(drawing_texts(legend))
    assert "Seine-Saint-Denis" in legends[0] and "France métropolitaine" in legends[0]
    assert legends[1] == ["Bondy"]


# --- 4. a count on the indicator page ---------------------------------------------------------


def test_a_count_gets_no_chart_and_no_sort_by_value_on_its_indicator_page(portal, db):
    # By size: Bondy, Saint-Denis, Montreuil; by name: Bondy, Montreuil, Saint-Denis.
    for insee, households in (("93010", 5100), ("93048", 1648), ("93066", 3200)):
        pool_value(pool_member(insee), "RSA", 2021, households)
    page = portal.get("/indicateurs/RSA/?annee=2021").content.decode()
    assert "<svg" not in page and "valeur de chaque commune" not in page
    assert '<option value="valeur"' not in page
    assert "tri=valeur" not in page  # the « Valeur » header sorts nothing
    assert "un effectif dépend de la taille de la commune" in page
    # Asked all the same: the communes by name, never ranked by size.
    for query, names in (
        ("tri=valeur", ["Bondy", "Montreuil", "Saint-Denis"]),
        ("tri=valeur&ordre=desc", ["Saint-Denis", "Montreuil", "Bondy"]),
    ):
        asked = portal.get(f"/indicateurs/RSA/?annee=2021&{query}").content.decode()
        rows = re.findall(r'<th scope="row">([^<]*)</th>', asked)
        assert rows == names, query
        export = portal.get(f"/indicateurs/RSA/?annee=2021&{query}&export=csv")
        lines = export.content.decode("utf-8-sig").splitlines()[2:5]
        assert [line.split(";")[0] for line in lines] == names, query
    # A rate keeps both.
    pool_value(pool_member("93055"), "TP60", 2021, 20)
    rate = portal.get("/indicateurs/TP60/").content.decode()
    assert '<option value="valeur"' in rate and "<svg" in rate


# --- 6. territories from the nearest to the widest --------------------------------------------


def test_the_indicator_page_lists_its_territories_from_the_nearest(portal, pool):
    page = portal.get("/indicateurs/TP60/?annee=2021").content.decode()
    listed = page[page.index("<h2>Territoires de référence</h2>") :].split("</ul>")[0]
    order = [listed.index(name) for name in ("Seine-Saint-Denis", "Île-de-France", "France")]
    assert order == sorted(order)
    # The chart's reference lines too.
    chart = svgs(page)[0]
    labels = [chart.index(f"{name} :") for name in ("Seine-Saint-Denis", "Île-de-France")]
    assert labels[0] < labels[1] < chart.index("France métropolitaine :")


# --- 7. French gaps and dates -----------------------------------------------------------------


def test_a_gap_in_points_reads_as_french_writes_it(portal, pool):
    page = portal.get(COMPARISON + "?annee=2021").content.decode()
    # Bondy 27,1 against Seine-Saint-Denis 27,6 and Île-de-France 15,9.
    assert ">\u22120,5 point<" in page  # a true minus; « point » below 2
    assert ">+11,2 points<" in page
    assert "-0,5" not in page


def test_the_publication_date_has_two_digit_days(bondy):
    director = make_person(bondy, "direction@bondy.test")
    observe_and_publish(bondy, "TP60", 2021, 26.5)
    published = datetime.datetime(2026, 12, 2, 10, tzinfo=datetime.UTC)
    with schema_context(bondy.schema_name):
        Observation.objects.update(published_at=published)
    connection.set_schema_to_public()
    page = member_client(bondy, director).get("/abs/").content.decode()
    assert "Publiée le 02/12/2026" in page and "Publiée le 2/12/2026" not in page


def test_the_member_space_key_says_a_hollow_diamond_is_a_draft(bondy, montreuil):
    director = make_person(bondy, "direction@bondy.test")
    observe_and_publish(montreuil, "TP60", 2021, 31.8)
    observe(bondy, "TP60", 2021, 26.5)  # a draft: drawn hollow in the member's own chart
    for other in ("93066", "93045"):  # enough values for a chart (presenters.MIN_PUBLISHERS)
        pool_value(pool_member(other), "TP60", 2021, 29)
    connection.set_schema_to_public()
    page = member_client(bondy, director).get("/abs/comparaison/TP60/?annee=2021")
    shown = visible(page.content.decode())
    assert 'class="abs-key"' in shown and "vide, c'est un brouillon" in shown
    # The portal draws no draft: its key says nothing of them.
    portal_page = host_client("localhost").get("/indicateurs/communes/93048/TP60/?annee=2021")
    shown = visible(portal_page.content.decode())
    assert 'class="abs-key"' in shown and "brouillon" not in shown
