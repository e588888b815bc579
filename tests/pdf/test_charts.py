"""Bar charts for printed documents: labelled, valued, and silent about hidden counts."""

import io
import xml.etree.ElementTree as ET  # nosec B405 # parses our own output

import pypdf
import pytest
from django.utils import translation

from aluna.pdf.charts import axis_ticks, bar_chart_svg
from aluna.pdf.render import render_pdf

SVG = "{http://www.w3.org/2000/svg}"
ROWS = [("Persona defensora individual", 11), ("Colectivo o grupo informal", 6), ("Red", "<5")]


def structure(reader) -> list:
    """Every element of the PDF's structure tree (the tags), depth first."""
    found, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if not hasattr(node, "get"):
            continue
        if "/S" in node:
            found.append(node)
        kids = node.get("/K", [])
        stack.extend(kids if isinstance(kids, list) else [kids])
    return found


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314 # nosec B314 # our own markup
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def _bars(svg: str) -> list[float]:
    root = ET.fromstring(svg)  # noqa: S314 # nosec B314
    return [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")]


def test_a_chart_names_every_category_and_writes_every_value():
    svg = bar_chart_svg(rows=ROWS, title="Sujetos por tipo")

    rows_text = _texts(svg)[-6:]  # after the axis's tick labels
    assert rows_text == [
        "Persona defensora individual",
        "11",
        "Colectivo o grupo informal",
        "6",
        "Red",
        "<5",
    ]
    assert ET.fromstring(svg).find(f"{SVG}title").text == "Sujetos por tipo"  # noqa: S314


def test_a_hidden_count_gets_no_bar():
    svg = bar_chart_svg(rows=ROWS, title="T")

    bars = _bars(svg)
    assert len(bars) == 2
    assert bars[0] > bars[1] > 0


def test_a_chart_has_an_axis_whose_last_tick_holds_the_longest_bar():
    svg = bar_chart_svg(rows=[("A", 11), ("B", 6)], title="T")

    ticks = [t for t in _texts(svg) if t.isdigit()][:4]
    assert ticks == ["0", "5", "10", "15"]


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [
        (0, [0]),
        (1, [0, 1]),
        (4, [0, 1, 2, 3, 4]),
        (11, [0, 5, 10, 15]),
        (306, [0, 100, 200, 300, 400]),
    ],
)
def test_axis_ticks_are_round_and_reach_the_largest_value(largest, ticks):
    assert axis_ticks(largest) == ticks


def test_a_label_cannot_break_the_markup_and_a_long_one_is_wrapped():
    long_label = "Desaparición forzada (familiares y colectivos de búsqueda) " * 3
    svg = bar_chart_svg(rows=[("<script>alert(1)</script>", 5), (long_label, 7)], title="<b>")

    texts = _texts(svg)
    assert "<script>alert(1)</script>" in texts
    wrapped = next(t for t in texts if t.startswith("Desaparición"))
    assert wrapped.endswith("…")
    assert "<script>" not in svg


def test_a_chart_in_a_pdf_is_a_figure_with_its_text_readable(settings):
    engine = dict(settings.TEMPLATES[0])
    engine["APP_DIRS"] = False
    engine["OPTIONS"] = {
        **engine["OPTIONS"],
        "loaders": [
            (
                "django.template.loaders.locmem.Loader",
                {
                    "chart.html": '{% extends "pdf/base.html" %}{% block title %}Gráfica'
                    "{% endblock %}{% block content %}{{ chart }}{% endblock %}"
                },
            ),
            "django.template.loaders.filesystem.Loader",
        ],
    }
    settings.TEMPLATES = [engine]

    with translation.override("es-mx"):
        data = render_pdf(
            template_name="chart.html",
            context={"chart": bar_chart_svg(rows=ROWS, title="Sujetos por tipo")},
        )

    reader = pypdf.PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    for expected in ("Persona defensora individual", "Colectivo o grupo informal", "11", "<5"):
        assert expected in text
    figures = [node for node in structure(reader) if node["/S"] == "/Figure"]
    assert [str(figure["/Alt"]) for figure in figures] == ["Sujetos por tipo"]
