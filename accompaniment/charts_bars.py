"""Server-rendered SVG bar charts: no JavaScript, no inline style.

Horizontal bars, one per category, so long labels (types of aggression,
states) stay readable on a 360 px phone. Built with ElementTree: every label is
escaped and the markup is well formed. `<title>` and `<desc>` name the chart for
screen readers; each bar carries its own `<title>` with the label and the count.
The page shows the same numbers as a table beside the chart.
"""

import xml.etree.ElementTree as ET  # nosec B405 # builds SVG, never parses input
from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe

from .charts import SVG_NS, _n

BAR_COLOUR = "#0b5394"  # 7:1 against white
ROW_HEIGHT = 26
BAR_HEIGHT = 18
LABEL_WIDTH = 180
COUNT_WIDTH = 44
MAX_LABEL_CHARS = 28


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def bar_chart(
    *,
    bars: Sequence[tuple[str, int]],
    title: str,
    description: str,
    chart_id: str = "bars",
    width: int = 560,
) -> SafeString:
    """A horizontal bar chart of (label, count) pairs, in the order given.

    Returns SVG markup safe to put in a template. With no bars, the chart keeps
    its title and description and says it has no data, so it never breaks the page.
    """
    top, bottom = 8, 8
    height = top + bottom + ROW_HEIGHT * max(len(bars), 1)
    plot_w = width - LABEL_WIDTH - COUNT_WIDTH
    largest = max((count for _label, count in bars), default=0) or 1

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
            "class": "bar-chart",
            "id": chart_id,
        },
    )
    ET.SubElement(svg, "title", id=title_id).text = title
    ET.SubElement(svg, "desc", id=desc_id).text = description
    bars_group = ET.SubElement(svg, "g", {"class": "bars"})
    for index, (label, count) in enumerate(bars):
        y = top + ROW_HEIGHT * index
        row = ET.SubElement(bars_group, "g", {"class": "bar", "data-count": str(count)})
        ET.SubElement(row, "title").text = f"{label}: {count}"
        ET.SubElement(
            row,
            "text",
            {
                "x": _n(LABEL_WIDTH - 6),
                "y": _n(y + BAR_HEIGHT - 5),
                "text-anchor": "end",
                "fill": "#212529",
            },
        ).text = _short(label)
        bar_w = plot_w * count / largest
        ET.SubElement(
            row,
            "rect",
            {
                "x": _n(LABEL_WIDTH),
                "y": _n(y),
                "width": _n(max(bar_w, 1 if count else 0)),
                "height": _n(BAR_HEIGHT),
                "fill": BAR_COLOUR,
            },
        )
        ET.SubElement(
            row,
            "text",
            {"x": _n(LABEL_WIDTH + bar_w + 4), "y": _n(y + BAR_HEIGHT - 5), "fill": "#212529"},
        ).text = str(count)
    if not bars:
        ET.SubElement(
            svg, "text", {"x": _n(width / 2), "y": _n(top + 16), "text-anchor": "middle"}
        ).text = description
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308 (escaped by ElementTree) # nosec B308
