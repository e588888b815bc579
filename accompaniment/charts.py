"""Server-rendered SVG charts: no JavaScript, no external service, no inline style.

The SVG is built with ElementTree, so every label (dates, field names) is
escaped and the markup is always well formed. Series differ by colour, by
dash pattern and by marker shape, so they stay apart in grey scale and for
colour-blind readers; `<title>` and `<desc>` name the chart for screen readers.
"""

import datetime as dt
import xml.etree.ElementTree as ET  # nosec B405 # builds SVG, never parses input
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe

SVG_NS = "http://www.w3.org/2000/svg"

SCORE_MIN = 1
SCORE_MAX = 5


@dataclass(frozen=True)
class SeriesStyle:
    colour: str  # at least 3:1 against white (WCAG 1.4.11, graphical objects)
    dash: str  # stroke-dasharray, "" for a solid line
    marker: str  # circle, square, triangle, diamond


# Okabe-Ito derived colours, darkened where needed for contrast on white.
SERIES_STYLES: tuple[SeriesStyle, ...] = (
    SeriesStyle(colour="#0b5394", dash="", marker="circle"),
    SeriesStyle(colour="#b34700", dash="8 4", marker="square"),
    SeriesStyle(colour="#00704a", dash="2 4", marker="triangle"),
    SeriesStyle(colour="#7a2e7a", dash="10 4 2 4", marker="diamond"),
)


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    points: Sequence[tuple[dt.date, int]]  # (date, score), any order


