"""The portrait PDF's charts, drawn with reportlab's own graphics (reportlab.graphics.shapes).

Two kinds, small enough to sit four to a row on an A4 landscape page:

- `line_drawing`: an indicator's evolution, one line per series of the comparison page's
  evolution chart (the subject, then its reference territories: `comparisons.series` and
  `presenters.series_others`, the data of `presenters.series_chart`). Each series keeps the
  page's marker shape and dash pattern (`charts.series_style`), so that a black-and-white copy
  tells them apart; a member's value not yet published is a hollow marker (« brouillon » in the
  legend); a secret or missing value is no point (its `value` is None) and cuts the line, as does
  a series break (a vertical dashed line, « Rupture de série »).
- `bar_drawing`: the subject's value for the portrait's year beside its reference territories'
  and the members' median (the portrait table's own figures), each bar named and labelled with
  its value; a secret or missing one is left out (the table keeps its « s »).

Only numbers reach these functions: the callers pass `value` None for a secret or a missing
value, as for the page's SVG charts (abs_shared.charts). Figures read as on the page
(`union.formats.french_number`: decimal comma, rounded half up).

Import this module inside the functions that build a PDF (it imports reportlab and union.pdf).
"""

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.graphics.shapes import FILL_NON_ZERO, Drawing, Line, Path, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from abs_shared.charts import (
    TRUNCATED_NOTE,
    axis_ticks,
    nice_ticks,  # noqa: F401 (read here by callers and tests: the axes' round ticks)
    scale,
    series_runs,
    series_style,
)
from union.formats import french_number
from union.pdf import BOLD_FONT, FONT

# The page's series colours (abs_shared.css, .abs-series-n); never the only cue: each series
# also has its marker shape and dash pattern.
SERIES_COLOURS = (
    "#b34700",
    "#4a6fa5",
    "#2e7d32",
    "#6a1b9a",
    "#3a3a3a",
    "#00695c",
    "#ad1457",
    "#795548",
    "#1565c0",
    "#827717",
)
OWN_BAR = "#b34700"  # .abs-bar-own
REFERENCE_BAR = "#c9d6ea"  # .abs-box
REFERENCE_STROKE = "#4a6fa5"
MEDIAN_STROKE = "#1e1e1e"
BREAK_COLOUR = "#b30000"  # .abs-break
GRID_COLOUR = "#d4d4d4"
TEXT_COLOUR = "#1e1e1e"
LABEL_SIZE = 6.5
LEGEND_SIZE = 7.5
MARKER_RADIUS = 2.6
DASH_SCALE = 0.6  # the SVG's patterns (8 4, 2 3…) drawn at this scale on a 190-point chart
DRAFT_LEGEND = "point vide : valeur non publiée (brouillon)"
BREAK_LEGEND = "trait vertical rouge pointillé : rupture de série"

Formatter = Callable[[float], str]


@dataclass(frozen=True)
class ChartPoint:
    year: int
    value: float | None  # None: secret or missing, never drawn
    draft: bool = False


@dataclass(frozen=True)
class ChartLine:
    name: str
    points: list[ChartPoint]

    @property
    def numbers(self) -> list[ChartPoint]:
        return [point for point in self.points if point.value is not None]


@dataclass(frozen=True)
class ChartBar:
    label: str
    value: float
    kind: str = "reference"  # "own", "reference" or "median"
    draft: bool = False


def colour(index: int):
    return colors.HexColor(SERIES_COLOURS[index % len(SERIES_COLOURS)])


def dash_array(index: int) -> list[float] | None:
    """The index-th series' dash pattern (charts.series_style) in points, None for a solid line."""
    _marker, pattern = series_style(index)
    if not pattern:
        return None
    return [float(part) * DASH_SCALE for part in pattern.split()]


def _text(x: float, y: float, text: str, *, size=LABEL_SIZE, anchor="start", bold=False, fill=None):
    return String(
        x,
        y,
        text,
        fontName=BOLD_FONT if bold else FONT,
        fontSize=size,
        fillColor=fill or colors.HexColor(TEXT_COLOUR),
        textAnchor=anchor,
    )


def fit(text: str, width: float, size: float = LABEL_SIZE) -> str:
    """`text` cut with « … » to fit `width` points (a bar's name beside a narrow chart)."""
    if stringWidth(text, FONT, size) <= width:
        return text
    while text and stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


# --- markers ---------------------------------------------------------------------------------
# Each chart draws a series' markers as one path and its grid as another: reportlab writes the
# colours, width and dash of every shape it draws, and a chart of five series has fifteen
# markers (a third of the chart's drawing time as single shapes).

KAPPA = 0.5523  # a circle's quarter as a cubic Bézier curve


