"""Server-rendered accessible SVG charts: role="img", a title and a description, no script.

Every chart sits next to a table holding the same figures (the accessible equivalent). Callers
pass numbers only: secret and missing values never reach a chart.
"""

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from union.formats import french_number

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
    drafts: frozenset[int] = frozenset()  # years of a member's unpublished values: hollow points


def _svg(width: int, height: int, title: str, desc: str, body: str, kind: str = "") -> SafeString:
    """`kind` ("position", "line") gives the chart the class abs-chart-<kind>: its text size and
    width on the page (abs_shared.css) are set for its viewBox."""
    uid = uuid.uuid4().hex[:8]
    return format_html(
        '<svg class="abs-chart{6}" role="img" aria-labelledby="chart-t-{0} chart-d-{0}" '
        'viewBox="0 0 {1} {2}" xmlns="http://www.w3.org/2000/svg" focusable="false">'
        '<title id="chart-t-{0}">{3}</title><desc id="chart-d-{0}">{4}</desc>{5}</svg>',
        uid,
        width,
        height,
        title,
        desc,
        mark_safe(body),
        f" abs-chart-{kind}" if kind else "",
    )


# The position and evolution charts are drawn for the width the pages show them at (a portrait
# card, a phone: about 310 to 350 px), so that a user unit is about a pixel there and their
# 14-unit text (abs_shared.css) reads at 12 px or more; wider screens show them at most about
# 1.3 times larger. CHAR_WIDTH is a generous estimate of a character's width at that size, to
# keep labels apart and inside the frame.
CHART_WIDTH = 340
CHAR_WIDTH = 8.4
TEXT_ROW = 18


def scale(low: float, high: float, start: float, length: float) -> Callable[[float], float]:
    """Maps [low, high] onto [start, start + length] (a flat range onto its start)."""
    if high == low:
        high = low + 1
    return lambda value: start + (value - low) / (high - low) * length


def _text(x: float, y: float, text: str, css: str = "", anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" class="{css}" text-anchor="{anchor}">{escape(text)}</text>'
    )


def wrapped(text: str, width: float) -> list[str]:
    """`text` in lines of at most `width` units (CHAR_WIDTH a character), cut between words."""
    most = max(int(width // CHAR_WIDTH), 1)
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= most:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def _text_lines(x: float, y: float, lines: list[str], css: str = "") -> str:
    """A text of one line (as _text) or of several, one under the other (TEXT_ROW apart)."""
    if len(lines) == 1:
        return _text(x, y, lines[0], css)
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if index == 0 else TEXT_ROW}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return f'<text x="{x:.1f}" y="{y:.1f}" class="{css}" text-anchor="start">{spans}</text>'


# --- value axes ---------------------------------------------------------------------------
# Evolution charts (the page's and the PDF's) start their axis at zero for the quantities whose
# zero means « none »: counts, amounts and rates. Fitted to the values, a population going from
# 50 200 to 50 800 (+ 0,4 %) filled the plot as a steep climb. Rates too: their levels are of
# the same order from one territory to the next, so that from zero the gaps between the lines
# stay visible, and a change of 0,3 point looks as small as it is. A ratio or an index has no
# such zero (a D9/D1 of 1 is equality, an index is read against 100): its axis is fitted to its
# values, and the chart says so.
ZERO_BASED_UNITS = ("count", "euros_year", "percent")
TRUNCATED_AXIS = "axe ne partant pas de zéro"
TRUNCATED_NOTE = f"Attention : {TRUNCATED_AXIS}"


def nice_ticks(low: float, high: float, count: int = 4) -> tuple[list[float], int]:
    """Round tick values spanning [low, high] (steps of 1, 2, 2.5 or 5 times a power of ten,
    about `count` of them) and the decimals their labels need: an axis reads 20, 25, 30 rather
    than 19,8, 24,3, 28,9."""
    low, high = min(low, high), max(low, high)
    if high == low:
        spread = abs(high) * 0.1 or 1.0
        low, high = low - spread, high + spread
    raw = (high - low) / max(count - 1, 1)
    exponent = math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * 10**exponent >= raw * (1 - 1e-9):
            break
    step = multiple * 10**exponent
    if multiple == 10:
        multiple, exponent = 1, exponent + 1
    decimals = max(0, (1 if multiple == 2.5 else 0) - exponent)
    start = math.floor(low / step + 1e-9) * step
    steps = math.ceil((high - start) / step - 1e-9)
    ticks = [round(start + index * step, decimals + 2) for index in range(steps + 1)]
    return ticks, decimals


def axis_ticks(
    values: list[float], from_zero: bool = True, count: int = 4
) -> tuple[list[float], int, bool]:
    """A value axis: its round ticks (nice_ticks), their labels' decimals, and whether it leaves
    zero out (never when `from_zero`: zero is then on the axis, below or above the values)."""
    low, high = min(values), max(values)
    if from_zero:
        low, high = min(low, 0.0), max(high, 0.0)
        if low == high:  # only zeros: an axis from 0 to 1
            high = 1.0
    ticks, decimals = nice_ticks(low, high, count)
    return ticks, decimals, ticks[0] > 0 or ticks[-1] < 0


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
            _text(x(value) + 3, 14 * index + 11, f"{name} : {fmt(value)}", "abs-ref-label")
        )
    return _svg(label_width + plot_width + 80, height, title, desc, "".join(parts), "bar")