def _marker(parent: ET.Element, *, shape: str, x: float, y: float, colour: str, label: str):
    size = 5.0
    if shape == "circle":
        node = ET.SubElement(parent, "circle", cx=_n(x), cy=_n(y), r=_n(size))
    elif shape == "square":
        node = ET.SubElement(
            parent,
            "rect",
            x=_n(x - size),
            y=_n(y - size),
            width=_n(2 * size),
            height=_n(2 * size),
        )
    elif shape == "triangle":
        points = [(x, y - size * 1.2), (x + size * 1.1, y + size), (x - size * 1.1, y + size)]
        node = ET.SubElement(parent, "polygon", points=_points(points))
    else:
        points = [
            (x, y - size * 1.3),
            (x + size * 1.3, y),
            (x, y + size * 1.3),
            (x - size * 1.3, y),
        ]
        node = ET.SubElement(parent, "polygon", points=_points(points))
    node.set("fill", colour)
    node.set("stroke", "#ffffff")
    node.set("stroke-width", "1")
    ET.SubElement(node, "title").text = label
    return node


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _points(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _date_ticks(start: dt.date, end: dt.date, count: int = 5) -> list[dt.date]:
    span = (end - start).days
    if span <= 0:
        return [start]
    steps = min(count - 1, span)
    ticks = [start + dt.timedelta(days=round(span * i / steps)) for i in range(steps + 1)]
    return sorted(set(ticks))


def score_line_chart(
    *,
    series: Sequence[Series],
    title: str,
    description: str,
    chart_id: str = "chart",
    width: int = 720,
    height: int = 320,
) -> SafeString:
    """A line chart of 1-5 scores over time, one line per series (up to four).

    Returns SVG markup safe to put in a template. An empty series still gets its
    group and its legend entry, so a reader can tell "no assessment" from a
    missing field.
    """
    # A narrow chart (a phone's) puts its legend in one column and fewer dates on its axis,
    # so its text keeps a readable size instead of shrinking with a wide drawing.
    narrow = width < 560
    columns = 1 if narrow else 2
    legend_rows = max(1, -(-len(series) // columns))
    left, right, top = 44, 40, 16  # room on the right for half of the last date
    bottom = 44 + 22 * (legend_rows - 1) + 18
    height = top + bottom + (height - 16 - 84)  # the plot keeps the height asked for
    plot_w = width - left - right
    plot_h = height - top - bottom

    dates = [d for s in series for d, _score in s.points]
    start = min(dates) if dates else dt.date.today()
    end = max(dates) if dates else start
    if start == end:
        start, end = start - dt.timedelta(days=15), end + dt.timedelta(days=15)
    # A little room at both ends, so no marker sits on the y axis.
    pad = dt.timedelta(days=max(1, round((end - start).days * 0.03)))
    start, end = start - pad, end + pad
    span = (end - start).days

    def x_of(day: dt.date) -> float:
        return left + plot_w * (day - start).days / span

    def y_of(score: int) -> float:
        return top + plot_h * (SCORE_MAX - score) / (SCORE_MAX - SCORE_MIN)

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {width} {height}",
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{title_id} {desc_id}",
            "font-family": "system-ui, sans-serif",
            "font-size": "12",
            "class": "score-chart",
        },
    )
    ET.SubElement(svg, "title", id=title_id).text = title
    ET.SubElement(svg, "desc", id=desc_id).text = description

    axes = ET.SubElement(svg, "g", {"class": "axes", "aria-hidden": "true"})
    for score in range(SCORE_MIN, SCORE_MAX + 1):
        y = y_of(score)
        ET.SubElement(
            axes,
            "line",
            x1=_n(left),
            x2=_n(left + plot_w),
            y1=_n(y),
            y2=_n(y),
            stroke="#d0d4d9" if score != SCORE_MIN else "#495057",
        )
        label = ET.SubElement(
            axes, "text", {"x": _n(left - 8), "y": _n(y + 4), "text-anchor": "end"}
        )
        label.text = str(score)
        label.set("fill", "#212529")
    ET.SubElement(
        axes, "line", x1=_n(left), x2=_n(left), y1=_n(top), y2=_n(top + plot_h), stroke="#495057"
    )
    for day in _date_ticks(start, end, count=3 if narrow else 5):
        x = x_of(day)
        ET.SubElement(
            axes, "line", x1=_n(x), x2=_n(x), y1=_n(top + plot_h), y2=_n(top + plot_h + 5)
        ).set("stroke", "#495057")
        tick = ET.SubElement(
            axes, "text", {"x": _n(x), "y": _n(top + plot_h + 18), "text-anchor": "middle"}
        )
        tick.text = date_format(day, "SHORT_DATE_FORMAT")
        tick.set("fill", "#212529")

    for index, item in enumerate(series):
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        group = ET.SubElement(
            svg,
            "g",
            # A named group (an unnamed <g> may not carry aria-label), even with no point.
            {"class": "series", "data-series": item.key, "role": "group", "aria-label": item.label},
        )
        points = sorted(item.points)
        coords = [(x_of(day), y_of(score)) for day, score in points]
        if len(coords) > 1:
            line = ET.SubElement(
                group,
                "polyline",
                {
                    "points": _points(coords),
                    "fill": "none",
                    "stroke": style.colour,
                    "stroke-width": "2.5",
                },
            )
            if style.dash:
                line.set("stroke-dasharray", style.dash)
        for (day, score), (x, y) in zip(points, coords, strict=True):
            _marker(
                group,
                shape=style.marker,
                x=x,
                y=y,
                colour=style.colour,
                label=f"{item.label}: {score} ({date_format(day, 'SHORT_DATE_FORMAT')})",
            )

    legend = ET.SubElement(svg, "g", {"class": "legend", "aria-hidden": "true"})
    for index, item in enumerate(series):
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        col, row = index % columns, index // columns
        x = left + col * (plot_w / columns)
        y = top + plot_h + 44 + row * 22
        sample = ET.SubElement(
            legend,
            "line",
            {
                "x1": _n(x),
                "x2": _n(x + 30),
                "y1": _n(y),
                "y2": _n(y),
                "stroke": style.colour,
                "stroke-width": "2.5",
            },
        )
        if style.dash:
            sample.set("stroke-dasharray", style.dash)
        _marker(legend, shape=style.marker, x=x + 15, y=y, colour=style.colour, label=item.label)
        text = ET.SubElement(legend, "text", {"x": _n(x + 38), "y": _n(y + 4)})
        text.text = item.label
        text.set("fill", "#212529")

    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308 (escaped by ElementTree) # nosec B308


def series_from_scores(
    *, labels: Mapping[str, str], scores: Sequence[tuple[str, dt.date, int]]
) -> list[Series]:
    """Group (key, date, score) rows into one Series per label key, in `labels` order."""
    grouped: dict[str, list[tuple[dt.date, int]]] = {key: [] for key in labels}
    for key, day, score in scores:
        if key in grouped:
            grouped[key].append((day, score))
    return [Series(key=key, label=str(label), points=grouped[key]) for key, label in labels.items()]


def score_sparkline(*, scores: Sequence[int], label: str) -> SafeString:
    """A small trend line of 1-5 scores, oldest first, for a table cell.

    The scale is fixed (1 at the bottom, 5 at the top, faint guides at 1, 3 and 5), so
    two cells compare at a glance; the latest score gets a dot. `label` is its text
    alternative (the scores in words), read instead of the drawing. Nothing with fewer
    than two scores: there is no trend to draw.
    """
    if len(scores) < 2:
        return mark_safe("")  # nosec B308 # noqa: S308 (empty)
    width, height, pad = 64, 22, 3
    step = (width - 2 * pad) / (len(scores) - 1)

    def y_of(score: int) -> float:
        return pad + (height - 2 * pad) * (SCORE_MAX - score) / (SCORE_MAX - SCORE_MIN)

    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {width} {height}",
            "width": str(width),
            "height": str(height),
            "role": "img",
            "aria-label": label,
            "focusable": "false",
            "class": "sparkline",
        },
    )
    ET.SubElement(svg, "title").text = label
    for score in (SCORE_MIN, 3, SCORE_MAX):
        ET.SubElement(
            svg,
            "line",
            {"x1": "0", "x2": str(width), "y1": _n(y_of(score)), "y2": _n(y_of(score))},
        ).set("stroke", "#dee2e6")
    coords = [(pad + step * index, y_of(score)) for index, score in enumerate(scores)]
    ET.SubElement(
        svg,
        "polyline",
        {"points": _points(coords), "fill": "none", "stroke": "#0b5394", "stroke-width": "2"},
    )
    x, y = coords[-1]
    ET.SubElement(svg, "circle", {"cx": _n(x), "cy": _n(y), "r": "3", "fill": "#0b5394"})
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308 (escaped by ElementTree) # nosec B308
