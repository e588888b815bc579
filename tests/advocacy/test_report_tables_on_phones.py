"""The report page's tables scroll inside their own box: a two-way table (states ×
gender identity) is wider than a 360 px phone and must not widen the page."""

import re
import types

from django.template.loader import render_to_string


def test_every_report_table_scrolls_in_its_own_box_on_a_phone():
    report = types.SimpleNamespace(
        tables=[
            {
                "code": "subjects",
                "label": "Sujetos",
                "tables": [
                    {"label": "Por tipo", "rows": [["Red", 7]], "total": 7},
                    {
                        "label": "Por estado e identidad de género",
                        "headers": ["Mujer", "Hombre trans", "No binaria", "Total"],
                        "rows": [["Baja California Sur", 0, "*", 0, "*"]],
                        "total": ["*", "*", 0, "*"],
                    },
                ],
            }
        ]
    )

    html = render_to_string(
        "advocacy/reports/includes/report_tables.html", {"report": report, "charts": {}}
    )

    tables = re.findall(r"<table\b", html)
    boxed = re.findall(r'<div class="table-scroll[^"]*"><table\b', html)
    assert len(tables) == 2
    assert len(boxed) == len(tables)
