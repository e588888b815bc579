"""Numbers for the advocacy team's donor reports: counts by category, never a case.

Advocacy imports these (never the reverse). Every function takes the period and
returns `{category code: count}` computed with one GROUP BY in the database; the
`*_labels()` functions give the words for those codes. No name, place, free text
or identifier leaves this module.
"""

import datetime as dt

from django.utils import timezone

from accompaniment.models import AggressionType, Perpetrator, RiskLevel
from aluna.core.aggregates import count_by

from .models import CrisisIntervention


def _interventions(*, start: dt.date, end: dt.date):
    tz = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return CrisisIntervention.objects.filter(contacted_at__gte=low, contacted_at__lt=high)


def interventions_by_risk_level(*, start: dt.date, end: dt.date) -> dict:
    """Crisis interventions contacted in the period, by risk level."""
    return count_by(_interventions(start=start, end=end), "risk_level")


def interventions_by_aggression_type(*, start: dt.date, end: dt.date) -> dict:
    """Crisis interventions in the period, by type of the aggression (one may have several)."""
    crises = _interventions(start=start, end=end).filter(aggression__types__isnull=False)
    return count_by(crises, "aggression__types")


def interventions_by_perpetrator(*, start: dt.date, end: dt.date) -> dict:
    """Crisis interventions in the period, by perpetrator (one may have several)."""
    crises = _interventions(start=start, end=end).filter(aggression__perpetrators__isnull=False)
    return count_by(crises, "aggression__perpetrators")


def risk_level_labels() -> dict:
    return dict(RiskLevel.choices)


def aggression_type_labels() -> dict:
    return {entry.pk: entry.label for entry in AggressionType.objects.all()}


def perpetrator_labels() -> dict:
    return {entry.pk: entry.label for entry in Perpetrator.objects.all()}