def narrow_bar_chart(
    bars: list[Bar], references: list[tuple[str, float]], fmt: Formatter, title: str, desc: str
) -> SafeString:
    """The bar chart drawn for a phone (CHART_WIDTH, as the position charts): each commune's
    name and value on a line of their own above its bar, so that text keeps 14 units (12 px or
    more at 320 px) where the wide chart's 700 units shrank it to 5 px. Reference territories
    are labelled at the top, one under the other, their dashed lines running down the bars."""
    left, width = 8, CHART_WIDTH - 16
    values = [bar.value for bar in bars] + [value for _, value in references]
    x = scale(min(0.0, *values), max(values), left, width)
    parts, labels, y = [], [], 4.0
    line_tops = []  # each reference's line starts under its label and runs down the bars
    for name, value in references:
        lines = wrapped(f"{name} : {fmt(value)}", width)
        width_estimate = CHAR_WIDTH * max(len(line) for line in lines)
        start = max(min(x(value) - 3, left + width - width_estimate), left)
        labels.append(_text_lines(start, y + 14, lines, "abs-ref-label"))
        y += TEXT_ROW * len(lines)
        line_tops.append(y)
    for bar in bars:
        figure = fmt(bar.value)
        lines = wrapped(bar.label, width - CHAR_WIDTH * (len(figure) + 1))
        labels.append(_text_lines(left, y + 14, lines, "abs-label"))
        labels.append(_text(left + width, y + 14, figure, "abs-value", "end"))
        y += TEXT_ROW * len(lines)
        css = "abs-bar abs-bar-own" if bar.highlight else "abs-bar"
        parts.append(
            f'<rect class="{css}" x="{min(x(0), x(bar.value)):.1f}" y="{y + 1:.1f}" '
            f'width="{max(1.0, abs(x(bar.value) - x(0))):.1f}" height="10"/>'
        )
        y += 18
    for index, ((_name, value), line_top) in enumerate(zip(references, line_tops, strict=True)):
        parts.append(
            f'<line class="abs-ref abs-ref-{index}" x1="{x(value):.1f}" x2="{x(value):.1f}" '
            f'y1="{line_top:.1f}" y2="{y:.1f}"/>'
        )
    # Labels last, over the reference lines (their white outline: abs_shared.css).
    body = "".join(parts + labels)
    return _svg(CHART_WIDTH, math.ceil(y + 4), title, desc, body, "bar-narrow")


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
    """A series' look in words, for the chart's description: « rond, trait plein »."""
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


def _draft_hole(shape: str, cx: float, cy: float) -> str:
    """The white inside drawn over a draft's marker, which then reads hollow (as in the PDF).
    Its fill is an attribute of its group: no stylesheet rule fills these classes."""
    inner = _marker(shape, 0, 0, "abs-draft-hole")
    return f'<g fill="#fff" transform="translate({cx:.1f},{cy:.1f}) scale(0.5)">{inner}</g>'


def _dash(pattern: str) -> str:
    return f' stroke-dasharray="{pattern}"' if pattern else ""


def _legend_item(index: int, name: str, x: float, y: float) -> str:
    """A sample of the series (its stroke and its marker) followed by its name."""
    marker, dash = series_style(index)
    return (
        f'<g class="abs-legend-item" data-series="{index}">'
        f'<line class="abs-line abs-series-{index}" x1="{x:.1f}" x2="{x + 28:.1f}" '
        f'y1="{y - 5:.1f}" y2="{y - 5:.1f}"{_dash(dash)}/>'
        f"{_marker(marker, x + 14, y - 5, f'abs-series-{index}')}"
        f"{_text_lines(x + 36, y, wrapped(name, CHART_WIDTH - x - 44), 'abs-label')}</g>"
    )


