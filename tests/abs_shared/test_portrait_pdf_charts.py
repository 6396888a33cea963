"""The portrait PDF's charts (abs_shared.pdf_charts): each indicator's evolution beside the
subject's territories, and its value beside theirs and the members' median; titles, legends and
axes in French; a secret never drawn (not even a CIAS count that would give a commune's secret
away); the tables unchanged; a member's draft marked. Read back with pypdf, through real
requests on a real PostgreSQL; the drawings themselves checked shape by shape."""

import io
import re

import pytest
from pypdf import PdfReader
from reportlab.graphics.shapes import _MOVETO, Path, PolyLine, Rect, String
from reportlab.lib import colors

from abs_shared import portrait_pdf
from abs_shared.comparisons import load_intercommunality
from abs_shared.models import Indicator
from abs_shared.pdf_charts import (
    DRAFT_LEGEND,
    ChartBar,
    ChartLine,
    ChartPoint,
    bar_drawing,
    colour,
    line_drawing,
    nice_ticks,
)
from abs_shared.presenters import titled
from abs_shared.views import portrait_context
from tenants.models import MemberCCAS
from tests.abs_shared.conftest import (
    observe,
    observe_and_publish,
    pool_member,
    pool_value,
    reference,
)
from tests.conftest import host_client, make_person, member_client, plain
from union.formats import french_number

CIAS = MemberCCAS.Kind.CIAS
EST_ENSEMBLE = "200057875"  # EPT of Bondy, Montreuil and Pantin
SECRET = "43.21"  # Bondy's DEP100 2021, over 8 households: pooled as secret
CIAS_COUNT = 1207  # Est Ensemble's RSA 2021: with Pantin's secret, it would give it away

EVOLUTION = "Évolution des indicateurs à Bondy"
POSITION = "Bondy face à ses territoires de référence"
DISTRIBUTION = "Position parmi les membres, indicateur par indicateur"
NO_POSITION = "Sans graphique (effectif, ni comparé ni classé ; valeur secrète ou non disponible)"
FOOTER = re.compile(r"Portrait de [^·\n]+ · page \d+ / \d+")


def pdf_text(response) -> str:
    """The document's text in one line (pypdf), thousands separators as plain spaces and the
    page footers (« page n / N ») left out."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    text = FOOTER.sub(" ", re.sub(r"[\u202f\u00a0]", " ", text))
    return " ".join(text.split())


def between(text: str, start: str, end: str) -> str:
    """The text from the heading `start` to the heading `end` (both present, in that order)."""
    assert start in text, start
    assert end in text, end
    begin = text.index(start)
    finish = text.index(end, begin)
    return text[begin:finish]


def label(code: str, year: int | None = None) -> str:
    """A chart's title: « Taux de pauvreté au seuil de 60 % (%), 2021 »."""
    return titled(Indicator.objects.get(code=code), year)


def name(code: str) -> str:
    return Indicator.objects.get(code=code).label


@pytest.fixture
def bondy_series(db):
    """Bondy: TP60 2019-2021, DEP100 2019-2020 and a secret 2021, RSA (a count) 2020-2021, MED
    2021 only; Montreuil beside it. References of the département and France métropolitaine
    (none of Est Ensemble or Île-de-France)."""
    bondy, montreuil = pool_member("93010"), pool_member("93048")
    for year, value in ((2019, "25.5"), (2020, 26), (2021, "27.14")):
        pool_value(bondy, "TP60", year, value)
    pool_value(bondy, "DEP100", 2019, "29.5")
    pool_value(bondy, "DEP100", 2020, "30.5")
    pool_value(bondy, "DEP100", 2021, SECRET, denominator=8)
    pool_value(bondy, "RSA", 2020, 1600)
    pool_value(bondy, "RSA", 2021, 1648)
    pool_value(bondy, "MED", 2021, 19215)
    pool_value(montreuil, "TP60", 2021, 20)
    pool_value(montreuil, "DEP100", 2021, "35.5")
    for year, value in ((2019, "27.1"), (2020, "27.6"), (2021, "28.4")):
        reference("departement", "93", "TP60", year, value)
    for year, value in ((2019, "14.9"), (2020, "14.7"), (2021, "14.5")):
        reference("france", "FRM", "TP60", year, value)
    reference("departement", "93", "DEP100", 2021, "31.7")
    return bondy


