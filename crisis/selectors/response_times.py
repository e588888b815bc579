"""Reads of the response-time page (coordinación only): the figures, as rows a page can
show, and the crises whose first contact came later than the target, for review.

The figures come from `crisis.aggregates` (computed in the database, one query per
breakdown); the review list names the subject by alias only, like the crisis board.
"""

import datetime as dt

from django.db import connection
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import aggregates
from ..models import CrisisIntervention

BREAKDOWN_TITLES = {
    "month": gettext_lazy("By month"),
    "region": gettext_lazy("By region"),
    "aggression_type": gettext_lazy("By type of aggression"),
    "risk_level": gettext_lazy("By risk level"),
}


def hours(value) -> float | None:
    return None if value is None else round(float(value), 1)


def breakdown_label(by: str, key, labels: dict) -> str:
    if key is None or key == "":
        return _("Not recorded")
    if by == "month":
        return date_format(key, "YEAR_MONTH_FORMAT")
    return str(labels.get(key, key))


def response_time_rows(
    *, start: dt.date, end: dt.date, by: str | None, measures=aggregates.MEASURES
) -> list[dict]:
    """One row per category: {"label", "contact": figures, "process": figures}; the
    figures are {"cases", "median", "p90"} (hours, one decimal) or None."""
    measures = {
        measure: aggregates.response_times(start=start, end=end, measure=measure, by=by)
        for measure in measures
    }
    labels = aggregates.breakdown_labels(by) if by else {}
    keys = set().union(*measures.values())
    rows = []
    for key in keys:
        row = {"key": key, "label": _("Whole period") if by is None else ""}
        if by is not None:
            row["label"] = breakdown_label(by, key, labels)
        for measure, figures in measures.items():
            found = figures.get(key)
            row[measure] = (
                {
                    "cases": found["cases"],
                    "median": hours(found["median"]),
                    "p90": hours(found["p90"]),
                }
                if found
                else None
            )
        rows.append(row)
    if by == "month":
        rows.sort(key=lambda row: row["key"])
    else:
        rows.sort(key=lambda row: (row["key"] is None, row["label"]))
    return rows


def crises_over_target(*, user, start: dt.date, end: dt.date) -> QuerySet[CrisisIntervention]:
    """First contacts later than the target, the longest wait first, with the subject's
    alias. Coordinación sees every crisis (the page is theirs only)."""
    target = aggregates.response_target_hours()
    if connection.vendor != "postgresql":
        return CrisisIntervention.objects.none()  # as aggregates.response_times
    return (
        aggregates.first_contacts(start=start, end=end)
        .filter(hours__gt=target)
        .select_related("process__subject")
        .only(
            "id",
            "contacted_at",
            "risk_level",
            "process__id",
            "process__subject__id",
            "process__subject__alias",
        )
        .order_by("-hours", "-contacted_at", "pk")
    )
