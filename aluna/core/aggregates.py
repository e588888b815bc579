"""Counting by category in the database, for reports that must show numbers only."""

from django.db.models import Count, QuerySet


def count_by(queryset: QuerySet, key: str, *, distinct_on: str = "pk") -> dict:
    """`{value of key: count}` in one GROUP BY; `distinct_on` counts each such value once."""
    return dict(
        queryset.order_by()
        .values_list(key)
        .annotate(n=Count(distinct_on, distinct=True))
        .values_list(key, "n")
    )
