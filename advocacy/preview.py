"""The re-identification preview: before generating, every cell the report will hide
and why, and the combinations of what it shows that single out fewer than 5 people.

Reads only aggregates (advocacy.services.report_compute_tables and the hub's
subject_combinations): what the advocate sees here is categories and counts of
categories, never a case.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .aggregates import shown_subject_attributes, subject_attribute_labels, subject_combinations
from .suppression import NOT_SHOWN, SECONDARY, SMALL, THRESHOLD, TOTAL


@dataclass(frozen=True)
class HiddenCell:
    table: str
    category: str
    shown: str
    reason: str


def _long_date(value) -> str:
    return date_format(dt.date.fromisoformat(str(value)), "DATE_FORMAT")


def _reason(table: dict, category: str, shown: str, column: str | None = None) -> str:
    """Why a figure is hidden; `column` names a grid's column (TOTAL: its row's total)."""
    for note in table.get("series", []):
        if (note.get("row", note["category"]), note.get("column")) == (category, column):
            dates = {"start": _long_date(note["start"]), "end": _long_date(note["end"])}
            if note.get("chain"):
                return (
                    _(
                        "Combined with the reports delivered to this donor (among them the "
                        "one from %(start)s to %(end)s), it would reveal a count under 5."
                    )
                    % dates
                )
            return (
                _(
                    "Subtracted from the report delivered to this donor from %(start)s to "
                    "%(end)s, it would reveal a count under 5."
                )
                % dates
            )
    if shown == SMALL:
        return _("A count from 1 to 4.")
    if shown == NOT_SHOWN:
        return _("Fewer than 5 cases: no median or percentile.")
    if table.get("kind") == "grid":
        return _(
            "Two-way table: a small count, or one hidden so that no small count can be "
            "worked out from the totals (checked by linear programming)."
        )
    return _("Hidden so that a “<5” cannot be worked out from the total and the other counts.")


def hidden_cells(tables: list[dict]) -> list[HiddenCell]:
    """Every hidden figure of the computed report, with its reason."""
    found = []
    for section in tables:
        for table in section["tables"]:
            headers = table.get("headers") or []
            grid = table.get("kind") == "grid"
            for row in table["rows"]:
                for index, shown in enumerate(row[1:]):
                    if shown not in (SMALL, SECONDARY, NOT_SHOWN):
                        continue
                    category, column = str(row[0]), None
                    if grid:
                        category = f"{row[0]} × {headers[index]}"
                        column = headers[index] if index < len(headers) - 1 else TOTAL
                    elif headers and index:
                        continue  # a "times" row: its count carries the reason
                    reason = _reason(table, row[0], shown, column)
                    found.append(HiddenCell(table["label"], category, shown, reason))
            total = table.get("total")
            totals = total if isinstance(total, list) else [total]
            if any(value in (SMALL, SECONDARY) for value in totals):
                position, shown = next(
                    (i, value) for i, value in enumerate(totals) if value in (SMALL, SECONDARY)
                )
                column = None
                if table.get("kind") == "grid":
                    headers = table.get("headers") or []
                    column = headers[position] if position < len(headers) - 1 else TOTAL
                found.append(
                    HiddenCell(
                        table["label"], _("Total"), shown, _reason(table, TOTAL, shown, column)
                    )
                )
    return found


ATTRIBUTE_NAMES = {
    "kind": gettext_lazy("kind"),
    "gender": gettext_lazy("gender identity"),
    "state": gettext_lazy("state"),
    "region": gettext_lazy("region"),
}


def risky_combinations(*, report) -> tuple[list[str], list[tuple]]:
    """(names of the attributes the report shows, [combination of their labels that
    fewer than THRESHOLD of the counted subjects share]). Only when the report shows
    at least two subject attributes: one alone is already protected by its table."""
    if "subjects" not in (report.sections or []):
        return [], []
    attributes = shown_subject_attributes(report.options)
    if len(attributes) < 2:
        return attributes, []
    counts = subject_combinations(start=report.start, end=report.end, attributes=attributes)
    labels = [subject_attribute_labels(name) for name in attributes]
    risky = []
    for values, count in counts.items():
        if 0 < count < THRESHOLD:
            risky.append(
                tuple(
                    str(names.get(value, value)) if value not in (None, "") else _("Not recorded")
                    for names, value in zip(labels, values, strict=True)
                )
            )
    return attributes, sorted(risky)