def test_an_indicator_with_a_series_has_its_evolution_chart(portal, bondy_series):
    text = pdf_text(portal.get("/indicateurs/communes/93010/?export=pdf"))
    evolution = between(text, EVOLUTION, POSITION)
    # A title per chart: the indicator, its unit, the years drawn.
    assert f"{label('TP60')}, de 2019 à 2021" in evolution
    assert f"{label('RSA')}, de 2020 à 2021" in evolution  # a count: Bondy alone
    # One year only: no line to draw, and the PDF says so.
    assert label("MED") not in evolution
    assert f"(moins de deux années avec une valeur représentable) : {name('MED')}." in evolution
    # The legend names the series drawn, and only those (no value of Est Ensemble or the région).
    for series in ("Bondy", "Seine-Saint-Denis", "France métropolitaine"):
        assert series in evolution
    assert "Est Ensemble" not in evolution and "Île-de-France" not in evolution
    # Axes: the years, and round ticks in French; a count from zero (RSA: 0 to 2 000 by
    # 1 000, not 1 600 to 1 660: a + 3 % change is no climb).
    for year in ("2019", "2020", "2021"):
        assert year in evolution
    assert "1 000" in evolution and "2 000" in evolution and "1 620" not in evolution
    assert not re.search(r"\d\.\d", evolution)  # a decimal comma, never a point


def test_the_position_chart_sets_the_value_beside_its_territories(portal, bondy_series):
    text = pdf_text(portal.get("/indicateurs/communes/93010/?export=pdf"))
    position = between(text, POSITION, DISTRIBUTION)
    assert label("TP60", 2021) in position and label("MED", 2021) in position
    # Bars named and labelled with their values, as the table shows them. Two members published
    # TP60: no median bar, and the page card's reason under the chart (MIN_PUBLISHERS).
    for shown in ("Bondy", "Seine-Saint-Denis", "France métropolitaine"):
        assert shown in position
    assert "Médiane des membres" not in position
    assert "Trop peu de membres ont publié cet indicateur pour situer celle-ci" in position
    for value in ("27,1", "28,4", "14,5", "19 215"):
        assert value in position
    # A count is shown alone, never set against the others.
    assert name("RSA") in position.split(NO_POSITION)[1]
    assert "1 648" not in position


def test_a_secret_is_never_drawn(portal, bondy_series):
    text = pdf_text(portal.get("/indicateurs/communes/93010/?export=pdf"))
    # DEP100: its 2019-2020 line is drawn, its 2021 secret is not; no bar for 2021 either.
    evolution = between(text, EVOLUTION, POSITION)
    assert f"{label('DEP100')}, de 2019 à 2021" in evolution
    position = between(text, POSITION, DISTRIBUTION)
    assert label("DEP100", 2021) not in position
    assert name("DEP100") in position.split(NO_POSITION)[1]
    # The table keeps its « s », and the number is nowhere.
    assert "prestations (%) – Source : test 2021 s –" in text
    assert "43,2" not in text and "43.2" not in text


