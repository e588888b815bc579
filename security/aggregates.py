"""Numbers for the advocacy team's donor reports: counts by catalogue, never a case.

Advocacy imports these (never the reverse). Every function takes the period and
returns `{category code: count}` dictionaries computed with one GROUP BY in the
database; no name, place, free text or identifier leaves this module.
"""

import datetime as dt

from django.db.models import Count

from .models import ProtectionMeasure, RiskAssessment


def _counts(queryset, key: str) -> dict:
    return dict(queryset.order_by().values_list(key).annotate(n=Count("pk")).values_list(key, "n"))


def measures_granted_by_status(*, start: dt.date, end: dt.date) -> dict:
    """Protection measures granted in the period, by their current state."""
    return _counts(ProtectionMeasure.objects.filter(granted_on__range=(start, end)), "status")


def measures_granted_by_source(*, start: dt.date, end: dt.date, status: str | None = None) -> dict:
    """Protection measures granted in the period, by who granted them (optionally one state)."""
    queryset = ProtectionMeasure.objects.filter(granted_on__range=(start, end))
    if status is not None:
        queryset = queryset.filter(status=status)
    return _counts(queryset, "source")


def risk_assessments_by_level(*, start: dt.date, end: dt.date) -> dict:
    """Risk assessments made in the period, by the level they computed."""
    return _counts(RiskAssessment.objects.filter(assessed_on__range=(start, end)), "level")
