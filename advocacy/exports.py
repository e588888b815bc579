"""What leaves advocacy as a file: CSV cells a spreadsheet cannot run, Spanish file names.

A cell that starts with "=", "+", "-", "@", a tab or a carriage return is read by
spreadsheets as a formula (CSV injection: a catalogue label such as
'=HYPERLINK("http://…")' would run on the donor's computer). So is one that
starts with a line feed, with their full-width forms (an East Asian input method
types U+FF1D for "="), or with any of these after leading spaces (a spreadsheet that trims
spaces on import). Such cells are written with a leading apostrophe, which
spreadsheets show as text.

File names say what the file is and when it was made, in Spanish, and never name
or alias a person: `informe-donante-2026-12-04.pdf`.
"""

import csv
import datetime as dt
import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# The last four are the full-width "=", "+", "-" and "@".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Trimmed before looking at the first character (a tab, CR or LF is a start itself).
LEADING_SPACES = " \u00a0\u2007\u202f\u3000"
DONOR_REPORT_FILE = "informe-donante"


def spreadsheet_safe(value):
    """`value`, or its text behind an apostrophe when a spreadsheet would run it."""
    if isinstance(value, str) and value.lstrip(LEADING_SPACES).startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def csv_text(rows) -> str:
    """Rows as CSV text with a BOM (so that spreadsheets read the accents as UTF-8),
    every cell made spreadsheet-safe."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()


def donor_report_rows(tables: list[dict]):
    """A donor report's suppressed tables, one row per category, under Spanish headers."""
    yield [
        _("Section"),
        _("Table"),
        _("Category"),
        pgettext("table column", "Number"),
    ]
    for section in tables:
        for table in section["tables"]:
            headers = table.get("headers")
            rows = list(table["rows"])
            if table["total"] is not None:
                total = table["total"]
                rows.append([_("Total"), *(total if isinstance(total, list) else [total])])
            for category, *shown in rows:
                if not headers:
                    yield [section["label"], table["label"], category, shown[0]]
                    continue
                for header, value in zip(headers, shown, strict=True):
                    yield [section["label"], table["label"], f"{category} · {header}", value]


def download_name(base: str, *, made_on: dt.date, extension: str) -> str:
    return f"{base}-{made_on:%Y-%m-%d}.{extension}"
