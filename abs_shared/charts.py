"""Server-rendered accessible SVG charts: role="img", a title and a description, no script.

Every chart sits next to a table holding the same figures (the accessible equivalent). Callers
pass numbers only: secret and missing values never reach a chart.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

Formatter = Callable[[float], str]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    highlight: bool = False


@dataclass(frozen=True)
class Line:
    name: str
    points: list[tuple[int, float | None]]


def _svg(width: int, height: int, title: str, desc: str, body: str) -> SafeString:
    uid = uuid.uuid4().hex[:8]
    return format_html(
        '<svg class="abs-chart" role="img" aria-labelledby="chart-t-{0} chart-d-{0}" '
        'viewBox="0 0 {1} {2}" xmlns="http://www.w3.org/2000/svg" focusable="false">'
        '<title id="chart-t-{0}">{3}</title><desc id="chart-d-{0}">{4}</desc>{5}</svg>',
        uid,
        width,
        height,
        title,
        desc,
        mark_safe(body),
    )


def scale(low: float, high: float, start: float, length: float) -> Callable[[float], float]:
    """Maps [low, high] onto [start, start + length] (a flat range onto its start)."""
    if high == low:
        high = low + 1
    return lambda value: start + (value - low) / (high - low) * length


def _text(x: float, y: float, text: str, css: str = "", anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" class="{css}" text-anchor="{anchor}">{escape(text)}</text>'
    )


def bar_chart(
    bars: list[Bar], references: list[tuple[str, float]], fmt: Formatter, title: str, desc: str
) -> SafeString:
    """Horizontal bars, one per commune, with a dashed vertical line per reference territory."""
    label_width, plot_width, row, top = 190, 430, 18, 18 + 14 * len(references)
    height = top + row * len(bars) + 10
    values = [bar.value for bar in bars] + [value for _, value in references]
    x = scale(min(0.0, *values), max(values), label_width, plot_width)
    parts = []
    for index, bar in enumerate(bars):
        y = top + index * row
        css = "abs-bar abs-bar-own" if bar.highlight else "abs-bar"
        width = max(1.0, x(bar.value) - x(0))
        parts.append(_text(label_width - 6, y + 12, bar.label, "abs-label", "end"))
        parts.append(
            f'<rect class="{css}" x="{x(0):.1f}" y="{y + 2}" width="{width:.1f}" height="{row - 5}"/>'
        )
        parts.append(_text(x(0) + width + 4, y + 12, fmt(bar.value), "abs-value"))
    for index, (name, value) in enumerate(references):
        parts.append(
            f'<line class="abs-ref abs-ref-{index}" x1="{x(value):.1f}" x2="{x(value):.1f}" '
            f'y1="{14 * index + 12}" y2="{height - 6}"/>'
        )
        parts.append(
            _text(x(value) + 3, 14 * index + 11, f"{name} : {fmt(value)}", "abs-ref-label")
        )
    return _svg(label_width + plot_width + 80, height, title, desc, "".join(parts))


# Series are told apart by shape and stroke, not by colour alone (RGAA 3.1): each series has
# a marker shape and a dash pattern, drawn on the plot and in the legend. Six shapes and five
# patterns are taken in step, so the first thirty series never share both.
MARKERS = ("circle", "square", "triangle", "diamond", "triangle-down", "cross")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 2 4 6")
MARKER_NAMES = {
    "circle": "rond",
    "square": "carré",
    "triangle": "triangle",
    "diamond": "losange",
    "triangle-down": "triangle pointe en bas",
    "cross": "croix",
}
DASH_NAMES = ("trait plein", "tirets", "pointillés", "tirets et points", "tirets longs et courts")


def series_style(index: int) -> tuple[str, str]:
    """The (marker shape, dash pattern) of the index-th series."""
    return MARKERS[index % len(MARKERS)], DASHES[index % len(DASHES)]


def describe_style(index: int) -> str:
    """A series' look in words, for the chart's description: « rond, trait plein »."""
    marker, dash = series_style(index)
    return f"{MARKER_NAMES[marker]}, {DASH_NAMES[DASHES.index(dash)]}"


def _marker(shape: str, cx: float, cy: float, css: str) -> str:
    """A marker of about 8 px centred on (cx, cy)."""
    classes = f"abs-marker abs-marker-{shape} {css}"
    if shape == "circle":
        return f'<circle class="{classes}" cx="{cx:.1f}" cy="{cy:.1f}" r="4"/>'
    outlines = {
        "square": "m-3.5,-3.5 h7 v7 h-7 z",
        "triangle": "m0,-4.5 l4.5,8 h-9 z",
        "diamond": "m0,-5 l5,5 l-5,5 l-5,-5 z",
        "triangle-down": "m0,4.5 l4.5,-8 h-9 z",
        "cross": "m-1.5,-5 h3 v3.5 h3.5 v3 h-3.5 v3.5 h-3 v-3.5 h-3.5 v-3 h3.5 z",
    }
    return f'<path class="{classes}" d="M{cx:.1f},{cy:.1f} {outlines[shape]}"/>'


def _dash(pattern: str) -> str:
    return f' stroke-dasharray="{pattern}"' if pattern else ""


def _legend_item(index: int, name: str, x: float, y: float) -> str:
    """A sample of the series (its stroke and its marker) followed by its name."""
    marker, dash = series_style(index)
    return (
        f'<g class="abs-legend-item" data-series="{index}">'
        f'<line class="abs-line abs-series-{index}" x1="{x:.1f}" x2="{x + 28:.1f}" '
        f'y1="{y - 4:.1f}" y2="{y - 4:.1f}"{_dash(dash)}/>'
        f"{_marker(marker, x + 14, y - 4, f'abs-series-{index}')}"
        f"{_text(x + 36, y, name, 'abs-label')}</g>"
    )


def line_chart(
    lines: list[Line], breaks: list[int], fmt: Formatter, title: str, desc: str
) -> SafeString:
    """Values over the years, one line per territory; no line is drawn across a series break.

    Each line has its own marker and dash pattern, shown again in the legend under the plot."""
    years = sorted({year for line in lines for year, _ in line.points})
    values = [value for line in lines for _, value in line.points if value is not None]
    if not years or not values:
        return SafeString("")
    left, width, top, height = 70, 480, 20, 200
    x = (
        scale(years[0], years[-1], left + 20, width - 40)
        if len(years) > 1
        else (lambda year: left + width / 2)
    )
    low, high = min(values), max(values)
    padding = (high - low) * 0.1 or abs(high) * 0.1 or 1
    y = scale(high + padding, low - padding, top, height)
    parts = [
        f'<line class="abs-axis" x1="{left}" x2="{left + width}" y1="{top + height}" y2="{top + height}"/>'
    ]
    for tick in (low, (low + high) / 2, high):
        parts.append(_text(left - 6, y(tick) + 4, fmt(tick), "abs-label", "end"))
        parts.append(
            f'<line class="abs-gridline" x1="{left}" x2="{left + width}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
        )
    for year in years:
        parts.append(_text(x(year), top + height + 16, str(year), "abs-label", "middle"))
    for year in breaks:
        after = [other for other in years if other > year]
        if after:
            middle = (x(year) + x(after[0])) / 2
            parts.append(
                f'<line class="abs-break" x1="{middle:.1f}" x2="{middle:.1f}" y1="{top}" y2="{top + height}"/>'
            )
            parts.append(_text(middle, top - 6, "Rupture de série", "abs-ref-label", "middle"))
    for index, line in enumerate(lines):
        parts += _series_parts(index, line, breaks, x, y)
        parts.append(_legend_item(index, line.name, left, top + height + 38 + 16 * index))
    total_height = top + height + 44 + 16 * len(lines)
    return _svg(left + width + 20, total_height, title, desc, "".join(parts))


def series_runs(points, breaks: list[int], year_value=lambda point: point) -> list[list]:
    """A series' runs of consecutive numbers, each drawn as one line: a missing or secret value
    (None) or a series break between two years cuts it. `year_value(point)` gives a point's
    (year, value); the points are kept as given."""
    runs: list[list] = [[]]
    previous_year = None
    for point in points:
        year, value = year_value(point)
        crosses_break = previous_year is not None and any(previous_year <= b < year for b in breaks)
        previous_year = year
        if value is None or crosses_break:
            runs.append([])
        if value is not None:
            runs[-1].append(point)
    return runs


def _series_parts(index: int, line: Line, breaks: list[int], x, y) -> list[str]:
    """One series: its segments (cut at a missing value or a break), then its markers on top."""
    marker, dash = series_style(index)
    runs = series_runs(line.points, breaks)
    parts = [
        f'<polyline class="abs-line abs-series-{index}" points="'
        + " ".join(f"{x(year):.1f},{y(value):.1f}" for year, value in run)
        + f'"{_dash(dash)}/>'
        for run in runs
        if len(run) > 1
    ]
    markers = [
        _marker(marker, x(year), y(value), f"abs-series-{index}")
        for run in runs
        for year, value in run
    ]
    return parts + markers


def position_chart(
    stats: dict,
    value: float | None,
    references: list[tuple[str, float]],
    fmt: Formatter,
    title: str,
    desc: str,
    others: list[tuple[str, float]] = (),
) -> SafeString:
    """Where a value sits among the members: range, interquartile box, median, the commune,
    references (vertical lines) and communes chosen beside it (white dots), each labelled."""
    numbers = [n for n in (stats.get("min"), stats.get("max"), value) if n is not None]
    numbers += [ref for _, ref in references] + [other for _, other in others]
    if not numbers:
        return SafeString("")
    left, width = 10, 500
    x = scale(min(numbers), max(numbers), left + 10, width - 20)
    parts = [f'<line class="abs-axis" x1="{left}" x2="{left + width}" y1="40" y2="40"/>']
    rows: list[float] = []
    if stats.get("count"):
        parts.append(
            f'<line class="abs-range" x1="{x(stats["min"]):.1f}" x2="{x(stats["max"]):.1f}" y1="40" y2="40"/>'
        )
        parts.append(
            f'<rect class="abs-box" x="{x(stats["q1"]):.1f}" y="30" '
            f'width="{max(1.0, x(stats["q3"]) - x(stats["q1"])):.1f}" height="20"/>'
        )
        parts.append(
            f'<line class="abs-median" x1="{x(stats["median"]):.1f}" x2="{x(stats["median"]):.1f}" y1="28" y2="52"/>'
        )
    marks = [
        (ref, name, f"abs-ref abs-ref-{index}") for index, (name, ref) in enumerate(references)
    ]
    marks += [(other, name, "abs-other") for name, other in others]
    for ref, name, css in sorted(marks, key=lambda mark: mark[0]):
        parts.append(f'<line class="{css}" x1="{x(ref):.1f}" x2="{x(ref):.1f}" y1="22" y2="58"/>')
        if css == "abs-other":
            parts.append(f'<circle class="abs-other-dot" cx="{x(ref):.1f}" cy="58" r="3.5"/>')
        # Labels go under the axis, left-aligned on their line, moved down a row when they would
        # overlap the previous one and pulled back inside the frame.
        label = f"{name} : {fmt(ref)}"
        width_estimate = 5.6 * len(label)
        start = min(max(x(ref) - 3, left), left + width - width_estimate)
        row = next((i for i, end in enumerate(rows) if start > end + 6), len(rows))
        if row == len(rows):
            rows.append(0.0)
        rows[row] = start + width_estimate
        parts.append(
            f'<line class="abs-leader" x1="{x(ref):.1f}" x2="{x(ref):.1f}" y1="58" y2="{62 + 12 * row}"/>'
        )
        parts.append(_text(start, 71 + 12 * row, label, "abs-ref-label"))
    if value is not None:
        cx = x(value)
        parts.append(f'<path class="abs-own" d="M{cx:.1f},31 l9,9 l-9,9 l-9,-9 z"/>')
        parts.append(_text(cx, 18, fmt(value), "abs-value", "middle"))
    return _svg(left + width + 10, 78 + 12 * max(1, len(rows)), title, desc, "".join(parts))
