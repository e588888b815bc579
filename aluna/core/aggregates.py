"""Counting by category in the database, for reports that must show numbers only."""

import datetime as dt

from django.db.models import Count, QuerySet
from django.utils import timezone


def count_by(queryset: QuerySet, key: str, *, distinct_on: str = "pk") -> dict:
    """`{value of key: count}` in one GROUP BY; `distinct_on` counts each such value once."""
    return dict(
        queryset.order_by()
        .values_list(key)
        .annotate(n=Count(distinct_on, distinct=True))
        .values_list(key, "n")
    )


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period's first instant and the instant after its last day, in the current
    timezone: filter timestamps with `__gte=low, __lt=high` to count whole days."""
    tz = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return low, high