def test_a_cias_count_that_would_give_a_communes_secret_away_is_not_drawn(portal, db):
    """Est Ensemble's RSA 2021 (1207) minus its communes' published counts is Pantin's secret:
    it reads « s » in the table, and its chart stops at 2020."""
    pool_value(pool_member("93010"), "RSA", 2021, 500)
    pool_value(pool_member("93055"), "RSA", 2021, 7)  # Pantin: fewer than 11, pooled as secret
    cias = pool_member("93053", CIAS, EST_ENSEMBLE)
    pool_value(cias, "RSA", 2019, 3000)
    pool_value(cias, "RSA", 2020, 3100)
    pool_value(cias, "RSA", 2021, CIAS_COUNT)
    text = pdf_text(portal.get(f"/indicateurs/intercommunalites/{EST_ENSEMBLE}/?export=pdf"))
    evolution = between(text, "Évolution des indicateurs pour Est Ensemble", "Sources")
    assert f"{label('RSA')}, de 2019 à 2021" in evolution
    assert "Est Ensemble (CIAS)" in evolution  # the legend: the CIAS's values
    # The chart's line stops at 2020: 2021 is no point. (Its axis starts at zero, so that it
    # no longer shows whether 1 207 was drawn.)
    context = portrait_context(load_intercommunality(EST_ENSEMBLE))
    ((_item, _data, lines),), _left_out = portrait_pdf.evolution_charts(context)
    assert [(p.year, p.value) for p in lines[0].points] == [
        (2019, 3000),
        (2020, 3100),
        (2021, None),
    ]
    assert "(effectif) – Source : test 2021 s" in text
    assert not re.search(r"(?<!\d)1 ?207(?!\d)", text)


def test_the_tables_are_unchanged_and_the_charts_come_after_them(portal, bondy_series, monkeypatch):
    url = "/indicateurs/communes/93010/?export=pdf"
    with_charts = pdf_text(portal.get(url))
    assert with_charts.index("Portrait de Bondy : indicateurs publiés") < with_charts.index(
        EVOLUTION
    )
    assert with_charts.index(EVOLUTION) < with_charts.index(POSITION)
    assert with_charts.index(POSITION) < with_charts.index(DISTRIBUTION)
    monkeypatch.setattr(portrait_pdf, "_evolution_charts", lambda context, styles: [])
    monkeypatch.setattr(portrait_pdf, "_position_charts", lambda context, styles: [])
    without = pdf_text(portal.get(url))
    assert EVOLUTION not in without and POSITION not in without
    # Everything up to the charts, as it was: opening, tables by theme, notes.
    assert with_charts[: with_charts.index(EVOLUTION)] == without[: without.index(DISTRIBUTION)]
    # The distribution table and the sources, as they were (its header row is repeated where a
    # page breaks it, and its pages break elsewhere now).
    header = (
        "Indicateur Année Valeur de Bondy Minimum 1er quartile Médiane 3e quartile Maximum "
        "Membres ayant publié"
    )
    tail = with_charts[with_charts.index(DISTRIBUTION) :].replace(header, "")
    assert " ".join(tail.split()) == " ".join(
        without[without.index(DISTRIBUTION) :].replace(header, "").split()
    )


def test_a_member_draft_is_marked_in_the_charts(bondy):
    observe_and_publish(bondy, "TP60", 2019, 25)
    observe_and_publish(bondy, "TP60", 2020, 26)
    observe(bondy, "TP60", 2021, "31.4159")
    reference("departement", "93", "TP60", 2021, "28.4")
    director = member_client(bondy, make_person(bondy, "dir@bondy.test"))

    text = pdf_text(director.get("/abs/portrait/?export=pdf"))
    evolution = between(text, EVOLUTION, POSITION)
    assert f"{label('TP60')}, de 2019 à 2021" in evolution
    assert "Point vide : valeur du CCAS non encore publiée" in evolution
    assert plain(DRAFT_LEGEND) in evolution  # the legend's hollow marker
    position = between(text, POSITION, DISTRIBUTION)
    assert "Bondy (brouillon)" in position and "Barre vide en pointillés" in position
    assert "31,4" in position

    # Another year's portrait: its bars are published values, the line still shows the draft.
    text = pdf_text(director.get("/abs/portrait/?annee=2020&export=pdf"))
    assert plain(DRAFT_LEGEND) in between(text, EVOLUTION, POSITION)
    assert "Bondy (brouillon)" not in between(text, POSITION, DISTRIBUTION)

    # The portal draws the published values only: no draft, no marking.
    text = pdf_text(host_client("localhost").get("/indicateurs/communes/93010/?export=pdf"))
    evolution = between(text, EVOLUTION, POSITION)
    assert f"{label('TP60')}, de 2019 à 2021" in evolution  # the département's 2021
    assert plain(DRAFT_LEGEND) not in text and "brouillon" not in text and "31,4" not in text


