"""Series protection: a report must not reveal a small count when subtracted from (or
from) a report already delivered to the same donor.

A donor who received Q1 and now receives the half-year can subtract: H1 - Q1 is the
count of the second quarter, by category. So, before a report is generated, every
count it would show exactly is compared with the same count (same table, same
category) of each delivered report whose period contains it or lies inside it (the
same period again included: a late-recorded case would show as the difference).
Where the difference is from 1 to THRESHOLD - 1, the count is hidden ("*") in the
new report, the table's own rules then protect the hidden count, and the report says
why. Periods that merely overlap give differences of two unknown groups, not a count.
"""

import datetime as dt
from dataclasses import dataclass

from .suppression import THRESHOLD, TOTAL


@dataclass(frozen=True)
class Leak:
    table: str  # the table's reference ("section:index")
    category: str  # a category label, or TOTAL
    difference: int
    delivered_start: dt.date
    delivered_end: dt.date


def nested(start: dt.date, end: dt.date, other_start: dt.date, other_end: dt.date) -> bool:
    """Whether one period contains the other (a reader can subtract their counts)."""
    return (start <= other_start and other_end <= end) or (
        other_start <= start and end <= other_end
    )


def exact_figures(tables: list[dict]) -> dict:
    """`{(table ref, category): count}` of every count a report shows exactly (one-way
    tables: their rows and total)."""
    found = {}
    for section in tables:
        for index, table in enumerate(section["tables"]):
            if table.get("headers"):
                continue
            ref = table.get("ref") or f"{section['code']}:{index}"
            for category, shown in table["rows"]:
                if isinstance(shown, int):
                    found[(ref, category)] = shown
            if isinstance(table.get("total"), int):
                found[(ref, TOTAL)] = table["total"]
    return found


def leaks(*, tables: list[dict], start: dt.date, end: dt.date, deliveries) -> list[Leak]:
    """The counts of `tables` (for the period start-end) that, subtracted from a
    delivered report's, would leave a count from 1 to THRESHOLD - 1."""
    shown = exact_figures(tables)
    found = []
    for delivery in deliveries:
        if not nested(start, end, delivery.start, delivery.end):
            continue
        for key, count in exact_figures(delivery.tables).items():
            if key in shown and 0 < abs(shown[key] - count) < THRESHOLD:
                found.append(
                    Leak(
                        table=key[0],
                        category=key[1],
                        difference=abs(shown[key] - count),
                        delivered_start=delivery.start,
                        delivered_end=delivery.end,
                    )
                )
    return found