def line_chart(
    lines: list[Line],
    breaks: list[int],
    fmt: Formatter,
    title: str,
    desc: str,
    from_zero: bool = True,
) -> SafeString:
    """Values over the years, one line per territory; no line is drawn across a series break.

    Each line has its own marker and dash pattern, shown again in the legend under the plot.
    The value axis is on round ticks (labelled with the decimals their step needs, not `fmt`'s)
    and starts at zero unless `from_zero` is False (a ratio, an index: see ZERO_BASED_UNITS);
    an axis that leaves zero out says so, on the chart and in its description."""
    years = sorted({year for line in lines for year, _ in line.points})
    values = [value for line in lines for _, value in line.points if value is not None]
    if not years or not values:
        return SafeString("")
    ticks, decimals, truncated = axis_ticks(values, from_zero, count=5)
    labels = [french_number(tick, decimals) for tick in ticks]
    left = 10 + CHAR_WIDTH * max(len(label) for label in labels)
    width, top, height = CHART_WIDTH - 10 - left, 28, 180
    x = (
        scale(years[0], years[-1], left + 16, width - 32)
        if len(years) > 1
        else (lambda year: left + width / 2)
    )
    y = scale(ticks[-1], ticks[0], top, height)
    parts = [
        f'<line class="abs-axis" x1="{left:.1f}" x2="{left + width:.1f}" '
        f'y1="{top + height}" y2="{top + height}"/>'
    ]
    for tick, label in zip(ticks, labels, strict=True):
        parts.append(_text(left - 6, y(tick) + 5, label, "abs-label abs-tick", "end"))
        parts.append(
            f'<line class="abs-gridline" x1="{left:.1f}" x2="{left + width:.1f}" '
            f'y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
        )
    # Years far enough apart to be read: every n-th one, counted back from the last.
    spacing = (width - 32) / (len(years) - 1) if len(years) > 1 else width
    every = math.ceil((4 * CHAR_WIDTH + 8) / spacing)
    for index, year in enumerate(years):
        if (len(years) - 1 - index) % every == 0:
            parts.append(_text(x(year), top + height + 20, str(year), "abs-label", "middle"))
    label_half = CHAR_WIDTH * len("Rupture de série") / 2
    for year in breaks:
        after = [other for other in years if other > year]
        if after:
            middle = (x(year) + x(after[0])) / 2
            parts.append(
                f'<line class="abs-break" x1="{middle:.1f}" x2="{middle:.1f}" y1="{top}" y2="{top + height}"/>'
            )
            shown_at = min(max(middle, label_half), CHART_WIDTH - label_half)
            parts.append(_text(shown_at, top - 8, "Rupture de série", "abs-ref-label", "middle"))
    below = top + height + 46
    if truncated:
        note = wrapped(TRUNCATED_NOTE, CHART_WIDTH - 20)
        parts.append(_text_lines(10, below, note, "abs-label abs-axis-note"))
        below += TEXT_ROW * len(note) + 6
        desc = f"{desc} {TRUNCATED_NOTE} (il commence à {labels[0]})."
    for index, line in enumerate(lines):
        parts += _series_parts(index, line, breaks, x, y)
        parts.append(_legend_item(index, line.name, 10, below))
        below += TEXT_ROW * len(wrapped(line.name, CHART_WIDTH - 54)) + 4
    return _svg(CHART_WIDTH, round(below - 8), title, desc, "".join(parts), "line")


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
        + (_draft_hole(marker, x(year), y(value)) if year in line.drafts else "")
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
    draft: bool = False,
) -> SafeString:
    """Where a value sits among the members: range, interquartile box, median, the commune,
    references (vertical lines) and communes chosen beside it (white dots), each labelled.
    A `draft` value (member space) is a hollow diamond."""
    numbers = [n for n in (stats.get("min"), stats.get("max"), value) if n is not None]
    numbers += [ref for _, ref in references] + [other for _, other in others]
    if not numbers:
        return SafeString("")
    left, width = 8, CHART_WIDTH - 16
    x = scale(min(numbers), max(numbers), left + 10, width - 20)
    parts = [f'<line class="abs-axis" x1="{left}" x2="{left + width}" y1="40" y2="40"/>']
    rows: list[float] = []
    labels: list[str] = []  # drawn last, over every line (their white outline: abs_shared.css)
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
        # overlap the previous one and pulled back inside the frame; a label wider than the
        # frame goes on two lines (or more), taking as many rows.
        lines = wrapped(f"{name} : {fmt(ref)}", width)
        width_estimate = CHAR_WIDTH * max(len(line) for line in lines)
        start = max(min(x(ref) - 3, left + width - width_estimate), left)
        row = next(
            (
                i
                for i in range(len(rows) + 1)
                if all(start > end + 6 for end in rows[i : i + len(lines)])
            ),
            len(rows),
        )
        while len(rows) < row + len(lines):
            rows.append(0.0)
        for taken in range(row, row + len(lines)):
            rows[taken] = start + width_estimate
        parts.append(
            f'<line class="abs-leader" x1="{x(ref):.1f}" x2="{x(ref):.1f}" '
            f'y1="58" y2="{62 + TEXT_ROW * row}"/>'
        )
        labels.append(_text_lines(start, 76 + TEXT_ROW * row, lines, "abs-ref-label"))
    if value is not None:
        cx = x(value)
        parts.append(f'<path class="abs-own" d="M{cx:.1f},30 l10,10 l-10,10 l-10,-10 z"/>')
        if draft:
            parts.append(
                f'<path class="abs-draft-hole" fill="#fff" d="M{cx:.1f},34 l6,6 l-6,6 l-6,-6 z"/>'
            )
        half = CHAR_WIDTH * len(fmt(value)) / 2  # the figure stays inside the frame
        parts.append(
            _text(min(max(cx, half), CHART_WIDTH - half), 20, fmt(value), "abs-value", "middle")
        )
    height = 82 + TEXT_ROW * max(1, len(rows))
    return _svg(CHART_WIDTH, height, title, desc, "".join(parts + labels), "position")
