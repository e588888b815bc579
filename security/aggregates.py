"""Numbers for the advocacy team's donor reports: counts by catalogue, never a case.

Advocacy imports these (never the reverse). Every function takes the period and
returns `{category code: count}` dictionaries computed with one GROUP BY in the
database; no name, place, free text or identifier leaves this module. The
`*_labels()` functions give the `{code: label}` to show next to those counts.
"""

import datetime as dt

from aluna.core.aggregates import count_by

from .models import MeasureSource, MeasureStatus, ProtectionMeasure, RiskAssessment, RiskLevel


def measures_granted_by_status(*, start: dt.date, end: dt.date) -> dict:
    """Protection measures granted in the period, by their current state."""
    return count_by(ProtectionMeasure.objects.filter(granted_on__range=(start, end)), "status")


def measures_granted_by_source(*, start: dt.date, end: dt.date, status: str | None = None) -> dict:
    """Protection measures granted in the period, by who granted them (optionally one state)."""
    queryset = ProtectionMeasure.objects.filter(granted_on__range=(start, end))
    if status is not None:
        queryset = queryset.filter(status=status)
    return count_by(queryset, "source")


def measures_not_implemented_by_source(*, start: dt.date, end: dt.date) -> dict:
    """Measures granted in the period but never put in place, by who granted them."""
    return measures_granted_by_source(start=start, end=end, status=MeasureStatus.NOT_IMPLEMENTED)


def risk_assessments_by_level(*, start: dt.date, end: dt.date) -> dict:
    """Risk assessments made in the period, by the level they computed."""
    return count_by(RiskAssessment.objects.filter(assessed_on__range=(start, end)), "level")


def measure_status_labels() -> dict:
    return dict(MeasureStatus.choices)


def measure_source_labels() -> dict:
    return dict(MeasureSource.choices)


def risk_level_labels() -> dict:
    return dict(RiskLevel.choices)