def _outline(path: Path, shape: str, cx: float, cy: float, r: float = MARKER_RADIUS) -> None:
    """Adds one marker of the page's shapes (charts.MARKERS) to `path`, centred on (cx, cy)."""
    if shape == "circle":
        k = r * KAPPA
        path.moveTo(cx + r, cy)
        path.curveTo(cx + r, cy + k, cx + k, cy + r, cx, cy + r)
        path.curveTo(cx - k, cy + r, cx - r, cy + k, cx - r, cy)
        path.curveTo(cx - r, cy - k, cx - k, cy - r, cx, cy - r)
        path.curveTo(cx + k, cy - r, cx + r, cy - k, cx + r, cy)
        path.closePath()
        return
    if shape == "square":
        h = r * 0.85
        corners = [(cx - h, cy - h), (cx + h, cy - h), (cx + h, cy + h), (cx - h, cy + h)]
    elif shape == "triangle":
        corners = [(cx, cy + r * 1.1), (cx + r * 1.1, cy - r * 0.8), (cx - r * 1.1, cy - r * 0.8)]
    elif shape == "triangle-down":
        corners = [(cx, cy - r * 1.1), (cx + r * 1.1, cy + r * 0.8), (cx - r * 1.1, cy + r * 0.8)]
    elif shape == "diamond":
        d = r * 1.2
        corners = [(cx, cy + d), (cx + d, cy), (cx, cy - d), (cx - d, cy)]
    else:  # cross
        a, b = r * 0.35, r * 1.1
        corners = [
            *((cx - a, cy + b), (cx + a, cy + b), (cx + a, cy + a), (cx + b, cy + a)),
            *((cx + b, cy - a), (cx + a, cy - a), (cx + a, cy - b), (cx - a, cy - b)),
            *((cx - a, cy - a), (cx - b, cy - a), (cx - b, cy + a), (cx - a, cy + a)),
        ]
    path.moveTo(*corners[0])
    for corner in corners[1:]:
        path.lineTo(*corner)
    path.closePath()


def series_markers(index: int, centres: list[tuple[float, float]], *, hollow: bool = False):
    """The index-th series' markers at `centres`, as one path: filled with the series' colour,
    or white (hollow) for values not yet published."""
    shape, _dash = series_style(index)
    stroke = colour(index)
    path = Path(
        fillColor=colors.white if hollow else stroke,
        strokeColor=stroke,
        strokeWidth=0.8,
        fillMode=FILL_NON_ZERO,
    )
    for cx, cy in centres:
        _outline(path, shape, cx, cy)
    return path


def segments_path(segments: list[tuple[float, float, float, float]], stroke, width: float):
    """Straight segments (x1, y1, x2, y2) of one colour and width as one path (grid, axis)."""
    path = Path(strokeColor=stroke, strokeWidth=width, fillColor=None)
    for x1, y1, x2, y2 in segments:
        path.moveTo(x1, y1)
        path.lineTo(x2, y2)
    return path


# --- the evolution of one indicator ---------------------------------------------------------


def line_drawing(
    lines: list[ChartLine],
    breaks: list[int],
    width: float,
    plot_height: float = 78,
    *,
    from_zero: bool = True,
) -> Drawing:
    """Values over the years, one line per series (index = style, as on the page); the y axis
    on round ticks, from zero unless `from_zero` is False (a ratio, an index: see
    charts.ZERO_BASED_UNITS), the years under the x axis. An axis that leaves zero out says so
    under the years. Lines never cross a break or a missing value."""
    years = sorted({point.year for line in lines for point in line.points})
    values = [point.value for line in lines for point in line.numbers]
    if not values:  # nothing to draw (callers chart a subject with two numbers at least)
        return Drawing(width, 1)
    ticks, decimals, truncated = axis_ticks(values, from_zero)
    labels = [french_number(tick, decimals) for tick in ticks]
    left = max(stringWidth(label, FONT, LABEL_SIZE) for label in labels) + 5
    bottom, top = (23 if truncated else 14), 10
    height = bottom + plot_height + top
    right = width - 4
    drawing = Drawing(width, height)
    if truncated:
        drawing.add(_text(left, 2, fit(TRUNCATED_NOTE, right - left)))
    y = scale(ticks[0], ticks[-1], bottom, plot_height)
    x = (
        scale(years[0], years[-1], left + 10, right - left - 20)
        if len(years) > 1
        else (lambda _year: (left + right) / 2)
    )
    grid = [(left, y(tick), right, y(tick)) for tick in ticks]
    drawing.add(segments_path(grid, colors.HexColor(GRID_COLOUR), 0.4))
    axis = [(left, bottom, right, bottom)] + [
        (x(year), bottom, x(year), bottom - 2) for year in years
    ]
    drawing.add(segments_path(axis, colors.black, 0.6))
    for tick, label in zip(ticks, labels, strict=True):
        drawing.add(_text(left - 3, y(tick) - 2.2, label, anchor="end"))
    for year in years:
        drawing.add(_text(x(year), bottom - 9, str(year), anchor="middle"))
    for year in breaks:
        after = [other for other in years if other > year]
        if after:
            middle = (x(year) + x(after[0])) / 2
            drawing.add(
                Line(
                    middle,
                    bottom,
                    middle,
                    bottom + plot_height + 2,
                    strokeColor=colors.HexColor(BREAK_COLOUR),
                    strokeWidth=0.9,
                    strokeDashArray=[3, 2],
                )
            )
            drawing.add(
                _text(
                    middle,
                    bottom + plot_height + 3,
                    "Rupture de série",
                    size=5.5,
                    anchor="middle",
                    fill=colors.HexColor(BREAK_COLOUR),
                )
            )
    markers = []
    for index, line in enumerate(lines):
        for segment in series_runs(line.points, breaks, lambda p: (p.year, p.value)):
            if len(segment) > 1:
                drawing.add(
                    PolyLine(
                        [coordinate for p in segment for coordinate in (x(p.year), y(p.value))],
                        strokeColor=colour(index),
                        strokeWidth=1.1,
                        strokeDashArray=dash_array(index),
                        fillColor=None,
                    )
                )
        for hollow in (False, True):
            centres = [
                (x(point.year), y(point.value)) for point in line.numbers if point.draft == hollow
            ]
            if centres:
                markers.append(series_markers(index, centres, hollow=hollow))
    for shape in markers:  # over every line
        drawing.add(shape)
    return drawing


