"""Horizontal bar charts for printed documents, drawn as SVG on the server.

WeasyPrint draws inline SVG text as real text: a reader can select it, a screen
reader and pypdf can read it. Each chart names its categories on the left and
writes each value at the end of its bar, over a labelled axis. A value that is
not a number (a suppressed count such as "<5") is written where its bar would
start and gets no bar: a bar's length would tell what the label hides.

The tagged PDF turns the `<svg>` into a Figure whose alternative text is the
chart's `<title>`; the table printed with the chart holds the same numbers.
Built with ElementTree: every label is escaped and the markup is well formed.
"""

import math
import textwrap
import xml.etree.ElementTree as ET  # nosec B405 # builds SVG, never parses input
from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 640  # user units; the chart is scaled to the text width
LABEL_WIDTH = 250
VALUE_WIDTH = 48
FONT_SIZE = 11
LINE_HEIGHT = 13
BAR_HEIGHT = 13
ROW_GAP = 7
AXIS_HEIGHT = 22
LABEL_CHARS = 40  # per line, at FONT_SIZE in LABEL_WIDTH
LABEL_LINES = 2
BAR_COLOUR = "#0b5394"  # 7:1 against white, readable in greyscale
TEXT_COLOUR = "#1a1a1a"
GRID_COLOUR = "#c8c8c8"


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _label_lines(label: str) -> list[str]:
    lines = textwrap.wrap(label, LABEL_CHARS, break_long_words=True) or [""]
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = lines[-1][: LABEL_CHARS - 1].rstrip() + "…"
    return lines


def axis_ticks(largest: int) -> list[int]:
    """0 and a few round steps (1, 2 or 5 times a power of ten), the last at or
    above `largest`: every bar ends inside the grid."""
    if largest <= 0:
        return [0]
    rough = largest / 4
    power = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = max(int(next(s * power for s in (1, 2, 5, 10) if s * power >= rough)), 1)
    top = math.ceil(largest / step) * step
    return list(range(0, top + 1, step))


def bar_chart_svg(
    *, rows: Sequence[tuple[str, int | str]], title: str, description: str = ""
) -> SafeString:
    """A horizontal bar chart of (category, value) rows, in the order given.

    `value` is a count (drawn as a bar) or a text shown instead of a count
    (written, no bar). Returns SVG markup safe to put in a template.
    """
    counts = [value for _label, value in rows if isinstance(value, int)]
    ticks = axis_ticks(max(counts, default=0))
    scale_top = max(ticks[-1], 1)
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    layout, y = [], 4.0
    for label, value in rows:
        lines = _label_lines(str(label))
        height = max(BAR_HEIGHT, LINE_HEIGHT * len(lines))
        layout.append((lines, value, y, height))
        y += height + ROW_GAP
    plot_bottom = y - ROW_GAP + 4
    height = plot_bottom + AXIS_HEIGHT

    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {WIDTH} {_n(height)}",
            "width": "100%",
            "role": "img",
            "font-family": "DejaVu Sans, sans-serif",
            "font-size": str(FONT_SIZE),
            "class": "pdf-chart",
        },
    )
    ET.SubElement(svg, "title").text = title
    if description:
        ET.SubElement(svg, "desc").text = description
    _draw_axis(svg, ticks, scale_top, plot_width, plot_bottom)
    for lines, value, top, row_height in layout:
        _draw_row(svg, lines, value, top, row_height, scale_top, plot_width)
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308 # nosec B308


def _draw_axis(svg, ticks, scale_top, plot_width, plot_bottom) -> None:
    axis = ET.SubElement(svg, "g", {"class": "axis"})
    for tick in ticks:
        x = LABEL_WIDTH + plot_width * tick / scale_top
        ET.SubElement(
            axis,
            "line",
            {
                "x1": _n(x),
                "x2": _n(x),
                "y1": "0",
                "y2": _n(plot_bottom),
                "stroke": GRID_COLOUR if tick else TEXT_COLOUR,
                "stroke-width": "0.6" if tick else "1",
            },
        )
        ET.SubElement(
            axis,
            "text",
            {
                "x": _n(x),
                "y": _n(plot_bottom + AXIS_HEIGHT - 6),
                "text-anchor": "middle",
                "fill": TEXT_COLOUR,
                "font-size": str(FONT_SIZE - 1),
            },
        ).text = str(tick)


def _draw_row(svg, lines, value, top, row_height, scale_top, plot_width) -> None:
    row = ET.SubElement(svg, "g", {"class": "bar"})
    middle = top + row_height / 2
    first_baseline = middle - LINE_HEIGHT * (len(lines) - 1) / 2 + FONT_SIZE * 0.35
    label = ET.SubElement(
        row,
        "text",
        {"x": _n(LABEL_WIDTH - 6), "y": _n(first_baseline), "text-anchor": "end"},
    )
    label.set("fill", TEXT_COLOUR)
    if len(lines) == 1:
        label.text = lines[0]  # a text without tspans: one text run to lay out, not two
    for index, line in enumerate(lines if len(lines) > 1 else []):
        ET.SubElement(
            label,
            "tspan",
            {"x": _n(LABEL_WIDTH - 6), "y": _n(first_baseline + LINE_HEIGHT * index)},
        ).text = line
    bar_width = plot_width * value / scale_top if isinstance(value, int) else 0
    if bar_width:
        ET.SubElement(
            row,
            "rect",
            {
                "x": _n(LABEL_WIDTH),
                "y": _n(middle - BAR_HEIGHT / 2),
                "width": _n(max(bar_width, 1)),
                "height": _n(BAR_HEIGHT),
                "fill": BAR_COLOUR,
            },
        )
    ET.SubElement(
        row,
        "text",
        {
            "x": _n(LABEL_WIDTH + bar_width + 4),
            "y": _n(middle + FONT_SIZE * 0.35),
            "fill": TEXT_COLOUR,
            "font-weight": "bold",
        },
    ).text = str(value)