# --- the drawings -----------------------------------------------------------------------------


def shapes(drawing, kind) -> list:
    return [shape for shape in drawing.contents if isinstance(shape, kind)]


def markers(drawing, fill) -> int:
    """How many markers the paths filled with `fill` hold (one outline each: a moveTo)."""
    return sum(
        path.operators.count(_MOVETO)
        for path in shapes(drawing, Path)
        if path.fillColor is not None and path.fillColor == fill
    )


def test_a_line_is_cut_at_a_secret_or_a_break_and_a_draft_is_hollow():
    bondy = ChartLine(
        "Bondy",
        [
            ChartPoint(2018, 25.0),
            ChartPoint(2019, None),  # secret: no point, the line stops
            ChartPoint(2020, 26.0),
            ChartPoint(2021, 27.0),
            ChartPoint(2022, 30.0, draft=True),
        ],
    )
    departement = ChartLine("Seine-Saint-Denis", [ChartPoint(y, 28.5) for y in range(2018, 2023)])
    drawing = line_drawing([bondy, departement], [2021], 180)
    # Bondy: three published values filled, its draft hollow, nothing for the secret; the
    # département's five markers in its own colour (and shape: charts.series_style).
    assert markers(drawing, colour(0)) == 3
    assert markers(drawing, colors.white) == 1
    assert markers(drawing, colour(1)) == 5
    (hollow,) = [path for path in shapes(drawing, Path) if path.fillColor == colors.white]
    assert hollow.strokeColor == colour(0)
    assert max(hollow.points[0::2]) > max(
        x
        for path in shapes(drawing, Path)
        if path.fillColor == colour(0)
        for x in path.points[0::2]
    )  # the 2022 point, right of the others
    lines = shapes(drawing, PolyLine)
    solid = [line for line in lines if not line.strokeDashArray]
    dashed = [line for line in lines if line.strokeDashArray]
    # Bondy: 2018 alone, 2020-2021, then the break after 2021: 2022 alone. One segment drawn.
    assert [len(line.points) // 2 for line in solid] == [2]
    assert [len(line.points) // 2 for line in dashed] == [4]  # 2018-2021; 2022 alone
    texts = [string.text for string in shapes(drawing, String)]
    assert "Rupture de série" in texts
    assert {"2018", "2019", "2020", "2021", "2022"} <= set(texts)
    assert not any("." in text for text in texts)


def test_bars_are_named_and_labelled_in_french():
    fmt = lambda value: french_number(value, 1)  # noqa: E731
    bars = [
        ChartBar("Bondy (brouillon)", 31.42, "own", draft=True),
        ChartBar("Seine-Saint-Denis", 28.35),
        ChartBar("Médiane des membres", 27.0, "median"),
    ]
    drawing = bar_drawing(bars, fmt, 180)
    texts = [string.text for string in shapes(drawing, String)]
    assert texts[:2] == ["Bondy (brouillon)", "31,4"] and "28,4" in texts  # half up: 28,35
    rects = shapes(drawing, Rect)
    assert len(rects) == 3
    assert rects[0].fillColor == colors.white and rects[0].strokeDashArray  # the draft: hollow
    assert rects[1].fillColor != colors.white


def test_round_ticks():
    assert nice_ticks(1600, 1648) == ([1600, 1620, 1640, 1660], 0)
    assert nice_ticks(3000, 3100) == ([3000, 3050, 3100], 0)
    assert nice_ticks(3.8, 4.1) == ([3.8, 3.9, 4.0, 4.1], 1)
    assert nice_ticks(27.0, 27.0)[0][0] < 27.0 < nice_ticks(27.0, 27.0)[0][-1]