def legend_drawing(
    names: list[tuple[int, str]], width: float, *, draft: bool = False, series_break: bool = False
) -> Drawing:
    """The series' samples (stroke and marker of the series of that index) and names, in rows
    across the page; then what a hollow marker and the red dashed line mean, when a chart shows
    one."""
    sample = 22
    entries: list[tuple[int | str, str]] = list(names)
    if draft:
        entries.append(("draft", DRAFT_LEGEND))
    if series_break:
        entries.append(("break", BREAK_LEGEND))
    row_height = LEGEND_SIZE + 5
    placed, x, row = [], 0.0, 0
    for key, name in entries:
        needed = sample + 4 + stringWidth(name, FONT, LEGEND_SIZE) + 14
        if x and x + needed > width:
            x, row = 0.0, row + 1
        placed.append((key, name, x, row))
        x += needed
    height = (row + 1) * row_height + 2
    drawing = Drawing(width, height)
    for key, name, x, row in placed:
        y = height - (row + 1) * row_height + 4
        middle = y + LEGEND_SIZE * 0.3
        if key == "draft":
            drawing.add(series_markers(0, [(x + sample / 2, middle)], hollow=True))
        elif key == "break":
            drawing.add(
                Line(
                    x + sample / 2,
                    y - 2,
                    x + sample / 2,
                    y + LEGEND_SIZE + 1,
                    strokeColor=colors.HexColor(BREAK_COLOUR),
                    strokeWidth=0.9,
                    strokeDashArray=[3, 2],
                )
            )
        else:
            drawing.add(
                Line(
                    x,
                    middle,
                    x + sample,
                    middle,
                    strokeColor=colour(key),
                    strokeWidth=1.1,
                    strokeDashArray=dash_array(key),
                )
            )
            drawing.add(series_markers(key, [(x + sample / 2, middle)]))
        drawing.add(_text(x + sample + 4, y, name, size=LEGEND_SIZE))
    return drawing


# --- one indicator's year beside the references ---------------------------------------------


def bar_drawing(bars: list[ChartBar], fmt: Formatter, width: float, row: float = 12) -> Drawing:
    """Horizontal bars from zero, each named on its left and labelled with its value: the
    subject's dark (hollow and dashed, « (brouillon) », for a value not yet published), the
    references' light, the members' median white."""
    value_labels = [fmt(bar.value) for bar in bars]
    value_width = max(stringWidth(label, FONT, LABEL_SIZE) for label in value_labels) + 4
    name_width = min(
        max(stringWidth(bar.label, FONT, LABEL_SIZE) for bar in bars) + 4, width * 0.45
    )
    low = min(0.0, *(bar.value for bar in bars))
    high = max(0.0, *(bar.value for bar in bars))
    plot = width - name_width - value_width - 2
    x = scale(low, high, name_width, plot)
    height = row * len(bars) + 4
    drawing = Drawing(width, height)
    for index, (bar, label) in enumerate(zip(bars, value_labels, strict=True)):
        y = height - (index + 1) * row
        start, end = sorted((x(0), x(bar.value)))
        style = {
            "own": {
                "fillColor": colors.HexColor(OWN_BAR),
                "strokeColor": colors.HexColor(OWN_BAR),
            },
            "median": {"fillColor": colors.white, "strokeColor": colors.HexColor(MEDIAN_STROKE)},
        }.get(
            bar.kind,
            {
                "fillColor": colors.HexColor(REFERENCE_BAR),
                "strokeColor": colors.HexColor(REFERENCE_STROKE),
            },
        )
        if bar.draft:
            style = {
                "fillColor": colors.white,
                "strokeColor": colors.HexColor(OWN_BAR),
                "strokeDashArray": [2, 1.5],
            }
        drawing.add(
            Rect(start, y + 1.5, max(end - start, 0.8), row - 3.5, strokeWidth=0.8, **style)
        )
        drawing.add(
            _text(
                name_width - 4,
                y + 3,
                fit(bar.label, name_width - 4),
                anchor="end",
                bold=bar.kind == "own",
            )
        )
        drawing.add(_text(end + 3, y + 3, label, bold=bar.kind == "own"))
    drawing.add(Line(x(0), 0, x(0), height, strokeColor=colors.black, strokeWidth=0.6))
    return drawing
