"""The donor report PDF: suppressed tables and SVG bar charts, nothing else from cases.

What a donor keeps: a cover (organisation, donor, grant, period, date), one page
of key figures, then each table with its chart on the same page, and the rules
that protect small numbers. Everything here reads `report.tables`, already
suppressed: a hidden count reaches neither a bar nor its order among the bars.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from aluna.pdf.charts import bar_chart_svg
from aluna.pdf.render import render_pdf

from .suppression import SECONDARY, SMALL

# Up to this many rows a chart shows every row; longer tables chart their largest
# exact counts only (the table beside the chart lists every row).
CHART_ALL_ROWS = 12
CHART_TOP_ROWS = 10
# Longer tables print in two columns, so that the table fits on its chart's page.
SPLIT_TABLE_ROWS = 12


def _is_hidden(shown) -> bool:
    return shown in (SMALL, SECONDARY)


def ranked_rows(rows: list) -> list:
    """Exact counts first, largest first; hidden counts after them, in the order given
    (their order must not rank what they hide)."""
    exact = [row for row in rows if isinstance(row[1], int)]
    hidden = [row for row in rows if not isinstance(row[1], int)]
    return sorted(exact, key=lambda row: -row[1]) + hidden


def _total_cells(table: dict) -> list:
    total = table["total"]
    return total if isinstance(total, list) else [total]


def _hidden_marks(table: dict) -> set:
    shown = [value for row in table["rows"] for value in row[1:]] + _total_cells(table)
    return {value for value in shown if _is_hidden(value)}


def _figure(table: dict) -> dict:
    if table.get("headers"):
        # Several figures a row ("times", "grid"): the table alone, in the given order.
        return {
            **table,
            "columns": [table["rows"]],
            "chart": "",
            "chart_is_partial": False,
            "marks": _hidden_marks(table),
            "total_cells": _total_cells(table),
        }
    rows = ranked_rows(table["rows"])
    if not any(isinstance(shown, int) and shown > 0 for _category, shown in rows):
        charted = []  # no bar to draw: every count is zero or hidden
    elif len(rows) <= CHART_ALL_ROWS:
        charted = rows
    else:
        charted = [row for row in rows if isinstance(row[1], int)][:CHART_TOP_ROWS]
    half = (len(rows) + 1) // 2 if len(rows) > SPLIT_TABLE_ROWS else len(rows)
    chart_title = _("Bar chart: %(table)s") % {"table": table["label"]}
    return {
        **table,
        "rows": rows,
        "columns": [rows[:half], rows[half:]] if half < len(rows) else [rows],
        "chart": bar_chart_svg(rows=charted, title=chart_title) if charted else "",
        "chart_is_partial": 0 < len(charted) < len(rows),
        "marks": _hidden_marks(table),
        "total_cells": _total_cells(table),
    }


def key_figures(tables: list) -> list[dict]:
    """The totals the report names as key figures, in the report's order."""
    return [
        {"label": section_table["summary"], "value": section_table["total"]}
        for section in tables
        for section_table in section["tables"]
        if section_table.get("summary")
        and section_table["total"] is not None
        and not section_table.get("headers")
    ]


def report_context(*, report) -> dict:
    figures = key_figures(report.tables)
    note_placed = any(_is_hidden(figure["value"]) for figure in figures)
    sections = []
    for section in report.tables:
        tables = []
        for table in section["tables"]:
            figure = _figure(table)
            figure["note_here"] = bool(figure["marks"]) and not note_placed
            note_placed = note_placed or figure["note_here"]
            tables.append(figure)
        sections.append({**section, "tables": tables})
    grant = report.grant
    return {
        "report": report,
        "grant": grant,
        "donor": grant.donor if grant else None,
        "key_figures": figures,
        "summary_has_hidden": any(_is_hidden(figure["value"]) for figure in figures),
        "sections": sections,
        "generated_on": timezone.localdate(),
        "SMALL": SMALL,
        "SECONDARY": SECONDARY,
    }


def report_pdf_bytes(*, report) -> bytes:
    return render_pdf(
        template_name="advocacy/reports/report_pdf.html", context=report_context(report=report)
    )
