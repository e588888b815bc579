"""The donor report PDF: suppressed tables and SVG bar charts, nothing else from cases."""

from aluna.pdf.render import render_pdf

from .suppression import SECONDARY, SMALL

BAR_WIDTH = 300
BAR_HEIGHT = 14


def chart_rows(table: dict) -> list[dict]:
    """Bars for the cells shown exactly; a hidden cell gets no bar (its length would tell)."""
    values = [shown for _c, shown in table["rows"] if isinstance(shown, int)]
    top = max(values, default=0) or 1
    rows = []
    for index, (category, shown) in enumerate(table["rows"]):
        exact = isinstance(shown, int)
        rows.append(
            {
                "category": category,
                "shown": shown,
                "width": int(BAR_WIDTH * shown / top) if exact else 0,
                "y": index * (BAR_HEIGHT + 6),
            }
        )
    return rows


def report_context(*, report) -> dict:
    sections = []
    for section in report.tables:
        tables = []
        for table in section["tables"]:
            bars = chart_rows(table)
            tables.append(
                {
                    **table,
                    "bars": bars,
                    "chart_height": max(len(bars), 1) * (BAR_HEIGHT + 6),
                }
            )
        sections.append({**section, "tables": tables})
    return {
        "report": report,
        "sections": sections,
        "SMALL": SMALL,
        "SECONDARY": SECONDARY,
        "bar_width": BAR_WIDTH,
        "bar_height": BAR_HEIGHT,
    }


def report_pdf_bytes(*, report) -> bytes:
    return render_pdf(
        template_name="advocacy/reports/report_pdf.html", context=report_context(report=report)
    )
